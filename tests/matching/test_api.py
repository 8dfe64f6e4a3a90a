import pytest
from django.utils import timezone

from matching import runs
from matching.models import Introduction

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]
Status = Introduction.Status


@pytest.fixture
def proposals(make_business, settings):
    settings.SEARCH_BACKEND = "database"
    buyer = make_business(name="Front Range Brake Supply", seeks_hs=["870830"], trade_roles=["importer"])
    seongnam = make_business(name="Hanbit Brake Works", city="seongnam", offers_hs=["870830"], seeks_hs=[],
                             seeks_text="", trade_roles=["exporter"])
    chihuahua = make_business(name="Frenos Baeza", city="chihuahua", offers_hs=["870830"], seeks_hs=[],
                              seeks_text="", trade_roles=["exporter"])
    runs.run_matching_now(full=True)
    return buyer, seongnam, chihuahua


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def test_staff_see_the_queue_with_reasons_and_both_firms(api, staff, proposals):
    buyer, seongnam, _ = proposals
    api.force_authenticate(staff)
    body = api.get("/api/v1/introductions/").json()
    assert body["count"] == 2
    item = next(i for i in body["results"] if i["business_b"]["slug"] == seongnam.slug)
    assert item["status"] == "proposed" and 0 < item["score"] <= 1
    assert item["business_a"] == {"slug": buyer.slug, "name": buyer.name, "city": {
        "name": "Aurora", "slug": "aurora", "country": "US", "relationship": "home"}}
    assert item["reasons"][0]["code"] == "offers_what_you_seek" and item["reasons"][0]["text"]
    assert "contact_email" not in str(body)


def test_staff_filter_by_status_city_pair_and_score(api, staff, proposals):
    _, seongnam, _ = proposals
    api.force_authenticate(staff)
    pair = Introduction.objects.get(business_b=seongnam)
    Introduction.objects.filter(pk=pair.pk).update(status=Status.APPROVED, decided_at=timezone.now())
    assert ids(api.get("/api/v1/introductions/", {"status": "approved"})) == [pair.pk]
    assert ids(api.get("/api/v1/introductions/", {"city_pair": "seongnam,aurora"})) == [pair.pk]
    assert len(ids(api.get("/api/v1/introductions/", {"min_score": 0.3, "max_score": 1}))) == 2
    assert ids(api.get("/api/v1/introductions/", {"min_score": 0.99})) == []
    assert api.get("/api/v1/introductions/", {"city_pair": "aurora"}).status_code == 400
    assert api.get("/api/v1/introductions/", {"min_score": "high"}).status_code == 400


def test_a_firm_sees_its_introductions_only_once_staff_approved_them(api, proposals, make_user):
    buyer, seongnam, chihuahua = proposals
    api.force_authenticate(buyer.owner)
    assert ids(api.get("/api/v1/introductions/")) == []  # still proposals: not for firms' eyes
    approved = Introduction.objects.get(business_b=seongnam)
    Introduction.objects.filter(pk=approved.pk).update(status=Status.APPROVED)
    assert ids(api.get("/api/v1/introductions/")) == [approved.pk]
    api.force_authenticate(chihuahua.owner)
    assert ids(api.get("/api/v1/introductions/")) == []
    api.force_authenticate(make_user("bystander"))
    assert ids(api.get("/api/v1/introductions/")) == []
    assert api.get(f"/api/v1/introductions/{approved.pk}/").status_code == 404


def test_a_city_volunteer_sees_the_pairs_touching_their_city(api, proposals, seongnam_volunteer):
    _, seongnam, _ = proposals
    api.force_authenticate(seongnam_volunteer)
    assert ids(api.get("/api/v1/introductions/")) == [Introduction.objects.get(business_b=seongnam).pk]


def test_anonymous_visitors_see_no_introductions(api, proposals):
    assert api.get("/api/v1/introductions/").status_code == 401
