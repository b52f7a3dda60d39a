"""Fusion of the full-text and vector rankings, with the query's vector and its feedback."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache, lru_cache

import numpy as np

from .. import engine
from ..embeddings import one_core
from ..text import query_terms
from . import tables, tuning
from .passage_facts import Selection

MODES = ("hybrid", "bm25", "vector")


def fuse(rankings: dict[str, list[tuple[int, float]]], weights=None, k: int | None = None):
    """Weighted reciprocal rank fusion → [(id, score, parts)] best first."""
    weights = weights or tuning.WEIGHTS
    k = tuning.RRF_K if k is None else k
    fused: dict[int, float] = {}
    parts: dict[int, dict] = {}
    for name, ranking in rankings.items():
        for rank, (pk, score) in enumerate(ranking, start=1):
            fused[pk] = fused.get(pk, 0.0) + weights.get(name, 1.0) / (k + rank)
            parts.setdefault(pk, {})[name] = {"rank": rank, "score": round(score, 4)}
    order = sorted(fused, key=lambda pk: -fused[pk])
    return [(pk, fused[pk], parts[pk]) for pk in order]


@cache
def _pool() -> ThreadPoolExecutor:
    """Created on first use, not at import: commands and tasks that never search need none."""
    return ThreadPoolExecutor(
        tuning.QUERY_EMBEDDING_THREADS, thread_name_prefix="query-embedding", initializer=one_core
    )


@lru_cache(maxsize=tuning.QUERY_EMBEDDINGS_CACHED)
def _cached_embedding(engine_id: int, query: str) -> np.ndarray:
    return np.asarray(engine.embedder().query([query])[0], np.float32)


def embed_soon(query: str) -> Future:
    """Start embedding the query in a thread: the engine releases the GIL, so the vector is
    computed while the database selects and ranks full text."""
    return _pool().submit(query_embedding, query)


def query_embedding(query: str) -> np.ndarray:
    """The query's vector; repeated queries (pages, filter changes) are served from memory."""
    return _cached_embedding(id(engine.embedder()), query)


def rank(
    *,
    selection: Selection,
    query: str,
    depth: int,
    mode: str = "hybrid",
    query_vector: np.ndarray | None = None,
    weights: dict | None = None,
    k: int | None = None,
    pending: Future | None = None,
) -> list[tuple[int, float, dict]]:
    """Fused rankings of `query`; `pending` is its vector being computed (see embed_soon)."""
    rankings: dict[str, list[tuple[int, float]]] = {}
    if mode in ("hybrid", "vector") and query_vector is None and pending is None:
        pending = embed_soon(query)
    if mode in ("hybrid", "bm25"):
        rankings["bm25"] = tables.fts_search(selection, query_terms(query), depth)
    if mode in ("hybrid", "vector"):
        if pending is not None:
            query_vector = pending.result()
        query_vector = np.asarray(query_vector, np.float32)
        if mode == "hybrid":
            hits = [pk for pk, _ in rankings["bm25"][: tuning.FEEDBACK_HITS]]
            query_vector = _with_feedback(query_vector, tables.vectors(selection, hits))
        rankings["vector"] = tables.vec_search(selection, query_vector, depth)
    return fuse(rankings, weights, k)


def _with_feedback(query_vector: np.ndarray, hits: np.ndarray) -> np.ndarray:
    """The query's vector moved towards its best full-text hits' vectors, so the vector side
    ranks what resembles the passages BM25 is surest of, not only the query's wording."""
    if not len(hits):
        return query_vector
    widened = query_vector + tuning.FEEDBACK_WEIGHT * hits.mean(axis=0)
    return widened / np.linalg.norm(widened)
