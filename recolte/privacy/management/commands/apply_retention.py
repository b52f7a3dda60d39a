"""Delete original files past their programme's retention (run daily by cron)."""

from django.core.management.base import BaseCommand

from recolte.privacy.services import apply_retention


class Command(BaseCommand):
    help = "Delete originals and transcripts older than the retention setting; texts stay."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{apply_retention()} original file(s) deleted.")
