from datetime import datetime, timedelta

from celery import shared_task
from django.utils import timezone
from elastic_transport import TransportError
from elasticsearch import ApiError

from config.celery import OncePerPeriod

from . import digests, outbox


@shared_task(
    base=OncePerPeriod,
    period=timedelta(minutes=1),
    acks_late=True,
    autoretry_for=(TransportError, ApiError, ConnectionError, RuntimeError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def drain_outbox():
    """Apply pending index changes. Idempotent: running twice re-reads the same
    state and writes the same documents. Queued after every change, and beat
    runs it every minute as well (once a minute, however many beats)."""
    return outbox.drain()


@shared_task(base=OncePerPeriod, period=timedelta(days=1))
def queue_lapsed_profiles():
    """Daily: profiles that were not re-confirmed in time leave the index."""
    return outbox.queue_lapsed()


@shared_task(base=OncePerPeriod, period=timedelta(days=1))
def send_saved_search_digests(now=None):
    """Daily: find what is new for each saved search, then promise each person
    one digest (search.digests). Nothing here is worth retrying: a failure is
    recorded for staff, and tomorrow's run looks again from where the last
    finished run stopped. `now`, an ISO 8601 moment, moves the job's clock
    (tests run a real worker "tomorrow")."""
    return digests.run_daily(now=_moment(now))


def _moment(value):
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
