"""Who must approve an introduction (staff, and each city's own coordinator
where the city asks for it), and firms that leave the directory meanwhile."""

import pytest

from directory import services as directory_services
from directory.models import City
from matching import introductions
from matching.introductions import InvalidTransition
from matching.models import Introduction

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]
Status = Introduction.Status


@pytest.fixture
def coordinators(make_user):
    aurora, seongnam = make_user("aurora-coordinator"), make_user("seongnam-coordinator")
    City.objects.filter(slug="aurora").update(coordinator=aurora, coordinator_must_approve=True)
    City.objects.filter(slug="seongnam").update(coordinator=seongnam, coordinator_must_approve=True)
    return aurora, seongnam


def test_one_citys_coordinator_cannot_approve_for_another_city(staff, buyer_and_supplier, coordinators):
    buyer, supplier = buyer_and_supplier
    aurora, seongnam = coordinators
    introduction = introductions.request_introduction(actor=buyer.owner, target=supplier)
    introductions.approve_introduction(actor=staff, introduction=introduction)
    introduction = introductions.approve_introduction(actor=aurora, introduction=introduction)
    assert introduction.status == Status.REQUESTED  # Seongnam's coordinator has not approved
    introduction = introductions.approve_introduction(actor=aurora, introduction=introduction)
    assert introduction.status == Status.REQUESTED  # approving twice counts once
    introduction = introductions.approve_introduction(actor=seongnam, introduction=introduction)
    assert introduction.status == Status.APPROVED and introduction.approved_by == staff
    assert set(introduction.approvals.values_list("city__slug", "user__username")) == {
        (None, "staffer"), ("aurora", "aurora-coordinator"), ("seongnam", "seongnam-coordinator")}


def test_the_coordinators_alone_do_not_approve_without_staff(api, buyer_and_supplier, coordinators):
    buyer, supplier = buyer_and_supplier
    introduction = introductions.request_introduction(actor=buyer.owner, target=supplier)
    for coordinator in coordinators:
        api.force_authenticate(coordinator)
        response = api.post(f"/api/v1/introductions/{introduction.pk}/approve/")
        assert response.status_code == 200 and response.json()["status"] == "requested"


def test_the_staff_queue_says_which_approval_is_missing(client, staff, buyer_and_supplier, coordinators):
    buyer, supplier = buyer_and_supplier
    aurora, _seongnam = coordinators
    introduction = introductions.request_introduction(actor=buyer.owner, target=supplier)
    introductions.approve_introduction(actor=aurora, introduction=introduction)
    client.force_login(staff)
    assert "The city coordinator approved; it waits for staff." in client.get("/en/staff/introductions/").content.decode()
    introductions.approve_introduction(actor=staff, introduction=introduction)
    assert "Staff approved; it waits for the city coordinator." in client.get("/en/staff/introductions/").content.decode()


@pytest.fixture
def three_introductions(staff, make_business, make_user, buyer_and_supplier):
    """The supplier with three partners: one approved, one it asked for, one the buyer accepted."""
    buyer, supplier = buyer_and_supplier
    frenos = make_business(owner=make_user("lucia"), name="Frenos Baeza", city="chihuahua")
    adama = make_business(owner=make_user("abebe"), name="Adama Auto", city="adama")
    approved = introductions.request_introduction(actor=buyer.owner, target=supplier)
    introductions.approve_introduction(actor=staff, introduction=approved)
    introductions.accept_introduction(actor=buyer.owner, introduction=approved)
    requested = introductions.request_introduction(actor=supplier.owner, target=frenos)
    untouched = introductions.request_introduction(actor=frenos.owner, target=adama)
    return supplier, approved, requested, untouched


@pytest.mark.parametrize("leave", ["suspend", "archive"])
def test_a_firm_leaving_the_directory_closes_its_open_introductions(api, staff, three_introductions, leave):
    supplier, approved, requested, untouched = three_introductions
    if leave == "suspend":
        directory_services.suspend_business(actor=staff, business=supplier, reason="Documents under review")
    else:
        directory_services.archive_business(actor=supplier.owner, business=supplier)

    for introduction in (approved, requested):
        introduction.refresh_from_db()
        assert introduction.status == Status.CLOSED
        closing = introduction.events.get(action="closed")
        assert closing.staff_only and closing.note.startswith("suspended" if leave == "suspend" else "archived")
    assert Introduction.objects.get(pk=untouched.pk).status == Status.REQUESTED
    # The buyer, who had accepted, reads that it is closed; its answer can no longer be given.
    api.force_authenticate(approved.business_a.owner)
    body = api.get(f"/api/v1/introductions/{approved.pk}/").json()
    assert body["status"] == "closed" and "Documents under review" not in str(body)
    assert api.post(f"/api/v1/introductions/{approved.pk}/accept/").status_code == 409


def test_a_lapsed_firm_cannot_be_approved_or_accepted(api, staff, settings, make_business, make_user,
                                                      buyer_and_supplier):
    buyer, supplier = buyer_and_supplier
    frenos = make_business(owner=make_user("lucia"), name="Frenos Baeza", city="chihuahua")
    waiting = introductions.request_introduction(actor=buyer.owner, target=supplier)
    approved = introductions.request_introduction(actor=frenos.owner, target=buyer)
    introductions.approve_introduction(actor=staff, introduction=approved)

    settings.PROFILE_FRESHNESS_DAYS = 0  # every profile's confirmation has now lapsed
    api.force_authenticate(staff)
    response = api.post(f"/api/v1/introductions/{waiting.pk}/approve/")
    assert response.status_code == 409 and "no longer listed" in response.json()["detail"]
    api.force_authenticate(buyer.owner)
    assert api.post(f"/api/v1/introductions/{approved.pk}/accept/").status_code == 409
    assert Introduction.objects.get(pk=waiting.pk).status == Status.REQUESTED
    approved.refresh_from_db()
    assert approved.accepted_a_at is None and approved.accepted_b_at is None
