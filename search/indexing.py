"""How a change to a profile reaches the search indexes.

`business_changed()` is called by directory.services inside the transaction
that changed the profile. It does three things, all in that transaction:

1. moves the profile's search version on, so every index can tell a newer
   state of the profile from an older one that arrives late;
2. rewrites the database backend's entry (SearchEntry, plus PostgreSQL's
   tsvector or SQLite's FTS5 row), so the database search is never stale and
   is a faithful fallback whenever Elasticsearch is away;
3. writes an outbox row for Elasticsearch, drained by a Celery task after
   commit (and every minute by beat). If Redis or Elasticsearch is down the
   row waits; the write itself never fails because of them.
"""

import hashlib
import importlib.metadata
import inspect
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, transaction
from django.db.models import F

from directory import glossary
from directory.models import Business

from . import analysis, spelling
from .models import OutboxEntry, SearchWord

logger = logging.getLogger(__name__)


def business_changed(business):
    """Call inside the transaction that changed the profile (see above)."""
    bump_versions([business.pk])
    business.search_version = Business.objects.values_list("search_version", flat=True).get(pk=business.pk)
    write_entries([business])
    OutboxEntry.objects.create(business_id=business.pk)
    # One drain after the commit is enough however many profiles the
    # transaction touched (an import touches thousands).
    pending = getattr(connection, "run_on_commit", [])
    if not any(callback[1] is schedule_drain for callback in pending):
        transaction.on_commit(schedule_drain, robust=True)


def bump_versions(business_ids):
    """Move these profiles' search versions on, in the caller's transaction.

    The increment locks the row until commit, so of two transactions changing
    one profile the later one reads the earlier one's number and goes past it:
    versions are ordered like commits, which is what lets the index refuse an
    older document that arrives late.
    """
    Business.objects.filter(pk__in=business_ids).update(search_version=F("search_version") + 1)


def business_deleted(business_id):
    """The row is gone (its database entry with it, by cascade); tell the engine."""
    OutboxEntry.objects.create(business_id=business_id)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [business_id])
    transaction.on_commit(schedule_drain, robust=True)


def schedule_drain():
    """Ask a worker to drain the outbox now. Failing to ask is fine: the rows
    are committed, and beat asks again within a minute."""
    from .tasks import drain_outbox

    try:
        drain_outbox.delay()
    except Exception:  # broker down, or an eager drain hitting a dead engine
        logger.warning("Could not drain the search outbox now; it will be retried.", exc_info=True)


@dataclass(frozen=True)
class EntryTokens:
    """A business's words, kept apart by what they say about it: what a firm
    offers ranks before what it seeks (search/backends), so the two are
    separate columns."""

    name: list
    offers: list
    seeks: list
    body: list  # description, city, certifications


def entry_tokens(business):
    """The token columns of a business, as lists (see search/analysis.py)."""
    language = business.description_language
    return EntryTokens(
        name=analysis.tokens(business.name, language),
        offers=analysis.tokens(business.offers_text, language),
        seeks=analysis.tokens(business.seeks_text, language),
        body=analysis.tokens(
            "\n".join([business.description, business.city.name, " ".join(business.certifications or [])]),
            language,
        ),
    )


def vocabulary_words(business):
    """The words of a profile worth correcting a typo towards: folded, in a
    spaced script, long enough to be mistyped (search/spelling.py)."""
    text = " ".join([business.name, business.offers_text, business.seeks_text, business.description])
    return {
        word for word in analysis.words(text)
        if len(word) >= spelling.MIN_LENGTH and len(word) <= SearchWord.MAX_LENGTH and not word.isdigit()
        and not glossary.is_substring_script(word)
    }


@cache
def analysis_fingerprint():
    """A stamp of the code that turns a profile into tokens: search/analysis.py,
    entry_tokens and the stemmer's release. Entries carry it, so tokens made by
    other code (before a deployment) are told apart and made again."""
    digest = hashlib.sha256(Path(analysis.__file__).read_bytes())
    digest.update(inspect.getsource(entry_tokens).encode())
    digest.update(importlib.metadata.version("snowballstemmer").encode())
    return digest.hexdigest()[:16]


def token_columns(business):
    """The four token columns of a business as space-separated text: its
    entry's, when the entry was made from this state of the profile by this
    analysis (the common case: every save writes it), else made afresh.
    Load the entry with select_related("search_entry") to save a query."""
    try:
        entry = business.search_entry
    except ObjectDoesNotExist:
        entry = None
    if entry is not None and entry.version == business.search_version and entry.analysis == analysis_fingerprint():
        return [entry.name_tokens, entry.offers_tokens, entry.seeks_tokens, entry.body_tokens]
    t = entry_tokens(business)
    return [" ".join(t.name), " ".join(t.offers), " ".join(t.seeks), " ".join(t.body)]


_UPSERT_ENTRY = (
    "INSERT INTO search_searchentry "
    "(business_id, version, analysis, name_tokens, offers_tokens, seeks_tokens, body_tokens, vector) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, {vector}) "
    "ON CONFLICT (business_id) DO UPDATE SET version = excluded.version, analysis = excluded.analysis, "
    "name_tokens = excluded.name_tokens, "
    "offers_tokens = excluded.offers_tokens, seeks_tokens = excluded.seeks_tokens, "
    "body_tokens = excluded.body_tokens, vector = excluded.vector "
    # An entry made from an older state of the profile never replaces a newer one.
    "WHERE search_searchentry.version <= excluded.version "
    "RETURNING business_id"
)
# Weights say which column a word came from, so a query can ask for words in
# the name or offers (A, B), the description (C) or the needs (D) only.
# PostgreSQL keeps weights on positions, so the vector is written as a
# literal with a position for every token.
_POSTGRES_VECTOR = "CAST(%s AS tsvector)"
MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
MAX_LEXEME_BYTES = 2046  # and its longest lexeme


def tsvector_literal(tokens):
    """A tsvector literal of the entry's tokens, weighted by column."""
    parts, position = [], 0
    for weight, column in (("A", tokens.name), ("B", tokens.offers), ("C", tokens.body), ("D", tokens.seeks)):
        for token in column:
            if len(token.encode()) > MAX_LEXEME_BYTES:
                continue  # no word is that long; PostgreSQL refuses such a lexeme
            position = min(position + 1, MAX_POSITION)
            escaped = token.replace("\\", "\\\\").replace("'", "''")
            parts.append(f"'{escaped}':{position}{weight}")
    return " ".join(parts)


def write_entries(businesses):
    """Rewrite the database backend's entries for these businesses, each only
    if it was made from the same or a newer version than the one it replaces,
    and add their words to the vocabulary typos are corrected towards.
    Returns the ids whose entries were written."""
    postgres = connection.vendor == "postgresql"
    sql = _UPSERT_ENTRY.format(vector=_POSTGRES_VECTOR if postgres else "NULL")
    written, words = [], set()
    with connection.cursor() as cursor:
        for business in businesses:
            t = entry_tokens(business)
            columns = [" ".join(t.name), " ".join(t.offers), " ".join(t.seeks), " ".join(t.body)]
            cursor.execute(sql, [business.pk, business.search_version, analysis_fingerprint(), *columns]
                           + ([tsvector_literal(t)] if postgres else []))
            if cursor.fetchone() is None:
                continue
            written.append(business.pk)
            words |= vocabulary_words(business)
            if connection.vendor == "sqlite":
                cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [business.pk])
                cursor.execute(
                    "INSERT INTO search_fts (rowid, name, offers, seeks, body) VALUES (%s, %s, %s, %s, %s)",
                    [business.pk, *columns],
                )
    # Words are only ever added: a word no profile uses any more can only
    # offer a correction that finds nothing, which costs nothing.
    SearchWord.objects.bulk_create([SearchWord(word=w) for w in sorted(words)], ignore_conflicts=True,
                                   batch_size=1000)
    return written
