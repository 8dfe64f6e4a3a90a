"""The business filters, written once.

The directory API (GET /businesses/), the search API, the search page and
both search backends narrow profiles by the same parameters: city, country,
relationship, NAICS and HS code prefixes, trade role, language, verified.
`BusinessFilters` says what was asked; `filter_businesses()` applies it to a
queryset (the directory API and the database backend) and
`elasticsearch_filters()` says the same to Elasticsearch. A new filter is a
field here and a line in each of the two, side by side.
"""

from dataclasses import dataclass, field, fields

from django.db.models import Exists, OuterRef, Q
from elasticsearch.dsl import Q as EQ

from directory import selectors
from directory.models import Business, BusinessTerm

CODE_FILTERS = ("naics", "offers", "seeks")


@dataclass
class BusinessFilters:
    city: list = field(default_factory=list)  # slugs
    country: str = ""  # ISO 3166-1 alpha-2, either case
    relationship: str = ""
    naics: str = ""  # code prefixes: 33, 3363, 336340
    offers: str = ""
    seeks: str = ""
    trade_role: str = ""
    language: str = ""  # a BCP 47 tag or its start: "zh" finds zh-Hant
    verified: bool | None = None


FILTER_NAMES = tuple(f.name for f in fields(BusinessFilters))


def filter_businesses(queryset, *, filters):
    """Narrow a queryset of businesses by the filters."""
    if filters.city:
        queryset = queryset.filter(city__slug__in=filters.city)
    if filters.country:
        queryset = queryset.filter(city__country=filters.country.upper())
    if filters.relationship:
        queryset = queryset.filter(city__relationship=filters.relationship)
    for kind in (*CODE_FILTERS, "trade_role"):
        if getattr(filters, kind):
            queryset = selectors.with_term(queryset, kind=kind, prefix=getattr(filters, kind))
    if filters.language:
        # Written in it, or spoken (a term of its own). A condition on each
        # business, not the set of every firm speaking it: with a few firms
        # found by words, the planner then checks those few.
        spoken = BusinessTerm.objects.filter(kind="language", value__startswith=filters.language)
        queryset = queryset.filter(Q(description_language__istartswith=filters.language)
                                   | Q(pk__in=spoken.values("business_id")))
    if filters.verified is not None:
        queryset = queryset.filter(verified_at__isnull=not filters.verified)
    return queryset


def elasticsearch_filters(filters):
    """The same filters as Elasticsearch queries over search.backends.elasticsearch's
    document (codes are indexed with their ancestors; `languages` holds the
    written language too)."""
    found = []
    if filters.city:
        found.append(EQ("terms", city=filters.city))
    if filters.country:
        found.append(EQ("term", country=filters.country.upper()))
    if filters.relationship:
        found.append(EQ("term", relationship=filters.relationship))
    for kind in CODE_FILTERS:
        if getattr(filters, kind):
            found.append(EQ("prefix", **{kind: getattr(filters, kind)}))
    if filters.trade_role:
        found.append(EQ("term", trade_roles=filters.trade_role))
    if filters.language:
        found.append(EQ("prefix", languages=filters.language))
    if filters.verified is not None:
        found.append(EQ("term", verified=filters.verified))
    return found
