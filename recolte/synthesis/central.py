"""Which passages represent a node: closeness to the node's centroid, and diversity (MMR).

Vectors are the corpus embeddings when every passage has one; otherwise TF-IDF over the node's
own texts, so a report never waits for (or needs) the embedding model.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from recolte.corpus.models import Passage, PassageVector

from .evidence import Item


class VectorStore:
    """Corpus vectors of coded spans: the mean of the stored passages a span overlaps."""

    def __init__(self, items: Sequence[Item]) -> None:
        spans: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
        rows = Passage.objects.filter(
            version_id__in={i.version_id for i in items},
            retired_in__isnull=True,
            vector__isnull=False,
        ).values_list("pk", "version_id", "start", "end")
        for pk, version_id, start, end in rows:
            spans[version_id].append((start, end, pk))
        needed = {pk for found in spans.values() for _s, _e, pk in found}
        self._data = (
            {
                pk: np.frombuffer(bytes(data), dtype=np.float32)
                for pk, data in PassageVector.objects.filter(passage_id__in=needed).values_list(
                    "passage_id", "data"
                )
            }
            if needed
            else {}
        )
        self._spans = spans

    def vectors(self, items: Sequence[Item]) -> np.ndarray | None:
        """One row per item, or None when one of them has no stored vector."""
        rows = []
        for item in items:
            hits = [
                self._data[pk]
                for s, e, pk in self._spans.get(item.version_id, ())
                if s < item.end and e > item.start and pk in self._data
            ]
            if not hits:
                return None
            v = np.mean(hits, axis=0)
            rows.append(v / (np.linalg.norm(v) or 1.0))
        return np.vstack(rows) if rows else None


def tfidf(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised TF-IDF rows (word unigrams and bigrams, accents kept)."""
    try:
        matrix = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit_transform(texts)
    except ValueError:  # no word at all (numbers or punctuation only)
        return np.zeros((len(texts), 1), dtype=np.float32)
    return matrix.toarray().astype(np.float32)


def embed(items: Sequence[Item], store: VectorStore | None) -> np.ndarray:
    found = store.vectors(items) if store is not None else None
    return found if found is not None else tfidf([i.text for i in items])


def centrality(x: np.ndarray) -> np.ndarray:
    """Cosine of each row to the centroid of all rows."""
    centroid = x.mean(axis=0)
    norm = np.linalg.norm(centroid)
    if not norm:
        return np.zeros(len(x))
    return x @ (centroid / norm)


def central(items: Sequence[Item], x: np.ndarray, k: int) -> list[Item]:
    """The `k` items closest to the centroid, most central first (ties: reading order)."""
    scores = centrality(x)
    order = sorted(range(len(items)), key=lambda i: (-round(float(scores[i]), 6), i))
    return [items[i] for i in order[:k]]


def mmr(
    items: Sequence[Item], x: np.ndarray, k: int, lam: float = 0.7, org_penalty: float = 0.3
) -> list[Item]:
    """Maximal marginal relevance: central passages, unlike those already picked and preferably
    from organisations not yet represented."""
    scores = centrality(x)
    picked: list[int] = []
    seen_orgs: set[int] = set()
    while len(picked) < min(k, len(items)):
        best, best_score = -1, -np.inf
        for i in range(len(items)):
            if i in picked:
                continue
            redundancy = max((float(x[i] @ x[j]) for j in picked), default=0.0)
            orgs = {o.pk for o in items[i].orgs}
            repeat = bool(orgs) and orgs <= seen_orgs
            score = lam * scores[i] - (1 - lam) * redundancy - (org_penalty if repeat else 0.0)
            if score > best_score + 1e-9:
                best, best_score = i, score
        picked.append(best)
        seen_orgs |= {o.pk for o in items[best].orgs}
    return [items[i] for i in picked]
