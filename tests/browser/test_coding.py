"""A facilitator selects text with the keyboard, codes it from the picker, and sees it counted."""

from recolte.coding.models import Coding
from recolte.coding.tests.helpers import code, version
from recolte.testing import PASSWORD, make_world

TEXT = "Premier 🌱 paragraphe sur la commune.\n\nSecond paragraphe sur l'association."


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_code_with_the_keyboard_and_see_it_in_the_matrix(
    live_server, browser_page, transactional_db
):
    world = make_world()
    v = version(world.programme, TEXT, organisations=[world.lead])
    code(world.programme, "a", name="Autre chose", colour="#aa3333")
    code(world.programme, "inter", name="Interconnaissance", colour="#3366aa")
    page = browser_page
    log_in(page, live_server, world.users["facilitator"].username)

    page.goto(f"{live_server.url}/p/prog/coding/resources/{v.resource.pk}/")
    first = page.locator(".block-text").first
    first.click(position={"x": 1, "y": 5})  # caret at the start of the text
    page.keyboard.press("Home")
    for _ in range(9):  # "Premier 🌱": the emoji is one caret step
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("c")
    page.keyboard.type("inter")
    assert page.locator("#code-list li").count() == 1
    page.keyboard.press("Enter")

    page.locator("mark.coded").first.wait_for()
    assert page.locator("mark.coded").first.inner_text() == "Premier 🌱"
    assert page.locator(".margin-mark").count() == 1
    coding = Coding.objects.get()
    assert (coding.start, coding.end, coding.text) == (0, 9, "Premier 🌱")
    assert coding.code.key == "inter" and coding.coder == world.users["facilitator"]

    page.keyboard.press("Escape")
    page.locator("#coding-text").focus()
    page.keyboard.press("Control+z")
    page.locator("mark.coded").first.wait_for(state="detached")
    assert not Coding.objects.exists()
    page.click("#undo-button")  # undoing the undo is not a thing: nothing more to revert
    first.click(position={"x": 1, "y": 5})
    page.keyboard.press("Home")
    page.keyboard.press("Shift+End")
    page.keyboard.press("c")
    page.keyboard.type("interco")
    page.keyboard.press("Enter")
    page.locator("mark.coded").first.wait_for()

    page.goto(f"{live_server.url}/p/prog/coding/analysis/matrix/?attribute=nature")
    cell = page.locator('#matrix tr[data-key="inter"] td[data-value="ngo"]')
    assert cell.inner_text() == "1"
    cell.locator("a").click()
    page.wait_for_url("**/analysis/matrix/cell/**")
    assert "Premier" in page.locator("main").inner_text()
