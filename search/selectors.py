"""The one search interface the rest of the project uses.

`search()` asks the configured backend and, if that is Elasticsearch and it
cannot answer, asks the database backend instead and says so in the result's
`backend`. A search never fails because the engine is away.
"""

import logging

from elastic_transport import TransportError
from elasticsearch import ApiError

from directory import taxonomy
from directory.models import Business

from . import analysis
from .backends import get_search_backend

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


def complementary(business, k=20):
    """(business id, score) pairs of published partners meeting this firm's
    needs or needing its offers, best first; matching builds on this."""
    return _ask("complementary", business, k)


def complementary_many(businesses, k=20):
    """{business id: complementary pairs} for a chunk of firms, batched where the engine can."""
    return _ask("complementary_many", businesses, k)


def suggest(text, *, limit=8):
    """Autocomplete: businesses whose names start with the typed words, and
    taxonomy entries the words name ("brake" offers HS 8708 and 870830)."""
    results = []
    for business in _suggest_businesses(text, limit=limit // 2):
        results.append({"kind": "business", "title": business.name, "slug": business.slug})
    if len("".join(analysis.words(text))) >= 3:
        for scheme, count in (("hs", limit // 2), ("naics", 2)):
            for entry in _taxonomy_suggestions(scheme, text, count):
                results.append({"kind": scheme, "title": entry.title, "code": entry.code})
    return results


def _taxonomy_suggestions(scheme, text, count):
    """Entries whose titles hold the words, those that begin with them first
    ("Brakes and servo-brakes" before "Hydraulic brake fluids"), each
    subheading followed by its heading so the broader code is offered too."""
    codes = taxonomy.by_name(scheme)
    first = (analysis.words(text) or [""])[0]
    entries = sorted(codes.search(text, limit=50), key=lambda e: (not analysis.fold(e.title).startswith(first), len(e.title)))
    suggestions = []
    for entry in entries:
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
