"""The home page by role: contributors see what they have to answer, readers what was
published, staff their dashboard; nobody sees another organisation's requests."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from recolte.access.models import Membership
from recolte.collection.models import Campaign, Response

from .helpers import campaign_synthesis, client_for, publish


def _campaign(world, title: str, days: int | None, status=Campaign.Status.OPEN) -> Campaign:
    closes = timezone.localdate() + timedelta(days=days) if days is not None else None
    return Campaign.objects.create(
        programme=world.programme,
        title=title,
        instrument="field_logbook",
        audience=Campaign.Audience.PILOT_LEADS,  # the lead: the contributor's organisation
        status=status,
        closes_on=closes,
    )


@pytest.fixture
def requests(world):
    later = _campaign(world, "Carnet n°3", 20)
    soon = _campaign(world, "Carnet n°2", 3)
    _campaign(world, "Carnet brouillon", 5, status=Campaign.Status.DRAFT)
    _campaign(world, "Carnet fermé", -2)
    done = _campaign(world, "Carnet n°1", 10)
    Response.objects.create(campaign=later, organisation=world.lead)  # a draft
    Response.objects.create(
        campaign=done, organisation=world.lead, status=Response.Status.SUBMITTED
    )
    return soon, later


def _section(html: str, slug: str) -> str:
    start = html.index(f'data-programme="{slug}"')
    return html[start : html.index("</section>", start)]


def test_contributor_sees_what_to_answer_soonest_first_with_drafts(world, requests):
    soon, later = requests
    html = client_for(world, "contributor").get(reverse("home")).content.decode()
    mine = _section(html, "prog")
    assert 'data-role="contributor"' in mine
    rows = [mine.index(f'data-campaign="{c.pk}"') for c in (soon, later)]
    assert rows == sorted(rows)  # the soonest deadline first
    assert "3 days left" in mine and "20 days left" in mine
    assert mine.count("draft</span>") == 1 and "Continue" in mine and "Answer" in mine
    assert reverse("collection:respond", args=["prog", soon.pk]) in mine
    for hidden in ("Carnet brouillon", "Carnet fermé", "Carnet n°1"):
        assert hidden not in mine  # not open yet, past its deadline, already submitted
    assert "1 answer submitted." in mine


@pytest.mark.parametrize("role", ["reader", "team", "facilitator"])
def test_only_contributors_are_asked_to_answer(world, requests, role):
    html = client_for(world, role).get(reverse("home")).content.decode()
    assert "Carnet n°2" not in html and "To answer" not in html


def test_contributor_of_another_organisation_is_not_asked(world, requests):
    # The partner is not a pilot lead: the campaigns are not addressed to it.
    Membership.objects.filter(user=world.users["contributor"]).update(organisation=world.partner)
    html = client_for(world, "contributor").get(reverse("home")).content.decode()
    assert "Nothing to answer for now." in html and "Carnet n°2" not in html


def test_reader_sees_what_was_published_staff_the_dashboard(world, published):
    synthesis = publish(campaign_synthesis(world, text="Synthèse.", is_published=True))
    reader = client_for(world, "reader").get(reverse("home")).content.decode()
    assert reverse("portal:synthesis", args=["prog", synthesis.pk]) in reader
    assert "Open the dashboard" not in reader
    staff = client_for(world, "facilitator").get(reverse("home")).content.decode()
    assert "Open the dashboard" in staff and "Published" not in _section(staff, "prog")


def test_nothing_published_is_said(world):
    html = client_for(world, "reader").get(reverse("home")).content.decode()
    assert "Nothing published yet." in _section(html, "prog")
