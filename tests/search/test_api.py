import pytest

from directory import glossary

from tests.search.conftest import sync

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(backend, network):
    sync(backend)
    return network


def test_search_answers_with_results_facets_and_the_backend(api, backend, indexed):
    response = api.get("/api/v1/search/", {"q": "brake pads"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "results", "facets", "took_ms", "backend"}
    assert body["backend"] == backend.name
    hanbit = next(hit for hit in body["results"] if hit["name"] == "Hanbit Brake Works")
    assert hanbit["city"]["slug"] == "seongnam"
    assert any("HS 870830" in reason for reason in hanbit["reasons"])
    front_range = next(hit for hit in body["results"] if hit["name"] == "Front Range Brake Supply")
    assert "<em>brake</em>" in front_range["highlights"]["seeks_text"]
    assert set(body["facets"]) == {"city", "country", "relationship", "naics", "offers", "seeks", "trade_role", "language"}
    assert {"value", "label", "count"} == set(body["facets"]["city"][0])


def test_offers_8708_returns_partner_firms_offering_870830_in_any_language(api, backend, indexed):
    body = api.get("/api/v1/search/", {"offers": "8708"}).json()
    assert sorted(hit["name"] for hit in body["results"]) == ["Frenos Baeza", "Hanbit Brake Works"]
    assert {hit["description_language"] for hit in body["results"]} == {"ko", "es"}


def test_search_results_never_carry_contact_details(api, backend, indexed, staff):
    # Not even for staff, who may see contacts on a profile itself.
    api.force_authenticate(staff)
    text = api.get("/api/v1/search/", {"page_size": 50}).content.decode()
    assert "secret.example" not in text and "555 01" not in text
    for field in ("contact_email", "contact_phone", "contact_name", "owner"):
        assert f'"{field}"' not in text


def test_suggest_offers_hs_8708_for_brake(api, backend, indexed):
    results = api.get("/api/v1/search/suggest/", {"q": "brake"}).json()["results"]
    assert {"kind": "hs", "title": "Parts and accessories of the motor vehicles of headings 87.01 to 87.05",
            "code": "8708", "name": glossary.glossary().name_for("8708", "en")} in results
    assert any(r["kind"] == "business" and r["slug"] == indexed["Front Range Brake Supply"].slug for r in results)


@pytest.mark.parametrize("params, field", [
    ({"offers": "brakes"}, "offers"), ({"naics": "1234567"}, "naics"), ({"trade_role": "pirate"}, "trade_role"),
    ({"relationship": "rival"}, "relationship"), ({"verified": "maybe"}, "verified"), ({"page": "0"}, "page"),
    ({"page_size": "-1"}, "page_size"), ({"country": "USA"}, "country"), ({"q": "x" * 501}, "q"),
])
def test_bad_parameters_get_a_400_naming_them(api, backend, indexed, params, field):
    response = api.get("/api/v1/search/", params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("q", ['"', "(", "brake)", "a AND", "*:*", "<script>", "\\", "🚗", "%00"])
def test_odd_queries_answer_200(api, backend, indexed, q):
    assert api.get("/api/v1/search/", {"q": q}).status_code == 200
    assert api.get("/api/v1/search/suggest/", {"q": q}).status_code == 200


def test_page_size_is_capped_at_200(api, backend, indexed):
    body = api.get("/api/v1/search/", {"page_size": 1000}).json()
    assert body["count"] == 9 and len(body["results"]) == 9


def _timings(header):
    """{name: duration in ms} of a Server-Timing header value."""
    found = {}
    for metric in header.split(","):
        name, *parameters = [part.strip() for part in metric.split(";")]
        found[name] = next(float(p.split("=", 1)[1]) for p in parameters if p.startswith("dur="))
    return found


def test_the_answer_says_how_long_the_search_took_and_the_engine_within_it(api, backend, indexed):
    response = api.get("/api/v1/search/", {"q": "brake pads", "country": "KR"})
    timings = _timings(response["Server-Timing"])
    assert timings["search"] == response.json()["took_ms"]
    assert f'desc="{backend.name}"' in response["Server-Timing"]
    if backend.name == "elasticsearch":
        # Elasticsearch's own `took` for the search it ran, part of the whole.
        assert 0 <= timings["engine"] <= timings["search"]
    else:
        assert set(timings) == {"search"}


def test_the_directory_page_and_its_htmx_partial_carry_the_same_timings(client, backend, indexed):
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get("/en/directory/", {"q": "brake pads"}, headers=headers)
        assert response.status_code == 200
        assert set(_timings(response["Server-Timing"])) == (
            {"search", "engine"} if backend.name == "elasticsearch" else {"search"})


@pytest.mark.parametrize("q", ["", "brake pads", "브레이크", "coffee"])
def test_each_hit_is_written_as_its_serializer_describes_it(backend, indexed, q):
    from directory.models import Business
    from search import selectors
    from search.api import SearchHitSerializer, hit_data
    from search.query import SearchQuery

    # Fields the network leaves empty, filled on some firms.
    Business.objects.filter(name__in=["Hanbit Brake Works", "Frenos Baeza"]).update(
        founded_year=1987, employees="50-249", website="https://frenos.example", address="Av. Tecnológico 1",
        certifications=["ISO 9001", "IATF 16949"])
    result = selectors.search(SearchQuery(text=q, page_size=50))
    assert result.hits
    for hit in result.hits:
        business = hit.business
        business.highlights, business.reasons, business.score = hit.highlights, hit.reasons, hit.score
        described = SearchHitSerializer(business, context={"viewer": None}).data
        assert list(hit_data(hit).items()) == list(described.items())  # the same keys, in the same order
