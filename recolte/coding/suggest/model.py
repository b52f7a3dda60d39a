"""Code suggestions: zero-shot similarity to the codebook blended with supervised classifiers.

Every component yields a probability distribution over all codes; they are mixed linearly, then
re-weighted by a section-level distribution so that a leaf inherits the evidence for its section.
When passages are scored as a document (in order), their section and theme distributions are also
blended with their neighbours' (see context.py).
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.linear_model import RidgeClassifier
from sklearn.model_selection import KFold

from .calibration import (
    assistant_agreement,
    chance_codes,
    fit_temperature,
    high_threshold,
    tempered,
)
from .codebook import Codebook
from .context import looks_ordered, rescale_by_context, runs
from .lexical import LexicalFeatures, cosine

Embed = Callable[[list[str]], np.ndarray]
# Calibration needs out-of-fold predictions: this many folds, over at least this many codings.
CALIBRATION_FOLDS, CALIBRATION_MIN_ROWS = 3, 10


@dataclass(frozen=True)
class SuggestConfig:
    """Defaults chosen by 5-fold CV on the reference report (see bench/cv_autocode.py).

    Checked again with the test passages shuffled (content alone, 2 seeds): a grid over the
    temperatures, the mixture and the section exponent, a theme-level classifier re-weighting
    leaves (hierarchical decoding), nearest-prototype scores from each code's coded passages, org
    weights, passage kind and instrument tokens: none beat these defaults.

    A nearest-neighbour component was also tried and dropped: it added nothing to the mixture.
    So were lemmatised TF-IDF, sentence-level and intermediate-layer e5 vectors, label spreading,
    and fine-tuning e5's top layers: none moved section top-1 beyond noise.
    """

    # Zero-shot: similarity to the code's path text and to its lineage, plus TF-IDF overlap.
    zs_lineage_weight: float = 0.5
    zs_lexical_weight: float = 0.5
    zs_temperature: float = 0.6
    # Supervised: ridge classifiers over TF-IDF + centred embeddings (+ orgs).
    embedding_weight: float = 1.0
    pseudo_doc_weight: float = 2.0
    ridge_alpha: float = 0.3
    lr_temperature: float = 1.0
    section_temperature: float = 0.5
    # Mixture of the component distributions, and the exponent of the section re-weighting.
    mix: Mapping[str, float] = field(default_factory=lambda: {"zero_shot": 0.5, "lr": 0.5})
    section_power: float = 1.0
    # Document context (passages scored in order): neighbour weight per step, and reach.
    context_section_weight: float = 0.5
    context_section_width: int = 2
    context_theme_weight: float = 0.3
    context_theme_width: int = 1


@dataclass(frozen=True)
class SuggestedCode:
    code: str
    score: float
    label: str


def _ridge(alpha: float) -> RidgeClassifier:
    # cholesky on the few hundred samples is ~50x faster than the iterative sparse solvers
    return RidgeClassifier(alpha=alpha, solver="cholesky", fit_intercept=False)


def _softmax_rows(z: np.ndarray, temperature: float) -> np.ndarray:
    z = z / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _standardise_rows(s: np.ndarray) -> np.ndarray:
    sd = s.std(axis=1, keepdims=True)
    return (s - s.mean(axis=1, keepdims=True)) / np.where(sd > 0, sd, 1.0)


def _unit(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    n = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(n > 0, n, 1.0)


class Suggester:
    """Ranks the codes of a codebook for passages; usable untrained (zero-shot) or fitted."""

    def __init__(
        self,
        codebook: Codebook,
        embed: Embed,
        embed_query: Embed | None = None,
        config: SuggestConfig | None = None,
    ):
        self.codebook = codebook
        self.embed = embed
        self.config = config or SuggestConfig()
        ids = codebook.ids
        self._index = {c: i for i, c in enumerate(ids)}
        sections = sorted({codebook.section_of(c) for c in ids})
        self._sections = sections
        # code x section membership, used to lift code scores to sections and back
        self._sec_member = np.zeros((len(ids), len(sections)))
        themes = sorted({codebook.theme_of(c) for c in ids})
        self._theme_member = np.zeros((len(ids), len(themes)))
        for i, c in enumerate(ids):
            self._sec_member[i, sections.index(codebook.section_of(c))] = 1.0
            self._theme_member[i, themes.index(codebook.theme_of(c))] = 1.0
        self._path_texts = [codebook.path_text(c) for c in ids]
        q = embed_query or embed
        self._path_vecs = _unit(q(self._path_texts))
        own = _unit(q([codebook.own_text(c) for c in ids]))
        # each code's vector averaged over its lineage (root excluded when deeper than one level)
        lineage_rows = []
        for c in ids:
            chain = [self._index[a.id] for a in codebook.lineage(c)]
            lineage_rows.append(own[chain[1:] if len(chain) > 1 else chain].mean(axis=0))
        self._lineage_vecs = _unit(np.array(lineage_rows))
        self._zs_lexical = LexicalFeatures().fit(self._path_texts, [None] * len(ids))
        self._zs_code_matrix = self._zs_lexical.text_matrix(self._path_texts)
        self._fitted = False
        self.temperature: float = 1.0
        # top-1 scores at or above it were right HIGH_PRECISION of the time out of fold
        self.high_threshold: float | None = None
        # per code, kappa of the assistant against the coders; codes where it is mere chance
        self.agreement: dict[str, dict[str, float]] = {}
        self.chance_codes: set[str] = set()
        # (scores, true codes, texts) of the calibration's out-of-fold predictions: the
        # cross-validated accuracy of this fit, read by whoever stores it, never pickled
        self.out_of_fold: tuple[np.ndarray, list[str], list[str]] | None = None

    # -- zero-shot -------------------------------------------------------------------------
    def _zero_shot(self, texts: Sequence[str], vecs: np.ndarray) -> np.ndarray:
        cfg = self.config
        w = cfg.zs_lineage_weight
        emb = (1 - w) * _standardise_rows(vecs @ self._path_vecs.T) + w * _standardise_rows(
            vecs @ self._lineage_vecs.T
        )
        lex = cosine(self._zs_lexical.text_matrix(texts), self._zs_code_matrix)
        return _standardise_rows(emb) + cfg.zs_lexical_weight * _standardise_rows(lex)

    # -- supervised ------------------------------------------------------------------------
    def fit(self, passages: Sequence[Mapping], calibrate: bool = True) -> Suggester:
        """Train on passages with ``text``, ``code`` and optional ``orgs``.

        With ``calibrate``, out-of-fold predictions on these passages set the temperature of the
        scores and the high-confidence threshold (4 fits instead of 1).
        """
        passages = [p for p in passages if p.get("code") in self._index]
        self.temperature, self.high_threshold = 1.0, None
        self.agreement, self.chance_codes = {}, set()
        self.out_of_fold = None
        if not passages:
            self._fitted = False
            return self
        self._fit_rows(passages)
        if calibrate and len(passages) >= CALIBRATION_MIN_ROWS:
            self._calibrate(passages)
        return self

    def _calibrate(self, passages: Sequence[Mapping]) -> None:
        probs, gold, order = [], [], []
        folds = KFold(CALIBRATION_FOLDS, shuffle=True, random_state=0)
        for train_idx, test_idx in folds.split(passages):
            order += list(test_idx)
            inner = copy.copy(self)  # shares the code vectors; _fit_rows rebinds what it learns
            inner._fit_rows([passages[i] for i in train_idx])
            test = [passages[i] for i in test_idx]
            parts = inner.components([p["text"] for p in test], [p.get("orgs") for p in test])
            probs.append(inner.combine(parts))
            gold += [self._index[p["code"]] for p in test]
        probs = np.vstack(probs)
        self.temperature = fit_temperature(probs, gold)
        calibrated = tempered(probs, self.temperature)
        correct = calibrated.argmax(axis=1) == np.array(gold)
        self.high_threshold = high_threshold(calibrated.max(axis=1), correct)
        ids = self.codebook.ids
        truth = [ids[g] for g in gold]
        coders = [passages[i].get("coder") or "" for i in order]
        self.agreement = assistant_agreement(
            [ids[j] for j in calibrated.argmax(axis=1)], truth, coders
        )
        self.chance_codes = chance_codes(self.agreement, Counter(truth))
        self.out_of_fold = (calibrated, truth, [passages[i]["text"] for i in order])

    def _fit_rows(self, passages: Sequence[Mapping]) -> None:
        cfg = self.config
        texts = [p["text"] for p in passages]
        labels = [p["code"] for p in passages]
        raw = _unit(self.embed(texts))
        # e5 vectors share a large common direction; removing it spreads the classes apart
        self._centre = raw.mean(axis=0)
        vecs = _unit(raw - self._centre)
        # every code also contributes its own description, so unseen codes stay reachable
        all_texts = texts + self._path_texts
        all_orgs = [p.get("orgs") for p in passages] + [None] * len(self._path_texts)
        all_vecs = np.vstack([vecs, _unit(_unit(self.embed(self._path_texts)) - self._centre)])
        all_labels = labels + self.codebook.ids
        weights = np.r_[np.ones(len(texts)), np.full(len(self._path_texts), cfg.pseudo_doc_weight)]
        self._features = LexicalFeatures().fit(all_texts, all_orgs)
        x = self._design(all_texts, all_orgs, all_vecs)
        self._leaf_clf = _ridge(cfg.ridge_alpha).fit(x, all_labels, weights)
        self._leaf_cols = np.array([self._index[c] for c in self._leaf_clf.classes_])
        sections = [self.codebook.section_of(c) for c in all_labels]
        self._sec_clf = _ridge(cfg.ridge_alpha).fit(x, sections, weights)
        self._sec_cols = np.array([self._sections.index(s) for s in self._sec_clf.classes_])
        self._fitted = True

    def _design(self, texts, orgs, vecs) -> sparse.csr_matrix:
        lexical = self._features.transform(texts, orgs)
        # a constant column stands in for the intercept, which the fast cholesky solver lacks
        dense = np.c_[self.config.embedding_weight * vecs, np.ones(len(vecs))]
        dense = sparse.csr_matrix(dense)
        return sparse.hstack([lexical, dense]).tocsr()

    def _decisions(self, clf: RidgeClassifier, cols: np.ndarray, x, width: int) -> np.ndarray:
        """Standardised decision values; classes absent from training get the row minimum."""
        dec = clf.decision_function(x)
        if dec.ndim == 1:  # two classes: sklearn returns the positive column only
            dec = np.c_[-dec, dec]
        z = _standardise_rows(dec)
        out = np.repeat(z.min(axis=1, keepdims=True), width, axis=1)
        out[:, cols] = z
        return out

    def components(
        self, texts: Sequence[str], orgs: Sequence[Sequence[str] | None] | None = None
    ) -> dict[str, np.ndarray]:
        """Each component's standardised scores over ``codebook.ids`` (rows = texts)."""
        texts = list(texts)
        orgs = list(orgs) if orgs is not None else [None] * len(texts)
        raw = _unit(self.embed(texts))
        out = {"zero_shot": self._zero_shot(texts, raw)}
        if self._fitted:
            vecs = _unit(raw - self._centre)
            x = self._design(texts, orgs, vecs)
            out["lr"] = self._decisions(self._leaf_clf, self._leaf_cols, x, len(self._index))
            out["section_lr"] = self._decisions(
                self._sec_clf, self._sec_cols, x, len(self._sections)
            )
        return out

    def zero_shot_scores(self, texts: Sequence[str]) -> np.ndarray:
        """What the codebook alone would suggest, fitted or not."""
        texts = list(texts)
        return self.combine({"zero_shot": self._zero_shot(texts, _unit(self.embed(texts)))})

    def combine(self, parts: Mapping[str, np.ndarray]) -> np.ndarray:
        """Mix the component distributions and re-weight by the section distribution."""
        cfg = self.config
        zero = _softmax_rows(parts["zero_shot"], cfg.zs_temperature)
        if "lr" not in parts:
            return zero
        probs = {
            "zero_shot": zero,
            "lr": _softmax_rows(parts["lr"], cfg.lr_temperature),
        }
        mix = sum(w * probs[name] for name, w in cfg.mix.items() if w)
        mix = mix / mix.sum(axis=1, keepdims=True)
        section = 0.5 * (mix @ self._sec_member) + 0.5 * _softmax_rows(
            parts["section_lr"], cfg.section_temperature
        )
        scored = mix * (section @ self._sec_member.T) ** cfg.section_power
        return tempered(scored / scored.sum(axis=1, keepdims=True), self.temperature)

    def in_context(self, scores: np.ndarray, documents: Sequence[Hashable]) -> np.ndarray:
        """Blend each passage's section and theme evidence with its neighbours' in its document.

        ``documents`` gives each row's document; rows of one document must be in reading order.
        A document whose neighbours agree no more than chance (e.g. shuffled) is left alone.
        """
        cfg = self.config
        out = scores.copy()
        for rows in runs(documents):
            if not looks_ordered(out[rows] @ self._sec_member):
                continue
            block = rescale_by_context(
                out[rows], self._sec_member, cfg.context_section_weight, cfg.context_section_width
            )
            out[rows] = rescale_by_context(
                block, self._theme_member, cfg.context_theme_weight, cfg.context_theme_width
            )
        return out

    def scores(
        self,
        texts: Sequence[str],
        orgs: Sequence[Sequence[str] | None] | None = None,
        documents: Sequence[Hashable] | None = None,
    ) -> np.ndarray:
        """Probability-like scores, shape (len(texts), len(codebook.ids)).

        With ``documents`` (one key per text, each document's texts in reading order) the scores
        also use the neighbouring passages; without it every passage is scored alone.
        """
        scored = self.combine(self.components(texts, orgs))
        return scored if documents is None else self.in_context(scored, documents)

    def suggest(
        self, text: str, orgs: Sequence[str] | None = None, k: int = 5
    ) -> list[SuggestedCode]:
        row = self.scores([text], [orgs])[0]
        top = np.argsort(-row)[:k]
        ids = self.codebook.ids
        return [
            SuggestedCode(ids[i], float(row[i]), self.codebook.codes[ids[i]].label) for i in top
        ]
