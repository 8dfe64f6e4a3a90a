"""Draining the search outbox into the engine.

Rows are claimed with SELECT … FOR UPDATE SKIP LOCKED, so several workers can
drain at once without taking the same rows; the current state of each
business is re-read (the row says only "look again"); the engine is written in
bulk; and the rows are deleted only after the engine acknowledged the write,
in the same transaction that claimed them. If the engine fails, the
transaction rolls back and the rows wait for the next attempt.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from directory.models import Business

from . import indexing
from .backends import get_search_backend
from .models import OutboxEntry

BATCH_SIZE = 500


def drain(*, backend=None, batch_size=BATCH_SIZE):
    """Apply every pending row; return how many rows were applied."""
    backend = backend or get_search_backend()
    applied = 0
    while True:
        with transaction.atomic():
            rows = list(
                OutboxEntry.objects.select_for_update(skip_locked=True).order_by("id")[:batch_size]
            )
            if not rows:
                return applied
            backend.apply({row.business_id for row in rows})
            OutboxEntry.objects.filter(pk__in=[row.pk for row in rows]).delete()
            applied += len(rows)


def pending():
    return OutboxEntry.objects.count()


def queue_lapsed(*, now=None, window_days=30):
    """Queue profiles that lapsed recently (not re-confirmed in time), so the
    engine drops them. Searches already filter on the confirmation date; this
    keeps the index itself to published, current profiles. Run daily, the
    window covers missed days."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.PROFILE_FRESHNESS_DAYS)
    with transaction.atomic():
        lapsed = list(Business.objects.filter(
            status=Business.Status.PUBLISHED, confirmed_at__lt=cutoff, confirmed_at__gte=cutoff - timedelta(days=window_days)
        ).values_list("pk", flat=True))
        # Lapsing changes no field, but the deletion is a newer state of the
        # profile than the document the index holds.
        indexing.bump_versions(lapsed)
        OutboxEntry.objects.bulk_create([OutboxEntry(business_id=pk) for pk in lapsed])
    return len(lapsed)
