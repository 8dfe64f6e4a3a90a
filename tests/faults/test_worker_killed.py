"""A worker is killed (SIGKILL, no chance to clean up) in the middle of a
matching chunk. Tasks are acknowledged late, so the chunk's message is still
the broker's; another worker takes it up again once the visibility timeout
has passed, and the run completes with exactly the proposals an
uninterrupted run makes on the same data."""

import os

import pytest
from django.core.management import call_command
from django.db import transaction

from matching import tasks
from matching.models import Introduction, MatchCandidate, MatchRun, MatchRunChunk
from tests.faults.conftest import broker, wait_until

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# An unacknowledged task goes back to the queue after an hour in production;
# here after a few seconds, looked for every second, so the test need not wait.
QUICK_REDELIVERY = "visibility_timeout=15,unacked_restore_interval=1,unacked_restore_throttle=1"


def quietly():
    return {"stdout": open(os.devnull, "w"), "stderr": open(os.devnull, "w")}


def proposals():
    return {(i.business_a_id, i.business_b_id): i.score for i in Introduction.objects.all()}


def uninterrupted_run():
    """The proposals a run makes on the current data, in this process, left
    uncommitted: the database is as it was before."""
    with transaction.atomic():
        call_command("run_matching", "--full", "--sync", **quietly())
        made = proposals()
        transaction.set_rollback(True)
    return made


@pytest.fixture
def network(settings):
    settings.SEARCH_BACKEND = "database"
    settings.MATCHING_CHUNK_SIZE = 25
    call_command("load_demo", count=200, **quietly())


def test_a_worker_killed_mid_chunk_leaves_a_run_another_worker_completes_with_the_same_proposals(
    network, private_redis, workers, settings
):
    env = {"CELERY_BROKER_TRANSPORT_OPTIONS": QUICK_REDELIVERY}
    expected = uninterrupted_run()
    assert len(expected) > 100 and not Introduction.objects.exists()

    first = workers.start(redis_url=private_redis.url, **env)
    with broker(private_redis.url, workers.queue):
        tasks.run_matching.delay(full=True)
    wait_until(lambda: MatchRun.objects.exists(), timeout=60, message=lambda: f"the run to start\n{workers.log_tail()}")
    run = MatchRun.objects.get()
    assert run.chunks_total >= 5

    def mid_run():
        # One worker takes the chunks one after another: once one is done and
        # not all, it is scoring the next.
        return 1 <= MatchRunChunk.objects.filter(run=run).count() < run.chunks_total - 1

    wait_until(mid_run, timeout=120, interval=0.01, message=lambda: f"a chunk in progress\n{workers.log_tail()}")
    first.kill()  # SIGKILL
    first.wait(timeout=10)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.RUNNING
    assert MatchCandidate.objects.filter(run=run).exists() and not Introduction.objects.exists()

    workers.start(redis_url=private_redis.url, **env)
    wait_until(lambda: MatchRun.objects.get(pk=run.pk).status != MatchRun.Status.RUNNING, timeout=120,
               interval=0.5, message=lambda: f"the run to close\n{workers.log_tail()}")
    run.refresh_from_db()
    assert run.status == MatchRun.Status.SUCCEEDED, run.error
    assert MatchRunChunk.objects.filter(run=run).count() == run.chunks_total
    assert proposals() == expected
    assert run.proposals_created == len(expected)


def run_in_order(order):
    """The proposals of a run whose chunks finish in the given order (left uncommitted)."""
    from matching import runs

    with transaction.atomic():
        run, chunks = runs.start_run(full=True)
        for index in order(len(chunks)):
            runs.process_chunk(run_id=run.pk, index=index, business_ids=chunks[index])
        runs.close_run(run_id=run.pk)
        made = proposals()
        transaction.set_rollback(True)
    return made


def test_a_runs_proposals_do_not_depend_on_the_order_its_chunks_finish_in(network):
    in_order = run_in_order(lambda n: range(n))
    # What a redelivered chunk, or a second worker, does: the second chunk finishes last.
    assert run_in_order(lambda n: [0, *range(2, n), 1]) == in_order
