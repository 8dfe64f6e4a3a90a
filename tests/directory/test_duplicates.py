"""Likely duplicates, reports and merges, through the services."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from directory import duplicates, selectors, services
from directory.models import Business, ProfileFlag, ProfileMerge
from matching import introductions as matching_introductions
from matching.models import Introduction
from search.models import OutboxEntry
from tests.conftest import profile_data

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]
Status = Business.Status
Flag = ProfileFlag


def duplicate_flags_of(business):
    return list(Flag.objects.filter(kind=Flag.Kind.DUPLICATE, business=business))


# --- the finder ---------------------------------------------------------------------------


@pytest.mark.parametrize("first, second", [
    ("Hanbit Brake Co., Ltd.", "HANBIT BRAKE"),
    ("(주)한빛브레이크", "한빛 브레이크 주식회사"),
    ("㈜한빛브레이크", "한빛브레이크"),
    ("台灣精密機械股份有限公司", "台灣精密機械有限公司"),
    ("Café Serrano S.A. de C.V.", "Cafe Serrano"),
    ("Meble Zielona Góra Sp. z o.o.", "Meble Zielona Gora"),
    ("Front Range Brake Supply", "Front Range Brakes Supply, LLC"),
    ("Adama Sesame Export ኃ.የተ.የግ.ማ", "Adama Sesame Export"),
])
def test_names_that_differ_only_in_case_accents_punctuation_or_legal_form_are_alike(first, second):
    assert duplicates.names_alike(duplicates.name_key(first), duplicates.name_key(second))


@pytest.mark.parametrize("first, second", [
    ("ABC", "ABD Inc."),  # short names: one letter makes a different firm
    ("한빛브레이크", "세종브레이크"),
    ("台灣精密機械", "台灣精密電子"),
    ("Front Range Roasters", "Front Range Brake Supply"),
])
def test_different_names_are_not_alike(first, second):
    assert not duplicates.names_alike(duplicates.name_key(first), duplicates.name_key(second))


@pytest.mark.parametrize("url, domain", [
    ("https://www.Hanbit-Brake.example/ko/", "hanbit-brake.example"),
    ("hanbit-brake.example", "hanbit-brake.example"),
    ("WWW.HANBIT-BRAKE.EXAMPLE.", "hanbit-brake.example"),
    ("https://facebook.com/hanbit", ""),
    ("https://hanbit.wixsite.com/home", ""),
    ("https://blog.naver.com/hanbit", ""),
    ("https://linktr.ee/hanbit", ""),
    ("not a website", ""),
])
def test_website_domains_are_normalised_and_shared_hosts_ignored(url, domain):
    assert duplicates.website_domain(url) == domain


# --- flags from the create, edit and submit services -------------------------------------


def test_a_new_profile_with_the_same_website_as_another_is_flagged_with_the_other_linked(make_business, make_user):
    original = make_business(name="Hanbit Brake Works", city="seongnam", website="https://hanbit-brake.example",
                             contact_email="minjun@hanbit.example")
    copy = services.create_business(actor=make_user("copycat"), data=profile_data(
        name="Best Brakes Korea", city="adama", website="http://www.HANBIT-BRAKE.example/about",
        contact_email="sales@best-brakes.example",
    ))
    [flag] = duplicate_flags_of(copy)
    assert flag.other == original and flag.matched_on == ["website"] and flag.status == Flag.Status.OPEN


def test_the_same_contact_email_in_another_city_is_flagged(make_business, make_user):
    original = make_business(name="Hanbit Brake Works", city="seongnam", contact_email="minjun@hanbit.example")
    copy = services.create_business(actor=make_user("copycat"), data=profile_data(
        name="Brake Exporters", city="chihuahua", contact_email="MinJun@Hanbit.example",
    ))
    [flag] = duplicate_flags_of(copy)
    assert flag.other == original and flag.matched_on == ["contact_email"]


def test_a_near_identical_korean_name_in_the_same_city_is_flagged(make_business, make_user):
    original = make_business(name="(주)한빛브레이크", city="seongnam", contact_email="a@hanbit.example")
    copy = services.create_business(actor=make_user("second-account"), data=profile_data(
        name="한빛 브레이크 주식회사", city="seongnam", contact_email="b@hanbit.example",
    ))
    [flag] = duplicate_flags_of(copy)
    assert flag.other == original and flag.matched_on == ["name"]


def test_a_chinese_name_with_another_legal_form_in_the_same_city_is_flagged(make_business, make_user):
    original = make_business(name="台灣精密機械股份有限公司", city="new-taipei-city", contact_email="a@tpm.example")
    copy = services.create_business(actor=make_user("second-account"), data=profile_data(
        name="台灣精密機械有限公司", city="new-taipei-city", contact_email="b@tpm.example",
    ))
    assert [flag.other for flag in duplicate_flags_of(copy)] == [original]


def test_the_same_name_in_another_city_is_not_a_duplicate(make_business, make_user):
    make_business(name="Hanbit Brake Works", city="seongnam", contact_email="a@hanbit.example")
    other = services.create_business(actor=make_user("other"), data=profile_data(
        name="Hanbit Brake Works", city="adama", contact_email="b@other.example",
    ))
    assert duplicate_flags_of(other) == []


def test_profiles_sharing_only_a_social_page_are_not_flagged(make_business, make_user):
    make_business(name="Serrano Coffee", city="chihuahua", website="https://facebook.com/serrano",
                  contact_email="a@serrano.example")
    other = services.create_business(actor=make_user("other"), data=profile_data(
        name="Frenos Baeza", city="chihuahua", website="https://www.facebook.com/frenos",
        contact_email="b@frenos.example",
    ))
    assert duplicate_flags_of(other) == []


def test_an_edit_that_makes_a_profile_resemble_another_flags_it(make_business, staff):
    original = make_business(name="Hanbit Brake Works", city="seongnam", contact_email="a@hanbit.example")
    other = make_business(name="Seoul Pads", city="seongnam", contact_email="b@pads.example")
    assert duplicate_flags_of(other) == []
    services.update_business(actor=other.owner, business=other, data={"website": "hanbit-brake.example"})
    assert duplicate_flags_of(other) == []  # the original has no website yet
    # A new name on a published profile waits for review; it is compared once it goes live.
    services.update_business(actor=other.owner, business=other, data={"name": "Hanbit Brake Work"})
    services.publish_business_changes(actor=staff, business=other)
    [flag] = duplicate_flags_of(other)
    assert flag.other == original and flag.matched_on == ["name"]


def test_submitting_flags_a_profile_that_resembles_one_created_after_it(make_user, make_business):
    owner = make_user("owner")
    first = services.create_business(actor=owner, data=profile_data(name="Frenos Baeza", city="chihuahua",
                                                                       contact_email="a@frenos.example"))
    second = make_business(name="Baeza Frenos", city="chihuahua", contact_email="a@frenos.example")
    [flag] = Flag.objects.filter(kind=Flag.Kind.DUPLICATE)
    assert {flag.business, flag.other} == {first, second}
    services.submit_business(actor=owner, business=first)
    assert Flag.objects.filter(kind=Flag.Kind.DUPLICATE).count() == 1  # one flag per pair, either way round


def test_a_shared_detail_found_later_is_added_to_the_open_flag(make_business):
    original = make_business(name="Hanbit Brake Works", city="seongnam", contact_email="a@hanbit.example",
                             website="hanbit.example")
    copy = make_business(name="Hanbit Brake Works Co., Ltd.", city="seongnam", contact_email="b@hanbit.example")
    [flag] = duplicate_flags_of(copy)
    assert flag.matched_on == ["name"]
    services.update_business(actor=copy.owner, business=copy, data={"contact_email": "a@hanbit.example"})
    flag.refresh_from_db()
    assert flag.other == original and flag.matched_on == ["contact_email", "name"]


def test_a_dismissed_pair_is_not_flagged_again_by_later_edits(make_business, staff):
    make_business(name="Aurora Dental", contact_email="a@dental.example")
    other = make_business(name="Aurora Rental", contact_email="b@rental.example")
    [flag] = duplicate_flags_of(other)
    services.dismiss_flag(actor=staff, flag=flag, note="a dentist and a car rental")
    services.update_business(actor=other.owner, business=other, data={"name": "Aurora Rentals"})
    assert Flag.objects.filter(status=Flag.Status.OPEN).count() == 0


def test_the_database_keeps_one_duplicate_flag_per_pair_either_way_round(make_business):
    first = make_business(name="Frenos Baeza", city="chihuahua", contact_email="a@frenos.example")
    second = make_business(name="Frenos Baeza", city="chihuahua", contact_email="a@frenos.example")
    assert Flag.objects.filter(kind=Flag.Kind.DUPLICATE).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Flag.objects.create(business=first, other=second, kind=Flag.Kind.DUPLICATE)


def test_archived_profiles_are_not_compared(make_business, make_user):
    gone = make_business(name="Frenos Baeza", city="chihuahua", contact_email="a@frenos.example")
    services.archive_business(actor=gone.owner, business=gone)
    new = services.create_business(actor=make_user("new"), data=profile_data(
        name="Frenos Baeza", city="chihuahua", contact_email="a@frenos.example"))
    assert duplicate_flags_of(new) == []


# --- reports -----------------------------------------------------------------------------------


def test_anyone_signed_in_reports_a_profile_once_until_staff_deal_with_it(make_business, make_user, staff):
    business = make_business()
    reader = make_user("reader")
    report = services.report_business(actor=reader, business=business, reason="fake", note="No such street.")
    assert (report.kind, report.reason, report.reporter, report.status) == ("report", "fake", reader, "open")
    with pytest.raises(services.AlreadyReported):
        services.report_business(actor=reader, business=business, reason="spam")
    services.report_business(actor=make_user("another-reader"), business=business, reason="spam")
    services.dismiss_flag(actor=staff, flag=report)
    again = services.report_business(actor=reader, business=business, reason="spam", note="Still selling pills.")
    assert again.pk != report.pk
    assert Flag.objects.filter(business=business, reporter=reader, status=Flag.Status.OPEN).count() == 1


def test_a_report_needs_a_known_reason_and_words_for_other(make_business, make_user):
    business = make_business()
    reader = make_user("reader")
    with pytest.raises(ValidationError) as error:
        services.report_business(actor=reader, business=business, reason="boring")
    assert set(error.value.message_dict) == {"reason"}
    with pytest.raises(ValidationError) as error:
        services.report_business(actor=reader, business=business, reason="other", note="  ")
    assert set(error.value.message_dict) == {"note"}
    assert not Flag.objects.filter(kind=Flag.Kind.REPORT).exists()


def test_a_profile_one_cannot_see_cannot_be_reported(make_business, make_user):
    draft = make_business(status=Status.DRAFT)
    with pytest.raises(PermissionDenied):
        services.report_business(actor=make_user("reader"), business=draft, reason="spam")


# --- who sees and resolves flags ------------------------------------------------------------


def test_flags_are_for_staff_and_the_city_volunteer_only(make_business, make_user, staff, seongnam_volunteer):
    in_seongnam = make_business(name="Hanbit Brake Works", city="seongnam", contact_email="a@hanbit.example")
    in_adama = make_business(name="Adama Sesame", city="adama", contact_email="a@sesame.example")
    reader = make_user("reader")
    services.report_business(actor=reader, business=in_seongnam, reason="spam")
    services.report_business(actor=reader, business=in_adama, reason="spam")

    def seen_by(user):
        return {f.business.name for f in selectors.profile_flags(viewer=selectors.viewer_for(user))}

    assert seen_by(staff) == {"Hanbit Brake Works", "Adama Sesame"}
    assert seen_by(seongnam_volunteer) == {"Hanbit Brake Works"}
    assert seen_by(reader) == set() and seen_by(in_seongnam.owner) == set()


def test_only_a_moderator_of_the_city_dismisses_a_flag(make_business, make_user, seongnam_volunteer):
    business = make_business(name="Adama Sesame", city="adama")
    report = services.report_business(actor=make_user("reader"), business=business, reason="spam")
    for outsider in (seongnam_volunteer, business.owner):
        with pytest.raises(PermissionDenied):
            services.dismiss_flag(actor=outsider, flag=report)
    report.refresh_from_db()
    assert report.status == Flag.Status.OPEN


# --- merges ----------------------------------------------------------------------------------


def introduce(requester, target, staff):
    """Request, approve and have both firms accept: an introduced pair."""
    introduction = matching_introductions.request_introduction(actor=requester.owner, target=target, requester=requester)
    introduction = matching_introductions.approve_introduction(actor=staff, introduction=introduction)
    for firm in (requester, target):
        introduction = matching_introductions.accept_introduction(actor=firm.owner, introduction=introduction, business=firm)
    return introduction


def test_merging_archives_the_newer_profile_and_moves_its_introductions_to_the_older(make_business, staff):
    partner_low = make_business(name="Seongnam Motors", city="seongnam", contact_email="a@motors.example")
    older = make_business(name="Frenos Baeza", city="chihuahua", contact_email="a@frenos.example")
    shared = make_business(name="Adama Sesame", city="adama", contact_email="a@sesame.example")
    newer = make_business(name="Frenos Baeza S.A. de C.V.", city="chihuahua", contact_email="b@frenos.example")
    partner_high = make_business(name="Ilopango Coffee", city="ilopango", contact_email="a@coffee.example")

    # The newer profile's introductions: one each side of it in id order, one
    # with a firm the older profile already knows, one with the older itself.
    low = introduce(partner_low, newer, staff)
    high = matching_introductions.request_introduction(actor=newer.owner, target=partner_high, requester=newer)
    matching_introductions.request_introduction(actor=older.owner, target=shared, requester=older)
    clash = matching_introductions.request_introduction(actor=newer.owner, target=shared, requester=newer)
    between = matching_introductions.request_introduction(actor=older.owner, target=newer, requester=older)
    flag = Flag.objects.get(kind=Flag.Kind.DUPLICATE)
    assert {flag.business, flag.other} == {older, newer}

    outbox_before = OutboxEntry.objects.filter(business_id=newer.pk).count()
    kept = services.merge_businesses(actor=staff, business=newer, into=older, note="one firm, two sign-ups")

    assert kept == older
    newer.refresh_from_db()
    assert newer.status == Status.ARCHIVED
    assert newer.events.last().action == "merged" and "frenos-baeza" in newer.events.last().note
    assert older.events.last().action == "merged_from"
    merge = ProfileMerge.objects.get(duplicate=newer)
    assert (merge.into, merge.introductions_moved, merge.introductions_closed) == (older, 2, 2)

    low.refresh_from_db()
    assert (low.business_a_id, low.business_b_id) == (partner_low.pk, older.pk) and low.status == "introduced"
    assert low.accepted_b_at is not None
    high.refresh_from_db()
    # The older profile's id is smaller than the newer's: the pair is re-ordered.
    assert (high.business_a_id, high.business_b_id) == (older.pk, partner_high.pk)
    assert high.requested_by_id == older.pk and high.status == "requested"
    for closed in (clash, between):
        closed.refresh_from_db()
        assert closed.status == "closed"
    assert Introduction.objects.filter(business_a=older, business_b=shared).get().status == "requested"
    flag.refresh_from_db()
    assert flag.status == Flag.Status.MERGED and flag.resolved_by == staff
    # The archived duplicate leaves the search index the usual way: an outbox row.
    assert OutboxEntry.objects.filter(business_id=newer.pk).count() == outbox_before + 1


def test_a_moved_introduction_keeps_each_firms_acceptance_when_the_pair_is_reordered(make_business, staff):
    older = make_business(name="Frenos Baeza", city="chihuahua", contact_email="a@frenos.example")
    partner = make_business(name="Seongnam Motors", city="seongnam", contact_email="a@motors.example")
    newer = make_business(name="Frenos Baeza", city="chihuahua", contact_email="b@frenos.example")
    introduction = matching_introductions.request_introduction(actor=partner.owner, target=newer, requester=partner)
    introduction = matching_introductions.approve_introduction(actor=staff, introduction=introduction)
    matching_introductions.accept_introduction(actor=partner.owner, introduction=introduction, business=partner)
    introduction.refresh_from_db()
    assert introduction.accepted_a_at is not None and introduction.accepted_b_at is None  # partner < newer

    services.merge_businesses(actor=staff, business=newer, into=older)

    introduction.refresh_from_db()
    assert (introduction.business_a_id, introduction.business_b_id) == (older.pk, partner.pk)
    # The partner, now side b, still has its acceptance; the kept firm has yet to answer.
    assert introduction.accepted_a_at is None and introduction.accepted_b_at is not None
    matching_introductions.accept_introduction(actor=older.owner, introduction=introduction, business=older)
    introduction.refresh_from_db()
    assert introduction.status == "introduced"


def test_merging_may_add_the_duplicates_people_to_the_older_profile(make_business, make_user, staff):
    older = make_business(name="Frenos Baeza", city="chihuahua", contact_email="a@frenos.example")
    newer = make_business(name="Frenos Baeza", city="chihuahua", contact_email="b@frenos.example")
    colleague = make_user("colleague")
    newer.members.add(colleague)
    services.merge_businesses(actor=staff, business=newer, into=older, add_members=True)
    assert set(older.members.all()) == {newer.owner, colleague}
    assert selectors.viewer_for(colleague).can_manage(older)


def test_merging_leaves_the_duplicates_people_out_unless_asked(make_business, staff):
    older = make_business(name="Frenos Baeza", city="chihuahua", contact_email="a@frenos.example")
    newer = make_business(name="Frenos Baeza", city="chihuahua", contact_email="b@frenos.example")
    services.merge_businesses(actor=staff, business=newer, into=older)
    assert not older.members.exists()
    assert not selectors.viewer_for(newer.owner).can_manage(older)


def test_only_staff_merge_and_only_the_newer_into_the_older(make_business, staff, seongnam_volunteer):
    older = make_business(name="Hanbit Brake Works", city="seongnam", contact_email="a@hanbit.example")
    newer = make_business(name="Hanbit Brake Works", city="seongnam", contact_email="b@hanbit.example")
    for actor in (seongnam_volunteer, older.owner):
        with pytest.raises(PermissionDenied):
            services.merge_businesses(actor=actor, business=newer, into=older)
    with pytest.raises(ValidationError) as error:
        services.merge_businesses(actor=staff, business=older, into=newer)
    assert set(error.value.message_dict) == {"into"}
    with pytest.raises(ValidationError):
        services.merge_businesses(actor=staff, business=older, into=older)
    older.refresh_from_db(), newer.refresh_from_db()
    assert older.status == newer.status == Status.PUBLISHED
    assert not ProfileMerge.objects.exists()


def test_an_archived_profile_cannot_be_merged(make_business, staff):
    older = make_business(name="Hanbit Brake Works", city="seongnam", contact_email="a@hanbit.example")
    newer = make_business(name="Hanbit Brake Works", city="seongnam", contact_email="b@hanbit.example")
    services.archive_business(actor=older.owner, business=older)
    with pytest.raises(services.InvalidTransition):
        services.merge_businesses(actor=staff, business=newer, into=older)
    newer.refresh_from_db()
    assert newer.status == Status.PUBLISHED
