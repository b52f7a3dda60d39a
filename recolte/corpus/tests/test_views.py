import pytest
from django.test import override_settings
from django.urls import reverse

from recolte.collection.models import Confidentiality
from recolte.corpus.models import Mention, UnknownEntity
from recolte.corpus.tests.helpers import add
from recolte.testing import PASSWORD


@pytest.fixture
def corpus(world):
    add(
        world,
        "Le puits de Ménaka est géré par les femmes et le GRET.",
        organisations=[world.lead],
        confidentiality=Confidentiality.PUBLISHED,
    )
    add(
        world,
        "Note interne sur le puits de Kidal.",
        organisations=[world.partner],
        confidentiality=Confidentiality.FACILITATORS,
    )
    return world


def login(client, world, role):
    assert client.login(username=world.users[role].username, password=PASSWORD)


def test_search_page_api_and_fragment(client, corpus):
    login(client, corpus, "facilitator")
    url = reverse("corpus:search", args=["prog"])
    page = client.get(url, {"q": "menaka"})
    assert page.status_code == 200 and "<mark>Ménaka</mark>" in page.content.decode()
    fragment = client.get(url, {"q": "puits"}, headers={"HX-Request": "true"})
    assert b"<form" not in fragment.content and b"Kidal" in fragment.content
    data = client.get(reverse("corpus:api_search", args=["prog"]), {"q": "puits"}).json()
    assert len(data["hits"]) == 2 and data["hits"][0]["url"].startswith("/p/prog/")


def test_api_hides_other_organisations_material_from_contributor(client, corpus):
    login(client, corpus, "contributor")
    data = client.get(reverse("corpus:api_search", args=["prog"]), {"q": "puits"}).json()
    assert [h["text"][:9] for h in data["hits"]] == ["Le puits "]
    hidden = corpus.programme.passages.get(text__contains="Kidal")
    similar = client.get(reverse("corpus:similar", args=["prog", hidden.pk]))
    assert similar.status_code == 404


def test_outsider_gets_404(client, corpus):
    login(client, corpus, "outsider")
    assert (
        client.get(reverse("corpus:api_search", args=["prog"]), {"q": "puits"}).status_code == 404
    )


def test_unknown_entity_mapped_becomes_alias_and_mention(client, corpus):
    entity = UnknownEntity.objects.get(programme=corpus.programme, surface="GRET")
    login(client, corpus, "reader")
    assert client.get(reverse("corpus:unknown", args=["prog"])).status_code == 403
    login(client, corpus, "facilitator")
    assert b"GRET" in client.get(reverse("corpus:unknown", args=["prog"])).content
    client.post(
        reverse("corpus:unknown_resolve", args=["prog", entity.pk]),
        {"action": "map", "organisation": corpus.partner.pk},
    )
    corpus.partner.refresh_from_db()
    assert "GRET" in corpus.partner.alias_list()
    assert Mention.objects.filter(organisation=corpus.partner, surface="GRET").exists()


def test_progress_fragment(client, corpus):
    add(corpus, "Pas encore traité.", process=False)
    login(client, corpus, "facilitator")  # who sees all three (readers count only theirs)
    body = client.get(reverse("corpus:progress", args=["prog"])).content.decode()
    assert "2 of 3" in body or "2 sur 3" in body
    assert 'hx-trigger="every 3s"' in body


@override_settings(LANGUAGE_CODE="en")
def test_search_page_without_query(client, corpus):
    login(client, corpus, "reader")
    assert client.get(reverse("corpus:search", args=["prog"])).status_code == 200


def test_resource_passages_fragment_has_anchors_and_respects_access(client, corpus):
    published = corpus.programme.resources.get(confidentiality="published")
    hidden = corpus.programme.resources.get(confidentiality="facilitators")
    login(client, corpus, "contributor")
    url = reverse("corpus:resource_passages", args=["prog", published.pk])
    body = client.get(url).content.decode()
    passage = published.passages.get()
    assert f'id="p-{passage.pk}"' in body and "Ménaka" in body
    url = reverse("corpus:resource_passages", args=["prog", hidden.pk])
    assert client.get(url).status_code == 404
