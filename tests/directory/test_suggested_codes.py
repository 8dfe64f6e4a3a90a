"""Codes read from a firm's own words are offered on its profile, and become
its codes only when the firm confirms them."""

import json

import pytest
from rest_framework.authtoken.models import Token

from directory import importer, services
from directory.models import Business, BusinessRevision, BusinessTerm
from tests.conftest import profile_data

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def words_only(**overrides):
    return profile_data(**{
        "name": "Hanbit Brake Works", "city": "seongnam", "description_language": "ko",
        "description": "성남시의 자동차 부품 제조업체입니다.", "offers_hs": [], "offers_text": "브레이크 패드",
        "seeks_hs": [], "seeks_text": "café verde", "naics": ["336340"], **overrides,
    })


def as_owner(api, business):
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=business.owner)[0].key}")
    return api


def test_an_imported_row_without_codes_gets_the_codes_its_words_name_as_suggestions_only(tmp_path):
    row = {
        "external_id": "seongnam-007", "name": "한빛브레이크", "city": "Seongnam", "country": "KR",
        "description": "자동차 부품 제조업체입니다.", "description_language": "ko", "naics": ["336340"],
        "offers_hs": [], "offers_text": "브레이크 패드와 디스크", "seeks_hs": [], "seeks_text": "café verde",
        "trade_roles": ["manufacturer"], "languages": ["ko"], "contact_name": "김민준",
        "contact_email": "minjun@hanbit.example", "status": "published",
    }
    path = tmp_path / "rows.jsonl"
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    assert importer.import_file(path).created == 1
    business = Business.objects.get(external_id="seongnam-007")
    assert business.offers_hs == [] and business.seeks_hs == []
    assert any(code.startswith("8708") for code in business.suggested_offers_hs)
    assert any(code.startswith("0901") for code in business.suggested_seeks_hs)
    assert not business.terms.filter(kind__in=["offers", "seeks"]).exists()


def test_a_firm_that_confirms_the_suggested_codes_makes_them_its_own(api, make_user):
    owner = make_user("hanbit")
    business = services.create_business(actor=owner, data=words_only())
    response = as_owner(api, business).post(f"/api/v1/businesses/{business.slug}/confirm-codes/", {}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["offers_hs"] == business.suggested_offers_hs and body["seeks_hs"] == business.suggested_seeks_hs
    assert body["suggested_offers_hs"] == [] and body["suggested_seeks_hs"] == []
    business.refresh_from_db()
    assert BusinessTerm.objects.filter(business=business, kind="offers", value="8708").exists()


def test_one_side_can_be_confirmed_alone(api, make_user):
    business = services.create_business(actor=make_user("hanbit"), data=words_only())
    response = as_owner(api, business).post(
        f"/api/v1/businesses/{business.slug}/confirm-codes/", {"seeks": False}, format="json")
    assert response.status_code == 200
    assert response.json()["offers_hs"] and response.json()["seeks_hs"] == []


def test_on_a_published_profile_the_confirmed_codes_wait_for_review_like_any_change_of_codes(api, make_business, staff):
    business = make_business(**words_only())
    assert business.suggested_offers_hs
    response = as_owner(api, business).post(f"/api/v1/businesses/{business.slug}/confirm-codes/", {}, format="json")
    assert response.status_code == 200
    business.refresh_from_db()
    assert business.offers_hs == []
    assert response.json()["pending_changes"]["fields"]["offers_hs"] == business.suggested_offers_hs
    services.publish_business_changes(actor=staff, business=business)
    business.refresh_from_db()
    assert business.offers_hs and business.suggested_offers_hs == []


def test_nothing_to_confirm_is_a_conflict_and_a_stranger_may_not_confirm(api, make_business, make_user):
    coded = make_business()  # names its codes
    response = as_owner(api, coded).post(f"/api/v1/businesses/{coded.slug}/confirm-codes/", {}, format="json")
    assert response.status_code == 409
    other = make_business(**words_only())
    stranger = make_user("stranger")
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=stranger).key}")
    assert api.post(f"/api/v1/businesses/{other.slug}/confirm-codes/", {}, format="json").status_code == 403
    other.refresh_from_db()
    assert other.offers_hs == [] and not BusinessRevision.objects.filter(business=other).exists()


def test_suggestions_are_shown_to_the_firm_only(api, make_business, settings):
    settings.SEARCH_BACKEND = "database"  # written with the profile: no index to wait for
    business = make_business(**words_only())
    public = api.get(f"/api/v1/businesses/{business.slug}/").json()
    assert "suggested_offers_hs" not in public
    found = api.get("/api/v1/search/", {"q": "브레이크"}).json()["results"]
    assert found and all("suggested_offers_hs" not in hit for hit in found)
    assert "suggested_offers_hs" in as_owner(api, business).get(f"/api/v1/businesses/{business.slug}/").json()


def test_the_my_firms_page_shows_the_read_codes_and_a_button_that_uses_them(client, make_user):
    owner = make_user("hanbit")
    business = services.create_business(actor=owner, data=words_only())
    client.force_login(owner)
    page = client.get("/es/me/").content.decode()
    assert 'data-testid="suggested-codes"' in page
    assert "HS " + business.suggested_offers_hs[0] in page
    response = client.post(f"/es/me/firms/{business.slug}/use-suggested-codes/")
    assert response.status_code == 302
    business.refresh_from_db()
    assert business.offers_hs and business.seeks_hs
    assert 'data-testid="suggested-codes"' not in client.get("/es/me/").content.decode()
