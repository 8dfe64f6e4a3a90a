from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchEntry(models.Model):
    """The database backend's index: one row per business, written in the same
    transaction as the profile, so the fallback search is never stale.

    The token columns hold search/analysis.py's output, space-separated. On
    PostgreSQL `vector` holds them as a weighted tsvector (GIN-indexed); on
    SQLite an FTS5 table created by this app's migration mirrors them.
    """

    business = models.OneToOneField(
        "directory.Business", on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    name_tokens = models.TextField(blank=True)
    offers_tokens = models.TextField(blank=True)  # what it offers, in words
    seeks_tokens = models.TextField(blank=True)  # what it seeks, in words
    body_tokens = models.TextField(blank=True)  # description, city, certifications
    vector = SearchVectorField(null=True)  # PostgreSQL only; its GIN index is made by a migration
    # The business's search_version these tokens were made from: an entry is
    # only ever replaced by one made from the same or a newer state.
    version = models.BigIntegerField(default=0)


class SearchWord(models.Model):
    """The words of the directory's profiles, which a mistyped query word is
    corrected towards on the database backend (search/spelling.py). On
    PostgreSQL a trigram index finds the near ones; on SQLite they are read
    by first letter and length and compared in Python."""

    MAX_LENGTH = 100

    word = models.CharField(max_length=MAX_LENGTH, primary_key=True)

    def __str__(self):
        return self.word


class OutboxEntry(models.Model):
    """A business whose public face changed and the search engine has not yet
    heard about. Written in the same transaction as the change; deleted only
    after the engine acknowledged it. No foreign key: a deleted business still
    needs its document removed."""

    business_id = models.BigIntegerField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "outbox entries"

    def __str__(self):
        return f"business {self.business_id} at {self.created_at:%Y-%m-%d %H:%M:%S}"
