"""A pair asked or proposed again after a no starts a new round, and nothing
of the last round carries over: approvals, acceptances, reminders, emails."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from directory import services as directory_services
from directory.models import City
from matching import introductions, runs
from matching.introductions import InvalidTransition
from matching.models import Introduction, OutgoingEmail

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]
Status = Introduction.Status


def detail(api, user, introduction):
    api.force_authenticate(user)
    response = api.get(f"/api/v1/introductions/{introduction.pk}/")
    assert response.status_code == 200, response.content
    return response


def test_a_stale_acceptance_from_the_last_round_reveals_no_contact(api, staff, buyer_and_supplier,
                                                                    send_promised_emails):
    buyer, supplier = buyer_and_supplier
    introduction = introductions.request_introduction(actor=buyer.owner, target=supplier)
    introductions.approve_introduction(actor=staff, introduction=introduction)
    introductions.accept_introduction(actor=buyer.owner, introduction=introduction)
    introductions.decline_introduction(actor=supplier.owner, introduction=introduction, reason="not now")
    send_promised_emails()

    # The buyer was turned down: it may not ask again within the cooling-off.
    with pytest.raises(InvalidTransition):
        introductions.request_introduction(actor=buyer.owner, target=supplier)
    api.force_authenticate(buyer.owner)
    assert api.post("/api/v1/introductions/", {"target": supplier.slug}, format="json").status_code == 409

    # The supplier changed its mind and asks itself: round 2.
    introduction = introductions.request_introduction(actor=supplier.owner, target=buyer, message="Let us talk after all.")
    assert (introduction.status, introduction.round, introduction.requested_by) == (Status.REQUESTED, 2, supplier)
    api.force_authenticate(buyer.owner)
    assert api.post("/api/v1/introductions/", {"target": supplier.slug}, format="json").status_code == 409

    introductions.approve_introduction(actor=staff, introduction=introduction)
    mail.outbox.clear()
    send_promised_emails()
    introduction = introductions.accept_introduction(actor=supplier.owner, introduction=introduction)

    # The buyer's acceptance belonged to round 1: round 2 waits for it, and nobody sees a contact.
    assert introduction.status == Status.APPROVED and introduction.accepted_a_at is None
    for user in (buyer.owner, supplier.owner):
        response = detail(api, user, introduction)
        assert response.json()["counterpart_contact"] is None
        assert "minjun@hanbit.example" not in response.content.decode()
        assert "dana@frontrange.example" not in response.content.decode()
    # Round 2's approval emails are new promises, and they were delivered.
    round_two = OutgoingEmail.objects.filter(introduction=introduction, key__contains=":round2:approved:")
    assert round_two.count() == 2 and all(email.sent_at for email in round_two)
    assert sorted(address for m in mail.outbox for address in m.to) == sorted([buyer.owner.email, supplier.owner.email])
    # The history keeps both rounds.
    history = detail(api, staff, introduction).json()["history"]
    assert [(e["round"], e["action"]) for e in history] == [
        (1, "requested"), (1, "approved"), (1, "accepted"), (1, "declined"),
        (2, "requested"), (2, "approved"), (2, "accepted"),
    ]


def test_the_firm_that_declined_may_ask_again_but_a_dismissed_requester_waits(staff, buyer_and_supplier, settings):
    buyer, supplier = buyer_and_supplier
    introduction = introductions.request_introduction(actor=buyer.owner, target=supplier)
    introductions.dismiss_introduction(actor=staff, introduction=introduction, reason="timing")
    with pytest.raises(InvalidTransition):
        introductions.request_introduction(actor=buyer.owner, target=supplier)
    settings.MATCHING_COOLING_OFF_DAYS = 0  # the cooling-off is over
    assert introductions.request_introduction(actor=buyer.owner, target=supplier).round == 2


def test_a_second_round_needs_staff_again(make_user, staff, buyer_and_supplier):
    buyer, supplier = buyer_and_supplier
    coordinator = make_user("seongnam-coordinator")
    City.objects.filter(slug="seongnam").update(coordinator=coordinator, coordinator_must_approve=True)
    introduction = introductions.request_introduction(actor=buyer.owner, target=supplier)
    introductions.approve_introduction(actor=staff, introduction=introduction)
    assert introductions.approve_introduction(actor=coordinator, introduction=introduction).status == Status.APPROVED
    introductions.decline_introduction(actor=supplier.owner, introduction=introduction)

    introduction = introductions.request_introduction(actor=supplier.owner, target=buyer)
    introduction = introductions.approve_introduction(actor=coordinator, introduction=introduction)
    assert introduction.status == Status.REQUESTED and introduction.approved_at is None
    assert introductions.approve_introduction(actor=staff, introduction=introduction).status == Status.APPROVED


def test_the_reminder_and_expiry_clock_restarts_with_the_round(staff, buyer_and_supplier, send_promised_emails):
    buyer, supplier = buyer_and_supplier
    introduction = introductions.request_introduction(actor=buyer.owner, target=supplier)
    introductions.approve_introduction(actor=staff, introduction=introduction)
    now = timezone.now()
    assert introductions.remind_and_expire(now=now + timedelta(days=8)) == (1, 0)
    assert introductions.remind_and_expire(now=now + timedelta(days=22)) == (0, 1)

    # Nobody said no, so the buyer may ask again at once; staff approve round 2.
    introduction = introductions.request_introduction(actor=buyer.owner, target=supplier)
    introductions.approve_introduction(actor=staff, introduction=introduction)
    later = timezone.now()
    assert introductions.remind_and_expire(now=later + timedelta(days=6)) == (0, 0)
    assert introductions.remind_and_expire(now=later + timedelta(days=8)) == (1, 0)
    assert OutgoingEmail.objects.filter(introduction=introduction, key__contains=":round2:reminder:").count() == 2
    assert introductions.remind_and_expire(now=later + timedelta(days=22)) == (0, 1)
    send_promised_emails()
    assert Introduction.objects.get(pk=introduction.pk).status == Status.EXPIRED


def test_matching_proposing_a_declined_pair_again_starts_a_clean_round(staff, buyer_and_supplier):
    buyer, supplier = buyer_and_supplier
    runs.run_matching_now(full=True)
    introduction = Introduction.objects.get(business_a=buyer, business_b=supplier)
    introductions.approve_introduction(actor=staff, introduction=introduction)
    introductions.accept_introduction(actor=buyer.owner, introduction=introduction)
    introductions.decline_introduction(actor=supplier.owner, introduction=introduction)

    # The supplier now offers more: the pair may be judged afresh.
    directory_services.update_business(actor=supplier.owner, business=supplier, data={"offers_hs": ["870830", "870840"]})
    directory_services.publish_business_changes(actor=staff, business=supplier)
    runs.run_matching_now(full=False)
    introduction.refresh_from_db()
    assert (introduction.status, introduction.round) == (Status.PROPOSED, 2)
    assert introduction.approved_at is None and introduction.accepted_a_at is None and introduction.declined_by is None

    introductions.approve_introduction(actor=staff, introduction=introduction)
    introduction = introductions.accept_introduction(actor=supplier.owner, introduction=introduction)
    assert introduction.status == Status.APPROVED  # still waiting for the buyer's answer in this round
