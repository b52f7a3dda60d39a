"""Hybrid passage search: BM25 and vector neighbours fused by weighted reciprocal rank, the
vector query widened by the best full-text hits (pseudo-relevance feedback).

Every query is confined to what the user may see (`visible_material`) before ranking, so
scores, counts and "more like this" never leak unpublished passages of other organisations.
"""

from __future__ import annotations

import re
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import numpy as np
from django.db.models import Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from recolte.access.policy import visible_material
from recolte.registry.models import Programme

from . import engine, facets, index
from .embeddings import one_core
from .models import Passage, PassageVector
from .text import fold_with_map, query_terms

RRF_K = 30
# Swept on the reference codebook (`recolte eval-search`, SQLite and PostgreSQL, k 5–60, BM25
# weight 1–3, feedback from 0/2/3/5 hits): BM25 is the sharper signal on French domain
# vocabulary; vectors add paraphrases and languages. Fused with the plain query vector, the
# hybrid gained recall@10 but no MRR over BM25 on either database; it only led on both once
# the vector side searched near the query *and* its best full-text hits, as below.
WEIGHTS = {"bm25": 2.0, "vector": 1.0}
FEEDBACK_HITS = 3
FEEDBACK_WEIGHT = 1.0  # of the hits' mean vector, beside the query's own (unit) vector
MODES = ("hybrid", "bm25", "vector")


@dataclass
class Filters:
    instrument: str = ""
    campaign: int | None = None
    organisation: int | None = None  # author or mentioned
    nature: str = ""  # of an author or mentioned organisation
    pilot: int | None = None
    country: str = ""  # mentioned, or a country of the resource's pilot operation
    language: str = ""
    date_from: date | None = None
    date_to: date | None = None
    confidentiality: str = ""

    def resource_q(self, prefix: str = "") -> Q:
        """The conditions on the resource (`prefix` reaches it from another model)."""
        conditions = {
            "instrument": self.instrument,
            "campaign_id": self.campaign,
            "pilot_id": self.pilot,
            "date__gte": self.date_from,
            "date__lte": self.date_to,
            "confidentiality": self.confidentiality,
        }
        return Q(**{prefix + k: v for k, v in conditions.items() if v})

    def conditions(self) -> list[Q]:
        """The filter on passages in SQL, one Q per condition (facets.select is its in-memory
        twin). Apply each in its own .filter(): conditions on authors or mentions must not
        share a join (a co-authored resource is "by A" and "by B", no single row is both)."""
        conditions = [self.resource_q("resource__")]
        if self.organisation:
            conditions.append(
                Q(resource__organisations=self.organisation)
                | Q(mentions__organisation=self.organisation)
            )
        if self.nature:
            conditions.append(
                Q(resource__organisations__nature=self.nature)
                | Q(mentions__organisation__nature=self.nature)
            )
        if self.country:
            conditions.append(
                Q(mentions__country=self.country) | Q(resource__pilot__countries=self.country)
            )
        if self.language:
            conditions.append(Q(language=self.language))
        return conditions


@dataclass
class Hit:
    passage: Passage
    score: float
    parts: dict = field(default_factory=dict)  # bm25/vector: {"rank", "score"}
    highlighted: SafeString = mark_safe("")

    @property
    def url(self) -> str:
        return self.passage.get_absolute_url()


@dataclass
class Results:
    query: str
    hits: list[Hit]
    total: int  # candidates ranked (at most the retrieval depth)
    offset: int
    limit: int

    @property
    def has_more(self) -> bool:
        return self.offset + self.limit < self.total


def allowed_passages(user, programme: Programme, filters: Filters | None) -> QuerySet:
    """Live passages of the programme the user may see and the filters keep, in SQL."""
    # No ordering: the set is used as an IN (…) subquery, where the default ordering (by
    # resource date) would add a join and a sort for nothing.
    allowed = Passage.objects.filter(programme=programme, retired_in__isnull=True).order_by()
    allowed = allowed.filter(visible_material(user, programme, prefix="resource__"))
    for condition in filters.conditions() if filters else []:
        allowed = allowed.filter(condition)
    return allowed.distinct()  # joins repeat a passage when several authors or mentions match


def selection(user, programme: Programme, filters: Filters | None) -> facets.Selection:
    """What a search by `user` with `filters` may return (a mask over cached facets)."""
    return facets.select(
        user, programme, filters, lambda: allowed_passages(user, programme, filters)
    )


def fuse(rankings: dict[str, list[tuple[int, float]]], weights=None, k: int = RRF_K):
    """Weighted reciprocal rank fusion → [(id, score, parts)] best first."""
    weights = weights or WEIGHTS
    fused: dict[int, float] = {}
    parts: dict[int, dict] = {}
    for name, ranking in rankings.items():
        for rank, (pk, score) in enumerate(ranking, start=1):
            fused[pk] = fused.get(pk, 0.0) + weights.get(name, 1.0) / (k + rank)
            parts.setdefault(pk, {})[name] = {"rank": rank, "score": round(score, 4)}
    order = sorted(fused, key=lambda pk: -fused[pk])
    return [(pk, fused[pk], parts[pk]) for pk in order]


_pool = ThreadPoolExecutor(2, thread_name_prefix="query-embedding", initializer=one_core)


@lru_cache(maxsize=512)
def _cached_embedding(engine_id: int, query: str) -> np.ndarray:
    return np.asarray(engine.embedder().query([query])[0], np.float32)


def embed_soon(query: str) -> Future:
    """Start embedding the query in a thread: the engine releases the GIL, so the vector is
    computed while the database selects and ranks full text."""
    return _pool.submit(query_embedding, query)


def query_embedding(query: str) -> np.ndarray:
    """The query's vector; repeated queries (pages, filter changes) are served from memory."""
    return _cached_embedding(id(engine.embedder()), query)


def rank(
    *,
    selection: facets.Selection,
    query: str,
    depth: int,
    mode: str = "hybrid",
    query_vector: np.ndarray | None = None,
    weights: dict | None = None,
    k: int = RRF_K,
    pending: Future | None = None,
) -> list[tuple[int, float, dict]]:
    """Fused rankings of `query`; `pending` is its vector being computed (see embed_soon)."""
    rankings: dict[str, list[tuple[int, float]]] = {}
    if mode in ("hybrid", "vector") and query_vector is None and pending is None:
        pending = embed_soon(query)
    if mode in ("hybrid", "bm25"):
        rankings["bm25"] = index.fts_search(selection, query_terms(query), depth)
    if mode in ("hybrid", "vector"):
        if pending is not None:
            query_vector = pending.result()
        query_vector = np.asarray(query_vector, np.float32)
        if mode == "hybrid":
            hits = [pk for pk, _ in rankings["bm25"][:FEEDBACK_HITS]]
            query_vector = _with_feedback(query_vector, index.vectors(selection, hits))
        rankings["vector"] = index.vec_search(selection, query_vector, depth)
    return fuse(rankings, weights, k)


def _with_feedback(query_vector: np.ndarray, hits: np.ndarray) -> np.ndarray:
    """The query's vector moved towards its best full-text hits' vectors, so the vector side
    ranks what resembles the passages BM25 is surest of, not only the query's wording."""
    if not len(hits):
        return query_vector
    widened = query_vector + FEEDBACK_WEIGHT * hits.mean(axis=0)
    return widened / np.linalg.norm(widened)


def passages_search(
    *,
    user,
    programme: Programme,
    query: str,
    filters: Filters | None = None,
    limit: int = 20,
    offset: int = 0,
    mode: str = "hybrid",
) -> Results:
    query = " ".join(query.split())
    if not query:
        return Results(query, [], 0, offset, limit)
    pending = embed_soon(query) if mode != "bm25" else None
    chosen = selection(user, programme, filters)
    depth = max(100, 2 * (offset + limit))
    ranked = rank(selection=chosen, query=query, depth=depth, mode=mode, pending=pending)
    page = ranked[offset : offset + limit]
    hits = _hits(programme, chosen, page, query)
    return Results(query, hits, len(ranked), offset, limit)


def similar_passages(passage: Passage, user, k: int = 5) -> list[Hit]:
    """The passages nearest in meaning to `passage` that the user may see."""
    stored = PassageVector.objects.filter(passage=passage).first()
    if stored is None:
        return []
    chosen = selection(user, passage.programme, None)
    found = [f for f in index.vec_search(chosen, stored.array(), k + 1) if f[0] != passage.pk]
    page = [(pk, s, {"vector": {"rank": i + 1, "score": s}}) for i, (pk, s) in enumerate(found)]
    return _hits(passage.programme, chosen, page[:k], "")


def _hits(
    programme: Programme, chosen: facets.Selection, page: list[tuple[int, float, dict]], query: str
) -> list[Hit]:
    # The page is read in one query and checked against the selection, whose access rule was
    # asked of SQL for this very search (asking again through the filter's joins cost 2.5 ms
    # on PostgreSQL at 100k). The row's own state is checked as read: a passage retired since
    # ranking is not shown. The programme is in hand rather than joined.
    ids = [pk for pk, _, _ in page]
    shown = [pk for pk, ok in zip(ids, chosen.keep(ids), strict=True) if ok]
    live = Passage.objects.filter(pk__in=shown, programme=programme, retired_in__isnull=True)
    rows = {row.pk: row for row in live.select_related("resource__campaign").order_by()}
    for row in rows.values():
        row.resource.programme = programme
    terms = query_terms(query)
    return [
        Hit(rows[pk], score, parts, highlight(rows[pk].text, terms))
        for pk, score, parts in page
        if pk in rows
    ]


def highlight(text: str, terms: list[str]) -> SafeString:
    """`text` escaped, with words matching a term (accents and case ignored) in <mark>."""
    if not terms:
        return mark_safe(escape(text))
    folded, where = fold_with_map(text)
    alternatives = "|".join(
        re.escape(t) + (r"\w*" if len(t) >= 4 else "") for t in sorted(terms, key=len, reverse=True)
    )
    out: list[str] = []
    cursor = 0
    for m in re.finditer(rf"(?<!\w)(?:{alternatives})(?!\w)", folded):
        start, end = where[m.start()], where[m.end() - 1] + 1
        if start < cursor:
            continue
        out += [escape(text[cursor:start]), "<mark>", escape(text[start:end]), "</mark>"]
        cursor = end
    out.append(escape(text[cursor:]))
    return mark_safe("".join(out))
