"""`recolte person-erase PERSON_ID --yes`: pseudonymise a person's name everywhere."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from recolte.privacy.services import person_erase
from recolte.registry.models import Person


class Command(BaseCommand):
    help = "Replace a person's name by a pseudonym in every text; codings and counts stay."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("person", type=int, help="The person's id.")
        parser.add_argument("--yes", action="store_true", help="Confirm: this cannot be undone.")

    def handle(self, *args, person: int, yes: bool = False, **options) -> None:
        found = Person.objects.select_related("organisation__programme").filter(pk=person).first()
        if found is None:
            raise CommandError(f"No person with id {person}.")
        if not yes:
            raise CommandError(f"Erasing {found} cannot be undone: add --yes to confirm.")
        done = person_erase(person=found, by=None)
        self.stdout.write(
            f"Now {done.alias}: {done.rows} row(s), {done.versions} version(s) rewritten, "
            f"{len(done.files)} file(s) rewritten or deleted."
        )
