"""Send the reminders due today (run daily by cron; running it twice sends nothing new)."""

from django.core.management.base import BaseCommand

from recolte.collection.services import reminders_send_due


class Command(BaseCommand):
    help = "Remind invited organisations that have not submitted, on each reminder date."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--base-url", default="", help="Site address used in the links.")

    def handle(self, *args, base_url: str = "", **options) -> None:
        count = reminders_send_due(base_url=base_url or None)
        self.stdout.write(f"{count} reminder(s) sent.")
