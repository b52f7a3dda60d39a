"""A partner answers through an invitation link: autosave, reload, submit; the facilitator
sees the submission counted on the tracking page."""

from datetime import timedelta

from django.utils import timezone

from recolte.collection import services as svc
from recolte.collection.models import Campaign, Response
from recolte.testing import PASSWORD, make_world


def test_answer_through_an_invitation_link(live_server, browser_page, transactional_db):
    world = make_world()
    campaign = svc.campaign_create(
        programme=world.programme,
        title="Carnet de route n°1",
        instrument="field_logbook",
        audience=Campaign.Audience.PILOT_LEADS,
        closes_on=timezone.localdate() + timedelta(days=10),
    )
    question = svc.question_add(
        campaign=campaign, text_fr="Qu'avez-vous appris de vos partenaires ?", required=True
    )
    svc.campaign_open(campaign=campaign)
    _, token = svc.invitation_issue(
        campaign=campaign, organisation=world.lead, email="alice@alpha.org"
    )
    page = browser_page

    page.goto(f"{live_server.url}/invitation/{token}/")
    field = page.locator(f"#q-{question.pk}")
    field.click()
    field.press_sequentially("La mairie connaît le terrain mieux que nous.", delay=5)
    page.wait_for_selector("#autosave-status[data-state=saved]")
    # The connection drops while typing: the text waits, then is saved on the retry.
    page.context.set_offline(True)
    field.press_sequentially(" Et la radio locale aussi.", delay=5)
    page.wait_for_selector("#autosave-status[data-state=offline]")
    page.context.set_offline(False)
    page.wait_for_selector("#autosave-status[data-state=saved]", timeout=15_000)
    page.reload()
    assert page.locator(f"#q-{question.pk}").input_value() == (
        "La mairie connaît le terrain mieux que nous. Et la radio locale aussi."
    )
    response = Response.objects.get(campaign=campaign, organisation=world.lead)
    assert response.status == Response.Status.DRAFT

    page.click("a[data-flush]")
    page.wait_for_url(f"**/invitation/{token}/submit/")
    page.click("#confirm-submit")
    page.wait_for_url(f"**/invitation/{token}/")
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED
    assert "La mairie connaît le terrain" in response.resource.current.text

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", world.users["facilitator"].username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/p/prog/campaigns/{campaign.pk}/tracking/")
    assert page.locator("[data-stat=submitted]").inner_text() == "1"
    assert page.locator("#tracking tr[data-state=submitted]").count() == 1
