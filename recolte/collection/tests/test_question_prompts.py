"""A campaign's questions, repeated in every response, are the context of its answers: the
corpus keeps them as prompts, which search, the review queue and suggestions leave out."""

import pytest

from recolte.coding import selectors as coding
from recolte.coding.models import Suggestion, SuggestionModel
from recolte.coding.tests.helpers import code
from recolte.collection import services as svc
from recolte.collection.models import Resource, Response
from recolte.collection.selectors import question_prompts
from recolte.collection.tests.campaign_fixtures import logbook
from recolte.corpus import engine
from recolte.corpus.models import Passage
from recolte.corpus.pipeline import process_version
from recolte.corpus.tests.conftest import FakeEmbedder


@pytest.fixture
def response(world, monkeypatch):
    monkeypatch.setattr(engine, "embedder", FakeEmbedder)
    campaign = logbook(world)
    response = svc.response_for(campaign, world.lead, Response.Channel.BROWSER)
    first, second = campaign.questions.all()
    svc.answer_save(response=response, question=first, text="Avec la mairie.\n\nEt l'école.")
    svc.answer_save(response=response, question=second, text="Le budget.")
    svc.response_submit(response=response)
    response.refresh_from_db()
    process_version(response.resource.current)
    return response


def test_prompts_are_the_campaign_questions_of_a_response(world, response):
    assert set(question_prompts(response.resource)) == {  # in every language they have
        "Quelles questions restent ouvertes ?",
        "Quelles coopérations avez-vous nouées ce trimestre ?",
        "Which cooperations did you build this quarter?",
    }
    other = Resource.objects.create(programme=world.programme, title="Note")
    assert question_prompts(other) == []


def test_a_response_is_cut_into_its_answers_after_their_questions(response):
    passages = response.resource.passages.order_by("ordinal")
    assert [(p.kind, p.text) for p in passages] == [
        ("prompt", "Quelles coopérations avez-vous nouées ce trimestre ?"),
        ("paragraph", "Avec la mairie."),  # an answer of two paragraphs: both are answers
        ("paragraph", "Et l'école."),
        ("prompt", "Quelles questions restent ouvertes ?"),
        ("paragraph", "Le budget."),
    ]


def test_prompts_are_never_in_the_review_queue(world, response):
    model = SuggestionModel.objects.create(
        programme=world.programme, name="m", version=1, status=SuggestionModel.Status.READY
    )
    label = code(world.programme, "1")
    for passage in response.resource.passages.all():
        Suggestion.objects.create(passage=passage, code=label, model=model, score=0.9, rank=1)
    queue = coding.review_queue(world.programme, world.users["facilitator"])
    assert {p.kind for p in queue} == {Passage.Kind.PARAGRAPH}
    assert queue.count() == 3
