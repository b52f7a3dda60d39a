"""IndexState.passages_token (see retrieval/passage_facts.py); PostgreSQL: a lexeme document-frequency table
(the counterpart of SQLite's fts5vocab), filled from the existing full-text rows."""

import uuid

from django.db import migrations, models

# Copied, not imported from the live code, so the migration keeps producing the same schema.
PG_VOCAB_TABLE = (
    "CREATE TABLE IF NOT EXISTS corpus_fts_vocab (lexeme text PRIMARY KEY, docs integer NOT NULL)"
)
PG_VOCAB_FILL = (
    "INSERT INTO corpus_fts_vocab (lexeme, docs) SELECT lexeme, count(*) AS n FROM corpus_fts,"
    " unnest(tsvector_to_array(tsv)) AS lexeme  GROUP BY lexeme ORDER BY lexeme"
    " ON CONFLICT (lexeme) DO UPDATE SET docs = corpus_fts_vocab.docs + EXCLUDED.docs"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_VOCAB_TABLE)
        schema_editor.execute(PG_VOCAB_FILL)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS corpus_fts_vocab")


class Migration(migrations.Migration):
    dependencies = [("corpus", "0003_fts_vocab")]
    operations = [
        migrations.AddField(
            model_name="indexstate",
            name="passages_token",
            field=models.UUIDField(default=uuid.uuid4),
        ),
        migrations.RunPython(create, drop),
    ]
