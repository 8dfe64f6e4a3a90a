"""The one search interface the rest of the project uses.

`search()` asks the configured backend and, if that is Elasticsearch and it
cannot answer, asks the database backend instead and says so in the result's
`backend`. A search never fails because the engine is away.

The reads of saved searches live here too: a person's list with its match
counts, and a saved search as a query, as parameters and in plain words.
"""

import logging
from dataclasses import asdict
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.utils.translation import get_language_info, gettext
from elastic_transport import TransportError
from elasticsearch import ApiError

from directory import glossary, taxonomy
from directory.models import Business, City

from . import analysis
from . import query as search_query
from .backends import get_search_backend
from .filters import FILTER_NAMES, BusinessFilters
from .models import SavedSearch
from .query import SearchQuery

logger = logging.getLogger(__name__)
ENGINE_ERRORS = (TransportError, ApiError, ConnectionError)


def _ask(method, *args):
    """Call a backend method; if Elasticsearch cannot answer, the database backend does."""
    backend = get_search_backend()
    if backend.name == "database":
        return getattr(backend, method)(*args)
    try:
        return getattr(backend, method)(*args)
    except ENGINE_ERRORS:
        logger.warning("Elasticsearch unavailable (%s); answering from the database.", method, exc_info=True)
        return getattr(get_search_backend("database"), method)(*args)


def search(query):
    return _ask("search", query)


def load_reference_data():
    """Read now what searches consult and a process otherwise reads on its
    first search: the glossary (seconds of work, about 150 MB), the HS and
    NAICS taxonomies, the typo vocabulary and the accent-folding table.
    gunicorn calls this in its master before forking the workers
    (config/gunicorn.py), so each starts with them, in memory the workers
    share, rather than making its first visitors wait."""
    glossary.glossary()
    taxonomy.hs()
    taxonomy.naics()
    search_query.glossary_vocabulary()
    analysis.fold("é")


def complementary(business, k=20):
    """(business id, score) pairs of published partners meeting this firm's
    needs or needing its offers, best first; matching builds on this."""
    return _ask("complementary", business, k)


def complementary_many(businesses, k=20):
    """{business id: complementary pairs} for a chunk of firms, batched where the engine can."""
    return _ask("complementary_many", businesses, k)


def suggest(text, *, limit=8, language="en"):
    """Autocomplete: HS and NAICS entries the words name in any of the
    network's languages ("gearbox", "frozen beef", "브레이크 패드", "café
    verde"), then businesses whose names start with the typed words. Each
    entry carries its everyday name in the reader's language."""
    results = []
    typed = "".join(analysis.words(text))
    # One Chinese or Korean character can be a word (꿀, honey); one Latin letter is not.
    if len(typed) >= 2 or (typed and glossary.is_substring_script(typed)):
        for scheme, count in (("hs", limit // 2 + 1), ("naics", 2)):
            for entry in _taxonomy_suggestions(scheme, text, count):
                results.append({"kind": scheme, "title": entry.title, "code": entry.code,
                                "name": glossary.glossary().name_for(entry.code, language, scheme=scheme)})
    for business in _suggest_businesses(text, limit=limit // 2):
        results.append({"kind": "business", "title": business.name, "slug": business.slug})
    return results


def _taxonomy_suggestions(scheme, text, count):
    """Entries for the words: what the glossary reads in them (typos
    forgiven), then entries whose official titles hold them. A subheading is
    followed by its heading, so the broader code is offered too."""
    codes = taxonomy.by_name(scheme)
    ranked = glossary.glossary().codes_for_phrase(text, scheme=scheme)
    corrected = search_query.glossary_reading(text)
    if corrected != " ".join(analysis.words(text)):
        ranked += [c for c in glossary.glossary().codes_for_phrase(corrected, scheme=scheme) if c not in ranked]
    entries = [codes.get(code) for code in ranked]
    first = (analysis.words(text) or [""])[0]
    by_title = sorted(codes.search(text, limit=50),
                      key=lambda e: (not analysis.fold(e.title).startswith(first), len(e.title)))
    suggestions = []
    for entry in [e for e in entries if e is not None] + by_title:
        parent = codes.get(entry.code[:4]) if scheme == "hs" and len(entry.code) == 6 else None
        for candidate in (entry, parent):
            if candidate is not None and candidate not in suggestions:
                suggestions.append(candidate)
    return suggestions[:count]


def _suggest_businesses(text, *, limit):
    ids = _ask("suggest", text, limit)
    # Through public(): the index may not yet know that a profile left.
    found = Business.objects.public().in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def code_entries(scheme, codes):
    """Taxonomy entries for a profile's codes, in its order, for display."""
    found = taxonomy.by_name(scheme)
    return [found.get(code) or taxonomy.Entry(code=code, title="", level="") for code in codes or []]


# --- saved searches ---------------------------------------------------------------


def saved_searches_for(*, user):
    """A person's saved searches, newest first, each with `new_matches` (found,
    still listed, waiting for the next digest) and `matches_found` (found and
    still listed, in all)."""
    listed = Business.objects.public().values("pk")
    return SavedSearch.objects.filter(user=user).annotate(
        new_matches=Count("matches", filter=Q(matches__emailed_at__isnull=True, matches__business__in=listed)),
        matches_found=Count("matches", filter=Q(matches__business__in=listed)),
    ).order_by("-created_at", "-pk")


def filters_of(saved_search):
    """The saved business filters as search/filters.py takes them."""
    stored = saved_search.filters or {}
    values = {name: stored.get(name, "") for name in FILTER_NAMES}
    values["city"] = [slug for slug in values["city"].split(",") if slug]
    values["verified"] = {"true": True, "false": False}.get(values["verified"])
    return BusinessFilters(**values)


def query_for(saved_search, *, ids, page_size):
    """The search a saved search makes, restricted to these business ids."""
    return SearchQuery(**asdict(filters_of(saved_search)), text=saved_search.text, side=saved_search.side,
                       ids=list(ids), page_size=page_size, with_facets=False)


def parameters_of(saved_search):
    """The saved search as query parameters of the search page and API, only those set."""
    found = {"q": saved_search.text, "side": saved_search.side}
    found.update({name: (saved_search.filters or {}).get(name, "") for name in FILTER_NAMES})
    return {name: value for name, value in found.items() if value}


def directory_querystring(saved_search):
    """The directory page's query string ("?q=brake&offers=8708", or "") that shows this search now."""
    parameters = parameters_of(saved_search)
    return "?" + urlencode(parameters) if parameters else ""


def describe(saved_search):
    """The search in plain words, in the active language, one phrase per part:
    who is sought, the words, then each filter ("suppliers", "matching “brake
    pads”", "in Seongnam", "offering HS 8708 — Parts and accessories …").
    Taxonomy titles stay in English, as the directory shows them."""
    filters = filters_of(saved_search)
    phrases = [{"offers": gettext("suppliers"), "seeks": gettext("buyers")}.get(
        saved_search.side, gettext("suppliers and buyers"))]
    if saved_search.text:
        phrases.append(gettext("matching “%(words)s”") % {"words": saved_search.text})
    if filters.city:
        names = dict(City.objects.filter(slug__in=filters.city).values_list("slug", "name"))
        phrases.append(gettext("in %(cities)s") % {"cities": ", ".join(names.get(slug, slug) for slug in filters.city)})
    if filters.country:
        phrases.append(gettext("in country %(country)s") % {"country": filters.country.upper()})
    if filters.relationship:
        label = (City.Relationship(filters.relationship).label if filters.relationship in City.Relationship.values
                 else filters.relationship)
        phrases.append(gettext("relationship: %(relationship)s") % {"relationship": label})
    for kind, phrase in (("offers", gettext("offering HS %(code)s")), ("seeks", gettext("seeking HS %(code)s")),
                         ("naics", gettext("in industry NAICS %(code)s"))):
        code = getattr(filters, kind)
        if code:
            title = search_query.facet_labels(kind, [code])[code]
            phrases.append(phrase % {"code": code} + (f" — {title}" if title != code else ""))
    if filters.trade_role:
        label = (Business.TradeRole(filters.trade_role).label if filters.trade_role in Business.TradeRole.values
                 else filters.trade_role)
        phrases.append(gettext("trade role: %(role)s") % {"role": label})
    if filters.language:
        phrases.append(gettext("language: %(language)s") % {"language": _language_name(filters.language)})
    if filters.verified is True:
        phrases.append(gettext("verified firms only"))
    elif filters.verified is False:
        phrases.append(gettext("firms not yet verified"))
    return phrases


def _language_name(tag):
    try:
        return get_language_info(tag.lower())["name_translated"]
    except KeyError:
        return search_query.LANGUAGE_NAMES.get(tag, tag)


def saved_searches_for_export(*, user):
    """A person's saved searches as plain data, for the export of their data."""
    return [
        {"words": s.text, "side": s.side, "filters": dict(s.filters or {}), "alerts": s.alerts,
         "created_at": s.created_at.isoformat()}
        for s in SavedSearch.objects.filter(user=user).order_by("created_at", "pk")
    ]
