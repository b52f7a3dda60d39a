"""Accuracy of code suggestions at the leaf, theme and section levels, held-out or by k-fold CV."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import KFold

from .codebook import LEVEL_DEFINITIONS, Codebook
from .embedding import memoised
from .model import Embed, SuggestConfig, Suggester

LEVELS = ("leaf", "theme", "section")
METHODS = ("zero_shot", "supervised", "tfidf_baseline")
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


def method_scores(
    codebook: Codebook,
    train: Sequence[Mapping],
    test: Sequence[Mapping],
    embed: Embed,
    embed_query: Embed | None = None,
    config: SuggestConfig | None = None,
    context: bool = True,
) -> dict[str, np.ndarray]:
    texts = [p["text"] for p in test]
    orgs = [p.get("orgs") for p in test]
    docs = documents(test) if context else None
    zero = Suggester(codebook, embed, embed_query, config).scores(texts, orgs, docs)
    model = Suggester(codebook, embed, embed_query, config).fit(train)
    return {
        "zero_shot": zero,
        "supervised": model.scores(texts, orgs, docs),
        "tfidf_baseline": tfidf_baseline_scores(codebook, train, test),
    }


def documents(passages: Sequence[Mapping]) -> list:
    """Each passage's ``document`` key (absent: one document); the file order is reading order."""
    return [p.get("document") for p in passages]


def _check(codebook: Codebook, passages: Sequence[Mapping]) -> None:
    unknown = sorted({p["code"] for p in passages} - set(codebook.codes))
    if unknown:
        raise ValueError(f"passages use codes missing from the codebook: {unknown}")


def evaluate(
    codebook: Codebook,
    train: Sequence[Mapping],
    test: Sequence[Mapping],
    embed: Embed,
    embed_query: Embed | None = None,
    config: SuggestConfig | None = None,
    context: bool = True,
) -> dict:
    """Train on ``train``, score ``test``: {n, levels, <method>: {<level>: metrics}, seconds}.

    With ``context`` the test passages are read as documents in file order, so each is scored
    with its neighbours' evidence (no labels are shared); without it each is scored alone.
    """
    start = time.perf_counter()
    _check(codebook, [*train, *test])
    gold = [p["code"] for p in test]
    result: dict = {"n": len(test), "n_train": len(train), "levels": LEVEL_DEFINITIONS}
    for method, scores in method_scores(
        codebook, train, test, embed, embed_query, config, context
    ).items():
        result[method] = ranking_metrics(codebook, scores, gold)
    result["seconds"] = round(time.perf_counter() - start, 2)
    return result


def cross_validate(
    codebook: Codebook,
    passages: Sequence[Mapping],
    embed: Embed,
    folds: int = 5,
    seeds: Sequence[int] = (0,),
    embed_query: Embed | None = None,
    config: SuggestConfig | None = None,
    context: bool = True,
) -> dict:
    """Shuffled k-fold (repeated once per seed); mean and sd over all folds.

    Not stratified: many codes have a single passage, so some test codes are unseen in training,
    as they will be in real use.
    """
    start = time.perf_counter()
    _check(codebook, passages)
    embed = memoised(embed)
    embed_query = memoised(embed_query) if embed_query else None
    runs = []
    for seed in seeds:
        for train_idx, test_idx in KFold(folds, shuffle=True, random_state=seed).split(passages):
            train = [passages[i] for i in train_idx]
            test = [passages[i] for i in test_idx]  # KFold keeps indices sorted: file order
            runs.append(evaluate(codebook, train, test, embed, embed_query, config, context))
    result: dict = {
        "n": len(passages),
        "folds": folds,
        "seeds": list(seeds),
        "context": context,
        "levels": LEVEL_DEFINITIONS,
    }
    for method in METHODS:
        result[method] = {
            level: {
                metric: {
                    "mean": round(float(np.mean([r[method][level][metric] for r in runs])), 4),
                    "sd": round(float(np.std([r[method][level][metric] for r in runs])), 4),
                }
                for metric in METRICS
            }
            for level in LEVELS
        }
    result["seconds"] = round(time.perf_counter() - start, 2)
    return result
