"""Redis re-delivers an unacknowledged task after its visibility timeout:
every task, delivered twice with the same arguments to a real worker, makes
no second proposal, event, index document or email."""

import pytest
from django.core import mail

from matching import introductions, runs, tasks
from matching.models import Introduction, IntroductionEvent, MatchRun, MatchRunChunk, OutgoingEmail
from search import outbox
from search import tasks as search_tasks
from search.backends import get_search_backend

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def twice(task, queue, *args):
    return [task.apply_async(args, queue=queue).get(timeout=60) for _ in range(2)]


@pytest.fixture
def database_search(settings):
    settings.SEARCH_BACKEND = "database"


@pytest.fixture
def answer_at_once(monkeypatch):
    """The worker reminds after 0 days and follows up after 0 days, so the
    test need not wait a week or move the clock on the rows."""
    monkeypatch.setenv("INTRODUCTION_REMINDER_DAYS", "0")
    monkeypatch.setenv("INTRODUCTION_FOLLOWUP_DAYS", "0")


def test_a_matching_chunk_delivered_twice_proposes_each_pair_once(database_search, celery_worker_process, make_business):
    make_business(name="Front Range Brake Supply", seeks_hs=["870830"])
    for city in ("seongnam", "chihuahua"):
        make_business(name=f"Brake Maker {city}", city=city, offers_hs=["870830"], seeks_hs=[], seeks_text="")
    run, chunks = runs.start_run(full=True)

    scored = twice(tasks.match_chunk, celery_worker_process["queue"], run.pk, 0, chunks[0])

    assert scored[0] == scored[1] > 0
    assert MatchRunChunk.objects.filter(run=run).count() == 1
    closed = runs.close_run(run_id=run.pk)
    assert closed.proposals_created == Introduction.objects.count() == 2
    assert closed.candidates_scored == scored[0]


@pytest.fixture
def elasticsearch_search(es_prefix, settings):
    settings.SEARCH_BACKEND = "elasticsearch"


def test_the_search_outbox_drained_twice_indexes_each_profile_once(elasticsearch_search, celery_worker_process, make_business):
    businesses = [make_business(name=name) for name in ("Front Range Brake Supply", "Cascade Brakes")]

    twice(search_tasks.drain_outbox, celery_worker_process["queue"])

    assert outbox.pending() == 0
    backend = get_search_backend("elasticsearch")
    backend.refresh()
    ids = sorted(int(hit["_id"]) for hit in backend.client.search(index=backend.alias, size=10)["hits"]["hits"])
    assert ids == sorted(b.pk for b in businesses)


def test_introduction_reminders_and_follow_ups_delivered_twice_email_each_firm_once(
    answer_at_once, database_search, celery_worker_process, make_business, staff
):
    buyer = make_business(name="Front Range Brake Supply")
    supplier = make_business(name="Hanbit Brake Works", city="seongnam", offers_hs=["870830"])
    introduction = introductions.request_introduction(actor=buyer.owner, target=supplier)
    introductions.approve_introduction(actor=staff, introduction=introduction)
    introductions.accept_introduction(actor=buyer.owner, introduction=introduction)
    queue = celery_worker_process["queue"]

    assert twice(tasks.remind_and_expire_introductions, queue) == [[1, 0], [0, 0]]
    introductions.accept_introduction(actor=supplier.owner, introduction=introduction)
    assert twice(tasks.send_introduction_followups, queue) == [1, 0]
    # On the email queue, as routed: behind the emails queued after commit, which have all gone out.
    assert tasks.send_unsent_emails.delay().get(timeout=60) == 0

    events = list(IntroductionEvent.objects.filter(introduction=introduction).values_list("action", flat=True))
    assert events.count("reminded") == 1 and events.count("followup_0") == 1
    reminders = OutgoingEmail.objects.filter(key__contains=":reminder:")
    assert [e.to for e in reminders] == [[supplier.owner.email]]  # only the firm that had not answered
    assert OutgoingEmail.objects.filter(key__contains=":followup0:").count() == 2
    assert not OutgoingEmail.objects.filter(sent_at__isnull=True).exists()
    written = [p.read_text() for p in celery_worker_process["mail_dir"].glob("*.log")]
    # Emails sent within the same second may share a file: count the messages.
    assert sum(text.count("Subject: Reminder:") for text in written) == 1
    assert sum(text.count("Subject: How did it go") for text in written) == 2
    assert MatchRun.objects.count() == 0 and not mail.outbox  # everything went through the worker
