"""The review queue pages: who may use them, what they show, and the decisions they post."""

import pytest
from django.urls import reverse

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
from recolte.testing import PASSWORD

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
CONTEXT = ["Avant : le village a creusé un forage.", *UNCODED, "Après : fin du rapport."]


def _login(client, world, role):
    client.login(username=world.users[role].username, password=PASSWORD)
    client.post(reverse("set_language"), {"language": "en"})


@pytest.fixture
def queue(world, fake_embedder):  # noqa: F811
    """A zero-shot model and its suggestions for five passages."""
    codes = make_codes(world.programme)
    passages = make_passages(world.programme, CONTEXT)
    training.model_train(programme=world.programme)
    training.suggestions_refresh(programme=world.programme)
    return codes, passages


def _urls(passage, suggestion, version):
    slug = "prog"
    return [
        ("get", reverse("coding:review", args=[slug])),
        ("get", reverse("coding:suggestions_panel", args=[slug, version.pk])),
        ("post", reverse("coding:suggestions_retrain", args=[slug])),
        ("post", reverse("coding:suggestion_accept", args=[slug, suggestion.pk])),
        ("post", reverse("coding:suggestion_pick", args=[slug, suggestion.pk])),
        ("post", reverse("coding:suggestion_reject", args=[slug, suggestion.pk])),
        ("post", reverse("coding:passage_reject", args=[slug, passage.pk])),
    ]


@pytest.mark.parametrize(
    "role,status", [("contributor", 403), ("reader", 403), ("team", 403), ("outsider", 404)]
)
def test_only_coders_reach_the_queue(client, world, queue, role, status, settings):
    settings.TASKS = DUMMY
    _codes, passages = queue
    _login(client, world, role)
    top = passages[1].suggestions.get(rank=1)
    for method, url in _urls(passages[1], top, passages[1].version):
        assert getattr(client, method)(url).status_code == status, url
    assert not Coding.objects.exists() and SuggestionModel.objects.count() == 1
    assert not Suggestion.objects.exclude(status="pending").exists()


def test_review_page_shows_one_passage_with_context(client, world, queue):
    _codes, passages = queue
    _login(client, world, "facilitator")
    page = client.get(reverse("coding:review", args=["prog"]))
    assert page.status_code == 200
    assert page.context["passage"] == passages[0]
    html = page.content.decode()
    assert "0 of 5 passages reviewed" in html and "5 waiting" in html
    assert html.count('data-accept="') == 3 and 'id="pick-dialog"' in html
    assert "recolte-suggest 1" in html and "Retrain now" in html
    second = client.get(reverse("coding:review", args=["prog"]), {"pos": 1})
    assert second.context["passage"] == passages[1]
    assert second.context["previous"] == passages[0]
    assert second.context["following"] == passages[2]
    assert CONTEXT[0] in second.content.decode()  # the previous passage, dimmed
    wrapped = client.get(reverse("coding:review", args=["prog"]), {"pos": 5})
    assert wrapped.context["passage"] == passages[0]


def test_high_confidence_band_is_shown_above_the_models_threshold(client, world, queue):
    _codes, passages = queue
    _login(client, world, "facilitator")
    page = client.get(reverse("coding:review", args=["prog"]))
    assert "high confidence" not in page.content.decode()  # zero-shot: no band promised
    top, second = passages[0].suggestions.order_by("-score")[:2]
    model = top.model
    model.metrics = {**model.metrics, "high_threshold": (top.score + second.score) / 2}
    model.save(update_fields=["metrics"])
    html = client.get(reverse("coding:review", args=["prog"])).content.decode()
    assert html.count('class="badge high-confidence"') == 1
    assert html.index("high-confidence") > html.index(f'data-code="{top.code.key}"')


def test_uncertain_order_puts_the_smallest_margin_first(client, world, queue):
    _codes, passages = queue
    _login(client, world, "facilitator")
    margins = {
        p.pk: p.suggestions.get(rank=1).score - p.suggestions.get(rank=2).score for p in passages
    }
    page = client.get(reverse("coding:review", args=["prog"]), {"order": "uncertain"})
    assert page.context["passage"].pk == min(margins, key=margins.get)
    assert "in document order" in page.content.decode()


def test_accept_pick_and_reject_from_the_queue(client, world, queue):
    codes, passages = queue
    _login(client, world, "facilitator")
    here = reverse("coding:review", args=["prog"]) + "?pos=0"
    top = passages[1].suggestions.get(rank=1)
    response = client.post(
        reverse("coding:suggestion_accept", args=["prog", top.pk]), {"next": here}
    )
    assert response.status_code == 302 and response["Location"] == here
    coding = Coding.objects.get()
    assert coding.code == top.code and coding.assistant == "recolte-suggest 1"
    assert coding.coder == world.users["facilitator"]

    pick = passages[2].suggestions.get(rank=1)
    client.post(
        reverse("coding:suggestion_pick", args=["prog", pick.pk]),
        {"code": codes["ecole.maitres"].pk},
    )
    assert Coding.objects.get(passage=passages[2]).code.key == "ecole.maitres"

    reject = client.post(
        reverse("coding:passage_reject", args=["prog", passages[3].pk]),
        {"next": "https://elsewhere.example/"},
    )
    assert reject["Location"] == reverse("coding:review", args=["prog"])
    assert not passages[3].suggestions.filter(status="pending").exists()
    one = passages[4].suggestions.get(rank=2)
    client.post(reverse("coding:suggestion_reject", args=["prog", one.pk]))
    assert Suggestion.objects.get(pk=one.pk).status == "rejected"

    again = client.post(reverse("coding:suggestion_accept", args=["prog", top.pk]), follow=True)
    assert "already been decided" in again.content.decode()
    page = client.get(reverse("coding:review", args=["prog"]))
    assert "3 of 5 passages reviewed" in page.content.decode()
    assert [p.pk for p in selectors.review_queue(world.programme, world.users["admin"])] == [
        passages[0].pk,
        passages[4].pk,
    ]


def test_retrain_now_queues_one_training(client, world, queue, settings):
    settings.TASKS = DUMMY
    _login(client, world, "facilitator")
    url = reverse("coding:suggestions_retrain", args=["prog"])
    client.post(url)
    queued = SuggestionModel.objects.get(version=2)
    assert queued.status == "queued"
    page = client.post(url, follow=True)
    assert "already queued or running" in page.content.decode()
    assert SuggestionModel.objects.count() == 2
    assert 'id="retrain-button" disabled' in page.content.decode()


def test_workbench_panel_lists_pending_suggestions(client, world, queue):
    _codes, passages = queue
    _login(client, world, "facilitator")
    decisions.passage_reject(passage=passages[0], by=world.users["facilitator"])
    page = client.get(reverse("coding:suggestions_panel", args=["prog", passages[0].version.pk]))
    html = page.content.decode()
    assert html.count('class="suggestion-group"') == 4
    assert f'data-passage="{passages[0].pk}"' not in html
    back = reverse("coding:workbench", args=["prog", passages[0].resource_id])
    assert f'value="{back}"' in html


def test_a_failed_training_shows_its_reason(client, world, settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    def broken(**kwargs):
        raise MemoryError("no room left for the vectors")

    monkeypatch.setattr(tasks_suggest, "model_train", broken)
    tasks_suggest.retrain(world.programme)  # the task backend records the failure
    _login(client, world, "facilitator")
    page = client.get(reverse("coding:review", args=["prog"])).content.decode()
    assert "recolte-suggest 1 failed to train: MemoryError: no room left for the vectors" in page


@pytest.fixture
def coded_by_two(world, fake_embedder):  # noqa: F811
    """Twenty-two codings (calibration needs twenty) by the facilitator and the admin."""
    codes = make_codes(world.programme)
    texts = [t for _c, t in LABELLED] + [f"{t} Encore une fois." for _c, t in LABELLED]
    keys = [c for c, _t in LABELLED] * 2
    passages = make_passages(world.programme, [*texts, *UNCODED], "Coded")
    for i, (passage, key) in enumerate(zip(passages, keys, strict=False)):
        who = "facilitator" if i % 2 else "admin"
        coding_create(
            version=passage.version,
            start=passage.start,
            end=passage.end,
            code=codes[key],
            coder=world.users[who],
        )
    return codes


def test_assistant_appears_as_a_coder_on_the_agreement_page(client, world, coded_by_two):
    model = training.model_train(programme=world.programme)
    kappas = model.metrics["assistant_kappa"]
    names = {world.users[r].get_username() for r in ("facilitator", "admin")}
    assert names == {n for row in kappas.values() for n in row} - {""}
    assert all(-1 <= k <= 1 for row in kappas.values() for k in row.values())
    key = next(iter(kappas))
    model.metrics = {**model.metrics, "chance_codes": [key]}
    model.save(update_fields=["metrics"])
    _login(client, world, "facilitator")
    html = client.get(reverse("coding:agreement", args=["prog"])).content.decode()
    assert "The assistant as a coder" in html and "recolte-suggest 1" in html
    for name in names:
        assert f'<th class="num">{name}</th>' in html
    assert html.count("no better than chance: not suggested") == 1
    assert html.count('<tr class="chance">') == 1


def test_codes_at_chance_level_are_not_suggested(world, coded_by_two, monkeypatch):
    training.model_train(programme=world.programme)
    training.suggestions_refresh(programme=world.programme)
    pending = Suggestion.objects.filter(status="pending", rank=1)
    favourite = pending.values_list("code__key", flat=True)[0]
    real_load = training.load

    def judged(model, vectors):
        suggester = real_load(model, vectors)
        suggester.chance_codes = {favourite}
        return suggester

    monkeypatch.setattr(training, "load", judged)
    training.suggestions_refresh(programme=world.programme)
    assert Suggestion.objects.filter(status="pending").exists()
    assert not Suggestion.objects.filter(status="pending", code__key=favourite).exists()
