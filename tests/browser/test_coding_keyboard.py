"""A facilitator codes a passage and removes the coding without touching the mouse."""

from playwright.sync_api import expect

from recolte.coding.models import Coding
from recolte.coding.tests.helpers import code, version
from recolte.testing import make_world
from tests.browser.test_coding import log_in

TEXT = "Le comité de gestion se réunit chaque mois.\n\nLa commune finance le puits."


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until `selector` has the focus: it is reachable in the tab order."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with Tab")


def settled(page) -> None:
    """Wait until the page has handled the events a key press queued (selectionchange)."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => setTimeout(done)))")


def test_code_and_uncode_a_passage_with_the_keyboard_only(
    live_server, browser_page, transactional_db
):
    world = make_world()
    v = version(world.programme, TEXT, organisations=[world.lead])
    code(world.programme, "inter", name="Interconnaissance", colour="#3366aa")
    code(world.programme, "interets", name="Intérêts partagés", colour="#aa3333")
    code(world.programme, "gouv", name="Gouvernance", colour="#33aa66")
    page = browser_page
    log_in(page, live_server, world.users["facilitator"].username)
    page.goto(f"{live_server.url}/p/prog/coding/resources/{v.resource.pk}/")

    tab_to(page, "#coding-text")
    page.keyboard.press("Control+Home")
    # The caret starts before the block's margin (not text): a step or two select nothing.
    status = page.locator("#selection-status")
    for _ in range(len("Le comité") + 3):
        page.keyboard.press("Shift+ArrowRight")
        settled(page)
        if status.inner_text() == "« Le comité »":
            break
    expect(status).to_have_text("« Le comité »")
    page.keyboard.press("c")
    assert page.evaluate("document.activeElement.id") == "code-filter"
    page.keyboard.type("inte")  # both "Inter…" codes, accents folded
    options = page.locator("#code-list [role=option]")
    assert options.count() == 2
    page.keyboard.press("ArrowDown")
    active = page.locator('#code-list [aria-selected="true"]')
    assert active.inner_text() == "Intérêts partagés"
    # Screen readers follow the active option from the filter, which keeps the focus.
    assert page.locator("#code-filter").get_attribute("aria-activedescendant") == (
        active.get_attribute("id")
    )
    page.keyboard.press("Enter")

    page.locator("mark.coded").first.wait_for()
    coding = Coding.objects.get()
    assert (coding.start, coding.end, coding.code.key) == (0, 9, "interets")

    # The coding's entry in the list, then its "Remove" button, each reached with Tab.
    tab_to(page, "#coding-list li button")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.closest('#coding-list li') !== null")
    page.locator("#coding-list .coding-tools").wait_for()
    tab_to(page, "#coding-list .coding-tools button")
    assert page.evaluate("document.activeElement.textContent") == "Retirer"
    page.keyboard.press("Enter")
    page.locator("mark.coded").wait_for(state="detached")
    assert not Coding.objects.exists()
