"""Search in the database itself: SQLite FTS5 or PostgreSQL full-text search.

The embedded default and the fallback when Elasticsearch is away. Its index
(SearchEntry and the vendor's full-text structure) is written in the same
transaction as every profile change, so it never lags; `apply` has nothing
to do.
"""

import itertools
import time

from django.db import connection
from django.db.models import Q, Sum
from django.db.models.functions import Length

from directory.models import Business, BusinessTerm
from directory.taxonomy import NAICS

from .. import analysis
from .. import query as search_query
from ..models import OutboxEntry, SearchEntry
from .base import BaseSearchBackend, complementary_codes, eligible_partner_cities

# A code match with no word in common still deserves a place, below good text matches.
CODE_MATCH_SCORE = 0.5
# Longer id lists are not sent to the database as IN (...) parameters.
IN_LIST_LIMIT = 900


class DatabaseBackend(BaseSearchBackend):
    name = "database"

    def search(self, query):
        started = time.monotonic()
        parsed = search_query.parse(query.text)
        queryset = self.filtered(query)
        if parsed.is_empty:
            ordered_ids = list(queryset.order_by("name", "pk").values_list("pk", flat=True))
            scores = {}
        else:
            text_scores, code_matches = self._text_scores(parsed), self._code_matches(parsed)
            # The filters and the match meet in Python: simple queries whose
            # cost follows the network's size, where an IN (subquery) of the
            # match could send a query planner astray.
            scores = {
                pk: text_scores.get(pk, 0.0) + (CODE_MATCH_SCORE if pk in code_matches else 0.0)
                for pk in queryset.values_list("pk", flat=True)
                if pk in text_scores or pk in code_matches
            }
            ordered_ids = sorted(scores, key=lambda pk: (-scores[pk], pk))
        page_ids = ordered_ids[query.offset:query.offset + query.page_size]
        businesses = Business.objects.select_related("city").in_bulk(page_ids)
        hits = search_query.finish_hits([(businesses[pk], scores.get(pk, 0.0)) for pk in page_ids], parsed)
        return search_query.SearchResult(
            hits=hits,
            total=len(ordered_ids),
            facets=self.facets(queryset, ordered_ids) if query.with_facets else {},
            took_ms=int((time.monotonic() - started) * 1000),
            backend=self.name,
        )

    # --- matching ---------------------------------------------------------------

    def filtered(self, query):
        """Public businesses narrowed by the query's filters (not its words)."""
        from directory import selectors

        queryset = Business.objects.public()
        if query.city:
            queryset = queryset.filter(city__slug__in=query.city)
        if query.country:
            queryset = queryset.filter(city__country=query.country.upper())
        if query.relationship:
            queryset = queryset.filter(city__relationship=query.relationship)
        for kind in ("naics", "offers", "seeks", "trade_role"):
            if getattr(query, kind):
                queryset = selectors.with_term(queryset, kind=kind, prefix=getattr(query, kind))
        if query.language:
            spoken = selectors.with_term(Business.objects.all(), kind="language", prefix=query.language)
            queryset = queryset.filter(Q(description_language__istartswith=query.language) | Q(pk__in=spoken.values("pk")))
        if query.verified is not None:
            queryset = queryset.filter(verified_at__isnull=not query.verified)
        return queryset

    def _text_sql(self, parsed):
        """(SQL, params) selecting (id, score) of text matches, or None where the
        vendor has no full-text search we use."""
        if not parsed.groups:
            return None
        combos = _required_combinations(parsed.groups, parsed.required)
        if connection.vendor == "postgresql":
            tsquery = " | ".join(
                "(" + " & ".join("(" + " | ".join(_ts_lexeme(t) for t in group) + ")" for group in combo) + ")"
                for combo in combos
            )
            return ("SELECT business_id AS id, ts_rank(vector, q) AS score FROM search_searchentry, "
                    "CAST(%s AS tsquery) q WHERE vector @@ q", [tsquery])
        if connection.vendor == "sqlite":
            expression = " OR ".join(
                "(" + " AND ".join("(" + " OR ".join(_fts_phrase(t) for t in group) + ")" for group in combo) + ")"
                for combo in combos
            )
            # bm25 is lower for better matches; the name column counts most.
            return ("SELECT rowid AS id, -bm25(search_fts, 5.0, 2.0, 1.0) AS score FROM search_fts "
                    "WHERE search_fts MATCH %s", [expression])
        return None

    def _text_scores(self, parsed):
        """{business id: score} for businesses whose tokens hold enough of the query's groups."""
        text = self._text_sql(parsed)
        if text is None:
            return self._scan_scores(parsed) if parsed.groups else {}
        with connection.cursor() as cursor:
            cursor.execute(*text)
            return {pk: float(score) for pk, score in cursor.fetchall()}

    def _scan_scores(self, parsed):
        """Any other database: compare tokens in Python (slow, but correct)."""
        scores = {}
        for pk, name, trade, body in SearchEntry.objects.values_list("business_id", "name_tokens", "trade_tokens", "body_tokens"):
            held = set(f"{name} {trade} {body}".split())
            matched = sum(1 for group in parsed.groups if held & set(group))
            if matched >= parsed.required:
                scores[pk] = float(matched)
        return scores

    def _code_condition(self, parsed):
        conditions = Q()
        if parsed.hs_codes:
            conditions |= Q(kind__in=["offers", "seeks"], value__in=parsed.hs_codes)
        if parsed.naics_codes:
            conditions |= Q(kind="naics", value__in=parsed.naics_codes)
        return conditions or None

    def _code_matches(self, parsed):
        conditions = self._code_condition(parsed)
        if conditions is None:
            return set()
        return set(BusinessTerm.objects.filter(conditions).values_list("business_id", flat=True))

    # --- facets -------------------------------------------------------------------

    def facets(self, queryset, ids):
        """Facet counts over the matching businesses (`ids`, drawn from `queryset`).

        Counted in Python from two plain queries over the filtered businesses,
        narrowed by id in SQL only while the list stays short.
        """
        wanted = set(ids)
        if len(wanted) <= IN_LIST_LIMIT:
            queryset = queryset.filter(pk__in=wanted)
        members = {facet: {} for facet in search_query.FACETS}

        def add(facet, value, pk):
            members[facet].setdefault(value, set()).add(pk)

        rows = queryset.values_list("pk", "city__slug", "city__country", "city__relationship", "description_language")
        for pk, city, country, relationship, language in rows:
            if pk in wanted:
                add("city", city, pk)
                add("country", country, pk)
                add("relationship", relationship, pk)
                add("language", language, pk)
        terms = BusinessTerm.objects.filter(business__in=queryset.values("pk")).filter(
            Q(kind__in=["offers", "seeks", "naics"], value__regex=r"^[0-9]{2}$") | Q(kind__in=["trade_role", "language"])
        )
        for pk, kind, value in terms.values_list("business_id", "kind", "value"):
            if pk in wanted:
                add(kind, NAICS.COMBINED_SECTORS.get(value, value) if kind == "naics" else value, pk)
        counts = {facet: {value: len(pks) for value, pks in found.items()} for facet, found in members.items()}
        return {name: search_query.facet_list(name, counts[name]) for name in search_query.FACETS}

    def suggest(self, text, limit=5):
        """Ids of public businesses each of whose typed words begins a word of the name."""
        typed = analysis.words(text)
        if not typed:
            return []
        queryset = Business.objects.public()
        for word in typed:
            queryset = queryset.filter(
                Q(search_entry__name_tokens__startswith=word) | Q(search_entry__name_tokens__contains=f" {word}")
            )
        return list(queryset.order_by("name").values_list("pk", flat=True)[:limit])

    # --- matching support -------------------------------------------------------------

    def complementary(self, business, k=20):
        """One query from the (kind, value) index of BusinessTerm: the terms that
        meet this firm's trade, grouped by firm, deepest overlap first, k of them."""
        wanted, offered = complementary_codes(business)
        if not wanted and not offered:
            return []
        partners = Business.objects.public().filter(city__slug__in=eligible_partner_cities(business))
        meeting = Q(kind="offers", value__in=wanted) | Q(kind="seeks", value__in=offered)
        rows = (
            BusinessTerm.objects.filter(meeting, business__in=partners.values("pk"))
            .exclude(business_id=business.pk)
            .values("business_id")
            # A shared subheading counts more than a shared heading.
            .annotate(overlap=Sum(Length("value")))
            .order_by("-overlap", "business_id")[:k]
        )
        return [(row["business_id"], float(row["overlap"])) for row in rows]

    # --- index upkeep -------------------------------------------------------------------

    def apply(self, business_ids):
        """Nothing to do: entries are written with the profile."""

    def status(self):
        oldest = OutboxEntry.objects.order_by("created_at").values_list("created_at", flat=True).first()
        return {
            "backend": self.name,
            "documents": SearchEntry.objects.filter(business__in=Business.objects.public()).count(),
            "entries": SearchEntry.objects.count(),
            "outbox": OutboxEntry.objects.count(),
            "oldest_outbox_entry": oldest,
        }


def _required_combinations(groups, required):
    """The sets of groups a match may hold: all of them, or each way of leaving
    out as many as `required` allows."""
    if required >= len(groups):
        return [groups]
    return [list(combo) for combo in itertools.combinations(groups, required)]


def _ts_lexeme(token):
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _fts_phrase(token):
    return '"' + token.replace('"', '""') + '"'
