"""SQLite: the fts5vocab table giving each term's document frequency (search drops very common
query terms with it). Nothing to do on PostgreSQL."""

from django.db import migrations

SQL = "CREATE VIRTUAL TABLE IF NOT EXISTS corpus_fts_vocab USING fts5vocab(corpus_fts, 'row')"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQL)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS corpus_fts_vocab")


class Migration(migrations.Migration):
    dependencies = [("corpus", "0002_search_indexes")]
    operations = [migrations.RunPython(create, drop)]
