"""The search engine: which passages a search may return, and how they are ranked.

`recolte.corpus.search` (passages_search, similar_passages) is its only caller for reads
(`rank` orders, `count_matches` says how many passages contain the words); the
pipeline writes through `index_texts`/`unindex`/`index_vectors` and says what changed with
`invalidate`/`vectors_changed`. Nothing else reaches inside, so replacing a path by another
engine changes this package only.

**Selection** (`passage_facts`). The access rule and the filters become a boolean mask over
the programme's live passages, held in memory per programme and reloaded when the programme's
passages token changes; facts people edit (confidentiality, authors…) are read from SQL at
every query. Every ranking path below is confined to that mask.

**Full text**, by programme size (`tuning.MEMFTS_*`):

1. up to `MEMFTS_SYNC_ROWS` passages: BM25 over in-process postings (`memfts`), built during
   the search when stale;
2. up to `MEMFTS_MAX_ROWS`: the same postings, (re)built in a background thread; meanwhile, and
3. beyond: the database ranks (`tables.fts_search`: FTS5 `bm25()` on SQLite, `ts_rank` on
   PostgreSQL), over the matches of the query's rarest terms; the selection is applied to the
   best matches overall, or sent with the query when too few survive (`OVERSAMPLE_*`,
   `SQLITE_NARROW`, `IDS_MAX`).

**Vectors** (`tuning.MEMVEC_*`):

4. in process (`memvec`) on SQLite always and on PostgreSQL up to `MEMVEC_MAX_ROWS`: an exact
   scan up to `MEMVEC_EXACT_MAX` passages, k-means lists probed beyond, the selection ranked
   exactly when too few probed rows survive;
5. beyond, on PostgreSQL: pgvector's HNSW index (`tables._pg_vec_search`), then exact ranking
   of the selection when it is small or too few neighbours survive.

**Fusion** (`ranking`): weighted reciprocal rank of both sides; in hybrid mode the vector side
searches near the query *and* its best full-text hits. The query embeds in a thread while the
selection and full text run.

Caches are per programme, keyed by the IndexState tokens, and bounded (`caches`,
`tuning.CACHED_PROGRAMMES`): the least recently used programme is evicted whole.
"""

from __future__ import annotations

import uuid

from ..models import IndexState
from . import caches, ranking, tables
from .passage_facts import Selection, select
from .ranking import MODES, embed_soon, fuse, rank
from .tables import fts_count as count_matches
from .tables import fts_search, vec_search
from .tables import fts_write as index_texts
from .tables import vec_write as index_vectors

__all__ = [
    "MODES",
    "Selection",
    "count_matches",
    "fts_search",
    "embed_soon",
    "fuse",
    "index_texts",
    "index_vectors",
    "invalidate",
    "rank",
    "reset",
    "select",
    "unindex",
    "vec_search",
    "vectors_changed",
]


def unindex(ids: list[int]) -> None:
    """Remove these passages from the full-text and vector tables."""
    tables.fts_delete(ids)
    tables.vec_delete(ids)


def invalidate(programme_id: int) -> None:
    """Passages, their languages or mentions changed: every process reloads their facts (and
    the full-text postings of the passages it has not read yet)."""
    _bump(programme_id, "passages_token")


def vectors_changed(programme_id: int) -> None:
    """The programme's vectors changed: every process reloads its matrix."""
    _bump(programme_id, "vectors_token")


def _bump(programme_id: int, field: str) -> None:
    # A fresh random token per change: survives database flushes that reset counters.
    IndexState.objects.update_or_create(programme_id=programme_id, defaults={field: uuid.uuid4()})


def reset() -> None:
    """Forget everything held in this process (tests: a rolled-back test hands its passage
    ids out again, with other texts, which the caches would take for the old ones)."""
    caches.clear_all()
    ranking._cached_embedding.cache_clear()
