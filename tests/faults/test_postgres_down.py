"""PostgreSQL goes away under a running web process (a private cluster, so no
other test notices): every request answers 503 with Retry-After and a clear
message, nothing reaches the search index, and the site answers again once
the database is back."""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
import uuid

import pytest
from elasticsearch import Elasticsearch

from tests.faults.conftest import ROOT, free_port, wait_until


def http(method, url, *, token=None, body=None):
    """(status, headers, text) of one request; error statuses are answers too."""
    headers = {"Accept-Language": "en"}
    data = None
    if token:
        headers["Authorization"] = f"Token {token}"
    if body is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def answers(url):
    try:
        return http("GET", url)[0] == 200
    except OSError:
        return False


@pytest.fixture
def site(private_postgres, settings, tmp_path):
    """The project served by `manage.py runserver` from the private cluster,
    migrated and seeded with the demo network, indexed in Elasticsearch under
    a prefix of its own. No worker: changes wait in the outbox."""
    prefix = f"test_faults_pg_{uuid.uuid4().hex[:8]}_"
    env = {
        **{k: v for k, v in os.environ.items() if k != "REDIS_URL"},
        "DATABASE_URL": private_postgres.url,
        "SEARCH_BACKEND": "elasticsearch",
        "ELASTICSEARCH_URL": settings.ELASTICSEARCH_URL,
        "ELASTICSEARCH_INDEX_PREFIX": prefix,
        "CELERY_TASK_ALWAYS_EAGER": "false",  # an in-memory broker nobody reads: the outbox keeps its rows
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DJANGO_DEBUG": "false",
        # As in production: with DEBUG off the server will not start on the development key.
        "DJANGO_SECRET_KEY": uuid.uuid4().hex * 2,
    }

    def manage(*args, check=True):
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=300, check=check)

    manage("migrate", "--no-input")
    manage("load_demo", "--count", "12")
    manage("search_index", "update")
    port = free_port()
    log = open(tmp_path / "runserver.log", "w")
    server = subprocess.Popen([sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    es = Elasticsearch(settings.ELASTICSEARCH_URL)
    try:
        wait_until(lambda: answers(f"{base}/api/v1/cities/"), timeout=60, message="the web process")
        yield {"base": base, "manage": manage, "es": es, "alias": f"{prefix}businesses",
               "log": tmp_path / "runserver.log"}
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        es.indices.delete(index=f"{prefix}*", ignore_unavailable=True)


def pending_outbox_rows(site):
    status = site["manage"]("search_index", "status").stdout
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("outbox ")))


def test_with_postgresql_stopped_the_site_answers_503_and_nothing_reaches_the_index(site, private_postgres):
    base, es, alias = site["base"], site["es"], site["alias"]
    status, _, body = http("POST", f"{base}/api/v1/auth/token/", body={"username": "owner", "password": "aurora-demo-owner"})
    assert status == 200, body
    token = json.loads(body)["token"]
    [firm] = json.loads(http("GET", f"{base}/api/v1/me/", token=token)[2])["businesses"]
    documents = es.count(index=alias)["count"]
    assert documents == 12

    # An edit made just before the outage waits in the outbox (no worker runs here).
    status, _, body = http("PATCH", f"{base}/api/v1/businesses/{firm['slug']}/", token=token,
                           body={"description": "Edited before the outage."})
    assert status == 200, body
    assert pending_outbox_rows(site) == 1

    with private_postgres.stopped():
        for method, path, payload in [
            ("GET", "/api/v1/businesses/", None),
            ("GET", "/api/v1/search/?q=coffee", None),
            ("PATCH", f"/api/v1/businesses/{firm['slug']}/", {"description": "Edited during the outage."}),
        ]:
            status, headers, body = http(method, base + path, token=token, body=payload)
            assert status == 503, (path, body)
            assert headers["Retry-After"].isdigit()
            assert headers["Content-Type"] == "application/json"
            assert json.loads(body) == {
                "detail": "The network cannot reach its database just now. Please try again in a minute."}
        for path in ("/en/", "/en/directory/?q=coffee", f"/en/b/{firm['slug']}/"):
            status, headers, body = http("GET", base + path)
            assert status == 503, (path, body)
            assert headers["Retry-After"].isdigit()
            assert headers["Content-Type"].startswith("text/html")
            assert "Temporarily unavailable" in body and "try again in a minute" in body
            assert "Traceback" not in body and "OperationalError" not in body

        # A drain (the beat sweep, or `search_index update`) cannot read the
        # outbox, so it writes nothing to the index.
        drain = site["manage"]("search_index", "update", check=False)
        assert drain.returncode != 0
        es.indices.refresh(index=alias)
        assert es.count(index=alias)["count"] == documents
        assert es.get(index=alias, id=firm_id(es, alias, firm["slug"]))["_source"]["description"] == firm["description"]

    wait_until(lambda: answers(f"{base}/api/v1/businesses/"), timeout=30, message="the API to answer again")
    assert http("GET", f"{base}/en/directory/?q=coffee")[0] == 200
    # The edit refused during the outage is not there; the one before it still waits, and now arrives.
    detail = json.loads(http("GET", f"{base}/api/v1/businesses/{firm['slug']}/", token=token)[2])
    assert detail["description"] == "Edited before the outage."
    assert pending_outbox_rows(site) == 1
    site["manage"]("search_index", "update")
    es.indices.refresh(index=alias)
    assert es.get(index=alias, id=firm_id(es, alias, firm["slug"]))["_source"]["description"] == "Edited before the outage."
    assert "Traceback" not in site["log"].read_text()


def firm_id(es, alias, slug):
    [hit] = es.search(index=alias, query={"term": {"slug": slug}}, source=False)["hits"]["hits"]
    return hit["_id"]

