"""Saved searches and their daily digest: a signed-in firm saves a search (its
words, filters and side) on the directory page or through the API; once a
day the profiles published or changed since the last run are put to it, and
its owner gets one email a day, in their language, listing the new matches.

The clock is moved the way the project's other daily jobs move it: profiles
are published now, and the job is told it runs tomorrow."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from directory import selectors as directory_selectors
from directory import services as directory_services
from matching import notifications
from matching.models import OutgoingEmail
from search import digests, services
from search.models import SavedSearch, SavedSearchMatch, SavedSearchRun
from search.filters import BusinessFilters
from search.query import SearchQuery
from tests.search.conftest import sync

pytestmark = [pytest.mark.django_db]

BRAKES = {"q": "brake pads", "side": "offers", "offers": "8708"}


@pytest.fixture(autouse=True)
def database_search(settings):
    # The digest always asks the database backend; the pages and API here do too.
    settings.SEARCH_BACKEND = "database"


@pytest.fixture
def buyer(make_user):
    """A signed-in Aurora buyer who reads the network in Spanish."""
    return make_user("buyer", preferred_language="es")


@pytest.fixture
def supplier(make_business):
    """Publish a supplier now: offers only, no needs."""

    def publish(name, *, offers_hs, offers_text, city="seongnam", description=None, **fields):
        return make_business(name=name, city=city, offers_hs=offers_hs, offers_text=offers_text, seeks_hs=[],
                             seeks_text="", description=description or f"{name}: {offers_text}.", **fields)

    return publish


def brake_supplier(supplier, name="Hanbit Brake Works"):
    return supplier(name, offers_hs=["870830"], offers_text="브레이크 패드, 브레이크 디스크",
                    description="한빛브레이크는 성남시의 자동차 브레이크 부품 제조업체입니다.")


def coffee_supplier(supplier, name="Adama Coffee Export"):
    return supplier(name, city="adama", offers_hs=["090111"], offers_text="green coffee beans")


def save(user, **params):
    api = Client()
    api.force_login(user)
    response = api.post("/api/v1/saved-searches/", params, content_type="application/json")
    assert response.status_code == 201, response.content
    return SavedSearch.objects.get(pk=response.json()["id"])


def run_job(now):
    """The daily job at `now`, then what the outbox's task does after commit
    (tests run inside one transaction)."""
    result = digests.run_daily(now=now)
    for email_id in list(notifications.unsent()):
        notifications.send(email_id)
    return result


def tomorrow(days=1):
    return timezone.now() + timedelta(days=days)


def links(message):
    return re.findall(r"https?://\S+", message.body)


# --- saving a search ---------------------------------------------------------------------------


@pytest.mark.sqlite
def test_a_signed_in_firm_saves_a_search_with_its_words_filters_and_side_through_the_api(api, buyer):
    api.force_authenticate(buyer)
    response = api.post("/api/v1/saved-searches/", {**BRAKES, "city": "seongnam,chihuahua", "verified": True},
                        format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["q"] == "brake pads" and body["side"] == "offers" and body["alerts"] is True
    assert body["filters"] == {"city": "seongnam,chihuahua", "offers": "8708", "verified": "true"}
    assert body["description"] == (
        "suppliers · matching “brake pads” · in Seongnam, Chihuahua · offering HS 8708 — Parts and accessories of "
        "the motor vehicles of headings 87.01 to 87.05 · verified firms only"
    )
    assert body["directory_url"].startswith("/en/directory/?q=brake+pads&side=offers&city=seongnam")
    assert (body["new_matches"], body["matches_found"]) == (0, 0)

    again = api.post("/api/v1/saved-searches/", {**BRAKES, "city": "seongnam,chihuahua", "verified": True},
                     format="json")
    assert again.status_code == 200 and again.json()["id"] == body["id"]  # saved once
    assert [s["id"] for s in api.get("/api/v1/saved-searches/").json()["results"]] == [body["id"]]


@pytest.mark.sqlite
@pytest.mark.parametrize("params, field", [
    ({"offers": "brakes"}, "offers"), ({"side": "both"}, "side"), ({"q": 123}, "q"), ({"q": "x" * 501}, "q"),
    ({"trade_role": "pirate"}, "trade_role"), ({"verified": "maybe"}, "verified"), ({"country": "USA"}, "country"),
    ({"language": "not a tag"}, "language"),
])
def test_a_saved_search_with_a_bad_parameter_gets_a_400_naming_it(api, buyer, params, field):
    api.force_authenticate(buyer)
    response = api.post("/api/v1/saved-searches/", params, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not SavedSearch.objects.exists()


@pytest.mark.sqlite
def test_only_the_owner_sees_changes_or_deletes_a_saved_search(api, buyer, make_user, staff):
    saved = save(buyer, **BRAKES)
    for other in (make_user("someone-else"), staff):
        api.force_authenticate(other)
        assert api.get("/api/v1/saved-searches/").json()["results"] == []
        assert api.get(f"/api/v1/saved-searches/{saved.pk}/").status_code == 404
        assert api.patch(f"/api/v1/saved-searches/{saved.pk}/", {"alerts": False}, format="json").status_code == 404
        assert api.delete(f"/api/v1/saved-searches/{saved.pk}/").status_code == 404
    api.force_authenticate(None)
    assert api.get("/api/v1/saved-searches/").status_code == 401

    api.force_authenticate(buyer)
    off = api.patch(f"/api/v1/saved-searches/{saved.pk}/", {"alerts": False}, format="json")
    assert off.status_code == 200 and off.json()["alerts"] is False
    assert api.patch(f"/api/v1/saved-searches/{saved.pk}/", {"alerts": "sometimes"}, format="json").status_code == 400
    assert api.put(f"/api/v1/saved-searches/{saved.pk}/", {"alerts": True}, format="json").status_code == 405
    assert api.delete(f"/api/v1/saved-searches/{saved.pk}/").status_code == 204
    assert not SavedSearch.objects.exists()


@pytest.mark.sqlite
def test_a_person_keeps_at_most_fifty_saved_searches(api, buyer):
    for n in range(services.MAX_SAVED_SEARCHES):
        services.save_search(user=buyer, text=f"search {n}", side="", filters=BusinessFilters())
    api.force_authenticate(buyer)
    response = api.post("/api/v1/saved-searches/", {"q": "one more"}, format="json")
    assert response.status_code == 400 and "delete one first" in str(response.json())


@pytest.mark.sqlite
def test_the_directory_page_saves_the_search_it_shows_with_its_filters_and_side(buyer):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(buyer)
    page = browser.get("/en/directory/", {"q": "brake pads", "offers": "87.08", "side": "offers"}).content.decode()
    form = re.search(r'<form method="post" action="/en/me/searches/"[^>]*data-testid="save-search">(.*?)</form>',
                     page, re.S).group(1)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form))
    token = fields.pop("csrfmiddlewaretoken")
    assert fields == {"q": "brake pads", "side": "offers", "offers": "8708"}

    assert browser.post("/en/me/searches/", fields).status_code == 403  # no CSRF token, no save
    response = browser.post("/en/me/searches/", {**fields, "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"] == "/en/me/searches/"
    saved = SavedSearch.objects.get(user=buyer)
    assert (saved.text, saved.side, saved.filters) == ("brake pads", "offers", {"offers": "8708"})


@pytest.mark.sqlite
def test_visitors_who_are_not_signed_in_see_no_save_button(client):
    assert 'data-testid="save-search"' not in client.get("/en/directory/", {"q": "brake"}).content.decode()
    response = client.post("/en/me/searches/", {"q": "brake"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not SavedSearch.objects.exists()


@pytest.mark.sqlite
def test_my_searches_lists_words_filters_and_side_in_plain_language_with_the_new_matches(client, buyer, supplier):
    brakes = save(buyer, **BRAKES)
    save(buyer, q="coffee", country="et", side="seeks")
    brake_supplier(supplier)
    digests.find_matches(now=tomorrow())
    client.force_login(buyer)

    me = client.get("/es/me/").content.decode()
    assert 'href="/es/me/searches/"' in me
    page = client.get("/es/me/searches/").content.decode()
    assert "Proveedores · que coincidan con «brake pads» · que ofrezcan HS 8708" in page
    assert "Compradores · que coincidan con «coffee» · en el país ET" in page
    assert 'data-count="1"' in page and "Una coincidencia nueva" in page
    assert 'href="/es/directory/?q=brake+pads&amp;side=offers&amp;offers=8708"' in page

    assert client.post(f"/es/me/searches/{brakes.pk}/alerts-off/").status_code == 302
    brakes.refresh_from_db()
    assert brakes.alerts is False
    assert client.post(f"/es/me/searches/{brakes.pk}/alerts-on/").status_code == 302
    assert client.post(f"/es/me/searches/{brakes.pk}/delete/").status_code == 302
    assert list(SavedSearch.objects.values_list("text", flat=True)) == ["coffee"]


@pytest.mark.sqlite
def test_another_persons_saved_search_cannot_be_changed_from_the_pages(client, buyer, make_user):
    saved = save(buyer, **BRAKES)
    client.force_login(make_user("someone-else"))
    for action in ("alerts-off", "delete"):
        assert client.post(f"/en/me/searches/{saved.pk}/{action}/").status_code == 404
    saved.refresh_from_db()
    assert saved.alerts is True


# --- the digest ----------------------------------------------------------------------------------


@pytest.mark.sqlite
def test_a_matching_firm_published_today_is_in_tomorrows_digest_in_the_readers_language(buyer, supplier, mailoutbox):
    save(buyer, **BRAKES)
    hanbit = brake_supplier(supplier)

    assert run_job(timezone.now())["emails"] == 0  # today: nothing yet
    assert mailoutbox == []
    later = tomorrow()
    assert run_job(later)["emails"] == 1

    [message] = mailoutbox
    assert message.to == [buyer.email]
    assert message.subject == "Una empresa nueva coincide con sus búsquedas guardadas"
    assert "Proveedores · que coincidan con «brake pads»" in message.body
    assert "- Hanbit Brake Works (Seongnam): http://" in message.body
    urls = links(message)
    assert any(urlsplit(url).path == f"/es/b/{hanbit.slug}/" for url in urls)
    unsubscribe = next(url for url in urls if "/unsubscribe/" in url)
    assert urlsplit(unsubscribe).path.startswith("/es/searches/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert OutgoingEmail.objects.get().key == f"saved-searches:{buyer.pk}:{timezone.localdate(later).isoformat()}"


@pytest.mark.sqlite
def test_a_firm_that_does_not_match_is_not_listed(buyer, supplier, mailoutbox):
    save(buyer, **BRAKES)
    brake_supplier(supplier)
    coffee_supplier(supplier)
    run_job(tomorrow())
    [message] = mailoutbox
    assert "Hanbit Brake Works" in message.body and "Adama Coffee Export" not in message.body


@pytest.mark.sqlite
def test_nothing_new_sends_no_email(buyer, supplier, mailoutbox):
    save(buyer, **BRAKES)
    coffee_supplier(supplier)
    assert run_job(tomorrow()) == {"changed": 1, "searches": 1, "examined": 1, "found": 0, "emails": 0}
    assert run_job(tomorrow(2))["emails"] == 0
    assert mailoutbox == [] and not OutgoingEmail.objects.exists()


@pytest.mark.sqlite
def test_two_matches_in_a_day_make_one_email(buyer, supplier, mailoutbox):
    save(buyer, **BRAKES)
    save(buyer, q="brake", city="chihuahua")
    brake_supplier(supplier)
    supplier("Frenos Baeza", city="chihuahua", offers_hs=["870830"], offers_text="pastillas y discos de freno")
    run_job(tomorrow())
    run_job(tomorrow())  # the job run twice in a day sends no second digest

    [message] = mailoutbox
    assert message.subject == "2 empresas nuevas coinciden con sus búsquedas guardadas"
    assert "Hanbit Brake Works" in message.body and "Frenos Baeza" in message.body


@pytest.mark.sqlite
def test_a_profile_is_announced_once_however_often_it_changes(buyer, supplier, mailoutbox):
    save(buyer, **BRAKES)
    hanbit = brake_supplier(supplier)
    run_job(tomorrow())
    directory_services.update_business(actor=hanbit.owner, business=hanbit,
                                       data={"description": "브레이크 패드를 만듭니다. 이제 수출도 합니다."})

    result = run_job(tomorrow(2))
    assert result["examined"] == 1 and result["found"] == 0  # looked at again, not news again
    assert len(mailoutbox) == 1


@pytest.mark.sqlite
def test_a_profile_that_left_the_directory_before_the_digest_is_not_listed(buyer, supplier, staff, mailoutbox):
    save(buyer, **BRAKES)
    hanbit = brake_supplier(supplier)
    brake_supplier(supplier, name="Seongnam Disc Co")
    digests.find_matches(now=timezone.now() + digests.SETTLED * 2)  # found today, to be sent tomorrow
    directory_services.suspend_business(actor=staff, business=hanbit, reason="Not a real firm.")

    run_job(tomorrow())
    [message] = mailoutbox
    assert "Seongnam Disc Co" in message.body and "Hanbit Brake Works" not in message.body
    assert not SavedSearchMatch.objects.filter(business=hanbit).exists()


@pytest.mark.sqlite
def test_the_unsubscribe_link_works_with_one_get_and_stops_further_digests(buyer, supplier, mailoutbox):
    saved = save(buyer, **BRAKES)
    brake_supplier(supplier)
    run_job(tomorrow())
    unsubscribe = next(url for url in links(mailoutbox[0]) if "/unsubscribe/" in url)

    page = Client().get(urlsplit(unsubscribe).path)  # not signed in: the link is enough
    assert page.status_code == 200
    assert "Se ha dado de baja" in page.content.decode()
    saved.refresh_from_db()
    assert saved.alerts is False

    brake_supplier(supplier, name="Seongnam Disc Co")
    assert run_job(tomorrow(2)) == {"changed": 0, "searches": 0, "examined": 0, "found": 0, "emails": 0}
    assert len(mailoutbox) == 1

    # The link followed again (a mail scanner got there first) turns nothing more
    # off; the page's button turns the same alerts on again.
    twice = Client().get(urlsplit(unsubscribe).path)
    assert twice.status_code == 200
    token = re.search(r'name="token" value="([^"]+)"', twice.content.decode()).group(1)
    again = Client().post("/es/searches/resubscribe/", {"token": token})
    assert again.status_code == 200 and "vuelven a estar activadas" in again.content.decode()
    saved.refresh_from_db()
    assert saved.alerts is True


@pytest.mark.sqlite
def test_a_mail_readers_one_click_post_unsubscribes_and_a_forged_link_does_nothing(buyer):
    saved = save(buyer, **BRAKES)
    token = services.unsubscribe_token(user=buyer)
    assert Client().get(f"/en/searches/unsubscribe/{token[:-2]}xx/").status_code == 404
    assert Client().post("/en/searches/resubscribe/", {"token": token}).status_code == 404  # not a re-subscribe token
    saved.refresh_from_db()
    assert saved.alerts is True

    response = Client(enforce_csrf_checks=True).post(f"/en/searches/unsubscribe/{token}/",
                                                     {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    saved.refresh_from_db()
    assert saved.alerts is False


@pytest.mark.sqlite
def test_only_the_profiles_changed_since_the_last_run_are_searched(buyer, make_user, supplier):
    save(buyer, **BRAKES)
    save(make_user("another-buyer"), q="coffee")
    for n in range(6):
        coffee_supplier(supplier, name=f"Coffee Grower {n}")
    first = run_job(tomorrow())
    assert (first["changed"], first["examined"]) == (6, 12)  # six changed profiles, two searches

    brake_supplier(supplier)
    second = run_job(tomorrow(2))
    # The six unchanged profiles are not looked at again: one profile, two searches.
    assert (second["changed"], second["examined"], second["found"]) == (1, 2, 1)
    assert SavedSearchRun.objects.count() == 2


@pytest.mark.sqlite
def test_profiles_published_before_a_search_was_saved_and_a_persons_own_firms_are_not_news(
        buyer, supplier, make_business, mailoutbox):
    brake_supplier(supplier, name="Old Brake Works")
    saved = save(buyer, **BRAKES)
    own = make_business(owner=buyer, name="Buyer Brake Imports", city="seongnam", offers_hs=["870830"],
                        offers_text="brake pads")
    assert run_job(tomorrow())["found"] == 0
    assert mailoutbox == [] and not saved.matches.exists()
    assert own.pk in directory_selectors.viewer_for(buyer).managed_ids


@pytest.mark.sqlite
def test_a_person_who_deletes_their_account_takes_their_searches_and_digests_along(buyer, supplier):
    save(buyer, **BRAKES)
    brake_supplier(supplier)
    client = Client()
    client.force_login(buyer)
    export = client.get("/en/me/account/data.json").json()
    assert export["saved_searches"][0]["words"] == "brake pads"
    run_job(tomorrow())
    assert OutgoingEmail.objects.filter(key__startswith=f"saved-searches:{buyer.pk}:").exists()

    directory_services.delete_account(user=buyer)
    assert not SavedSearch.objects.exists() and not OutgoingEmail.objects.exists()


# --- the restriction to changed profiles, on every backend ------------------------------------------


def test_a_search_restricted_to_ids_finds_only_among_them(backend, network):
    sync(backend)
    hanbit, frenos, front_range = (network[name] for name in ("Hanbit Brake Works", "Frenos Baeza",
                                                               "Front Range Brake Supply"))

    def names(**query):
        return sorted(hit.business.name for hit in backend.search(SearchQuery(text="brake", **query)).hits)

    assert {"Hanbit Brake Works", "Frenos Baeza", "Front Range Brake Supply"} <= set(names())
    assert names(ids=[hanbit.pk, network["Lubuskie Meble"].pk]) == ["Hanbit Brake Works"]
    assert names(ids=[frenos.pk, front_range.pk], offers="8708") == ["Frenos Baeza"]
    assert names(ids=[network["draft"].pk]) == []
