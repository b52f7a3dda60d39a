"""Every threshold of the search engine, named, with why it has its value.

Figures behind them are printed by `make bench` (bench/bench_corpus.py) on the host at hand and
by `recolte eval-search` for quality; they are not frozen here. Tests may monkeypatch any of
these: the engine reads them at call time.
"""

# --- fusion (ranking.py) -----------------------------------------------------------------
# Swept on the reference codebook with `recolte eval-search` (both databases): BM25 is the
# sharper signal on French domain vocabulary, vectors add paraphrases and other languages, and
# the hybrid only led on both databases once the vector side also searched near the query's
# best full-text hits (pseudo-relevance feedback).
RRF_K = 30
WEIGHTS = {"bm25": 2.0, "vector": 1.0}
FEEDBACK_HITS = 3  # best full-text hits whose mean vector widens the query's
FEEDBACK_WEIGHT = 1.0  # of that mean vector, beside the query's own (unit) vector
SEARCH_DEPTH = 100  # candidates ranked per side at least, so pages and totals stay stable

# --- in-process caches (caches.py) -------------------------------------------------------
# Programmes held per cache (passage facts, BM25 postings, vector matrix), least recently used
# evicted whole: bounds a process's memory however many programmes it serves.
CACHED_PROGRAMMES = 8
QUERY_EMBEDDINGS_CACHED = 512  # pages and filter changes repeat the same query
QUERY_EMBEDDING_THREADS = 2  # the engine releases the GIL: a query embeds while SQL selects

# --- BM25 in process (memfts.py) ---------------------------------------------------------
BM25_K1, BM25_B = 1.2, 0.75  # FTS5's bm25() defaults, so both paths score alike
MEMFTS_MAX_ROWS = 300_000  # postings cost memory per passage; larger programmes rank in SQL
# Up to this many passages an index is (re)built during the search itself; larger ones are
# built in a background thread while the database ranks, so no search waits for a build.
MEMFTS_SYNC_ROWS = 20_000
MEMFTS_CHUNK = 2000  # passages read and split at a time: all texts at once cost too much memory

# --- vectors in process (memvec.py) ------------------------------------------------------
MEMVEC_MAX_ROWS = 300_000  # PostgreSQL uses pgvector's HNSW beyond (memory per process)
MEMVEC_EXACT_MAX = 20_000  # below this an exact scan is as fast as probing k-means lists
MEMVEC_PROBE_FRACTION = 10  # probe a tenth of the lists: exact top 10 kept on e5 vectors
KMEANS_ROUNDS = 8
KMEANS_SAMPLE_PER_LIST = 40  # centroids are fitted on a sample, not every vector
ASSIGN_CHUNK = 8192  # vectors assigned to lists at a time (bounds the product's memory)

# --- database indexes (tables.py) --------------------------------------------------------
# A shared index holds every programme's passages: the best matches overall are read, enough
# for the selection's share to fill the page with this margin, before sending the selection.
OVERSAMPLE_RESTRICTED = 2
OVERSAMPLE_PROGRAMME = 4
OVERSAMPLE_HNSW = 1.5
OVERSAMPLE_MAX = 4000  # best matches read at most before sending the selection instead
SQLITE_NARROW = 25_000  # FTS5 tests an id list faster than scoring every common-term match
IDS_MAX = 50_000  # selections sent to the database at most; beyond, reading every match wins
# Ranking in the database reads every candidate row: candidates are the matches of the
# query's rarest terms up to about this many rows, each ranked on every term.
SQLITE_BUDGET_ROWS = 8000
PG_BUDGET_ROWS = 4000
PG_CAP_ROWS = 8000  # PostgreSQL ranks at most this many candidates
# A selection with more id runs than a quarter of its size is scattered: sent as an id array
# (a bitmap ANDed with GIN's) rather than a multirange of runs.
PG_SCATTERED_RUNS = 4
PG_HNSW_MAX = 1000  # neighbours read from HNSW at most; beyond, rank the selection exactly
HNSW_EF_SEARCH_MIN = 40  # pgvector's default
DELETE_BATCH = 500  # ids per DELETE statement
