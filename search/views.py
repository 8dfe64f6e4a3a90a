"""The directory search page. The same parameters as /api/v1/search/, the
same selector behind them; with htmx the results and facets are swapped in
as the visitor types, without it the form simply submits.

And a person's saved searches: saving the search the page shows, the list
at /me/searches/, and the one-click unsubscribe link of the digest email."""

from math import ceil

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from directory import selectors as directory_selectors
from directory.models import City
from search.api import SavedSearchParams, SearchParams

from . import selectors, services
from .filters import FILTER_NAMES
from .models import SavedSearch

SIDES = [("", _("Suppliers and buyers")), ("offers", _("Suppliers")), ("seeks", _("Buyers"))]
FACET_TITLES = {
    "city": _("City"), "country": _("Country"), "relationship": _("Relationship"), "offers": _("Offers"),
    "seeks": _("Seeks"), "naics": _("Industry (NAICS)"), "trade_role": _("Trade role"), "language": _("Language"),
}


def directory(request):
    params = SearchParams(data=request.GET)
    valid = params.is_valid()
    errors = {} if valid else params.errors
    if not valid:
        params = SearchParams(data={"q": request.GET.get("q", "")[:500]})
        if not params.is_valid():  # the words themselves are unusable (a NUL character)
            params = SearchParams(data={})
            params.is_valid()
    own = directory_selectors.own_cities(viewer=directory_selectors.viewer_for(request.user))
    query = params.to_query(own_cities=own)
    result = selectors.search(query)
    own_names = list(City.objects.filter(slug__in=own).order_by("name").values_list("name", flat=True))
    save_search = None
    if valid and request.user.is_authenticated:
        # What the "Save this search" button sends: the words, side and filters shown.
        save_search = {"q": query.text, "side": query.side, **services.stored_filters(params.filters())}
        save_search = {name: value for name, value in save_search.items() if value}
    active = {name: request.GET.get(name, "") for name in FILTER_NAMES if request.GET.get(name)}
    context = {
        "q": query.text,
        "side": query.side,
        "sides": SIDES,
        "result": result,
        # A firm's own city is left out by default; say so, and how to include it.
        "own_cities_hidden": own_names if query.exclude_city else [],
        "own_cities_shown": own_names if own and not query.exclude_city else [],
        "include_own_link": _querystring(request.GET, page=None, include_own_city="true"),
        "hide_own_link": _querystring(request.GET, page=None, include_own_city=None),
        "facets": [_facet(name, result.facets.get(name, []), request.GET) for name in FACET_TITLES],
        "active": active,
        # What the form carries besides the words and the side, kept in step by htmx.
        "hidden_fields": {**active, **({"include_own_city": "true"} if own and not query.exclude_city else {})},
        "page": query.page,
        "pages": max(1, ceil(result.total / query.page_size)),
        "errors": errors,
        "save_search": save_search,
        "querystring": _querystring(request.GET, page=None),
        "previous_page": _querystring(request.GET, page=query.page - 1) if query.page > 1 else None,
        "next_page": _querystring(request.GET, page=query.page + 1)
        if query.page * query.page_size < result.total else None,
    }
    template = "search/_results.html" if request.htmx else "search/directory.html"
    response = render(request, template, context)
    response["Server-Timing"] = result.server_timing()
    return response


def _facet(name, values, current):
    """A facet's values with the link that turns each on or off."""
    chosen = current.get(name, "")
    items = []
    for item in values[:12]:
        value = str(item["value"])
        on = value == chosen
        items.append({**item, "on": on, "link": _querystring(current, page=None, **{name: None if on else value})})
    return {"name": name, "title": FACET_TITLES[name], "items": items}


def _querystring(current, **changes):
    params = current.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    if changes.get("page") == 1:
        params.pop("page", None)  # page one is the address without a page
    return "?" + params.urlencode() if params else "?"


# --- saved searches -----------------------------------------------------------------


@login_required
def saved_searches(request):
    """A person's saved searches; a POST saves the search the directory showed."""
    if request.method == "POST":
        return _save(request)
    searches = [
        {"search": saved, "description": selectors.describe(saved),
         "link": reverse("directory") + selectors.directory_querystring(saved)}
        for saved in selectors.saved_searches_for(user=request.user)
    ]
    return render(request, "search/saved_searches.html", {"searches": searches})


def _save(request):
    params = SavedSearchParams(data=request.POST.dict())
    if not params.is_valid():
        problems = "; ".join(f"{field}: {' '.join(map(str, errors))}" for field, errors in params.errors.items())
        messages.error(request, gettext("This search cannot be saved (%(problems)s).") % {"problems": problems})
        return redirect("directory")
    try:
        _saved, created = services.save_search(
            user=request.user, text=params.validated_data["q"], side=params.validated_data["side"],
            filters=params.filters(),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("saved-searches")
    messages.success(request, gettext("Search saved. New matches will reach you by email, once a day.") if created
                     else gettext("You had saved this search already."))
    return redirect("saved-searches")


@login_required
@require_POST
def saved_search_action(request, pk, action):
    """Delete a saved search, or turn its alerts on or off."""
    saved = get_object_or_404(SavedSearch.objects.filter(user=request.user), pk=pk)
    if action == "delete":
        services.delete_search(user=request.user, saved_search=saved)
        messages.success(request, gettext("Saved search deleted."))
    elif action in ("alerts-on", "alerts-off"):
        on = action == "alerts-on"
        services.set_alerts(user=request.user, saved_search=saved, on=on)
        messages.success(request, gettext("Alerts on: new matches will reach you by email, once a day.") if on
                         else gettext("Alerts off: this search sends no more emails."))
    else:
        raise Http404
    return redirect("saved-searches")


# A mail reader's own unsubscribe button POSTs here without a CSRF token
# (RFC 8058); the signed token is what authorizes the change.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """One click from the digest: the alerts are off at once, and the page says so."""
    try:
        _user, turned_off, again = services.unsubscribe(token=token)
    except services.InvalidToken:
        return render(request, "search/unsubscribe.html", {"state": "invalid"}, status=404)
    return render(request, "search/unsubscribe.html", {
        "state": "unsubscribed", "turned_off": len(turned_off), "again": again,
    })


@require_POST
def resubscribe(request):
    try:
        _user, turned_on = services.resubscribe(token=request.POST.get("token", ""))
    except services.InvalidToken:
        return render(request, "search/unsubscribe.html", {"state": "invalid"}, status=404)
    return render(request, "search/unsubscribe.html", {"state": "resubscribed", "turned_on": turned_on})
