"""Sign-in lockout: django-axes, with the two things it lacks here.

Axes counts wrong passwords per account and refuses an account's sign-ins
once the count reaches AXES_FAILURE_LIMIT (settings), on every path that calls
django.contrib.auth.authenticate: the allauth sign-in page, the API token
endpoint and the admin. Staff unlock an account by deleting its row under
Admin › Axes › Access attempts.

1. Axes checks the count before a password is tried and adds to it after, so
   guesses sent all at once would each pass the check. The backend below lets
   one attempt per account run at a time: it claims the account in the cache
   and the middleware releases the claim once the response is made. An attempt
   that finds the account claimed is refused, and counted as a failure,
   without its password being tried.
2. A DRF view authenticates with its own request wrapper, on which axes sets a
   lockout flag that AxesMiddleware never sees. The middleware below asks axes
   whether the account is locked once the view has answered, for pages and API
   alike, and answers 429 with Retry-After.
"""

import hashlib
import math

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_credentials
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Max
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

# Longer than any sign-in takes; a claim left by a crashed process lapses.
CLAIM_SECONDS = 30


def account_key(request, credentials):
    """AXES_USERNAME_CALLABLE: the account an attempt is for, however it was
    named (username or email, any case), so both names share one count."""
    credentials = credentials or {}
    value = credentials.get("username") or credentials.get("email")
    if not value:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        value = data.get("login") or data.get("username") or data.get("email")
    if not value or not isinstance(value, str):
        return None
    value = value.strip().lower()
    if "@" in value:
        cached = getattr(request, "_lockout_keys", {})
        if value not in cached:
            username = (
                get_user_model().objects.filter(email__iexact=value).values_list("username", flat=True).first()
            )
            cached[value] = username.lower() if username else value
            request._lockout_keys = cached
        value = cached[value]
    return value[:255]


def _claim_name(key):
    return "login-attempt:" + hashlib.sha256(key.encode()).hexdigest()


class LoginLockoutBackend(AxesStandaloneBackend):
    """First in AUTHENTICATION_BACKENDS: refuses a locked-out account (axes)
    and an attempt while another one for the same account is in flight."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.AXES_ENABLED or request is None:
            return super().authenticate(request, username, password, **kwargs)
        http_request = getattr(request, "_request", request)  # DRF wraps the HttpRequest
        credentials = get_credentials(username=username, **kwargs)
        http_request.login_attempt = credentials
        key = account_key(http_request, credentials)
        if key:
            claim = _claim_name(key)
            claims = http_request.__dict__.setdefault("login_claims", [])
            if claim not in claims:
                if not cache.add(claim, True, CLAIM_SECONDS):
                    raise AxesBackendPermissionDenied("Another sign-in to this account is in progress.")
                claims.append(claim)
        return super().authenticate(http_request, username, password, **kwargs)


class LoginLockoutMiddleware:
    """Releases the backend's claims and turns a locked-out attempt into 429."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        finally:
            for claim in request.__dict__.get("login_claims", ()):
                cache.delete(claim)
        credentials = request.__dict__.get("login_attempt")
        if credentials is not None and settings.AXES_ENABLED:
            if request.__dict__.get("axes_locked_out") or not AxesProxyHandler.is_allowed(request, credentials):
                return lockout_response(request, response, credentials)
        return response


def seconds_until_unlocked(request, credentials):
    key = account_key(request, credentials)
    last = AccessAttempt.objects.filter(username=key).aggregate(last=Max("attempt_time"))["last"]
    if last is None:
        return 1
    remaining = (last + settings.AXES_COOLOFF_TIME - timezone.now()).total_seconds()
    return max(1, math.ceil(remaining))


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: 429, with Retry-After, as JSON for the API and
    as a page elsewhere."""
    seconds = seconds_until_unlocked(request, credentials or {})
    message = _(
        "Too many failed sign-in attempts for this account. Try again in %(minutes)d minutes, "
        "or ask the network's staff to unlock it."
    ) % {"minutes": math.ceil(seconds / 60)}
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(seconds)
    return response
