"""Search as people see it: the count is the passages containing the words, passages found by
meaning are a labelled part apart, a question is context and not a result, near-duplicates show
once, and only a facilitator may ask why a passage was found."""

import re

import pytest
from playwright.sync_api import Browser, Page

from recolte.collection import services as svc
from recolte.collection.models import Response
from recolte.collection.tests.campaign_fixtures import logbook
from recolte.corpus import engine
from recolte.corpus.pipeline import process_version
from recolte.corpus.tests.conftest import FakeEmbedder
from recolte.corpus.tests.helpers import add
from recolte.testing import make_world
from tests.browser.test_trust import log_in

ANSWER = "Nous avons signé une convention avec la mairie de Gao pour le marché."


@pytest.fixture
def world(transactional_db, monkeypatch):
    monkeypatch.setattr(engine, "embedder", FakeEmbedder)
    world = make_world()
    add(world, "Le forage de Kidal a été réparé par la mairie.", confidentiality="published")
    add(world, "Les élèves de l'école de Mopti ont planté des arbres.", confidentiality="published")
    campaign = logbook(world)
    for organisation in (world.lead, world.partner):  # the same answer in two responses
        response = svc.response_for(campaign, organisation, Response.Channel.BROWSER)
        first, second = campaign.questions.all()
        svc.answer_save(response=response, question=first, text=ANSWER)
        svc.answer_save(response=response, question=second, text="La suite du dialogue.")
        svc.response_submit(response=response)
        response.refresh_from_db()
        process_version(response.resource.current)
    return world


def search(page: Page, url: str, world, query: str) -> None:
    page.goto(f"{url}/p/{world.programme.slug}/search/?q={query}")


def test_facilitator_sees_the_true_count_related_part_and_why(live_server, browser_page, world):
    page = browser_page
    log_in(page, live_server.url, world.users["facilitator"].username)
    search(page, live_server.url, world, "mairie")
    # The forage and both responses contain the word: 3, the two same answers shown once.
    assert page.locator("#result-count").inner_text() == "3 extraits contiennent ces mots"
    matches = page.locator("#matches article")
    assert matches.count() == 2
    answer = matches.filter(has_text="convention")
    assert answer.locator(".hit-question").inner_text() == (
        "Question\u00a0: Quelles coopérations avez-vous nouées ce trimestre ?"
    )
    answer.locator(".hit-similar summary").click()
    assert answer.locator(".hit-similar summary").inner_text() == "et 1 extrait semblable"
    assert answer.locator(".hit-similar li").count() == 1
    # Found by meaning, without the word: under their own heading, never counted above.
    related = page.locator("#related")
    assert related.locator("h2").inner_text() == "Extraits apparentés"
    assert related.locator("article").count() >= 1
    assert "mairie" not in related.locator("article").first.inner_text().lower()
    # No engine badges; the facilitator may open why a passage was found.
    body = page.locator("main").inner_text()
    assert not re.search(r"bm25|vector #", body, re.IGNORECASE)
    why = answer.locator(".hit-why")
    why.locator("summary").click()
    assert "Contient les mots mairie" in why.inner_text()


def test_questions_are_not_results(live_server, browser_page, world):
    page = browser_page
    log_in(page, live_server.url, world.users["facilitator"].username)
    search(page, live_server.url, world, "coopérations trimestre")  # words of a question only
    assert page.locator("#result-count").inner_text() == "0 extrait contient ces mots"
    assert page.locator("#matches article").count() == 0
    # Related passages may be answers, shown with their question as context, never the question.
    texts = page.locator("#related article > p:not(.muted)").all_inner_texts()
    assert texts and not any(t.startswith("Quelles") for t in texts)


@pytest.mark.parametrize("role", ["team", "contributor"])
def test_no_badges_nor_why_for_others(live_server, browser_page, world, role):
    page = browser_page
    log_in(page, live_server.url, world.users[role].username)
    search(page, live_server.url, world, "mairie")
    # The contributor sees the published forage and its own organisation's response only.
    expected = {"team": 3, "contributor": 2}[role]
    assert page.locator("#result-count").inner_text().startswith(f"{expected} extraits")
    assert page.locator("#matches article").count() == 2
    assert page.locator(".hit-why").count() == 0
    assert "Pourquoi ce résultat" not in page.content()
    assert not re.search(r"bm25|vector #", page.locator("main").inner_text(), re.IGNORECASE)


def test_english_and_phone(live_server, browser: Browser, world):
    context = browser.new_context(locale="en-GB", viewport={"width": 375, "height": 740})
    page = context.new_page()
    log_in(page, live_server.url, world.users["facilitator"].username)
    search(page, live_server.url, world, "mairie")
    assert page.locator("#result-count").inner_text() == "3 passages contain these words"
    assert page.locator("#related h2").inner_text() == "Related passages"
    # The results fit the phone's width: nothing to scroll sideways.
    width = page.evaluate("document.querySelector('#search-results').scrollWidth")
    assert width <= 375
    context.close()
