"""Which passages a search may return, as a boolean mask over per-programme passage facts.

Asking SQL for the allowed ids of a filtered search is slow on large programmes (a language
filter returns most ids; an organisation filter joins authors and mentions). So the facts the
pipeline owns — each live passage's resource, language, and the organisations and countries it
mentions — are held per process as arrays, reloaded when the programme's
`IndexState.passages_token` changes; the facts people edit — confidentiality, authors,
campaign, pilot, dates, natures — are read from SQL on every query at the level of resources
(far fewer rows), so the access rule is never answered from a cache.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
from django.db import connection
from django.db.models import Q, QuerySet

from recolte.access.policy import visible_material_branches
from recolte.collection.models import Resource
from recolte.registry.models import Organisation, Programme

from ..models import IndexState, Mention, Passage
from .caches import ProgrammeCache

if TYPE_CHECKING:
    from ..search import Filters

_NONE = np.zeros(0, np.int64)


@dataclass
class PassageFacts:
    token: str  # the passages token they were loaded at
    ids: np.ndarray  # int64, ascending: the programme's live passages
    resource: np.ndarray  # int64 resource id of each row
    language: np.ndarray  # int16 index into `languages`
    languages: dict[str, int]
    org_rows: dict[int, np.ndarray]  # mentioned organisation → rows
    country_rows: dict[str, np.ndarray]  # mentioned country code → rows

    @property
    def max_id(self) -> int:
        return int(self.ids[-1]) if len(self.ids) else 0

    def rows(self, ids) -> np.ndarray:
        """Row of each id, -1 where the id is not a live passage of the programme (as loaded)."""
        return positions(self.ids, ids)

    def rows_of_resources(self, resource_ids: np.ndarray) -> np.ndarray:
        if not len(self.resource):
            return np.zeros(0, bool)
        table = np.zeros(int(self.resource.max()) + 1, bool)
        table[resource_ids[resource_ids < len(table)]] = True
        return table[self.resource]


_cache: ProgrammeCache[PassageFacts] = ProgrammeCache()


def positions(ascending: np.ndarray, ids) -> np.ndarray:
    """Index of each id in `ascending` (sorted ids), -1 where it is absent."""
    ids = np.asarray(ids, np.int64)
    if not len(ascending):
        return np.full(len(ids), -1, np.int64)
    at = np.minimum(np.searchsorted(ascending, ids), len(ascending) - 1)
    return np.where(ascending[at] == ids, at, -1)


_TOKENS = (
    f"SELECT passages_token, vectors_token FROM {IndexState._meta.db_table} WHERE programme_id = %s"
)


def tokens(programme_id: int) -> tuple[str, str]:
    """The programme's (passages, vectors) tokens, read once per search for both caches, with
    a plain cursor: the ORM's overhead holds the GIL the query's embedding thread needs."""
    with connection.cursor() as cursor:
        cursor.execute(_TOKENS, [programme_id])
        found = cursor.fetchone()
    return (str(found[0]), str(found[1])) if found else ("", "")


def load(programme_id: int, token: str) -> PassageFacts:
    """The programme's passage facts as of `token` (its passages token)."""
    cached = _cache.get(programme_id, token)
    if cached:
        return cached
    rows = list(
        Passage.objects.filter(programme_id=programme_id, retired_in__isnull=True)
        .exclude(kind=Passage.Kind.PROMPT)  # a campaign's question: context, never a result
        .order_by("pk")
        .values_list("pk", "resource_id", "language")
    )
    ids = np.fromiter((r[0] for r in rows), np.int64, len(rows))
    languages: dict[str, int] = {}
    codes = np.fromiter(
        (languages.setdefault(r[2], len(languages)) for r in rows), np.int16, len(rows)
    )
    resources = np.fromiter((r[1] for r in rows), np.int64, len(rows))
    facts = PassageFacts(token, ids, resources, codes, languages, {}, {})
    mentioned = Mention.objects.filter(
        passage__programme_id=programme_id, passage__retired_in__isnull=True
    ).values_list("passage_id", "organisation_id", "country_id")
    by_org: dict[int, list[int]] = defaultdict(list)
    by_country: dict[str, list[int]] = defaultdict(list)
    for passage_id, org, country in mentioned.order_by():
        (by_org[org] if org else by_country[country]).append(passage_id)
    facts.org_rows = {k: _live(facts, v) for k, v in by_org.items()}
    facts.country_rows = {k: _live(facts, v) for k, v in by_country.items()}
    return _cache.put(programme_id, facts)


def _live(facts: PassageFacts, ids: list[int]) -> np.ndarray:
    rows = facts.rows(ids)
    return np.unique(rows[rows >= 0])


@dataclass
class Selection:
    """The passages one search may return: `mask` over the facts' rows (None: every live
    passage of the programme), and the same set as SQL (`allowed`) for what the facts do
    not know (passages added since they were loaded)."""

    programme_id: int
    facts: PassageFacts
    mask: np.ndarray | None
    sql: Callable[[], QuerySet]  # builds `allowed` only when needed: Django's filters cost
    vectors_token: str  # IndexState.vectors_token as read for this search (memvec)

    @cached_property
    def allowed(self) -> QuerySet:
        return self.sql()

    @property
    def restricted(self) -> bool:
        return self.mask is not None

    def count(self) -> int:
        return len(self.facts.ids) if self.mask is None else int(self.mask.sum())

    def share(self) -> float:
        """The selection's part of the programme's live passages."""
        return self.count() / max(1, len(self.facts.ids))

    def ids(self) -> np.ndarray:
        return self.facts.ids if self.mask is None else self.facts.ids[self.mask]

    def runs(self) -> list[tuple[int, int]]:
        """The selection as (first id, last id) runs of consecutive live passages: a resource's
        passages are created together, so whole resources make few runs. A run may span ids of
        other programmes' passages created meanwhile: callers still `keep` what they find."""
        ids = self.facts.ids
        mask = np.ones(len(ids), bool) if self.mask is None else self.mask
        edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
        starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1
        return [(int(ids[a]), int(ids[b])) for a, b in zip(starts, ends, strict=True)]

    def keep(self, ids: list[int]) -> list[bool]:
        """Whether each id may be returned."""
        rows = self.facts.rows(ids)
        known = rows >= 0
        ok = known if self.mask is None else known & self.mask[np.maximum(rows, 0)]
        late = [pk for pk, k in zip(ids, known, strict=True) if not k and pk > self.facts.max_id]
        if late:  # ids at or below max_id unknown to the facts are another programme's
            allowed = set(self.allowed.filter(pk__in=late).values_list("pk", flat=True))
            return [bool(o) or pk in allowed for pk, o in zip(ids, ok, strict=True)]
        return ok.tolist()


def select(
    user, programme: Programme, filters: Filters | None, sql: Callable[[], QuerySet]
) -> Selection:
    """The Selection of `filters` for `user`; `sql` builds the same set in SQL
    (search.allowed_passages: Filters.conditions is this function's SQL twin)."""
    passages_token, vectors_token = tokens(programme.pk)
    facts = load(programme.pk, passages_token)
    mask: np.ndarray | None = None

    def narrow(rows: np.ndarray) -> None:
        nonlocal mask
        mask = rows if mask is None else mask & rows

    branches = visible_material_branches(user, programme)
    conditions = [filters.resource_q()] if filters and filters.resource_q() else []
    if branches or conditions:
        narrow(facts.rows_of_resources(_resources(programme, conditions, branches)))
    if filters is None:
        return Selection(programme.pk, facts, mask, sql, vectors_token)
    if filters.language:
        narrow(facts.language == facts.languages.get(filters.language, -1))

    def authored(q: Q) -> np.ndarray:
        # Only resources the mask can keep: fewer ids to read when it is already narrow.
        return facts.rows_of_resources(_resources(programme, [*conditions, q], branches))

    if filters.organisation:
        found = facts.org_rows.get(filters.organisation, _NONE)
        narrow(_either(authored(Q(organisations=filters.organisation)), [found]))
    if filters.nature:
        natured = Organisation.objects.filter(programme=programme, nature=filters.nature)
        mentioned = [facts.org_rows.get(pk, _NONE) for pk in natured.values_list("pk", flat=True)]
        narrow(_either(authored(Q(organisations__nature=filters.nature)), mentioned))
    if filters.country:
        found = facts.country_rows.get(filters.country, _NONE)
        narrow(_either(authored(Q(pilot__countries=filters.country)), [found]))
    return Selection(programme.pk, facts, mask, sql, vectors_token)


def _resources(programme: Programme, conditions: list[Q], branches: list[Q]) -> np.ndarray:
    """Ids of the programme's resources meeting every condition and any branch of the access
    rule. Each condition gets its own .filter() so conditions on authors do not share a join;
    the branches are asked one by one and their ids united, as an OR across a join defeats
    the indexes."""
    resources = Resource.objects.filter(programme=programme).order_by()
    for q in conditions:
        resources = resources.filter(q)
    # Joins through authors repeat a resource per author: distinct (UNION is), no ordering.
    if len(branches) > 1:
        parts = [resources.filter(q).values_list("pk") for q in branches]
        resources = parts[0].union(*parts[1:])
    else:
        resources = resources.filter(*branches).distinct().values_list("pk")
    # Read with a plain cursor: Django's row iteration costs as much as the query itself.
    sql, params = resources.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return np.array([r[0] for r in cursor.fetchall()], np.int64)


def _either(rows: np.ndarray, mentioned: list[np.ndarray]) -> np.ndarray:
    """`rows` (passages of some resources, a fresh array) or among the mentioned rows."""
    for found in mentioned:
        rows[found] = True
    return rows
