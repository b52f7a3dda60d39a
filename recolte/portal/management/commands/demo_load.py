from django.core.management.base import BaseCommand

from recolte.portal.demo import DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = "Load the demo programme and one account per role (idempotent)."

    def handle(self, *args, **options) -> None:
        programme, accounts = demo_load()
        self.stdout.write(self.style.SUCCESS(f"Demo programme ready: {programme.name}"))
        self.stdout.write(f"Logins (password for all: {DEMO_PASSWORD}):")
        for account in accounts:
            extra = f" for {account.organisation}" if account.organisation else ""
            self.stdout.write(f"  {account.username:<12} {account.role}{extra}")
