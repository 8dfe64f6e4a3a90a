import json

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
