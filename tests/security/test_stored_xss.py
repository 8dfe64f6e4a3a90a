"""Stored cross-site scripting: markup and template syntax typed into every
text a person can write, read back everywhere it is shown. JSON may carry the
text as written; HTML must carry it escaped, emails as plain text, and a
real browser must run none of it."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils.html import escape
from rest_framework.test import APIClient

from directory import services as directory_services
from directory.models import Business, City
from matching import notifications
from matching import introductions as matching_introductions
from matching.models import Introduction
from tests.search.conftest import backend, sync  # noqa: F401  (the per-backend fixture)

from .conftest import page_client, publish

PAYLOAD = '<script>alert(1)</script>"><img src=x onerror=alert(1)></title>{{ 7*7 }}{% debug %}'
RAW = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</title>{{")
NAME = f"Brake Works {PAYLOAD}"


def hostile_profile(**overrides):
    """A profile as a firm would post it, every free text field carrying the payload."""
    return {
        "name": NAME, "city": "seongnam", "description": f"Brake pads and discs. {PAYLOAD}",
        "description_language": "ko", "offers_hs": ["870830"], "offers_text": f"brake pads {PAYLOAD}",
        "seeks_text": f"brake machinery {PAYLOAD}", "address": f"1 Main St {PAYLOAD}",
        "certifications": [f"ISO {PAYLOAD}"], "contact_name": f"Kim {PAYLOAD}",
        "contact_email": "kim@hostile.example", **overrides,
    }


def post_profile(user, staff, data, *, publish_it=True):
    """Create a profile over the API as its firm would, then submit it and have staff publish it."""
    api = APIClient()
    api.force_authenticate(user)
    response = api.post("/api/v1/businesses/", data, format="json")
    assert response.status_code == 201, response.content
    business = Business.objects.get(slug=response.json()["slug"])
    if publish_it:
        business = directory_services.submit_business(actor=user, business=business)
        business = directory_services.publish_business(actor=staff, business=business)
    return business


@pytest.fixture
def hostile(db, settings, make_user, staff):
    """The whole workflow walked with the payload in every note, message and reason."""
    settings.SEARCH_BACKEND = "database"
    owner = make_user("hostile-owner", first_name=PAYLOAD, last_name=PAYLOAD)
    firm = post_profile(owner, staff, hostile_profile())
    partner_owner, third_owner = make_user("partner"), make_user("third")
    partner = publish(staff, partner_owner, name="Front Range Brake Supply", city="aurora")
    third = publish(staff, third_owner, name="Frenos Baeza", city="chihuahua", offers_hs=["870830"])
    fourth = publish(staff, make_user("fourth"), name="Adama Sesame Export", city="adama", offers_hs=["120740"])

    introduced = matching_introductions.request_introduction(actor=owner, target=partner, requester=firm, message=PAYLOAD)
    matching_introductions.approve_introduction(actor=staff, introduction=introduced, message=PAYLOAD)
    matching_introductions.accept_introduction(actor=owner, introduction=introduced)
    matching_introductions.accept_introduction(actor=partner_owner, introduction=introduced)
    matching_introductions.record_outcome(actor=owner, introduction=introduced, outcome="met", note=PAYLOAD)
    declined = matching_introductions.request_introduction(actor=third_owner, target=firm, requester=third, message=PAYLOAD)
    matching_introductions.approve_introduction(actor=staff, introduction=declined, message=PAYLOAD)
    matching_introductions.decline_introduction(actor=owner, introduction=declined, reason=PAYLOAD)
    dismissed = matching_introductions.request_introduction(actor=owner, target=fourth, requester=firm, message=PAYLOAD)
    matching_introductions.dismiss_introduction(actor=staff, introduction=dismissed, reason="other", note=PAYLOAD)
    waiting = matching_introductions.request_introduction(actor=partner_owner, target=third, requester=partner,
                                                     message=PAYLOAD)

    rejected = post_profile(owner, staff, hostile_profile(name=f"Rejected {PAYLOAD}"), publish_it=False)
    rejected = directory_services.submit_business(actor=owner, business=rejected)
    directory_services.reject_business(actor=staff, business=rejected, reason=PAYLOAD)
    pending = post_profile(owner, staff, hostile_profile(name=f"Pending {PAYLOAD}"), publish_it=False)
    directory_services.submit_business(actor=owner, business=pending)
    # City records are staff configuration, kept in the admin.
    city = City.objects.create(name=f"Xss {PAYLOAD}"[:120], slug="xss-city", country="KR", relationship="sister",
                               relationship_note=PAYLOAD)
    return {"owner": owner, "partner_owner": partner_owner, "staff": staff, "firm": firm, "partner": partner,
            "introduced": introduced, "waiting": waiting, "city": city}


def assert_escaped(html, where):
    for raw in RAW:
        assert raw not in html, f"{where}: {raw} rendered raw"
    assert escape("<script>alert(1)</script>") in html, f"{where}: the payload is not shown at all"
    assert "{{ 7*7 }}" in html and "{% debug %}" in html, f"{where}: template syntax was interpreted"


pytestmark = pytest.mark.django_db


@pytest.mark.sqlite
def test_pages_show_every_stored_text_escaped(hostile):
    firm, staff = hostile["firm"], hostile["staff"]
    owner, partner_owner = hostile["owner"], hostile["partner_owner"]
    pages = {
        None: ["/en/", f"/en/b/{firm.slug}/", "/en/directory/?q=brake", "/en/cities/seongnam/", "/en/cities/xss-city/"],
        owner: [f"/en/b/{firm.slug}/", "/en/me/", "/en/me/introductions/", f"/en/me/firms/{firm.slug}/edit/"],
        partner_owner: ["/en/me/introductions/", f"/en/b/{firm.slug}/"],
        staff: ["/en/staff/introductions/", "/en/staff/introductions/?status=introduced",
                "/en/staff/introductions/?status=declined", "/en/staff/introductions/?status=dismissed",
                "/en/staff/profiles/", "/en/staff/profiles/?status=published", "/en/staff/profiles/?status=rejected",
                f"/en/b/{firm.slug}/"],
    }
    for user, paths in pages.items():
        client = page_client(user)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            assert_escaped(response.content.decode(), f"{path} as {user or 'a visitor'}")
    htmx = Client().get("/en/directory/?q=brake", HTTP_HX_REQUEST="true")
    assert_escaped(htmx.content.decode(), "the directory's htmx fragment")


@pytest.mark.sqlite
def test_a_flash_message_naming_a_hostile_firm_is_escaped(hostile):
    response = page_client(hostile["staff"]).post(
        f"/en/staff/introductions/{hostile['waiting'].pk}/approve/", {"message": PAYLOAD}, follow=True)
    html = response.content.decode()
    assert 'class="message success"' in html
    for raw in RAW:
        assert raw not in html


@pytest.mark.sqlite
def test_the_api_returns_stored_text_as_json_only(hostile):
    api = APIClient()
    firm = hostile["firm"]
    response = api.get(f"/api/v1/businesses/{firm.slug}/")
    assert response["Content-Type"] == "application/json"
    assert response.json()["name"] == NAME and response.json()["offers_text"] == f"brake pads {PAYLOAD}"
    # A browser asking for HTML gets the browsable API, which must escape it too.
    browsable = api.get(f"/api/v1/businesses/{firm.slug}/", HTTP_ACCEPT="text/html")
    assert browsable.status_code == 200
    if browsable["Content-Type"].startswith("text/html"):
        for raw in RAW[:2]:
            assert raw not in browsable.content.decode()
    api.force_authenticate(hostile["owner"])
    detail = api.get(f"/api/v1/introductions/{hostile['introduced'].pk}/")
    assert detail["Content-Type"] == "application/json"
    assert detail.json()["approval_message"] == PAYLOAD and detail.json()["outcome_note"] == PAYLOAD
    export = page_client(hostile["owner"]).get("/en/me/account/data.json")
    assert export["Content-Type"] == "application/json"


@pytest.mark.parametrize("website", ["javascript:alert(1)", "javascript://alert(1)", "JaVaScRiPt:alert(1)",
                                     "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
                                     " javascript:alert(1)", 'https://example.com/"><img src=x onerror=alert(1)>'])
@pytest.mark.sqlite
def test_a_website_that_is_not_http_is_refused_with_a_message(make_user, website):
    user, api = make_user("sneaky"), APIClient()
    api.force_authenticate(user)
    response = api.post("/api/v1/businesses/", hostile_profile(website=website), format="json")
    assert response.status_code == 400 and "website" in response.json()
    form = {**hostile_profile(website=website), "offers_hs": "870830", "certifications": "ISO"}
    page = page_client(user).post("/en/me/firms/new/", form)
    assert page.status_code == 200 and not Business.objects.filter(website__icontains="alert").exists()


def test_search_highlights_escape_the_payload_and_add_only_their_tags(backend, make_user, staff):  # noqa: F811
    firm = post_profile(make_user("hostile-owner"), staff, hostile_profile())
    sync(backend)
    response = APIClient().get("/api/v1/search/", {"q": "brake"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json()["backend"] == backend.name
    [hit] = [hit for hit in response.json()["results"] if hit["slug"] == firm.slug]
    assert hit["name"] == NAME
    assert set(hit["highlights"]) >= {"description", "offers_text"}
    for field, fragment in hit["highlights"].items():
        assert "<em>" in fragment, field
        assert "<" not in re.sub(r"</?em>", "", fragment), (field, fragment)
        assert "&lt;script&gt;" in fragment, (field, fragment)
    page = Client().get("/en/directory/", {"q": "brake"}).content.decode()
    assert_escaped(page, f"the directory page ({backend.name})")


@pytest.mark.sqlite
def test_emails_carry_hostile_names_as_plain_text(hostile, staff):
    for email_id in list(notifications.unsent()):
        notifications.send(email_id)
    about_firm = [m for m in mail.outbox if "Brake Works" in m.subject + m.body]
    assert about_firm
    for message in about_firm:
        assert message.content_subtype == "plain" and not getattr(message, "alternatives", None)
        # Plain text shows the name as the firm wrote it: no HTML entities to garble it.
        assert NAME in message.subject + message.body, message.body
        assert "&lt;" not in message.subject + message.body and "&quot;" not in message.body


@pytest.mark.sqlite
def test_admin_lists_and_forms_escape_stored_text(hostile, staff):
    staff.is_superuser = True
    staff.save()
    client = page_client(staff)
    firm, introduced = hostile["firm"], hostile["introduced"]
    for path in ("/admin/directory/business/", f"/admin/directory/business/{firm.pk}/change/",
                 "/admin/matching/introduction/", f"/admin/matching/introduction/{introduced.pk}/change/",
                 f"/admin/directory/user/{hostile['owner'].pk}/change/", "/admin/directory/city/",
                 f"/admin/directory/city/{hostile['city'].pk}/change/"):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        for raw in RAW[:2]:
            assert raw not in html, path
        assert "&lt;script&gt;" in html, path
    users = client.get("/admin/directory/user/?q=hostile").content.decode()
    assert "<script>alert(1)</script>" not in users


# --- in a real browser ----------------------------------------------------------------------


def watch(page):
    """Record every dialog the page opens (and dismiss it), so an alert() fails the test."""
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return dialogs


def injected(page):
    return page.evaluate("""() => ({
        images: document.querySelectorAll('img[src="x"], img[onerror]').length,
        scripts: [...document.scripts].filter(s => s.text.includes('alert(1)')).length,
    })""")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_chromium_runs_no_payload_on_profile_directory_and_staff_queues(hostile, open_page):  # noqa: F811
    firm, staff = hostile["firm"], hostile["staff"]
    visitor = open_page()
    dialogs = watch(visitor)
    visitor.goto(f"{visitor.base}/en/b/{firm.slug}/")
    assert visitor.locator("h1").inner_text().startswith(NAME)
    assert visitor.title().startswith(NAME)  # the </title> in the name did not end the title
    assert injected(visitor) == {"images": 0, "scripts": 0}

    visitor.goto(f"{visitor.base}/en/directory/?q=brake")
    assert visitor.locator("article.hit em").count() > 0  # the highlights are there, as markup
    assert injected(visitor) == {"images": 0, "scripts": 0}
    visitor.goto(f"{visitor.base}/en/directory/")
    visitor.fill("#q", "brake pads")  # htmx swaps the results in
    visitor.wait_for_selector("article.hit em")
    visitor.wait_for_timeout(500)
    assert injected(visitor) == {"images": 0, "scripts": 0}

    desk = open_page(user=staff)
    dialogs += watch(desk)
    for path in ("/en/staff/introductions/", "/en/staff/introductions/?status=introduced", "/en/staff/profiles/"):
        desk.goto(desk.base + path)
        assert "alert(1)" in desk.content()  # the payload is shown, as text
        assert injected(desk) == {"images": 0, "scripts": 0}, path
    desk.wait_for_timeout(300)
    assert dialogs == []
