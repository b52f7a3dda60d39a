"""Small builders shared by the test suites of every room (not used by the product)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from recolte.access.models import Membership, Role
from recolte.registry.models import (
    Axis,
    Continent,
    Country,
    Nature,
    Organisation,
    Partnership,
    PilotOperation,
    Programme,
)

PASSWORD = "a-long-test-passphrase"


def country(
    code: str, name: str, continent: str = Continent.AFRICA, region: bool = False
) -> Country:
    found, _ = Country.objects.get_or_create(
        code=code,
        defaults={"name_fr": name, "name_en": name, "continent": continent, "is_region": region},
    )
    return found


@dataclass
class World:
    """A programme with two organisations, one pilot operation and one user per role."""

    programme: Programme
    other_programme: Programme
    lead: Organisation
    partner: Organisation
    pilot: PilotOperation
    users: dict  # role (or "outsider") -> user


def make_world(slug: str = "prog") -> World:
    programme = Programme.objects.create(
        slug=slug, name="Programme de test", acronym="PT", start_year=2020, end_year=2023
    )
    other = Programme.objects.create(
        slug=f"{slug}-other", name="Autre programme", start_year=2021, end_year=2022
    )
    Axis.objects.create(programme=programme, kind=Axis.Kind.PROGRAMME, number=1, title="Axe un")
    france = country("FR", "France", Continent.EUROPE)
    mali = country("ML", "Mali")
    lead = Organisation.objects.create(
        programme=programme,
        name="Association Alpha",
        acronym="ALPHA",
        nature=Nature.NGO,
        country=france,
        is_member=True,
    )
    partner = Organisation.objects.create(
        programme=programme,
        name="Commune de Beta",
        acronym="BETA",
        nature=Nature.LOCAL_AUTHORITY,
        country=mali,
    )
    pilot = PilotOperation.objects.create(
        programme=programme, code="op1", title="Opération un", lead=lead
    )
    pilot.countries.set([france, mali])
    Partnership.objects.create(pilot=pilot, organisation=partner, role="co-pilote")
    users = {}
    model = get_user_model()
    for role in Role.values:
        user = model.objects.create_user(f"{slug}-{role}", password=PASSWORD)
        Membership.objects.create(
            user=user,
            programme=programme,
            role=role,
            organisation=lead if role == Role.CONTRIBUTOR else None,
        )
        users[role] = user
    users["outsider"] = model.objects.create_user(f"{slug}-outsider", password=PASSWORD)
    Membership.objects.create(user=users["outsider"], programme=other, role=Role.FACILITATOR)
    return World(programme, other, lead, partner, pilot, users)
