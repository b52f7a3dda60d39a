"""The demo programme: our own data file about the reference programme, and one account per role."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import translation

from recolte.access.models import Membership, Role
from recolte.coding.demo import load_demo_codebook
from recolte.coding.demo_codings import load_demo_codings
from recolte.collection.demo_campaigns import load_demo_campaigns
from recolte.collection.demo_records import load_demo_records
from recolte.registry.exchange import registry_import
from recolte.registry.models import Programme

DEMO_FILE = Path(__file__).resolve().parents[1] / "registry" / "data" / "demo_programme.json"
DEMO_PASSWORD = "recolte-demo"  # printed by `make demo`; local demo only


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    organisation: str = ""  # acronym, for the contributor


DEMO_ACCOUNTS = (
    DemoAccount("admin", Role.ADMIN),
    DemoAccount("facilitator", Role.FACILITATOR),
    DemoAccount("team", Role.TEAM),
    DemoAccount("contributor", Role.CONTRIBUTOR, "GRDR"),
    DemoAccount("reader", Role.READER),
)


@transaction.atomic
def demo_load() -> tuple[Programme, list[DemoAccount]]:
    """Load (or refresh) the demo programme and its accounts; running it twice changes nothing."""
    # Stored labels (e.g. "… — transcription") follow the active language: the demo is French.
    with translation.override(settings.LANGUAGE_CODE):
        return _demo_load()


def _demo_load() -> tuple[Programme, list[DemoAccount]]:
    registry_import(data=DEMO_FILE, fmt="json")
    programme = Programme.objects.get(slug="caac")
    users = get_user_model().objects
    for account in DEMO_ACCOUNTS:
        user, created = users.get_or_create(
            username=account.username,
            defaults={
                "first_name": account.username.capitalize(),
                "email": f"{account.username}@example.org",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = user.is_superuser = account.role == Role.ADMIN
            user.save()
        organisation = (
            programme.organisations.filter(acronym=account.organisation).first()
            if account.organisation
            else None
        )
        Membership.objects.update_or_create(
            user=user,
            programme=programme,
            defaults={"role": account.role, "organisation": organisation},
        )
    load_demo_campaigns(programme)
    load_demo_records(programme)
    load_demo_codebook(programme)
    load_demo_codings(programme)
    return programme, list(DEMO_ACCOUNTS)
