"""In-process vector search (SQLite; PostgreSQL up to `tuning.MEMVEC_MAX_ROWS` passages):
each programme's vectors as one float32 matrix.

A brute-force scan of a large programme (numpy, or sqlite-vec's vec0) is too slow beside full
text, so large programmes get an inverted-file index (k-means lists, a fraction of them
probed), small ones an exact scan. The matrix reloads when the programme's
`IndexState.vectors_token` changes (bumped by the pipeline). A search's selection
(passage_facts.Selection) masks the probed rows; when too few survive, the selected rows are
ranked exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from threadpoolctl import ThreadpoolController

from . import tuning
from .caches import ProgrammeCache
from .passage_facts import Selection, positions

_blas = ThreadpoolController()


@dataclass
class _Matrix:
    token: str
    ids: np.ndarray  # int64, in list order
    vectors: np.ndarray  # float32 (n, dim), rows in list order
    centroids: np.ndarray | None = None
    bounds: np.ndarray | None = None  # list i spans rows bounds[i]:bounds[i+1]
    _fact_rows: tuple[str, np.ndarray] | None = None  # (facts token, facts row of each row)

    @cached_property
    def by_id(self) -> tuple[np.ndarray, np.ndarray]:
        """(ids ascending, their rows): ids are looked up by bisection, faster than np.isin."""
        order = np.argsort(self.ids, kind="stable")
        return self.ids[order], order

    def selected(self, selection: Selection) -> np.ndarray | None:
        """Which rows the selection keeps (None: all); rows unknown to its facts are out."""
        if selection.mask is None:
            return None
        facts = selection.facts
        if self._fact_rows is None or self._fact_rows[0] != facts.token:
            self._fact_rows = (facts.token, facts.rows(self.ids))
        rows = self._fact_rows[1]
        return (rows >= 0) & selection.mask[np.maximum(rows, 0)]


_cache: ProgrammeCache[_Matrix] = ProgrammeCache()


def _kmeans(x: np.ndarray, k: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    sample = x[rng.choice(len(x), min(len(x), tuning.KMEANS_SAMPLE_PER_LIST * k), replace=False)]
    centroids = sample[rng.choice(len(sample), k, replace=False)].copy()
    for _ in range(tuning.KMEANS_ROUNDS):
        assign = np.argmax(sample @ centroids.T, axis=1)
        for c in range(k):
            members = sample[assign == c]
            if len(members):
                mean = members.mean(axis=0)
                centroids[c] = mean / (np.linalg.norm(mean) or 1.0)
    return centroids


def _assign(x: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    out = np.empty(len(x), dtype=np.int64)
    step = tuning.ASSIGN_CHUNK
    for at in range(0, len(x), step):
        out[at : at + step] = np.argmax(x[at : at + step] @ centroids.T, axis=1)
    return out


def build(token: str, ids: np.ndarray, vectors: np.ndarray) -> _Matrix:
    if len(ids) <= tuning.MEMVEC_EXACT_MAX:
        return _Matrix(token, ids, vectors)
    centroids = _kmeans(vectors, int(np.sqrt(len(ids))))
    lists = _assign(vectors, centroids)
    order = np.argsort(lists, kind="stable")
    ids, vectors, lists = ids[order], np.ascontiguousarray(vectors[order]), lists[order]
    bounds = np.searchsorted(lists, np.arange(len(centroids) + 1))
    return _Matrix(token, ids, vectors, centroids, bounds)


def _load(programme_id: int, token: str) -> _Matrix:
    """The programme's matrix as of `token` (its vectors token, read by the search's selection)."""
    from ..models import PassageVector

    cached = _cache.get(programme_id, token)
    if cached:
        return cached
    rows = PassageVector.objects.filter(
        programme_id=programme_id, passage__retired_in__isnull=True
    ).values_list("passage_id", "data")
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64)
    data = b"".join(bytes(r[1]) for r in rows)
    vectors = (
        np.frombuffer(data, dtype=np.float32).reshape(len(ids), -1)
        if len(ids)
        else (np.zeros((0, 1), np.float32))
    )
    return _cache.put(programme_id, build(token, ids, vectors))


def nearest(
    matrix: _Matrix, query: np.ndarray, k: int, selected: np.ndarray | None = None
) -> list[tuple[int, float]]:
    """The k nearest rows (among `selected` rows if given) of the probed lists."""
    if not len(matrix.ids):
        return []
    # One BLAS thread: waking OpenBLAS's pool costs more than these small products.
    with _blas.limit(limits=1, user_api="blas"):
        if matrix.centroids is None:
            rows = np.arange(len(matrix.ids))
            sims = matrix.vectors @ query
        else:
            probe = max(1, len(matrix.centroids) // tuning.MEMVEC_PROBE_FRACTION)
            lists = np.argpartition(-(matrix.centroids @ query), probe - 1)[:probe]
            # Lists are contiguous row ranges: multiply views, never copy the rows.
            spans = [(matrix.bounds[c], matrix.bounds[c + 1]) for c in lists]
            spans = [(a, b) for a, b in spans if b > a]
            if not spans:
                return []
            sims = np.concatenate([matrix.vectors[a:b] @ query for a, b in spans])
            rows = np.concatenate([np.arange(a, b) for a, b in spans])
    if selected is not None:
        keep = selected[rows]
        rows, sims = rows[keep], sims[keep]
    return _best(matrix, rows, sims, k)


def _best(matrix: _Matrix, rows: np.ndarray, sims: np.ndarray, k: int) -> list[tuple[int, float]]:
    k = min(k, len(sims))
    if k == 0:
        return []
    top = np.argpartition(-sims, k - 1)[:k] if k < len(sims) else np.arange(len(sims))
    top = top[np.argsort(-sims[top])]
    return [(int(matrix.ids[rows[i]]), float(sims[i])) for i in top]


def vectors(selection: Selection, ids: list[int]) -> np.ndarray:
    """The stored vectors of these passages, in their order (ids the matrix lacks skipped)."""
    matrix = _load(selection.programme_id, selection.vectors_token)
    ascending, rows = matrix.by_id
    at = positions(ascending, ids)
    return matrix.vectors[rows[at[at >= 0]]]


def search(selection: Selection, query: np.ndarray, limit: int) -> list[tuple[int, float]]:
    matrix = _load(selection.programme_id, selection.vectors_token)
    selected = matrix.selected(selection)
    found = nearest(matrix, query, limit, selected)
    # An empty matrix is 0×1: multiplying it by the query would fail on the shapes.
    if len(found) >= limit or selected is None or not len(matrix.ids):
        return found
    rows = np.flatnonzero(selected)
    with _blas.limit(limits=1, user_api="blas"):
        sims = matrix.vectors[rows] @ query
    return _best(matrix, rows, sims, limit)
