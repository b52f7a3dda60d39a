"""Vendor-specific search tables (FTS5 on SQLite; tsvector and pgvector on PostgreSQL)."""

from django.db import migrations


def create(apps, schema_editor):
    from recolte.corpus.index import create_tables

    create_tables(schema_editor)


def drop(apps, schema_editor):
    from recolte.corpus.index import drop_tables

    drop_tables(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("corpus", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
