"""Suggestion services: training on the programme's codings, the table, decisions, retraining."""

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from recolte.coding import selectors, tasks_suggest
from recolte.coding.models import Coding, Suggestion, SuggestionModel
from recolte.coding.services import coding_create, training
from recolte.coding.services import suggestions as decisions
from recolte.coding.tests.suggest_fixtures import (
    LABELLED,
    UNCODED,
    fake_embedder,  # noqa: F401  (fixture)
    make_codes,
    make_passages,
)
from recolte.corpus.models import PassageVector

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def labelled(world, fake_embedder):  # noqa: F811
    """Codes, ten coded passages (by the facilitator) and three uncoded ones."""
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
    return codes, coded, fresh


def _top(passage) -> str:
    return passage.suggestions.filter(status="pending").order_by("rank").first().code.key


def test_codebook_follows_the_code_tree(world):
    codes = make_codes(world.programme)
    codes["eau.pompes"].description = "Pièces, mécaniciens."
    codes["eau.pompes"].questions = "Qui répare ?\n"
    codes["eau.pompes"].save()
    book = training.codebook_of(world.programme)
    assert set(book.ids) == set(codes)
    assert book.codes["eau.pompes"].parent == "eau"
    assert book.codes["eau.pompes"].label == "Réparation des pompes manuelles"
    assert book.codes["eau.pompes"].questions == ("Pièces, mécaniciens.", "Qui répare ?")
    assert book.section_of("eau.pompes") == "eau"


def test_zero_shot_model_without_codings(world, fake_embedder):  # noqa: F811
    make_codes(world.programme)
    passages = make_passages(world.programme, ["Une campagne de vaccination des enfants."])
    model = training.model_train(programme=world.programme)
    assert model.status == "ready" and model.version == 1 and model.n_training == 0
    assert model.features_version == f"fake 1 {training.FEATURES}" and model.metrics == {}
    assert model.file.name == "suggestion-models/prog-1.pickle.z" and model.file.size > 1000
    assert model.label == "recolte-suggest 1"
    assert training.suggestions_refresh(programme=world.programme) == 3
    assert _top(passages[0]) == "sante.vaccins"
    # folders ("eau", "sante", "ecole") are never proposed
    assert not Suggestion.objects.filter(code__codable=False).exists()


def test_supervised_model_suggests_for_uncoded_passages(world, labelled):
    codes, coded, fresh = labelled
    model = training.model_train(programme=world.programme)
    assert model.n_training == 10 and model.n_codings == 10
    assert 0 <= model.metrics["supervised_leaf_top3"] <= 1
    made = training.suggestions_refresh(programme=world.programme)
    assert made == 3 * len(fresh)
    assert [_top(p) for p in fresh] == ["eau.pompes", "ecole.cantines", "sante.vaccins"]
    assert not Suggestion.objects.filter(passage__in=coded).exists()
    ranks = list(fresh[0].suggestions.order_by("rank").values_list("rank", "score"))
    assert [r for r, _ in ranks] == [1, 2, 3]
    assert ranks[0][1] >= ranks[1][1] >= ranks[2][1] > 0


def test_refresh_of_a_coded_passage_skips_its_codes(world, labelled):
    codes, coded, _fresh = labelled
    training.model_train(programme=world.programme)
    training.suggestions_refresh(programme=world.programme, passages=[coded[0]])
    proposed = set(coded[0].suggestions.values_list("code__key", flat=True))
    assert len(proposed) == 3 and "eau.pompes" not in proposed


def test_stored_passage_vectors_are_reused(world, labelled, fake_embedder):  # noqa: F811
    _codes, coded, fresh = labelled
    for p in [*coded, *fresh]:
        vec = fake_embedder.passages([p.text])[0].astype(np.float32)
        PassageVector.objects.create(
            passage=p,
            programme=world.programme,
            model="fake",
            model_version="1",
            data=vec.tobytes(),
        )
    fake_embedder.embedded.clear()
    training.model_train(programme=world.programme)
    training.suggestions_refresh(programme=world.programme)
    assert not set(fake_embedder.embedded) & {p.text for p in [*coded, *fresh]}


def test_model_fitted_with_another_embedder_is_not_used(world, labelled):
    model = training.model_train(programme=world.programme)
    SuggestionModel.objects.filter(pk=model.pk).update(features_version="other 2 rows-1")
    assert training.suggestions_refresh(programme=world.programme) == 0


def test_accept_creates_a_coding_credited_to_assistant_and_person(world, labelled):
    _codes, _coded, fresh = labelled
    training.model_train(programme=world.programme)
    training.suggestions_refresh(programme=world.programme)
    user = world.users["facilitator"]
    assert selectors.review_progress(world.programme, user) == {"done": 0, "total": 3}
    top = fresh[0].suggestions.get(rank=1)
    coding = decisions.suggestion_accept(suggestion=top, by=user)
    assert (coding.version, coding.start, coding.end) == (
        fresh[0].version,
        fresh[0].start,
        fresh[0].end,
    )
    assert coding.code.key == "eau.pompes" and coding.coder == user
    assert coding.assistant == "recolte-suggest 1" and coding.passage == fresh[0]
    top.refresh_from_db()
    assert (top.status, top.decided_by, top.coding) == ("accepted", user, coding)
    assert top.decided_at is not None
    assert fresh[0] not in selectors.review_queue(world.programme, user)
    assert selectors.review_progress(world.programme, user) == {"done": 1, "total": 3}
    with pytest.raises(ValidationError):
        decisions.suggestion_accept(suggestion=top, by=user)
    assert selectors.acceptance(world.programme)["accepted_top1"] == 1


def test_pick_codes_another_code_without_the_assistant(world, labelled):
    codes, _coded, fresh = labelled
    training.model_train(programme=world.programme)
    training.suggestions_refresh(programme=world.programme)
    top = fresh[1].suggestions.get(rank=1)
    coding = decisions.suggestion_pick(
        suggestion=top, code=codes["ecole.maitres"], by=world.users["admin"]
    )
    assert coding.code.key == "ecole.maitres" and coding.assistant == ""
    assert Suggestion.objects.get(pk=top.pk).status == "picked"
    with pytest.raises(ValidationError):
        decisions.suggestion_pick(suggestion=top, code=codes["eau.pompes"], by=world.users["admin"])


def test_rejected_suggestions_are_hidden_and_not_proposed_again(world, labelled):
    _codes, _coded, fresh = labelled
    training.model_train(programme=world.programme)
    training.suggestions_refresh(programme=world.programme)
    user = world.users["facilitator"]
    one = fresh[2].suggestions.get(rank=1)
    decisions.suggestion_reject(suggestion=one, by=user)
    assert fresh[2] in selectors.review_queue(
        world.programme, user
    )  # two suggestions still pending
    assert decisions.passage_reject(passage=fresh[2], by=user) == 2
    assert fresh[2] not in selectors.review_queue(world.programme, user)
    rejected = set(fresh[2].suggestions.values_list("code_id", flat=True))
    training.suggestions_refresh(programme=world.programme)
    again = fresh[2].suggestions.filter(status="pending").values_list("code_id", flat=True)
    assert len(again) == 2 and not set(again) & rejected  # 5 codable codes, 3 rejected
    assert not Coding.objects.filter(passage=fresh[2]).exists()


def test_most_uncertain_first(world, labelled):
    _codes, _coded, fresh = labelled
    model = training.model_train(programme=world.programme)
    margins = [(0.5, 0.1), (0.4, 0.35), (0.9, 0.0)]  # margins 0.4, 0.05, 0.9
    for passage, scores in zip(fresh, margins, strict=True):
        for rank, (code_key, score) in enumerate(
            zip(["eau.pompes", "ecole.maitres"], scores, strict=True), start=1
        ):
            Suggestion.objects.create(
                passage=passage, code=_codes[code_key], model=model, score=score, rank=rank
            )
    user = world.users["facilitator"]
    uncertain = list(selectors.review_queue(world.programme, user, "uncertain"))
    assert uncertain == [fresh[1], fresh[0], fresh[2]]
    assert list(selectors.review_queue(world.programme, user)) == fresh


def test_one_training_at_a_time(world, fake_embedder):  # noqa: F811
    first = training.model_request(programme=world.programme)
    assert first.status == "queued" and first.version == 1
    assert training.model_request(programme=world.programme) is None
    with pytest.raises(ValidationError):
        training.model_train(programme=world.programme)
    SuggestionModel.objects.filter(pk=first.pk).update(created=first.created - training.STALE * 2)
    assert training.model_request(programme=world.programme).version == 2


def test_retraining_follows_the_growth_of_codings(
    world, labelled, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    settings.RECOLTE_SUGGEST_RETRAIN_EVERY = 3
    codes, coded, fresh = labelled
    assert not SuggestionModel.objects.exists()  # the fixture's commits never happened

    def code_fresh(i: int, key: str) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            coding_create(
                version=fresh[i].version,
                start=fresh[i].start,
                end=fresh[i].end,
                code=codes[key],
                coder=world.users["facilitator"],
            )

    code_fresh(0, "eau.pompes")  # 11 codings, no model yet: train
    model = SuggestionModel.objects.get()
    assert (model.status, model.n_codings, model.n_training) == ("ready", 11, 11)
    assert set(Suggestion.objects.values_list("passage", flat=True)) == {fresh[1].pk, fresh[2].pk}
    code_fresh(1, "ecole.cantines")
    code_fresh(2, "sante.vaccins")
    assert SuggestionModel.objects.count() == 1  # grown by 2 < 3
    coding_create(
        version=coded[0].version,
        start=0,
        end=5,
        code=codes["eau.comites"],
        coder=world.users["admin"],
    )
    assert tasks_suggest.retrain_if_grown(world.programme.pk).version == 2
    assert SuggestionModel.objects.get(version=2).n_codings == 14
    old = SuggestionModel.objects.get(version=1)
    assert not old.file and not default_storage.exists(model.file.name)  # superseded: deleted


def test_failed_training_is_recorded(world, settings, monkeypatch, fake_embedder):  # noqa: F811
    settings.TASKS = IMMEDIATE

    def broken(**kwargs):
        raise RuntimeError("no memory")

    monkeypatch.setattr(tasks_suggest, "model_train", broken)
    model = tasks_suggest.retrain(world.programme)
    model.refresh_from_db()
    assert model.status == "failed" and "no memory" in model.error
    assert training.in_flight(world.programme) is None
