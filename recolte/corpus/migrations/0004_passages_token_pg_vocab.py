"""IndexState.passages_token (see facets.py); PostgreSQL: a lexeme document-frequency table
(the counterpart of SQLite's fts5vocab), filled from the existing full-text rows."""

import uuid

from django.db import migrations, models

from recolte.corpus import index


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(index.PG_VOCAB_TABLE)
        schema_editor.execute(index.PG_VOCAB_FILL)


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
