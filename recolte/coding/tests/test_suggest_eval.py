"""Calibration of the assistant's scores and the evaluation options (shuffle, curve)."""

import io
import json

import numpy as np
import pytest
from django.core.management import call_command

from recolte.coding.agreement import cohen_kappa
from recolte.coding.suggest import (
    Codebook,
    Suggester,
    cross_validate,
    hashing_embed,
    learning_curve,
)
from recolte.coding.suggest.calibration import (
    CHANCE_MIN_SUPPORT,
    HIGH_MIN_SUPPORT,
    assistant_agreement,
    band,
    chance_codes,
    fit_temperature,
    high_threshold,
    reliability,
    tempered,
    wilson_lower,
)
from recolte.coding.tests.test_suggest import CODES, TRAIN, _passages, _write_jsonl


@pytest.fixture
def codebook() -> Codebook:
    return Codebook(CODES)


def test_reliability_hand_computed():
    confidence = np.array([0.15, 0.15, 0.95, 0.95])
    correct = np.array([False, False, True, False])
    result = reliability(confidence, correct)
    # two bins of two: |0.15 - 0| and |0.95 - 0.5|, each weighing half
    assert result["ece"] == pytest.approx(0.5 * 0.15 + 0.5 * 0.45)
    assert [(b["n"], b["accuracy"]) for b in result["bins"]] == [(2, 0.0), (2, 0.5)]


def test_temperature_corrects_overconfident_scores():
    rng = np.random.default_rng(0)
    n, k = 2000, 5
    gold = rng.integers(0, k, n)
    logits = rng.normal(size=(n, k))
    logits[np.arange(n), gold] += 1.0  # right often, but less than the sharp scores claim
    sharp = tempered(np.exp(logits) / np.exp(logits).sum(1, keepdims=True), 0.25)
    before = reliability(sharp.max(1), sharp.argmax(1) == gold)["ece"]
    t = fit_temperature(sharp, gold)
    fixed = tempered(sharp, t)
    assert t > 2  # the scores had to be flattened
    assert reliability(fixed.max(1), fixed.argmax(1) == gold)["ece"] < min(0.05, before / 5)
    # tempering never changes which code comes first
    assert (fixed.argmax(1) == sharp.argmax(1)).all()


def test_high_threshold_is_the_lowest_score_keeping_the_precision():
    confidence = np.linspace(0.99, 0.5, 20)
    correct = np.array([True] * 12 + [False, True, True, False, False, False, False, False])
    assert wilson_lower(12, 12) == pytest.approx(12 / 13)
    assert wilson_lower(14, 15) < 0.85 < 14 / 15  # a precise-looking 15 is not precise enough
    t = high_threshold(confidence, correct)
    assert t == pytest.approx(confidence[11])  # the 12 straight hits
    inside = band(confidence, correct, np.full(20, t))
    assert inside["n"] == 12 and inside["precision"] == 1.0
    assert inside["coverage"] == pytest.approx(0.6)
    few = np.ones(HIGH_MIN_SUPPORT - 1, dtype=bool)
    assert high_threshold(np.linspace(0.9, 0.8, len(few)), few) is None  # too few to promise


def test_fit_calibrates_the_suggester(codebook):
    rows = _passages(TRAIN) * 2  # enough codings for out-of-fold calibration
    model = Suggester(codebook, hashing_embed).fit(rows)
    raw = Suggester(codebook, hashing_embed).fit(rows, calibrate=False)
    assert model.temperature != 1.0 and raw.temperature == 1.0
    texts = [r["text"] for r in rows]
    calibrated, uncalibrated = model.scores(texts), raw.scores(texts)
    np.testing.assert_allclose(calibrated.sum(1), 1.0)
    assert (calibrated.argmax(1) == uncalibrated.argmax(1)).all()
    assert Suggester(codebook, hashing_embed).fit(rows[:5]).temperature == 1.0  # too few


def test_content_only_figures_do_not_depend_on_order(codebook):
    rows = _passages(TRAIN)
    ordered = cross_validate(codebook, rows, hashing_embed, folds=3)
    shuffled = cross_validate(codebook, rows, hashing_embed, folds=3, shuffle=True)
    assert shuffled["shuffle"] and not ordered["shuffle"]
    for method in ("zero_shot", "supervised", "tfidf_baseline"):
        assert ordered[method] == shuffled[method]
    assert 0 <= shuffled["calibration"]["ece"] <= 1
    assert sum(b["n"] for b in shuffled["calibration"]["bins"]) == len(rows)


def test_learning_curve_starts_from_the_codebook_alone(codebook):
    rows = _passages(TRAIN)
    result = learning_curve(codebook, rows, hashing_embed, folds=3, sizes=(0, 4, None))
    first, few, every = result["curve"]
    assert [p["codings"] for p in result["curve"]] == [0, 4, "all"]
    assert first["n_train"] == 0 and few["n_train"] == 4 and every["n_train"] > 4
    assert "tfidf_baseline" not in first  # nothing to learn from
    zero = cross_validate(codebook, rows, hashing_embed, folds=3)["zero_shot"]
    assert first["assistant"]["leaf_top3"] == pytest.approx(zero["leaf"]["top3"]["mean"], 1e-3)
    assert every["assistant"]["section_top1"] >= first["assistant"]["section_top1"]


def test_command_prints_the_curve_and_the_calibration(tmp_path):
    (tmp_path / "codebook.json").write_text(json.dumps({"codes": CODES}), "utf-8")
    _write_jsonl(tmp_path / "all.jsonl", _passages(TRAIN))
    common = ["--codebook", str(tmp_path / "codebook.json"), "--embedder", "hashing"]
    common += ["--passages", str(tmp_path / "all.jsonl"), "--cv", "3"]
    out = io.StringIO()
    call_command("eval_autocode", *common, "--curve", stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split()[0] for line in lines[2:]] == ["0", "10", "25", "50", "100", "all"]
    out = io.StringIO()
    call_command("eval_autocode", *common, "--shuffle", stdout=out)
    text = out.getvalue()
    assert "content only (headline)" in text and "document context" in text
    assert "ECE=" in text and "high-confidence band" in text and "reliability" in text


def test_assistant_agreement_per_code_and_per_coder():
    gold = ["a", "a", "b", "b", "a", "b", "c", "c", "c", "c", "c"]
    predicted = ["a", "a", "b", "a", "a", "b", "a", "b", "a", "b", "a"]
    coders = ["ana", "ana", "ana", "ana", "bob", "bob", "bob", "bob", "bob", "bob", "bob"]
    result = assistant_agreement(predicted, gold, coders)
    # code "a" for everyone: 3 both, 4 assistant only, 0 person only, 4 neither
    assert result["a"][""] == pytest.approx(
        cohen_kappa([1] * 7 + [0] * 4, [1] * 3 + [0] * 8), abs=1e-4
    )
    assert result["a"]["ana"] == pytest.approx(cohen_kappa([1, 1, 0, 1], [1, 1, 0, 0]), abs=1e-4)
    assert set(result["c"]) == {"", "bob"}  # ana never coded it
    assert result["c"][""] <= 0  # never predicted: no better than chance
    support = {"a": 3, "b": 3, "c": 5}
    assert chance_codes(result, support) == {"c"}
    assert chance_codes(result, {**support, "c": CHANCE_MIN_SUPPORT - 1}) == set()
