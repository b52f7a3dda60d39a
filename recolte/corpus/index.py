"""Full-text and vector indexes beside the passage table, one implementation per vendor.

SQLite: an FTS5 table (accent-insensitive `unicode61 remove_diacritics 2`, ranked by bm25()),
and vectors searched in process (see `memvec`). PostgreSQL: a `tsvector` table with a GIN index
(French stemming for French passages, 'simple' otherwise; text is accent-folded before
indexing, so no `unaccent` dependency), ranked by ts_rank_cd, and a pgvector table with an HNSW
index (cosine) queried with iterative scans so filters do not starve the result list.
The tables carry no foreign keys: rows of deleted passages are ignored by every query (they
join the passage table) and overwritten when an id is reused.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from django.db import connection
from django.db.models import QuerySet

from . import memvec
from .text import fold

SQLITE_TABLES = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS corpus_fts USING fts5("
    "text, tokenize='unicode61 remove_diacritics 2')",
    # Document frequency per term, read to leave out very common query terms.
    "CREATE VIRTUAL TABLE IF NOT EXISTS corpus_fts_vocab USING fts5vocab(corpus_fts, 'row')",
]
PG_TABLES = [
    "CREATE EXTENSION IF NOT EXISTS vector",
    "CREATE TABLE IF NOT EXISTS corpus_fts (passage_id bigint PRIMARY KEY, tsv tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS corpus_fts_tsv ON corpus_fts USING gin (tsv)",
    "CREATE TABLE IF NOT EXISTS corpus_vec (passage_id bigint PRIMARY KEY,"
    " programme_id bigint NOT NULL, embedding vector(384) NOT NULL)",
    "CREATE INDEX IF NOT EXISTS corpus_vec_hnsw ON corpus_vec"
    " USING hnsw (embedding vector_cosine_ops)",
    "CREATE INDEX IF NOT EXISTS corpus_vec_programme ON corpus_vec (programme_id)",
]


def create_tables(schema_editor) -> None:
    statements = PG_TABLES if schema_editor.connection.vendor == "postgresql" else SQLITE_TABLES
    for sql in statements:
        schema_editor.execute(sql)


def drop_tables(schema_editor) -> None:
    pg = schema_editor.connection.vendor == "postgresql"
    for table in ("corpus_fts", "corpus_vec") if pg else ("corpus_fts_vocab", "corpus_fts"):
        schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


def _pg() -> bool:
    return connection.vendor == "postgresql"


def _in_list(ids: Sequence[int]) -> str:
    return ",".join(str(int(i)) for i in ids)


# --- full text -------------------------------------------------------------------------------


def _config(language: str) -> str:
    return "french" if language == "fr" else "simple"


def fts_write(rows: Sequence[tuple[int, str, str]]) -> None:
    """Index (passage id, text, language) rows, replacing what the ids had."""
    if not rows:
        return
    with connection.cursor() as cursor:
        fts_delete([r[0] for r in rows])
        if _pg():
            cursor.executemany(
                "INSERT INTO corpus_fts (passage_id, tsv) VALUES (%s, to_tsvector("
                "%s::regconfig, %s))",
                [(pk, _config(lang), fold(text)) for pk, text, lang in rows],
            )
        else:
            cursor.executemany(
                "INSERT INTO corpus_fts (rowid, text) VALUES (%s, %s)",
                [(pk, text) for pk, text, _ in rows],
            )


def fts_delete(ids: Sequence[int]) -> None:
    if not ids:
        return
    column = "passage_id" if _pg() else "rowid"
    with connection.cursor() as cursor:
        for at in range(0, len(ids), 500):
            batch = _in_list(ids[at : at + 500])
            cursor.execute(f"DELETE FROM corpus_fts WHERE {column} IN ({batch})")


def fts_search(allowed: QuerySet, terms: list[str], limit: int) -> list[tuple[int, float]]:
    """(passage id, score: higher is better) of allowed passages matching any term."""
    if not terms:
        return []
    with connection.cursor() as cursor:
        if _pg():
            return _pg_fts_search(cursor, allowed, " | ".join(terms), limit)
        return _fts5_search(cursor, allowed, _selective(cursor, terms), limit)


def _pg_fts_search(cursor, allowed: QuerySet, expr: str, limit: int):
    """As on SQLite: rank the matches, filter the best few, and rank under the filter only
    when too few survive (an IN over the programme's ids is the expensive part)."""
    query = (
        "SELECT f.passage_id, ts_rank_cd(f.tsv, q, 1) AS r FROM corpus_fts f,"
        " (SELECT to_tsquery('french', %s) || to_tsquery('simple', %s) AS q) x"
        " WHERE f.tsv @@ q {where} ORDER BY r DESC LIMIT %s"
    )
    cursor.execute(query.format(where=""), [expr, expr, 4 * limit])
    ranked = [(int(pk), float(score)) for pk, score in cursor.fetchall()]
    ok = set(allowed.filter(id__in=[pk for pk, _ in ranked]).values_list("id", flat=True))
    found = [r for r in ranked if r[0] in ok][:limit]
    if len(found) == limit or len(ranked) < 4 * limit:
        return found
    sub, params = allowed.values("id").query.sql_with_params()
    cursor.execute(query.format(where=f"AND f.passage_id IN ({sub})"), [expr, expr, *params, limit])
    return [(int(pk), float(score)) for pk, score in cursor.fetchall()]


COMMON_SHARE = 0.2  # terms in more passages than this add little to BM25 but cost a lot
PRUNE_FROM = 5000  # small indexes are fast anyway, and their statistics too noisy


def _selective(cursor, terms: list[str]) -> list[str]:
    """Drop very common terms when rarer ones remain: fewer rows to rank, same top results."""
    # The largest id stands for the row count: exact enough for a threshold, and instant.
    cursor.execute("SELECT max(rowid) FROM corpus_fts")
    total = cursor.fetchone()[0] or 0
    if total < PRUNE_FROM or len(terms) < 2:
        return terms
    marks = ",".join(["%s"] * len(terms))
    cursor.execute(f"SELECT term, doc FROM corpus_fts_vocab WHERE term IN ({marks})", terms)
    docs = dict(cursor.fetchall())
    rare = [t for t in terms if 0 < docs.get(t, 0) <= COMMON_SHARE * total]
    return rare or terms


def _fts5_search(cursor, allowed: QuerySet, terms: list[str], limit: int):
    """Best matches first, then the filter on those few ids (FTS5 evaluated per filtered row,
    or a filter materialised over the whole programme, costs far more). When too few of the
    top 4×limit matches are allowed, every match is ranked against the filter."""
    expr = " OR ".join(f'"{t}"' for t in terms)
    cursor.execute(
        "SELECT rowid, -bm25(corpus_fts) FROM corpus_fts WHERE corpus_fts MATCH %s"
        " ORDER BY bm25(corpus_fts) LIMIT %s",
        [expr, 4 * limit],
    )
    ranked = [(int(pk), float(score)) for pk, score in cursor.fetchall()]
    ok = set(allowed.filter(id__in=[pk for pk, _ in ranked]).values_list("id", flat=True))
    found = [r for r in ranked if r[0] in ok][:limit]
    if len(found) == limit or len(ranked) < 4 * limit:
        return found
    sub, params = allowed.values("id").query.sql_with_params()
    cursor.execute(
        "WITH m AS MATERIALIZED (SELECT rowid AS id, bm25(corpus_fts) AS r FROM corpus_fts"
        " WHERE corpus_fts MATCH %s) SELECT id, -r FROM m"
        f" WHERE id IN ({sub}) ORDER BY r LIMIT %s",
        [expr, *params, limit],
    )
    return [(int(pk), float(score)) for pk, score in cursor.fetchall()]


# --- vectors ---------------------------------------------------------------------------------


def vec_write(programme_id: int, ids: Sequence[int], vectors: np.ndarray) -> None:
    """Index vectors (the PassageVector rows are written by the caller)."""
    if not ids or not _pg():
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO corpus_vec (passage_id, programme_id, embedding) VALUES (%s, %s, %s)"
            " ON CONFLICT (passage_id) DO UPDATE SET embedding = EXCLUDED.embedding,"
            " programme_id = EXCLUDED.programme_id",
            [(pk, programme_id, _pgvec(v)) for pk, v in zip(ids, vectors, strict=True)],
        )


def vec_delete(ids: Sequence[int]) -> None:
    if not ids or not _pg():
        return
    with connection.cursor() as cursor:
        for at in range(0, len(ids), 500):
            batch = _in_list(ids[at : at + 500])
            cursor.execute(f"DELETE FROM corpus_vec WHERE passage_id IN ({batch})")


def _pgvec(vector: np.ndarray) -> str:
    return "[" + ",".join(f"{x:.7g}" for x in vector.tolist()) + "]"


def vec_search(
    programme_id: int, allowed: QuerySet, query: np.ndarray, limit: int, restricted: bool
) -> list[tuple[int, float]]:
    """(passage id, cosine similarity) of the nearest allowed passages, best first.

    `restricted` says the allowed set is narrower than the programme's live passages.
    """
    if _pg():
        return _pg_vec_search(programme_id, allowed, _pgvec(query), limit, restricted)
    return memvec.search(programme_id, allowed, query, limit, restricted)


def _pg_vec_search(programme_id: int, allowed: QuerySet, vec: str, limit: int, restricted: bool):
    """HNSW neighbours of the programme, then the filter on them; when too few survive, an
    iterative index scan under the filter."""
    with connection.cursor() as cursor:
        cursor.execute("SET hnsw.ef_search = %s", [max(40, limit)])
        # Other programmes' vectors share the index: keep scanning until enough are found.
        cursor.execute("SET hnsw.iterative_scan = relaxed_order")
        wanted = max(4 * limit, 200) if restricted else limit
        cursor.execute(
            "SELECT passage_id, 1 - (embedding <=> %s::vector) FROM corpus_vec"
            " WHERE programme_id = %s ORDER BY embedding <=> %s::vector LIMIT %s",
            [vec, programme_id, vec, wanted],
        )
        ranked = sorted(((int(pk), float(s)) for pk, s in cursor.fetchall()), key=lambda f: -f[1])
        if not restricted:
            return ranked[:limit]
        ok = set(allowed.filter(id__in=[pk for pk, _ in ranked]).values_list("id", flat=True))
        found = [r for r in ranked if r[0] in ok][:limit]
        if len(found) == limit:
            return found
        sub, params = allowed.values("id").query.sql_with_params()
        cursor.execute(
            "SELECT passage_id, 1 - (embedding <=> %s::vector) AS s FROM corpus_vec"
            f" WHERE programme_id = %s AND passage_id IN ({sub})"
            " ORDER BY embedding <=> %s::vector LIMIT %s",
            [vec, programme_id, *params, vec, limit],
        )
        return sorted(((int(pk), float(s)) for pk, s in cursor.fetchall()), key=lambda f: -f[1])
