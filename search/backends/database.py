"""Search in the database itself: SQLite FTS5 or PostgreSQL full-text search.

The embedded default and the fallback when Elasticsearch is away. Its index
(SearchEntry and the vendor's full-text structure) is written in the same
transaction as every profile change, so it never lags; `apply` has nothing
to do.
"""

import itertools
import time
from dataclasses import replace

from django.db import connection
from django.db.models import F, Q, Sum, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length, Mod

from directory import glossary
from directory.models import Business, BusinessTerm, City
from directory.taxonomy import NAICS

from .. import analysis, spelling
from .. import query as search_query
from ..filters import filter_businesses
from ..models import OutboxEntry, SearchEntry, SearchWord
from .base import BaseSearchBackend, complementary_codes, eligible_partner_cities

# The PostgreSQL vector's weight and the SQLite FTS5 column of each column of
# the entry (search/indexing.py writes them).
WEIGHTS = {"name": "A", "offers": "B", "body": "C", "seeks": "D"}
FTS_COLUMNS = {"name": "name", "offers": "offers", "body": "body", "seeks": "seeks"}
# Candidates for a typo's correction share at least this trigram similarity.
TRIGRAM_THRESHOLD = 0.2
TERMS = BusinessTerm._meta.db_table
BUSINESSES = Business._meta.db_table
CITIES = City._meta.db_table


class DatabaseBackend(BaseSearchBackend):
    """Matching, scoring, counting and faceting all happen in SQL, and Python
    receives one page of hits and one row per facet value, so a request's
    memory does not grow with the directory (this is the embedded default and
    the fallback for a directory of any size)."""

    name = "database"

    def search(self, query):
        started = time.monotonic()
        parsed = self.corrected(search_query.parse(query.text), query.text)
        filtered = filter_businesses(Business.objects.public(), filters=query).order_by()
        if query.exclude_city:
            filtered = filtered.exclude(city__slug__in=query.exclude_city)
        if query.ids:
            filtered = filtered.filter(pk__in=query.ids)
        page, total, facets = self._page_count_and_facets(
            filtered, parsed, query.side, offset=query.offset, limit=query.page_size, with_facets=query.with_facets)
        return search_query.SearchResult(
            hits=search_query.finish_hits(page, parsed),
            total=total,
            facets=facets,
            took_ms=int((time.monotonic() - started) * 1000),
            backend=self.name,
        )

    def _page_count_and_facets(self, filtered, parsed, side, *, offset, limit, with_facets):
        """One page of (business id, score), best first (for no words: by
        name), the number of businesses found and the facet counts, in one
        statement. The businesses found are worked out once, in a
        materialized CTE, and the page, the count and every facet read them
        there: as separate queries each ran the full-text search again (six
        times a request, most of its time on a large directory)."""
        filtered_sql, filtered_params = filtered.values("pk").query.sql_with_params()
        if parsed.is_empty:
            # No words: every filtered business, by name.
            ctes = [(f"matching (id) AS MATERIALIZED ({filtered_sql})", filtered_params),
                    (f"page AS (SELECT b.id, b.name FROM matching m JOIN {BUSINESSES} b ON b.id = m.id "  # nosec B608: table names and placeholders only; values are parameters
                     "ORDER BY b.name, b.id LIMIT %s OFFSET %s)", [limit, offset])]
            order = "name, id"
        else:
            union, matched_params = self._matched_union(parsed, side)
            weight = search_query.TEXT_WEIGHT
            # The filters as conditions on the businesses found, not as a set
            # of their own to meet: the planner then checks a few hundred firms
            # rather than gathering every firm that passes a broad filter.
            found = filtered.filter(pk__in=RawSQL("SELECT id FROM matched", []))  # nosec B611: a constant
            found_sql, found_params = found.values("pk").query.sql_with_params()
            ctes = [(f"matched (id, tier, relevance, bonus) AS MATERIALIZED ({union})", matched_params),
                    (f"matching (id) AS MATERIALIZED ({found_sql})", found_params),
                    # The best tier reached, plus scaled text relevance and the
                    # bonus for a named code (search/query.py's ranking).
                    (f"page AS (SELECT id, MAX(tier) + {weight} * MAX(relevance) / (1 + MAX(relevance)) + MAX(bonus) "  # nosec B608: a number of this module's
                     "AS total FROM matched JOIN matching USING (id) GROUP BY id "
                     "ORDER BY total DESC, id LIMIT %s OFFSET %s)", [limit, offset])]
            order = "total DESC, id"
        # The rows of a UNION come in no set order: each of the page's carries its place.
        parts = [("SELECT 'page' AS part, NULL AS value, NULL AS country, NULL AS relationship, id AS n, "  # nosec B608: one of the two orders above
                  f"{'total' if not parsed.is_empty else 'NULL'} AS total, "
                  f"ROW_NUMBER() OVER (ORDER BY {order}) AS position FROM page", []),
                 ("SELECT 'total', NULL, NULL, NULL, COUNT(*), NULL, NULL FROM matching", [])]
        if with_facets:
            parts += self._facet_parts()
        sql = ("WITH " + ", ".join(cte for cte, _ in ctes) + " "
               + " UNION ALL ".join(part for part, _ in parts))
        params = [p for _, cte_params in ctes for p in cte_params] + [p for _, part_params in parts for p in part_params]
        page, total = [], 0
        counts = {facet: {} for facet in search_query.FACETS}

        def add(facet, value, n):
            counts[facet][value] = counts[facet].get(value, 0) + n

        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for part, value, country, relationship, n, score, position in cursor.fetchall():
                if part == "page":
                    page.append((position, n, score))
                elif part == "total":
                    total = n
                elif part == "city":
                    # A business has one city, and the city decides country and relationship.
                    add("city", value, n)
                    add("country", country, n)
                    add("relationship", relationship, n)
                else:
                    add(part, value, n)
        page = [(pk, 0.0 if score is None else float(score)) for _, pk, score in sorted(page)]
        facets = {name: search_query.facet_list(name, counts[name]) for name in search_query.FACETS} if with_facets else {}
        return page, total, facets

    def _facet_parts(self):
        """(SQL, params) of the facet rows (facet, value, country, relationship,
        count) over the businesses of the `matching` CTE, each grouped in SQL."""
        sectors = " ".join("WHEN value = %s THEN %s" for _ in NAICS.COMBINED_SECTORS)
        sector_params = [p for code, sector in NAICS.COMBINED_SECTORS.items() for p in (code, sector)]
        return [
            (f"SELECT 'city', c.slug, c.country, c.relationship, COUNT(*), NULL, NULL FROM matching m "  # nosec B608: table names only
             f"JOIN {BUSINESSES} b ON b.id = m.id JOIN {CITIES} c ON c.id = b.city_id "
             "GROUP BY c.slug, c.country, c.relationship", []),
            # Chapters offered and sought, NAICS sectors (some combined), trade roles.
            (f"SELECT kind, facet_value, NULL, NULL, COUNT(DISTINCT business_id), NULL, NULL FROM ("  # nosec B608: table names and placeholders only; values are parameters
             f"SELECT kind, business_id, CASE WHEN kind = 'naics' THEN CASE {sectors} ELSE value END ELSE value END "
             f"AS facet_value FROM matching m JOIN {TERMS} t ON t.business_id = m.id "
             "WHERE (kind IN ('offers', 'seeks', 'naics') AND LENGTH(value) = 2) OR kind = 'trade_role'"
             ") AS terms GROUP BY kind, facet_value", sector_params),
            # The language a profile is written in and those its firm speaks,
            # each business counted once per language.
            (f"SELECT 'language', value, NULL, NULL, COUNT(*), NULL, NULL FROM ("  # nosec B608: table names only
             f"SELECT b.id AS business_id, b.description_language AS value FROM matching m "
             f"JOIN {BUSINESSES} b ON b.id = m.id "
             f"UNION SELECT t.business_id, t.value FROM matching m JOIN {TERMS} t ON t.business_id = m.id "
             "WHERE t.kind = 'language') AS languages GROUP BY value", []),
        ]

    # --- typos ---------------------------------------------------------------------

    def corrected(self, parsed, text):
        """The parsed query with each word no profile uses widened by the
        nearest words profiles do use ("cofee" also looks for "coffee")."""
        groups = list(parsed.groups)
        words = [word for word in analysis.words(text or "")
                 if spelling.allowed_edits(word) and not glossary.is_substring_script(word)]
        # Asked about all at once (which are used, and the neighbours of those
        # that are not), rather than in two or three statements per word.
        asked = list(dict.fromkeys(word for word in words if _group(word) in groups))
        used = set(SearchWord.objects.filter(word__in=asked).values_list("word", flat=True)) if asked else set()
        candidates = self._candidates([word for word in asked if word not in used])
        for word in words:
            group = _group(word)
            if group not in groups:
                continue
            # A word asked about above, or (after another word widened the
            # groups) one that was not, which is then asked about alone.
            if word in used or (word not in asked and SearchWord.objects.filter(word=word).exists()):
                continue
            near = spelling.nearest(word, candidates[word] if word in candidates else self._candidates([word])[word])
            if near:
                alternatives = {t for w in near for t in (w, analysis.stem(w, "en"), analysis.stem(w, "es"))}
                groups[groups.index(group)] = sorted(set(group) | alternatives)
        return replace(parsed, groups=groups)

    def _candidates(self, words):
        """{word: vocabulary words that may be within its allowed edits}, in
        one query for all the words: by trigram similarity on PostgreSQL
        (pg_trgm's index, the 50 most similar), by first letter and length on
        SQLite."""
        found = {word: [] for word in words}
        if not words:
            return found
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # One edit in a short word leaves few trigrams in common; the
                # distance check in Python is what decides.
                cursor.execute("SELECT set_config('pg_trgm.similarity_threshold', %s, false)",
                               [str(TRIGRAM_THRESHOLD)])
                cursor.execute(
                    "SELECT typed.word, near.word FROM unnest(%s::text[]) AS typed (word) CROSS JOIN LATERAL ("
                    "SELECT word FROM search_searchword WHERE word %% typed.word "
                    "ORDER BY similarity(word, typed.word) DESC LIMIT 50) AS near",
                    [list(found)],
                )
                for word, candidate in cursor.fetchall():
                    found[word].append(candidate)
            return found

        def near(word):
            limit = spelling.allowed_edits(word)
            return Q(word__gte=word[0], word__lt=chr(ord(word[0]) + 1),
                     length__gte=len(word) - limit, length__lte=len(word) + limit)

        either = Q()
        for word in found:
            either |= near(word)
        rows = SearchWord.objects.annotate(length=Length("word")).filter(either).values_list("word", "length")
        for candidate, length in rows:
            for word in found:
                limit = spelling.allowed_edits(word)
                if word[0] <= candidate < chr(ord(word[0]) + 1) and len(word) - limit <= length <= len(word) + limit:
                    found[word].append(candidate)
        return found

    # --- matching ---------------------------------------------------------------

    def _text_sql(self, parsed, level):
        """(SQL, params) selecting (id, tier, relevance, bonus) of every business
        whose words in the level's columns hold enough of the query's groups,
        or None for a query of codes only."""
        if not parsed.groups:
            return None
        combos = _required_combinations(parsed.groups, parsed.required)
        if connection.vendor == "postgresql":
            weights = "" if set(level.columns) == set(search_query.ALL_COLUMNS) else ":" + "".join(
                sorted(WEIGHTS[c] for c in level.columns))
            tsquery = " | ".join(
                "(" + " & ".join("(" + " | ".join(_ts_lexeme(t) + weights for t in group) + ")" for group in combo) + ")"
                for combo in combos
            )
            return (f"SELECT business_id AS id, {level.tier} AS tier, ts_rank(vector, q) AS relevance, 0 AS bonus "  # nosec B608: a number of this module's; the query is a parameter
                    "FROM search_searchentry, CAST(%s AS tsquery) q WHERE vector @@ q", [tsquery])
        if connection.vendor == "sqlite":
            expression = " OR ".join(
                "(" + " AND ".join("(" + " OR ".join(_fts_phrase(t) for t in group) + ")" for group in combo) + ")"
                for combo in combos
            )
            columns = " ".join(FTS_COLUMNS[c] for c in level.columns)
            # bm25 is lower for better matches; the name column counts most.
            return (f"SELECT rowid AS id, {level.tier} AS tier, -bm25(search_fts, 5.0, 2.0, 0.5, 1.0) AS relevance, "  # nosec B608: a number of this module's; the expression is a parameter
                    "0 AS bonus FROM search_fts WHERE search_fts MATCH %s", [f"{{{columns}}} : ({expression})"])
        raise NotImplementedError(f"The database search backend runs on PostgreSQL or SQLite, not {connection.vendor}.")

    def _code_sql(self, parsed, level):
        """(SQL, params) selecting (id, tier, relevance, bonus) of every business
        holding, as one of the level's kinds, a code the query's words name; or None."""
        codes = parsed.codes_for(level)
        if not codes:
            return None
        return (f"SELECT DISTINCT business_id AS id, {level.tier} AS tier, 0 AS relevance, {level.bonus} AS bonus "  # nosec B608: table names, numbers and placeholders only; values are parameters
                f"FROM {TERMS} WHERE kind IN ({_placeholders(level.kinds)}) AND value IN ({_placeholders(codes)})",
                [*level.kinds, *codes])

    def _matched_union(self, parsed, side):
        """(SQL, params) selecting (id, tier, relevance, bonus): one row per
        business and level of evidence (search/query.py's ranking), for a
        materialized CTE `matched`, so each full-text search runs once per
        statement however the planner joins it, and SQLite keeps bm25() in a
        full-text query of its own."""
        text_levels, code_levels = search_query.ranking(side)
        parts = [self._text_sql(parsed, level) for level in text_levels]
        parts += [self._code_sql(parsed, level) for level in code_levels]
        parts = [part for part in parts if part is not None]
        return " UNION ALL ".join(sql for sql, _ in parts), [p for _, params in parts for p in params]

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
        # Codes a partner named, or read from its words while it names none.
        meeting = (Q(kind__in=["offers", "offers_read"], value__in=wanted)
                   | Q(kind__in=["seeks", "seeks_read"], value__in=offered))
        rows = (
            BusinessTerm.objects.filter(meeting, business__in=partners.values("pk"))
            .exclude(business_id=business.pk)
            .values("business_id")
            # A shared subheading counts more than a shared heading.
            .annotate(overlap=Sum(Length("value")), shuffle=_shuffled_for(business.pk))
            # Equal overlaps in an order of this firm's own: ordered by id,
            # every firm would see the same k partners, which would fill up
            # while the others were never proposed.
            .order_by("-overlap", "shuffle", "business_id")[:k]
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


def _group(word):
    """The query group a word gives (search.analysis.query_groups)."""
    return sorted({word, analysis.stem(word, "en"), analysis.stem(word, "es")})


def _shuffled_for(seed):
    """A pseudo-random order of business ids that differs from one seed to another
    (a multiplicative hash, in SQL both vendors compute alike)."""
    multiplier = 2 * (seed % 50_000) + 100_001  # odd, so distinct ids stay distinct
    return Mod(F("business_id") * multiplier, Value(1_000_003))


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
