"""Accuracy of code suggestions at the leaf, theme and section levels, held-out or by k-fold CV."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import KFold

from .calibration import band, reliability
from .codebook import LEVEL_DEFINITIONS, Codebook
from .embedding import memoised
from .model import Embed, SuggestConfig, Suggester

LEVELS = ("leaf", "theme", "section")
METHODS = ("zero_shot", "supervised", "supervised_context", "tfidf_baseline")
METRICS = ("top1", "top3", "macro_f1")


def level_scores(
    codebook: Codebook, scores: np.ndarray, level: str
) -> tuple[list[str], np.ndarray]:
    """Sum code scores into the units of a level (a theme's score is its codes' total)."""
    units = sorted({codebook.at_level(c, level) for c in codebook.ids})
    pos = {u: i for i, u in enumerate(units)}
    member = np.zeros((len(codebook.ids), len(units)))
    for i, c in enumerate(codebook.ids):
        member[i, pos[codebook.at_level(c, level)]] = 1.0
    return units, scores @ member


def ranking_metrics(codebook: Codebook, scores: np.ndarray, gold: Sequence[str]) -> dict:
    """top1/top3 accuracy and macro-F1 of the top-1 choice (over gold ∪ predicted labels)."""
    out = {}
    for level in LEVELS:
        units, s = level_scores(codebook, scores, level)
        truth = [codebook.at_level(g, level) for g in gold]
        # stable ordering so ties resolve to the first unit, deterministically
        order = np.argsort(-s, axis=1, kind="stable")
        ranked = [[units[j] for j in row[:3]] for row in order]
        top1 = [r[0] for r in ranked]
        out[level] = {
            "top1": float(np.mean([t == r[0] for t, r in zip(truth, ranked, strict=True)])),
            "top3": float(np.mean([t in r for t, r in zip(truth, ranked, strict=True)])),
            "macro_f1": float(f1_score(truth, top1, average="macro", zero_division=0)),
        }
    return out


def tfidf_baseline_scores(
    codebook: Codebook, train: Sequence[Mapping], test: Sequence[Mapping]
) -> np.ndarray:
    """Plain word TF-IDF + logistic regression; codes unseen in training score zero."""
    vec = TfidfVectorizer(sublinear_tf=True)
    x = vec.fit_transform([p["text"] for p in train])
    clf = LogisticRegression(C=10.0, max_iter=2000).fit(x, [p["code"] for p in train])
    scores = np.zeros((len(test), len(codebook.ids)))
    cols = [codebook.ids.index(c) for c in clf.classes_]
    scores[:, cols] = clf.predict_proba(vec.transform([p["text"] for p in test]))
    return scores


@dataclass
class Scored:
    """One train/test split: each method's scores, and the fitted model's high threshold."""

    scores: dict[str, np.ndarray]
    high_threshold: float | None


def method_scores(
    codebook: Codebook,
    train: Sequence[Mapping],
    test: Sequence[Mapping],
    embed: Embed,
    embed_query: Embed | None = None,
    config: SuggestConfig | None = None,
) -> Scored:
    """Content alone (each passage scored by itself, so the order cannot matter) for every
    method; the supervised model also with document context, in the test passages' order."""
    texts = [p["text"] for p in test]
    orgs = [p.get("orgs") for p in test]
    zero = Suggester(codebook, embed, embed_query, config).scores(texts, orgs)
    model = Suggester(codebook, embed, embed_query, config).fit(train)
    alone = model.scores(texts, orgs)
    scores = {
        "zero_shot": zero,
        "supervised": alone,
        "supervised_context": model.in_context(alone, documents(test)),
        "tfidf_baseline": tfidf_baseline_scores(codebook, train, test),
    }
    return Scored(scores, model.high_threshold)


def documents(passages: Sequence[Mapping]) -> list:
    """Each passage's ``document`` key (absent: one document); the file order is reading order."""
    return [p.get("document") for p in passages]


def _check(codebook: Codebook, passages: Sequence[Mapping]) -> None:
    unknown = sorted({p["code"] for p in passages} - set(codebook.codes))
    if unknown:
        raise ValueError(f"passages use codes missing from the codebook: {unknown}")


def _split(
    codebook: Codebook,
    train: Sequence[Mapping],
    test: Sequence[Mapping],
    embed: Embed,
    embed_query: Embed | None,
    config: SuggestConfig | None,
) -> tuple[dict, dict]:
    """Metrics of one split, and the supervised top-1 scores and hits for calibration."""
    _check(codebook, [*train, *test])
    gold = [p["code"] for p in test]
    scored = method_scores(codebook, train, test, embed, embed_query, config)
    metrics = {m: ranking_metrics(codebook, s, gold) for m, s in scored.scores.items()}
    alone = scored.scores["supervised"]
    truth = np.array([codebook.ids.index(g) for g in gold])
    confidence = alone.max(axis=1)
    threshold = np.inf if scored.high_threshold is None else scored.high_threshold
    raw = {
        "confidence": confidence,
        "correct": alone.argmax(axis=1) == truth,
        "threshold": np.full(len(test), threshold),
    }
    return metrics, raw


def _calibration(raw: Sequence[dict]) -> dict:
    pooled = {k: np.concatenate([r[k] for r in raw]) for k in raw[0]}
    return {
        "of": "supervised, content only, leaf top-1 score",
        **reliability(pooled["confidence"], pooled["correct"]),
        "high_confidence": band(pooled["confidence"], pooled["correct"], pooled["threshold"]),
    }


def evaluate(
    codebook: Codebook,
    train: Sequence[Mapping],
    test: Sequence[Mapping],
    embed: Embed,
    embed_query: Embed | None = None,
    config: SuggestConfig | None = None,
) -> dict:
    """Train on ``train``, score ``test``: {n, levels, <method>: {<level>: metrics},
    calibration, seconds}. ``supervised_context`` reads the test passages in their given order
    as documents (the ``document`` key; absent, one document)."""
    start = time.perf_counter()
    metrics, raw = _split(codebook, train, test, embed, embed_query, config)
    return {
        "n": len(test),
        "n_train": len(train),
        "levels": LEVEL_DEFINITIONS,
        **metrics,
        "calibration": _calibration([raw]),
        "seconds": round(time.perf_counter() - start, 2),
    }


def _folds(passages: Sequence[Mapping], folds: int, seed: int, shuffle: bool):
    """(train, test) per fold; with ``shuffle`` the test passages lose their file order."""
    rng = np.random.default_rng(seed)
    for train_idx, test_idx in KFold(folds, shuffle=True, random_state=seed).split(passages):
        if shuffle:
            test_idx = rng.permutation(test_idx)
        yield [passages[i] for i in train_idx], [passages[i] for i in test_idx]


def _summary(runs: Sequence[dict], methods: Sequence[str]) -> dict:
    return {
        method: {
            level: {
                metric: {
                    "mean": round(float(np.mean([r[method][level][metric] for r in runs])), 4),
                    "sd": round(float(np.std([r[method][level][metric] for r in runs])), 4),
                }
                for metric in METRICS
            }
            for level in LEVELS
        }
        for method in methods
    }


def cross_validate(
    codebook: Codebook,
    passages: Sequence[Mapping],
    embed: Embed,
    folds: int = 5,
    seeds: Sequence[int] = (0,),
    embed_query: Embed | None = None,
    config: SuggestConfig | None = None,
    shuffle: bool = False,
) -> dict:
    """Shuffled k-fold (repeated once per seed); mean and sd over all folds, calibration pooled.

    Not stratified: many codes have a single passage, so some test codes are unseen in training,
    as they will be in real use. Without ``shuffle`` the test passages keep their file order,
    which only the ``supervised_context`` line reads.
    """
    start = time.perf_counter()
    embed = memoised(embed)
    embed_query = memoised(embed_query) if embed_query else None
    runs, raw = [], []
    for seed in seeds:
        for train, test in _folds(passages, folds, seed, shuffle):
            metrics, calibration = _split(codebook, train, test, embed, embed_query, config)
            runs.append(metrics)
            raw.append(calibration)
    return {
        "n": len(passages),
        "folds": folds,
        "seeds": list(seeds),
        "shuffle": shuffle,
        "levels": LEVEL_DEFINITIONS,
        **_summary(runs, METHODS),
        "calibration": _calibration(raw),
        "seconds": round(time.perf_counter() - start, 2),
    }


CURVE_SIZES = (0, 10, 25, 50, 100, None)  # None: every training coding


def learning_curve(
    codebook: Codebook,
    passages: Sequence[Mapping],
    embed: Embed,
    folds: int = 5,
    seeds: Sequence[int] = (0,),
    embed_query: Embed | None = None,
    config: SuggestConfig | None = None,
    sizes: Sequence[int | None] = CURVE_SIZES,
) -> dict:
    """Content-only accuracy after the first n codings of each training fold, coded in a random
    order, against the TF-IDF baseline trained on the same n (0: the codebook alone)."""
    start = time.perf_counter()
    _check(codebook, passages)
    embed = memoised(embed)
    embed_query = memoised(embed_query) if embed_query else None
    points: dict[int | None, list[dict]] = {n: [] for n in sizes}
    for seed in seeds:
        rng = np.random.default_rng(seed)
        for train, test in _folds(passages, folds, seed, shuffle=True):
            order = [train[i] for i in rng.permutation(len(train))]
            texts, gold = [p["text"] for p in test], [p["code"] for p in test]
            orgs = [p.get("orgs") for p in test]
            for n in sizes:
                first = order if n is None else order[:n]
                model = Suggester(codebook, embed, embed_query, config).fit(first)
                point = {"n_train": len(first)}
                point["assistant"] = ranking_metrics(codebook, model.scores(texts, orgs), gold)
                if len({p["code"] for p in first}) >= 2:
                    base = tfidf_baseline_scores(codebook, first, test)
                    point["tfidf_baseline"] = ranking_metrics(codebook, base, gold)
                points[n].append(point)
    rows = []
    for n, found in points.items():
        row = {"codings": "all" if n is None else n}
        row["n_train"] = round(float(np.mean([p["n_train"] for p in found])), 1)
        for method in ("assistant", "tfidf_baseline"):
            have = [p[method] for p in found if method in p]
            if len(have) == len(found):
                row[method] = {
                    key: round(float(np.mean([h[level][metric] for h in have])), 4)
                    for key, level, metric in CURVE_METRICS
                }
        rows.append(row)
    return {
        "n": len(passages),
        "folds": folds,
        "seeds": list(seeds),
        "curve": rows,
        "seconds": round(time.perf_counter() - start, 2),
    }


CURVE_METRICS = (
    ("leaf_top1", "leaf", "top1"),
    ("leaf_top3", "leaf", "top3"),
    ("section_top1", "section", "top1"),
)
