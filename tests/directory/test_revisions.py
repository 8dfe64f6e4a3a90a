"""Changes to what a published firm is (its name, city, offers and needs) are
reviewed before they go live; the published version stays live until then."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from directory import selectors, services
from directory.models import Business, BusinessRevision, City
from search.models import OutboxEntry, SearchEntry

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]
Status = Business.Status


def url(slug, action=None):
    return f"/api/v1/businesses/{slug}/" + (f"{action}/" if action else "")


def city(slug):
    return City.objects.get(slug=slug)


# --- services -----------------------------------------------------------------------


def test_an_owners_rewrite_of_a_live_profile_waits_for_review_and_the_published_version_stays_live(make_business):
    business = make_business(name="Front Range Brake Supply", offers_text="brake pads")
    outbox_before = OutboxEntry.objects.filter(business_id=business.pk).count()

    services.update_business(actor=business.owner, business=business, data={
        "name": "Front Range Casino", "offers_text": "slot machines", "seeks_hs": ["950430"],
    })

    business.refresh_from_db()
    assert (business.name, business.offers_text, business.seeks_hs) == (
        "Front Range Brake Supply", "brake pads", ["870830"]
    )
    assert business.status == Status.PUBLISHED and business in Business.objects.public()
    assert business.pending_revision.changes == {
        "name": "Front Range Casino", "offers_text": "slot machines", "seeks_hs": ["950430"],
    }
    assert business.pending_revision.proposed_by == business.owner
    # Nothing reached the search index: it still holds the published words.
    assert OutboxEntry.objects.filter(business_id=business.pk).count() == outbox_before
    entry = SearchEntry.objects.get(business=business)
    assert "casino" not in entry.name_tokens and "slot" not in entry.offers_tokens
    assert not business.terms.filter(kind="seeks", value="950430").exists()
    assert business.events.last().action == "changes_proposed"


def test_moving_a_live_profile_to_another_city_waits_for_review(make_business):
    business = make_business(city="aurora")
    services.update_business(actor=business.owner, business=business, data={"city": city("seongnam")})
    business.refresh_from_db()
    assert business.city.slug == "aurora"
    assert business.pending_revision.changes == {"city": city("seongnam").pk}
    assert business in selectors.public_businesses().filter(city__slug="aurora")


def test_other_edits_to_a_live_profile_apply_at_once_beside_the_pending_ones(make_business):
    business = make_business()
    services.update_business(actor=business.owner, business=business, data={
        "name": "Renamed", "website": "https://frontrange.example", "description": "Now also rotors.",
    })
    business.refresh_from_db()
    assert business.website == "https://frontrange.example"
    assert business.description == "Now also rotors."
    assert business.name == "Front Range Brake Supply"
    assert "rotor" in SearchEntry.objects.get(business=business).body_tokens
    assert list(business.pending_revision.changes) == ["name"]


def test_edits_before_publication_apply_at_once(make_business):
    for status in (Status.DRAFT, Status.PENDING_REVIEW):
        business = make_business(status=status, name=f"Firm {status}")
        services.update_business(actor=business.owner, business=business, data={"name": f"Renamed {status}"})
        business.refresh_from_db()
        assert business.name == f"Renamed {status}"
        assert not BusinessRevision.objects.filter(business=business).exists()


def test_publishing_the_changes_puts_them_live_with_terms_index_and_history(make_business, staff):
    business = make_business(offers_hs=[])
    services.update_business(actor=business.owner, business=business,
                             data={"name": "Front Range Parts", "offers_hs": ["870830"], "city": city("adama")})
    outbox_before = OutboxEntry.objects.filter(business_id=business.pk).count()

    published = services.publish_business_changes(actor=staff, business=business)

    assert (published.name, published.offers_hs, published.city.slug) == ("Front Range Parts", ["870830"], "adama")
    assert set(published.terms.filter(kind="offers").values_list("value", flat=True)) == {"87", "8708", "870830"}
    assert OutboxEntry.objects.filter(business_id=business.pk).count() == outbox_before + 1
    assert "parts" in SearchEntry.objects.get(business=business).name_tokens
    assert not BusinessRevision.objects.filter(business=business).exists()
    event = published.events.last()
    assert (event.action, event.actor, event.note) == ("changes_published", staff, "city, name, offers_hs")
    with pytest.raises(services.InvalidTransition):
        services.publish_business_changes(actor=staff, business=business)


def test_rejecting_the_changes_needs_a_reason_and_leaves_the_profile_as_published(make_business, staff):
    business = make_business()
    services.update_business(actor=business.owner, business=business, data={"name": "Front Range Casino"})
    with pytest.raises(ValidationError):
        services.reject_business_changes(actor=staff, business=business, reason=" ")

    services.reject_business_changes(actor=staff, business=business, reason="Not a trade business")

    business.refresh_from_db()
    assert business.name == "Front Range Brake Supply" and business.status == Status.PUBLISHED
    assert not BusinessRevision.objects.filter(business=business).exists()
    event = business.events.last()
    assert (event.action, event.note) == ("changes_rejected", "Not a trade business")


def test_later_edits_amend_the_proposal_and_setting_a_field_back_withdraws_it(make_business):
    business = make_business()
    owner = business.owner
    services.update_business(actor=owner, business=business, data={"name": "First Idea", "offers_text": "pads"})
    services.update_business(actor=owner, business=business, data={"name": "Second Idea"})
    assert BusinessRevision.objects.get(business=business).changes == {"name": "Second Idea", "offers_text": "pads"}

    services.update_business(actor=owner, business=business, data={"name": "Front Range Brake Supply"})
    assert BusinessRevision.objects.get(business=business).changes == {"offers_text": "pads"}

    services.update_business(actor=owner, business=business, data={"offers_text": ""})
    assert not BusinessRevision.objects.filter(business=business).exists()
    assert business.events.last().action == "changes_withdrawn"


def test_only_moderators_of_the_city_publish_or_reject_changes(make_business, seongnam_volunteer, make_user):
    business = make_business(city="adama")
    services.update_business(actor=business.owner, business=business, data={"name": "Renamed"})
    for actor in (business.owner, seongnam_volunteer, make_user("rival")):
        with pytest.raises(PermissionDenied):
            services.publish_business_changes(actor=actor, business=business)
        with pytest.raises(PermissionDenied):
            services.reject_business_changes(actor=actor, business=business, reason="no")
    assert BusinessRevision.objects.filter(business=business).exists()


def test_a_volunteer_cannot_move_a_firm_out_of_their_cities(make_business, seongnam_volunteer):
    business = make_business(city="seongnam")
    with pytest.raises(PermissionDenied):
        services.update_business(actor=seongnam_volunteer, business=business, data={"city": city("adama")})
    business.refresh_from_db()
    assert business.city.slug == "seongnam"
    assert not BusinessRevision.objects.filter(business=business).exists()


def test_a_volunteer_cannot_publish_a_move_into_a_city_they_do_not_look_after(
    make_business, seongnam_volunteer, staff
):
    business = make_business(city="seongnam")
    services.update_business(actor=business.owner, business=business, data={"city": city("adama")})
    with pytest.raises(PermissionDenied):
        services.publish_business_changes(actor=seongnam_volunteer, business=business)
    business.refresh_from_db()
    assert business.city.slug == "seongnam"
    assert services.publish_business_changes(actor=staff, business=business).city.slug == "adama"


def test_a_volunteer_of_both_cities_moves_a_firm_at_once(make_business, make_user):
    volunteer = make_user("two-cities")
    volunteer.volunteer_cities.set([city("seongnam"), city("adama")])
    business = make_business(city="seongnam")
    services.update_business(actor=volunteer, business=business, data={"city": city("adama"), "name": "Moved"})
    business.refresh_from_db()
    assert (business.city.slug, business.name) == ("adama", "Moved")
    assert not BusinessRevision.objects.filter(business=business).exists()


def test_staff_edits_to_a_live_profile_apply_at_once(make_business, staff):
    business = make_business()
    services.update_business(actor=staff, business=business, data={"name": "Corrected Name"})
    business.refresh_from_db()
    assert business.name == "Corrected Name"
    assert not BusinessRevision.objects.filter(business=business).exists()


def test_publishing_changes_that_leave_the_profile_empty_is_refused(make_business, staff):
    business = make_business(offers_hs=[], offers_text="", seeks_hs=["870830"], seeks_text="")
    services.update_business(actor=business.owner, business=business, data={"seeks_hs": []})
    with pytest.raises(ValidationError):
        services.publish_business_changes(actor=staff, business=business)
    business.refresh_from_db()
    assert business.seeks_hs == ["870830"]
    assert BusinessRevision.objects.filter(business=business).exists()


# --- API ----------------------------------------------------------------------------


def test_over_the_api_the_owner_sees_pending_changes_and_the_public_sees_the_published_profile(
    api, make_business, staff
):
    business = make_business()
    api.force_authenticate(business.owner)
    response = api.patch(url(business.slug), {"name": "Front Range Casino", "city": "seongnam"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["name"] == "Front Range Brake Supply" and body["city"]["slug"] == "aurora"
    assert body["pending_changes"]["fields"]["name"] == "Front Range Casino"
    assert body["pending_changes"]["fields"]["city"]["slug"] == "seongnam"
    assert body["pending_changes"]["proposed_by"] == business.owner.username
    me = api.get("/api/v1/me/").json()["businesses"][0]
    assert me["pending_changes"]["fields"]["name"] == "Front Range Casino"

    api.force_authenticate(None)
    public = api.get(url(business.slug)).json()
    assert public["name"] == "Front Range Brake Supply" and "pending_changes" not in public
    assert "Casino" not in api.get("/api/v1/businesses/").content.decode()

    api.force_authenticate(staff)
    queue = api.get("/api/v1/businesses/", {"pending_changes": "true"}).json()["results"]
    assert [item["slug"] for item in queue] == [business.slug]
    published = api.post(url(business.slug, "publish-changes"), {}, format="json")
    assert published.status_code == 200, published.content
    assert published.json()["name"] == "Front Range Casino" and published.json()["pending_changes"] is None
    assert api.post(url(business.slug, "publish-changes"), {}, format="json").status_code == 409
    assert api.get("/api/v1/businesses/", {"pending_changes": "true"}).json()["results"] == []


def test_over_the_api_only_moderators_decide_on_changes_and_a_rejection_needs_a_reason(
    api, make_business, staff
):
    business = make_business()
    services.update_business(actor=business.owner, business=business, data={"offers_text": "slot machines"})
    api.force_authenticate(business.owner)
    assert api.post(url(business.slug, "publish-changes"), {}, format="json").status_code == 403
    api.force_authenticate(staff)
    assert api.post(url(business.slug, "reject-changes"), {}, format="json").status_code == 400
    rejected = api.post(url(business.slug, "reject-changes"), {"reason": "Off topic"}, format="json")
    assert rejected.status_code == 200 and rejected.json()["pending_changes"] is None
    business.refresh_from_db()
    assert business.offers_text == ""


def test_over_the_api_a_volunteer_moving_a_firm_out_of_their_cities_gets_a_403(
    api, make_business, seongnam_volunteer
):
    business = make_business(city="seongnam")
    api.force_authenticate(seongnam_volunteer)
    response = api.patch(url(business.slug), {"city": "adama"}, format="json")
    assert response.status_code == 403
    business.refresh_from_db()
    assert business.city.slug == "seongnam"


# --- pages --------------------------------------------------------------------------


def test_the_owners_page_shows_the_changes_waiting_and_the_edit_form_keeps_them(client, make_business):
    business = make_business()
    client.force_login(business.owner)
    form = client.get(f"/en/me/firms/{business.slug}/edit/")
    data = {name: value for name, value in form.context["form"].initial.items() if value is not None}
    data.update(name="Front Range Parts", trade_roles=["importer"])
    saved = client.post(f"/en/me/firms/{business.slug}/edit/", data, follow=True)
    assert "wait for review" in saved.content.decode()

    business.refresh_from_db()
    assert business.name == "Front Range Brake Supply"
    page = client.get("/en/me/").content.decode()
    assert "Changes waiting for review" in page and "Front Range Parts" in page
    # Saving the form again, say to fix the address, keeps the proposal.
    again = client.get(f"/en/me/firms/{business.slug}/edit/").context["form"].initial
    assert again["name"] == "Front Range Parts"
    client.post(f"/en/me/firms/{business.slug}/edit/", {**data, "address": "1 Colfax Ave"})
    business.refresh_from_db()
    assert business.address == "1 Colfax Ave"
    assert business.pending_revision.changes == {"name": "Front Range Parts"}


def test_staff_publish_changes_from_the_moderation_page(client, make_business, staff):
    business = make_business()
    services.update_business(actor=business.owner, business=business, data={"name": "Front Range Parts"})
    client.force_login(staff)
    queue = client.get("/en/staff/profiles/", {"status": "changes"}).content.decode()
    assert business.slug in queue and "Front Range Parts" in queue and "Front Range Brake Supply" in queue
    response = client.post(f"/en/staff/profiles/{business.slug}/publish-changes/", follow=True)
    assert "The changes are published." in response.content.decode()
    business.refresh_from_db()
    assert business.name == "Front Range Parts"
    assert business.slug not in client.get("/en/staff/profiles/", {"status": "changes"}).content.decode()
