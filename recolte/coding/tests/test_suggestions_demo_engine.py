"""Suggestions train with the engine `make demo` runs (no fake): the fitted model is stored."""

from io import StringIO

from django.core.management import call_command

from recolte.coding import selectors, tasks_suggest
from recolte.coding.models import Suggestion
from recolte.coding.services import coding_create, training
from recolte.coding.tests.suggest_fixtures import LABELLED, UNCODED, make_codes, make_passages
from recolte.corpus.embeddings import get_embedder
from recolte.portal.demo import demo_load


def test_training_and_suggesting_with_the_demo_engine(world):
    demo = get_embedder()
    assert demo.engine.startswith("torch")  # the fast engine `make demo` installs and picks
    codes = make_codes(world.programme)
    coded = make_passages(world.programme, [t for _c, t in LABELLED], "Coded")
    for passage, (key, _text) in zip(coded, LABELLED, strict=True):
        coding_create(
            version=passage.version,
            start=passage.start,
            end=passage.end,
            code=codes[key],
            coder=world.users["facilitator"],
        )
    fresh = make_passages(world.programme, UNCODED, "Fresh")
    model = training.model_train(programme=world.programme)
    assert model.status == "ready" and model.features_version.startswith(demo.name)
    assert training.suggestions_refresh(programme=world.programme) > 0
    top = {p.pk: p.suggestions.order_by("rank").first().code.key for p in fresh}
    assert top[fresh[0].pk] == "eau.pompes"
    assert Suggestion.objects.filter(passage__in=fresh, status="pending").exists()


def test_the_demo_trains_and_fills_the_review_queue(db, settings):
    """`make demo`'s path: demo data, corpus processing, then the retraining task."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    programme, _accounts = demo_load()
    call_command("process", "--programme", programme.slug, stdout=StringIO(), stderr=StringIO())
    model = tasks_suggest.retrain(programme)
    model.refresh_from_db()
    assert (model.status, model.error) == ("ready", "")
    assert model.n_training >= 60  # the demo's codings, learnt from
    facilitator = programme.memberships.get(role="facilitator").user
    assert selectors.review_queue(programme, facilitator).exists()
