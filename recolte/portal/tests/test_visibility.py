"""Unpublished material never reaches readers or anonymous visitors; published material does."""

import pytest
from django.urls import reverse

from recolte.collection.models import Confidentiality
from recolte.portal.tests.helpers import VISITORS, client_for, resource

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("who", VISITORS)
def test_unpublished_programme_has_no_public_page(world, who):
    world.pilot.is_published = True
    world.pilot.save()
    doc = resource(world, "Le puits de Ménaka.", "Note publiée", Confidentiality.PUBLISHED)
    client = client_for(world, who)
    slug = world.programme.slug
    for name, args in [
        ("programme", [slug]),
        ("pilots", [slug]),
        ("pilot", [slug, world.pilot.code]),
        ("library", [slug]),
        ("resource", [slug, doc.pk]),
        ("syntheses", [slug]),
    ]:
        assert client.get(reverse(f"portal:{name}", args=args)).status_code == 404, name
    assert client.get(reverse("portal:library", args=[slug]), {"q": "puits"}).status_code == 404
    assert world.programme.name not in text(client.get(reverse("portal:index")))


@pytest.mark.parametrize("who", VISITORS)
def test_published_programme_home(published, who):
    client = client_for(published, who)
    assert published.programme.name in text(client.get(reverse("portal:index")))
    home = client.get(reverse("portal:programme", args=[published.programme.slug]))
    assert home.status_code == 200
    assert published.programme.name in text(home)
    assert "programme" not in home.context  # the internal navigation stays hidden
    assert reverse("registry:dashboard", args=[published.programme.slug]) not in text(home)


@pytest.mark.parametrize("who", VISITORS)
def test_unpublished_pilot_sheet_is_invisible(published, who):
    client = client_for(published, who)
    slug = published.programme.slug
    home = client.get(reverse("portal:programme", args=[slug]))
    listing = client.get(reverse("portal:pilots", args=[slug]))
    for page in (home, listing):
        assert published.pilot.title not in text(page)
        assert 'class="has-pilots"' not in text(page)  # its countries are not on the map
    assert home.context["facts"].pilots == 0
    assert home.context["facts"].organisations.n == 0
    sheet = reverse("portal:pilot", args=[slug, published.pilot.code])
    assert client.get(sheet).status_code == 404


@pytest.mark.parametrize("who", VISITORS)
def test_published_pilot_sheet_is_visible(published, who):
    published.pilot.is_published = True
    published.pilot.save()
    client = client_for(published, who)
    slug = published.programme.slug
    home = client.get(reverse("portal:programme", args=[slug]))
    assert published.pilot.title in text(home)
    assert 'data-code="ML"' in text(home) and 'class="has-pilots"' in text(home)
    facts = home.context["facts"]
    assert (facts.pilots, facts.organisations.n) == (1, 2)
    assert {c.code for c in facts.countries} == {"FR", "ML"}
    sheet = client.get(reverse("portal:pilot", args=[slug, published.pilot.code]))
    assert sheet.status_code == 200
    assert published.partner.name in text(sheet) and "co-pilote" in text(sheet)


@pytest.mark.parametrize("who", VISITORS)
@pytest.mark.parametrize("level", [Confidentiality.PROGRAMME, Confidentiality.FACILITATORS])
def test_unpublished_resource_is_invisible(published, who, level):
    hidden = resource(published, "Compte rendu interne du comité.", "Compte rendu interne", level)
    client = client_for(published, who)
    slug = published.programme.slug
    assert client.get(reverse("portal:resource", args=[slug, hidden.pk])).status_code == 404
    for page in ("programme", "library"):
        assert hidden.title not in text(client.get(reverse(f"portal:{page}", args=[slug])))


@pytest.mark.parametrize("who", VISITORS)
def test_published_resource_is_visible_without_people(published, who):
    doc = resource(published, "Les femmes gèrent le puits.", "Fiche puits", "published")
    doc.pilot = published.pilot
    doc.save()
    client = client_for(published, who)
    slug = published.programme.slug
    assert doc.title in text(client.get(reverse("portal:library", args=[slug])))
    assert doc.title in text(client.get(reverse("portal:programme", args=[slug])))
    page = client.get(reverse("portal:resource", args=[slug, doc.pk]))
    assert page.status_code == 200
    passage = doc.passages.get()
    assert f'id="p-{passage.pk}"' in text(page) and "Les femmes gèrent le puits." in text(page)
    assert "ALPHA" in text(page)
    # its pilot sheet is private, so the resource does not link to it
    assert reverse("portal:pilot", args=[slug, published.pilot.code]) not in text(page)


def test_resource_of_another_programme_is_not_reachable(published):
    other = published.other_programme
    other.is_published = True
    other.save()
    doc = resource(published, "Texte public.", "Texte", Confidentiality.PUBLISHED)
    client = client_for(published, "anonymous")
    assert client.get(reverse("portal:resource", args=[other.slug, doc.pk])).status_code == 404
