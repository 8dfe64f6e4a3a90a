"""Who may do what: every API operation and every page, for every kind of person.

One row per endpoint, one column per actor. A cell is the status code the
actor gets ("login" is a redirect to the sign-in page, SKIP a cell that is
not worth its side effects). `private` names who may read each kind of
private data in the answer; nobody else may find a trace of it.
"""

import pytest

from directory.models import Business
from matching.models import Introduction

from .conftest import ACTORS, SECRETS, api_client, page_client

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

SKIP = None
EVERYONE = set(ACTORS)
MANAGERS = {"owner", "member"}
MANAGERS_AND_MODERATORS = {"owner", "member", "volunteer", "staff"}
FIRM_PRIVATE = {"contact": MANAGERS_AND_MODERATORS, "external_id": MANAGERS_AND_MODERATORS}
DRAFT_PRIVATE = {"contact": MANAGERS_AND_MODERATORS}

NEW_PROFILE = {
    "name": "A New Firm", "city": "aurora", "description": "Makes things in Aurora.", "offers_text": "things",
    "contact_email": "new@firm.example",
}
NEW_PROFILE_FORM = {**NEW_PROFILE, "description_language": "en"}
EDIT_FORM = {"name": "Hanbit Brake Works", "city": "seongnam", "description": "Brake pads and discs.",
             "description_language": "ko", "offers_hs": "870830", "contact_email": "minjun.private@hanbit.example"}
FULL_PROFILE = {"name": "Hanbit Brake Works", "city": "seongnam", "description": "Brake pads and discs.",
                "offers_hs": ["870830"], "contact_email": "minjun.private@hanbit.example"}

API, PAGE = "api", "page"


def row(kind, method, url, *expected, data=None, private=None):
    assert len(expected) == len(ACTORS), url
    return {"kind": kind, "method": method, "url": url, "expected": dict(zip(ACTORS, expected)),
            "data": data, "private": private or {}}


# Placeholders: {firm} {draft} {pending} {other} {other_draft} {frenos} {sesame} are slugs;
# {approved} {requested} {dismissed} are introduction ids, {saved} the owner's saved search and
# {unsubscribe} the token of the owner's unsubscribe link (see conftest.World).
MATRIX = [
    #                                                                 anon  owner member other  vol  vol-x coord staff
    # --- public reference data and search
    row(API, "GET", "/api/v1/cities/",                                200,  200,  200,  200,  200,  200,  200,  200),
    row(API, "GET", "/api/v1/cities/seongnam/",                       200,  200,  200,  200,  200,  200,  200,  200),
    row(API, "GET", "/api/v1/taxonomy/hs/?q=brake",                   200,  200,  200,  200,  200,  200,  200,  200),
    row(API, "GET", "/api/v1/taxonomy/hs/8708/",                      200,  200,  200,  200,  200,  200,  200,  200),
    row(API, "GET", "/api/v1/taxonomy/naics/?q=coffee",               200,  200,  200,  200,  200,  200,  200,  200),
    row(API, "GET", "/api/v1/taxonomy/naics/336340/",                 200,  200,  200,  200,  200,  200,  200,  200),
    row(API, "GET", "/api/v1/search/?q=brake",                        200,  200,  200,  200,  200,  200,  200,  200),
    row(API, "GET", "/api/v1/search/suggest/?q=hanbit",               200,  200,  200,  200,  200,  200,  200,  200),
    row(API, "GET", "/api/schema/",                                   200,  200,  200,  200,  200,  200,  200,  200),
    row(API, "GET", "/api/docs/",                                     200,  200,  200,  200,  200,  200,  200,  200),
    row(API, "POST", "/api/v1/auth/token/",                           400,  400,  400,  400,  400,  400,  400,  400,
        data={"username": "owner", "password": "not-the-password"}),
    # --- profiles
    row(API, "GET", "/api/v1/businesses/",                            200,  200,  200,  200,  200,  200,  200,  200,
        private=FIRM_PRIVATE),
    row(API, "GET", "/api/v1/businesses/{firm}/",                     200,  200,  200,  200,  200,  200,  200,  200,
        private=FIRM_PRIVATE),
    row(API, "GET", "/api/v1/businesses/{draft}/",                    404,  200,  200,  404,  200,  404,  404,  200,
        private=DRAFT_PRIVATE),
    row(API, "GET", "/api/v1/businesses/{other_draft}/",              404,  404,  404,  200,  404,  404,  404,  200),
    row(API, "POST", "/api/v1/businesses/",                           401,  201,  201,  201,  201,  201,  201,  201,
        data=NEW_PROFILE),
    row(API, "PATCH", "/api/v1/businesses/{firm}/",                   401,  200,  200,  403,  200,  403,  403,  200,
        data={"description": "Brake pads."}, private=FIRM_PRIVATE),
    row(API, "PUT", "/api/v1/businesses/{firm}/",                     401,  200,  200,  403,  200,  403,  403,  200,
        data=FULL_PROFILE, private=FIRM_PRIVATE),
    row(API, "PATCH", "/api/v1/businesses/{other_draft}/",            401,  404,  404,  200,  404,  404,  404,  200,
        data={"description": "Brake pads."}),
    row(API, "DELETE", "/api/v1/businesses/{firm}/",                  401,  405,  405,  405,  405,  405,  405,  405),
    row(API, "POST", "/api/v1/businesses/{draft}/submit/",            401,  200,  200,  404,  403,  404,  404,  403,
        private=DRAFT_PRIVATE),
    row(API, "POST", "/api/v1/businesses/{pending}/publish/",         401,  403,  403,  404,  200,  404,  404,  200,
        private=DRAFT_PRIVATE),
    row(API, "POST", "/api/v1/businesses/{pending}/reject/",          401,  403,  403,  404,  200,  404,  404,  200,
        data={"reason": "Say more."}, private=DRAFT_PRIVATE),
    row(API, "POST", "/api/v1/businesses/{firm}/suspend/",            401,  403,  403,  403,  200,  403,  403,  200,
        data={"reason": "Complaints."}, private=FIRM_PRIVATE),
    row(API, "POST", "/api/v1/businesses/{firm}/archive/",            401,  200,  200,  403,  200,  403,  403,  200,
        private=FIRM_PRIVATE),
    row(API, "POST", "/api/v1/businesses/{firm}/confirm/",            401,  200,  200,  403,  200,  403,  403,  200,
        private=FIRM_PRIVATE),
    row(API, "POST", "/api/v1/businesses/{firm}/verify/",             401,  403,  403,  403,  200,  403,  403,  200,
        private=FIRM_PRIVATE),
    row(API, "POST", "/api/v1/businesses/{firm}/publish-changes/",    401,  403,  403,  403,  409,  403,  403,  409),
    row(API, "POST", "/api/v1/businesses/{firm}/reject-changes/",     401,  403,  403,  403,  409,  403,  403,  409,
        data={"reason": "Not this way."}),
    row(API, "POST", "/api/v1/businesses/{firm}/report/",             401,  201,  201,  201,  201,  201,  201,  201,
        data={"reason": "spam"}),
    row(API, "POST", "/api/v1/businesses/{draft}/report/",            401,  201,  201,  404,  201,  404,  404,  201,
        data={"reason": "spam"}),
    row(API, "POST", "/api/v1/businesses/{other}/merge-into/",        401,  403,  403,  403,  403,  403,  403,  200,
        data={"into": "{firm}"}, private=FIRM_PRIVATE),
    row(API, "GET", "/api/v1/profile-flags/",                         401,  403,  403,  403,  200,  200,  403,  200),
    row(API, "GET", "/api/v1/me/",                                    401,  200,  200,  200,  200,  200,  200,  200,
        private={"contact": MANAGERS, "external_id": MANAGERS}),
    # --- introductions
    row(API, "GET", "/api/v1/introductions/",                         401,  200,  200,  200,  200,  200,  200,  200),
    row(API, "GET", "/api/v1/introductions/{approved}/",              401,  200,  200,  200,  200,  404,  200,  200),
    row(API, "GET", "/api/v1/introductions/{requested}/",             401,  404,  404,  404,  200,  404,  200,  200),
    row(API, "GET", "/api/v1/introductions/{dismissed}/",             401,  200,  200,  404,  200,  200,  200,  200,
        private={"staff_note": {"staff"}}),
    row(API, "POST", "/api/v1/introductions/",                        401,  201,  201,  403,  403,  403,  403,  403,
        data={"target": "{sesame}", "from": "{firm}", "message": "Again?"}),
    row(API, "POST", "/api/v1/introductions/{requested}/approve/",    401,  404,  404,  404,  403,  404,  200,  200),
    row(API, "POST", "/api/v1/introductions/{requested}/dismiss/",    401,  404,  404,  404,  403,  404,  200,  200,
        data={"reason": "not_relevant"}),
    row(API, "POST", "/api/v1/introductions/{approved}/accept/",      401,  200,  200,  200,  403,  404,  403,  403),
    row(API, "POST", "/api/v1/introductions/{approved}/decline/",     401,  200,  200,  200,  403,  404,  403,  403),
    row(API, "POST", "/api/v1/introductions/{approved}/outcome/",     401,  409,  409,  409,  403,  404,  403,  409,
        data={"outcome": "met"}),
    row(API, "GET", "/api/v1/me/introductions/",                      401,  200,  200,  200,  200,  200,  200,  200),
    row(API, "GET", "/api/v1/metrics/introductions/",                 401,  403,  403,  403,  403,  403,  403,  200),
    row(API, "GET", "/api/v1/metrics/introductions/?export=csv",      401,  403,  403,  403,  403,  403,  403,  200),
    # --- saved searches: each person's own, nobody else's (not even staff's)
    row(API, "GET", "/api/v1/saved-searches/",                        401,  200,  200,  200,  200,  200,  200,  200),
    row(API, "POST", "/api/v1/saved-searches/",                       401,  201,  201,  201,  201,  201,  201,  201,
        data={"q": "brake pads", "offers": "8708", "side": "offers"}),
    row(API, "GET", "/api/v1/saved-searches/{saved}/",                401,  200,  404,  404,  404,  404,  404,  404),
    row(API, "PATCH", "/api/v1/saved-searches/{saved}/",              401,  200,  404,  404,  404,  404,  404,  404,
        data={"alerts": False}),
    row(API, "DELETE", "/api/v1/saved-searches/{saved}/",             401,  204,  404,  404,  404,  404,  404,  404),
    # --- public pages
    row(PAGE, "GET", "/en/",                                          200,  200,  200,  200,  200,  200,  200,  200),
    row(PAGE, "GET", "/en/directory/?q=brake",                        200,  200,  200,  200,  200,  200,  200,  200),
    row(PAGE, "GET", "/en/cities/seongnam/",                          200,  200,  200,  200,  200,  200,  200,  200),
    row(PAGE, "GET", "/en/b/{firm}/",                                 200,  200,  200,  200,  200,  200,  200,  200,
        private=DRAFT_PRIVATE),
    row(PAGE, "GET", "/en/b/{draft}/",                                404,  200,  200,  404,  200,  404,  404,  200,
        private=DRAFT_PRIVATE),
    row(PAGE, "POST", "/en/b/{sesame}/request-introduction/",         "login", 302, 302, 302, 302,  302,  302,  302,
        data={"from": "{firm}", "message": "Again?"}),
    row(PAGE, "POST", "/en/b/{firm}/report/",                         "login", 302, 302, 302, 302,  302,  302,  302,
        data={"reason": "spam"}),
    # --- a firm's desk
    row(PAGE, "GET", "/en/me/",                                       "login", 200, 200, 200, 200,  200,  200,  200),
    row(PAGE, "GET", "/en/me/firms/new/",                             "login", 200, 200, 200, 200,  200,  200,  200),
    row(PAGE, "POST", "/en/me/firms/new/",                            "login", 302, 302, 302, 302,  302,  302,  302,
        data=NEW_PROFILE_FORM),
    row(PAGE, "GET", "/en/me/firms/{firm}/edit/",                     "login", 200, 200, 403, 403,  403,  403,  403,
        private={"contact": MANAGERS}),
    row(PAGE, "POST", "/en/me/firms/{firm}/edit/",                    "login", 302, 302, 403, 403,  403,  403,  403,
        data=EDIT_FORM),
    row(PAGE, "GET", "/en/me/firms/{other_draft}/edit/",              "login", 403, 403, 200, 403,  403,  403,  403),
    row(PAGE, "POST", "/en/me/firms/{draft}/submit/",                 "login", 302, 302, 403, 403,  403,  403,  403),
    row(PAGE, "POST", "/en/me/firms/{firm}/confirm/",                 "login", 302, 302, 403, 302,  403,  403,  302),
    row(PAGE, "POST", "/en/me/firms/{firm}/archive/",                 "login", 302, 302, 403, 302,  403,  403,  302),
    row(PAGE, "POST", "/en/me/firms/{firm}/publish/",                 "login", 404, 404, 404, 404,  404,  404,  404),
    row(PAGE, "GET", "/en/me/account/",                               "login", 200, 200, 200, 200,  200,  200,  200),
    row(PAGE, "GET", "/en/me/account/data.json",                      "login", 200, 200, 200, 200,  200,  200,  200,
        private={"contact": MANAGERS}),
    row(PAGE, "GET", "/en/me/account/delete/",                        "login", 200, 200, 200, 200,  200,  200,  200),
    row(PAGE, "POST", "/en/me/account/delete/",                       "login", 302, 302, 302, 302,  302,  302,  302,
        data={"confirm": "yes"}),
    row(PAGE, "GET", "/en/me/introductions/",                         "login", 200, 200, 200, 200,  200,  200,  200),
    row(PAGE, "POST", "/en/me/introductions/{approved}/accept/",      "login", 302, 302, 302, 302,  404,  302,  302),
    row(PAGE, "POST", "/en/me/introductions/{requested}/accept/",     "login", 404, 404, 404, 302,  404,  302,  302),
    row(PAGE, "POST", "/en/me/introductions/{approved}/decline/",     "login", 302, 302, 302, 302,  404,  302,  302,
        data={"reason": "Not now."}),
    row(PAGE, "POST", "/en/me/introductions/{approved}/outcome/",     "login", 302, 302, 302, 302,  404,  302,  302,
        data={"outcome": "met"}),
    row(PAGE, "GET", "/en/me/searches/",                              "login", 200, 200, 200, 200,  200,  200,  200),
    row(PAGE, "POST", "/en/me/searches/",                             "login", 302, 302, 302, 302,  302,  302,  302,
        data={"q": "brake pads", "offers": "8708"}),
    row(PAGE, "POST", "/en/me/searches/{saved}/alerts-off/",          "login", 302, 404, 404, 404,  404,  404,  404),
    row(PAGE, "POST", "/en/me/searches/{saved}/delete/",              "login", 302, 404, 404, 404,  404,  404,  404),
    # The digest's unsubscribe link: the signed token is the key, whoever follows it.
    row(PAGE, "GET", "/en/searches/unsubscribe/{unsubscribe}/",       200,  200,  200,  200,  200,  200,  200,  200),
    # --- the staff desk
    row(PAGE, "GET", "/en/staff/",                                    "login", 403, 403, 403, 200,  200,  200,  200),
    row(PAGE, "GET", "/en/staff/profiles/",                           "login", 403, 403, 403, 200,  200,  200,  200),
    row(PAGE, "GET", "/en/staff/profiles/?status=flagged",            "login", 403, 403, 403, 200,  200,  200,  200),
    row(PAGE, "GET", "/en/staff/profiles/?status=changes",            "login", 403, 403, 403, 200,  200,  200,  200),
    row(PAGE, "POST", "/en/staff/profiles/{pending}/publish/",        "login", 403, 403, 403, 302,  403,  403,  302),
    row(PAGE, "POST", "/en/staff/profiles/{firm}/suspend/",           "login", 403, 403, 403, 302,  403,  403,  302,
        data={"reason": "Complaints."}),
    row(PAGE, "POST", "/en/staff/profiles/{firm}/verify/",            "login", 403, 403, 403, 302,  403,  403,  302),
    row(PAGE, "GET", "/en/staff/introductions/",                      "login", 403, 403, 403, 200,  200,  200,  200),
    row(PAGE, "GET", "/en/staff/introductions/?status=dismissed",     "login", 403, 403, 403, 200,  200,  200,  200),
    row(PAGE, "POST", "/en/staff/introductions/{requested}/approve/", "login", 403, 403, 403, 302,  404,  302,  302),
    row(PAGE, "POST", "/en/staff/introductions/{requested}/dismiss/", "login", 403, 403, 403, 302,  404,  302,  302,
        data={"reason": "not_relevant"}),
    row(PAGE, "POST", "/en/staff/introductions/bulk/",                "login", 403, 403, 403, 302,  302,  302,  302,
        data={"ids": ["{requested}"], "action": "approve"}),
    row(PAGE, "GET", "/en/staff/runs/",                               "login", 403, 403, 403, 403,  403,  403,  200),
    row(PAGE, "POST", "/en/staff/runs/",                              "login", 403, 403, 403, 403,  403,  403,  SKIP),
    row(PAGE, "GET", "/en/staff/metrics/",                            "login", 403, 403, 403, 200,  200,  200,  200),
    # --- the admin (staff here are not superusers: the admin's own permissions apply)
    row(PAGE, "GET", "/admin/",                                       302,  302,  302,  302,  302,  302,  302,  200),
    row(PAGE, "GET", "/admin/directory/business/",                    302,  302,  302,  302,  302,  302,  302,  403),
]


def _cases():
    for entry in MATRIX:
        for actor in ACTORS:
            expected = entry["expected"][actor]
            if expected is SKIP:
                continue
            yield pytest.param(entry, actor, expected, id=f"{entry['method']} {entry['url']} as {actor}")


def _fill(value, names):
    if isinstance(value, str):
        return value.format(**names)
    if isinstance(value, list):
        return [_fill(v, names) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, names) for k, v in value.items()}
    return value


@pytest.mark.parametrize("entry, actor, expected", list(_cases()))
def test_authorization_matrix(world, entry, actor, expected):
    names = world.slugs()
    url, data = _fill(entry["url"], names), _fill(entry["data"], names)
    user = world.users[actor]
    if entry["kind"] == API:
        response = getattr(api_client(user), entry["method"].lower())(url, data, format="json")
    else:
        response = getattr(page_client(user), entry["method"].lower())(url, data or {})

    if expected == "login":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], response.status_code
    else:
        assert response.status_code == expected, getattr(response, "content", b"")[:500]
    assert response.status_code < 500
    if 200 <= response.status_code < 300:
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", "replace")
        for kind, secrets in SECRETS.items():
            may_see = actor in entry["private"].get(kind, set())
            found = [secret for secret in secrets if secret in text]
            if may_see:
                assert found, f"{actor} should see the {kind} here"
            else:
                assert not found, f"{actor} must not see the {kind}: {found}"


# --- mass assignment: what a caller sends but may not set --------------------------------------

PROTECTED = {"status": "archived", "owner": 1, "verified": True, "verified_at": "2020-01-01T00:00:00Z",
             "verified_by": 1, "external_id": "CRM-HIJACKED"}
READ_ONLY = {"slug": "hijacked-slug", "published_at": "2001-01-01T00:00:00Z", "created_at": "2001-01-01T00:00:00Z",
             "confirmed_at": "2099-01-01T00:00:00Z", "updated_at": "2001-01-01T00:00:00Z",
             "submitted_at": "2001-01-01T00:00:00Z", "moderation_note": "approved by the CEO", "members": [1],
             "erased_at": "2001-01-01T00:00:00Z", "expires_at": "2099-01-01T00:00:00Z", "is_expired": False}
GUARDED_COLUMNS = ("status", "owner_id", "verified_at", "verified_by_id", "external_id", "slug", "published_at",
                   "created_at", "confirmed_at", "submitted_at", "moderation_note", "erased_at", "city_id")


def stored(business):
    business = Business.objects.get(pk=business.pk)
    return {name: getattr(business, name) for name in GUARDED_COLUMNS} | {
        "members": sorted(business.members.values_list("pk", flat=True))}


@pytest.mark.parametrize("method", ["patch", "put"])
@pytest.mark.parametrize("field, value", [*PROTECTED.items(), *READ_ONLY.items()])
@pytest.mark.parametrize("actor", ["owner", "member", "volunteer"])
def test_a_profile_edit_never_changes_what_moderation_and_the_system_own(world, actor, method, field, value):
    before = stored(world.firm)
    payload = {"description": "Brake pads and discs.", field: value}
    if method == "put":
        payload = {**FULL_PROFILE, field: value}
    response = getattr(api_client(world.users[actor]), method)(f"/api/v1/businesses/{world.firm.slug}/", payload,
                                                               format="json")
    assert response.status_code in (200, 400), response.content
    if response.status_code == 400:
        assert field in response.json()
    assert stored(world.firm) == before


@pytest.mark.parametrize("field, value", [*PROTECTED.items(), *READ_ONLY.items()])
def test_a_new_profile_is_always_its_creators_draft(world, field, value):
    other = world.users["other_owner"]
    response = api_client(world.users["owner"]).post("/api/v1/businesses/", {**NEW_PROFILE, field: value}, format="json")
    assert response.status_code in (201, 400), response.content
    if response.status_code == 400:
        assert field in response.json()
        return
    business = Business.objects.get(slug=response.json()["slug"])
    assert (business.status, business.owner, business.verified_at, business.external_id, business.published_at) == (
        Business.Status.DRAFT, world.users["owner"], None, None, None)
    assert business.slug != "hijacked-slug" and not business.members.exists() and business.owner != other


def test_a_volunteer_cannot_move_a_profile_to_a_city_outside_their_scope(world):
    before = stored(world.firm)
    response = api_client(world.users["volunteer"]).patch(
        f"/api/v1/businesses/{world.firm.slug}/", {"city": "adama"}, format="json")
    assert response.status_code == 403
    assert stored(world.firm) == before
    # Staff may, and so may the firm itself (it moved), through review: its
    # published profile stays where it is until a moderator publishes the move.
    staff_move = api_client(world.users["staff"]).patch(
        f"/api/v1/businesses/{world.firm.slug}/", {"city": "adama"}, format="json")
    assert staff_move.status_code == 200 and staff_move.json()["city"]["slug"] == "adama"
    own_move = api_client(world.users["owner"]).patch(
        f"/api/v1/businesses/{world.firm.slug}/", {"city": "jaco"}, format="json")
    assert own_move.status_code == 200 and own_move.json()["city"]["slug"] == "adama"
    assert own_move.json()["pending_changes"]["fields"]["city"]["slug"] == "jaco"


def test_the_edit_page_sends_nothing_but_the_profile(world):
    before = stored(world.draft)
    response = page_client(world.users["owner"]).post(f"/en/me/firms/{world.draft.slug}/edit/", {
        **EDIT_FORM, "name": "Hanbit Draft", "status": "published", "verified_at": "2020-01-01", "owner": "1",
        "external_id": "CRM-HIJACKED", "slug": "hijacked", "published_at": "2001-01-01",
    })
    assert response.status_code == 302
    assert stored(world.draft) == before
    assert Business.objects.get(pk=world.draft.pk).description == "Brake pads and discs."


def test_the_edit_page_shows_the_stored_profile_to_its_managers(world):
    html = page_client(world.users["member"]).get(f"/en/me/firms/{world.firm.slug}/edit/").content.decode()
    assert 'value="Hanbit Brake Works"' in html and 'value="minjun.private@hanbit.example"' in html
    assert "870830" in html


INTRODUCTION_FIELDS = ("status", "approved_by_id", "approved_at", "accepted_a_at",
                       "accepted_b_at", "introduced_at", "declined_by_id", "outcome", "requested_by_id", "score",
                       "business_a_id", "business_b_id", "dismiss_note")
FORGED = {"status": "introduced", "approved_by": 1, "approved_at": "2020-01-01T00:00:00Z", "accepted_a_at":
          "2020-01-01T00:00:00Z", "accepted_b_at": "2020-01-01T00:00:00Z", "accepted_by_a": True, "accepted_by_b": True,
          "introduced_at": "2020-01-01T00:00:00Z", "outcome": "deal", "score": 99.0, "coordinator_approved_by": 1,
          "requested_by": 1, "business_a": 1, "business_b": 2, "counterpart_contact": {"email": "x@y.example"}}


def introduction_row(introduction):
    introduction = Introduction.objects.get(pk=introduction.pk)
    return {name: getattr(introduction, name) for name in INTRODUCTION_FIELDS}


def test_an_introduction_request_cannot_forge_its_state(world):
    response = api_client(world.users["owner"]).post(
        "/api/v1/introductions/", {**FORGED, "target": world.sesame.slug, "from": world.firm.slug}, format="json")
    assert response.status_code == 201
    introduction = Introduction.objects.get(pk=response.json()["id"])
    assert introduction.pk == world.dismissed.pk  # the pair's one row, in a new round
    assert introduction_row(introduction) | {"score": None} == {
        "status": "requested", "approved_by_id": None, "approved_at": None,
        "accepted_a_at": None, "accepted_b_at": None, "introduced_at": None, "declined_by_id": None, "outcome": "",
        "requested_by_id": world.firm.pk, "score": None, "business_a_id": min(world.firm.pk, world.sesame.pk),
        "business_b_id": max(world.firm.pk, world.sesame.pk), "dismiss_note": introduction.dismiss_note}
    assert response.json()["counterpart_contact"] is None


def test_an_approval_and_an_acceptance_set_only_their_own_fields(world):
    staff, owner = world.users["staff"], world.users["owner"]
    response = api_client(staff).post(f"/api/v1/introductions/{world.requested.pk}/approve/", FORGED, format="json")
    assert response.status_code == 200
    row = introduction_row(world.requested)
    assert (row["status"], row["approved_by_id"], row["accepted_a_at"], row["accepted_b_at"], row["outcome"]) == (
        "approved", staff.pk, None, None, "")
    # The firm accepts for itself only, and may not answer for the other side.
    forged_side = api_client(owner).post(f"/api/v1/introductions/{world.requested.pk}/accept/",
                                         {**FORGED, "business": world.frenos.slug}, format="json")
    assert forged_side.status_code == 403
    response = api_client(owner).post(f"/api/v1/introductions/{world.requested.pk}/accept/", FORGED, format="json")
    assert response.status_code == 200
    row = introduction_row(world.requested)
    own_side = "a" if world.firm.pk < world.frenos.pk else "b"
    other_side = "b" if own_side == "a" else "a"
    assert row["status"] == "approved" and row[f"accepted_{own_side}_at"] is not None
    assert row[f"accepted_{other_side}_at"] is None and row["introduced_at"] is None
    assert response.json()["counterpart_contact"] is None


def test_another_firms_introduction_cannot_be_answered_by_id(world):
    before = introduction_row(world.requested)
    for action in ("accept", "decline", "outcome"):
        response = api_client(world.users["other_owner"]).post(
            f"/api/v1/introductions/{world.requested.pk}/{action}/", {"outcome": "deal"}, format="json")
        assert response.status_code == 404
        page = page_client(world.users["other_owner"]).post(f"/en/me/introductions/{world.requested.pk}/{action}/")
        assert page.status_code == 404
    assert introduction_row(world.requested) == before
