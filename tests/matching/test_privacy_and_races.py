"""What an introduction tells a firm before the two are introduced, and two
people asking for the same pair at the same moment."""

import threading

import pytest
from django.db import connection

from matching import introductions, runs
from matching.introductions import InvalidTransition
from matching.models import Introduction

Status = Introduction.Status


def actors(api, user, introduction):
    api.force_authenticate(user)
    return [(event["action"], event["actor"]) for event in
            api.get(f"/api/v1/introductions/{introduction.pk}/").json()["history"]]


@pytest.mark.django_db
@pytest.mark.sqlite
def test_the_other_firms_people_stay_unnamed_in_the_history_until_introduced(api, staff, buyer_and_supplier):
    buyer, supplier = buyer_and_supplier
    introduction = introductions.request_introduction(actor=buyer.owner, target=supplier)
    introductions.approve_introduction(actor=staff, introduction=introduction)
    introductions.accept_introduction(actor=buyer.owner, introduction=introduction)

    assert actors(api, supplier.owner, introduction) == [("requested", None), ("approved", "staffer"), ("accepted", None)]
    assert actors(api, buyer.owner, introduction) == [("requested", "dana"), ("approved", "staffer"), ("accepted", "dana")]
    assert actors(api, staff, introduction)[0] == ("requested", "dana")

    introductions.accept_introduction(actor=supplier.owner, introduction=introduction)
    assert actors(api, supplier.owner, introduction)[0] == ("requested", "dana")


@pytest.mark.django_db
@pytest.mark.sqlite
def test_asking_for_a_pair_matching_proposed_does_not_reveal_the_proposal(api, buyer_and_supplier):
    buyer, supplier = buyer_and_supplier
    runs.run_matching_now(full=True)
    assert Introduction.objects.get(business_a=buyer, business_b=supplier).status == Status.PROPOSED
    api.force_authenticate(buyer.owner)
    response = api.post("/api/v1/introductions/", {"target": supplier.slug}, format="json")
    assert response.status_code == 409
    assert response.json() == {"detail": "These firms already have an open introduction."}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_requests_for_a_new_pair_at_the_same_moment_get_one_introduction_and_one_conflict(buyer_and_supplier):
    """The first request is held open after writing its row; the second,
    arriving meanwhile, must answer 409 (InvalidTransition), never a 500."""
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks and concurrent transactions")
    from django.db import transaction

    buyer, supplier = buyer_and_supplier
    first_wrote, outcome = threading.Event(), {}

    def first():
        try:
            with transaction.atomic():
                introductions.request_introduction(actor=buyer.owner, target=supplier)
                first_wrote.set()
                threading.Event().wait(1.0)  # the second request arrives while this one is uncommitted
        finally:
            first_wrote.set()
            connection.close()

    def second():
        first_wrote.wait(10)
        try:
            introductions.request_introduction(actor=supplier.owner, target=buyer)
            outcome["second"] = "created"
        except InvalidTransition:
            outcome["second"] = "conflict"
        except Exception as error:  # what became a 500
            outcome["second"] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert outcome == {"second": "conflict"}
    assert Introduction.objects.get().requested_by == buyer
