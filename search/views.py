"""The directory search page. The same parameters as /api/v1/search/, the
same selector behind them; with htmx the results and facets are swapped in
as the visitor types, without it the form simply submits."""

from math import ceil

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from directory import selectors as directory_selectors
from directory.models import City

from search.api import SearchParams

from . import selectors
from .filters import FILTER_NAMES

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
        "querystring": _querystring(request.GET, page=None),
        "previous_page": _querystring(request.GET, page=query.page - 1) if query.page > 1 else None,
        "next_page": _querystring(request.GET, page=query.page + 1)
        if query.page * query.page_size < result.total else None,
    }
    template = "search/_results.html" if request.htmx else "search/directory.html"
    return render(request, template, context)


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
