"""The one search interface the rest of the project uses.

`search()` asks the configured backend and, if that is Elasticsearch and it
cannot answer, asks the database backend instead and says so in the result's
`backend`. A search never fails because the engine is away.
"""

import logging

from django.db.models import Q
from elastic_transport import TransportError
from elasticsearch import ApiError

from directory import taxonomy
from directory.models import Business

from . import analysis
from .backends import get_search_backend

logger = logging.getLogger(__name__)
ENGINE_ERRORS = (TransportError, ApiError, ConnectionError)


def search(query):
    backend = get_search_backend()
    if backend.name == "database":
        return backend.search(query)
    try:
        return backend.search(query)
    except ENGINE_ERRORS:
        logger.warning("Elasticsearch unavailable; answering from the database.", exc_info=True)
        return get_search_backend("database").search(query)


def complementary(business, k=20):
    """(business id, score) pairs of published partners meeting this firm's
    needs or needing its offers, best first; matching builds on this."""
    backend = get_search_backend()
    try:
        return backend.complementary(business, k)
    except ENGINE_ERRORS:
        if backend.name == "database":
            raise
        logger.warning("Elasticsearch unavailable; complementary partners from the database.", exc_info=True)
        return get_search_backend("database").complementary(business, k)


def complementary_many(businesses, k=20):
    """{business id: complementary pairs} for a chunk of firms, batched where the engine can."""
    backend = get_search_backend()
    try:
        return backend.complementary_many(businesses, k)
    except ENGINE_ERRORS:
        if backend.name == "database":
            raise
        logger.warning("Elasticsearch unavailable; complementary partners from the database.", exc_info=True)
        return get_search_backend("database").complementary_many(businesses, k)


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
    backend = get_search_backend()
    if backend.name == "elasticsearch":
        try:
            ids = backend.suggest(text, limit=limit)
            found = Business.objects.in_bulk(ids)
            return [found[pk] for pk in ids if pk in found]
        except ENGINE_ERRORS:
            logger.warning("Elasticsearch unavailable; suggestions from the database.", exc_info=True)
    typed = analysis.words(text)
    if not typed:
        return []
    # Each typed word must begin one of the name's (folded) tokens.
    queryset = Business.objects.public()
    for word in typed:
        queryset = queryset.filter(
            Q(search_entry__name_tokens__startswith=word) | Q(search_entry__name_tokens__contains=f" {word}")
        )
    return list(queryset.order_by("name")[:limit])
