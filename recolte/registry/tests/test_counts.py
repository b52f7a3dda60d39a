"""Organisation counts come from one definition: the dashboard, the directory and the public
page agree, and each shows what it counts."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from recolte.registry.models import Nature, Organisation, Partnership, PilotOperation
from recolte.registry.selectors import (
    PUBLISHED_STANDINGS,
    STANDINGS,
    organisation_count,
    organisations_filtered,
)
from recolte.testing import PASSWORD


@pytest.fixture
def counted(world):
    """Beside the world: a member in no pilot, and a partner of an unpublished pilot that
    also leads it (counted once)."""
    Organisation.objects.create(
        programme=world.programme, name="Réseau Gamma", nature=Nature.NETWORK, is_member=True
    )
    delta = Organisation.objects.create(
        programme=world.programme, name="Union Delta", nature=Nature.UNION
    )
    hidden = PilotOperation.objects.create(
        programme=world.programme, code="op2", title="Opération deux", lead=delta
    )
    Partnership.objects.create(pilot=hidden, organisation=delta)
    Partnership.objects.create(pilot=hidden, organisation=world.lead)
    world.pilot.is_published = True
    world.pilot.save()
    world.programme.is_published = True
    world.programme.save()
    return world


def _client(world) -> Client:
    client = Client()
    assert client.login(username=world.users["reader"].username, password=PASSWORD)
    return client


def _fact(html: str, name: str) -> int:
    found = re.search(rf'data-fact="{name}">(?:<a [^>]*>)?(\d+)', html)
    assert found, name
    return int(found.group(1))


def test_counts_follow_their_definitions(counted):
    programme = counted.programme
    expected = {"": 4, "member": 2, "involved": 3, "lead": 2, "partner": 3}
    for standing, n in expected.items():
        count = organisation_count(programme, standing)
        assert count.n == n == organisations_filtered(programme, standing=standing).count()
        assert count.definition == STANDINGS[standing]
    published = organisation_count(programme, "involved", published_only=True)
    assert published.n == 2 and published.definition == PUBLISHED_STANDINGS["involved"]


def test_dashboard_directory_and_public_page_agree(counted):
    client, slug = _client(counted), counted.programme.slug
    dashboard = client.get(reverse("registry:dashboard", args=[slug])).content.decode()
    for standing, fact in (("member", "member"), ("involved", "involved"), ("", "organisations")):
        directory = client.get(
            reverse("registry:organisations", args=[slug]), {"standing": standing}
        )
        rows = directory.content.decode().count('<tr class="org-row"')
        assert _fact(dashboard, fact) == rows, standing
        assert str(STANDINGS[standing]).capitalize() in dashboard
        assert str(STANDINGS[standing]) in directory.content.decode()
    public = Client().get(reverse("portal:programme", args=[slug])).content.decode()
    assert _fact(public, "involved") == 2  # the unpublished pilot's organisations are not shown
    assert _fact(public, "member") == _fact(dashboard, "member")
    assert str(PUBLISHED_STANDINGS["involved"]).capitalize() in public
