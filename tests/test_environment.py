"""The suite runs against the services it claims to: a real PostgreSQL and a
real Redis in `make test`. If the Makefile ever stopped passing them, these
fail instead of letting the suite quietly fall back to SQLite and eager tasks."""

import os

import pytest
import redis
from django.conf import settings
from django.db import connection


@pytest.mark.django_db
def test_the_database_is_the_one_configured():
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected
    if os.environ.get("CI"):
        assert connection.vendor == "postgresql", "make test must run the suite on PostgreSQL"


def test_celery_uses_the_real_redis_broker_when_one_is_configured():
    if not os.environ.get("REDIS_URL"):
        assert settings.CELERY_TASK_ALWAYS_EAGER  # the embedded default
        return
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    assert redis.Redis.from_url(settings.CELERY_BROKER_URL).ping() is True
