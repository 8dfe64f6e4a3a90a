from datetime import timedelta

from celery import shared_task
from elastic_transport import TransportError
from elasticsearch import ApiError

from config.celery import OncePerPeriod

from . import outbox


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
