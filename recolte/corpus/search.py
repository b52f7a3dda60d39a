"""Hybrid passage search: BM25 and vector neighbours fused by weighted reciprocal rank, the
vector query widened by the best full-text hits (pseudo-relevance feedback).

Every query is confined to what the user may see (`visible_material`) before ranking, so
scores, counts and "more like this" never leak unpublished passages of other organisations.
The ranking itself is the search engine's (`recolte.corpus.retrieval`); this module is what
the rest of the product calls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
from django.db.models import Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from recolte.access.policy import visible_material
from recolte.registry.models import Programme

from . import retrieval
from .models import Passage, PassageVector
from .retrieval import MODES, Selection, tuning
from .text import fold, fold_with_map, near_duplicate_groups, query_terms

__all__ = ["MODES", "Filters", "Hit", "Results", "passages_search", "similar_passages"]


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
        """The filter on passages in SQL, one Q per condition (retrieval.select is its
        in-memory twin). Apply each in its own .filter(): conditions on authors or mentions must not
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
    matched: list[str] = field(default_factory=list)  # the query's words found in the text
    question: str = ""  # the campaign question an answer passage answers
    similar: list[Passage] = field(default_factory=list)  # near-duplicates shown as this one

    @property
    def url(self) -> str:
        return self.passage.get_absolute_url()


@dataclass
class Results:
    query: str
    hits: list[Hit]  # passages containing the query's words (near-duplicates collapsed)
    total: int  # passages containing the query's words, every one counted
    offset: int
    limit: int
    related: list[Hit] = field(default_factory=list)  # near in meaning, without the words
    more: bool = False

    @property
    def has_more(self) -> bool:
        return self.more


RELATED = 5  # passages found by meaning alone, shown apart under the first page


def allowed_passages(user, programme: Programme, filters: Filters | None) -> QuerySet:
    """Live passages of the programme the user may see and the filters keep, in SQL."""
    # No ordering: the set is used as an IN (…) subquery, where the default ordering (by
    # resource date) would add a join and a sort for nothing.
    allowed = Passage.objects.filter(programme=programme, retired_in__isnull=True).order_by()
    allowed = allowed.exclude(kind=Passage.Kind.PROMPT)  # a question is context, not a find
    allowed = allowed.filter(visible_material(user, programme, prefix="resource__"))
    for condition in filters.conditions() if filters else []:
        allowed = allowed.filter(condition)
    return allowed.distinct()  # joins repeat a passage when several authors or mentions match


def selection(user, programme: Programme, filters: Filters | None) -> Selection:
    """What a search by `user` with `filters` may return (a mask over cached passage facts)."""
    return retrieval.select(
        user, programme, filters, lambda: allowed_passages(user, programme, filters)
    )


def narrowed(chosen: Selection, within: QuerySet) -> Selection:
    """`chosen` kept to the passages of `within` too (the portal: published versions only)."""
    rows = chosen.facts.rows(list(within.values_list("pk", flat=True)))
    keep = np.zeros(len(chosen.facts.ids), bool)
    keep[rows[rows >= 0]] = True
    mask = keep if chosen.mask is None else chosen.mask & keep
    return replace(chosen, mask=mask, sql=lambda: chosen.allowed.filter(pk__in=within))


def passages_search(
    *,
    user,
    programme: Programme,
    query: str,
    filters: Filters | None = None,
    limit: int = 20,
    offset: int = 0,
    mode: str = "hybrid",
    within: QuerySet | None = None,
) -> Results:
    """The passages containing the query's words, ranked by words and meaning together, and
    apart, on the first page, the passages near in meaning that lack the words. `total` is the
    number of passages containing the words: the vector side always finds neighbours, so
    counting them would make every query find a full page."""
    query = " ".join(query.split())
    if not query:
        return Results(query, [], 0, offset, limit)
    pending = retrieval.embed_soon(query) if mode != "bm25" else None
    chosen = selection(user, programme, filters)
    if within is not None:
        chosen = narrowed(chosen, within)
    depth = max(tuning.SEARCH_DEPTH, 2 * (offset + limit))
    ranked = retrieval.rank(selection=chosen, query=query, depth=depth, mode=mode, pending=pending)
    if mode == "vector":  # the engine's own comparison (eval-search, the command): no words
        matches, related, total = ranked, [], len(ranked)
    else:
        matches = [r for r in ranked if "bm25" in r[2]]
        related = [r for r in ranked if "bm25" not in r[2]][:RELATED] if not offset else []
        total = retrieval.count_matches(chosen, query_terms(query))
    groups = _collapsed(matches + related)
    shown = [g for g in groups if "bm25" in g[0][2] or mode == "vector"]
    page = shown[offset : offset + limit]
    hits = _hits(programme, chosen, page, query)
    others = _hits(programme, chosen, [g for g in groups if g not in shown], query)
    return Results(query, hits, total, offset, limit, others, len(shown) > offset + limit)


def _collapsed(ranked: list[tuple[int, float, dict]]) -> list[list[tuple[int, float, dict]]]:
    """The ranked passages grouped by same or near-same text, each group led by its best."""
    texts = dict(Passage.objects.filter(pk__in=[r[0] for r in ranked]).values_list("pk", "text"))
    ranked = [r for r in ranked if r[0] in texts]
    return [[ranked[i] for i in g] for g in near_duplicate_groups([texts[r[0]] for r in ranked])]


def resources_containing(user, programme: Programme, query: str) -> set[int]:
    """Resources with a passage the user may see containing each word of `query` (the library's
    search: every word, as a filter narrows, where passages_search ranks any)."""
    chosen = selection(user, programme, None)
    found: set[int] | None = None
    for term in query_terms(query):
        ids = [pk for pk, _ in retrieval.fts_search(chosen, [term], max(chosen.count(), 1))]
        rows = chosen.facts.rows(ids)
        resources = set(chosen.facts.resource[rows[rows >= 0]].tolist())
        found = resources if found is None else found & resources
    return found or set()


def similar_passages(passage: Passage, user, k: int = 5) -> list[Hit]:
    """The passages nearest in meaning to `passage` that the user may see."""
    stored = PassageVector.objects.filter(passage=passage).first()
    if stored is None:
        return []
    chosen = selection(user, passage.programme, None)
    found = [f for f in retrieval.vec_search(chosen, stored.array(), k + 1) if f[0] != passage.pk]
    page = [[(pk, s, {"vector": {"rank": i + 1, "score": s}})] for i, (pk, s) in enumerate(found)]
    return _hits(passage.programme, chosen, page[:k], "")


def _hits(
    programme: Programme,
    chosen: Selection,
    groups: list[list[tuple[int, float, dict]]],
    query: str,
) -> list[Hit]:
    # The page is read in one query and checked against the selection, whose access rule was
    # asked of SQL for this very search (asking again through the filter's joins is slow on
    # large programmes). The row's own state is checked as read: a passage retired since
    # ranking is not shown. The programme is in hand rather than joined.
    ids = [pk for group in groups for pk, _, _ in group]
    shown = [pk for pk, ok in zip(ids, chosen.keep(ids), strict=True) if ok]
    live = Passage.objects.filter(pk__in=shown, programme=programme, retired_in__isnull=True)
    rows = {row.pk: row for row in live.select_related("resource__campaign").order_by()}
    for row in rows.values():
        row.resource.programme = programme
    questions = questions_of(list(rows.values()))
    terms = query_terms(query)
    hits = []
    for group in groups:
        found = [member for member in group if member[0] in rows]
        if not found:
            continue
        (pk, score, parts), passage = found[0], rows[found[0][0]]
        hits.append(
            Hit(
                passage,
                score,
                parts,
                highlight(passage.text, terms),
                matched_terms(passage.text, terms),
                questions.get(pk, ""),
                [rows[other] for other, _, _ in found[1:]],
            )
        )
    return hits


def questions_of(passages: list[Passage]) -> dict[int, str]:
    """For each passage answering a campaign question, that question (the nearest question
    prompt before it in its resource): an answer read alone loses what it answers."""
    prompts: dict[int, list[tuple[int, str]]] = {}
    found = Passage.objects.filter(
        resource_id__in={p.resource_id for p in passages},
        kind=Passage.Kind.PROMPT,
        retired_in__isnull=True,
    )
    for resource_id, ordinal, text in found.order_by("ordinal").values_list(
        "resource_id", "ordinal", "text"
    ):
        prompts.setdefault(resource_id, []).append((ordinal, text))
    questions = {}
    for passage in passages:
        before = [text for o, text in prompts.get(passage.resource_id, []) if o < passage.ordinal]
        if before:
            questions[passage.pk] = before[-1]
    return questions


def _term_pattern(terms: list[str]) -> re.Pattern:
    # Words of 4 letters or more also mark their inflected forms ("collectivité" → "…s").
    alternatives = "|".join(
        re.escape(t) + (r"\w*" if len(t) >= 4 else "") for t in sorted(terms, key=len, reverse=True)
    )
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def matched_terms(text: str, terms: list[str]) -> list[str]:
    """The query's words found in `text` (accents and case ignored), in query order."""
    folded = fold(text)
    return [t for t in terms if _term_pattern([t]).search(folded)]


def highlight(text: str, terms: list[str]) -> SafeString:
    """`text` escaped, with words matching a term (accents and case ignored) in <mark>."""
    if not terms:
        return mark_safe(escape(text))
    folded, where = fold_with_map(text)
    out: list[str] = []
    cursor = 0
    for m in _term_pattern(terms).finditer(folded):
        start, end = where[m.start()], where[m.end() - 1] + 1
        if start < cursor:
            continue
        out += [escape(text[cursor:start]), "<mark>", escape(text[start:end]), "</mark>"]
        cursor = end
    out.append(escape(text[cursor:]))
    return mark_safe("".join(out))
