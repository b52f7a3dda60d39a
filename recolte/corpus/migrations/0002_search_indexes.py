"""Vendor-specific search tables (FTS5 on SQLite; tsvector and pgvector on PostgreSQL).

The SQL is copied here, not imported from the live code, so this migration keeps producing
the same schema whatever the search engine becomes. (The vocabulary tables are also created by
0003 and 0004 for databases migrated before they were added here: IF NOT EXISTS.)
"""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS corpus_fts USING fts5("
    "text, tokenize='unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS corpus_fts_vocab USING fts5vocab(corpus_fts, 'row')",
]
POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS vector",
    "CREATE TABLE IF NOT EXISTS corpus_fts (passage_id bigint PRIMARY KEY, tsv tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS corpus_fts_tsv ON corpus_fts USING gin (tsv)",
    "CREATE TABLE IF NOT EXISTS corpus_vec (passage_id bigint PRIMARY KEY,"
    " programme_id bigint NOT NULL, embedding vector(384) NOT NULL)",
    "CREATE INDEX IF NOT EXISTS corpus_vec_hnsw ON corpus_vec"
    " USING hnsw (embedding vector_cosine_ops)",
    "CREATE INDEX IF NOT EXISTS corpus_vec_programme ON corpus_vec (programme_id)",
    "CREATE TABLE IF NOT EXISTS corpus_fts_vocab (lexeme text PRIMARY KEY, docs integer NOT NULL)",
]


def create(apps, schema_editor):
    pg = schema_editor.connection.vendor == "postgresql"
    for sql in POSTGRESQL if pg else SQLITE:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    pg = schema_editor.connection.vendor == "postgresql"
    for table in ["corpus_fts_vocab", "corpus_fts"] + (["corpus_vec"] if pg else []):
        schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


class Migration(migrations.Migration):
    dependencies = [("corpus", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
