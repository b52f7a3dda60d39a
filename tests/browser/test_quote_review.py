"""Quotations found in text as a facilitator reviews them in chromium: the count on the
workbench, the queue, an organisation edited then confirmed, another dismissed for good; a
contributor neither reaches the queue nor sees a way to it."""

import pytest
from playwright.sync_api import expect

from recolte.coding.models import Quote, QuoteDismissal
from recolte.coding.services import coding_create
from recolte.coding.tests.helpers import code, version
from recolte.registry.models import Person
from recolte.testing import make_world

from .test_pickers import countries, pick  # noqa: F401 - countries is a fixture
from .test_registry import log_in

SAID = "« Les opérateurs économiques vont vite et cherchent des résultats concrets »"
OTHER = "« Il n'y a d'enjeux partagés que si deux territoires se posent la même question »"
TEXT = f"Début du passage. {SAID} (Awa, ALPHA, Mali)\n\nSuite. {OTHER} (BETA)"


@pytest.fixture
def world(countries):  # noqa: F811
    world = make_world()
    v = version(world.programme, TEXT, title="Carnet de Sikasso", organisations=[world.lead])
    theme = code(world.programme, "t", name="Interconnaissance")
    coding_create(
        version=v, start=0, end=TEXT.index("\n\n"), code=theme, coder=world.users["admin"]
    )
    Person.objects.create(organisation=world.lead, first_name="Awa", last_name="Diallo")
    world.resource = v.resource
    return world


def test_facilitator_confirms_one_quotation_and_dismisses_another(live_server, browser_page, world):
    page = browser_page
    log_in(page, live_server, world.users["facilitator"].username)
    page.goto(f"{live_server.url}/p/prog/coding/resources/{world.resource.pk}/")
    page.get_by_role("link", name="2 citations trouvées — à examiner").click()
    expect(page.locator("h1")).to_have_text("Citations trouvées dans le texte")
    page.get_by_role("link", name="Toutes les ressources du programme").click()

    cards = page.locator("article.quote-review")
    expect(cards).to_have_count(2)
    viewport = page.viewport_size
    page.set_viewport_size({"width": 360, "height": 740})  # a phone: nothing wider than it
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size(viewport)
    first = cards.first
    expect(first.locator("blockquote")).to_contain_text("résultats concrets")
    # proposed from the registry and the passage's coding
    expect(first.locator("select[name$='-code'] option:checked")).to_have_text("Interconnaissance")
    expect(first.locator("input[name$='-person_name']")).to_have_value("Awa")
    org_id = first.locator("select[name$='-organisation']").get_attribute("id")
    pick(page, org_id, "Beta", "BETA")
    # a focused picker is taller than a closed one: a click that blurs it would land where the
    # button was, so the person leaves the picker first (as after reading the choice back)
    first.locator("blockquote").click()
    first.get_by_role("button", name="Conserver comme citation").click()
    expect(page.locator(".messages")).to_have_text("Citation conservée.")

    expect(cards).to_have_count(1)
    second = cards.first
    expect(second.locator("blockquote")).to_contain_text("même question")
    second.get_by_role("button", name="Pas une citation").click()
    expect(page.locator(".messages")).to_contain_text("Citation écartée")
    expect(cards).to_have_count(0)
    page.reload()
    expect(page.locator(".empty-state")).to_be_visible()

    quote = Quote.objects.get()
    assert quote.organisation == world.partner and quote.person.first_name == "Awa"
    assert quote.coding.code.name == "Interconnaissance" and "résultats" in quote.coding.text
    assert QuoteDismissal.objects.get().text.endswith("même question")


def test_a_contributor_has_no_way_to_the_queue(live_server, browser_page, world):
    page = browser_page
    log_in(page, live_server, world.users["contributor"].username)
    page.goto(f"{live_server.url}{world.resource.get_absolute_url()}")
    expect(page.locator("h1")).to_have_text("Carnet de Sikasso")  # the resource is theirs
    expect(page.locator("a[href*='/quotes/found/']")).to_have_count(0)
    expect(page.get_by_text("citations trouvées")).to_have_count(0)
    response = page.goto(f"{live_server.url}/p/prog/coding/quotes/found/")
    assert response.status in (403, 404)
