"""Ranking serves the person searching, on every backend: a supplier that
offers the code a query names ranks with one that writes the words, what
firms offer outranks what they seek, and a signed-in firm's own city does not
crowd out the partner cities."""

import pytest
from django.utils import translation
from rest_framework.authtoken.models import Token

from directory import glossary
from search import query
from search.query import SearchQuery
from tests.search.conftest import sync

pytestmark = pytest.mark.django_db


@pytest.fixture
def bicycles(backend, make_business):
    """Firms that have something to do with bicycles, each in another way."""
    firms = {
        # writes the word where it says what it offers
        "writes": make_business(name="Front Range Cycle Works", city="aurora", offers_text="bicycles and bicycle frames",
                                seeks_hs=[], seeks_text="", description="Bicycle assembly in Aurora."),
        # offers the code, in Chinese only
        "code": make_business(name="新北鐵馬股份有限公司", city="new-taipei-city", description_language="zh-Hant",
                              description="新北市的自行車製造商。", offers_hs=["871200"], offers_text="自行車",
                              seeks_hs=[], seeks_text=""),
        # mentions the word only in its description
        "mentions": make_business(name="Colfax Events", city="aurora", description="We organise a bicycle race every June.",
                                  offers_text="event planning", seeks_hs=[], seeks_text="", naics=["561920"]),
        # wants bicycles
        "seeks": make_business(name="Mile High Bike Imports", city="aurora", seeks_hs=["871200"],
                               seeks_text="bicycles for our shops", description="Retail chain in Colorado."),
        # has nothing to do with them
        "other": make_business(name="Chihuahua Pecans", city="chihuahua", description_language="es",
                               description="Nuez pecanera de Chihuahua.", offers_hs=["080299"], offers_text="nuez",
                               seeks_hs=[], seeks_text=""),
    }
    sync(backend)
    return firms


def ranked(backend, **kwargs):
    return [hit.business.pk for hit in backend.search(SearchQuery(**kwargs)).hits]


def test_a_supplier_that_offers_the_named_code_ranks_with_one_that_writes_the_word(backend, bicycles):
    order = ranked(backend, text="bicycles")
    assert set(order[:2]) == {bicycles["writes"].pk, bicycles["code"].pk}
    assert order[2:] == [bicycles["mentions"].pk, bicycles["seeks"].pk]


def test_for_a_plain_query_what_firms_offer_outranks_what_they_seek(backend, bicycles):
    order = ranked(backend, text="bicycle")
    assert order.index(bicycles["code"].pk) < order.index(bicycles["seeks"].pk)
    assert order.index(bicycles["writes"].pk) < order.index(bicycles["seeks"].pk)


def test_side_offers_finds_suppliers_only_and_side_seeks_buyers_only(backend, bicycles):
    suppliers = ranked(backend, text="bicycles", side="offers")
    assert bicycles["seeks"].pk not in suppliers
    assert {bicycles["writes"].pk, bicycles["code"].pk} <= set(suppliers)
    assert ranked(backend, text="bicycles", side="seeks") == [bicycles["seeks"].pk]
    assert ranked(backend, text="자전거", side="seeks") == [bicycles["seeks"].pk]


def test_a_signed_in_firm_sees_the_partner_cities_and_may_include_its_own(api, backend, bicycles):
    buyer = bicycles["seeks"]
    anonymous = [hit["slug"] for hit in api.get("/api/v1/search/", {"q": "bicycles"}).json()["results"]]
    assert bicycles["writes"].slug in anonymous

    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=buyer.owner).key}")
    own_city_left_out = api.get("/api/v1/search/", {"q": "bicycles"}).json()["results"]
    assert [hit["slug"] for hit in own_city_left_out] == [bicycles["code"].slug]
    included = [hit["slug"] for hit in api.get("/api/v1/search/", {"q": "bicycles", "include_own_city": "true"}).json()["results"]]
    assert bicycles["writes"].slug in included and bicycles["code"].slug in included


def test_the_directory_page_says_the_own_city_is_left_out_and_links_to_include_it(client, backend, bicycles):
    client.force_login(bicycles["seeks"].owner)
    page = client.get("/en/directory/", {"q": "bicycles"}).content.decode()
    assert "Front Range Cycle Works" not in page and "新北鐵馬股份有限公司" in page
    assert "Firms in Aurora are not shown" in page and "include_own_city=true" in page
    page = client.get("/en/directory/", {"q": "bicycles", "include_own_city": "true"}).content.decode()
    assert "Front Range Cycle Works" in page and 'name="include_own_city" value="true"' in page
    page = client.get("/en/directory/", {"q": "bicycles", "side": "seeks", "include_own_city": "true"}).content.decode()
    assert "Mile High Bike Imports" in page and "Front Range Cycle Works" not in page


def test_a_match_through_a_code_is_explained_in_the_readers_language(client, backend, bicycles):
    code = query.expand("bicycles")[0][0].code
    page = client.get("/ko/directory/", {"q": "bicycles"}).content.decode()
    korean_name = glossary.glossary().name_for(code, "ko")
    assert korean_name != glossary.glossary().name_for(code, "en")
    assert f"HS {code} — {korean_name}" in page
    with translation.override("en"):
        hits = backend.search(SearchQuery(text="bicycles")).hits
    reasons = next(hit.reasons for hit in hits if hit.business.pk == bicycles["code"].pk)
    assert reasons == [f"offers HS {code} — {glossary.glossary().name_for(code, 'en')}"]


def test_the_side_parameter_is_checked(api, backend, bicycles):
    response = api.get("/api/v1/search/", {"q": "bicycles", "side": "sellers"})
    assert response.status_code == 400 and "side" in response.json()
