"""/healthz and /readyz: JSON, and 503 naming the part that does not answer.
Failures here are real: a port nobody listens on, a change the search
engine has not yet been given."""

import io
import json
import logging
import sys

import pytest

from config.json_logs import JsonFormatter
from config.request_log import RequestIdFilter

pytestmark = pytest.mark.django_db


def test_healthz_answers_while_the_process_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "up"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_answers_200_when_database_redis_and_search_engine_answer(client, es_prefix, settings):
    settings.SEARCH_BACKEND = "elasticsearch"
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ready" and body["failed"] == []
    assert set(body["checks"]) == {"database", "redis", "search", "outbox"}
    assert body["checks"]["redis"]["detail"] == "answers"
    assert body["checks"]["search"]["cluster_status"] in ("green", "yellow")


@pytest.mark.sqlite
def test_readyz_on_the_embedded_default_needs_no_redis_and_no_search_engine(client, settings):
    settings.REDIS_URL, settings.SEARCH_BACKEND = "", "database"
    body = client.get("/readyz").json()
    assert body["status"] == "ready", body
    assert body["checks"]["redis"]["detail"].startswith("not used")
    assert body["checks"]["search"]["detail"].startswith("database backend")


def test_readyz_answers_503_naming_redis_when_redis_does_not_answer(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "unavailable" and body["failed"] == ["redis"]
    assert "ConnectionError" in body["checks"]["redis"]["detail"]


def test_readyz_answers_503_naming_the_search_engine_when_it_does_not_answer(client, settings):
    settings.SEARCH_BACKEND, settings.ELASTICSEARCH_URL = "elasticsearch", "http://127.0.0.1:1"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["search"]


def test_readyz_answers_503_when_changes_wait_too_long_for_the_search_engine(client, settings, make_business):
    # With Redis as the broker and no worker on this queue, the publication's
    # change stays in the outbox, as when the indexing workers are down.
    settings.SEARCH_BACKEND = "elasticsearch"
    make_business(name="Sierra Coffee Exporters")
    settings.READY_OUTBOX_LAG_SECONDS = 3600
    assert client.get("/readyz").json()["checks"]["outbox"]["waiting"] >= 1
    assert client.get("/readyz").status_code == 200
    settings.READY_OUTBOX_LAG_SECONDS = 0
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["failed"] == ["outbox"]
    assert "waited" in response.json()["checks"]["outbox"]["detail"]


def test_probes_answer_a_load_balancer_asking_by_address_over_plain_http(client, settings):
    settings.ALLOWED_HOSTS = ["network.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/en/", HTTP_HOST="10.0.3.7:8000").status_code == 400  # the host check still guards pages
    assert client.get("/en/", HTTP_HOST="network.example.org").status_code == 301  # and HTTPS is still enforced
    assert client.get("/healthz", HTTP_HOST="10.0.3.7:8000").status_code == 200
    assert client.get("/readyz/", HTTP_HOST="10.0.3.7:8000").json()["status"] in ("ready", "unavailable")


def test_probes_refuse_writes(client):
    assert client.post("/healthz").status_code == 405


def test_a_response_carries_its_request_id_and_the_json_log_line_of_the_request_names_it(client, settings):
    assert settings.LOGGING["handlers"]["console"]["formatter"] == "json"  # DEBUG is off here, as in production
    # A handler made as LOGGING makes the console's: the request id filter and the JSON formatter.
    written = io.StringIO()
    handler = logging.StreamHandler(written)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("aurora.request")
    logger.addHandler(handler)
    try:
        response = client.get("/en/", HTTP_X_REQUEST_ID="proxy-id-4711")
    finally:
        logger.removeHandler(handler)
    assert response["X-Request-ID"] == "proxy-id-4711"
    [line] = [json.loads(text) for text in written.getvalue().splitlines()]
    assert line["request_id"] == "proxy-id-4711"
    assert line["path"] == "/en/" and line["status"] == 200 and line["level"] == "INFO"
    assert line["duration_ms"] >= 0


def test_a_request_id_that_does_not_look_like_one_is_replaced(client):
    response = client.get("/en/", HTTP_X_REQUEST_ID="bad id\nwith a newline")
    assert response["X-Request-ID"] != "bad id\nwith a newline"
    assert len(response["X-Request-ID"]) == 32


def test_a_log_record_with_an_exception_is_one_json_line():
    try:
        raise ValueError("the mail relay refused")
    except ValueError:
        record = logging.getLogger("x").makeRecord("x", logging.ERROR, __file__, 1, "failed: %s", ("relay",),
                                                   exc_info=sys.exc_info())
    RequestIdFilter().filter(record)
    text = JsonFormatter().format(record)
    assert "\n" not in text
    line = json.loads(text)
    assert line["message"] == "failed: relay" and "ValueError: the mail relay refused" in line["exception"]
    assert line["request_id"] == "-"
