"""Calibrated scores: a suggestion shown at 0.7 should be right about 70 % of the time; and the
assistant's agreement with each person, code by code, from the same out-of-fold predictions.

The mixture of components ranks well but its raw probabilities are not frequencies. One
temperature, fitted on out-of-fold predictions of the training codings, sharpens or flattens them
(the ranking never changes); the "high confidence" threshold is chosen on the same predictions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize_scalar
from sklearn.metrics import cohen_kappa_score

# The high-confidence band promises this precision; a threshold needs this many predictions above
# it, else there is no band (a handful of lucky guesses would make any threshold look precise).
HIGH_PRECISION = 0.85
HIGH_MIN_SUPPORT = 8
WILSON_Z = 1.0
BINS = 10
# A code judged no better than chance (and no longer suggested) has this many codings at least.
CHANCE_MIN_SUPPORT = 5


def tempered(probs: np.ndarray, temperature: float) -> np.ndarray:
    """Rows ∝ probs ** (1 / temperature): the same ranking, sharper or flatter."""
    logp = np.log(np.maximum(probs, 1e-12)) / temperature
    logp -= logp.max(axis=1, keepdims=True)
    out = np.exp(logp)
    return out / out.sum(axis=1, keepdims=True)


def fit_temperature(probs: np.ndarray, gold: Sequence[int]) -> float:
    """The temperature minimising the log-loss of the true codes (1.0 when there is no data)."""
    if len(gold) == 0:
        return 1.0
    rows = np.arange(len(gold))
    gold = np.asarray(gold)

    def loss(log_t: float) -> float:
        return -float(np.mean(np.log(tempered(probs, np.exp(log_t))[rows, gold] + 1e-12)))

    found = minimize_scalar(loss, bounds=(np.log(0.05), np.log(20.0)), method="bounded")
    return float(np.exp(found.x))


def wilson_lower(hits: float, n: int, z: float = WILSON_Z) -> float:
    """Lower bound of the Wilson score interval of a proportion."""
    p = hits / n
    centre = p + z * z / (2 * n)
    margin = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return float((centre - margin) / (1 + z * z / n))


def high_threshold(confidence: np.ndarray, correct: np.ndarray) -> float | None:
    """The lowest top-1 score above which predictions reach HIGH_PRECISION, or None.

    The precision's lower bound must reach it, not the precision itself: the threshold is the
    best of many tried on a few hundred predictions, so its own precision flatters it.
    """
    order = np.argsort(-confidence, kind="stable")
    hits = np.cumsum(correct[order])
    best = None
    for n in range(HIGH_MIN_SUPPORT, len(order) + 1):
        if wilson_lower(hits[n - 1], n) >= HIGH_PRECISION:
            best = float(confidence[order[n - 1]])
    return best


@dataclass(frozen=True)
class Bin:
    low: float
    high: float
    n: int
    confidence: float
    accuracy: float


def reliability(confidence: np.ndarray, correct: np.ndarray, bins: int = BINS) -> dict:
    """Expected calibration error over equal-width bins, and the bins (the reliability diagram)."""
    confidence, correct = np.asarray(confidence, float), np.asarray(correct, float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    rows, ece = [], 0.0
    for b in range(bins):
        mask = which == b
        if not mask.any():
            continue
        conf, acc = float(confidence[mask].mean()), float(correct[mask].mean())
        ece += mask.sum() / len(confidence) * abs(conf - acc)
        rows.append(Bin(float(edges[b]), float(edges[b + 1]), int(mask.sum()), conf, acc))
    return {"ece": round(ece, 4), "bins": [vars(r) for r in rows]}


def band(confidence: np.ndarray, correct: np.ndarray, thresholds: np.ndarray) -> dict:
    """Precision and coverage of the predictions at or above each one's own threshold."""
    inside = confidence >= thresholds
    n = int(inside.sum())
    return {
        "n": n,
        "coverage": round(n / len(confidence), 4) if len(confidence) else 0.0,
        "precision": round(float(correct[inside].mean()), 4) if n else None,
    }


def assistant_agreement(
    predicted: Sequence[str], gold: Sequence[str], coders: Sequence[str]
) -> dict[str, dict[str, float]]:
    """The assistant as a coder: per code, Cohen's kappa of "its top-1 is this code" against
    "the person coded it", over out-of-fold predictions; under "" for every coder together,
    then under each coder's name for their own codings (when they coded it at least once)."""
    predicted, gold, coders = np.asarray(predicted), np.asarray(gold), np.asarray(coders)
    out: dict[str, dict[str, float]] = {}
    for code in sorted(set(gold)):
        row = {"": _kappa(predicted == code, gold == code)}
        for coder in sorted(set(coders[gold == code]) - {""}):
            mine = coders == coder
            row[coder] = _kappa(predicted[mine] == code, gold[mine] == code)
        out[str(code)] = row
    return out


def _kappa(a: np.ndarray, b: np.ndarray) -> float:
    # both constant and equal: perfect agreement that chance explains fully, i.e. none beyond it
    return 0.0 if len(set(a) | set(b)) < 2 else round(float(cohen_kappa_score(a, b)), 4)


def chance_codes(agreement: dict[str, dict[str, float]], support: dict[str, int]) -> set[str]:
    """Codes coded often enough to judge on which the assistant is no better than chance."""
    return {c for c, row in agreement.items() if support[c] >= CHANCE_MIN_SUPPORT and row[""] <= 0}
