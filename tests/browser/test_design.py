"""What a person sees of the design system: controls that stand out from their background, a
question before a public or irreversible action, branded error pages, readable heat maps, and
staff pages that fit a phone."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from recolte.coding.services import coding_create
from recolte.coding.tests.helpers import code, version
from recolte.collection.models import Campaign
from recolte.collection.services import ResourceMeta, resource_create
from recolte.portal import services as publishing
from recolte.registry.models import Organisation
from recolte.synthesis.models import CampaignSynthesis
from recolte.testing import PASSWORD, make_world

# WCAG contrast of an element's text against the first opaque background behind it.
CONTRAST = """element => {
  const rgb = s => s.match(/[\\d.]+/g).map(Number);
  const lum = c => {
    const [r, g, b] = c.slice(0, 3).map(v => {
      v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  let back = element;
  while (back && (rgb(getComputedStyle(back).backgroundColor)[3] ?? 1) === 0) {
    back = back.parentElement;
  }
  const bg = back ? rgb(getComputedStyle(back).backgroundColor) : [255, 255, 255];
  const [a, b] = [lum(rgb(getComputedStyle(element).color)), lum(bg)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""
FITS = "document.documentElement.scrollWidth"


def log_in(page: Page, url: str, username: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        locale="fr-FR", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def english_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_unpublish_is_visible_and_asks_before_withdrawing(
    live_server, browser_page, transactional_db
):
    world = make_world()
    publishing.pilot_publish(world.pilot, by=None)
    page = browser_page
    log_in(page, live_server.url, world.users["facilitator"].username)
    page.goto(f"{live_server.url}/p/prog/publication/")
    unpublish = page.locator(f"#publication-pilot-{world.pilot.pk} button[value=unpublish]")
    assert unpublish.inner_text() == "Retirer du portail"
    assert unpublish.evaluate(CONTRAST) >= 4.5  # was white on near-white
    assert "danger" in unpublish.get_attribute("class")

    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    unpublish.click()
    assert asked == ["Retirer ceci du portail public\u00a0?"]
    world.pilot.refresh_from_db()
    assert world.pilot.is_published  # dismissed: nothing withdrawn

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        unpublish.click()
    assert "Retiré du portail public" in page.locator(".messages").inner_text()
    world.pilot.refresh_from_db()
    assert not world.pilot.is_published
    publish = page.locator(f"#publication-pilot-{world.pilot.pk} button[value=publish]")
    assert publish.evaluate(CONTRAST) >= 4.5


def test_an_empty_synthesis_is_not_published(live_server, english_page, transactional_db):
    world = make_world()
    campaign = Campaign.objects.create(
        programme=world.programme, title="Logbook 3", instrument="field_logbook"
    )
    page = english_page
    log_in(page, live_server.url, world.users["facilitator"].username)
    page.goto(f"{live_server.url}/p/prog/synthesis/campaigns/{campaign.pk}/")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    with page.expect_navigation():
        page.get_by_role("button", name="Publish", exact=True).click()
    assert asked == ["Put this synthesis on the public portal? Anyone will be able to read it."]
    refusal = page.locator(".messages .msg-error").inner_text()
    assert refusal.startswith("This synthesis has nothing to publish yet")
    assert not CampaignSynthesis.objects.get(campaign=campaign).is_published


def test_buttons_of_each_kind_read_clearly(live_server, browser_page, transactional_db):
    world = make_world()
    page = browser_page
    log_in(page, live_server.url, world.users["facilitator"].username)
    page.goto(f"{live_server.url}/p/prog/coding/")
    for selector in ("button.primary", "button.secondary", "header button.link-like"):
        button = page.locator(selector).first
        assert button.evaluate(CONTRAST) >= 4.5, selector
    # A secondary button is not a browser default: it has the design system's background.
    background = page.locator("button.secondary").first.evaluate(
        "b => getComputedStyle(b).backgroundColor"
    )
    assert background == "rgb(232, 238, 234)"


def test_error_pages_are_branded_and_lead_somewhere(
    live_server, english_page, browser_page, transactional_db
):
    page = english_page
    response = page.goto(f"{live_server.url}/no/such/page/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "This page does not exist"
    assert page.locator("header .brand").is_visible()
    page.get_by_role("link", name="Public portal").click()
    page.wait_for_url("**/public/")

    response = browser_page.goto(f"{live_server.url}/accounts/logout/")  # POST only
    assert response.status == 405
    assert "ne s’ouvre pas de cette façon" in browser_page.locator("h1").inner_text()
    icon = browser_page.goto(f"{live_server.url}/favicon.ico")
    assert icon.status == 200 and "svg" in icon.headers["content-type"]


def test_heat_map_cells_darken_with_the_count_and_stay_readable(
    live_server, browser_page, transactional_db
):
    world = make_world()
    user = world.users["facilitator"]
    theme = code(world.programme, "t", name="Thème")
    often = version(world.programme, "Un. Deux. Trois. Quatre.", organisations=[world.lead])
    once = version(world.programme, "Cinq.", organisations=[world.partner])
    for start in (0, 4, 10, 17):
        coding_create(version=often, start=start, end=start + 3, code=theme, coder=user)
    coding_create(version=once, start=0, end=4, code=theme, coder=user)
    page = browser_page
    log_in(page, live_server.url, user.username)
    page.goto(f"{live_server.url}/p/prog/coding/analysis/matrix/?attribute=nature&measure=codings")
    dark = page.locator('#matrix tr[data-key="t"] td[data-value="ngo"]')
    light = page.locator('#matrix tr[data-key="t"] td[data-value="local_authority"]')
    assert (dark.get_attribute("data-heat"), light.get_attribute("data-heat")) == ("5", "2")
    shade = "td => getComputedStyle(td).backgroundColor"
    assert dark.evaluate(shade) != light.evaluate(shade)
    for cell in (dark, light):  # light text on the dark cell, dark text on the light one
        assert cell.locator("a").evaluate(CONTRAST) >= 4.5


def test_staff_pages_fit_a_390_px_phone(live_server, phone, transactional_db):
    world = make_world()
    long_name = Organisation.objects.create(
        programme=world.programme,
        name="Association intercommunale pour le développement durable des territoires",
        acronym="AIDDT-SAHEL-OUEST",
    )
    for n in range(3):
        meta = ResourceMeta(
            title=f"Compte rendu de la réunion de capitalisation n°{n} avec les partenaires",
            organisations=[world.lead, world.partner, long_name],
            language="fr",
        )
        resource_create(programme=world.programme, text="Texte.", meta=meta)
    publishing.pilot_publish(world.pilot, by=None)
    log_in(phone, live_server.url, world.users["facilitator"].username)
    for path in (
        "/p/prog/library/",
        "/p/prog/publication/",
        "/p/prog/coding/",
        "/p/prog/coding/analysis/matrix/",
        "/p/prog/coding/analysis/cooccurrence/",
        "/p/prog/campaigns/",
        "/p/prog/records/",
        "/p/prog/tracking/",
        "/p/prog/synthesis/",
        "/no/such/page/",
    ):
        phone.goto(f"{live_server.url}{path}")
        assert phone.evaluate(FITS) <= 390, path
    phone.goto(f"{live_server.url}/p/prog/library/")
    assert phone.locator("#library-table tbody tr").count() == 3
