"""Acceptance: a saved search's digest arrives the day after a matching firm is
published. A real Celery worker runs the daily job on the real Redis broker
and the test database, and sends through a real SMTP server; the job's clock
is moved to tomorrow, the way beat would start it then."""

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from config.celery import app
from matching.models import OutgoingEmail
from search import services
from search.filters import BusinessFilters
from tests.mail_server import SMTPServer
from tests.celery_queues import sending_to, worker_environment, worker_queues

ROOT = Path(__file__).resolve().parents[2]
DIGEST_TASK = "search.tasks.send_saved_search_digests"


@pytest.fixture
def smtp_server():
    with SMTPServer() as server:
        yield server


@pytest.fixture
def worker(tmp_path, smtp_server, settings):
    """A real worker process of the project's Celery app on a fresh queue,
    reading the test database and sending mail to `smtp_server`. Tasks this
    process queues (the search outbox's drain after a publication) go to the
    same queue."""
    if not os.environ.get("REDIS_URL"):
        pytest.fail("REDIS_URL is not set: run the suite with `make test`, which starts Redis.")
    settings.SEARCH_BACKEND = "database"
    db = connection.settings_dict
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "SEARCH_BACKEND": "database",
        **worker_environment(queue),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.port),
    }
    log = tmp_path / "worker.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo", "-Q", worker_queues(queue),
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"],
        cwd=ROOT, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT,
    )
    try:
        with sending_to(queue):
            yield {"queue": queue, "log": log}
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_for(condition, seconds=60, message=""):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.3)


def run_digest_job(worker, now):
    """Start the daily job on the worker with its clock at `now`; its result."""
    return app.send_task(DIGEST_TASK, kwargs={"now": now.isoformat()}, queue=worker["queue"]).get(timeout=90)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_saved_searchs_digest_arrives_the_day_after_a_matching_firm_is_published(
        worker, smtp_server, make_user, make_business):
    buyer = make_user("buyer", preferred_language="ko")
    services.save_search(user=buyer, text="brake pads", side="offers", filters=BusinessFilters(offers="8708"))
    hanbit = make_business(name="Hanbit Brake Works", city="seongnam", offers_hs=["870830"],
                           offers_text="브레이크 패드", seeks_hs=[], seeks_text="",
                           description="한빛브레이크는 성남시의 브레이크 부품 제조업체입니다.")

    today = run_digest_job(worker, timezone.now())
    assert today["emails"] == 0, worker["log"].read_text()
    assert not OutgoingEmail.objects.exists() and smtp_server.messages == []

    tomorrow = run_digest_job(worker, timezone.now() + timedelta(days=1))
    assert (tomorrow["found"], tomorrow["emails"]) == (1, 1)
    wait_for(lambda: smtp_server.messages, message=f"no mail reached the server:\n{worker['log'].read_text()}")

    [received] = smtp_server.messages
    message = received["message"]
    assert received["to"] == [buyer.email]
    # Django folds a long header onto a line of its own; unfolded, it starts with a space.
    assert message["Subject"].strip() == "저장하신 검색과 일치하는 새 회사가 1곳 있습니다"
    body = message.get_body(("plain",)).get_content()
    assert f"- Hanbit Brake Works (Seongnam): http://127.0.0.1:8000/ko/b/{hanbit.slug}/" in body
    assert message["List-Unsubscribe"].strip().startswith("<http://127.0.0.1:8000/ko/searches/unsubscribe/")
    wait_for(lambda: OutgoingEmail.objects.filter(sent_at__isnull=False).exists(), seconds=10)
