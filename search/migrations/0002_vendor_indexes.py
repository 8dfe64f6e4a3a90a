"""The database backend's full-text index, which each vendor builds its own way."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS search_entry_vector ON search_searchentry USING gin (vector)"
        )
    elif schema_editor.connection.vendor == "sqlite":
        # Tokens arrive already normalised (search/analysis.py); the tokenizer
        # only has to split on spaces without folding anything again.
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
            "name, trade, body, tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\")"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_vector")
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
