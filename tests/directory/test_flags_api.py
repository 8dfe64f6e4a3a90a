"""Reports, the flag queue and merges over the API."""

import pytest

from directory import services
from directory.models import Business, ProfileFlag, ProfileMerge
from matching import introductions as matching_introductions

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]
Status = Business.Status
SECRETS = ("a@hanbit.example", "b@hanbit.example", "+82 31 555 0101")


@pytest.fixture
def pair(make_business):
    """A firm listed twice in Seongnam, the second time under a folded name."""
    older = make_business(name="(주)한빛브레이크", city="seongnam", contact_email="a@hanbit.example",
                          contact_phone="+82 31 555 0101", website="https://hanbit-brake.example")
    newer = make_business(name="한빛 브레이크 주식회사", city="seongnam", contact_email="b@hanbit.example",
                          website="http://www.hanbit-brake.example/ko")
    return older, newer


def test_a_signed_in_reader_reports_a_profile_and_a_second_open_report_is_refused(api, make_business, make_user):
    business = make_business()
    api.force_authenticate(make_user("reader"))
    url = f"/api/v1/businesses/{business.slug}/report/"
    response = api.post(url, {"reason": "fake", "note": "The address is a car park."}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "report" and response.json()["reason"] == "fake"
    again = api.post(url, {"reason": "spam"}, format="json")
    assert again.status_code == 409 and "already reported" in again.json()["detail"]
    assert ProfileFlag.objects.filter(business=business, kind="report").count() == 1


def test_a_report_with_bad_input_gets_messages_per_field(api, make_business, make_user):
    business = make_business()
    api.force_authenticate(make_user("reader"))
    url = f"/api/v1/businesses/{business.slug}/report/"
    response = api.post(url, {"reason": "boring", "note": "x" * 2001}, format="json")
    assert response.status_code == 400 and set(response.json()) == {"reason", "note"}
    response = api.post(url, {"reason": "other"}, format="json")
    assert response.status_code == 400 and set(response.json()) == {"note"}
    assert not ProfileFlag.objects.exists()


def test_reporting_needs_an_account_and_a_profile_one_can_see(api, make_business, make_user):
    business = make_business()
    draft = make_business(status=Status.DRAFT, name="Someone's Draft", contact_email="d@draft.example")
    assert api.post(f"/api/v1/businesses/{business.slug}/report/", {"reason": "spam"}).status_code in (401, 403)
    api.force_authenticate(make_user("reader"))
    assert api.post(f"/api/v1/businesses/{draft.slug}/report/", {"reason": "spam"}).status_code == 404


def test_staff_list_duplicate_flags_with_the_other_profile_but_no_contact_details(api, staff, pair):
    older, newer = pair
    api.force_authenticate(staff)
    response = api.get("/api/v1/profile-flags/", {"kind": "duplicate"})
    assert response.status_code == 200
    [flag] = response.json()["results"]
    assert flag["business"]["slug"] == newer.slug and flag["other"]["slug"] == older.slug
    assert flag["matched_on"] == ["website", "name"]
    assert not any(secret in response.content.decode() for secret in SECRETS)


def test_the_flag_list_filters_by_kind_reason_city_profile_and_status(api, staff, make_user, make_business, pair):
    older, newer = pair
    elsewhere = make_business(name="Adama Sesame", city="adama", contact_email="a@sesame.example")
    services.report_business(actor=make_user("reader"), business=elsewhere, reason="spam")
    api.force_authenticate(staff)

    def ids(**params):
        response = api.get("/api/v1/profile-flags/", params)
        assert response.status_code == 200, response.content
        return [(f["kind"], f["business"]["slug"]) for f in response.json()["results"]]

    assert ids() == [("duplicate", newer.slug), ("report", elsewhere.slug)]
    assert ids(kind="report") == ids(reason="spam") == ids(city="adama") == [("report", elsewhere.slug)]
    assert ids(business=older.slug) == [("duplicate", newer.slug)]  # named as the other profile
    assert api.get("/api/v1/profile-flags/", {"status": "closed"}).status_code == 400
    flag_id = ProfileFlag.objects.get(kind="report").pk
    response = api.post(f"/api/v1/profile-flags/{flag_id}/dismiss/", {"note": "an ordinary firm"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "dismissed"
    assert ids() == [("duplicate", newer.slug)]
    assert ids(status="dismissed") == [("report", elsewhere.slug)]
    assert len(ids(status="all")) == 2
    again = api.post(f"/api/v1/profile-flags/{flag_id}/dismiss/", format="json")
    assert again.status_code == 409


def test_firms_and_readers_cannot_see_the_flag_queue(api, make_user, pair):
    older, newer = pair
    for user in (make_user("reader"), newer.owner):
        api.force_authenticate(user)
        assert api.get("/api/v1/profile-flags/").status_code == 403
        flag_id = ProfileFlag.objects.get().pk
        assert api.post(f"/api/v1/profile-flags/{flag_id}/dismiss/").status_code == 403
    assert ProfileFlag.objects.get().status == "open"


def test_a_city_volunteer_sees_and_dismisses_only_their_cities_flags(api, make_user, make_business,
                                                                     seongnam_volunteer, pair):
    elsewhere = make_business(name="Adama Sesame", city="adama", contact_email="a@sesame.example")
    report = services.report_business(actor=make_user("reader"), business=elsewhere, reason="spam")
    api.force_authenticate(seongnam_volunteer)
    response = api.get("/api/v1/profile-flags/")
    assert [f["business"]["city"] for f in response.json()["results"]] == ["seongnam"]
    assert api.post(f"/api/v1/profile-flags/{report.pk}/dismiss/").status_code == 404


def test_staff_merge_the_newer_profile_into_the_older_over_the_api(api, staff, pair):
    older, newer = pair
    matching_introductions.request_introduction(actor=older.owner, target=newer, requester=older)
    api.force_authenticate(staff)
    response = api.post(f"/api/v1/businesses/{newer.slug}/merge-into/",
                        {"into": older.slug, "add_members": True, "note": "same firm"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["slug"] == older.slug
    newer.refresh_from_db()
    assert newer.status == Status.ARCHIVED and newer.merged_into.into == older
    assert newer.owner in older.members.all()
    assert api.get("/api/v1/profile-flags/").json()["results"] == []
    assert api.get("/api/v1/profile-flags/", {"status": "merged"}).json()["count"] == 1


def test_merging_the_wrong_way_or_into_nothing_is_a_400_and_non_staff_get_403(api, staff, pair):
    older, newer = pair
    api.force_authenticate(staff)
    url = f"/api/v1/businesses/{older.slug}/merge-into/"
    response = api.post(url, {"into": newer.slug}, format="json")
    assert response.status_code == 400 and set(response.json()) == {"into"}
    response = api.post(url, {"into": "no-such-firm"}, format="json")
    assert response.status_code == 400 and set(response.json()) == {"into"}
    api.force_authenticate(older.owner)
    response = api.post(f"/api/v1/businesses/{newer.slug}/merge-into/", {"into": older.slug}, format="json")
    assert response.status_code == 403
    assert not ProfileMerge.objects.exists()
