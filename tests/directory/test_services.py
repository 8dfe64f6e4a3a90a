from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from directory import selectors, services
from directory.models import Business, BusinessTerm, City
from matching import notifications
from tests.conftest import profile_data

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]
Status = Business.Status


def test_a_new_profile_is_a_draft_owned_by_its_creator(make_user):
    owner = make_user("owner")
    business = services.create_business(actor=owner, data=profile_data())
    assert business.status == Status.DRAFT
    assert business.owner == owner
    assert business.slug == "front-range-brake-supply"
    assert list(business.events.values_list("action", flat=True)) == ["created"]


def test_slugs_stay_unique_and_keep_non_latin_names(make_user):
    owner = make_user("owner")
    first = services.create_business(actor=owner, data=profile_data(name="한빛브레이크", city="seongnam"))
    second = services.create_business(actor=owner, data=profile_data(name="한빛브레이크", city="seongnam"))
    assert first.slug == "한빛브레이크"
    assert second.slug == "한빛브레이크-2"


def test_owner_submits_and_staff_publish(make_user, staff):
    owner = make_user("owner")
    business = services.create_business(actor=owner, data=profile_data())
    business = services.submit_business(actor=owner, business=business)
    assert business.status == Status.PENDING_REVIEW
    business = services.publish_business(actor=staff, business=business, verify=True)
    assert business.status == Status.PUBLISHED
    assert business.confirmed_at is not None and business.verified_by == staff
    events = list(business.events.values_list("action", "from_status", "to_status"))
    assert events[-1] == ("published", "pending_review", "published")


def test_owner_can_neither_publish_nor_verify_their_own_profile(make_business):
    business = make_business(status=Status.PENDING_REVIEW)
    with pytest.raises(PermissionDenied):
        services.publish_business(actor=business.owner, business=business)
    with pytest.raises(PermissionDenied):
        services.verify_business(actor=business.owner, business=business)
    business.refresh_from_db()
    assert business.status == Status.PENDING_REVIEW and business.verified_at is None


def test_volunteer_moderates_only_their_own_city(make_business, seongnam_volunteer):
    in_seongnam = make_business(status=Status.PENDING_REVIEW, name="Seongnam Motors", city="seongnam")
    in_adama = make_business(status=Status.PENDING_REVIEW, name="Adama Sesame", city="adama")
    assert services.publish_business(actor=seongnam_volunteer, business=in_seongnam).status == Status.PUBLISHED
    with pytest.raises(PermissionDenied):
        services.publish_business(actor=seongnam_volunteer, business=in_adama)


def test_another_firm_cannot_edit_a_profile(make_business, make_user):
    business = make_business()
    with pytest.raises(PermissionDenied):
        services.update_business(actor=make_user("rival"), business=business, data={"name": "Hijacked"})
    business.refresh_from_db()
    assert business.name == "Front Range Brake Supply"


def test_a_profile_needs_a_description_and_an_offer_or_need_before_review(make_user):
    owner = make_user("owner")
    business = services.create_business(
        actor=owner, data=profile_data(description="", seeks_hs=[], seeks_text="")
    )
    with pytest.raises(ValidationError) as error:
        services.submit_business(actor=owner, business=business)
    assert set(error.value.message_dict) == {"description", "offers_text"}


def test_rejecting_requires_a_reason(make_business, staff):
    business = make_business(status=Status.PENDING_REVIEW)
    with pytest.raises(ValidationError):
        services.reject_business(actor=staff, business=business, reason="  ")
    rejected = services.reject_business(actor=staff, business=business, reason="Website does not load")
    assert rejected.status == Status.REJECTED and rejected.moderation_note == "Website does not load"
    # A rejected profile can be fixed and submitted again.
    assert services.submit_business(actor=business.owner, business=rejected).status == Status.PENDING_REVIEW


def test_transitions_from_the_wrong_state_are_refused(make_business, staff):
    business = make_business(status=Status.DRAFT)
    with pytest.raises(services.InvalidTransition):
        services.suspend_business(actor=staff, business=business, reason="spam")
    archived = services.archive_business(actor=business.owner, business=business)
    with pytest.raises(services.InvalidTransition):
        services.publish_business(actor=staff, business=archived)
    with pytest.raises(services.InvalidTransition):
        services.update_business(actor=business.owner, business=archived, data={"name": "Back"})


def test_codes_are_indexed_with_their_ancestors(make_business):
    business = make_business(offers_hs=["870830"], seeks_hs=["0901"], naics=["336340"])
    terms = set(business.terms.values_list("kind", "value"))
    assert {("offers", "87"), ("offers", "8708"), ("offers", "870830")} <= terms
    assert {("seeks", "09"), ("seeks", "0901")} <= terms
    assert {("naics", "33"), ("naics", "336"), ("naics", "3363"), ("naics", "336340")} <= terms


def test_editing_codes_rewrites_the_terms(make_business):
    business = make_business(status=Status.DRAFT, offers_hs=["870830"])
    services.update_business(actor=business.owner, business=business, data={"offers_hs": ["090111"]})
    offers = set(BusinessTerm.objects.filter(business=business, kind="offers").values_list("value", flat=True))
    assert offers == {"09", "0901", "090111"}


def test_an_unconfirmed_profile_leaves_public_listings_until_confirmed(make_business):
    business = make_business()
    a_year_later = timezone.now() + timedelta(days=366)
    assert business in Business.objects.public()
    assert business not in Business.objects.public(now=a_year_later)
    Business.objects.filter(pk=business.pk).update(confirmed_at=timezone.now() - timedelta(days=400))
    assert business not in Business.objects.public()
    services.confirm_business(actor=business.owner, business=business)
    assert business in Business.objects.public()


def test_owners_are_reminded_once_two_weeks_before_their_profile_lapses(make_business):
    business = make_business()
    fresh = make_business(name="Fresh Firm")
    Business.objects.filter(pk=business.pk).update(confirmed_at=timezone.now() - timedelta(days=355))
    mail.outbox.clear()

    assert services.remind_expiring_profiles() == 1
    assert services.remind_expiring_profiles() == 0  # the same task running twice sends nothing more
    notifications.send_unsent()  # what the task after commit does; this test runs in one transaction
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [business.owner.email]
    assert business.name in mail.outbox[0].subject
    assert fresh.name not in mail.outbox[0].body

    # Confirming starts a new year; the next lapse gets its own reminder.
    services.confirm_business(actor=business.owner, business=business)
    business.refresh_from_db()
    assert business.expiry_reminder_sent_at is None


def test_only_staff_assign_an_owner(make_business, make_user, staff, seongnam_volunteer):
    business = make_business()
    newcomer = make_user("newcomer")
    with pytest.raises(PermissionDenied):
        services.assign_owner(actor=business.owner, business=business, owner=newcomer)
    assert services.assign_owner(actor=staff, business=business, owner=newcomer).owner == newcomer


def test_an_import_never_pulls_back_a_profile_staff_suspended(make_business, staff):
    business = make_business(status=Status.SUSPENDED)
    Business.objects.filter(pk=business.pk).update(external_id="ext-1")
    data = profile_data()
    business, outcome = services.import_business(data=data, external_id="ext-1", status=Status.PUBLISHED)
    assert business.status == Status.SUSPENDED


def test_viewer_knows_who_may_see_private_fields(make_business, make_user, staff, seongnam_volunteer):
    business = make_business(city="seongnam")
    assert selectors.viewer_for(business.owner).can_see_private(business)
    assert selectors.viewer_for(staff).can_see_private(business)
    assert selectors.viewer_for(seongnam_volunteer).can_see_private(business)
    assert not selectors.viewer_for(make_user("rival")).can_see_private(business)
    assert not selectors.Viewer().can_see_private(business)


def test_visible_businesses_depend_on_who_asks(make_business, make_user, staff, seongnam_volunteer):
    public = make_business(name="Public Firm")
    draft = make_business(name="Draft Firm", status=Status.DRAFT)
    seongnam_draft = make_business(name="Seongnam Draft", city="seongnam", status=Status.DRAFT)

    def names(user):
        return set(selectors.visible_businesses(viewer=selectors.viewer_for(user)).values_list("name", flat=True))

    from django.contrib.auth.models import AnonymousUser

    assert names(AnonymousUser()) == {public.name}
    assert names(draft.owner) == {public.name, draft.name}
    assert names(seongnam_volunteer) == {public.name, seongnam_draft.name}
    assert names(staff) == {public.name, draft.name, seongnam_draft.name}


def test_cities_are_found_by_slug_name_or_unaccented_name():
    jaco = City.objects.get(slug="jaco")
    assert selectors.find_city("jaco") == jaco
    assert selectors.find_city("Jacó") == jaco
    assert selectors.find_city("JACO") == jaco
    assert selectors.find_city("Zielona Góra").slug == "zielona-gora"
    assert selectors.find_city("Atlantis") is None


def test_home_city_comes_from_settings(settings):
    assert selectors.home_city().slug == "aurora"
    settings.HOME_CITY = "Seongnam"
    assert selectors.home_city().slug == "seongnam"
