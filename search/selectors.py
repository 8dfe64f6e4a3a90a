"""The one search interface the rest of the project uses.

`search()` asks the configured backend and, if that is Elasticsearch and it
cannot answer, asks the database backend instead and says so in the result's
`backend`. A search never fails because the engine is away.
"""

import logging

from elastic_transport import TransportError
from elasticsearch import ApiError

from directory import glossary, taxonomy
from directory.models import Business

from . import analysis, query
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


def suggest(text, *, limit=8, language="en"):
    """Autocomplete: HS and NAICS entries the words name in any of the
    network's languages ("gearbox", "frozen beef", "브레이크 패드", "café
    verde"), then businesses whose names start with the typed words. Each
    entry carries its everyday name in the reader's language."""
    results = []
    if len("".join(analysis.words(text))) >= 2:
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
    corrected = query.glossary_reading(text)
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
