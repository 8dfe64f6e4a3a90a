"""Browser tests: Debian's Chromium driven by Playwright against a live server.

Playwright cannot download its own browser here, so it launches the one
`tests/services/chromium.sh` installed, by path. On failure the page's
screenshot and HTML are saved under var/e2e-failures/ (git-ignored).
"""

import os
import re
from pathlib import Path

import pytest
from django.test import Client

# Playwright's sync API runs an event loop in the test's thread; the test's own
# database calls are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
FAILURES = Path(__file__).resolve().parents[2] / "var" / "e2e-failures"
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

