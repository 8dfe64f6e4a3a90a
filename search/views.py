"""The directory search page. The same parameters as /api/v1/search/, the
same selector behind them; with htmx the results and facets are swapped in
as the visitor types, without it the form simply submits."""

from math import ceil

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from search.api import SearchParams

from . import selectors
from .filters import FILTER_NAMES

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
    query = params.to_query()
    result = selectors.search(query)
    active = {name: request.GET.get(name, "") for name in FILTER_NAMES if request.GET.get(name)}
    context = {
        "q": query.text,
        "result": result,
        "facets": [_facet(name, result.facets.get(name, []), request.GET) for name in FACET_TITLES],
        "active": active,
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
