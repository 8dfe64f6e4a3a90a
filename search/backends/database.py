"""Search in the database itself: SQLite FTS5 or PostgreSQL full-text search.

The embedded default and the fallback when Elasticsearch is away. Its index
(SearchEntry and the vendor's full-text structure) is written in the same
transaction as every profile change, so it never lags; `apply` has nothing
to do.
"""

import itertools
import time

from django.db import connection
from django.db.models import Case, CharField, Count, F, Q, Sum, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length

from directory.models import Business, BusinessTerm
from directory.taxonomy import NAICS

from .. import analysis
from .. import query as search_query
from ..filters import filter_businesses
from ..models import OutboxEntry, SearchEntry
from .base import BaseSearchBackend, complementary_codes, eligible_partner_cities

# A code match with no word in common still deserves a place, below good text matches.
CODE_MATCH_SCORE = 0.5
TERMS = BusinessTerm._meta.db_table
BUSINESSES = Business._meta.db_table


class DatabaseBackend(BaseSearchBackend):
    """Matching, scoring, counting and faceting all happen in SQL, and Python
    receives one page of hits and one row per facet value, so a request's
    memory does not grow with the directory (this is the embedded default and
    the fallback for a directory of any size)."""

    name = "database"

    def search(self, query):
        started = time.monotonic()
        parsed = search_query.parse(query.text)
        filtered = filter_businesses(Business.objects.public(), filters=query).order_by()
        if query.exclude_city:
            filtered = filtered.exclude(city__slug__in=query.exclude_city)
        if query.ids:
            filtered = filtered.filter(pk__in=query.ids)
        if parsed.is_empty:
            matching = filtered
            ids = filtered.order_by("name", "pk").values_list("pk", flat=True)[query.offset:query.offset + query.page_size]
            page = [(pk, 0.0) for pk in ids]
        else:
            matching = filtered.filter(self._matches(parsed))
            page = self._scored_page(filtered, parsed, offset=query.offset, limit=query.page_size)
        return search_query.SearchResult(
            hits=search_query.finish_hits(page, parsed),
            total=matching.count(),
            facets=self.facets(matching) if query.with_facets else {},
            took_ms=int((time.monotonic() - started) * 1000),
            backend=self.name,
        )

    # --- matching ---------------------------------------------------------------

    def _text_sql(self, parsed):
        """(SQL, params) selecting (id, score) of every business whose tokens
        hold enough of the query's groups, or None for a query of codes only."""
        if not parsed.groups:
            return None
        combos = _required_combinations(parsed.groups, parsed.required)
        if connection.vendor == "postgresql":
            tsquery = " | ".join(
                "(" + " & ".join("(" + " | ".join(_ts_lexeme(t) for t in group) + ")" for group in combo) + ")"
                for combo in combos
            )
            return ("SELECT business_id AS id, CAST(ts_rank(vector, q) AS double precision) AS score "
                    "FROM search_searchentry, CAST(%s AS tsquery) q WHERE vector @@ q", [tsquery])
        if connection.vendor == "sqlite":
            expression = " OR ".join(
                "(" + " AND ".join("(" + " OR ".join(_fts_phrase(t) for t in group) + ")" for group in combo) + ")"
                for combo in combos
            )
            # bm25 is lower for better matches; the name column counts most.
            return ("SELECT rowid AS id, -bm25(search_fts, 5.0, 2.0, 1.0) AS score FROM search_fts "
                    "WHERE search_fts MATCH %s", [expression])
        raise NotImplementedError(f"The database search backend runs on PostgreSQL or SQLite, not {connection.vendor}.")

    def _code_sql(self, parsed):
        """(SQL, params) selecting (id, score) of every business holding a code
        the query's words name, or None."""
        conditions, params = [], []
        for kinds, codes in ((("offers", "seeks"), parsed.hs_codes), (("naics",), parsed.naics_codes)):
            if codes:
                conditions.append(f"(kind IN ({_placeholders(kinds)}) AND value IN ({_placeholders(codes)}))")
                params += [*kinds, *codes]
        if not conditions:
            return None
        return (f"SELECT DISTINCT business_id AS id, {CODE_MATCH_SCORE} AS score FROM {TERMS} "  # nosec B608: table names and placeholders only; values are parameters
                f"WHERE {' OR '.join(conditions)}", params)

    def _matched(self, parsed):
        """(SQL, params) of a WITH clause naming `matched (id, score)`: one row
        per text match and one per code match. Materialized, so the full-text
        search runs once per statement however the planner joins it, and
        SQLite keeps bm25() in a full-text query of its own."""
        parts = [sql for sql in (self._text_sql(parsed), self._code_sql(parsed)) if sql is not None]
        union = " UNION ALL ".join(sql for sql, _ in parts)
        return f"WITH matched (id, score) AS MATERIALIZED ({union}) ", [p for _, params in parts for p in params]

    def _matches(self, parsed):
        """A condition on businesses: their words match the query, or a code it names.
        One IN (…) rather than two OR-ed, so PostgreSQL can make it a semi-join."""
        matched, params = self._matched(parsed)
        return Q(pk__in=RawSQL(f"{matched}SELECT id FROM matched", params))  # nosec B611 B608: built from this module's SQL; values are parameters

    def _scored_page(self, filtered, parsed, *, offset, limit):
        """One page of (business id, score) among the filtered businesses, best
        first: a text match's score plus CODE_MATCH_SCORE for a code match."""
        matched, params = self._matched(parsed)
        filtered_sql, filtered_params = filtered.values("pk").query.sql_with_params()
        sql = (f"{matched}SELECT id, SUM(score) AS total FROM matched WHERE id IN ({filtered_sql}) "  # nosec B608: table names and placeholders only; values are parameters
               "GROUP BY id ORDER BY total DESC, id LIMIT %s OFFSET %s")
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *filtered_params, limit, offset])
            return [(pk, float(score)) for pk, score in cursor.fetchall()]

    # --- facets -------------------------------------------------------------------

    def facets(self, matching):
        """Facet counts over the matching businesses, each grouped in SQL."""
        counts = {facet: {} for facet in search_query.FACETS}
        ids = matching.values("pk")

        def add(facet, value, n):
            counts[facet][value] = counts[facet].get(value, 0) + n

        # A business has one city, and the city decides country and relationship.
        by_city = matching.values_list("city__slug", "city__country", "city__relationship").annotate(n=Count("pk"))
        for city, country, relationship, n in by_city:
            add("city", city, n)
            add("country", country, n)
            add("relationship", relationship, n)

        sectors = [When(kind="naics", value=code, then=Value(sector)) for code, sector in NAICS.COMBINED_SECTORS.items()]
        terms = (
            BusinessTerm.objects.filter(business__in=ids)
            .annotate(length=Length("value"))
            .filter(Q(kind__in=["offers", "seeks", "naics"], length=2) | Q(kind="trade_role"))
            .annotate(facet_value=Case(*sectors, default=F("value"), output_field=CharField()))
            .values_list("kind", "facet_value")
            .annotate(n=Count("business_id", distinct=True))
            .order_by()
        )
        for kind, value, n in terms:
            add(kind, value, n)

        # The language a profile is written in and those its firm speaks, each
        # business counted once per language.
        ids_sql, ids_params = ids.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT value, COUNT(*) FROM ("  # nosec B608: table names and placeholders only; values are parameters
                f"SELECT id AS business_id, description_language AS value FROM {BUSINESSES} WHERE id IN ({ids_sql}) "
                f"UNION SELECT business_id, value FROM {TERMS} WHERE kind = 'language' AND business_id IN ({ids_sql})"
                f") AS languages GROUP BY value",
                [*ids_params, *ids_params],
            )
            for value, n in cursor.fetchall():
                add("language", value, n)
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


def _placeholders(values):
    return ", ".join(["%s"] * len(values))


def _ts_lexeme(token):
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _fts_phrase(token):
    return '"' + token.replace('"', '""') + '"'
