"""Request throttles, shared by the API views and the pages that do the same job.

Rates live in settings (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], from the
environment) and are read on every request, so a deployment or a test can
change them without a restart of the class attributes DRF would otherwise
keep. Over the rate, the answer is 429 with Retry-After.
"""

import math
from functools import wraps

from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class ScopedThrottle(SimpleRateThrottle):
    """A throttle for one scope of work. `anonymous_only` leaves signed-in
    users alone; `actions` limits it to some actions of a viewset."""

    scope = None
    anonymous_only = False
    actions = None

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def applies_to(self, request, view):
        if self.actions is not None and getattr(view, "action", None) not in self.actions:
            return False
        if request is not None and self.anonymous_only and request.user.is_authenticated:
            return False
        return True

    def allow_request(self, request, view):
        # SimpleRateThrottle reads the rate once, when it is built.
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        if not self.applies_to(request, view):
            return True
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class SearchThrottle(ScopedThrottle):
    """Anonymous search and suggest, on the API and the directory page."""

    scope = "search"
    anonymous_only = True


class IntroductionRequestThrottle(ScopedThrottle):
    """Asking for introductions, per user (per address when signed out)."""

    scope = "introduction_requests"
    actions = {"create"}


class _PageView:
    """What a throttle knows of a page: it does the viewset's `create` when posted."""

    def __init__(self, request):
        self.action = "create" if request.method == "POST" else "list"


def throttled_page(throttle_class):
    """Apply an API throttle to a page view, answering 429 with Retry-After."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            throttle = throttle_class()
            if not throttle.allow_request(request, _PageView(request)):
                return too_many_requests(request, throttle.wait())
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def too_many_requests(request, wait_seconds=None, message=None):
    """The page for 429: what happened, and when to try again."""
    seconds = max(1, math.ceil(wait_seconds)) if wait_seconds else 60
    message = message or _("Too many requests. Please wait %(seconds)d seconds and try again.") % {
        "seconds": seconds
    }
    response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def allauth_too_many_requests(request, exception=None):
    """allauth's limits (sign-up) answer 429 without Retry-After; this adds the
    longest window among the limits of the action asked for."""
    from allauth.account import app_settings
    from allauth.core.internal.ratelimit import parse_rates  # the limiter's own reading of its rates

    match = request.resolver_match
    action = (match.url_name or "").removeprefix("account_") if match else ""
    rates = parse_rates(app_settings.RATE_LIMITS.get(action))
    return too_many_requests(request, max((rate.duration for rate in rates), default=60))
