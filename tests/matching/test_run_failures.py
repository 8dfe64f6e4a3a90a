"""A matching run whose chunk always fails: it stops after its retries, is
marked failed with the error, releases the one-run lock, and staff see it."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from config.celery import app
from matching import introductions, runs, tasks
from matching.models import MatchRun
from tests.worker_logs import messages


@pytest.fixture
def database_search(settings):
    settings.SEARCH_BACKEND = "database"


@pytest.fixture
def eager_tasks():
    """The embedded default: no broker, tasks run in the caller's process."""
    before, app.conf.task_always_eager = app.conf.task_always_eager, True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def firms(make_business):
    buyer = make_business(name="Front Range Brake Supply", seeks_hs=["870830"])
    seller = make_business(name="Hanbit Brake Works", city="seongnam", offers_hs=["870830"], seeks_hs=[], seeks_text="")
    return buyer, seller


def assert_staff_see_the_failure(client, staff, run, error):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    page = client.get("/en/staff/runs/").content.decode()
    assert "Failed" in page and error in page
    admin = client.get(f"/admin/matching/matchrun/{run.pk}/change/").content.decode()
    assert "failed" in admin.lower() and error in admin


@pytest.mark.sqlite
@pytest.mark.django_db
def test_a_run_whose_chunk_fails_eagerly_is_marked_failed_and_frees_the_lock(
    firms, database_search, eager_tasks, settings, client, staff
):
    settings.MATCHING_WEIGHTS = {"code_overlap": "heavy"}  # misconfigured: every score raises
    with pytest.raises(Exception):
        tasks.run_matching.delay(full=True)

    run = MatchRun.objects.get()
    assert run.status == MatchRun.Status.FAILED and run.finished_at is not None
    assert "TypeError" in run.error
    second, _ = runs.start_run(full=True)  # the lock is free again
    assert second.status == MatchRun.Status.RUNNING
    assert_staff_see_the_failure(client, staff, run, "TypeError")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_chunk_that_always_fails_on_a_real_worker_fails_its_run_after_the_retries(
    firms, database_search, celery_worker_process, client, staff
):
    run, _ = runs.start_run(full=True)
    # A poisoned chunk: it raises on every delivery.
    tasks.match_chunk.apply_async((run.pk, 0, ["not-a-firm"]))
    # Five retries with exponential backoff (at most 1+2+4+8+16 seconds).
    deadline = timezone.now() + timedelta(seconds=90)
    while run.status == MatchRun.Status.RUNNING and timezone.now() < deadline:
        time.sleep(0.5)
        run.refresh_from_db()

    log = celery_worker_process["log"].read_text()
    assert run.status == MatchRun.Status.FAILED, log[-3000:]
    assert "ValueError" in run.error and "after its retries" in run.error
    retries = sum("Retry in" in message for message in messages(log))
    assert retries == tasks.match_chunk.max_retries  # it did retry before giving up
    second, _ = runs.start_run(full=True)
    assert second.status == MatchRun.Status.RUNNING
    assert_staff_see_the_failure(client, staff, run, "ValueError")
