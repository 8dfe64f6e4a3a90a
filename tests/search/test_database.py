import json
import tracemalloc

import pytest

from directory import demo_network, importer
from search.backends.database import DatabaseBackend
from search.query import SearchQuery

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def test_a_query_matching_more_firms_than_a_statement_may_list_still_answers(tmp_path):
    """Matches and facets are SQL conditions, never a list of ids, whose length
    one statement's parameters would cap (SQLite and psycopg both have a limit)."""
    records = demo_network.generate(count=1200, seed=11)
    for record in records:
        record["offers_text"] += " export"
    path = tmp_path / "network.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    assert importer.import_file(path).created == 1200

    backend = DatabaseBackend()
    everything = backend.search(SearchQuery(page_size=5))
    assert everything.total == 1200
    assert sum(f["count"] for f in everything.facets["city"]) == 1200
    exported = backend.search(SearchQuery(text="export", page_size=5))
    assert exported.total == 1200 and len(exported.hits) == 5
    assert sum(f["count"] for f in exported.facets["relationship"]) == 1200


def _import(tmp_path, records):
    path = tmp_path / f"network-{len(records)}.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    assert importer.import_file(path).created == len(records)


def _peak_memory(backend, query):
    backend.search(query)  # parsing and taxonomy caches are warm before measuring
    tracemalloc.start()
    try:
        result = backend.search(query)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, result


def test_a_search_takes_no_more_memory_in_a_directory_ten_times_the_size(tmp_path):
    """The embedded default and the fallback for a directory of any size:
    counts, pages and facets come from SQL, so a request holds one page and
    one row per facet value, however many firms match."""
    records = demo_network.generate(count=1000, seed=5)
    for record in records:
        record["offers_text"] += " export"
    backend = DatabaseBackend()
    queries = {"everything": SearchQuery(), "a word every firm has": SearchQuery(text="export")}

    _import(tmp_path, records[:100])
    small = {name: _peak_memory(backend, query) for name, query in queries.items()}
    _import(tmp_path, records[100:])
    large = {name: _peak_memory(backend, query) for name, query in queries.items()}

    for name in queries:
        (small_peak, small_result), (large_peak, large_result) = small[name], large[name]
        assert (small_result.total, large_result.total) == (100, 1000)
        assert len(small_result.hits) == len(large_result.hits) == 20
        assert large_peak < small_peak * 1.25, (name, small_peak, large_peak)


def test_a_search_sends_as_many_statements_whatever_the_directory_and_the_words(tmp_path):
    """The page, the count and the facets come in one statement, and the words
    that may be typos are looked up together: neither the directory's size,
    nor the hits, nor the number of words adds a statement."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    records = demo_network.generate(count=1000, seed=5)
    for record in records:
        record["offers_text"] += " export"
    backend = DatabaseBackend()
    queries = [SearchQuery(text="exprot"), SearchQuery(text="exprot cofee tabels bicycels", country="KR"),
               SearchQuery(text="export"), SearchQuery(text="export coffee", trade_role="exporter")]

    def statements():
        counts = []
        for query in queries:
            backend.search(query)  # warm the caches first
            with CaptureQueriesContext(connection) as captured:
                backend.search(query)
            counts.append(len(captured.captured_queries))
        return counts

    _import(tmp_path, records[:100])
    small = statements()
    _import(tmp_path, records[100:])
    assert statements() == small
    typos, known = small[:2], small[2:]
    assert typos[0] == typos[1] and known[0] == known[1]
    # One for the words (two more, on PostgreSQL three, for the neighbours of
    # words nobody used), one for page, count and facets, one for the hits,
    # one for the cities' names.
    assert known[0] == 4 and typos[0] - known[0] == (2 if connection.vendor == "postgresql" else 1)
