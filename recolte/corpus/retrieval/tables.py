"""Full-text and vector tables beside the passage table, one implementation per vendor.

SQLite: an FTS5 table (accent-insensitive `unicode61 remove_diacritics 2`, ranked by bm25()),
and vectors searched in process (see `memvec`). PostgreSQL: a `tsvector` table with a GIN index
(French stemming for French passages, 'simple' otherwise; text is accent-folded before
indexing, so no `unaccent` dependency), ranked by ts_rank, a lexeme document-frequency table,
and a pgvector table with an HNSW index (cosine). Programmes that fit in memory rank full text
there (memfts: BM25 over postings built from the passages) and vectors too (memvec); these
tables then serve larger programmes. Searches are confined to a
passage_facts.Selection: applied in memory to the best matches when it is wide enough, else sent to
the database (ids, or id runs) — see fts_search and vec_search. The tables carry no foreign
keys: ids the selection does not know are never returned, and rows are overwritten when an
id is reused. The tables themselves are created by migrations (corpus 0002–0004).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction

from ..text import fold
from . import memfts, memvec, tuning
from .passage_facts import Selection

# Documents per lexeme (corpus_fts_vocab), kept by fts_write/fts_delete: PostgreSQL's
# counterpart of SQLite's fts5vocab.
_PG_VOCAB_COUNT = (
    "SELECT lexeme, count(*) AS n FROM corpus_fts, unnest(tsvector_to_array(tsv)) AS lexeme"
    " {where} GROUP BY lexeme"
)
# Rows locked in lexeme order, so concurrent workers cannot deadlock on them.
_PG_VOCAB_ADD = (
    "INSERT INTO corpus_fts_vocab (lexeme, docs) " + _PG_VOCAB_COUNT + " ORDER BY lexeme"
    " ON CONFLICT (lexeme) DO UPDATE SET docs = corpus_fts_vocab.docs + EXCLUDED.docs"
)


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
            cursor.execute(
                _PG_VOCAB_ADD.format(where="WHERE passage_id = ANY(%s)"), [[r[0] for r in rows]]
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
    step = tuning.DELETE_BATCH
    with connection.cursor() as cursor:
        for at in range(0, len(ids), step):
            batch = _in_list(ids[at : at + step])
            if _pg():
                cursor.execute(
                    "UPDATE corpus_fts_vocab v SET docs = v.docs - d.n FROM ("
                    + _PG_VOCAB_COUNT.format(where=f"WHERE passage_id IN ({batch})")
                    + ") d WHERE v.lexeme = d.lexeme"
                )
            cursor.execute(f"DELETE FROM corpus_fts WHERE {column} IN ({batch})")


def fts_search(selection: Selection, terms: list[str], limit: int) -> list[tuple[int, float]]:
    """(passage id, score: higher is better) of selected passages matching any term: in
    process when memfts serves the programme; else in the database (see _rare_terms for which
    matches are ranked there).

    The best matches overall are read, enough of them for the selection's share of the
    programme to yield `limit`, and the selection applied to them (ranking every match costs
    the same as ranking a few: both score all). Only when too few survive is the selection
    sent with the query, or every match read. SQLite sends a narrow selection at once: FTS5
    tests an id list faster than it scores every match of common terms."""
    if not terms or not selection.count():
        return []
    found = memfts.search(selection, terms, limit) if memfts.serves(selection) else None
    if found is not None:
        return found
    search = _pg_fts if _pg() else _fts5
    with connection.cursor() as cursor:
        split = _rare_terms(cursor, terms)
        # A whole programme needs a wider margin: the index holds every programme's passages.
        wanted = _oversample(
            selection,
            limit,
            tuning.OVERSAMPLE_RESTRICTED if selection.restricted else tuning.OVERSAMPLE_PROGRAMME,
        )
        sqlite_narrow = (
            not _pg() and selection.restricted and selection.count() <= tuning.SQLITE_NARROW
        )
        if wanted <= tuning.OVERSAMPLE_MAX and not sqlite_narrow:
            ranked = search(cursor, split, wanted)
            found = _kept(selection, ranked)[:limit]
            if len(found) == limit or len(ranked) < wanted:
                return found
        if selection.restricted and selection.count() <= tuning.IDS_MAX:
            return _kept(selection, search(cursor, split, limit, selection))
        return sorted(_kept(selection, search(cursor, split, None)), key=lambda r: -r[1])[:limit]


def fts_count(selection: Selection, terms: list[str]) -> int:
    """How many selected passages match any term (the number a search page states): counted
    over every match, where fts_search ranks only the best."""
    if not terms or not selection.count():
        return 0
    found = memfts.count(selection, terms) if memfts.serves(selection) else None
    if found is not None:
        return found
    with connection.cursor() as cursor:
        if _pg():
            query = " | ".join(terms)
            cursor.execute(
                "SELECT passage_id FROM corpus_fts WHERE tsv @@ (to_tsquery('french', %s)"
                " || to_tsquery('simple', %s))",
                [query, query],
            )
        else:
            cursor.execute("SELECT rowid FROM corpus_fts WHERE corpus_fts MATCH %s", [_or(terms)])
        ids = [int(pk) for (pk,) in cursor.fetchall()]
    return sum(selection.keep(ids))


def _oversample(selection: Selection, limit: int, margin: float) -> int:
    """Best rows to read from a shared index so that about `margin` × `limit` of them fall in
    the selection."""
    return math.ceil(margin * limit / max(selection.share(), 1e-6))


def _kept(selection: Selection, ranked: list[tuple[int, float]]) -> list[tuple[int, float]]:
    keep = selection.keep([pk for pk, _ in ranked])
    return [r for r, ok in zip(ranked, keep, strict=True) if ok]


def _id_text(selection: Selection) -> str:
    return ",".join(map(str, selection.ids().tolist()))


# Ranking reads every candidate row, and a query of common words matches much of the corpus.
# So candidates are the matches of the query's rarest terms, up to a budget of rows
# (tuning.*_BUDGET_ROWS), and each candidate is ranked on every term: this keeps nearly all
# of the exact top 10, where dropping common terms from ranking too lost more.


@dataclass(frozen=True)
class _Terms:
    """A query's terms: matches of `rare` ones are the candidates, ranked on `all`."""

    all: list[str]
    rare: list[str]

    @property
    def pruned(self) -> bool:
        return len(self.rare) < len(self.all)


def _rare_terms(cursor, terms: list[str]) -> _Terms:
    """The rarest terms whose documents add up to the budget (always up to the rarest one
    found in some document, so a misspelt word does not leave the query without candidates)."""
    docs = _pg_docs(cursor, terms) if _pg() else _sqlite_docs(cursor, terms)
    budget = tuning.PG_BUDGET_ROWS if _pg() else tuning.SQLITE_BUDGET_ROWS
    rare, total = [], 0
    for term in sorted(terms, key=lambda t: (docs.get(t, 0), terms.index(t))):
        if total and total + docs.get(term, 0) > budget:
            break
        rare.append(term)
        total += docs.get(term, 0)
    return _Terms(terms, rare)


def _sqlite_docs(cursor, terms: list[str]) -> dict[str, int]:
    marks = ",".join(["%s"] * len(terms))
    cursor.execute(f"SELECT term, doc FROM corpus_fts_vocab WHERE term IN ({marks})", terms)
    return dict(cursor.fetchall())


def _pg_docs(cursor, terms: list[str]) -> dict[str, int]:
    """Documents per query term, over its French and 'simple' lexemes."""
    cursor.execute(
        "SELECT t, coalesce(sum(v.docs), 0) FROM unnest(%s::text[]) AS t"
        " LEFT JOIN LATERAL unnest(tsvector_to_array(to_tsvector('french', t)"
        " || to_tsvector('simple', t))) AS l ON true"
        " LEFT JOIN corpus_fts_vocab v ON v.lexeme = l GROUP BY t",
        [terms],
    )
    return dict(cursor.fetchall())


def _or(terms: list[str]) -> str:
    return " OR ".join(f'"{t}"' for t in terms)


def _fts5(cursor, terms: _Terms, limit: int | None, within: Selection | None = None):
    """The best `limit` matches by BM25 (every match, unordered, when limit is None), among
    `within`'s passages if given: `+rowid` keeps id lists out of FTS5's own lookup (which
    would run the query once per id), so matches are tested against them and only those kept
    are scored, which is faster than fetching every match."""
    sql = "SELECT rowid, -bm25(corpus_fts) FROM corpus_fts WHERE corpus_fts MATCH %s"
    params: list = [_or(terms.all)]
    if terms.pruned:
        sql += " AND +rowid IN (SELECT rowid FROM corpus_fts WHERE corpus_fts MATCH %s)"
        params.append(_or(terms.rare))
    if within:
        sql += " AND +rowid IN (SELECT value FROM json_each(%s))"
        params.append(json.dumps(within.ids().tolist()))
    if limit is not None:
        sql += " ORDER BY bm25(corpus_fts) LIMIT %s"
        params.append(limit)
    cursor.execute(sql, params)
    return [(int(pk), float(score)) for pk, score in cursor.fetchall()]


def _pg_fts(cursor, terms: _Terms, limit: int | None, within: Selection | None = None):
    """The best `limit` matches (at most tuning.PG_CAP_ROWS candidates ranked, with ts_rank:
    ts_rank_cd costs several times more), among `within`'s passages if given: whole resources
    as a multirange of id runs (cheaper than an id array of as many passages), scattered
    passages as an id array."""
    find, rank = " | ".join(terms.rare), " | ".join(terms.all)
    where, params = "", []
    runs = within.runs() if within else []
    if within and len(runs) > within.count() / tuning.PG_SCATTERED_RUNS:  # scattered
        where = "AND f.passage_id = ANY(string_to_array(%s, ',')::bigint[])"
        params = [_id_text(within)]
    elif within:  # runs of ids, tested per match by binary search: only those are ranked
        where = "AND f.passage_id <@ %s::int8multirange"
        params = ["{" + ",".join(f"[{a},{b}]" for a, b in runs) + "}"]
    cursor.execute(
        "SELECT passage_id, ts_rank(tsv, q, 1) AS r FROM ("
        " SELECT f.passage_id, f.tsv, x.q FROM corpus_fts f, (SELECT"
        " to_tsquery('french', %s) || to_tsquery('simple', %s) AS find,"
        " to_tsquery('french', %s) || to_tsquery('simple', %s) AS q) x"
        f" WHERE f.tsv @@ x.find {where} LIMIT %s) m ORDER BY r DESC LIMIT %s",
        [find, find, rank, rank, *params, tuning.PG_CAP_ROWS, limit or tuning.PG_CAP_ROWS],
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
    step = tuning.DELETE_BATCH
    with connection.cursor() as cursor:
        for at in range(0, len(ids), step):
            batch = _in_list(ids[at : at + step])
            cursor.execute(f"DELETE FROM corpus_vec WHERE passage_id IN ({batch})")


def _pgvec(vector: np.ndarray) -> str:
    return "[" + ",".join(f"{x:.7g}" for x in vector.tolist()) + "]"


def vec_search(selection: Selection, query: np.ndarray, limit: int) -> list[tuple[int, float]]:
    """(passage id, cosine similarity) of the nearest selected passages, best first.

    On PostgreSQL too, the in-process matrix serves programmes that fit it: HNSW cannot take a
    selection's mask (sending it as ids is slow), and even unfiltered it is slower than the
    matrix. HNSW serves larger programmes."""
    if _in_process(selection):
        return memvec.search(selection, query, limit)
    return _pg_vec_search(selection, _pgvec(query), limit)


def _in_process(selection: Selection) -> bool:
    return not _pg() or len(selection.facts.ids) <= tuning.MEMVEC_MAX_ROWS


def vectors(selection: Selection, ids: list[int]) -> np.ndarray:
    """The stored vectors of these passages of the selection's programme (rows in no set
    order): from the in-process matrix when it serves the programme, else as stored."""
    if _in_process(selection):
        return memvec.vectors(selection, ids)
    from ..models import PassageVector

    stored = PassageVector.objects.filter(passage_id__in=ids)
    return np.array([v.array() for v in stored], np.float32)


def _pg_vec_search(selection: Selection, vec: str, limit: int) -> list[tuple[int, float]]:
    """HNSW neighbours in the programme, enough of them for the selection's share of the
    passages to yield `limit`, then the selection on them; small selections, or when too few
    survive, are ranked exactly."""
    with connection.cursor() as cursor:
        restricted = selection.restricted
        wanted = _oversample(selection, limit, tuning.OVERSAMPLE_HNSW) if restricted else limit
        if wanted <= tuning.PG_HNSW_MAX:
            ranked = _pg_hnsw(cursor, selection.programme_id, vec, max(wanted, limit))
            found = _kept(selection, ranked)[:limit]
            if len(found) == limit or len(ranked) < wanted or selection.count() > tuning.IDS_MAX:
                return found
        # Ordered by similarity, not by the indexed distance: rows come by primary key.
        cursor.execute(
            "SELECT passage_id, 1 - (embedding <=> %s::vector) AS s FROM corpus_vec"
            " WHERE passage_id = ANY(string_to_array(%s, ',')::bigint[]) ORDER BY s DESC LIMIT %s",
            [vec, _id_text(selection), limit],
        )
        return [(int(pk), float(s)) for pk, s in cursor.fetchall()]


def _pg_hnsw(cursor, programme_id: int, vec: str, limit: int) -> list[tuple[int, float]]:
    # Other programmes' vectors share the index: keep scanning until enough are found. The
    # settings are local to this transaction (set_config(…, true) is SET LOCAL), so they never
    # leak to the rest of the connection's work.
    ef_search = min(tuning.PG_HNSW_MAX, max(tuning.HNSW_EF_SEARCH_MIN, limit))
    with transaction.atomic():
        cursor.execute(
            "SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true),"
            " set_config('hnsw.ef_search', %s, true)",
            [str(ef_search)],
        )
        cursor.execute(
            "SELECT passage_id, 1 - (embedding <=> %s::vector) FROM corpus_vec"
            " WHERE programme_id = %s ORDER BY embedding <=> %s::vector LIMIT %s",
            [vec, programme_id, vec, limit],
        )
        found = cursor.fetchall()
    return sorted(((int(pk), float(s)) for pk, s in found), key=lambda f: -f[1])
