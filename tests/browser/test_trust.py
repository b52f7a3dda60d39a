"""What the trust round changed, done as a person would: a lockout after wrong passwords, a
publication that is a snapshot, the audit log, a person's data exported and erased, and an
answer through an invitation link on a phone."""

import json
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Browser, Page

from recolte.access import audit
from recolte.collection import services as svc
from recolte.collection.models import Campaign, Response
from recolte.registry.models import Person
from recolte.synthesis.models import CampaignSynthesis
from recolte.testing import PASSWORD, make_world


def log_in(page: Page, url: str, username: str, password: str = PASSWORD) -> int:
    """Fill the login form and submit it; the status of the page it leads to."""
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation() as landed:
        page.click("main button[type=submit]")
    return landed.value.status


def switch_to_english(page: Page) -> None:
    with page.expect_navigation():
        page.click(".lang-switch button[value=en]")


def test_wrong_passwords_lock_the_account_on_a_branded_page(
    live_server, browser_page, transactional_db
):
    world = make_world()
    page, user = browser_page, world.users["reader"].username
    for _ in range(settings.LOGIN_RATE_LIMIT - 1):
        assert log_in(page, live_server.url, user, "mauvais") == 200
        assert page.title().startswith("Se connecter")
    assert log_in(page, live_server.url, user, "mauvais") == 429
    # The lockout page is the site's own, in French, with its top bar and language switch.
    assert "Trop de tentatives" in page.locator("main [role=alert]").inner_text()
    assert page.locator("header .brand").is_visible()
    assert log_in(page, live_server.url, user) == 429  # the right password, still refused
    switch_to_english(page)
    assert log_in(page, live_server.url, user) == 429
    assert "Too many failed attempts" in page.locator("main [role=alert]").inner_text()
    page.goto(f"{live_server.url}/p/prog/")
    assert "/accounts/login/" in page.url  # never signed in


def test_a_published_synthesis_is_a_snapshot_until_published_again(
    live_server, browser_page, transactional_db
):
    world = make_world()
    world.programme.is_published = True
    world.programme.save()
    campaign = Campaign.objects.create(
        programme=world.programme, title="Carnet de route n°2", instrument="field_logbook"
    )
    synthesis = CampaignSynthesis.objects.create(campaign=campaign, text="Première analyse.")
    page = browser_page
    log_in(page, live_server.url, world.users["facilitator"].username)
    staff_url = f"{live_server.url}/p/prog/synthesis/campaigns/{campaign.pk}/"
    public_url = f"{live_server.url}/public/prog/syntheses/{synthesis.pk}/"
    page.on("dialog", lambda dialog: dialog.accept())  # "Put this synthesis on the portal?"

    page.goto(staff_url)
    page.get_by_role("button", name="Publier", exact=True).click()
    page.wait_for_load_state()
    page.goto(public_url)
    assert "Première analyse." in page.locator("main").inner_text()

    page.goto(staff_url)
    overall = page.locator("section.card").first
    overall.locator("textarea").fill("Analyse remaniée après la réunion.")
    overall.get_by_role("button", name="Enregistrer").click()
    page.wait_for_selector("#changed-since-publication")
    assert "Modifié depuis la publication" in page.inner_text("#changed-since-publication")
    page.goto(public_url)
    public = page.locator("main").inner_text()
    assert "Première analyse." in public and "remaniée" not in public

    page.goto(staff_url)
    page.get_by_role("button", name="Publier à nouveau").click()
    page.wait_for_load_state()
    assert page.locator("#changed-since-publication").count() == 0
    page.goto(public_url)
    public = page.locator("main").inner_text()
    assert "Analyse remaniée après la réunion." in public and "Première" not in public


def test_an_admin_filters_the_audit_log_and_downloads_it(
    live_server, browser_page, transactional_db, tmp_path: Path
):
    world = make_world()
    facilitator, team = world.users["facilitator"], world.users["team"]
    audit.record(user=facilitator, verb=audit.Verb.EXPORT, target=world.lead)
    audit.record(user=team, verb=audit.Verb.VIEW, target=world.partner)
    page = browser_page
    log_in(page, live_server.url, world.users["admin"].username)

    page.goto(f"{live_server.url}/p/prog/audit/")
    assert page.locator("main tbody tr").count() == 2
    page.fill("input[name=user]", team.username)
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**user=**")
    rows = page.locator("main tbody tr")
    assert rows.count() == 1 and "BETA" in rows.inner_text()
    switch_to_english(page)  # the filter survives the switch: it is in the address
    with page.expect_download() as download:
        page.get_by_role("link", name="Export (CSV)").click()
    saved = tmp_path / "audit.csv"
    download.value.save_as(saved)
    lines = saved.read_text(encoding="utf-8-sig").strip().splitlines()
    assert len(lines) == 2, lines  # the header and the one filtered event
    assert team.username in lines[1] and facilitator.username not in lines[1]


def test_staff_exports_then_erases_a_persons_name(
    live_server, browser_page, transactional_db, tmp_path: Path
):
    world = make_world()
    person = Person.objects.create(
        organisation=world.lead, first_name="Awa", last_name="Diallo", email="awa@alpha.org"
    )
    page = browser_page
    log_in(page, live_server.url, world.users["facilitator"].username)
    org_url = f"{live_server.url}/p/prog/organisations/{world.lead.pk}/"

    page.goto(org_url)
    assert "Awa Diallo" in page.locator("main").inner_text()
    page.get_by_role("link", name="données personnelles").click()
    page.wait_for_url(f"**/people/{person.pk}/privacy/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter tout ce qui est conservé (JSON)").click()
    saved = tmp_path / "person.json"
    download.value.save_as(saved)
    assert "awa@alpha.org" in json.dumps(json.loads(saved.read_text(encoding="utf-8")))

    confirm = page.locator("input[name=confirm]")
    confirm.fill("Awa Dialo")  # a typo: refused, nothing erased
    page.get_by_role("button", name="Effacer", exact=True).click()
    page.wait_for_selector(".errorlist")
    assert Person.objects.get(pk=person.pk).first_name == "Awa"
    page.locator("input[name=confirm]").fill("awa diallo")
    page.get_by_role("button", name="Effacer", exact=True).click()
    page.wait_for_url(f"**/people/{person.pk}/privacy/")
    assert f"P-{person.pk}" in page.locator("h1").inner_text()

    page.goto(org_url)
    main = page.locator("main").inner_text()
    assert "Diallo" not in main and f"P-{person.pk}" in main


def invitation_on_a_phone(browser: Browser) -> tuple[Page, Campaign, int, str]:
    """A campaign open to the lead organisation, its link, and a 390 px wide touch screen."""
    world = make_world()
    campaign = svc.campaign_create(
        programme=world.programme,
        title="Carnet de route n°1 : ce que nous avons appris avec nos partenaires",
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
    context = browser.new_context(
        locale="fr-FR", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(10_000)
    return context.new_page(), campaign, question.pk, token


def scrolls_sideways(page: Page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def test_a_partner_answers_through_an_invitation_link_on_a_phone(
    live_server, browser: Browser, transactional_db
):
    page, campaign, question, token = invitation_on_a_phone(browser)
    try:
        page.goto(f"{live_server.url}/invitation/{token}/")
        field = page.locator(f"#q-{question}")
        field.tap()
        field.press_sequentially("La mairie connaît le terrain.", delay=5)
        page.wait_for_selector("#autosave-status[data-state=saved]")
        page.locator("a[data-flush]").tap()
        page.wait_for_url(f"**/invitation/{token}/submit/")
        assert not scrolls_sideways(page), "the confirmation page scrolls sideways at 390 px"
        page.locator("#confirm-submit").tap()
        page.wait_for_url(f"**/invitation/{token}/")
    finally:
        page.context.close()
    response = Response.objects.get(campaign=campaign)
    assert response.status == Response.Status.SUBMITTED
    assert "La mairie connaît le terrain." in response.resource.current.text


# The DOCX upload form (`form.card`) was once 405 px wide in a 390 px viewport.
def test_the_answering_page_fits_a_phone(live_server, browser: Browser, transactional_db):
    page, _campaign, _question, token = invitation_on_a_phone(browser)
    try:
        page.goto(f"{live_server.url}/invitation/{token}/")
        assert not scrolls_sideways(page)
    finally:
        page.context.close()
