"""What only the Elasticsearch backend has to prove: a clean index, writes that
survive the engine being away, and rebuilds that lose nothing."""

import json
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from directory import services
from directory.models import Business
from search import indexing, outbox
from search.backends import get_search_backend
from search.models import OutboxEntry, SearchEntry
from search.query import SearchQuery
from tests.search.conftest import sync

ROOT = Path(__file__).resolve().parents[2]
DEAD_ENGINE = "http://127.0.0.1:9"  # the discard port: nothing listens there

pytestmark = pytest.mark.django_db


@pytest.fixture
def es(settings, es_prefix):
    settings.SEARCH_BACKEND = "elasticsearch"
    return get_search_backend("elasticsearch")


def test_the_raw_index_holds_no_contact_details_or_owner(es, network):
    sync(es)
    raw = es.client.search(index=es.alias, size=100, query={"match_all": {}})
    documents = json.dumps([hit["_source"] for hit in raw["hits"]["hits"]], ensure_ascii=False)
    assert len(raw["hits"]["hits"]) == 9
    assert "secret.example" not in documents and "555 01" not in documents and "Dana Whitfield" not in documents
    mapping = json.dumps(es.client.indices.get_mapping(index=es.alias).body)
    for field in ("contact", "email", "phone", "owner"):
        assert field not in mapping
    # Nor can a search reach them.
    assert es.search(SearchQuery(text="private0@secret.example")).total == 0


def test_with_the_engine_down_edits_succeed_and_search_answers_from_the_database(es, network, settings, api):
    sync(es)
    live_url, settings.ELASTICSEARCH_URL = settings.ELASTICSEARCH_URL, DEAD_ENGINE
    firm = network["Hanbit Brake Works"]
    api.force_authenticate(firm.owner)
    before = OutboxEntry.objects.count()
    for n in range(100):
        response = api.patch(f"/api/v1/businesses/{firm.slug}/", {"description": f"브레이크 패드 {n}"}, format="json")
        assert response.status_code == 200
    assert OutboxEntry.objects.count() == before + 100  # waiting, not lost

    with pytest.raises(Exception):
        outbox.drain()  # the engine refuses...
    assert OutboxEntry.objects.count() == before + 100  # ...and nothing was dropped

    # The owner is signed in: its own city is shown only when asked for.
    found = api.get("/api/v1/search/", {"q": "브레이크 패드 99", "include_own_city": "true"}).json()
    assert found["backend"] == "database"
    # The last edit is what the database answers from (other brake firms come too, through HS 870830).
    hanbit = next(hit for hit in found["results"] if hit["slug"] == firm.slug)
    assert "99" in hanbit["highlights"]["description"]
    suggestions = api.get("/api/v1/search/suggest/", {"q": "hanb"}).json()["results"]
    assert [s["slug"] for s in suggestions if s["kind"] == "business"] == [firm.slug]

    settings.ELASTICSEARCH_URL = live_url  # the engine is back
    assert outbox.drain() == before + 100
    assert OutboxEntry.objects.count() == 0
    drift = get_search_backend("elasticsearch").reconcile()
    assert drift == {"missing": [], "extra": [], "stale": []}
    live = api.get("/api/v1/search/", {"q": "브레이크 패드 99", "include_own_city": "true"}).json()
    assert live["backend"] == "elasticsearch"
    assert "99" in next(hit for hit in live["results"] if hit["slug"] == firm.slug)["highlights"]["description"]


def test_a_rebuild_loses_no_edit_made_while_it_runs(es, network, staff):
    sync(es)
    firms = list(Business.objects.public().order_by("pk"))
    edited = {}

    class EditWhileLoading:
        """Called between bulk chunks: profiles change mid-rebuild, and the
        outbox is drained to the live alias as a worker would."""

        def advance(self, n):
            firm = firms[len(edited) % len(firms)]
            if firm.name == "Pura Vida Surf Shop":
                services.suspend_business(actor=staff, business=firm, reason="closed for the season")
                edited[firm.pk] = None
            else:
                firm = services.update_business(actor=staff, business=firm, data={"name": f"{firm.name} (renamed)"})
                edited[firm.pk] = firm.name
            outbox.drain(backend=es)
            es.refresh()
            # Searches keep answering from the old index throughout.
            assert es.search(SearchQuery(page_size=50)).total >= len(firms) - 1

    report = es.rebuild(progress=EditWhileLoading(), chunk_size=2)
    assert len(edited) >= 4
    assert report["replaced"]  # the old index was swapped out and removed
    assert es.status()["alias_target"] == [report["index"]]

    indexed = {int(hit["_id"]): hit["_source"]["name"] for hit in
               es.client.search(index=es.alias, size=100, query={"match_all": {}})["hits"]["hits"]}
    for pk, name in edited.items():
        if name is None:
            assert pk not in indexed  # the suspension reached the new index
        else:
            assert indexed[pk] == name
    assert es.reconcile() == {"missing": [], "extra": [], "stale": []}


def test_an_older_document_arriving_last_never_replaces_the_newer_one(es, network, staff):
    sync(es)
    firm = network["Colfax Machinery"]

    # The after-commit drain reads the profile; before its bulk request lands,
    # an edit commits and beat's sweep indexes the newer state.
    late = es.prepare([firm.pk])
    firm = services.update_business(actor=staff, business=firm, data={"name": "Colfax Automation"})
    sync(es)
    assert es.send(late) == 1  # refused as older, which counts as applied
    es.refresh()
    assert es.client.get(index=es.alias, id=firm.pk)["_source"]["name"] == "Colfax Automation"

    # Nor does a late copy bring back a profile that was suspended meanwhile.
    late = es.prepare([firm.pk])
    services.suspend_business(actor=staff, business=firm, reason="counterfeit parts")
    sync(es)
    es.send(late)
    es.refresh()
    assert not es.client.exists(index=es.alias, id=firm.pk)
    assert es.reconcile() == {"missing": [], "extra": [], "stale": []}


def test_a_profile_deleted_during_a_rebuild_is_not_in_the_new_index(es, network, staff):
    sync(es)
    first = Business.objects.public().order_by("pk").first()
    doomed = first.pk

    class DeleteWhileLoading:
        """Called after each bulk chunk; the first chunk holds the first firm,
        which staff then delete, the outbox draining to the live alias as a
        worker would."""

        def advance(self, n):
            if Business.objects.filter(pk=doomed).exists():
                services.delete_business(actor=staff, business=first)
                outbox.drain(backend=es)

    report = es.rebuild(progress=DeleteWhileLoading(), chunk_size=2)
    assert es.status()["alias_target"] == [report["index"]]
    assert not Business.objects.filter(pk=doomed).exists()
    assert not es.client.exists(index=report["index"], id=doomed)
    assert es.search(SearchQuery(page_size=50)).total == 8
    assert es.reconcile() == {"missing": [], "extra": [], "stale": []}


def test_reconcile_reports_and_repairs_drift(es, network):
    sync(es)
    hanbit = Business.objects.get(pk=network["Hanbit Brake Works"].pk)
    # The index loses a document. Writes to it carry the profile's version; an
    # unversioned delete would leave a newer tombstone than the repair's write.
    es.client.delete(index=es.alias, id=hanbit.pk, refresh=True,
                     version=hanbit.search_version, version_type="external_gte")
    Business.objects.filter(pk=network["Frenos Baeza"].pk).update(
        name="Changed behind the outbox's back", updated_at=timezone.now()
    )
    drift = es.reconcile()
    assert drift["missing"] == [hanbit.pk]
    assert drift["stale"] == [network["Frenos Baeza"].pk]
    es.reconcile(fix=True)
    assert es.reconcile() == {"missing": [], "extra": [], "stale": []}


def test_the_search_index_command(es, network, capsys):
    call_command("search_index", "update")
    call_command("search_index", "rebuild")
    call_command("search_index", "status")
    call_command("search_index", "reconcile")
    out = capsys.readouterr().out
    assert "Built test_" in out and "with 9 documents" in out
    assert "documents              9" in out
    assert "Drift: 0" in out


def test_a_search_before_any_index_exists_creates_it_and_answers_from_the_engine(es, api):
    assert not es.client.indices.exists_alias(name=es.alias)
    for path in ("/api/v1/search/", "/api/v1/search/suggest/"):
        assert api.get(path, {"q": "brake"}).status_code == 200
    body = api.get("/api/v1/search/", {"q": "brake"}).json()
    assert body["backend"] == "elasticsearch" and body["count"] == 0  # not the database answering instead
    assert es.client.indices.exists_alias(name=es.alias)


def test_one_client_per_process_and_address(es, settings):
    from search.backends.elasticsearch import client

    assert client() is client() is es.client
    live_url, settings.ELASTICSEARCH_URL = settings.ELASTICSEARCH_URL, DEAD_ENGINE
    assert client() is not es.client
    settings.ELASTICSEARCH_URL = live_url
    assert client() is es.client


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_redis_outage_does_not_fail_profile_edits(settings, network, api):
    """Stop the real Redis: the edit commits, the outbox row waits for beat."""
    settings.SEARCH_BACKEND = "database"
    firm = network["Pura Vida Surf Shop"]
    api.force_authenticate(firm.owner)
    subprocess.run(["bash", str(ROOT / "tests/services/redis.sh"), "stop"], check=True)
    try:
        response = api.patch(f"/api/v1/businesses/{firm.slug}/", {"offers_text": "tablas y quillas"}, format="json")
    finally:
        subprocess.run(["bash", str(ROOT / "tests/services/redis.sh"), "start"], check=True)
    assert response.status_code == 200
    assert OutboxEntry.objects.filter(business_id=firm.pk).exists()


def test_documents_are_prepared_with_a_constant_number_of_queries(es, network, django_assert_max_num_queries):
    ids = list(Business.objects.values_list("pk", flat=True))
    es.ensure_index()
    with django_assert_max_num_queries(2):  # the businesses with their cities; nothing per profile
        es.apply(ids)


def _fresh_tokens(business):
    tokens = indexing.entry_tokens(business)
    return {"name_tokens": " ".join(tokens.name), "offers_tokens": " ".join(tokens.offers),
            "seeks_tokens": " ".join(tokens.seeks), "body_tokens": " ".join(tokens.body)}


def test_a_rebuild_indexes_the_tokens_a_fresh_analysis_would_make(es, network):
    es.rebuild()
    indexed = {int(hit["_id"]): hit["_source"] for hit in
               es.client.search(index=es.alias, size=100, query={"match_all": {}})["hits"]["hits"]}
    assert len(indexed) == 9
    for business in Business.objects.public().select_related("city"):
        source = indexed[business.pk]
        assert {field: source[field] for field in _fresh_tokens(business)} == _fresh_tokens(business)


def test_a_rebuild_writes_the_documents_an_edit_would(es, network):
    # The rebuild reads plain rows where the outbox loads models: both must
    # give the engine the same document, field for field.
    es.rebuild()
    rebuilt = {int(hit["_id"]): hit["_source"] for hit in
               es.client.search(index=es.alias, size=100, query={"match_all": {}})["hits"]["hits"]}
    public = list(Business.objects.public().values_list("pk", flat=True))
    es.apply(set(public))
    es.refresh()
    applied = {int(hit["_id"]): hit["_source"] for hit in
               es.client.search(index=es.alias, size=100, query={"match_all": {}})["hits"]["hits"]}
    assert len(rebuilt) == len(public) == 9
    assert rebuilt == applied
    assert all(source["offers"] or source["seeks"] or source["offers_read"] for source in rebuilt.values())


def test_an_entry_made_by_another_analysis_or_an_older_profile_is_analysed_again(es, network, staff):
    firm = network["Hanbit Brake Works"]
    # As a deployment with other analysis code would have left the entry: other tokens, another stamp.
    SearchEntry.objects.filter(business=firm).update(name_tokens="stale", body_tokens="stale", analysis="0" * 16)
    other = network["Frenos Baeza"]
    # An entry of an older state of the profile (a writer lost the race) is not used either.
    entry = SearchEntry.objects.get(business=other)
    services.update_business(actor=staff, business=other, data={"name": "Frenos Baeza Hermanos"})
    SearchEntry.objects.filter(business=other).update(version=entry.version, name_tokens="stale")

    es.rebuild()
    for business in Business.objects.filter(pk__in=[firm.pk, other.pk]).select_related("city"):
        source = es.client.get(index=es.alias, id=business.pk)["_source"]
        assert "stale" not in source["name_tokens"] + source["body_tokens"]
        assert source["name_tokens"] == _fresh_tokens(business)["name_tokens"]
    assert "hermanos" in es.client.get(index=es.alias, id=other.pk)["_source"]["name_tokens"]


def test_entries_are_stamped_with_the_running_analysis(network, staff):
    firm = services.update_business(actor=staff, business=network["Colfax Machinery"], data={"name": "Colfax Tools"})
    entry = SearchEntry.objects.get(business=firm)
    assert entry.analysis == indexing.analysis_fingerprint()
    assert len(entry.analysis) == 16 and entry.version == Business.objects.get(pk=firm.pk).search_version


def test_a_rebuild_reads_the_database_a_chunk_at_a_time(es, network):
    public = Business.objects.public().count()
    statements = {}
    for chunk_size in (2, 3, public):
        with CaptureQueriesContext(connection) as queries:
            es.rebuild(chunk_size=chunk_size)
        statements[chunk_size] = len(queries)
    # Two reads per chunk (the firms, then their search entries), plus the
    # read that finds no more firms.
    reads = {size: 2 * -(-public // size) + 1 for size in statements}
    # Besides those, the same few statements whatever the chunk size: the
    # comparisons with the database before and after the swap.
    assert len({statements[size] - reads[size] for size in statements}) == 1
    assert statements[public] - reads[public] <= 3
