"""Small builders shared by the test suites of every room (not used by the product)."""

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from unittest import mock
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connections
from django_tasks_db.management.commands import db_worker

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


@contextmanager
def database_file(path: Path) -> Iterator[str]:
    """Run the block on a database that other threads and processes open, as the server's do.

    SQLite's test database lives in memory, in one shared cache where a second writer fails at
    once ("table is locked") instead of waiting, and no other process can open it: the block
    runs on a file copy of it. PostgreSQL's test database already is one. Yields a DATABASE_URL
    for a subprocess. Needs a transactional test (the threads must see committed rows).
    """
    conn = connections["default"]
    config = conn.settings_dict  # the dict every thread's connection is built from
    if conn.vendor != "sqlite":
        yield (
            f"postgres://{quote(config['USER'])}:{quote(config['PASSWORD'] or '')}"
            f"@{config['HOST']}:{config['PORT']}/{config['NAME']}"
        )
        return
    conn.ensure_connection()
    memory, name = conn.connection, config["NAME"]
    with closing(sqlite3.connect(path)) as copy:
        memory.backup(copy)
    config["NAME"], conn.connection = str(path), None
    try:
        yield f"sqlite:///{path}"
    finally:
        conn.close()
        config["NAME"], conn.connection = name, memory


def run_tasks() -> None:
    """A task worker started once over what waits (the suites use the database task backend,
    so nothing queued runs until this is called).

    The worker closes connections whose autocommit differs from the settings', which inside a
    test's transaction is every PostgreSQL connection: that check is left out here."""
    with mock.patch(f"{db_worker.__name__}.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
