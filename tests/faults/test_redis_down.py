"""Redis, the Celery broker, goes away (a private instance, so no other test
notices). Writes still commit, their after-commit task fails quietly, and the
outbox rows and promised emails wait in the database. Once Redis is back the
periodic sweep delivers each of them exactly once, and nothing is delivered
for a transaction that rolled back."""

import email
import time

import pytest
from django.conf import settings as django_settings
from django.db import transaction

from config.celery import app
from matching.models import OutgoingEmail
from search.backends import get_search_backend
from search.models import OutboxEntry
from tests.faults.conftest import broker, wait_until

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MESSAGE_SEPARATOR = "-" * 79  # what Django's file-based email backend writes after each message


class RolledBack(Exception):
    pass


def delivered_mail(mail_dir):
    """Every message the worker's file-based email backend wrote."""
    messages = []
    for path in sorted(mail_dir.glob("*.log")) if mail_dir.exists() else []:
        for chunk in path.read_text().split(MESSAGE_SEPARATOR):
            if chunk.strip():
                messages.append(email.message_from_string(chunk.strip()))
    return messages


def sweep():
    """What beat sends every period: drain the search outbox, send unsent emails."""
    schedule = django_settings.CELERY_BEAT_SCHEDULE
    for entry in ("drain-search-outbox", "send-unsent-emails"):
        app.send_task(schedule[entry]["task"])


def succeeded(workers, task_name):
    """How many times the worker finished this task."""
    return sum(1 for line in workers.log.read_text().splitlines() if f"{task_name}[" in line and " succeeded in " in line)


def test_with_redis_stopped_writes_commit_and_the_sweep_delivers_each_change_and_email_once(
    private_redis, workers, settings, es_prefix, make_business, staff, api
):
    settings.SEARCH_BACKEND = "elasticsearch"
    workers.start(redis_url=private_redis.url)
    with broker(private_redis.url, workers.queue) as reconnect:
        buyer = make_business(name="Front Range Brake Supply", seeks_hs=["870830"])
        seller = make_business(name="Hanbit Brake Works", city="seongnam", offers_hs=["870830"], seeks_hs=[],
                               seeks_text="", description="Brake pads and discs from Seongnam.")
        other = make_business(name="Frenos Baeza", city="chihuahua", offers_hs=["870830"], seeks_hs=[],
                              seeks_text="", description="Frenos y discos de freno.")
        # With Redis up, the after-commit task drains the outbox at once.
        wait_until(lambda: not OutboxEntry.objects.exists(), timeout=60, message=f"the drain\n{workers.log_tail()}")

        with private_redis.stopped():
            started = time.monotonic()
            api.force_authenticate(buyer.owner)
            edited = api.patch(f"/api/v1/businesses/{buyer.slug}/", {"description": "Fleet brakes, now ceramic."},
                               format="json")
            asked = api.post("/api/v1/introductions/", {"target": seller.slug}, format="json")
            api.force_authenticate(staff)
            approved = api.post(f"/api/v1/introductions/{asked.json()['id']}/approve/", {}, format="json")
            # Work that fails after its writes: all of it rolls back, after-commit work included.
            with pytest.raises(RolledBack), transaction.atomic():
                api.force_authenticate(seller.owner)
                api.patch(f"/api/v1/businesses/{seller.slug}/", {"description": "Never committed."}, format="json")
                api.force_authenticate(buyer.owner)
                doomed = api.post("/api/v1/introductions/", {"target": other.slug}, format="json").json()["id"]
                api.force_authenticate(staff)
                assert api.post(f"/api/v1/introductions/{doomed}/approve/", {}, format="json").status_code == 200
                assert OutgoingEmail.objects.filter(introduction_id=doomed).count() == 2
                raise RolledBack
            took = time.monotonic() - started

            assert (edited.status_code, asked.status_code, approved.status_code) == (200, 201, 200)
            assert took < 30  # each failed publish gives up quickly instead of hanging the request
            waiting = set(OutboxEntry.objects.values_list("business_id", flat=True))
            assert buyer.pk in waiting and seller.pk not in waiting
            promised = {e.key: e.to for e in OutgoingEmail.objects.all()}
            assert len(promised) == 2 and not OutgoingEmail.objects.filter(sent_at__isnull=False).exists()

        # Redis is back, empty: whatever was queued before the outage died with it.
        reconnect()
        sweep()
        wait_until(lambda: not OutboxEntry.objects.exists() and not OutgoingEmail.objects.filter(sent_at=None).exists(),
                   timeout=90, message=f"the sweep\n{workers.log_tail()}")
        wait_until(lambda: succeeded(workers, "send_unsent_emails") == 1, timeout=30, message="the first sweep")
        drains = succeeded(workers, "drain_outbox")
        sweep()  # the next period finds nothing left to do
        wait_until(lambda: succeeded(workers, "send_unsent_emails") == 2 and succeeded(workers, "drain_outbox") > drains,
                   timeout=60, message=f"the second sweep\n{workers.log_tail()}")

    mail = delivered_mail(workers.mail_dir)
    assert sorted(message["To"] for message in mail) == sorted(", ".join(to) for to in promised.values())
    assert other.owner.email not in " ".join(message["To"] for message in mail)

    es = get_search_backend("elasticsearch")
    es.refresh()
    assert es.client.get(index=es.alias, id=buyer.pk)["_source"]["description"] == "Fleet brakes, now ceramic."
    assert es.client.get(index=es.alias, id=seller.pk)["_source"]["description"] == "Brake pads and discs from Seongnam."
    assert es.reconcile() == {"missing": [], "extra": [], "stale": []}
