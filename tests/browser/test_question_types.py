"""A facilitator adds a number question and a conditional one; a respondent on a 360 px phone
sees the conditional question only once its condition is met, answers and submits."""

from datetime import timedelta

import pytest
from django.utils import timezone

from recolte.collection import services as svc
from recolte.collection.models import Campaign, Question, Response
from recolte.testing import PASSWORD, make_world
from tests.browser.test_accessibility import axe_violations

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def campaign(transactional_db):
    world = make_world()
    campaign = svc.campaign_create(
        programme=world.programme,
        title="Question ponctuelle : les temps d'échange",
        instrument="one_off_question",
        audience=Campaign.Audience.PILOT_LEADS,
        closes_on=timezone.localdate() + timedelta(days=10),
    )
    svc.question_add(
        campaign=campaign,
        text_fr="Un temps d'échange a-t-il eu lieu ?",
        text_en="Did an exchange take place?",
        answer_type="yes_no",
        required=True,
    )
    return world, campaign


def test_facilitator_builds_and_respondent_sees_the_condition(live_server, browser, campaign):
    world, campaign = campaign
    context = browser.new_context(locale="fr-FR")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", world.users["facilitator"].username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/p/prog/campaigns/{campaign.pk}/questions/")

    page.fill("#id_text_fr", "Combien de personnes ont participé ?")
    page.fill("#id_text_en", "How many people took part?")
    page.select_option("#id_answer_type", "number")
    page.fill("#id_minimum", "1")
    page.fill("#id_maximum", "200")
    page.check("#id_required")
    page.get_by_role("button", name="Ajouter", exact=True).click()
    page.wait_for_selector("li.card >> text=Combien de personnes ont participé ?")

    gate = campaign.questions.get(answer_type="yes_no")
    page.fill("#id_text_fr", "Qui l'a préparé ?")
    page.fill("#id_text_en", "Who prepared it?")
    page.select_option("#id_condition", f"{gate.pk}:yes")
    page.get_by_role("button", name="Ajouter", exact=True).click()
    page.wait_for_selector("text=Seulement si la réponse à la question 1 est Oui.")
    context.close()

    number, conditional = campaign.questions.exclude(pk=gate.pk)
    assert (number.answer_type, number.minimum, number.maximum) == ("number", 1, 200)
    assert (conditional.show_if, conditional.show_if_values) == (gate, "yes")

    svc.campaign_open(campaign=campaign)
    _, token = svc.invitation_issue(
        campaign=campaign, organisation=world.lead, email="alice@alpha.org", language="fr"
    )
    context = browser.new_context(locale="fr-FR", viewport=PHONE, bypass_csp=True)  # for axe
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/invitation/{token}/")
    hidden_field = page.get_by_label("3. Qui l'a préparé ?")
    assert not hidden_field.is_visible()
    page.get_by_label("Non").check()
    assert not hidden_field.is_visible()
    page.get_by_label("Oui").focus()
    page.keyboard.press("Space")  # the keyboard is enough
    hidden_field.wait_for(state="visible")
    assert axe_violations(page) == []
    hidden_field.fill("Les jeunes du quartier")
    number_field = page.get_by_label("2. Combien de personnes ont participé ?")
    number_field.fill("450")
    number_field.press("Tab")  # leaving the field saves it: refused, with the reason
    page.wait_for_selector("#autosave-status[data-state=refused]")
    assert "au plus 200" in page.locator("#autosave-status").inner_text()
    number_field.fill("35")
    number_field.press("Tab")
    page.wait_for_selector("#autosave-status[data-state=saved]", timeout=20_000)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide at 360px"
    page.click("text=Transmettre…")
    page.wait_for_url(f"**/invitation/{token}/submit/")
    page.click("#confirm-submit")
    page.wait_for_url(f"**/invitation/{token}/")
    context.close()

    response = Response.objects.get(campaign=campaign)
    assert response.status == Response.Status.SUBMITTED
    answers = dict(response.answers.values_list("question__text_fr", "text"))
    assert answers["Combien de personnes ont participé ?"] == "35"
    assert answers["Qui l'a préparé ?"] == "Les jeunes du quartier"
    assert "Les jeunes du quartier" in response.resource.current.text
    assert Question.objects.filter(campaign=campaign).count() == 3
