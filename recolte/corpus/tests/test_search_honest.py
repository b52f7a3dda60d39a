"""What a search states is true: the count is the passages with the words, found-by-meaning
passages are apart, near-duplicates are shown once, questions are context, not results."""

import pytest

from recolte.collection import services as svc
from recolte.collection.models import Response
from recolte.collection.tests.campaign_fixtures import logbook
from recolte.corpus.models import Passage
from recolte.corpus.pipeline import process_version
from recolte.corpus.search import RELATED, matched_terms, passages_search
from recolte.corpus.split import Piece, mark_prompts, prompt_spans
from recolte.corpus.tests.helpers import add
from recolte.corpus.tests.test_search import PATHS


def search(world, query, role="facilitator", **kw):
    return passages_search(user=world.users[role], programme=world.programme, query=query, **kw)


@pytest.mark.parametrize("path", PATHS)
def test_count_is_the_passages_containing_the_words(world, monkeypatch, path):
    for (module, name), value in PATHS[path].items():
        monkeypatch.setattr(module, name, value)
    topics = [
        "budget",
        "école",
        "santé",
        "route",
        "marché",
        "puits",
        "forêt",
        "pêche",
        "élevage",
        "radio",
        "crédit",
        "sol",
        "eau",
    ]
    for i in range(12):  # different texts (near-duplicates would be shown as one)
        add(world, f"Le comité a parlé de {' et de '.join(topics[i : i + 3])}.", language="fr")
    add(world, "Le forage de Kidal a été réparé par la commune.", language="fr")
    once = search(world, "forage")
    assert once.total == 1 and [h.passage.text[:9] for h in once.hits] == ["Le forage"]
    assert not once.has_more
    # The vector side always finds neighbours: they are apart and not counted.
    assert 0 < len(once.related) <= RELATED
    assert all("bm25" not in h.parts for h in once.related)
    # Past the first page, the count stays the number of matches; related passages stay on one.
    many = search(world, "comité forage", limit=5, offset=5)
    assert many.total == 13 and len(many.hits) == 5 and many.has_more and not many.related


def test_near_duplicates_shown_once(world):
    same = "Les femmes gèrent le puits du village depuis deux ans."
    add(world, same, language="fr")
    add(world, same.upper(), language="fr")  # case and accents do not make it another text
    add(world, same.replace("depuis", "oui, depuis"), language="fr")  # near-same wording
    add(world, "Le puits neuf est loin du marché.", language="fr")
    results = search(world, "puits")
    assert results.total == 4  # every passage with the word is counted
    assert len(results.hits) == 2
    first, other = results.hits
    assert len(first.similar) == 2 and not other.similar


def test_matched_terms_for_the_why():
    assert matched_terms("Les Collectivités locales", ["collectivite", "eau"]) == ["collectivite"]


def _respond(campaign, organisation, first):
    response = svc.response_for(campaign, organisation, Response.Channel.BROWSER)
    one, two = campaign.questions.all()
    svc.answer_save(response=response, question=one, text=first)
    svc.answer_save(response=response, question=two, text="Le dialogue avec les élus.")
    svc.response_submit(response=response)
    response.refresh_from_db()
    process_version(response.resource.current)
    return response.resource


def test_question_prompts_are_context_not_results(world):
    campaign = logbook(world)
    _respond(campaign, world.lead, "Avec la mairie de Gao.")
    resource = _respond(campaign, world.partner, "Avec les collectivités de Mopti.")
    kinds = list(resource.passages.order_by("ordinal").values_list("kind", flat=True))
    assert kinds == ["prompt", "paragraph", "prompt", "paragraph"]
    # A word of a question only: the question repeated in every response is not found.
    assert search(world, "coopérations trimestre").total == 0
    results = search(world, "collectivités Mopti")
    assert results.total == 1
    (hit,) = results.hits
    assert hit.question == "Quelles coopérations avez-vous nouées ce trimestre ?"
    assert all(h.passage.kind != Passage.Kind.PROMPT for h in results.related)
    # The same answer in two responses is one hit; its question is the second one.
    (dialogue,) = search(world, "dialogue élus").hits
    assert len(dialogue.similar) == 1
    assert dialogue.question == "Quelles questions restent ouvertes ?"


def test_prompt_spans_are_whole_paragraphs():
    text = "Q1 ?\n\nJe cite Q1 ? ici.\n\nQ1 ?"
    assert prompt_spans(text, ["Q1 ?"]) == [(0, 4), (len(text) - 4, len(text))]
    pieces = [Piece(0, 4, "paragraph"), Piece(6, 19, "paragraph")]
    assert [p.kind for p in mark_prompts(pieces, [(0, 4)])] == ["prompt", "paragraph"]
