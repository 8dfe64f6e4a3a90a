"""Saved searches: every write a person makes to them, one function per use
case. The pages and the API call these; the daily digest is search.digests.

A saved search keeps the search API's words, side and business filters. The
person who saved it is the only one who sees or changes it. The unsubscribe
link in a digest carries a signed token instead of a session, so one click
from a mail reader turns the alerts off without signing in.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .filters import FILTER_NAMES
from .models import SavedSearch

# Enough for every trade a firm follows; a limit, so a script cannot make the
# daily run do unbounded work for one account.
MAX_SAVED_SEARCHES = 50
UNSUBSCRIBE_SALT = "search.saved-searches.unsubscribe"
RESUBSCRIBE_SALT = "search.saved-searches.resubscribe"


def stored_filters(filters):
    """Business filters (search/filters.py) as a saved search keeps them: the
    query parameters that are set, normalized, in a fixed order."""
    stored = {}
    for name in FILTER_NAMES:
        value = getattr(filters, name)
        if name == "city":
            value = ",".join(dict.fromkeys(value))
        elif name == "verified":
            value = "" if value is None else ("true" if value else "false")
        elif name == "country":
            value = value.upper()
        if value:
            stored[name] = value
    return stored


def save_search(*, user, text, side, filters):
    """Keep a search for a signed-in person. Saving a search they keep already
    returns that one. Returns (saved search, created)."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Sign in to save a search."))
    if side not in SavedSearch.Side.values:
        raise ValidationError({"side": _("Choose offers, seeks or nothing.")})
    text, stored = (text or "").strip(), stored_filters(filters)
    with transaction.atomic():
        # One person's saves one at a time, so the limit and the duplicate check hold.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        kept = SavedSearch.objects.filter(user=user)
        for existing in kept.filter(text=text, side=side):
            if existing.filters == stored:
                return existing, False
        if kept.count() >= MAX_SAVED_SEARCHES:
            raise ValidationError(_("You keep %(n)s saved searches, the most there may be; delete one first.")
                                  % {"n": MAX_SAVED_SEARCHES})
        return SavedSearch.objects.create(user=user, text=text, side=side, filters=stored), True


def delete_search(*, user, saved_search):
    _require_owner(user, saved_search)
    saved_search.delete()


def set_alerts(*, user, saved_search, on):
    """Turn a saved search's daily alerts on or off. Off, it is not run at all;
    matches it found before wait for the day its alerts are on again."""
    _require_owner(user, saved_search)
    if saved_search.alerts != on:
        saved_search.alerts = on
        saved_search.save(update_fields=["alerts"])
    return saved_search


def _require_owner(user, saved_search):
    if user is None or not user.is_authenticated or saved_search.user_id != user.pk:
        raise PermissionDenied(_("Only the person who saved a search may change it."))


# --- one-click unsubscribe ---------------------------------------------------------


def unsubscribe_token(*, user):
    """The token of a person's unsubscribe link: the same in every digest, and
    good for as long as the account lives."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object({"user": user.pk})


def unsubscribe_url(*, user, language):
    with translation.override(language):
        path = reverse("saved-searches-unsubscribe", args=[unsubscribe_token(user=user)])
    return f"{settings.SITE_URL}{path}"


class InvalidToken(Exception):
    """An unsubscribe or re-subscribe link that was not made here, or whose account is gone."""


def unsubscribe(*, token):
    """Turn off the alerts of every saved search of the person the token names.
    Returns (person, the searches it turned off, a token that turns exactly
    those on again). Used twice, it turns nothing more off, and the token it
    returns turns on whatever is off."""
    user, _data = _signed(token, salt=UNSUBSCRIBE_SALT)
    with transaction.atomic():
        alerts = dict(SavedSearch.objects.select_for_update().filter(user=user).order_by("pk")
                      .values_list("pk", "alerts"))
        turned_off = [pk for pk, on in alerts.items() if on]
        SavedSearch.objects.filter(pk__in=turned_off).update(alerts=False)
    again = turned_off or list(alerts)
    return user, turned_off, signing.Signer(salt=RESUBSCRIBE_SALT).sign_object({"user": user.pk, "searches": again})


def resubscribe(*, token):
    """Turn on again the alerts an unsubscribe link turned off. Returns (person, how many)."""
    user, data = _signed(token, salt=RESUBSCRIBE_SALT)
    searches = [pk for pk in data.get("searches") or [] if isinstance(pk, int)]
    return user, SavedSearch.objects.filter(user=user, pk__in=searches, alerts=False).update(alerts=True)


def _signed(token, *, salt):
    """(person, data) of a token signed here with this salt."""
    try:
        data = signing.Signer(salt=salt).unsign_object(token)
    except (signing.BadSignature, ValueError):
        raise InvalidToken from None
    user_id = data.get("user") if isinstance(data, dict) else None
    user = get_user_model().objects.filter(pk=user_id).first() if isinstance(user_id, int) else None
    if user is None:
        raise InvalidToken
    return user, data
