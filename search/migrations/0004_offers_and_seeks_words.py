"""What a firm offers and what it seeks become separate columns of the
database backend's index, so search can rank offers first; and the words of
the directory are kept for correcting typos (a trigram index on PostgreSQL)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models


class TrigramExtensionOnPostgres(TrigramExtension):
    """pg_trgm where the database is PostgreSQL; nothing elsewhere."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass  # other tables may use the extension


def vendor_structures(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS search_word_trigram ON search_searchword USING gin (word gin_trgm_ops)"
        )
    elif vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "name, offers, seeks, body, tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\")"
        )


def drop_vendor_structures(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_word_trigram")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "name, trade, body, tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\")"
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0003_searchentry_version"), ("directory", "0007_profile_flags")]

    operations = [
        TrigramExtensionOnPostgres(),
        migrations.RenameField("searchentry", "trade_tokens", "offers_tokens"),
        migrations.AddField("searchentry", "seeks_tokens", models.TextField(blank=True)),
        migrations.CreateModel(
            name="SearchWord",
            fields=[("word", models.CharField(max_length=100, primary_key=True, serialize=False))],
        ),
        migrations.RunPython(vendor_structures, drop_vendor_structures),
        # The entries are rewritten by 0006, once the analysis column they are written with exists.
    ]
