"""A small network in which every kind of person has something of their own,
for the authorization matrix and the hostile-input tests.

The firm under attack is Hanbit Brake Works of Seongnam: imported with an
import key, handed to its owner by staff, run by its owner and one member.
Around it: a firm of another owner in Aurora, volunteers for Seongnam and for
Adama, Seongnam's coordinator, and introductions in the states that decide
who may see what.
"""

from dataclasses import dataclass

import pytest
from django.test import Client
from rest_framework.test import APIClient

from directory import services as directory_services
from directory.models import Business, City
from matching import introductions as matching_introductions
from search import services as search_services
from search.filters import BusinessFilters
from tests.conftest import profile_data

# What the firm keeps private, and what only staff may read.
FIRM_EMAIL = "minjun.private@hanbit.example"
FIRM_PHONE = "+82 31 555 0199"
FIRM_EXTERNAL_ID = "CRM-SECRET-0042"
STAFF_NOTE = "STAFF-ONLY: the Adama firm failed our reference check"
SECRETS = {"contact": (FIRM_EMAIL, FIRM_PHONE), "external_id": (FIRM_EXTERNAL_ID,), "staff_note": (STAFF_NOTE,)}

ACTORS = ("anonymous", "owner", "member", "other_owner", "volunteer", "volunteer_elsewhere", "coordinator", "staff")

FIRM_CONTACT = {"contact_name": "Kim Minjun", "contact_email": FIRM_EMAIL, "contact_phone": FIRM_PHONE}


@dataclass
class World:
    users: dict
    firm: Business  # published, Seongnam; owner and member
    draft: Business  # the firm's second profile, a draft
    pending: Business  # its third, waiting for review
    other: Business  # published, Aurora; other_owner
    other_draft: Business
    frenos: Business  # published, Chihuahua
    sesame: Business  # published, Adama
    approved: object  # other -> firm, approved by staff
    requested: object  # frenos -> firm, waiting for staff
    dismissed: object  # firm -> sesame, dismissed with a staff-only note
    saved: object  # the owner's saved search

    def slugs(self):
        names = ("firm", "draft", "pending", "other", "other_draft", "frenos", "sesame")
        ids = {name: getattr(self, name).pk for name in ("approved", "requested", "dismissed", "saved")}
        unsubscribe = search_services.unsubscribe_token(user=self.users["owner"])
        return {**{name: getattr(self, name).slug for name in names}, **ids, "unsubscribe": unsubscribe}


def publish(staff, owner, **data):
    business = directory_services.create_business(actor=owner, data=profile_data(**data))
    directory_services.submit_business(actor=owner, business=business)
    return directory_services.publish_business(actor=staff, business=business)


@pytest.fixture
def world(db, settings, make_user, staff):
    # The matrix is about who may see what; the database backend answers searches here.
    settings.SEARCH_BACKEND = "database"
    # The matrix asks again for the dismissed pair; the cooling-off that would
    # refuse it has its own tests in tests/matching.
    settings.MATCHING_COOLING_OFF_DAYS = 0
    users = {name: make_user(name.replace("_", "-")) for name in ACTORS if name not in ("anonymous", "staff")}
    users["anonymous"], users["staff"] = None, staff
    seongnam = City.objects.get(slug="seongnam")
    users["volunteer"].volunteer_cities.set([seongnam])
    users["volunteer_elsewhere"].volunteer_cities.set([City.objects.get(slug="adama")])
    seongnam.coordinator = users["coordinator"]
    seongnam.save()

    owner, member = users["owner"], users["member"]
    firm, _ = directory_services.import_business(
        data=profile_data(name="Hanbit Brake Works", city="seongnam", offers_hs=["870830"], seeks_hs=[],
                          seeks_text="", description="브레이크 패드와 디스크를 생산합니다.", **FIRM_CONTACT),
        external_id=FIRM_EXTERNAL_ID, status=Business.Status.PUBLISHED,
    )
    firm = directory_services.assign_owner(actor=staff, business=firm, owner=owner)
    draft = directory_services.create_business(actor=owner, data=profile_data(
        name="Hanbit Draft", city="seongnam", **FIRM_CONTACT))
    pending = directory_services.create_business(actor=owner, data=profile_data(
        name="Hanbit Pending", city="seongnam", **FIRM_CONTACT))
    pending = directory_services.submit_business(actor=owner, business=pending)
    # Membership is kept by staff in the admin; there is no workflow to it.
    for business in (firm, draft, pending):
        business.members.add(member)

    other_owner, third = users["other_owner"], make_user("third-owner")
    other = publish(staff, other_owner, name="Front Range Brake Supply", city="aurora")
    other_draft = directory_services.create_business(actor=other_owner, data=profile_data(
        name="Front Range Draft", city="aurora"))
    frenos = publish(staff, third, name="Frenos Baeza", city="chihuahua", offers_hs=["870830"])
    sesame = publish(staff, third, name="Adama Sesame Export", city="adama", offers_hs=["120740"])

    approved = matching_introductions.request_introduction(actor=other_owner, target=firm, requester=other, message="10k pads")
    approved = matching_introductions.approve_introduction(actor=staff, introduction=approved, message="A good fit.")
    requested = matching_introductions.request_introduction(actor=third, target=firm, requester=frenos)
    dismissed = matching_introductions.request_introduction(actor=owner, target=sesame, requester=firm)
    dismissed = matching_introductions.dismiss_introduction(actor=staff, introduction=dismissed, reason="profile_quality",
                                                       note=STAFF_NOTE)
    saved, _ = search_services.save_search(user=owner, text="sesame", side="offers", filters=BusinessFilters(country="ET"))
    return World(users=users, firm=firm, draft=draft, pending=pending, other=other, other_draft=other_draft,
                 frenos=frenos, sesame=sesame, approved=approved, requested=requested, dismissed=dismissed,
                 saved=saved)


def api_client(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def page_client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
