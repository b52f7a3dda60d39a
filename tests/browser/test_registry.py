"""A facilitator opens the actor map, clicks an organisation, and creates a pilot operation."""

from recolte.registry.models import PilotOperation
from recolte.testing import PASSWORD, make_world


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_actor_map_and_pilot_form(live_server, browser_page, transactional_db):
    world = make_world()
    page = browser_page
    log_in(page, live_server, world.users["facilitator"].username)

    page.goto(f"{live_server.url}/p/prog/map/actors/")
    nodes = page.locator("#actor-map svg a[data-org-id]")
    assert nodes.count() == 2
    box = nodes.first.bounding_box()
    assert box and box["width"] > 0
    org_id = nodes.nth(1).get_attribute("data-org-id")
    nodes.nth(1).locator("circle").click()
    page.wait_for_url(f"**/p/prog/organisations/{org_id}/")
    assert page.locator("h1").inner_text()

    page.goto(f"{live_server.url}/p/prog/pilots/new/")
    page.fill("#id_title", "Jardins partagés")
    page.fill("#id_code", "jardins")
    page.select_option("#id_lead", str(world.partner.pk))
    page.select_option("#id_countries", ["ML"])
    page.select_option("#id_partnerships-0-organisation", str(world.lead.pk))
    page.fill("#id_partnerships-0-role", "appui technique")
    page.click("button.primary")
    page.wait_for_url("**/p/prog/pilots/*/")
    assert page.locator("h1").inner_text() == "Jardins partagés"
    assert "appui technique" in page.content()
    assert PilotOperation.objects.get(code="jardins").partnerships.count() == 1
