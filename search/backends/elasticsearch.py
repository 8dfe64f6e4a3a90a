"""Search on Elasticsearch 9, through the client's `elasticsearch.dsl` module.

The mapping uses only the server's core features (whitespace and standard
analysers, keywords, index_prefixes), because that is what the distribution
our tests can run carries; all language work happens before indexing, in
search/analysis.py, and arrives as whitespace-separated tokens.

Documents live in versioned indices behind one alias. Writes go through the
alias; a rebuild fills a new index and swaps the alias atomically.

Every write carries the profile's search version (Business.search_version)
as an external version, so whichever of two drains arrives last, the index
keeps the newer state of the profile.
"""

import os
import time
from collections import namedtuple
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone as dt_timezone
from functools import lru_cache

import orjson
from django.conf import settings
from django.db.models import CharField, TextField
from django.db.models.functions import Cast
from elasticsearch import Elasticsearch, NotFoundError, helpers
from elasticsearch.dsl import Boolean, Date, Document, Keyword, MultiSearch, Q, Search, Text
from elasticsearch.serializer import OrjsonSerializer

from directory import taxonomy
from directory.models import Business
from directory.taxonomy import NAICS

from .. import analysis
from .. import query as search_query
from ..filters import elasticsearch_filters
from ..indexing import token_columns
from ..models import OutboxEntry, SearchEntry
from .base import BaseSearchBackend, complementary_codes, eligible_partner_cities, freshness_cutoff

CHUNK_SIZE = 500
# A new index's settings while a rebuild fills it, back to the defaults (and
# the configured replicas) once it is full: it serves nothing until the
# swap, so it needs no replicas, no refreshes and no sync of the translog on
# every request (a node lost meanwhile fails the rebuild, which starts over).
BULK_LOADING = {"number_of_replicas": 0, "refresh_interval": "-1", "translog.durability": "async"}
# The version a deletion carries once the row is gone: nothing can be newer.
GONE_VERSION = 2**62
FACET_FIELDS = {
    "city": "city", "country": "country", "relationship": "relationship", "naics": "naics_sector",
    "offers": "offers_chapter", "seeks": "seeks_chapter", "trade_role": "trade_roles", "language": "languages",
}
TOKEN_FIELDS = {"name": "name_tokens^3", "offers": "offers_tokens^2", "seeks": "seeks_tokens", "body": "body_tokens"}
# BM25 has no fixed scale and the engine here has no scripts to squash it;
# this boost keeps typical relevance well inside a tier's CODE_BONUS gap.
RELEVANCE_BOOST = 0.02
MAX_FUZZY_LENGTH = 30


class BusinessDocument(Document):
    """The mapping. Contact details and the owner are deliberately absent."""

    slug = Keyword()
    name = Text(analyzer="standard")
    # Pre-analysed tokens (search/analysis.py), split on whitespace only.
    name_tokens = Text(analyzer="whitespace")
    name_prefix = Text(analyzer="whitespace", index_prefixes={"min_chars": 1, "max_chars": 10})
    name_sort = Keyword()
    offers_tokens = Text(analyzer="whitespace")
    seeks_tokens = Text(analyzer="whitespace")
    body_tokens = Text(analyzer="whitespace")
    description = Text(analyzer="standard")
    offers_text = Text(analyzer="standard")
    seeks_text = Text(analyzer="standard")
    description_language = Keyword()
    city = Keyword()
    country = Keyword()
    relationship = Keyword()
    naics = Keyword()
    naics_sector = Keyword()
    offers = Keyword()
    offers_chapter = Keyword()
    seeks = Keyword()
    seeks_chapter = Keyword()
    # Codes read from the firm's words while it names none (with ancestors).
    offers_read = Keyword()
    seeks_read = Keyword()
    trade_roles = Keyword()
    languages = Keyword()
    verified = Boolean()
    confirmed_at = Date()
    updated_at = Date()


def document(business):
    """The indexed form of a business: public fields, tokens and codes with ancestors."""
    name_tokens, offers_tokens, seeks_tokens, body_tokens = token_columns(business)
    offers = taxonomy.with_ancestors(business.offers_hs, "hs")
    seeks = taxonomy.with_ancestors(business.seeks_hs, "hs")
    naics = taxonomy.with_ancestors(business.naics, "naics")
    return {
        "slug": business.slug,
        "name": business.name,
        "name_tokens": name_tokens,
        "name_prefix": " ".join(analysis.words(business.name)),
        "name_sort": business.name,
        "offers_tokens": offers_tokens,
        "seeks_tokens": seeks_tokens,
        "body_tokens": body_tokens,
        "description": business.description,
        "offers_text": business.offers_text,
        "seeks_text": business.seeks_text,
        "description_language": business.description_language,
        "city": business.city.slug,
        "country": business.city.country,
        "relationship": business.city.relationship,
        "naics": naics,
        "naics_sector": sorted({NAICS.COMBINED_SECTORS.get(c, c) for c in naics if len(c) == 2}),
        "offers": offers,
        "offers_chapter": [c for c in offers if len(c) == 2],
        "seeks": seeks,
        "seeks_chapter": [c for c in seeks if len(c) == 2],
        "offers_read": taxonomy.with_ancestors(business.suggested_offers_hs, "hs"),
        "seeks_read": taxonomy.with_ancestors(business.suggested_seeks_hs, "hs"),
        "trade_roles": business.trade_roles,
        "languages": sorted(set(business.languages) | {business.description_language}),
        "verified": business.verified_at is not None,
        "confirmed_at": business.confirmed_at,
        "updated_at": business.updated_at,
    }


def for_documents(businesses):
    """A queryset of businesses loaded for document(). (Deferring the columns
    it does not read makes Django build each row more slowly, not faster.)"""
    return businesses.select_related("city", "search_entry")


def client():
    """The process's client for the configured engine. One per process and
    address, not one per search: a client owns a pool of kept-alive
    connections, and making one (and its first connection) costs more than a
    small search."""
    return _client(os.getpid(), settings.ELASTICSEARCH_URL, settings.ELASTICSEARCH_USERNAME,
                   settings.ELASTICSEARCH_PASSWORD)


# Keyed on the process id too: a worker forked from a process that had a
# client must not share its connections.
@lru_cache(maxsize=16)
def _client(pid, url, username, password):
    auth = {"basic_auth": (username or "elastic", password)} if password else {}
    # orjson writes bulk bodies several times faster than the json module, and
    # a rebuild's Python side is what bounds its throughput.
    return Elasticsearch(url, request_timeout=10, max_retries=0, retry_on_timeout=False,
                         serializer=OrjsonSerializer(), **auth)


class ElasticsearchBackend(BaseSearchBackend):
    name = "elasticsearch"

    def __init__(self):
        self.client = client()
        self.alias = f"{settings.ELASTICSEARCH_INDEX_PREFIX}businesses"

    # --- queries ------------------------------------------------------------------

    def search(self, query):
        started = time.monotonic()
        parsed = search_query.parse(query.text)
        filters = [self._fresh(), *elasticsearch_filters(query)]
        s = Search(using=self.client, index=self.alias).filter(Q("bool", filter=filters))
        if query.exclude_city:
            s = s.exclude(Q("terms", city=query.exclude_city))
        if query.ids:
            s = s.filter(Q("ids", values=[str(pk) for pk in query.ids]))
        if not parsed.is_empty:
            s = s.query(self._match(parsed, query.side))
        else:
            s = s.sort("name_sort", "slug")
        if query.with_facets:
            for facet, field in FACET_FIELDS.items():
                s.aggs.bucket(facet, "terms", field=field, size=50)
        s = s.extra(track_total_hits=True, from_=query.offset, size=query.page_size).source(False)
        response = self._execute(s)
        scored = [(int(hit.meta.id), hit.meta.score or 0.0) for hit in response.hits]
        facets = {
            facet: search_query.facet_list(
                facet, {bucket.key: bucket.doc_count for bucket in getattr(response.aggregations, facet).buckets}
            )
            for facet in FACET_FIELDS
        } if query.with_facets else {}
        return search_query.SearchResult(
            hits=search_query.finish_hits(scored, parsed),
            total=response.hits.total.value,
            facets=facets,
            took_ms=int((time.monotonic() - started) * 1000),
            backend=self.name,
            engine_ms=response.took,
        )

    def _match(self, parsed, side):
        """Businesses holding the query's words or a code they name, scored by
        search/query.py's ranking: the best tier of evidence (a dis_max of
        constant scores), the bonus for a named code, and text relevance
        scaled down to order firms within a tier."""
        text_levels, code_levels = search_query.ranking(side)
        tiers, bonuses = [], []
        for level in text_levels:
            words = self._words(parsed, level.columns)
            if words is not None:
                tiers.append(Q("constant_score", filter=words, boost=level.tier))
        for level in code_levels:
            codes = parsed.codes_for(level)
            if codes:
                held = Q("bool", should=[Q("terms", **{kind: codes}) for kind in level.kinds], minimum_should_match=1)
                tiers.append(Q("constant_score", filter=held, boost=level.tier))
                if level.bonus:
                    bonuses.append(Q("constant_score", filter=held, boost=level.bonus))
        relevance = []
        if parsed.groups:
            broadest = max(text_levels, key=lambda level: len(level.columns)).columns
            relevance.append(self._words(parsed, broadest, boost=RELEVANCE_BOOST))
        # The best tier and the best bonus count, as in the database backend's MAX().
        best_bonus = [Q("dis_max", queries=bonuses)] if bonuses else []
        if not tiers:
            # Words that name only codes this side does not look at: no evidence to ask for.
            return Q("bool", filter=[Q("bool", should=[], minimum_should_match=1)], should=[Q("dis_max", queries=[])])
        # A firm is found when it reaches a tier. The dis_max holds every piece
        # of evidence, and the bonus and the relevance only evidence it holds
        # too, so "one of the three matches" is the whole condition, with no
        # filter repeating the evidence: each fuzzy word costs the engine an
        # automaton per field, and that filter doubled them (about half of its
        # time). Same firms, same scores: the same sum of the same clauses.
        return Q("bool", should=[Q("dis_max", queries=tiers), *best_bonus, *relevance], minimum_should_match=1)

    def _words(self, parsed, columns, boost=1.0):
        """Enough of the query's groups in the given columns (typos forgiven), or None."""
        if not parsed.groups:
            return None
        fields = [TOKEN_FIELDS[column] for column in columns]
        groups = [
            Q("multi_match", query=" ".join(group), fields=fields, operator="or", prefix_length=1,
              # No word that long is a mistyped product, and its automaton would be huge.
              fuzziness="AUTO:5,9" if max(map(len, group)) <= MAX_FUZZY_LENGTH else 0)
            for group in parsed.groups
        ]
        return Q("bool", should=groups, minimum_should_match=parsed.required, boost=boost)

    def _fresh(self):
        return Q("range", confirmed_at={"gte": freshness_cutoff().isoformat()})

    def suggest(self, text, limit=5):
        """Business ids whose names start with the typed words (autocomplete)."""
        typed = " ".join(analysis.words(text))
        if not typed:
            return []
        s = (Search(using=self.client, index=self.alias)
             .filter(self._fresh())
             .query(Q("match_bool_prefix", name_prefix=typed))
             .extra(size=limit).source(False))
        return [int(hit.meta.id) for hit in self._execute(s).hits]

    def _execute(self, s):
        """Run a search. The index is there except on a new installation, so
        it is created when the engine says it is missing rather than looked up
        before every search (a round trip each time)."""
        try:
            return s.execute()
        except NotFoundError:
            self.ensure_index()
            return s.execute()

    def complementary(self, business, k=20):
        wanted, offered = complementary_codes(business)
        if not wanted and not offered:
            return []
        s = self._complementary_search(business, wanted, offered, k)
        return [(int(hit.meta.id), hit.meta.score) for hit in s.execute().hits]

    def complementary_many(self, businesses, k=20):
        """One _msearch round trip for a whole chunk of firms."""
        results, searches = {}, MultiSearch(using=self.client, index=self.alias)
        asked = []
        for business in businesses:
            wanted, offered = complementary_codes(business)
            if not wanted and not offered:
                results[business.pk] = []
                continue
            searches = searches.add(self._complementary_search(business, wanted, offered, k))
            asked.append(business.pk)
        if asked:
            for pk, response in zip(asked, searches.execute()):
                results[pk] = [(int(hit.meta.id), hit.meta.score) for hit in response.hits]
        return results

    def _complementary_search(self, business, wanted, offered, k):
        should = []
        # Codes a partner named, or read from its words while it names none.
        if wanted:
            should += [Q("terms", offers=wanted), Q("terms", offers_read=wanted)]
        if offered:
            should += [Q("terms", seeks=offered), Q("terms", seeks_read=offered)]
        # Equal matches in an order of this firm's own (a seeded random score
        # added to them): in index order every firm would see the same k
        # partners, which would fill up while the others were never proposed.
        shuffled = Q("function_score", query=Q("bool", should=should, minimum_should_match=1),
                     functions=[{"random_score": {"seed": business.pk, "field": "_seq_no"}, "weight": 0.5}],
                     boost_mode="sum")
        return (Search(using=self.client, index=self.alias)
                .filter(Q("terms", city=eligible_partner_cities(business)))
                .filter(self._fresh())
                .query(shuffled)
                .extra(size=k).source(False))

    # --- index upkeep -----------------------------------------------------------------

    def ensure_index(self):
        """Create the first versioned index and its alias if there is none yet."""
        if not self.client.indices.exists_alias(name=self.alias):
            index = self._create_index()
            self.client.indices.put_alias(index=index, name=self.alias)

    def _create_index(self, bulk_loading=False):
        name = f"{self.alias}-{datetime.now(dt_timezone.utc):%Y%m%d%H%M%S%f}"
        index_settings = {"number_of_shards": settings.ELASTICSEARCH_SHARDS,
                          "number_of_replicas": settings.ELASTICSEARCH_REPLICAS}
        if bulk_loading:
            index_settings.update(BULK_LOADING)
        self.client.indices.create(
            index=name, settings=index_settings, mappings=BusinessDocument._doc_type.mapping.to_dict()
        )
        return name

    def apply(self, business_ids, index=None):
        """Bring these businesses' documents in step with the database: index
        the public ones, delete the rest. Raises if the engine refused anything
        but a missing delete or a version older than the one it holds."""
        return self.send(self.prepare(business_ids, index=index))

    def prepare(self, business_ids, index=None):
        """The bulk actions for these businesses as the database has them now,
        each carrying the profile's search version."""
        if index is None:
            self.ensure_index()
            index = self.alias
        business_ids = set(business_ids)
        businesses = list(for_documents(Business.objects.filter(pk__in=business_ids)))
        gone = business_ids - {business.pk for business in businesses}
        return self.actions_for(businesses, index=index) + [
            {"_op_type": "delete", "_index": index, "_id": pk, **_versioned(GONE_VERSION)} for pk in sorted(gone)
        ]

    def actions_for(self, businesses, *, index):
        """The bulk actions for these loaded businesses: the public ones
        indexed, the others deleted."""
        actions = []
        for business in businesses:
            action = {"_index": index, "_id": business.pk, **_versioned(business.search_version)}
            if business.is_public:
                actions.append({**action, "_op_type": "index", "_source": document(business)})
            else:
                actions.append({**action, "_op_type": "delete"})
        return actions

    def send(self, actions):
        """Write prepared actions in bulk; return how many were applied.

        An action the index refuses because it already holds a newer version
        of the document lost to a write that came later, and counts as applied,
        as does deleting a document that is not there.
        """
        refused = []
        for start in range(0, len(actions), CHUNK_SIZE):
            response = self.client.bulk(operations=_bulk_body(actions[start:start + CHUNK_SIZE]), refresh=False)
            if response["errors"]:
                refused += [item for item in response["items"] if not _applied(item)]
        if refused:
            raise RuntimeError(f"Elasticsearch refused {len(refused)} action(s): {refused[:3]}")
        return len(actions)

    def rebuild(self, progress=None, chunk_size=CHUNK_SIZE):
        """Build a new index from the database and swap the alias to it.

        Searches keep using the old index until the swap. Writes made while the
        bulk load runs go to the old index through the alias, so the new one is
        compared with the database and repaired (edits, publications, and
        profiles deleted, suspended or lapsed meanwhile) just before and again
        just after the swap.
        """
        # Indices that serve nothing were left by a rebuild that died before its swap.
        serving = self._alias_targets()
        abandoned = [name for name in self.client.indices.get(index=f"{self.alias}-*") if name not in serving]
        new_index = self._create_index(bulk_loading=True)
        # What the new index holds: {id: state}, the state a hash of the
        # profile's update time and search version (see _state), or None once
        # a repair sent a newer document. Only this rebuild writes to the
        # index until the swap, so comparing the database with this map finds
        # what changed meanwhile without reading the index back; an int per
        # profile keeps the map small at any size.
        loaded = {}
        # The engine indexes one chunk while the next is read and built: the
        # two sides run on different cores instead of taking turns.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="rebuild-bulk") as sender:
            in_flight, sent = None, 0
            for chunk in public_chunks(chunk_size):
                actions = self.actions_for(chunk, index=new_index)
                loaded.update((row.pk, row.state) for row in chunk)
                self._wait(in_flight, sent, progress)
                in_flight, sent = sender.submit(self.send, actions), len(chunk)
            self._wait(in_flight, sent, progress)
        self.client.indices.put_settings(
            index=new_index,
            settings={**dict.fromkeys(BULK_LOADING), "number_of_replicas": settings.ELASTICSEARCH_REPLICAS},
        )
        self._repair(self._changed_since(loaded), new_index, loaded=loaded)
        old = self._alias_targets()
        actions = [{"remove": {"index": index, "alias": self.alias}} for index in old]
        actions.append({"add": {"index": new_index, "alias": self.alias}})
        self.client.indices.update_aliases(actions=actions)
        # Writes that went to the old index between the check and the swap.
        self._repair(self._changed_since(loaded), new_index, loaded=loaded)
        for index in old + abandoned:
            self.client.indices.delete(index=index, ignore_unavailable=True)
        return {"index": new_index, "documents": len(loaded), "replaced": old, "abandoned": abandoned}

    @staticmethod
    def _wait(in_flight, sent, progress):
        if in_flight is None:
            return
        in_flight.result()  # raises what the engine refused
        if progress is not None:
            progress.advance(sent)

    def _alias_targets(self):
        if not self.client.indices.exists_alias(name=self.alias):
            return []
        return list(self.client.indices.get_alias(name=self.alias).keys())

    def indexed_versions(self, index=None):
        """{business id: (updated_at, search version)} as the index holds them."""
        versions = {}
        hits = helpers.scan(self.client, index=index or self.alias, query={"_source": ["updated_at"]}, size=1000,
                            version=True)
        for hit in hits:
            versions[int(hit["_id"])] = (hit["_source"].get("updated_at"), hit["_version"])
        return versions

    def _drift(self, index):
        """Ids the index holds but should not ("extra": not in the public
        directory), lacks ("missing"), or holds in another state than the
        database ("stale": another update time or version)."""
        self.client.indices.refresh(index=index)
        indexed = self.indexed_versions(index)
        expected = {
            pk: (updated_at, version)
            for pk, updated_at, version in Business.objects.public().values_list("pk", "updated_at", "search_version")
        }
        return {
            "missing": sorted(set(expected) - set(indexed)),
            "extra": sorted(set(indexed) - set(expected)),
            "stale": sorted(
                pk for pk in set(expected) & set(indexed)
                if (_parse_time(indexed[pk][0]), indexed[pk][1]) != expected[pk]
            ),
        }

    def _changed_since(self, loaded):
        """The drift of an index that holds exactly `loaded` (see _drift),
        reading the database's states as a stream."""
        missing, stale, seen = [], [], set()
        states = Business.objects.public().order_by("pk").values_list("pk", _UPDATED_AT_TEXT, "search_version")
        for pk, updated_at, version in states.iterator(chunk_size=5000):
            seen.add(pk)
            state = loaded.get(pk)
            if state is None:
                missing.append(pk)
            elif state != _state(updated_at, version):
                stale.append(pk)
        return {"missing": missing, "extra": sorted(set(loaded) - seen), "stale": stale}

    def _repair(self, drift, index, loaded=None):
        """Apply the drifted ids to the index; keep `loaded`, the map of what
        it holds, in step."""
        drifted = drift["missing"] + drift["extra"] + drift["stale"]
        for start in range(0, len(drifted), CHUNK_SIZE):
            ids = drifted[start:start + CHUNK_SIZE]
            actions = self.prepare(ids, index=index)
            self.send(actions)
            if loaded is not None:
                for action in actions:
                    if action["_op_type"] == "index":
                        # Its state is not read with the document: the next
                        # comparison counts it as missing and sends it again,
                        # exact at the cost of a few documents sent twice.
                        loaded[action["_id"]] = None
                    else:
                        loaded.pop(action["_id"], None)
        self.client.indices.refresh(index=index)

    def reconcile(self, fix=False):
        """Compare ids, update times and versions between database and index;
        optionally repair."""
        self.ensure_index()
        drift = self._drift(self.alias)
        if fix:
            self._repair(drift, self.alias)
        return drift

    def refresh(self):
        self.client.indices.refresh(index=self.alias)

    def status(self):
        outbox = OutboxEntry.objects.order_by("created_at").values_list("created_at", flat=True)
        indices = {}
        target = []
        if self.client.indices.exists_alias(name=self.alias):
            target = list(self.client.indices.get_alias(name=self.alias).keys())
        for name in self.client.indices.get(index=f"{self.alias}-*"):
            indices[name] = self.client.count(index=name)["count"]
        return {
            "backend": self.name,
            "alias": self.alias,
            "alias_target": target,
            "indices": indices,
            "documents": sum(indices[i] for i in target if i in indices),
            "outbox": outbox.count(),
            "oldest_outbox_entry": outbox.first(),
        }

    def delete_all(self):
        """Remove every index of this prefix (tests and `search_index rebuild --reset`)."""
        try:
            self.client.indices.delete(index=f"{self.alias}-*", ignore_unavailable=True)
        except NotFoundError:
            pass


def public_chunks(size=CHUNK_SIZE):
    """Public businesses in primary-key order, a chunk at a time, as
    document() reads them: keyset pagination (pk > last) stays fast on a big
    table where OFFSET would not.

    The search entries are read apart, by the chunk's range of ids: joined
    to the firms, PostgreSQL merges the whole entry table from its start for
    every chunk, so a rebuild grew with the square of the directory."""
    columns = [*_PLAIN_COLUMNS, *(Cast(name, TextField()) for name in _JSON_COLUMNS),
               *(f"city__{name}" for name in _City._fields), _UPDATED_AT_TEXT]
    plain, firm = len(_PLAIN_COLUMNS), len(_PLAIN_COLUMNS) + len(_JSON_COLUMNS)
    city, version = firm + len(_City._fields), _PLAIN_COLUMNS.index("search_version")
    last = 0
    while True:
        rows = list(Business.objects.public().filter(pk__gt=last).order_by("pk").values_list(*columns)[:size])
        if not rows:
            return
        entries = {
            entry[0]: _Entry(*entry[1:]) for entry in SearchEntry.objects.filter(
                business_id__gte=rows[0][0], business_id__lte=rows[-1][0]
            ).values_list("business_id", *_Entry._fields)
        }
        yield [
            _PublicRow(*row[:plain], *map(orjson.loads, row[plain:firm]), _City(*row[firm:city]), entries.get(row[0]),
                       _state(row[city], row[version]))
            for row in rows
        ]
        last = rows[-1][0]


# What document() and token_columns() read of a firm, its city and its
# search entry. A rebuild reads every firm, and building a Django model for
# each (three, with the city and the entry) was a third of its time; these
# rows cost a tuple each. The JSON columns come as text for orjson, which
# reads them several times faster than the JSON field's own decoding.
_PLAIN_COLUMNS = (
    "pk", "slug", "name", "description", "offers_text", "seeks_text", "description_language", "verified_at",
    "confirmed_at", "updated_at", "search_version",
)
_JSON_COLUMNS = (
    "naics", "offers_hs", "seeks_hs", "suggested_offers_hs", "suggested_seeks_hs", "trade_roles", "languages",
    "certifications",
)
_City = namedtuple("_City", "slug name country relationship")
_Entry = namedtuple("_Entry", "version analysis name_tokens offers_tokens seeks_tokens body_tokens")


class _PublicRow(namedtuple("_PublicRow", [*_PLAIN_COLUMNS, *_JSON_COLUMNS, "city", "search_entry", "state"])):
    """A firm as document() reads it, and its state (see _state) for the
    rebuild's comparisons."""

    __slots__ = ()
    is_public = True  # read through Business.objects.public()


def _state(updated_at, version):
    # A collision would need two states of one profile to share a 64-bit hash.
    return hash((updated_at, version))


# The update time as the state reads it: text, as the database writes it
# (read back as a datetime it took two thirds of a comparison's time).
_UPDATED_AT_TEXT = Cast("updated_at", CharField())


def _versioned(version):
    # external_gte: an equal version is the same state of the row, and writing
    # it again lets a repair refresh what the document derives from elsewhere
    # (a city's name); an older version is refused.
    return {"version": version, "version_type": "external_gte"}


def _bulk_body(actions):
    """The _bulk request's NDJSON: each action's metadata line, and the
    document after it for an index. Written here rather than by the client's
    bulk helper, which copies and re-chunks every action on its way."""
    lines = []
    for action in actions:
        metadata = {key: value for key, value in action.items() if key not in ("_op_type", "_source")}
        lines.append(orjson.dumps({action["_op_type"]: metadata}))
        if "_source" in action:
            lines.append(orjson.dumps(action["_source"]))
    lines.append(b"")
    return b"\n".join(lines)


def _applied(item):
    """Whether a bulk response item counts as applied: written, or refused
    only because the index holds a newer version, or a delete of a document
    that is not there."""
    (op, result), = item.items()
    status = result.get("status", 200)
    return 200 <= status < 300 or status == 409 or (op == "delete" and status == 404)


def _parse_time(value):
    if value is None:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
