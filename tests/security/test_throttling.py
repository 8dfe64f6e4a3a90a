"""Throttles and the sign-in lockout: 429 with Retry-After, on pages and API alike."""

import json
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test import Client

from directory.models import Business

PASSWORD = "a-long-test-password"  # the one tests/conftest.py's make_user gives


@pytest.fixture
def rates(settings):
    """rates(search=..., introduction_requests=...): small rates for one test."""

    def set_rates(**changes):
        framework = dict(settings.REST_FRAMEWORK)
        framework["DEFAULT_THROTTLE_RATES"] = {**framework["DEFAULT_THROTTLE_RATES"], **changes}
        settings.REST_FRAMEWORK = framework

    return set_rates


def assert_throttled(response):
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


# --- search ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_search_is_throttled_with_retry_after(api, rates):
    rates(search="3/minute")
    for _ in range(3):
        assert api.get("/api/v1/search/", {"q": "brake"}).status_code == 200
    response = api.get("/api/v1/search/", {"q": "brake"})
    assert_throttled(response)
    assert "throttled" in response.json()["detail"]


@pytest.mark.django_db
def test_a_forged_forwarded_for_header_does_not_renew_the_allowance(api, rates):
    # No proxy in front (TRUSTED_PROXY_COUNT=0): the header is the client's own words.
    rates(search="3/minute")
    for n in range(3):
        assert api.get("/api/v1/search/", {"q": "brake"}, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code == 200
    assert_throttled(api.get("/api/v1/search/", {"q": "brake"}, HTTP_X_FORWARDED_FOR="10.0.0.99"))
    page = Client().get("/en/directory/", {"q": "brake"}, HTTP_X_FORWARDED_FOR="10.0.0.98")
    assert_throttled(page)


@pytest.mark.django_db
def test_behind_one_trusted_proxy_each_client_address_has_its_own_allowance(api, rates, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    rates(search="2/minute")
    # The proxy appends the address it saw; anything before it is the client's claim.
    first, second = "203.0.113.7", "198.51.100.4"
    for _ in range(2):
        assert api.get("/api/v1/search/", {"q": "brake"}, HTTP_X_FORWARDED_FOR=f"1.2.3.4, {first}").status_code == 200
    assert_throttled(api.get("/api/v1/search/", {"q": "brake"}, HTTP_X_FORWARDED_FOR=f"5.6.7.8, {first}"))
    assert api.get("/api/v1/search/", {"q": "brake"}, HTTP_X_FORWARDED_FOR=second).status_code == 200


@pytest.mark.django_db
def test_search_suggest_and_the_directory_page_share_one_search_allowance(api, rates):
    rates(search="3/minute")
    assert api.get("/api/v1/search/", {"q": "brake"}).status_code == 200
    assert api.get("/api/v1/search/suggest/", {"q": "bra"}).status_code == 200
    assert Client().get("/en/directory/", {"q": "brake"}).status_code == 200
    assert_throttled(api.get("/api/v1/search/suggest/", {"q": "bra"}))
    page = Client().get("/en/directory/", {"q": "brake"})
    assert_throttled(page)
    assert "Too many requests" in page.content.decode()


@pytest.mark.django_db
def test_signed_in_search_is_not_throttled(api, rates, make_user):
    rates(search="2/minute")
    api.force_authenticate(make_user("hanbit"))
    assert all(api.get("/api/v1/search/", {"q": "brake"}).status_code == 200 for _ in range(4))


@pytest.mark.django_db
def test_search_rate_comes_from_the_environment(monkeypatch):
    import importlib

    import config.settings

    monkeypatch.setenv("SEARCH_RATE", "7/hour")
    monkeypatch.setenv("INTRODUCTION_REQUEST_RATE", "3/day")
    monkeypatch.setenv("SIGNUP_RATE", "4/h/ip")
    try:
        reloaded = importlib.reload(config.settings)
        assert reloaded.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] == {
            "search": "7/hour", "introduction_requests": "3/day"}
        assert reloaded.ACCOUNT_RATE_LIMITS["signup"] == "4/h/ip"
    finally:
        monkeypatch.undo()
        importlib.reload(config.settings)


# --- introduction requests -------------------------------------------------------------------


@pytest.fixture
def firm_and_targets(make_user, make_business):
    owner = make_user("aurora-owner")
    mine = make_business(owner=owner, name="Front Range Brake Supply")
    targets = [make_business(name=f"Seongnam Parts {n}", city="seongnam", offers_hs=["870830"]) for n in range(3)]
    return owner, mine, targets


def test_introduction_requests_are_throttled_per_user_with_retry_after(api, rates, firm_and_targets):
    rates(introduction_requests="2/hour")
    owner, mine, targets = firm_and_targets
    api.force_authenticate(owner)
    for target in targets[:2]:
        response = api.post("/api/v1/introductions/", {"target": target.slug, "message": "Hello"}, format="json")
        assert response.status_code == 201, response.content
    response = api.post("/api/v1/introductions/", {"target": targets[2].slug}, format="json")
    assert_throttled(response)
    assert int(response["Retry-After"]) <= 3600
    # Reading the queue is not asking for an introduction.
    assert api.get("/api/v1/introductions/").status_code == 200


def test_the_request_introduction_page_shares_the_api_allowance(api, rates, firm_and_targets):
    rates(introduction_requests="1/hour")
    owner, mine, targets = firm_and_targets
    api.force_authenticate(owner)
    assert api.post("/api/v1/introductions/", {"target": targets[0].slug}, format="json").status_code == 201
    client = Client()
    client.force_login(owner)
    response = client.post(f"/en/b/{targets[1].slug}/request-introduction/", {"message": "Hello"})
    assert_throttled(response)


# --- sign-up -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_sign_up_is_limited_per_address_with_429_and_retry_after(settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "2/m/ip", "login_failed": False}
    client = Client()
    for n in range(2):
        response = client.post("/en/accounts/signup/", {
            "email": f"firm{n}@example.com", "password1": "a-long-test-password", "password2": "a-long-test-password"})
        assert response.status_code == 302
    response = client.post("/en/accounts/signup/", {
        "email": "firm3@example.com", "password1": "a-long-test-password", "password2": "a-long-test-password"})
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Too many requests" in response.content.decode()


# --- sign-in lockout -------------------------------------------------------------------------


@pytest.fixture
def firm_user(make_user):
    user = make_user("hanbit")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def sign_in(client, login, password):
    return client.post("/en/accounts/login/", {"login": login, "password": password})


def test_the_sign_in_page_locks_an_account_after_repeated_failures(settings, firm_user):
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    assert [sign_in(client, "hanbit", "wrong").status_code for _ in range(2)] == [200, 200]
    locked = sign_in(client, "hanbit", "wrong")
    assert locked.status_code == 429
    assert 0 < int(locked["Retry-After"]) <= 15 * 60
    assert "Too many failed sign-in attempts" in locked.content.decode()
    # Even the right password is refused now, and from a fresh browser too.
    assert sign_in(Client(), "hanbit", PASSWORD).status_code == 429


def test_the_username_and_the_email_of_an_account_share_one_count(settings, firm_user):
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    sign_in(client, "hanbit", "wrong")
    sign_in(client, "HANBIT@firm.example", "wrong")
    assert sign_in(client, "hanbit@firm.example", "wrong").status_code == 429


def test_the_token_endpoint_locks_out_with_429_and_retry_after(api, settings, firm_user):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        assert api.post("/api/v1/auth/token/", {"username": "hanbit", "password": "wrong"}).status_code == 400
    response = api.post("/api/v1/auth/token/", {"username": "hanbit", "password": "wrong"})
    assert_throttled(response)
    assert "Too many failed sign-in attempts" in response.json()["detail"]
    assert_throttled(api.post("/api/v1/auth/token/", {"username": "hanbit", "password": PASSWORD}))
    # The lockout is the account's, whichever door is tried.
    assert sign_in(Client(), "hanbit", PASSWORD).status_code == 429


def test_staff_unlock_an_account_in_the_admin(api, settings, firm_user, make_user):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        api.post("/api/v1/auth/token/", {"username": "hanbit", "password": "wrong"})
    assert api.post("/api/v1/auth/token/", {"username": "hanbit", "password": PASSWORD}).status_code == 429
    admin = Client()
    admin.force_login(make_user("chief", is_staff=True, is_superuser=True))
    attempt = AccessAttempt.objects.get(username="hanbit")
    assert "hanbit" in admin.get("/admin/axes/accessattempt/").content.decode()
    response = admin.post("/admin/axes/accessattempt/", {
        "action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="hanbit").exists()
    assert api.post("/api/v1/auth/token/", {"username": "hanbit", "password": PASSWORD}).status_code == 200
    assert sign_in(Client(), "hanbit", PASSWORD).status_code == 302


class CountingHasher(PBKDF2PasswordHasher):
    """PBKDF2, slow as in production (which is what opens the window between
    axes' check and its count), and counting the passwords it verifies."""

    algorithm = "counting_pbkdf2"
    verified = 0
    lock = threading.Lock()

    def verify(self, password, encoded):
        with CountingHasher.lock:
            CountingHasher.verified += 1
        return super().verify(password, encoded)


@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_passwords_try_no_more_than_the_limit(live_server, settings, make_user):
    settings.PASSWORD_HASHERS = ["tests.security.test_throttling.CountingHasher"]
    settings.AXES_FAILURE_LIMIT = limit = 4
    make_user("hanbit")
    CountingHasher.verified = 0
    parallel = 16
    start = threading.Barrier(parallel)
    answers = []

    def guess(n):
        body = urllib.parse.urlencode({"username": "hanbit", "password": f"guess-{n}"}).encode()
        start.wait()
        try:
            with urllib.request.urlopen(f"{live_server.url}/api/v1/auth/token/", body, timeout=60) as response:
                answers.append(response.status)
        except urllib.error.HTTPError as error:
            answers.append(error.code)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(parallel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(set(answers)) <= [400, 429] and len(answers) == parallel
    assert answers.count(400) < limit
    # Each password tried is verified twice (Django's backend, then allauth's).
    assert CountingHasher.verified <= 2 * limit
    # And the account is locked now: the right password is refused too.
    body = urllib.parse.urlencode({"username": "hanbit", "password": PASSWORD}).encode()
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{live_server.url}/api/v1/auth/token/", body, timeout=60)
    assert refused.value.code == 429
    assert "Too many failed sign-in attempts" in json.loads(refused.value.read())["detail"]
