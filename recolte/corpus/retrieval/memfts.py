"""In-process BM25 ranking (both databases, programmes up to `tuning.MEMFTS_MAX_ROWS` passages).

Ranking in the database reads every candidate row, and a query of common words has tens of
thousands of them; here a query adds up its terms' postings in numpy, over every match, exactly.

Words are the full-text index's own on SQLite (accent- and case-folded, FTS5's `bm25()` with
its defaults); PostgreSQL's French stemming is not reproduced, so both databases rank alike
while in memory. Rows are the passage facts' rows (same passages token): a selection's mask
applies as it is. When the token changes, only passages the previous index lacked are read and
split. Each programme has its own word index, dropped with it when the cache evicts it.

Building splits words in Python, so a large programme is (re)built in one background thread,
however many searches ask, while the database ranks their full text (results stay current);
small ones are built at once.
"""

from __future__ import annotations

import logging
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
from django.db import connection

from ..text import WORD, fold
from . import tuning
from .caches import ProgrammeCache
from .passage_facts import PassageFacts, Selection, positions

log = logging.getLogger(__name__)
_lock = threading.Lock()  # guards _builds
_builds: dict[int, threading.Thread] = {}  # programme → its background build


@dataclass
class _Index:
    token: str
    vocabulary: dict[str, int]  # folded word → term id, this programme's only
    ids: np.ndarray  # the passage facts' ids: row i is passage ids[i]
    # Each row's terms and counts (row i spans starts[i]:starts[i+1]), kept so that the next
    # token's index reuses them.
    starts: np.ndarray
    terms: np.ndarray
    counts: np.ndarray
    # Postings by term (term t spans bounds[t]:bounds[t+1]): row and idf × BM25 term weight.
    bounds: np.ndarray
    rows: np.ndarray
    weights: np.ndarray


_cache: ProgrammeCache[_Index] = ProgrammeCache()


def _empty() -> _Index:
    none = np.zeros(0, np.int32)
    one, ids = np.zeros(1, np.int64), np.zeros(0, np.int64)
    return _Index("", {}, ids, one, none, none, one, none, np.zeros(0, np.float32))


def serves(selection: Selection) -> bool:
    return len(selection.facts.ids) <= tuning.MEMFTS_MAX_ROWS


def search(selection: Selection, terms: list[str], limit: int) -> list[tuple[int, float]] | None:
    """(passage id, BM25 score: higher is better) of the best `limit` selected passages
    matching any term; None while the programme's index is being built."""
    matched = _matches(selection, terms)
    if matched is None:
        return None
    index, found, scores = matched
    if limit < len(found):
        found = found[np.argpartition(-scores[found], limit - 1)[:limit]]
    found = found[np.lexsort((found, -scores[found]))]  # ties in id order
    return [(int(index.ids[r]), float(scores[r])) for r in found]


def count(selection: Selection, terms: list[str]) -> int | None:
    """How many selected passages match any term; None while the index is being built."""
    matched = _matches(selection, terms)
    return None if matched is None else len(matched[1])


def _matches(selection: Selection, terms: list[str]):
    """(index, rows of the selected passages matching any term, every row's score)."""
    index = _load(selection.programme_id, selection.facts)
    if index is None:
        return None
    known = [index.vocabulary.get(t, -1) for t in terms]
    known = [t for t in known if 0 <= t < len(index.bounds) - 1]
    scores = np.zeros(len(index.ids), np.float32)
    for term in known:
        at, end = index.bounds[term], index.bounds[term + 1]
        scores[index.rows[at:end]] += index.weights[at:end]
    found = np.flatnonzero(scores)  # every weight is positive (idf floors at 1e-6, as FTS5)
    if selection.mask is not None:
        found = found[selection.mask[found]]
    return index, found, scores


def _load(programme_id: int, facts: PassageFacts) -> _Index | None:
    cached = _cache.get(programme_id)
    if cached and cached.token == facts.token:
        return cached
    if len(facts.ids) > tuning.MEMFTS_SYNC_ROWS:
        with _lock:
            if programme_id not in _builds:
                _builds[programme_id] = threading.Thread(
                    target=_build, args=(programme_id, cached, facts), daemon=True
                )
                _builds[programme_id].start()
        return None
    return _cache.put(programme_id, _rebuild(programme_id, cached or _empty(), facts))


def wait(programme_id: int) -> None:
    """Return once the programme's background build, if one is running, has ended."""
    with _lock:
        build = _builds.get(programme_id)
    if build:
        build.join()


def _build(programme_id: int, previous: _Index | None, facts: PassageFacts) -> None:
    """Build in the background (a failure is logged; the next search starts another)."""
    try:
        _cache.put(programme_id, _rebuild(programme_id, previous or _empty(), facts))
    except Exception:
        log.exception("full-text index of programme %s not built", programme_id)
    finally:
        connection.close()  # this thread's own
        with _lock:
            del _builds[programme_id]


def _rebuild(programme_id: int, previous: _Index, facts: PassageFacts) -> _Index:
    """The index of the facts' passages, reusing the rows of `previous` still live (and its
    word index, copied: searches may still be reading the previous one)."""
    ids = facts.ids
    old = positions(previous.ids, ids)
    new = ids[old < 0]
    vocabulary = dict(previous.vocabulary)
    added = _text_postings(_texts(programme_id, new, 2 * len(new) > len(ids)), vocabulary)
    # Each row's segment in the pool (previous arrays, then the new passages').
    begin = np.empty(len(ids), np.int64)
    length = np.empty(len(ids), np.int64)
    kept = old >= 0
    begin[kept] = previous.starts[old[kept]]
    length[kept] = previous.starts[old[kept] + 1] - begin[kept]
    begin[~kept] = len(previous.terms) + added[0][:-1]
    length[~kept] = np.diff(added[0])
    starts = np.concatenate([[0], np.cumsum(length)])
    take = np.repeat(begin - starts[:-1], length) + np.arange(starts[-1])
    terms = np.concatenate([previous.terms, added[1]])[take]
    counts = np.concatenate([previous.counts, added[2]])[take]
    return _postings(facts.token, vocabulary, ids, starts, terms, counts)


def _postings(token: str, vocabulary: dict[str, int], ids, starts, terms, counts) -> _Index:
    k1, b = tuning.BM25_K1, tuning.BM25_B
    row = np.repeat(np.arange(len(ids), dtype=np.int32), np.diff(starts))
    length = np.bincount(row, weights=counts, minlength=len(ids))
    # float32 throughout: float64 temporaries of every posting are large.
    norm = k1 * (1 - b + b * length / max(float(length.mean()) if len(ids) else 1.0, 1e-9))
    docs = np.bincount(terms, minlength=len(vocabulary))
    idf = np.log((len(ids) - docs + 0.5) / (docs + 0.5)).astype(np.float32)
    idf[idf <= 0] = 1e-6
    tf = counts.astype(np.float32)
    weight = idf[terms] * tf * np.float32(k1 + 1) / (tf + norm.astype(np.float32)[row])
    order = np.argsort(terms, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(docs)])
    return _Index(token, vocabulary, ids, starts, terms, counts, bounds, row[order], weight[order])


def _texts(programme_id: int, ids: np.ndarray, most: bool) -> Iterator[list[str]]:
    """The texts of these passages (ids ascending), a chunk at a time: holding every text and
    its words at once costs too much memory. "" for a passage gone since. `most`: they are
    most of the programme's, streamed from one query (faster than asking by ids)."""
    from ..models import Passage

    chunk_size = tuning.MEMFTS_CHUNK
    passages = Passage.objects.order_by()
    if not most:
        for at in range(0, len(ids), chunk_size):
            some = ids[at : at + chunk_size].tolist()
            texts = dict(passages.filter(pk__in=some).values_list("pk", "text"))
            yield [texts.get(pk, "") for pk in some]
        return
    live = passages.filter(programme_id=programme_id, retired_in__isnull=True).order_by("pk")
    rows = live.values_list("pk", "text").iterator(chunk_size=chunk_size)
    row, chunk = next(rows, None), []
    for pk in ids.tolist():
        while row and row[0] < pk:
            row = next(rows, None)
        chunk.append(row[1] if row and row[0] == pk else "")
        if len(chunk) == chunk_size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _text_postings(
    chunks: Iterable[list[str]], vocabulary: dict[str, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(starts, terms, counts) of these texts, in the words query_terms makes of a query; new
    words are added to `vocabulary`."""
    folded: dict[str, int] = {}  # raw word → term id: folding whole texts costs more
    starts, terms, counts = (
        [np.zeros(1, np.int64)],
        [np.zeros(0, np.int32)],
        [np.zeros(0, np.int32)],
    )
    for texts in chunks:
        some = _chunk_postings(texts, folded, vocabulary)
        starts.append(some[0][1:] + starts[-1][-1])
        terms.append(some[1])
        counts.append(some[2])
    return np.concatenate(starts), np.concatenate(terms), np.concatenate(counts)


def _chunk_postings(
    texts: list[str], folded: dict[str, int], vocabulary: dict[str, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    flat: list[int] = []
    lengths = np.zeros(len(texts), np.int64)
    for i, text in enumerate(texts):
        words = WORD.findall(unicodedata.normalize("NFC", text).casefold())
        for word in set(words).difference(folded):
            folded[word] = vocabulary.setdefault(fold(word), len(vocabulary))
        flat += map(folded.__getitem__, words)
        lengths[i] = len(words)
    # One sort counts every (text, term) pair: counting word by word in Python is slower.
    base = max(folded.values(), default=0) + 1
    doc = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    pairs, counts = np.unique(doc * base + np.asarray(flat, np.int64), return_counts=True)
    starts = np.concatenate([[0], np.cumsum(np.bincount(pairs // base, minlength=len(texts)))])
    return starts, (pairs % base).astype(np.int32), counts.astype(np.int32)
