"""Fault injection against the real services.

Redis and PostgreSQL are stopped only in private instances started here for
the session (other tests keep the shared ones). Elasticsearch is too heavy
for a second node, so the tests marked `stops_elasticsearch` stop or kill THE
shared node, restart it at once and wait for a green cluster before they
end; they run after every other test of the session.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import json
import urllib.request

import pytest

from tests.celery_queues import sending_to, worker_environment, worker_queues

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ROOT / "tests" / "services"
# The private instances: ports and a state directory of their own.
PRIVATE_DIR = os.environ.get("AURORA_FAULTS_DIR", "/tmp/aurora-faults")
PRIVATE_REDIS_PORT = int(os.environ.get("AURORA_FAULTS_REDIS_PORT", "63810"))
PRIVATE_POSTGRES_PORT = int(os.environ.get("AURORA_FAULTS_POSTGRES_PORT", "54340"))


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "stops_elasticsearch: stops or kills the shared Elasticsearch node (run last in the session)"
    )


@pytest.hookimpl(trylast=True)  # after pytest-django has grouped the tests by database use
def pytest_collection_modifyitems(config, items):
    # While the shared node is down or restarting every other test using it
    # would fail, so those that take it down go last.
    items.sort(key=lambda item: item.get_closest_marker("stops_elasticsearch") is not None)


def run_service(script, action, **env):
    subprocess.run(["bash", str(SERVICES / script), action], env={**os.environ, **env}, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=180)


def wait_until(condition, *, timeout, interval=0.1, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    # A callable message is read at the time of failure (a log's tail then, not when the wait began).
    raise AssertionError(f"Timed out after {timeout} s waiting for {message() if callable(message) else message}")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- private Redis and PostgreSQL -----------------------------------------------------------


class PrivateService:
    def __init__(self, script, port_variable, port, url):
        self.script, self.url = script, url
        self.env = {"AURORA_SERVICES_DIR": PRIVATE_DIR, port_variable: str(port)}

    def start(self):
        run_service(self.script, "start", **self.env)

    def stop(self):
        run_service(self.script, "stop", **self.env)

    @contextmanager
    def stopped(self):
        self.stop()
        try:
            yield
        finally:
            self.start()


@pytest.fixture(scope="session")
def private_redis():
    redis = PrivateService("redis.sh", "REDIS_PORT", PRIVATE_REDIS_PORT, f"redis://127.0.0.1:{PRIVATE_REDIS_PORT}/0")
    redis.start()
    yield redis
    redis.stop()


@pytest.fixture(scope="session")
def private_postgres():
    """A PostgreSQL cluster of its own with an empty database `aurora_faults`."""
    import psycopg

    postgres = PrivateService("postgres.sh", "POSTGRES_PORT", PRIVATE_POSTGRES_PORT,
                              f"postgres://postgres@127.0.0.1:{PRIVATE_POSTGRES_PORT}/aurora_faults")
    postgres.start()
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:{PRIVATE_POSTGRES_PORT}/postgres", autocommit=True) as db:
        db.execute("DROP DATABASE IF EXISTS aurora_faults WITH (FORCE)")
        db.execute("CREATE DATABASE aurora_faults")
    yield postgres
    postgres.stop()


# --- the Celery app of this process and real workers ----------------------------------------------


@contextmanager
def broker(url, queue):
    """Point this process's Celery app (what the services call after commit)
    at another broker and queue, as a web process configured so would be."""
    import kombu.pools

    from config.celery import app

    saved = app.conf.broker_url

    def forget_connections():
        # Pooled connections lead to the old broker, or to a broker that restarted.
        kombu.pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.broker_url = url
    forget_connections()
    try:
        with sending_to(queue):
            yield forget_connections
    finally:
        app.conf.broker_url = saved
        forget_connections()


def current_database_url():
    from django.db import connection

    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def start_worker(*, queue, redis_url, log_path, mail_dir, **env):
    """A real Celery worker (solo pool: the process is the one doing the work)
    on this queue, reading the test database."""
    from django.conf import settings

    log = open(log_path, "a")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo", "-Q", worker_queues(queue),
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        env={
            **os.environ,
            "DATABASE_URL": current_database_url(),
            "REDIS_URL": redis_url,
            "SEARCH_BACKEND": settings.SEARCH_BACKEND,
            "ELASTICSEARCH_URL": settings.ELASTICSEARCH_URL,
            "ELASTICSEARCH_INDEX_PREFIX": settings.ELASTICSEARCH_INDEX_PREFIX,
            "MATCHING_CHUNK_SIZE": str(settings.MATCHING_CHUNK_SIZE),
            **worker_environment(queue),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
            **env,
        },
    )
    log.close()
    return worker


def stop_worker(worker):
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


@pytest.fixture
def workers(tmp_path):
    """start() -> a new real worker on this test's queue; all are stopped after the test."""
    queue = f"faults-{uuid.uuid4().hex[:8]}"
    started = []

    class Workers:
        def __init__(self):
            self.queue = queue
            self.log = tmp_path / "worker.log"
            self.mail_dir = tmp_path / "mail"

        def start(self, *, redis_url, **env):
            worker = start_worker(queue=queue, redis_url=redis_url, log_path=self.log, mail_dir=self.mail_dir, **env)
            started.append(worker)
            return worker

        def log_tail(self):
            return self.log.read_text()[-12000:] if self.log.exists() else "(no worker log)"

    yield Workers()
    for worker in started:
        stop_worker(worker)


# --- the shared Elasticsearch node ----------------------------------------------------------------


class SharedElasticsearch:
    """The node `make test` started (tests/services/elasticsearch.sh), stopped,
    killed and started again through that script."""

    def __init__(self, url):
        self.url = url.rstrip("/")
        self.pidfile = Path(os.environ.get("AURORA_SERVICES_DIR", "/tmp/aurora-network-services")) \
            / "elasticsearch-logs" / "elasticsearch.pid"

    def pid(self):
        try:
            pid = int(self.pidfile.read_text().strip())
            os.kill(pid, 0)
            return pid
        except (OSError, ValueError):
            return None

    def stop(self):
        run_service("elasticsearch.sh", "stop")
        self.wait_refusing()

    def kill(self):
        os.kill(self.pid(), signal.SIGKILL)
        self.wait_refusing()

    def wait_refusing(self):
        wait_until(lambda: self.health(timeout=1) is None, timeout=30, message="Elasticsearch to stop answering")

    def start(self):
        run_service("elasticsearch.sh", "start")
        self.wait_green()

    def health(self, query="", timeout=2):
        """The cluster health, or None when nothing answers."""
        try:
            with urllib.request.urlopen(f"{self.url}/_cluster/health{query}", timeout=timeout) as response:
                return json.load(response)
        except (OSError, ValueError):  # refused, reset, timed out, or not JSON yet
            return None

    def wait_green(self):
        health = self.health("?wait_for_status=green&timeout=60s", timeout=70)
        assert health is not None and health["status"] == "green", health

    def healthy(self):
        health = self.health()
        return health is not None and health["status"] == "green"


@pytest.fixture
def shared_elasticsearch(settings):
    node = SharedElasticsearch(settings.ELASTICSEARCH_URL)
    if node.pid() is None:
        pytest.skip("The Elasticsearch node was not started by tests/services/elasticsearch.sh on this machine.")
    node.wait_green()
    yield node
    if not node.healthy():
        node.start()  # whatever happened in the test, the next one finds it green
