from celery import shared_task
from elastic_transport import TransportError
from elasticsearch import ApiError

from . import outbox


@shared_task(
    acks_late=True,
    autoretry_for=(TransportError, ApiError, ConnectionError, RuntimeError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def drain_outbox():
    """Apply pending index changes. Idempotent: running twice re-reads the same
    state and writes the same documents. Beat runs it every minute as well."""
    return outbox.drain()


@shared_task
def queue_lapsed_profiles():
    """Daily: profiles that were not re-confirmed in time leave the index."""
    return outbox.queue_lapsed()
