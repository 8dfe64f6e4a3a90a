"""Scheduled jobs run once per period, however many beats trigger them, and a
scheduled job that fails shows as failed to staff."""

import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.module_loading import import_string

from config.celery import OncePerPeriod, app
from matching import periodic, tasks
from matching.models import MatchRun, PeriodicJobRun
from tests.celery_queues import worker_environment, worker_queues
from tests.worker_logs import messages

ROOT = Path(__file__).resolve().parents[1]
SCHEDULE = settings.CELERY_BEAT_SCHEDULE


def scheduled_task(entry):
    return import_string(SCHEDULE[entry]["task"])


def as_beat_sends(entry):
    """The header django-celery-beat puts on every task it sends."""
    return {"periodic_task_name": entry}


@pytest.fixture
def database_search(settings):
    settings.SEARCH_BACKEND = "database"


@pytest.mark.parametrize("entry", sorted(SCHEDULE))
def test_every_scheduled_job_claims_a_period_no_longer_than_its_schedule(entry):
    task = scheduled_task(entry)
    assert isinstance(task, OncePerPeriod) and task.period
    schedule = SCHEDULE[entry]["schedule"]
    if isinstance(schedule, float):  # every n seconds: one run per n seconds
        assert task.period == timedelta(seconds=schedule)


@pytest.mark.sqlite
@pytest.mark.django_db
@pytest.mark.parametrize("entry", sorted(SCHEDULE))
def test_a_second_trigger_of_a_scheduled_job_in_the_same_period_does_nothing(entry, database_search):
    task = scheduled_task(entry)
    first = task.apply(headers=as_beat_sends(entry))
    second = task.apply(headers=as_beat_sends(entry))

    assert first.successful() and second.successful()
    assert second.result is None
    run = PeriodicJobRun.objects.get(job=entry)
    assert run.status == PeriodicJobRun.Status.SUCCEEDED and run.task_id == first.id
    assert run.period_start == periodic.period_start(period=task.period)


@pytest.mark.sqlite
@pytest.mark.django_db
def test_two_beats_start_one_nightly_matching_run_and_staff_can_still_start_another(database_search):
    for _ in range(2):
        tasks.run_matching.apply(headers=as_beat_sends("nightly-matching-run"))
    assert MatchRun.objects.count() == 1

    tasks.run_matching.apply()  # on demand, from the staff desk
    assert MatchRun.objects.count() == 2


@pytest.mark.sqlite
@pytest.mark.django_db
def test_a_retry_of_the_claiming_task_carries_on_and_a_finished_run_is_not_repeated():
    claimed = periodic.claim(job="nightly", task="t", task_id="first", period=timedelta(days=1))
    tomorrow = timezone.now() + timedelta(days=1)
    assert periodic.claim(job="nightly", task="t", task_id="first", period=timedelta(days=1), now=tomorrow) == claimed
    assert periodic.claim(job="nightly", task="t", task_id="second", period=timedelta(days=1)) is None
    periodic.finish(run=claimed, result=3)
    assert periodic.claim(job="nightly", task="t", task_id="first", period=timedelta(days=1)) is None
    assert periodic.claim(job="nightly", task="t", task_id="third", period=timedelta(days=1), now=tomorrow)


# --- with real processes ---------------------------------------------------------------


@pytest.fixture
def celery(tmp_path):
    """Start real Celery processes (workers, beats) of tests.periodic_app on
    the real Redis and the test database; all share one fresh queue."""
    if not os.environ.get("REDIS_URL"):
        pytest.fail("REDIS_URL is not set: run the suite with `make test`, which starts Redis.")
    db = connection.settings_dict
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "SEARCH_BACKEND": "database",
        **worker_environment(queue),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
    }
    started = []

    def start(name, *args):
        log = tmp_path / f"{name}.log"
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "tests.periodic_app", *args, "-l", "INFO"],
            cwd=ROOT, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT,
        )
        started.append(process)
        return log

    def worker():
        return start("worker", "worker", "-P", "solo", "-Q", worker_queues(queue),
                     "--without-gossip", "--without-mingle", "--without-heartbeat")

    def beat(name):
        return start(name, "beat", "-S", "django_celery_beat.schedulers:DatabaseScheduler", "--max-interval", "1")

    try:
        yield {"queue": queue, "worker": worker, "beat": beat}
    finally:
        for process in started:
            process.terminate()
        for process in started:
            process.wait(timeout=30)


def wait_for(condition, seconds=60, message=""):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.3)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_real_beats_and_a_worker_run_each_scheduled_job_once_per_period(celery):
    from django_celery_beat.models import PeriodicTask

    worker_log = celery["worker"]()
    began = timezone.now()
    celery["beat"]("beat-1")
    # The second beat starts once the first has written the schedule, as a
    # second beat deployed by mistake would find it.
    wait_for(lambda: PeriodicTask.objects.filter(name__in=SCHEDULE).count() == len(SCHEDULE), message="no schedule")
    celery["beat"]("beat-2")

    def triggers():
        lines = [line for line in worker_log.read_text().splitlines() if "] received" in line]
        return Counter(SCHEDULE_BY_TASK[name] for line in lines for name in SCHEDULE_BY_TASK if f" {name}[" in line)

    wait_for(lambda: all(triggers()[entry] >= 4 for entry in SCHEDULE), seconds=90,
             message=f"too few triggers reached the worker: {triggers()}")
    time.sleep(2)  # let the worker finish what it received
    ended = timezone.now()

    for entry in SCHEDULE:
        period = scheduled_task(entry).period
        periods = {periodic.period_start(period=period, now=moment) for moment in (began, ended)}
        runs = PeriodicJobRun.objects.filter(job=entry)
        assert 1 <= runs.count() <= len(periods), (entry, triggers()[entry], list(runs.values()))
        assert set(runs.values_list("status", flat=True)) == {PeriodicJobRun.Status.SUCCEEDED}
    # The job with a lasting trace: as many matching runs as claimed periods, not one per trigger.
    assert MatchRun.objects.count() == PeriodicJobRun.objects.filter(job="nightly-matching-run").count()


SCHEDULE_BY_TASK = {entry["task"]: name for name, entry in SCHEDULE.items()}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_scheduled_job_that_always_fails_stops_after_its_retries_and_staff_see_it_failed(celery, client, staff):
    worker_log = celery["worker"]()
    result = app.send_task("tests.periodic_app.always_fails", queue=celery["queue"],
                           headers=as_beat_sends("relay-check"))
    with pytest.raises(RuntimeError):
        result.get(timeout=60)

    run = PeriodicJobRun.objects.get(job="relay-check")
    assert run.status == PeriodicJobRun.Status.FAILED and run.finished_at is not None
    assert "RuntimeError: The mail relay refused the connection." in run.error
    assert sum("Retry in" in message for message in messages(worker_log.read_text())) == 2  # retried, then stopped

    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    page = client.get("/admin/matching/periodicjobrun/", {"status": "failed"}).content.decode()
    assert "relay-check" in page and "The mail relay refused the connection." in page
