"""How a change to a profile reaches the search indexes.

`business_changed()` is called by directory.services inside the transaction
that changed the profile. It does two things, both in that transaction:

1. rewrites the database backend's entry (SearchEntry, plus PostgreSQL's
   tsvector or SQLite's FTS5 row), so the database search is never stale and
   is a faithful fallback whenever Elasticsearch is away;
2. writes an outbox row for Elasticsearch, drained by a Celery task after
   commit (and every minute by beat). If Redis or Elasticsearch is down the
   row waits; the write itself never fails because of them.
"""

import logging

from django.db import connection, transaction

from . import analysis
from .models import OutboxEntry, SearchEntry

logger = logging.getLogger(__name__)


def business_changed(business):
    write_entries([business])
    OutboxEntry.objects.create(business_id=business.pk)
    # One drain after the commit is enough however many profiles the
    # transaction touched (an import touches thousands).
    pending = getattr(connection, "run_on_commit", [])
    if not any(callback[1] is schedule_drain for callback in pending):
        transaction.on_commit(schedule_drain, robust=True)


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


def entry_tokens(business):
    """The three token columns of a business, as lists (see search/analysis.py)."""
    language = business.description_language
    name = analysis.tokens(business.name, language)
    trade = analysis.tokens(f"{business.offers_text}\n{business.seeks_text}", language)
    body = analysis.tokens(
        "\n".join([business.description, business.city.name, " ".join(business.certifications or [])]),
        language,
    )
    return name, trade, body


def write_entries(businesses):
    """Rewrite the database backend's entries for these businesses."""
    rows = []
    for business in businesses:
        name, trade, body = entry_tokens(business)
        rows.append((business.pk, name, trade, body))
    for pk, name, trade, body in rows:
        SearchEntry.objects.update_or_create(
            business_id=pk,
            defaults={"name_tokens": " ".join(name), "trade_tokens": " ".join(trade), "body_tokens": " ".join(body)},
        )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for pk, name, trade, body in rows:
                cursor.execute(
                    "UPDATE search_searchentry SET vector = "
                    "setweight(array_to_tsvector(%s::text[]), 'A') || "
                    "setweight(array_to_tsvector(%s::text[]), 'B') || "
                    "setweight(array_to_tsvector(%s::text[]), 'C') WHERE business_id = %s",
                    [name, trade, body, pk],
                )
        elif connection.vendor == "sqlite":
            for pk, name, trade, body in rows:
                cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [pk])
                cursor.execute(
                    "INSERT INTO search_fts (rowid, name, trade, body) VALUES (%s, %s, %s, %s)",
                    [pk, " ".join(name), " ".join(trade), " ".join(body)],
                )
