"""The report form on a profile page and the flags on the staff moderation
queue, driven through the test client as a person would use them."""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from directory import services
from directory.models import Business, ProfileFlag, User

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]
Status = Business.Status


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def messages_of(response):
    assert response.status_code == 302, response.status_code
    page = response.client.get(response.url).content.decode()
    return [unescape(text) for text in re.findall(r'<p class="message[^"]*">(.*?)</p>', page, re.S)]


@pytest.fixture
def pair(make_business):
    older = make_business(name="台灣精密機械股份有限公司", city="new-taipei-city", contact_email="a@tpm.example",
                          contact_phone="+886 2 5555 0101")
    newer = make_business(name="台灣精密機械有限公司", city="new-taipei-city", contact_email="b@tpm.example",
                          contact_phone="+886 2 5555 0102")
    return older, newer


def test_a_signed_in_reader_reports_a_profile_from_its_page(make_business, make_user):
    business = make_business()
    reader = client_for(make_user("reader"))
    page = reader.get(f"/en/b/{business.slug}/").content.decode()
    assert "Report this profile" in page
    response = reader.post(f"/en/b/{business.slug}/report/", {"reason": "spam", "note": "Selling pills."})
    assert messages_of(response) == ["Thank you. Staff will look at this profile."]
    again = reader.post(f"/en/b/{business.slug}/report/", {"reason": "fake"})
    assert messages_of(again) == ["You have already reported this profile; staff will look at it."]
    [report] = ProfileFlag.objects.filter(kind="report")
    assert (report.reason, report.note) == ("spam", "Selling pills.")


def test_the_report_form_is_not_offered_to_visitors_or_the_firm_itself(make_business):
    business = make_business()
    assert "Report this profile" not in client_for().get(f"/en/b/{business.slug}/").content.decode()
    assert "Report this profile" not in client_for(business.owner).get(f"/en/b/{business.slug}/").content.decode()
    response = client_for().post(f"/en/b/{business.slug}/report/", {"reason": "spam"})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not ProfileFlag.objects.exists()


def test_a_bad_report_from_the_page_is_a_message_not_an_error(make_business, make_user):
    business = make_business()
    response = client_for(make_user("reader")).post(f"/en/b/{business.slug}/report/", {"reason": "other"})
    assert messages_of(response) == ["Say what is wrong with the profile."]
    assert not ProfileFlag.objects.exists()


def test_staff_see_a_flagged_profile_with_the_reason_and_a_link_to_the_other(staff, pair):
    older, newer = pair
    page = client_for(staff).get("/en/staff/profiles/?status=flagged").content.decode()
    with translation.override("en"):
        link = reverse("profile", args=[older.slug])
    assert newer.name in page and f'href="{link}" data-testid="other-profile">{older.name}</a>' in page
    assert "a near-identical name in the same city" in page
    assert "Merge the newer profile into the older" in page
    assert not any(secret in page for secret in ("a@tpm.example", "+886 2 5555 0101"))
    desk = client_for(staff).get("/en/staff/").content.decode()
    assert re.search(r'<span class="stat">1</span><br>flagged profiles', desk)


def test_a_volunteer_sees_the_flag_but_not_the_merge_button_nor_other_cities_flags(make_user, make_business, pair):
    volunteer = make_user("taipei-volunteer")
    volunteer.volunteer_cities.set([pair[0].city])
    elsewhere = make_business(name="Adama Sesame", city="adama", contact_email="a@sesame.example")
    services.report_business(actor=make_user("reader"), business=elsewhere, reason="spam")
    page = client_for(volunteer).get("/en/staff/profiles/?status=flagged").content.decode()
    assert pair[1].name in page and "Adama Sesame" not in page
    assert "Dismiss" in page and "Merge the newer profile into the older" not in page


def test_staff_dismiss_a_flag_from_the_queue(staff, pair):
    flag = ProfileFlag.objects.get()
    response = client_for(staff).post(f"/en/staff/flags/{flag.pk}/dismiss/",
                                      {"next": "/en/staff/profiles/?status=flagged"})
    assert messages_of(response) == ["Flag dismissed."]
    flag.refresh_from_db()
    assert flag.status == "dismissed" and flag.resolved_by is not None


def test_staff_merge_a_duplicate_from_the_queue(staff, pair):
    older, newer = pair
    flag = ProfileFlag.objects.get()
    response = client_for(staff).post(f"/en/staff/flags/{flag.pk}/merge/", {"add_members": "on"})
    assert messages_of(response) == [f"{newer.name} was merged into {older.name}."]
    newer.refresh_from_db()
    assert newer.status == Status.ARCHIVED and newer.merged_into.into == older
    assert newer.owner in older.members.all()


def test_a_volunteer_cannot_merge_by_posting_the_form(pair):
    older, newer = pair
    volunteer_flag = ProfileFlag.objects.get()
    volunteer = User.objects.create_user("taipei-volunteer")
    volunteer.volunteer_cities.set([older.city])
    response = client_for(volunteer).post(f"/en/staff/flags/{volunteer_flag.pk}/merge/")
    assert messages_of(response) == ["Only staff may merge profiles."]
    newer.refresh_from_db()
    assert newer.status == Status.PUBLISHED


def test_staff_dismiss_flags_in_bulk_in_the_admin(client, staff, make_user, pair):
    staff.is_superuser = True
    staff.save()
    services.report_business(actor=make_user("reader"), business=pair[0], reason="spam")
    client.force_login(staff)
    assert client.get("/admin/directory/profileflag/").status_code == 200
    assert client.get("/admin/directory/profilemerge/").status_code == 200
    ids = [str(pk) for pk in ProfileFlag.objects.values_list("pk", flat=True)]
    response = client.post("/admin/directory/profileflag/", {"action": "dismiss", "_selected_action": ids})
    assert response.status_code == 302
    assert set(ProfileFlag.objects.values_list("status", flat=True)) == {"dismissed"}
