from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
    # Which analysis made the tokens (search.indexing.analysis_fingerprint()):
    # an entry of the profile's current version and the running code's
    # analysis can be sent to the engine as it is, instead of analysed again.
    analysis = models.CharField(max_length=16, blank=True, default="")


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


class SavedSearch(models.Model):
    """A search a signed-in person keeps: its words, side and business filters,
    in the search API's terms. Once a day the profiles published or changed
    since the last look are put to it, and what it finds goes out in one
    digest email a day (search.digests)."""

    class Side(models.TextChoices):
        ANY = "", _("Suppliers and buyers")
        OFFERS = "offers", _("Suppliers")
        SEEKS = "seeks", _("Buyers")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches")
    text = models.CharField(max_length=500, blank=True)
    side = models.CharField(max_length=6, choices=Side.choices, blank=True)
    # The business filters that are set, as query parameters read them:
    # {"offers": "8708", "city": "adama,seongnam", "verified": "true"}.
    filters = models.JSONField(default=dict, blank=True)
    # Off: kept as a shortcut to the search, but not run and never emailed.
    alerts = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"saved search {self.pk} of user {self.user_id}"


class SavedSearchMatch(models.Model):
    """A profile a saved search found. One row per search and profile, ever:
    a profile is announced once, however often it changes afterwards."""

    saved_search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="matches")
    business = models.ForeignKey("directory.Business", on_delete=models.CASCADE, related_name="+")
    # When the profile changed (its updated_at as found): the digest of a day
    # lists the changes of the days before it.
    changed_at = models.DateTimeField()
    found_at = models.DateTimeField()
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["saved_search", "business"], name="one_match_per_saved_search_and_business"),
        ]
        indexes = [models.Index(fields=["emailed_at", "changed_at"], name="saved_search_match_due")]

    def __str__(self):
        return f"business {self.business_id} for saved search {self.saved_search_id}"


class SavedSearchRun(models.Model):
    """One pass of the saved searches over the profiles that changed since the
    last pass, and where it stopped: the next pass starts after the newest
    change this one looked at."""

    ran_at = models.DateTimeField()
    # The newest change looked at (null: none yet).
    changed_until = models.DateTimeField(null=True, blank=True)
    changed = models.PositiveIntegerField(default=0, help_text="Public profiles changed since the last pass.")
    searches = models.PositiveIntegerField(default=0, help_text="Saved searches with alerts on.")
    examined = models.PositiveIntegerField(
        default=0, help_text="Profiles put to saved searches: each changed profile, once per search saved before the change.",
    )
    found = models.PositiveIntegerField(default=0, help_text="New matches recorded.")

    class Meta:
        ordering = ["-ran_at", "-id"]

    def __str__(self):
        return f"saved searches run at {self.ran_at:%Y-%m-%d %H:%M}"
