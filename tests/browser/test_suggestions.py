"""A facilitator accepts a suggestion with one key, picks another code, sees the matrix."""

from recolte.coding.models import Coding
from recolte.coding.services import training
from recolte.coding.tests.suggest_fixtures import (
    UNCODED,
    fake_embedder,  # noqa: F401  (fixture)
    make_codes,
    make_passages,
)
from recolte.testing import PASSWORD, make_world


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_accept_a_suggestion_with_one_key_and_see_it_in_the_matrix(
    live_server,
    browser_page,
    transactional_db,
    fake_embedder,  # noqa: F811
):
    world = make_world()
    make_codes(world.programme)
    passages = make_passages(world.programme, UNCODED)
    passages[0].resource.organisations.set([world.lead])
    training.model_train(programme=world.programme)
    training.suggestions_refresh(programme=world.programme)
    top = passages[0].suggestions.get(rank=1).code
    page = browser_page
    log_in(page, live_server, world.users["facilitator"].username)

    page.goto(f"{live_server.url}/p/prog/coding/review/")
    assert page.locator("#review-passage").inner_text() == UNCODED[0]
    assert page.locator("[data-accept]").count() == 3
    page.keyboard.press("1")
    page.locator(f'#review-passage[data-passage="{passages[1].pk}"]').wait_for()
    coding = Coding.objects.get()
    assert coding.code == top and coding.passage == passages[0]
    assert coding.coder == world.users["facilitator"] and coding.assistant == "recolte-suggest 1"

    page.keyboard.press("p")
    page.keyboard.type("enseignants")
    assert page.locator("#pick-list li:not([hidden]) button").count() == 1
    page.keyboard.press("Enter")
    page.locator(f'#review-passage[data-passage="{passages[2].pk}"]').wait_for()
    assert Coding.objects.get(passage=passages[1]).code.key == "ecole.maitres"
    page.keyboard.press("n")  # skipping past the last passage comes back to it
    page.wait_for_url("**/review/?pos=1")
    assert page.locator("#review-passage").get_attribute("data-passage") == str(passages[2].pk)

    page.goto(f"{live_server.url}/p/prog/coding/analysis/matrix/?attribute=nature")
    cell = page.locator(f'#matrix tr[data-key="{top.key}"] td[data-value="ngo"]')
    assert cell.inner_text() == "1"
