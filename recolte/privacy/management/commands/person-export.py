"""`recolte person-export PERSON_ID [--out FILE]`: everything held about one person, as JSON."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from recolte.access import audit
from recolte.privacy.services import person_export
from recolte.registry.models import Person


class Command(BaseCommand):
    help = "Export everything held about a person (registry, resources, quotes, codings, audit)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("person", type=int, help="The person's id.")
        parser.add_argument("--out", type=Path, help="Write to this file instead of stdout.")

    def handle(self, *args, person: int, out: Path | None = None, **options) -> None:
        found = Person.objects.select_related("organisation__programme").filter(pk=person).first()
        if found is None:
            raise CommandError(f"No person with id {person}.")
        data = json.dumps(person_export(person=found), ensure_ascii=False, indent=2)
        audit.record(user=None, verb=audit.Verb.EXPORT, target=found)
        if out:
            out.write_text(data, encoding="utf-8")
            self.stdout.write(f"Wrote {out}.")
        else:
            self.stdout.write(data)
