"""The confidentiality rule, everywhere material is read: facilitators-only material is for
facilitators and admins whatever its organisation; programme material for the staff, the team
and contributors of a linked organisation; published material for every member."""

import pytest
from django.urls import reverse

from recolte.collection import services as svc
from recolte.collection.models import Campaign, Confidentiality, Record
from recolte.collection.selectors import visible_records, visible_resources
from recolte.collection.services import ResourceMeta, resource_create
from recolte.collection.tests.campaign_fixtures import first_question, logbook
from recolte.corpus.pipeline import process_version

LEVELS = {
    "facilitators_own": (Confidentiality.FACILITATORS, "lead"),
    "facilitators_other": (Confidentiality.FACILITATORS, "partner"),
    "programme_own": (Confidentiality.PROGRAMME, "lead"),
    "programme_other": (Confidentiality.PROGRAMME, "partner"),
    "published_other": (Confidentiality.PUBLISHED, "partner"),
}
EVERYTHING = set(LEVELS)
SEES = {
    "admin": EVERYTHING,
    "facilitator": EVERYTHING,
    "team": {"programme_own", "programme_other", "published_other"},
    # world.lead is the contributor's organisation
    "contributor": {"programme_own", "published_other"},
    "reader": {"published_other"},
}


@pytest.fixture
def material(world):
    """One resource (with an original file and passages) and one record per level."""
    resources, found = {}, {}
    for name, (level, org) in LEVELS.items():
        organisation = getattr(world, org)
        resource = resource_create(
            programme=world.programme,
            text=f"Gestion communautaire du puits, note {name}.",
            meta=ResourceMeta(title=name, organisations=[organisation], confidentiality=level),
            original=(f"{name}.txt", b"original"),
        )
        process_version(resource.current)
        resources[name] = resource
        record = Record.objects.create(
            programme=world.programme, instrument="interview", title=name, confidentiality=level
        )
        record.organisations.set([organisation])
        found[name] = record
    world.resources, world.records = resources, found
    return world


@pytest.mark.parametrize("role", SEES)
def test_selectors_follow_the_rule(material, role):
    user, programme = material.users[role], material.programme
    assert {r.title for r in visible_resources(user, programme)} == SEES[role]
    assert {r.title for r in visible_records(user, programme)} == SEES[role]


@pytest.mark.parametrize("role", SEES)
def test_every_page_of_a_resource_follows_the_rule(client, material, role):
    client.force_login(material.users[role])
    slug = material.programme.slug
    for name, resource in material.resources.items():
        expected = 200 if name in SEES[role] else 404
        for url in (
            reverse("collection:resource", args=[slug, resource.pk]),
            reverse("collection:resource_original", args=[slug, resource.pk]),
            reverse("corpus:resource_passages", args=[slug, resource.pk]),
            reverse("collection:record", args=[slug, material.records[name].pk]),
        ):
            assert client.get(url).status_code == expected, (role, name, url)
        passage = resource.passages.first()
        similar = reverse("corpus:similar", args=[slug, passage.pk])
        assert client.get(similar).status_code == expected, (role, name, similar)


@pytest.mark.parametrize("role", SEES)
def test_search_api_returns_only_visible_passages(client, material, role):
    client.force_login(material.users[role])
    url = reverse("corpus:api_search", args=[material.programme.slug])
    hits = client.get(url, {"q": "gestion communautaire puits", "limit": 50}).json()["hits"]
    assert {h["resource"]["title"] for h in hits} == SEES[role]


def _submitted(world, campaign, organisation, level: str):
    response = svc.response_for(campaign, organisation, "browser")
    svc.answer_save(response=response, question=first_question(campaign), text="Une réponse.")
    svc.response_submit(response=response)
    response.refresh_from_db()
    response.resource.confidentiality = level
    response.resource.save()
    return response


@pytest.mark.parametrize(
    "role, level, expected",
    [
        ("team", Confidentiality.FACILITATORS, 404),
        ("team", Confidentiality.PROGRAMME, 200),
        ("contributor", Confidentiality.FACILITATORS, 404),
        ("contributor", Confidentiality.PROGRAMME, 200),
        ("facilitator", Confidentiality.FACILITATORS, 200),
        ("reader", Confidentiality.PUBLISHED, 404),  # readers read no response page
    ],
)
def test_a_response_follows_its_resource_level(client, world, role, level, expected):
    campaign = logbook(world)
    response = _submitted(world, campaign, world.lead, level)
    client.force_login(world.users[role])
    url = reverse("collection:response", args=[world.programme.slug, campaign.pk, world.lead.pk])
    assert client.get(url).status_code == expected
    page = client.get(reverse("collection:campaign", args=[world.programme.slug, campaign.pk]))
    if role in ("team", "facilitator"):
        assert (url in page.content.decode()) == (expected == 200)
    assert response.resource.confidentiality == level


def test_draft_campaigns_stay_out_of_filters(client, world):
    open_one = logbook(world)
    draft = logbook(world, status=Campaign.Status.DRAFT)
    # a published resource of the draft campaign: its library facet must not name the draft
    resource_create(
        programme=world.programme,
        text="Texte publié.",
        meta=ResourceMeta(title="Publié", campaign_id=draft.pk, confidentiality="published"),
    )
    slug = world.programme.slug
    for role, sees_draft in (("reader", False), ("contributor", False), ("facilitator", True)):
        client.force_login(world.users[role])
        search = client.get(reverse("corpus:search", args=[slug])).context["campaigns"]
        assert open_one in search and (draft in search) == sees_draft, role
        counts = client.get(reverse("collection:library", args=[slug])).context["filter_counts"]
        named = {int(v.value) for v in counts["campaign"]}
        assert named == ({draft.pk} if sees_draft else set()), role


def test_progress_box_counts_only_visible_resources(client, material):
    slug = material.programme.slug
    url = reverse("corpus:progress", args=[slug])
    for role, seen in SEES.items():
        client.force_login(material.users[role])
        box = client.get(url).context
        assert (box["processed"], box["resources"]) == (len(seen), len(seen)), role
        hidden = material.resources["facilitators_own"].pk
        answer = client.get(url, {"resource": hidden}).status_code
        assert answer == (200 if "facilitators_own" in seen else 404), role
