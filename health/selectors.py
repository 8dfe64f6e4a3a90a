"""What the health probes ask: is each part the network depends on answering?

Each check returns a Check; none raises. A check names its failure (the kind
of error and its message) so an operator reading /readyz sees what to fix.
"""

import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.utils import timezone


@dataclass
class Check:
    name: str
    ok: bool
    detail: str = ""
    milliseconds: float = 0.0
    values: dict = field(default_factory=dict)

    def as_json(self):
        return {"ok": self.ok, "detail": self.detail, "ms": round(self.milliseconds, 1), **self.values}


def _timed(name, probe):
    started = time.monotonic()
    try:
        ok, detail, values = probe()
    except Exception as error:  # any failure of a dependency is the answer, not an error of ours
        ok, detail, values = False, f"{type(error).__name__}: {str(error)[:200]}", {}
    return Check(name=name, ok=ok, detail=detail, milliseconds=(time.monotonic() - started) * 1000, values=values)


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return True, connection.vendor, {}


def _redis():
    if not settings.REDIS_URL:
        return True, "not used: tasks run in the web process", {}
    import redis

    timeout = settings.READY_TIMEOUT_SECONDS
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=timeout, socket_connect_timeout=timeout)
    try:
        client.ping()
    finally:
        client.close()
    return True, "answers", {}


def _search_engine():
    if settings.SEARCH_BACKEND != "elasticsearch":
        return True, f"{settings.SEARCH_BACKEND} backend: searches run in the database", {}
    from search.backends.elasticsearch import client

    health = client().options(request_timeout=settings.READY_TIMEOUT_SECONDS).cluster.health()
    status = health["status"]
    # Yellow is a single node, or replicas still being copied: searches are served.
    return status in ("green", "yellow"), f"cluster {status}", {"cluster_status": status}


def _outbox():
    from search.models import OutboxEntry

    oldest = OutboxEntry.objects.order_by("created_at").values_list("created_at", flat=True).first()
    lag = 0.0 if oldest is None else max(0.0, (timezone.now() - oldest).total_seconds())
    limit = settings.READY_OUTBOX_LAG_SECONDS
    waiting = OutboxEntry.objects.count() if oldest is not None else 0
    values = {"lag_seconds": round(lag), "waiting": waiting, "limit_seconds": limit}
    if oldest is not None and lag >= limit:
        return False, f"the oldest change has waited {round(lag)} s for the search engine (limit {limit} s)", values
    return True, "search index up to date" if not waiting else f"{waiting} change(s) on their way", values


def readiness():
    """Every check /readyz makes, in order."""
    return [
        _timed("database", _database),
        _timed("redis", _redis),
        _timed("search", _search_engine),
        _timed("outbox", _outbox),
    ]


def beat_last_sent():
    """When beat last sent a scheduled task (django-celery-beat records each send), or None."""
    from django_celery_beat.models import PeriodicTask

    return (
        PeriodicTask.objects.filter(enabled=True, last_run_at__isnull=False)
        .order_by("-last_run_at")
        .values_list("last_run_at", flat=True)
        .first()
    )
