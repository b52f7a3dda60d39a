"""From a resource version to indexed passages: split, detect language, link, embed, index.

`process_version(version)` is idempotent; `Batch` lets a long run embed many versions'
passages together (the engine is fastest with full batches), overlapping the embedding of
one batch with the preparation of the next.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache

import numpy as np
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from recolte.collection.models import Resource, ResourceVersion
from recolte.collection.selectors import question_prompts

from . import engine, retrieval
from .link import Linker
from .models import Mention, Passage, PassageVector, UnknownEntity
from .split import Piece, mark_prompts, prompt_spans, split
from .text import fold, guess_language

EMBED_BATCH = 64


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def pieces_of(version: ResourceVersion) -> tuple[list[Piece], str]:
    """The passages of a version's text and the document's language."""
    resource = version.resource
    language = resource.language or guess_language(version.text[:5000], default="")
    cues = (version.extra or {}).get("cues")
    pieces = split(
        version.text,
        transcript=resource.kind == Resource.Kind.TRANSCRIPT,
        cues=cues,
        french=language == "fr",
    )
    spans = prompt_spans(version.text, question_prompts(resource))
    return mark_prompts(pieces, spans) if spans else pieces, language


def _match(pieces: list[Piece], texts: list[str], live: list[Passage]) -> list[Passage | None]:
    """For each piece, the live passage with the same text and the nearest ordinal, if any."""
    by_sha: dict[str, list[Passage]] = defaultdict(list)
    for passage in live:
        by_sha[passage.text_sha256].append(passage)
    matched: list[Passage | None] = []
    for ordinal, text in enumerate(texts):
        pool = by_sha.get(sha(text))
        if not pool:
            matched.append(None)
            continue
        best = min(pool, key=lambda p: abs(p.ordinal - ordinal))
        pool.remove(best)
        matched.append(best)
    return matched


@transaction.atomic
def apply_version(
    version: ResourceVersion, linker: Linker, touched: set[int] | None = None
) -> list[Passage] | None:
    """Write the version's passages and mentions; return the live passages (None: superseded).

    Unknown entities whose counts change are recounted now, or added to `touched` for the
    caller to recount once for many versions.
    """
    resource = version.resource
    if Passage.objects.filter(resource=resource, version__number__gt=version.number).exists():
        return None
    pieces, language = pieces_of(version)
    texts = [version.text[p.start : p.end] for p in pieces]
    live = list(Passage.objects.filter(resource=resource, retired_in__isnull=True))
    matched = _match(pieces, texts, live)
    keep: list[Passage] = []
    new: list[Passage] = []
    for ordinal, (piece, text, found) in enumerate(zip(pieces, texts, matched, strict=True)):
        passage = found or Passage(
            programme_id=resource.programme_id,
            resource=resource,
            first_version=version,
            text=text,
            text_sha256=sha(text),
            language=guess_language(text, default=language),
        )
        passage.version = version
        passage.ordinal, passage.start, passage.end = ordinal, piece.start, piece.end
        passage.kind, passage.speaker = piece.kind, piece.speaker[:120]
        passage.fresh = found is None
        (keep if found else new).append(passage)
    kept_ids = {p.pk for p in keep}
    retired = [p.pk for p in live if p.pk not in kept_ids]
    if retired:
        Passage.objects.filter(pk__in=retired).update(retired_in=version)
        PassageVector.objects.filter(passage_id__in=retired).delete()
        retrieval.unindex(retired)
    Passage.objects.bulk_update(keep, ["version", "ordinal", "start", "end", "kind", "speaker"])
    Passage.objects.bulk_create(new)
    retrieval.index_texts([(p.pk, p.text, p.language) for p in new])
    passages = sorted(keep + new, key=lambda p: p.ordinal)
    changed = link_passages(resource.programme_id, passages, linker, retired)
    if touched is None:
        recount_unknown(changed)
    else:
        touched |= changed
    if retired:
        retrieval.vectors_changed(resource.programme_id)
    retrieval.invalidate(resource.programme_id)
    return passages


def link_passages(
    programme_id: int, passages: list[Passage], linker: Linker, retired: Sequence[int] = ()
) -> set[int]:
    """Replace the mentions and unknown-entity links of `passages` (set-based: a few queries).

    Returns the unknown entities whose passage count may have changed.
    """
    # Passages created just now have nothing to replace: skip those queries.
    old = [p.pk for p in passages if not p.fresh]
    if old:
        Mention.objects.filter(passage__in=old).delete()
    mentions: list[Mention] = []
    unknown: dict[str, tuple[str, set[int]]] = {}
    for passage in passages:
        found = linker.link(passage.text)
        mentions += [
            Mention(
                passage=passage,
                organisation_id=f.organisation_id,
                country_id=f.country_code,
                start=f.start,
                end=f.end,
                surface=f.surface[:200],
            )
            for f in found.mentions
        ]
        for surface in found.unknown:
            unknown.setdefault(fold(surface)[:200], (surface[:200], set()))[1].add(passage.pk)
    Mention.objects.bulk_create(mentions)
    links = UnknownEntity.passages.through
    touched: set[int] = set()
    if old or retired:
        touched = set(
            links.objects.filter(passage_id__in=[*old, *retired]).values_list(
                "unknownentity_id", flat=True
            )
        )
        links.objects.filter(passage_id__in=old).delete()
    if unknown:
        UnknownEntity.objects.bulk_create(
            [
                UnknownEntity(programme_id=programme_id, key=k, surface=s)
                for k, (s, _) in unknown.items()
            ],
            ignore_conflicts=True,
        )
        entity = dict(
            UnknownEntity.objects.filter(
                programme_id=programme_id, key__in=list(unknown)
            ).values_list("key", "pk")
        )
        links.objects.bulk_create(
            [
                links(unknownentity_id=entity[k], passage_id=pk)
                for k, (_, found) in unknown.items()
                for pk in found
            ],
            ignore_conflicts=True,
        )
        touched |= set(entity.values())
    return touched


def recount_unknown(entity_ids: set[int]) -> None:
    """Store, for each entity, how many live passages name it."""
    live = (
        UnknownEntity.passages.through.objects.filter(
            unknownentity_id=OuterRef("pk"), passage__retired_in__isnull=True
        )
        .values("unknownentity_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    UnknownEntity.objects.filter(pk__in=entity_ids).update(count=Coalesce(Subquery(live), Value(0)))


def needs_vector(passages: list[Passage], fresh: set[int] = frozenset()) -> list[Passage]:
    """Passages without a vector from the current engine (`fresh` ones cannot have one)."""
    model = engine.embedder()
    older = [p.pk for p in passages if p.pk not in fresh]
    have = (
        set(
            PassageVector.objects.filter(
                passage__in=older, model=model.name, model_version=model.version
            ).values_list("passage_id", flat=True)
        )
        if older
        else set()
    )
    return [p for p in passages if p.pk not in have]


def store_vectors(passages: list[Passage], vectors: np.ndarray) -> None:
    """Store and index the vectors of `passages` (any programmes), computed by the current
    engine."""
    model = engine.embedder()
    with transaction.atomic():
        PassageVector.objects.filter(passage__in=passages).delete()
        PassageVector.objects.bulk_create(
            PassageVector(
                passage=p,
                programme_id=p.programme_id,
                model=model.name,
                model_version=model.version,
                data=v.tobytes(),
            )
            for p, v in zip(passages, vectors, strict=True)
        )
        by_programme: dict[int, list[int]] = defaultdict(list)
        for row, p in enumerate(passages):
            by_programme[p.programme_id].append(row)
        for programme_id, rows in by_programme.items():
            retrieval.index_vectors(programme_id, [passages[r].pk for r in rows], vectors[rows])
            retrieval.vectors_changed(programme_id)


def _vectors(texts: list[str]) -> np.ndarray:
    return np.asarray(engine.embedder().passages(texts), dtype=np.float32)


@cache
def _embedding() -> ThreadPoolExecutor:
    """One thread computes a batch's vectors while the caller splits, links and writes the next
    versions (and stores the previous batch): the engine releases the GIL, and the cores would
    otherwise idle through the database writes. Created on first use, not at import."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="passage-embedding")


@dataclass
class Batch:
    """Processes versions one by one but embeds their passages in full batches, one batch
    in flight while the next is prepared.

    `add()` and `flush()` return the version ids whose passages are now all embedded and
    indexed; `flush()` finishes everything.
    """

    linkers: dict[int, Linker] = field(default_factory=dict)
    waiting: list[Passage] = field(default_factory=list)
    versions: list[int] = field(default_factory=list)
    touched: set[int] = field(default_factory=set)
    passages_done: int = 0
    flight: tuple[list[Passage], list[int], Future] | None = None

    def add(self, version: ResourceVersion) -> list[int]:
        programme = version.resource.programme
        if programme.pk not in self.linkers:
            self.linkers[programme.pk] = Linker.for_programme(programme)
        passages = apply_version(version, self.linkers[programme.pk], self.touched) or []
        self.waiting += needs_vector(passages, {p.pk for p in passages if p.fresh})
        self.passages_done += len(passages)
        self.versions.append(version.pk)
        return self._send() if len(self.waiting) >= EMBED_BATCH else []

    def flush(self) -> list[int]:
        return self._send() + self._land()

    def _send(self) -> list[int]:
        """Send the waiting passages off to be embedded, then store the batch that was in
        flight: storing first would leave the engine idle through the writes and PostgreSQL's
        HNSW inserts (bench/bench_corpus.py prints both rates)."""
        landing, self.flight = self.flight, None
        recount_unknown(self.touched)
        self.touched = set()
        done: list[int] = []
        if self.waiting:
            texts = [p.text for p in self.waiting]
            self.flight = (self.waiting, self.versions, _embedding().submit(_vectors, texts))
        else:
            done = self.versions
        self.waiting, self.versions = [], []
        return self._store(landing) + done

    def _land(self) -> list[int]:
        landing, self.flight = self.flight, None
        return self._store(landing)

    @staticmethod
    def _store(flight) -> list[int]:
        """Store a batch's vectors (it is dropped, its versions left undone, if embedding
        failed)."""
        if flight is None:
            return []
        passages, versions, vectors = flight
        store_vectors(passages, vectors.result())
        return versions


def process_version(version: ResourceVersion) -> int:
    """Process one version now; returns how many live passages it has."""
    batch = Batch()
    batch.add(version)
    batch.flush()
    return batch.passages_done
