"""The Content-Security-Policy in a real browser: every page of the site, as a
visitor, a firm owner and staff, runs under the site's strict policy (scripts
and styles from the site's own files only) without the browser blocking a
single thing, and every HTML answer carries that policy. The API docs alone
may load Swagger UI from its CDN and run the inline script carrying the
request's nonce.

A violation is caught twice: by a `securitypolicyviolation` listener the
browser runs before any page script, and by Chromium's console message."""

import re

import pytest
from playwright.sync_api import expect

from directory.models import Business, ProfileFlag
from matching import introductions, runs
from search import services as search_services
from search.filters import BusinessFilters

from . import network

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "?"} at ${event.sourceFile}:${event.lineNumber}`
    + (event.sample ? ` (${event.sample})` : ""));
});
"""


class Watched:
    """A browser page whose CSP violations and HTML answers are kept, page by page."""

    def __init__(self, page):
        self.page = page
        self.violations = []
        self.html_responses = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._console)
        page.on("response", self._response)

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.violations.append(f"{self.page.url}: console: {message.text}")

    def _response(self, response):
        if response.request.resource_type in ("document", "fetch", "xhr"):
            self.html_responses.append(response)

    def visit(self, path):
        response = self.page.goto(self.page.base + path)
        assert response.status == 200, f"{path} answered {response.status}"
        assert self.page.url == self.page.base + path, f"{path} went to {self.page.url}"
        self.collect()

    def collect(self):
        """Keep what the browser reported so far on the page it shows."""
        # A violation event is queued as a task; once the network is quiet, the page's scripts have all run.
        self.page.wait_for_load_state("networkidle")
        for violation in self.page.evaluate("window.cspViolations.splice(0)"):
            self.violations.append(f"{self.page.url}: {violation}")

    def policies(self):
        """{url: Content-Security-Policy header} of every HTML answer."""
        found = {}
        for response in self.html_responses:
            headers = response.all_headers()
            if headers.get("content-type", "").startswith("text/html"):
                found[response.url] = headers.get("content-security-policy")
        return found


def directives(policy):
    """{directive: [sources]} of a policy header."""
    parsed = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def assert_no_violations(watched):
    assert not watched.violations, "CSP violations:\n" + "\n".join(watched.violations)


def assert_the_strict_policy_on_every_html_answer(watched):
    policies = watched.policies()
    assert policies, "no HTML answer was seen"
    problems = []
    for url, policy in policies.items():
        if policy is None:
            problems.append(f"{url}: no Content-Security-Policy header")
            continue
        script_src = directives(policy).get("script-src", [])
        if "'self'" not in script_src or "'unsafe-inline'" in script_src or "'unsafe-eval'" in script_src:
            problems.append(f"{url}: script-src {' '.join(script_src)}")
        if directives(policy).get("style-src") != ["'self'"]:
            problems.append(f"{url}: style-src {' '.join(directives(policy).get('style-src', []))}")
    assert not problems, "\n".join(problems)


@pytest.fixture
def site(settings, make_user, make_business, staff):
    """The e2e network, plus what makes every part of every page render: a
    saved search, a profile waiting for review beside its likely duplicate,
    a matching run and a reported deal."""
    # Pages look the same whichever engine answers; the database needs no indexing.
    settings.SEARCH_BACKEND = "database"
    users, firms, introduction = network.build(make_user=make_user, make_business=make_business, staff=staff)
    search_services.save_search(user=users["frontrange"], text="brake pads", side="offers", filters=BusinessFilters(
        city=["seongnam"], offers="8708"))
    copy = make_business(owner=users["hanbit"], status=Business.Status.PENDING_REVIEW, name="Hanbit Brake Works",
                         city="seongnam", contact_email=network.PRIVATE["seongnam"][0], offers_hs=["870830"])
    assert ProfileFlag.objects.filter(business=copy, kind="duplicate").exists()
    introductions.record_outcome(actor=users["frontrange"], introduction=introduction, outcome="deal", value=48000)
    runs.run_matching_now(full=True)
    users["staff"] = staff
    users["admin"] = make_user("site-admin", is_staff=True, is_superuser=True)
    return users, firms


def test_public_pages_run_under_the_strict_policy_without_a_violation(open_page, site):
    users, firms = site
    visitor = Watched(open_page())
    for path in ("/en/", "/en/directory/?q=brake", f"/en/b/{firms['seongnam'].slug}/", "/en/cities/seongnam/",
                 "/en/accounts/login/", "/en/accounts/signup/", "/en/accounts/password/reset/"):
        visitor.visit(path)

    # What the scripts draw: suggestions under the search box, results htmx swaps in.
    visitor.visit("/en/directory/")
    visitor.page.locator("#q").press_sequentially("brake", delay=40)
    expect(visitor.page.locator("#q-listbox li").first).to_be_visible()
    expect(visitor.page.locator("#results")).to_contain_text("Hanbit Brake Works")
    expect(visitor.page.locator("#results em").first).to_be_visible()  # a highlight
    visitor.page.locator("#q").press("Escape")
    visitor.page.locator(".facets a").first.click()
    visitor.collect()

    assert_no_violations(visitor)
    assert_the_strict_policy_on_every_html_answer(visitor)


def test_a_firm_owners_pages_run_under_the_strict_policy_without_a_violation(open_page, site):
    users, firms = site
    owner = Watched(open_page(user=users["frontrange"]))
    for path in ("/en/me/", "/en/me/firms/new/", f"/en/me/firms/{firms['aurora'].slug}/edit/", "/en/me/account/",
                 "/en/me/account/delete/", "/en/me/searches/", "/en/me/introductions/", "/en/directory/?q=brake",
                 f"/en/b/{firms['seongnam'].slug}/", "/en/accounts/email/", "/en/accounts/password/change/"):
        owner.visit(path)

    # The code pickers turn the edit form's code fields into chips and a search box.
    owner.visit(f"/en/me/firms/{firms['aurora'].slug}/edit/")
    expect(owner.page.locator(".chips li", has_text="870830")).to_be_visible()
    owner.page.locator("#id_offers_hs-finder").press_sequentially("0901", delay=40)
    expect(owner.page.locator("#id_offers_hs-finder-listbox li").first).to_be_visible()
    owner.collect()
    # Last: the digest's unsubscribe link turns the saved search's alerts off.
    owner.visit(f"/en/searches/unsubscribe/{search_services.unsubscribe_token(user=users['frontrange'])}/")

    assert_no_violations(owner)
    assert_the_strict_policy_on_every_html_answer(owner)


def test_staff_pages_and_the_admin_run_under_the_strict_policy_without_a_violation(open_page, site):
    users, firms = site
    desk = Watched(open_page(user=users["staff"]))
    for path in ("/en/staff/", "/en/staff/profiles/", "/en/staff/profiles/?status=flagged",
                 "/en/staff/introductions/", "/en/staff/introductions/?status=introduced", "/en/staff/runs/",
                 "/en/staff/metrics/"):
        desk.visit(path)
    # The charts are there to be checked.
    expect(desk.page.locator("svg[data-chart=funnel] rect[data-stage=deal]")).to_have_attribute("data-value", "1")

    admin = Watched(open_page(user=users["admin"]))
    for path in ("/admin/", "/admin/directory/business/", f"/admin/directory/business/{firms['seongnam'].pk}/change/"):
        admin.visit(path)

    assert_no_violations(desk)
    assert_no_violations(admin)
    assert_the_strict_policy_on_every_html_answer(desk)
    assert_the_strict_policy_on_every_html_answer(admin)


SWAGGER_UI_STUB = """
window.SwaggerUIBundle = function (config) {
  document.getElementById("swagger-ui").textContent = "Swagger UI for " + config.url;
  return { initOAuth: function () {} };
};
window.SwaggerUIBundle.presets = { apis: {} };
"""


def test_the_api_docs_alone_may_load_swagger_ui_from_its_cdn_and_run_their_own_inline_script(open_page, client):
    response = client.get("/api/docs/")
    policy = directives(response["Content-Security-Policy"])
    page_nonces = set(re.findall(r'<(?:script|style) nonce="([^"]+)"', response.content.decode()))
    assert len(page_nonces) == 1, "the inline style and script carry the request's nonce"
    nonce = f"'nonce-{page_nonces.pop()}'"
    swagger_ui = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@latest/"
    assert policy["script-src"] == ["'self'", swagger_ui, nonce]
    assert policy["style-src"] == ["'self'", swagger_ui, nonce]
    assert policy["connect-src"] == ["'self'"] and policy["default-src"] == ["'self'"]
    # The nonce is the request's own.
    assert client.get("/api/docs/")["Content-Security-Policy"] != response["Content-Security-Policy"]
    # Nowhere else.
    site_policy = client.get("/en/")["Content-Security-Policy"]
    assert "jsdelivr" not in site_policy and "nonce-" not in site_policy

    # In the browser, with the CDN's files stood in for (this machine is offline).
    page = open_page()
    page.route("https://cdn.jsdelivr.net/**", lambda route: route.fulfill(
        status=200, content_type="text/css" if route.request.url.endswith(".css") else "application/javascript",
        body="" if "bundle" not in route.request.url else SWAGGER_UI_STUB))
    docs = Watched(page)
    docs.visit("/api/docs/")
    expect(page.locator("#swagger-ui")).to_have_text("Swagger UI for /api/schema/")
    assert_no_violations(docs)
