"""The invitation page on a phone (360 px) and with the keyboard only, in the respondent's
language: nothing scrolls sideways, every field has its label, missing answers are listed
before any confirmation and the list takes the focus."""

from datetime import timedelta

import pytest
from django.utils import timezone

from recolte.collection import services as svc
from recolte.collection.models import Campaign, Response
from recolte.testing import make_world

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def invitation(transactional_db):
    world = make_world()
    campaign = svc.campaign_create(
        programme=world.programme,
        title="Carnet de route n°2 — apprentissages partagés entre partenaires",
        instrument="field_logbook",
        audience=Campaign.Audience.PILOT_LEADS,
        closes_on=timezone.localdate() + timedelta(days=10),
    )
    questions = [
        svc.question_add(
            campaign=campaign,
            text_fr="Qu'avez-vous appris de vos partenaires ?",
            text_en="What did you learn from your partners?",
            required=True,
        ),
        svc.question_add(
            campaign=campaign,
            text_fr="Quelle difficulté principale ?",
            text_en="What was the main difficulty?",
            required=True,
        ),
        svc.question_add(campaign=campaign, text_fr="Un commentaire ?", text_en="Any comment?"),
    ]
    svc.campaign_open(campaign=campaign)
    _, token = svc.invitation_issue(
        campaign=campaign, organisation=world.lead, email="alice@alpha.org", language="en"
    )
    return campaign, questions, token


def _phone(browser, locale: str):
    context = browser.new_context(locale=locale, viewport=PHONE)
    context.set_default_timeout(10_000)
    return context, context.new_page()


def _assert_fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide at {PHONE['width']}px"


def test_the_invitation_page_fits_a_phone(live_server, browser, invitation):
    campaign, questions, token = invitation
    context, page = _phone(browser, "fr-FR")
    page.goto(f"{live_server.url}/invitation/{token}/")
    _assert_fits(page)
    # The invitation is in English: the page speaks it though the phone is French.
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_label("1. What did you learn from your partners?").count() == 1
    page.goto(f"{live_server.url}/invitation/{token}/submit/")
    page.wait_for_selector("#problems")
    _assert_fits(page)
    context.close()


def test_keyboard_only_answer_and_submit(live_server, browser, invitation):
    campaign, questions, token = invitation
    context, page = _phone(browser, "en-GB")
    page.goto(f"{live_server.url}/invitation/{token}/")
    first, second, _comment = (page.locator(f"#q-{q.pk}") for q in questions)

    page.keyboard.press("Tab")  # the skip link, or the first thing of the page
    for _ in range(30):
        if page.evaluate("document.activeElement.id") == f"q-{questions[0].pk}":
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("the first question cannot be reached with Tab")
    # The focused field shows it: an outline wider than nothing.
    outline = first.evaluate("el => parseFloat(getComputedStyle(el).outlineWidth)")
    assert outline >= 2
    page.keyboard.type("The town hall knows the ground better than we do.")
    # Submitting with the second required answer empty: no confirmation is offered.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.hasAttribute('data-flush')"):
            break
    else:
        pytest.fail("the submit link cannot be reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/invitation/*/?check#problems")
    problems = page.locator("#problems")
    assert problems.get_attribute("role") == "alert"
    assert page.evaluate("document.activeElement.id") == "problems"
    assert "What was the main difficulty?" in problems.inner_text()
    assert "Quelle" not in problems.inner_text()
    assert page.locator("#confirm-submit").count() == 0
    assert second.get_attribute("aria-invalid") == "true"
    error_id = second.get_attribute("aria-describedby")
    assert "needs an answer" in page.locator(f"#{error_id}").inner_text()
    assert first.input_value() == "The town hall knows the ground better than we do."

    # The error list links to the field: Tab to the link, Enter, and type.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_function(f"document.activeElement.id === 'q-{questions[1].pk}'")
    page.keyboard.type("Transport between villages.")
    page.keyboard.press("Tab")  # leaving the field saves it
    page.wait_for_selector("#autosave-status[data-state=saved]")
    page.locator("[data-flush]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/invitation/{token}/submit/")
    _assert_fits(page)
    assert page.locator("#problems").count() == 0
    page.locator("#confirm-submit").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/invitation/{token}/")
    assert "submitted" in page.locator(".messages").inner_text()
    response = Response.objects.get(campaign=campaign)
    assert response.status == Response.Status.SUBMITTED
    assert "Transport between villages." in response.resource.current.text
    context.close()
