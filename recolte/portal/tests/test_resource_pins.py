"""A published resource is a snapshot: the portal shows the version it had when published, in
its pages and its search, until it is published again."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from recolte.collection.services import resource_new_version
from recolte.corpus.pipeline import process_version
from recolte.portal import selectors, services
from recolte.portal.models import PublishedVersion
from recolte.portal.tests.helpers import client_for, resource

pytestmark = pytest.mark.django_db

FIRST = "Le puits de Ménaka est géré par les femmes.\n\nLe comité se réunit chaque mois."
SECOND = "Le puits de Gao est géré par la mairie.\n\nLe comité se réunit chaque mois."


def _edit(made, text: str) -> None:
    process_version(resource_new_version(resource=made, text=text))


def _found(world, query: str) -> list[str]:
    return [h.passage.text for h in selectors.search_published(world.programme, query).hits]


@pytest.mark.parametrize("how", ["publish button", "level chosen at creation"])
def test_an_edit_stays_inside_until_published_again(published, how):
    world = published
    admin = world.users["admin"]
    if how == "publish button":
        made = resource(world, FIRST, "Puits")
        services.resource_publish(made, by=admin)
    else:
        made = resource(world, FIRST, "Puits", "published")
    _edit(made, SECOND)
    visitor = client_for(world, "anonymous")
    url = reverse("portal:resource", args=[world.programme.slug, made.pk])
    body = visitor.get(url).content.decode()
    assert "Ménaka" in body and "Gao" not in body
    assert not any("Gao" in text for text in _found(world, "Gao mairie"))
    unchanged = made.passages.get(text="Le comité se réunit chaque mois.")
    assert _found(world, "comité") == [unchanged.text]
    assert f'id="p-{unchanged.pk}"' in body  # the hit's anchor is on the public page

    staff = client_for(world, "admin").get(made.get_absolute_url()).content.decode()
    assert "Changed since publication" in staff

    assert services.resource_publish(made, by=admin)
    body = visitor.get(url).content.decode()
    assert "Gao" in body and "Ménaka" not in body
    assert any("Gao" in text for text in _found(world, "Gao mairie"))
    staff = client_for(world, "admin").get(made.get_absolute_url()).content.decode()
    assert "Changed since publication" not in staff
    assert not services.resource_publish(made, by=admin)  # nothing new: nothing to do


def test_withdrawn_then_published_shows_the_current_version(published):
    made = resource(published, FIRST, "Puits")
    admin = published.users["admin"]
    services.resource_publish(made, by=admin)
    services.resource_unpublish(made, by=admin)
    assert not PublishedVersion.objects.filter(resource=made).exists()
    _edit(made, SECOND)
    services.resource_publish(made, by=admin)
    assert PublishedVersion.objects.get(resource=made).version == made.current


def test_migration_pins_what_was_already_published(published):
    made = resource(published, FIRST, "Puits", "published")
    inside = resource(published, SECOND, "Interne")
    PublishedVersion.objects.all().delete()
    assert not selectors.published_resources(published.programme).exists()
    migration = importlib.import_module("recolte.portal.migrations.0002_published_version")
    migration.pin_published(apps, None)
    assert list(selectors.published_resources(published.programme)) == [made]
    assert not PublishedVersion.objects.filter(resource=inside).exists()
