"""Simultaneous submits of one response: one resource, every caller told it is submitted."""

import threading
from dataclasses import replace
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection
from django.utils import translation

from recolte.collection import services as svc
from recolte.collection.models import Resource, Response
from recolte.collection.services import ResourceMeta, resource_create
from recolte.collection.tests.campaign_fixtures import first_question, logbook
from recolte.testing import database_file, make_world

THREADS = 6


@pytest.fixture
def world_on_file(transactional_db, tmp_path):
    with database_file(tmp_path / "db.sqlite3"):
        yield make_world()


def test_simultaneous_submits_make_one_resource(world_on_file):
    world = world_on_file
    campaign = logbook(world)
    response = svc.response_for(campaign, world.lead, Response.Channel.BROWSER)
    svc.answer_save(response=response, question=first_question(campaign), text="Avec la mairie.")
    start = threading.Barrier(THREADS)
    failures: list[BaseException] = []
    outcomes: list[Response] = []

    def submit() -> None:
        try:
            # Each caller read the draft before anyone submitted, as two browser tabs do.
            mine = Response.objects.get(pk=response.pk)
            start.wait(timeout=10)
            outcomes.append(svc.response_submit(response=mine))
        except BaseException as error:  # noqa: BLE001 - reported to the test thread below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    response.refresh_from_db()
    made = Resource.objects.filter(campaign=campaign, kind=Resource.Kind.RESPONSE)
    assert list(made) == [response.resource]
    assert response.status == Response.Status.SUBMITTED
    assert response.resource.versions.count() == 1
    # Every caller, not only the first, is told the response is submitted with that resource.
    assert {(o.status, o.resource_id) for o in outcomes} == {("submitted", response.resource_id)}
    assert len(outcomes) == THREADS


def test_migration_retires_orphans_of_earlier_races_and_keeps_them(world):
    campaign = logbook(world)
    response = svc.response_for(campaign, world.lead, Response.Channel.BROWSER)
    svc.answer_save(response=response, question=first_question(campaign), text="Avec la mairie.")
    svc.response_submit(response=response)
    meta = ResourceMeta(
        title="Carnet de route n°1 — ALPHA",
        kind=Resource.Kind.RESPONSE,
        campaign_id=campaign.pk,
        organisations=[world.lead],
    )
    orphan = resource_create(programme=world.programme, text="Avec la mairie.", meta=meta)
    reply = resource_create(
        programme=world.programme,
        text="Réponse par courriel.",
        meta=replace(meta, kind=Resource.Kind.EMAIL),
    )
    retire = import_module("recolte.collection.migrations.0005_response_submit_once")
    with translation.override("en"):
        retire.retire_orphans(apps, None)
    orphan.refresh_from_db()
    assert orphan.campaign is None and orphan.confidentiality == "facilitators"
    assert orphan.title.startswith("[Duplicate submission, retired]")
    assert orphan.versions.count() == 1  # kept, with its text, for a facilitator to decide
    kept = Resource.objects.get(pk=response.resource_id)
    assert kept.campaign == campaign and not kept.title.startswith("[")
    reply.refresh_from_db()
    assert reply.campaign == campaign  # other resources of the campaign are not orphans
