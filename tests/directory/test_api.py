import json
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from directory import services
from directory.models import Business

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]
Status = Business.Status
PRIVATE = ("contact_email", "contact_phone", "contact_name")

NEW_PROFILE = {
    "name": "Hanbit Brake Works",
    "city": "Seongnam",
    "description": "브레이크 패드와 디스크를 생산합니다.",
    "description_language": "ko",
    "naics": ["336340"],
    "offers_hs": ["8708.30"],
    "offers_text": "브레이크 패드",
    "trade_roles": ["manufacturer", "exporter"],
    "languages": ["ko", "en"],
    "contact_name": "김민준",
    "contact_email": "minjun.kim@hanbit.example",
    "contact_phone": "+82 31 555 0101",
}


def url(slug, action=None):
    return f"/api/v1/businesses/{slug}/" + (f"{action}/" if action else "")


def test_cities_list_the_network_with_relationships(api):
    response = api.get("/api/v1/cities/")
    assert response.status_code == 200
    kinds = {city["slug"]: city["relationship"] for city in response.json()}
    assert len(kinds) == 9
    assert kinds["aurora"] == "home"
    assert kinds["seongnam"] == kinds["zielona-gora"] == kinds["jaco"] == "sister"
    assert kinds["new-taipei-city"] == kinds["antiguo-cuscatlan"] == "friendship"


def test_anonymous_visitors_see_only_published_current_profiles_without_contacts(api, make_business):
    public = make_business(name="Public Firm")
    make_business(name="Draft Firm", status=Status.DRAFT)
    lapsed = make_business(name="Lapsed Firm")
    Business.objects.filter(pk=lapsed.pk).update(confirmed_at=timezone.now() - timedelta(days=400))

    listing = api.get("/api/v1/businesses/")
    assert listing.status_code == 200
    assert [item["name"] for item in listing.json()["results"]] == ["Public Firm"]
    detail = api.get(url(public.slug))
    assert detail.status_code == 200
    for body in (listing.content, detail.content):
        text = body.decode()
        assert "dana@frontrange-brakes.example" not in text and "+1 303 555 0100" not in text
    assert not set(PRIVATE) & set(detail.json())
    assert api.get(url(lapsed.slug)).status_code == 404


def test_each_item_carries_its_city_as_an_object(api, make_business):
    make_business(city="jaco", name="Pura Vida Surf")
    item = api.get("/api/v1/businesses/").json()["results"][0]
    assert item["city"] == {"name": "Jacó", "slug": "jaco", "country": "CR", "relationship": "sister"}


def test_a_firm_creates_its_profile_as_a_draft_and_sees_its_own_contact(api, make_user):
    owner = make_user("hanbit")
    api.force_authenticate(owner)
    response = api.post("/api/v1/businesses/", NEW_PROFILE, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert body["offers_hs"] == ["870830"]
    assert body["contact_email"] == "minjun.kim@hanbit.example"
    assert body["city"]["slug"] == "seongnam"
    assert Business.objects.get(slug=body["slug"]).owner == owner


def test_creating_a_profile_requires_signing_in(api):
    assert api.post("/api/v1/businesses/", NEW_PROFILE, format="json").status_code == 401


def test_token_authentication(api, make_user):
    make_user("hanbit")
    response = api.post("/api/v1/auth/token/", {"username": "hanbit", "password": "a-long-test-password"})
    assert response.status_code == 200
    token = response.json()["token"]
    assert token == Token.objects.get(user__username="hanbit").key
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/").json()["username"] == "hanbit"
    assert api.post("/api/v1/auth/token/", {"username": "hanbit", "password": "wrong"}).status_code == 400


@pytest.mark.parametrize("field, value", [
    ("status", "published"), ("verified_at", "2026-01-01T00:00:00Z"), ("external_id", "mine"), ("owner", 1),
    ("verified", True),
])
def test_owners_cannot_set_moderation_fields(api, make_business, field, value):
    business = make_business(status=Status.DRAFT)
    api.force_authenticate(business.owner)
    response = api.patch(url(business.slug), {field: value}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    business.refresh_from_db()
    assert business.status == Status.DRAFT and business.verified_at is None and business.external_id is None


@pytest.mark.parametrize("payload, field", [
    ({"offers_hs": ["999999"]}, "offers_hs"),
    ({"offers_hs": ["87083000"]}, "offers_hs"),
    ({"offers_hs": "870830"}, "offers_hs"),
    ({"naics": ["99"]}, "naics"),
    ({"city": "Atlantis"}, "city"),
    ({"city": None}, "city"),
    ({"founded_year": 2999}, "founded_year"),
    ({"founded_year": "nineteen"}, "founded_year"),
    ({"employees": "lots"}, "employees"),
    ({"trade_roles": ["smuggler"]}, "trade_roles"),
    ({"languages": ["not a language"]}, "languages"),
    ({"description_language": "korean!"}, "description_language"),
    ({"contact_email": "not-an-email"}, "contact_email"),
    ({"contact_phone": "call me maybe"}, "contact_phone"),
    ({"website": "http://"}, "website"),
    ({"country": "MX"}, "country"),
    ({"name": "x" * 201}, "name"),
    ({"description": "x" * 4001}, "description"),
    ({"offers_text": "x" * 1001}, "offers_text"),
    ({"seeks_text": "x" * 1001}, "seeks_text"),
    ({"naics": ["336340"] * 51}, "naics"),
    ({"offers_hs": ["870830"] * 51}, "offers_hs"),
    ({"seeks_hs": ["870830"] * 51}, "seeks_hs"),
    ({"trade_roles": ["exporter"] * 51}, "trade_roles"),
    ({"languages": ["en"] * 51}, "languages"),
    ({"certifications": ["ISO 9001"] * 51}, "certifications"),
])
def test_bad_input_gets_a_400_naming_the_field(api, make_business, payload, field):
    business = make_business(status=Status.DRAFT)
    api.force_authenticate(business.owner)
    response = api.patch(url(business.slug), payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_fields_at_their_limits_are_accepted(api, make_business):
    business = make_business(status=Status.DRAFT)
    api.force_authenticate(business.owner)
    at_limit = {
        "name": "x" * 200, "description": "x" * 4000, "offers_text": "x" * 1000, "seeks_text": "x" * 1000,
        "languages": ["en"] * 50, "certifications": [f"Cert {n}" for n in range(50)],
        "trade_roles": ["exporter"] * 50, "naics": ["336340"] * 50,
    }
    response = api.patch(url(business.slug), at_limit, format="json")
    assert response.status_code == 200, response.content
    business.refresh_from_db()
    assert len(business.description) == 4000 and len(business.certifications) == 50


def test_the_import_key_is_shown_only_to_the_firm_its_moderators_and_staff(
    api, client, make_user, staff, seongnam_volunteer
):
    from directory.models import City

    business, _ = services.import_business(
        data={"name": "Hanbit Brake Works", "city": City.objects.get(slug="seongnam"),
              "description": "Brake pads.", "offers_text": "brake pads"},
        external_id="kotra-2026-0042", status=Status.PUBLISHED,
    )
    owner = make_user("hanbit")
    services.assign_owner(actor=staff, business=business, owner=owner)
    elsewhere = make_user("adama-volunteer")
    elsewhere.volunteer_cities.set([City.objects.get(slug="adama")])

    for user in (None, make_user("rival"), elsewhere):
        api.force_authenticate(user)
        for response in (api.get(url(business.slug)), api.get("/api/v1/businesses/")):
            assert response.status_code == 200
            assert "kotra-2026-0042" not in response.content.decode(), user
    for user in (owner, seongnam_volunteer, staff):
        api.force_authenticate(user)
        assert api.get(url(business.slug)).json()["external_id"] == "kotra-2026-0042"
    page = client.get(f"/en/b/{business.slug}/")
    assert page.status_code == 200 and "kotra-2026-0042" not in page.content.decode()


@pytest.mark.parametrize("body", [
    "", "null", "[]", "42", '"text"', '{"name": ' + '"x"' * 3 + "}", '{"name": "' + "x" * 5000 + '"}',
    '{"city": {"slug": ["aurora"]}}', '{"offers_hs": [null, {}, []]}', '{"languages": "en"}',
    '{"founded_year": 1e400}', '{"name": "\\u0000"}',
])
def test_malformed_bodies_never_cause_a_server_error(api, make_business, body):
    business = make_business(status=Status.DRAFT)
    api.force_authenticate(business.owner)
    created = api.post("/api/v1/businesses/", body, content_type="application/json")
    assert created.status_code == 400, (body, created.status_code)
    # An empty patch is a valid no-op; anything else is refused, never a 500.
    edited = api.patch(url(business.slug), body, content_type="application/json")
    assert edited.status_code in (200, 400), (body, edited.status_code)


def test_editing_another_firms_profile_is_refused(api, make_business, make_user):
    published = make_business(name="Published Firm")
    draft = make_business(name="Draft Firm", status=Status.DRAFT)
    api.force_authenticate(make_user("rival"))
    assert api.patch(url(published.slug), {"name": "Mine now"}, format="json").status_code == 403
    assert api.patch(url(draft.slug), {"name": "Mine now"}, format="json").status_code == 404
    published.refresh_from_db()
    assert published.name == "Published Firm"


def test_the_full_moderation_loop_over_the_api(api, make_user, staff):
    owner = make_user("hanbit")
    api.force_authenticate(owner)
    slug = api.post("/api/v1/businesses/", NEW_PROFILE, format="json").json()["slug"]
    assert api.post(url(slug, "submit")).json()["status"] == "pending_review"
    assert api.post(url(slug, "publish")).status_code == 403  # an owner cannot publish
    assert api.post(url(slug, "verify")).status_code == 403  # nor verify

    api.force_authenticate(staff)
    published = api.post(url(slug, "publish"), {"verify": True}, format="json").json()
    assert published["status"] == "published" and published["verified"] is True
    assert api.post(url(slug, "publish")).status_code == 409  # already published
    assert api.post(url(slug, "suspend"), {}, format="json").status_code == 400  # reason required
    assert api.post(url(slug, "suspend"), {"reason": "Duplicate"}, format="json").json()["status"] == "suspended"

    api.force_authenticate(None)
    assert api.get(url(slug)).status_code == 404  # suspended: gone from public view


def test_owner_confirms_a_lapsed_profile_back_into_the_listing(api, make_business):
    business = make_business()
    Business.objects.filter(pk=business.pk).update(confirmed_at=timezone.now() - timedelta(days=400))
    api.force_authenticate(business.owner)
    body = api.get(url(business.slug)).json()
    assert body["is_expired"] is True
    assert api.post(url(business.slug, "confirm")).json()["is_expired"] is False
    api.force_authenticate(None)
    assert api.get(url(business.slug)).status_code == 200


# Who may do what. Each row: action, then the expected status for
# anonymous, owner, other firm, volunteer of the right city, volunteer of another city, staff.
MATRIX = [
    ("retrieve draft", 404, 200, 404, 200, 404, 200),
    ("edit draft", 401, 200, 404, 200, 404, 200),
    ("submit", 401, 200, 404, 403, 404, 403),
    ("publish", 401, 403, 404, 200, 404, 200),
    ("reject", 401, 403, 404, 200, 404, 200),
    ("verify", 401, 403, 404, 200, 404, 200),
    ("archive", 401, 200, 404, 200, 404, 200),
    ("suspend published", 401, 403, 403, 200, 403, 200),
    ("confirm published", 401, 200, 403, 200, 403, 200),
    ("edit published", 401, 200, 403, 200, 403, 200),
]
ACTORS = ["anonymous", "owner", "other_firm", "volunteer_here", "volunteer_elsewhere", "staff"]


@pytest.mark.parametrize("action", [row[0] for row in MATRIX])
@pytest.mark.parametrize("actor", ACTORS)
def test_permission_matrix(api, make_business, make_user, staff, seongnam_volunteer, action, actor):
    expected = dict(zip(ACTORS, next(row[1:] for row in MATRIX if row[0] == action)))[actor]
    status_for_action = {
        "submit": Status.DRAFT, "publish": Status.PENDING_REVIEW, "reject": Status.PENDING_REVIEW,
        "verify": Status.PENDING_REVIEW, "archive": Status.DRAFT,
    }
    initial = Status.PUBLISHED if action.endswith("published") else status_for_action.get(action, Status.DRAFT)
    business = make_business(city="seongnam", status=initial)
    other_firm = make_user("other-firm")
    make_business(owner=other_firm, name="Other Firm")
    elsewhere = make_user("adama-volunteer")
    elsewhere.volunteer_cities.set([business.city.__class__.objects.get(slug="adama")])
    user = {
        "anonymous": None, "owner": business.owner, "other_firm": other_firm,
        "volunteer_here": seongnam_volunteer, "volunteer_elsewhere": elsewhere, "staff": staff,
    }[actor]
    api.force_authenticate(user)

    verb = action.split()[0]
    if verb == "retrieve":
        response = api.get(url(business.slug))
    elif verb == "edit":
        response = api.patch(url(business.slug), {"address": "1 Main St"}, format="json")
    else:
        body = {"reason": "Not a real firm"} if verb in ("reject", "suspend") else {}
        response = api.post(url(business.slug, verb), body, format="json")
    assert response.status_code == expected, (action, actor, response.content)
    if expected == 200 and verb not in ("retrieve",):
        assert "contact_email" in response.json()


def test_list_filters(api, make_business, staff):
    make_business(name="Hanbit", city="seongnam", offers_hs=["870830"], seeks_hs=[], naics=["336340"],
                  trade_roles=["manufacturer", "exporter"], languages=["ko", "en"], description_language="ko")
    make_business(name="Adama Coffee", city="adama", offers_hs=["090111"], seeks_hs=["847989"], naics=["311920"],
                  trade_roles=["exporter"], languages=["am"], description_language="am")
    aurora = make_business(name="Front Range", seeks_hs=["870830"])
    services.verify_business(actor=staff, business=aurora)

    def names(**params):
        response = api.get("/api/v1/businesses/", params)
        assert response.status_code == 200, response.content
        return sorted(item["name"] for item in response.json()["results"])

    assert names(city="seongnam") == ["Hanbit"]
    assert names(city="seongnam,adama") == ["Adama Coffee", "Hanbit"]
    assert names(country="kr") == ["Hanbit"]
    assert names(relationship="home") == ["Front Range"]
    assert names(offers="8708") == ["Hanbit"]
    assert names(offers="87") == ["Hanbit"]
    assert names(offers="870830") == ["Hanbit"]
    assert names(seeks="8708") == ["Front Range"]
    assert names(naics="31") == ["Adama Coffee"]  # 311920 sits in sector 31-33
    assert names(naics="3363") == ["Hanbit"]
    assert names(trade_role="manufacturer") == ["Hanbit"]
    assert names(language="am") == ["Adama Coffee"]
    assert names(language="en") == ["Front Range", "Hanbit"]
    assert names(verified="true") == ["Front Range"]
    assert names(verified="false") == ["Adama Coffee", "Hanbit"]
    assert names(updated_since="2000-01-01") == ["Adama Coffee", "Front Range", "Hanbit"]
    assert names(updated_since=(timezone.now() + timedelta(days=1)).isoformat()) == []


@pytest.mark.parametrize("params", [
    {"offers": "brakes"}, {"naics": "1234567"}, {"trade_role": "pirate"}, {"relationship": "enemy"},
    {"updated_since": "yesterday"}, {"verified": "maybe"}, {"country": "USA"}, {"language": "korean!"},
])
def test_invalid_filters_get_a_400(api, params):
    response = api.get("/api/v1/businesses/", params)
    assert response.status_code == 400
    assert set(params) & set(response.json())


def test_pagination_is_capped_at_200(api, make_business):
    for n in range(3):
        make_business(name=f"Firm {n}")
    page = api.get("/api/v1/businesses/", {"page_size": 2}).json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    assert api.get("/api/v1/businesses/", {"page": 99}).status_code == 404
    # Over the cap is clamped, not an error.
    assert api.get("/api/v1/businesses/", {"page_size": 5000}).status_code == 200


def test_me_lists_the_users_own_businesses_with_contacts(api, make_business):
    business = make_business()
    make_business(name="Someone Else")
    api.force_authenticate(business.owner)
    body = api.get("/api/v1/me/").json()
    assert [b["slug"] for b in body["businesses"]] == [business.slug]
    assert body["businesses"][0]["contact_email"] == "dana@frontrange-brakes.example"


def test_taxonomy_search_by_words_and_code(api):
    brake = api.get("/api/v1/taxonomy/hs/", {"q": "brake"}).json()["results"]
    assert "870830" in [entry["code"] for entry in brake]
    by_code = api.get("/api/v1/taxonomy/hs/", {"q": "8708"}).json()["results"]
    assert by_code[0]["code"] == "8708" and all(e["code"].startswith("8708") for e in by_code)
    software = api.get("/api/v1/taxonomy/naics/", {"q": "software"}).json()["results"]
    assert "513210" in [entry["code"] for entry in software]
    detail = api.get("/api/v1/taxonomy/hs/870830/").json()
    assert [a["code"] for a in detail["ancestors"]] == ["87", "8708"]
    assert api.get("/api/v1/taxonomy/hs/999999/").status_code == 404


def test_openapi_schema_and_docs_are_served(api):
    schema = api.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    document = json.loads(schema.content)
    assert document["openapi"].startswith("3.")
    assert "/api/v1/businesses/{slug}/publish/" in document["paths"]
    assert api.get("/api/docs/").status_code == 200
