"""Search on the portal covers published passages only, whoever asks."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from recolte.access.policy import visible_material
from recolte.collection.models import Confidentiality, Resource
from recolte.corpus import search
from recolte.portal import selectors
from recolte.portal.tests.helpers import VISITORS, client_for, resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(published):
    resource(published, "Les femmes gèrent le puits de Ménaka.", "Public", "published")
    resource(published, "Le puits privé du comité de gestion.", "Interne", "programme")
    resource(published, "Notes sur le puits et les conflits.", "Notes", "facilitators")
    return published


def test_anonymous_visitors_see_published_material_only(corpus):
    seen = Resource.objects.filter(visible_material(AnonymousUser(), corpus.programme))
    assert {r.title for r in seen} == {"Public"}


@pytest.mark.parametrize("mode", ["bm25", "vector", "hybrid"])
def test_search_returns_published_passages_only(corpus, mode, monkeypatch):
    real = search.passages_search
    monkeypatch.setattr(selectors, "passages_search", lambda **kw: real(**{**kw, "mode": mode}))
    hits = selectors.search_published(corpus.programme, "puits").hits
    assert [h.passage.resource.title for h in hits] == ["Public"]


def test_explicit_filter_holds_even_if_the_policy_widened(corpus, monkeypatch):
    """The portal does not rely on the access policy alone to hide private passages."""
    monkeypatch.setattr(search, "visible_material", lambda *a, **k: search.Q())
    found = selectors.search_published(corpus.programme, "puits")
    hits = found.hits + found.related
    assert {h.passage.resource.confidentiality for h in hits} == {Confidentiality.PUBLISHED}


def test_related_passages_are_apart_and_not_counted(corpus):
    resource(corpus, "Le marché du lundi.", "Marché", "published")
    resource(corpus, "Le marché privé.", "Marché interne", "programme")
    results = selectors.search_published(corpus.programme, "puits")
    assert results.total == 1 and [h.passage.resource.title for h in results.hits] == ["Public"]
    assert [h.passage.resource.title for h in results.related] == ["Marché"]
    page = client_for(corpus, "anonymous").get(
        reverse("portal:library", args=[corpus.programme.slug]), {"q": "puits"}
    )
    body = page.content.decode()
    related = body[body.index('id="related"') :]
    assert "Marché" in related and "Ménaka" not in related and "interne" not in body


@pytest.mark.parametrize("who", VISITORS)
def test_search_page(corpus, who):
    client = client_for(corpus, who)
    page = client.get(reverse("portal:library", args=[corpus.programme.slug]), {"q": "puits"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "<mark>puits</mark>" in body and "Ménaka" in body
    assert "privé" not in body and "conflits" not in body
    assert page.context["results"].total == 1
    public = Resource.objects.get(title="Public")
    passage = public.passages.get()
    link = reverse("portal:resource", args=[corpus.programme.slug, public.pk])
    assert f"{link}#p-{passage.pk}" in body


def test_withdrawn_resource_leaves_search(corpus):
    Resource.objects.filter(title="Public").update(confidentiality="programme")
    assert selectors.search_published(corpus.programme, "puits").hits == []
