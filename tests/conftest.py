import os
import re
import uuid
from pathlib import Path

import pytest
from django.test import Client
from rest_framework.test import APIClient

from directory import services
from directory.models import Business, City, User
from tests.celery_queues import sending_to, worker_environment, worker_queues


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The real hasher is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def generous_throttles(settings):
    """Tests search and ask far more often than a visitor would; the throttle
    tests (tests/security/test_throttling.py) set the small rates they check."""
    framework = dict(settings.REST_FRAMEWORK)
    framework["DEFAULT_THROTTLE_RATES"] = {
        **framework["DEFAULT_THROTTLE_RATES"], "search": "100000/minute", "introduction_requests": "100000/hour",
    }
    settings.REST_FRAMEWORK = framework


@pytest.fixture(autouse=True)
def empty_cache():
    """Throttle counters, rate limits and sign-in claims live in the cache
    (per process in tests): each test starts without the last one's."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def seeded_cities(request):
    """The partner cities the migrations seed. A transactional test flushes the
    database; once a live server has run, the serialized copy does not always
    come back for the next one, so seed the cities again when they are missing."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    import importlib

    from django.apps import apps

    if not City.objects.exists():
        importlib.import_module("directory.migrations.0002_seed_cities").seed(apps, None)


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def make_user(db):
    def make(username, **fields):
        user = User.objects.create_user(username=username, password="a-long-test-password", email=f"{username}@firm.example", **fields)
        return user

    return make


@pytest.fixture
def staff(make_user):
    return make_user("staffer", is_staff=True)


@pytest.fixture
def seongnam_volunteer(make_user):
    user = make_user("seongnam-volunteer")
    user.volunteer_cities.set([City.objects.get(slug="seongnam")])
    return user


def profile_data(**overrides):
    """A complete, valid profile in the services' terms (city as an instance)."""
    data = {
        "name": "Front Range Brake Supply",
        "city": City.objects.get(slug="aurora"),
        "description": "Distributor of brake parts for fleet vehicles in Colorado.",
        "description_language": "en",
        "naics": ["423120"],
        "offers_hs": [],
        "offers_text": "",
        "seeks_hs": ["870830"],
        "seeks_text": "brake pads and rotors",
        "trade_roles": ["importer", "distributor"],
        "languages": ["en"],
        "contact_name": "Dana Whitfield",
        "contact_email": "dana@frontrange-brakes.example",
        "contact_phone": "+1 303 555 0100",
    }
    data.update(overrides)
    if isinstance(data["city"], str):
        data["city"] = City.objects.get(slug=data["city"])
    return data


@pytest.fixture
def make_business(db, staff):
    """Create a profile through the services, in the status asked for."""

    counter = iter(range(1, 10_000))

    def make(owner=None, status=Business.Status.PUBLISHED, **overrides):
        if owner is None:
            username = f"firm-owner-{next(counter)}"
            owner = User.objects.create_user(username=username, email=f"{username}@firm.example")
        business = services.create_business(actor=owner, data=profile_data(**overrides))
        if status == Business.Status.DRAFT:
            return business
        business = services.submit_business(actor=owner, business=business)
        if status == Business.Status.PENDING_REVIEW:
            return business
        business = services.publish_business(actor=staff, business=business)
        if status == Business.Status.SUSPENDED:
            business = services.suspend_business(actor=staff, business=business, reason="test")
        return business

    return make


@pytest.fixture
def es_prefix(settings):
    """A prefix of its own for each test, and every index under it removed after."""
    settings.ELASTICSEARCH_INDEX_PREFIX = f"test_{uuid.uuid4().hex[:10]}_"
    yield settings.ELASTICSEARCH_INDEX_PREFIX
    from search.backends import get_search_backend

    backend = get_search_backend("elasticsearch")
    backend.delete_all()


@pytest.fixture
def celery_worker_process(tmp_path):
    """A real Celery worker in its own process, on the real Redis broker,
    reading the test database. Yields the queue name to send tasks to.

    Use with @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    so the worker sees committed rows.
    """
    import os
    import subprocess
    import sys
    import uuid
    from pathlib import Path

    from django.db import connection

    if not os.environ.get("REDIS_URL"):
        pytest.fail("REDIS_URL is not set: run the suite with `make test`, which starts Redis.")
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        if connection.vendor == "postgresql"
        else f"sqlite:///{db['NAME']}"
    )
    queue = f"test-{uuid.uuid4().hex[:8]}"
    from django.conf import settings

    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        # Whatever the test set up for search, the worker uses too.
        "SEARCH_BACKEND": settings.SEARCH_BACKEND,
        "ELASTICSEARCH_URL": settings.ELASTICSEARCH_URL,
        "ELASTICSEARCH_INDEX_PREFIX": settings.ELASTICSEARCH_INDEX_PREFIX,
        "MATCHING_CHUNK_SIZE": str(settings.MATCHING_CHUNK_SIZE),
        # Tasks the worker queues itself (a chord's callback) stay on its queue.
        **worker_environment(queue),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
    }
    root = Path(__file__).resolve().parents[1]
    log = open(tmp_path / "worker.log", "w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo", "-Q", worker_queues(queue),
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        with sending_to(queue):
            yield {"queue": queue, "mail_dir": tmp_path / "mail", "log": tmp_path / "worker.log"}
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        log.close()


def pytest_terminal_summary(terminalreporter):
    """Print the search relevance and words-to-codes figures measured in this run."""
    from tests.evaluation.test_words_to_codes import EVALUATION_REPORT, report_lines
    from tests.search.test_relevance import RELEVANCE_REPORT

    if RELEVANCE_REPORT:
        terminalreporter.section("search relevance (demo network, labelled queries)")
        for backend, figures in RELEVANCE_REPORT.items():
            weakest = ", ".join(f"{query!r} {value:.2f}" for (query, _), value in figures["weakest"])
            terminalreporter.write_line(
                f"{backend:22} recall@10 {figures['recall@10']:.3f}  without typos "
                f"{figures['recall@10 without typos']:.3f}  over {figures['queries']} queries; weakest: {weakest}"
            )
    if EVALUATION_REPORT:
        terminalreporter.section("words to codes (evaluation network, labelled queries; targets on held-out)")
        for key, figures in EVALUATION_REPORT.items():
            for line in report_lines(key, figures):
                terminalreporter.write_line(line)


# --- a real browser -------------------------------------------------------------------
# Debian's Chromium driven by Playwright against a live server, for tests/e2e
# and the security checks of pages. Defined here, once: Playwright's sync API
# allows one instance per process, so the session's browser must be one
# fixture whichever folder asks for it.
#
# Playwright cannot download its own browser here, so it launches the one
# `tests/services/chromium.sh` installed, by path. On failure the page's
# screenshot and HTML are saved under var/e2e-failures/ (git-ignored).

# Playwright's sync API runs an event loop in the test's thread; the test's own
# database calls are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
FAILURES = Path(__file__).resolve().parents[1] / "var" / "e2e-failures"
# Chromium reaches for Google's services at start; this machine refuses them.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"No Chromium at {CHROMIUM}: run `make test`, which installs Debian's chromium.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def open_page(browser, live_server, request):
    """open_page(user=None, language="en") -> a Playwright page, signed in as
    `user` when given (a session made by Django's test client), with the
    browser's Accept-Language set to `language`."""
    contexts = []

    def open_(user=None, language="en"):
        context = browser.new_context(locale=language, viewport={"width": 1280, "height": 900},
                                      accept_downloads=True)
        if user is not None:
            client = Client()
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            cookie = client.cookies["sessionid"]
            context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.base = live_server.url
        return page

    yield open_
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        FAILURES.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-120:]
        for n, context in enumerate(contexts):
            for m, page in enumerate(context.pages):
                try:
                    page.screenshot(path=str(FAILURES / f"{name}-{n}-{m}.png"), full_page=True)
                    (FAILURES / f"{name}-{n}-{m}.html").write_text(page.content(), encoding="utf-8")
                except Exception:  # a crashed page still lets the others be saved
                    pass
    for context in contexts:
        context.close()

