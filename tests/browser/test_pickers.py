"""Searchable pickers, partner rows added without saving, and quote attribution, as a
facilitator sees them in chromium; and the actor map's labels as the browser draws them."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from playwright.sync_api import Page, expect

from recolte.access.models import Membership, Role
from recolte.coding.models import Quote
from recolte.coding.services import coding_create
from recolte.coding.tests.helpers import code, version
from recolte.portal.demo import demo_load
from recolte.registry.models import Organisation, Person, PilotOperation, Programme
from recolte.testing import make_world

from .test_registry import log_in


def pick(page: Page, field_id: str, typed: str, option: str) -> None:
    """Choose in a Tom Select picker with the keyboard: type, the first match is active, Enter."""
    search(page, field_id, typed)
    wrapper = page.locator(f"#{field_id} + .ts-wrapper")
    expect(wrapper.locator(".ts-dropdown .option.active")).to_have_text(option)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")  # a multiple picker stays open for more choices
    expect(wrapper.locator(".ts-dropdown")).to_be_hidden()


def search(page: Page, field_id: str, typed: str) -> None:
    field = page.locator(f"#{field_id}-ts-control")
    field.focus()  # as Tab does: once a single picker has a value its input is off screen
    expect(field).to_be_focused()
    page.keyboard.type(typed)


@pytest.fixture
def countries(transactional_db):
    """The countries of the data migration, which an earlier browser test's flush emptied."""
    importlib.import_module("recolte.registry.migrations.0002_load_countries").load(apps, None)


def test_country_picker_and_partner_rows(live_server, browser_page, countries):
    world = make_world()
    Organisation.objects.create(
        programme=world.programme, name="Coopérative Gamma", acronym="GAMMA", nature="cooperative"
    )
    page = browser_page
    log_in(page, live_server, world.users["facilitator"].username)
    page.goto(f"{live_server.url}/p/prog/pilots/new/")
    page.fill("#id_title", "Jardins partagés")
    page.fill("#id_code", "jardins")
    pick(page, "id_lead", "Beta", "BETA")
    # ~250 countries: typing finds them, and a plain click keeps the earlier choices.
    pick(page, "id_countries", "Mal", "Mali")
    pick(page, "id_countries", "Séné", "Sénégal")
    pick(page, "id_countries", "Bénin", "Bénin")
    expect(page.locator("#id_countries + .ts-wrapper .item")).to_have_count(3)

    # Partner rows come without saving; a removed row is not saved.
    rows = page.locator("table[data-formset] tbody tr:visible")
    expect(rows).to_have_count(1)
    page.click("button[data-formset-add]")
    expect(rows).to_have_count(2)
    page.click("button[data-formset-add]")
    expect(rows).to_have_count(3)
    pick(page, "id_partnerships-0-organisation", "Alpha", "ALPHA")
    page.fill("#id_partnerships-0-role", "appui technique")
    pick(page, "id_partnerships-1-organisation", "Alpha", "ALPHA")  # then removed
    pick(page, "id_partnerships-2-organisation", "Gamma", "GAMMA")
    rows.nth(1).locator("button[data-formset-remove]").click()
    expect(rows).to_have_count(2)
    page.click("button.primary")
    expect(page.locator("h1")).to_have_text("Jardins partagés")  # the saved pilot's page

    pilot = PilotOperation.objects.get(code="jardins")
    assert set(pilot.countries.values_list("code", flat=True)) == {"ML", "SN", "BJ"}
    assert {p.organisation.acronym for p in pilot.partnerships.all()} == {"ALPHA", "GAMMA"}
    page.goto(f"{live_server.url}/p/prog/pilots/{pilot.pk}/edit/")
    chosen = page.locator("#id_countries + .ts-wrapper .item")
    expect(chosen).to_have_count(3)  # kept when the form comes back
    rows = page.locator("table[data-formset] tbody tr:visible")
    expect(rows).to_have_count(3)  # two saved partners and one empty row


def _coding(world):
    v = version(world.programme, "Nous avons appris à travailler ensemble.", organisations=[])
    theme = code(world.programme, "t1", name="Coopération")
    return coding_create(version=v, start=0, end=20, code=theme, coder=world.users["facilitator"])


def test_quote_person_fills_the_organisation_and_anonymous_quotes(
    live_server, browser_page, transactional_db
):
    world = make_world()
    # Homonyms in two organisations: the picker tells them apart by organisation.
    awa_beta = Person.objects.create(organisation=world.partner, first_name="Awa", last_name="Diop")
    Person.objects.create(organisation=world.lead, first_name="Awa", last_name="Diop")
    coding = _coding(world)
    page = browser_page
    log_in(page, live_server, world.users["facilitator"].username)
    page.goto(live_server.url + reverse("coding:coding_detail", args=["prog", coding.pk]))

    control = page.locator("#id_person + .ts-wrapper .ts-control")
    height = control.bounding_box()["height"]
    search(page, "id_person", "Awa")
    options = page.locator("#id_person + .ts-wrapper .ts-dropdown .option")
    expect(options).to_have_count(2)
    assert sorted(options.all_inner_texts()) == ["Awa Diop — ALPHA", "Awa Diop — BETA"]
    options.filter(has_text="BETA").click()
    # The choice made, the picker keeps its height: the button below stays where it was.
    assert abs(control.bounding_box()["height"] - height) < 1
    organisation = page.locator("#id_organisation")
    expect(organisation).to_have_value(str(world.partner.pk))

    # Nobody named and not anonymous: refused with a message, nothing saved.
    page.evaluate(
        "() => { document.getElementById('id_person').tomselect.clear();"
        " document.getElementById('id_organisation').tomselect.clear(); }"
    )
    page.fill("#id_person_name", "")
    page.click("form.form button.primary")
    expect(page.locator(".errors[role=alert]")).to_contain_text("anonym")
    assert not Quote.objects.exists()

    page.check("#id_anonymous")
    page.click("form.form button.primary")
    expect(page.locator("blockquote footer")).to_contain_text("anonyme")
    quote = Quote.objects.get()
    assert quote.anonymous and quote.person is None
    page.goto(live_server.url + reverse("coding:quotes", args=["prog"]))
    assert "()" not in page.locator("main").inner_text()
    assert awa_beta.pk  # the homonym stays in the registry, only not named on the quote


def test_actor_map_labels_do_not_overlap_as_drawn(live_server, browser_page, countries):
    demo_load()
    world = make_world()
    programme = Programme.objects.get(slug="caac")
    Membership.objects.create(user=world.users["reader"], programme=programme, role=Role.READER)
    page = browser_page
    log_in(page, live_server, world.users["reader"].username)
    page.goto(f"{live_server.url}/p/caac/map/actors/")
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('#actor-map svg text.label')].map(t => {
             const b = t.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; })"""
    )
    assert len(boxes) > 20
    clashes = [
        (a, b)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    ]
    assert not clashes
