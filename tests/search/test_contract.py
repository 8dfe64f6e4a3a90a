"""One contract, every backend: Elasticsearch, and the database backend on
PostgreSQL (the main pass of `make test`) and SQLite (the embedded pass).

Where a backend cannot do something, the test says so with an expected
failure and the reason, rather than leaving the behaviour untested.
"""

import pytest

from directory import glossary

from directory import services
from search import selectors
from search.query import SearchQuery
from tests.search.conftest import sync

pytestmark = pytest.mark.django_db


def names(result):
    return [hit.business.name for hit in result.hits]


@pytest.fixture
def indexed(backend, network):
    sync(backend)
    return network


def run(backend, **kwargs):
    return backend.search(SearchQuery(**kwargs))


def test_a_korean_word_finds_the_korean_profile(backend, indexed):
    assert names(run(backend, text="브레이크")) == ["Hanbit Brake Works"]


def test_chinese_text_is_found_through_bigrams(backend, indexed):
    # The maker first; the Aurora firm that seeks chips (HS 8542, which the words name) after it.
    assert names(run(backend, text="積體電路")) == ["新北精密電子股份有限公司", "Colfax Machinery"]
    assert names(run(backend, text="半導體")) == ["新北精密電子股份有限公司"]


def test_amharic_and_polish_words_are_found(backend, indexed):
    assert names(run(backend, text="ሰሊጥ")) == ["Adama Sesame Export"]
    assert names(run(backend, text="meble")) == ["Lubuskie Meble"]


def test_accents_and_case_are_folded(backend, indexed):
    assert names(run(backend, text="JACO")) == ["Pura Vida Surf Shop"]
    assert names(run(backend, text="Góra")) == ["Lubuskie Meble"]
    assert names(run(backend, text="gora")) == ["Lubuskie Meble"]


def test_english_and_spanish_words_match_their_stems(backend, indexed):
    assert "Front Range Brake Supply" in names(run(backend, text="rotor"))
    assert "Frenos Baeza" in names(run(backend, text="freno"))
    assert "Colfax Machinery" in names(run(backend, text="automating"))


def test_an_english_query_finds_a_profile_written_only_in_korean_through_its_codes(backend, indexed):
    result = run(backend, text="brake pads")
    found = {hit.business.name: hit for hit in result.hits}
    assert {"Hanbit Brake Works", "Frenos Baeza", "Front Range Brake Supply"} <= set(found)
    # The code is called by its everyday name, in the reader's language.
    assert f"offers HS 870830 — {glossary.glossary().name_for('870830', 'en')}" in found["Hanbit Brake Works"].reasons
    assert "Lubuskie Meble" not in found


def test_code_filters_match_at_any_level(backend, indexed):
    for prefix in ("87", "8708", "870830"):
        assert sorted(names(run(backend, offers=prefix))) == ["Frenos Baeza", "Hanbit Brake Works"]
    assert names(run(backend, seeks="8708")) == ["Front Range Brake Supply"]
    assert sorted(names(run(backend, naics="3363"))) == ["Frenos Baeza", "Hanbit Brake Works"]
    assert names(run(backend, offers="870830", text="Baeza")) == ["Frenos Baeza"]
    # "freno" names HS 870830 itself, so the Korean maker of brake pads is found too, after the words' owner.
    assert names(run(backend, offers="870830", text="freno")) == ["Frenos Baeza", "Hanbit Brake Works"]


def test_filters_narrow_the_results(backend, indexed):
    assert names(run(backend, city=["seongnam"])) == ["Hanbit Brake Works"]
    assert sorted(names(run(backend, country="cr"))) == ["Pura Vida Surf Shop"]
    assert sorted(names(run(backend, relationship="friendship"))) == ["新北精密電子股份有限公司"]
    assert sorted(names(run(backend, trade_role="importer"))) == ["Cherry Creek Coffee Roasters", "Front Range Brake Supply"]
    assert names(run(backend, verified=True)) == ["Hanbit Brake Works"]
    assert sorted(names(run(backend, language="zh"))) == ["新北精密電子股份有限公司"]
    assert "Colfax Machinery" in names(run(backend, language="es"))  # spoken, not written


def test_drafts_and_lapsed_profiles_are_never_found(backend, indexed):
    everything = names(run(backend, page_size=100))
    assert len(everything) == 9
    assert "Hidden Brake Draft" not in everything and "Lapsed Brake Works" not in everything
    assert not {"Hidden Brake Draft", "Lapsed Brake Works"} & set(names(run(backend, text="brake")))


def test_facets_count_the_matching_profiles(backend, indexed):
    facets = run(backend, offers="8708").facets
    assert {f["value"]: f["count"] for f in facets["city"]} == {"seongnam": 1, "chihuahua": 1}
    assert {f["value"]: f["label"] for f in facets["city"]}["seongnam"] == "Seongnam"
    assert {f["value"]: f["count"] for f in facets["offers"]} == {"87": 2}
    assert {f["value"]: f["count"] for f in facets["naics"]} == {"31-33": 2}
    assert {f["value"]: f["count"] for f in facets["relationship"]} == {"sister": 2}
    assert {f["value"]: f["count"] for f in facets["trade_role"]} == {"manufacturer": 2, "exporter": 1}
    assert {f["value"]: f["count"] for f in facets["language"]} == {"ko": 1, "en": 2, "es": 1}
    assert set(facets) == {"city", "country", "relationship", "naics", "offers", "seeks", "trade_role", "language"}


def test_pages_and_totals(backend, indexed):
    first = run(backend, page=1, page_size=4)
    second = run(backend, page=2, page_size=4)
    third = run(backend, page=3, page_size=4)
    assert first.total == second.total == 9
    assert len(first.hits) == 4 and len(second.hits) == 4 and len(third.hits) == 1
    assert not set(names(first)) & set(names(second))
    assert first.backend == backend.name


def test_hits_come_in_the_engines_order_best_first(backend, indexed):
    hits = run(backend, text="brake").hits
    scores = [hit.score for hit in hits]
    assert scores == sorted(scores, reverse=True)
    assert hits[0].business.name in ("Front Range Brake Supply", "Hanbit Brake Works")


def test_highlights_mark_the_words_and_escape_the_text(backend, indexed):
    business = indexed["Colfax Machinery"]
    services.update_business(actor=business.owner, business=business,
                             data={"description": "<script>alert(1)</script> automation & robots"})
    sync(backend)
    hit = run(backend, text="automation").hits[0]
    assert hit.business.name == "Colfax Machinery"
    assert "<script>" not in hit.highlights["description"]
    assert "&lt;script&gt;" in hit.highlights["description"]
    assert "<em>automation</em>" in hit.highlights["description"]


def test_an_edit_is_searchable_once_synced(backend, indexed, staff):
    business = indexed["Pura Vida Surf Shop"]
    services.update_business(actor=business.owner, business=business, data={"offers_text": "kayaks"})
    sync(backend)
    assert names(run(backend, text="kayaks")) == []  # waiting for review: the published words stay
    services.publish_business_changes(actor=staff, business=business)
    sync(backend)
    assert names(run(backend, text="kayaks")) == ["Pura Vida Surf Shop"]
    services.suspend_business(actor=staff, business=business, reason="test")
    sync(backend)
    assert names(run(backend, text="kayaks")) == []


def test_a_profile_that_left_the_directory_is_not_shown_while_the_index_catches_up(backend, indexed, staff):
    firm = indexed["Hanbit Brake Works"]
    services.suspend_business(actor=staff, business=firm, reason="counterfeit parts")
    # Not synced: the outbox row waits, and Elasticsearch still holds the document.
    if backend.name == "elasticsearch":
        assert backend.client.exists(index=backend.alias, id=firm.pk)
    assert "Hanbit Brake Works" not in names(run(backend, text="brake"))
    assert "Hanbit Brake Works" not in names(run(backend, offers="8708"))
    assert "Hanbit Brake Works" not in names(run(backend, page_size=50))
    assert not [r for r in selectors.suggest("hanb") if r["kind"] == "business"]


@pytest.mark.parametrize("text", [
    '"', "'", "brake\"", "(((", "AND OR NOT", "*", "a:b", "brake^2", "NEAR(a b)", "-", "\\", "%", "_",
    "x" * 400, "🚗 brake", "\u0000", "SELECT * FROM directory_business;", "브레이크\" OR 1=1",
])
def test_any_text_is_a_query_not_an_error(backend, indexed, text):
    result = run(backend, text=text)
    assert result.total >= 0


def test_typos_are_forgiven(backend, indexed):
    assert "Front Range Brake Supply" in names(run(backend, text="brkae"))
    assert "Cherry Creek Coffee Roasters" in names(run(backend, text="cofee roaster"))
    assert "Colfax Machinery" in names(run(backend, text="automaton machinery"))


def test_complementary_partners_meet_needs_across_the_home_city_boundary(backend, indexed):
    buyer = indexed["Front Range Brake Supply"]
    ids = [pk for pk, _ in backend.complementary(buyer, k=10)]
    assert set(ids) == {indexed["Hanbit Brake Works"].pk, indexed["Frenos Baeza"].pk}
    machinery = indexed["Colfax Machinery"]
    partners = {pk for pk, _ in backend.complementary(machinery, k=10)}
    # It offers machinery three partner firms seek, and seeks chips one offers.
    assert partners == {indexed["新北精密電子股份有限公司"].pk, indexed["Frenos Baeza"].pk, indexed["Adama Sesame Export"].pk}


def test_partner_firms_are_paired_with_home_city_firms_only_by_default(backend, indexed, settings):
    seller = indexed["Frenos Baeza"]  # offers brakes Aurora seeks, seeks machinery Aurora offers
    partners = {pk for pk, _ in backend.complementary(seller, k=10)}
    assert partners == {indexed["Colfax Machinery"].pk, indexed["Front Range Brake Supply"].pk}


def test_suggestions_offer_names_and_codes(backend, indexed, settings):
    results = selectors.suggest("brake")
    codes = [r["code"] for r in results if r["kind"] == "hs"]
    assert "870830" in codes and "8708" in codes
    names_offered = [r["title"] for r in selectors.suggest("Front Ra") if r["kind"] == "business"]
    assert names_offered == ["Front Range Brake Supply"]
    assert [r["slug"] for r in selectors.suggest("hanb") if r["kind"] == "business"] == [indexed["Hanbit Brake Works"].slug]
