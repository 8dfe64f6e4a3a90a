"""The introduction workflow over the API: request, approval, double opt-in,
contact reveal, outcomes, reminders and expiry, and the emails each step promises."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from directory.models import City
from matching import introductions, notifications
from matching.models import Introduction, OutgoingEmail

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]
Status = Introduction.Status

BUYER_PROFILE = {
    "name": "Front Range Brake Supply", "city": "aurora", "description": "Distributor of brake parts in Colorado.",
    "description_language": "en", "seeks_hs": ["870830"], "seeks_text": "brake pads", "trade_roles": ["importer"],
    "contact_name": "Dana Whitfield", "contact_email": "dana@frontrange.example", "contact_phone": "+1 303 555 0100",
}
SUPPLIER_PROFILE = {
    "name": "Hanbit Brake Works", "city": "seongnam", "description": "브레이크 패드와 디스크를 생산합니다.",
    "description_language": "ko", "offers_hs": ["870830"], "offers_text": "브레이크 패드", "trade_roles": ["exporter"],
    "contact_name": "김민준", "contact_email": "minjun@hanbit.example", "contact_phone": "+82 31 555 0101",
}
SECRETS = ("dana@frontrange.example", "+1 303 555 0100", "minjun@hanbit.example", "+82 31 555 0101")


def send_promised_emails():
    """What the after-commit task does; tests run inside one transaction."""
    for email_id in list(notifications.unsent()):
        notifications.send(email_id)


def publish(api, user, staff, profile):
    api.force_authenticate(user)
    slug = api.post("/api/v1/businesses/", profile, format="json").json()["slug"]
    assert api.post(f"/api/v1/businesses/{slug}/submit/").status_code == 200
    api.force_authenticate(staff)
    assert api.post(f"/api/v1/businesses/{slug}/publish/").status_code == 200
    return slug


@pytest.fixture
def firms(api, make_user, staff):
    buyer, supplier = make_user("dana"), make_user("minjun")
    supplier.preferred_language = "ko"
    supplier.save()
    return {
        "buyer": buyer, "supplier": supplier,
        "buyer_slug": publish(api, buyer, staff, BUYER_PROFILE),
        "supplier_slug": publish(api, supplier, staff, SUPPLIER_PROFILE),
    }


def test_the_whole_loop_over_the_api(api, staff, firms):
    buyer, supplier = firms["buyer"], firms["supplier"]
    mail.outbox.clear()

    # The buyer found the supplier and asks to be introduced.
    api.force_authenticate(buyer)
    response = api.post("/api/v1/introductions/", {"target": firms["supplier_slug"], "message": "We buy 10k pads a year."},
                        format="json")
    assert response.status_code == 201, response.content
    intro_id = response.json()["id"]
    assert response.json()["status"] == "requested"
    assert api.post("/api/v1/introductions/", {"target": firms["supplier_slug"]}, format="json").status_code == 409
    api.force_authenticate(supplier)
    assert api.get(f"/api/v1/introductions/{intro_id}/").status_code == 404  # not until staff approve

    # Staff approve; both firms are told, each in its language.
    api.force_authenticate(staff)
    assert api.post(f"/api/v1/introductions/{intro_id}/approve/", {"message": "A good fit."}, format="json").json()["status"] == "approved"
    send_promised_emails()
    assert len(mail.outbox) == 2
    to_supplier = next(m for m in mail.outbox if supplier.email in m.to)
    assert "소개" in to_supplier.subject
    to_buyer = next(m for m in mail.outbox if buyer.email in m.to)
    assert "Hanbit Brake Works" in to_buyer.subject and "A good fit." in to_buyer.body

    # The buyer accepts: no contacts yet.
    api.force_authenticate(buyer)
    accepted = api.post(f"/api/v1/introductions/{intro_id}/accept/").json()
    assert accepted["status"] == "approved" and accepted["counterpart_contact"] is None
    inbox = api.get("/api/v1/me/introductions/").json()["results"]
    assert inbox[0]["id"] == intro_id and inbox[0]["awaiting_your_answer"] is False
    for text in (api.get(f"/api/v1/introductions/{intro_id}/").content.decode(),
                 api.get(f"/api/v1/businesses/{firms['supplier_slug']}/").content.decode(),
                 api.get("/api/v1/search/", {"q": "brake"}).content.decode()):
        assert "minjun@hanbit.example" not in text and "+82 31 555 0101" not in text

    # The supplier accepts too: introduced, and now each sees the other.
    api.force_authenticate(supplier)
    assert api.get("/api/v1/me/introductions/").json()["results"][0]["awaiting_your_answer"] is True
    introduced = api.post(f"/api/v1/introductions/{intro_id}/accept/").json()
    assert introduced["status"] == "introduced"
    assert introduced["counterpart_contact"]["email"] == "dana@frontrange.example"
    api.force_authenticate(buyer)
    contact = api.get(f"/api/v1/introductions/{intro_id}/").json()["counterpart_contact"]
    assert contact == {"business": firms["supplier_slug"], "name": "김민준", "email": "minjun@hanbit.example",
                       "phone": "+82 31 555 0101"}

    # One introduction email to both, the facilitator copied.
    mail.outbox.clear()
    send_promised_emails()
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {buyer.email, supplier.email} and mail.outbox[0].cc == [staff.email]
    assert "minjun@hanbit.example" in mail.outbox[0].body and "dana@frontrange.example" in mail.outbox[0].body

    # An outcome, and the full history for staff.
    outcome = api.post(f"/api/v1/introductions/{intro_id}/outcome/", {"outcome": "deal", "value": "120000", "note": "First order"},
                       format="json")
    assert outcome.status_code == 200 and outcome.json()["outcome"] == "deal"
    api.force_authenticate(staff)
    actions = [event["action"] for event in api.get(f"/api/v1/introductions/{intro_id}/").json()["history"]]
    assert actions == ["requested", "approved", "accepted", "accepted", "introduced", "outcome"]


def test_contacts_stay_hidden_from_everyone_before_introduced(api, staff, firms, make_user):
    api.force_authenticate(firms["buyer"])
    intro_id = api.post("/api/v1/introductions/", {"target": firms["supplier_slug"]}, format="json").json()["id"]
    api.force_authenticate(staff)
    api.post(f"/api/v1/introductions/{intro_id}/approve/")
    send_promised_emails()
    for email in mail.outbox:
        assert not any(secret in email.body for secret in SECRETS)
    for user in (firms["buyer"], firms["supplier"], make_user("bystander"), None):
        api.force_authenticate(user)
        for url in (f"/api/v1/introductions/{intro_id}/", "/api/v1/introductions/", "/api/v1/search/?q=brake",
                    f"/api/v1/businesses/{firms['supplier_slug']}/" if user != firms["supplier"] else "/api/v1/cities/"):
            body = api.get(url).content.decode()
            other = SECRETS[2:] if user == firms["buyer"] else SECRETS[:2] if user == firms["supplier"] else SECRETS
            assert not any(secret in body for secret in other), (user, url)


def test_wrong_actor_and_wrong_state(api, staff, firms, make_user):
    api.force_authenticate(firms["buyer"])
    intro_id = api.post("/api/v1/introductions/", {"target": firms["supplier_slug"]}, format="json").json()["id"]
    assert api.post(f"/api/v1/introductions/{intro_id}/approve/").status_code == 403
    assert api.post(f"/api/v1/introductions/{intro_id}/accept/").status_code == 409  # not approved yet
    api.force_authenticate(make_user("bystander"))
    assert api.post(f"/api/v1/introductions/{intro_id}/accept/").status_code == 404
    api.force_authenticate(staff)
    assert api.post(f"/api/v1/introductions/{intro_id}/dismiss/", {"reason": "bored"}, format="json").status_code == 400
    assert api.post(f"/api/v1/introductions/{intro_id}/dismiss/", {"reason": "timing", "note": "after the fair"},
                    format="json").json()["status"] == "dismissed"
    assert api.post(f"/api/v1/introductions/{intro_id}/approve/").status_code == 409
    assert api.post(f"/api/v1/introductions/{intro_id}/outcome/", {"outcome": "met"}, format="json").status_code == 409
    api.force_authenticate(firms["buyer"])
    history = api.get(f"/api/v1/introductions/{intro_id}/").json()["history"]
    assert "after the fair" not in str(history)  # staff-only reasoning
    api.force_authenticate(None)
    assert api.post(f"/api/v1/introductions/{intro_id}/approve/").status_code == 401


def test_requests_are_rate_limited(api, firms, settings, staff, make_business):
    settings.INTRODUCTION_REQUESTS_PER_DAY = 2
    targets = [make_business(name=f"Target {n}", city="adama").slug for n in range(3)]
    api.force_authenticate(firms["buyer"])
    assert [api.post("/api/v1/introductions/", {"target": t}, format="json").status_code for t in targets] == [201, 201, 429]


def test_a_city_can_require_its_coordinator_to_co_approve(api, staff, firms, make_user):
    coordinator = make_user("seongnam-coordinator")
    City.objects.filter(slug="seongnam").update(coordinator=coordinator, coordinator_must_approve=True)
    api.force_authenticate(firms["buyer"])
    intro_id = api.post("/api/v1/introductions/", {"target": firms["supplier_slug"]}, format="json").json()["id"]
    api.force_authenticate(staff)
    assert api.post(f"/api/v1/introductions/{intro_id}/approve/").json()["status"] == "requested"
    api.force_authenticate(coordinator)
    assert api.post(f"/api/v1/introductions/{intro_id}/approve/").json()["status"] == "approved"


def test_reminders_after_a_week_and_expiry_after_three_with_a_moved_clock(api, staff, firms):
    api.force_authenticate(firms["buyer"])
    intro_id = api.post("/api/v1/introductions/", {"target": firms["supplier_slug"]}, format="json").json()["id"]
    api.force_authenticate(staff)
    api.post(f"/api/v1/introductions/{intro_id}/approve/")
    api.force_authenticate(firms["buyer"])
    api.post(f"/api/v1/introductions/{intro_id}/accept/")
    send_promised_emails()
    mail.outbox.clear()
    now = timezone.now()

    assert introductions.remind_and_expire(now=now + timedelta(days=6)) == (0, 0)
    assert introductions.remind_and_expire(now=now + timedelta(days=8)) == (1, 0)
    assert introductions.remind_and_expire(now=now + timedelta(days=9)) == (0, 0)  # once
    send_promised_emails()
    send_promised_emails()  # a second delivery sends nothing more
    assert [m.to for m in mail.outbox] == [[firms["supplier"].email]]  # only the firm that has not answered

    assert introductions.remind_and_expire(now=now + timedelta(days=22)) == (0, 1)
    assert Introduction.objects.get(pk=intro_id).status == Status.EXPIRED


def test_follow_ups_ask_for_the_outcome_at_30_and_90_days(api, staff, firms):
    api.force_authenticate(firms["buyer"])
    intro_id = api.post("/api/v1/introductions/", {"target": firms["supplier_slug"]}, format="json").json()["id"]
    api.force_authenticate(staff)
    api.post(f"/api/v1/introductions/{intro_id}/approve/")
    for user in (firms["buyer"], firms["supplier"]):
        api.force_authenticate(user)
        api.post(f"/api/v1/introductions/{intro_id}/accept/")
    send_promised_emails()
    mail.outbox.clear()
    now = timezone.now()
    assert introductions.send_followups(now=now + timedelta(days=31)) == 1
    assert introductions.send_followups(now=now + timedelta(days=32)) == 0
    assert introductions.send_followups(now=now + timedelta(days=91)) == 1
    send_promised_emails()
    assert len(mail.outbox) == 4
    assert OutgoingEmail.objects.filter(key__contains="followup90").count() == 2


def introduce(api, staff, firms, outcome=None):
    api.force_authenticate(firms["buyer"])
    intro_id = api.post("/api/v1/introductions/", {"target": firms["supplier_slug"]}, format="json").json()["id"]
    api.force_authenticate(staff)
    api.post(f"/api/v1/introductions/{intro_id}/approve/")
    for user in (firms["buyer"], firms["supplier"]):
        api.force_authenticate(user)
        api.post(f"/api/v1/introductions/{intro_id}/accept/")
    if outcome:
        api.post(f"/api/v1/introductions/{intro_id}/outcome/", {"outcome": outcome}, format="json")
    return intro_id


def test_staff_see_the_funnel_by_city_pair_and_month_and_can_export_it(api, staff, firms):
    introduce(api, staff, firms, outcome="deal")
    api.force_authenticate(staff)
    rows = api.get("/api/v1/metrics/introductions/").json()["results"]
    assert len(rows) == 1
    row = rows[0]
    assert row["city_pair"] == "aurora,seongnam" and row["month"] == timezone.now().strftime("%Y-%m")
    assert [row[s] for s in ("proposed", "approved", "accepted", "introduced", "met", "deal")] == [1, 1, 1, 1, 1, 1]
    assert row["acceptance_rate"] == 1.0 and row["median_days_to_approval"] == 0.0
    exported = api.get("/api/v1/metrics/introductions/", {"export": "csv"})
    assert exported["Content-Type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(exported.content.decode())))
    assert table == [{key: "" if value is None else str(value) for key, value in row.items()}]
    api.force_authenticate(firms["buyer"])
    assert api.get("/api/v1/metrics/introductions/").status_code == 403


def test_staff_bulk_approve_in_the_admin(client, staff, firms, api):
    staff.is_superuser = True
    staff.save()
    api.force_authenticate(firms["buyer"])
    intro_id = api.post("/api/v1/introductions/", {"target": firms["supplier_slug"]}, format="json").json()["id"]
    client.force_login(staff)
    response = client.post("/admin/matching/introduction/", {"action": "approve_selected", "_selected_action": [intro_id]})
    assert response.status_code == 302
    introduction = Introduction.objects.get(pk=intro_id)
    assert introduction.status == Status.APPROVED and introduction.approved_by == staff
    assert OutgoingEmail.objects.filter(introduction=introduction).count() == 2


# Who may do what to an introduction, by its state before the call.
# Columns: anonymous, firm A (the buyer), firm B (the supplier), unrelated firm,
# volunteer of Seongnam, volunteer of Adama, staff.
ACTORS = ["anonymous", "firm_a", "firm_b", "unrelated", "volunteer_here", "volunteer_elsewhere", "staff"]
MATRIX = [
    ("retrieve", "requested", [401, 200, 404, 404, 200, 404, 200]),
    ("retrieve", "approved", [401, 200, 200, 404, 200, 404, 200]),
    ("approve", "requested", [401, 403, 404, 404, 403, 404, 200]),
    ("dismiss", "requested", [401, 403, 404, 404, 403, 404, 200]),
    ("accept", "approved", [401, 200, 200, 404, 403, 404, 403]),
    ("decline", "approved", [401, 200, 200, 404, 403, 404, 403]),
    ("outcome", "introduced", [401, 200, 200, 404, 403, 404, 200]),
]


@pytest.mark.parametrize("action, state, expected", MATRIX, ids=[f"{a}-{s}" for a, s, _ in MATRIX])
def test_permission_matrix(api, staff, firms, make_user, seongnam_volunteer, action, state, expected):
    api.force_authenticate(firms["buyer"])
    intro_id = api.post("/api/v1/introductions/", {"target": firms["supplier_slug"]}, format="json").json()["id"]
    if state in ("approved", "introduced"):
        api.force_authenticate(staff)
        api.post(f"/api/v1/introductions/{intro_id}/approve/")
    if state == "introduced":
        for user in (firms["buyer"], firms["supplier"]):
            api.force_authenticate(user)
            api.post(f"/api/v1/introductions/{intro_id}/accept/")
    unrelated = make_user("unrelated")
    elsewhere = make_user("adama-volunteer")
    elsewhere.volunteer_cities.set(City.objects.filter(slug="adama"))
    users = {"anonymous": None, "firm_a": firms["buyer"], "firm_b": firms["supplier"], "unrelated": unrelated,
             "volunteer_here": seongnam_volunteer, "volunteer_elsewhere": elsewhere, "staff": staff}
    bodies = {"dismiss": {"reason": "timing"}, "outcome": {"outcome": "met"}}
    for actor, status in zip(ACTORS, expected):
        api.force_authenticate(users[actor])
        url = f"/api/v1/introductions/{intro_id}/" + ("" if action == "retrieve" else f"{action}/")
        response = api.get(url) if action == "retrieve" else api.post(url, bodies.get(action, {}), format="json")
        assert response.status_code == status, (actor, response.content)
        if status == 200 and action in ("approve", "dismiss", "accept", "decline"):
            break  # the state changed; later columns would test another state


@pytest.mark.parametrize("language", notifications.TEMPLATE_LANGUAGES)
@pytest.mark.parametrize("kind", ["approved", "reminder", "introduced", "followup"])
def test_every_email_renders_in_every_language(make_business, kind, language):
    a = make_business(name="Front Range Brake Supply")
    b = make_business(name="Frenos Baeza", city="chihuahua", offers_hs=["870830"])
    introduction = Introduction.objects.create(business_a=a, business_b=b, status=Status.APPROVED,
                                               reasons=[{"code": "x", "text": "A reason", "weight": 0.4}])
    email = notifications.promise(key=f"render:{kind}:{language}", introduction=introduction, kind=kind, to=["x@y.example"],
                                  language=language, context={"business": a, "other": b, "a": a, "b": b, "days": 30})
    assert email.subject and "{" not in email.subject and "{" not in email.body
    assert "Frenos Baeza" in email.subject + email.body


def test_each_firm_gets_its_own_language(make_business, make_user):
    spanish = make_business(name="Frenos Baeza", city="chihuahua", description_language="es-MX")
    korean_owner = make_user("kim", preferred_language="ko")
    korean = make_business(owner=korean_owner, name="Hanbit", city="seongnam", description_language="en")
    amharic = make_business(name="Adama Sesame", city="adama", description_language="am")
    assert [notifications.language_for(b) for b in (spanish, korean, amharic)] == ["es", "ko", "am"]
