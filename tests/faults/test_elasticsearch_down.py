"""The shared Elasticsearch node stopped during writes, and killed in the
middle of a rebuild. These run last in the session (see conftest.py) and
leave the node green."""

import pytest
from django.core.management import call_command

from directory.models import Business
from search import outbox, selectors
from search.backends import get_search_backend
from search.models import OutboxEntry
from search.query import SearchQuery

# Transactional like the tests they follow, which leave the database flushed:
# the partner cities are seeded again for them (tests/conftest.py).
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.stops_elasticsearch]


@pytest.fixture
def es(settings, es_prefix, shared_elasticsearch):
    settings.SEARCH_BACKEND = "elasticsearch"
    return get_search_backend("elasticsearch")


@pytest.fixture
def firms(make_business, es):
    made = {
        "hanbit": make_business(name="Hanbit Brake Works", city="seongnam", description_language="ko",
                                description="한빛브레이크는 자동차 브레이크 부품 제조업체입니다.", offers_hs=["870830"],
                                seeks_hs=[], seeks_text="", offers_text="브레이크 패드"),
        "frenos": make_business(name="Frenos Baeza", city="chihuahua", description_language="es",
                                description="Fabricamos frenos y discos de freno.", offers_hs=["870830"],
                                seeks_hs=[], seeks_text="", offers_text="pastillas de freno"),
        "meble": make_business(name="Lubuskie Meble", city="zielona-gora", description_language="pl",
                               description="Producent mebli drewnianych.", offers_hs=["940360"], seeks_hs=[],
                               seeks_text="", offers_text="meble drewniane"),
        "coffee": make_business(name="Cherry Creek Coffee Roasters", description="Specialty coffee roaster.",
                                seeks_hs=["090111"], seeks_text="green coffee beans"),
    }
    outbox.drain(backend=es)
    es.refresh()
    return made


def found(text):
    """(backend that answered, slugs found) for a search through the one search interface."""
    result = selectors.search(SearchQuery(text=text, with_facets=False))
    return result.backend, [hit.business.slug for hit in result.hits]


def test_with_elasticsearch_stopped_writes_succeed_search_falls_back_and_the_outbox_catches_up(
    es, firms, shared_elasticsearch, api, staff, make_user
):
    hanbit = firms["hanbit"]
    shared_elasticsearch.stop()
    try:
        # A firm edits its profile and a new one is published, through the API.
        api.force_authenticate(hanbit.owner)
        edited = api.patch(f"/api/v1/businesses/{hanbit.slug}/", {"description": "세라믹 브레이크 패드를 만듭니다."},
                           format="json")
        owner = make_user("new-owner")
        api.force_authenticate(owner)
        created = api.post("/api/v1/businesses/", {
            "name": "Adama Sesame Export", "city": "adama", "description": "Sesame seed exporter from Adama.",
            "description_language": "en", "naics": ["111120"], "offers_hs": ["120740"], "offers_text": "sesame seeds",
            "trade_roles": ["exporter"], "contact_name": "Abebe", "contact_email": "abebe@sesame.example",
        }, format="json")
        slug = created.json().get("slug")
        submitted = api.post(f"/api/v1/businesses/{slug}/submit/")
        api.force_authenticate(staff)
        published = api.post(f"/api/v1/businesses/{slug}/publish/")

        # Search answers from the database backend, with the new writes.
        assert found("세라믹") == ("database", [hanbit.slug])
        assert found("sesame") == ("database", [slug])
        # "freno" names HS 870830: the Spanish firm by its words first, the Korean one by its code.
        assert found("freno")[1] == [firms["frenos"].slug, hanbit.slug]
        # The engine cannot take the changes; they wait in the outbox.
        waiting = OutboxEntry.objects.count()
        with pytest.raises(selectors.ENGINE_ERRORS):
            outbox.drain()
        assert OutboxEntry.objects.count() == waiting
    finally:
        shared_elasticsearch.start()

    assert [r.status_code for r in (edited, created, submitted, published)] == [200, 201, 200, 200]
    assert waiting >= 4 and {hanbit.pk, Business.objects.get(slug=slug).pk} <= set(
        OutboxEntry.objects.values_list("business_id", flat=True))
    assert outbox.drain() == waiting
    assert not OutboxEntry.objects.exists()
    es.refresh()
    assert found("세라믹") == ("elasticsearch", [hanbit.slug])
    assert found("sesame") == ("elasticsearch", [slug])
    call_command("search_index", "reconcile")  # raises on an engine error; prints the drift
    assert es.reconcile() == {"missing": [], "extra": [], "stale": []}


def test_elasticsearch_killed_mid_rebuild_leaves_the_old_index_serving_and_a_rerun_completes(
    es, firms, shared_elasticsearch
):
    old_index = es.status()["alias_target"]
    # "freno" names HS 870830: the Spanish firm by its words, then the Korean one by its code.
    brake_makers = [firms["frenos"].slug, firms["hanbit"].slug]
    assert len(old_index) == 1 and found("freno") == ("elasticsearch", brake_makers)
    answers_during = []

    class KillAfterFirstChunk:
        def advance(self, n):
            answers_during.append(found("freno"))  # the old index still answers
            if len(answers_during) == 1:
                shared_elasticsearch.kill()
                answers_during.append(found("freno"))  # the database answers

    try:
        with pytest.raises(selectors.ENGINE_ERRORS):
            es.rebuild(progress=KillAfterFirstChunk(), chunk_size=1)
        answers_during.append(found("freno"))
    finally:
        shared_elasticsearch.start()

    assert answers_during == [("elasticsearch", brake_makers), ("database", brake_makers),
                              ("database", brake_makers)]
    status = es.status()
    assert status["alias_target"] == old_index  # the swap never happened
    assert len(status["indices"]) == 2  # and the half-built index is left behind
    es.refresh()
    assert found("freno") == ("elasticsearch", brake_makers)

    report = es.rebuild()
    status = es.status()
    assert status["alias_target"] == [report["index"]]
    assert list(status["indices"]) == [report["index"]]  # the old and the half-built one are gone
    assert status["documents"] == len(firms)
    assert found("freno") == ("elasticsearch", brake_makers)
    assert es.reconcile() == {"missing": [], "extra": [], "stale": []}
