"""The database a test pass runs on is the one asked for, with the search features we rely on."""

import os

from django.db import connection


def test_connection_uses_the_backend_named_by_database_url() -> None:
    wanted = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == wanted


def test_backend_offers_accent_insensitive_text_or_vector_search(db) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            tokenizer = "unicode61 remove_diacritics 2"
            cursor.execute(f"CREATE VIRTUAL TABLE place USING fts5(name, tokenize='{tokenizer}')")
            cursor.execute("INSERT INTO place(name) VALUES ('Ménaka'), ('Gao')")
            cursor.execute("SELECT name FROM place WHERE place MATCH 'menaka'")
            assert cursor.fetchall() == [("Ménaka",)]
        else:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS vector")
            cursor.execute("CREATE TABLE item (id int, v vector(3))")
            cursor.execute("INSERT INTO item VALUES (1, '[1,0,0]'), (2, '[0,1,0]')")
            cursor.execute("SELECT id FROM item ORDER BY v <=> '[0.9,0.1,0]' LIMIT 1")
            assert cursor.fetchall() == [(1,)]
