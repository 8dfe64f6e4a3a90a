"""The matching pages: a firm's introductions, the staff queue, the runs and
the metrics, driven through the test client as a person would use them."""

import re
from html import unescape

import pytest
from django.test import Client

from directory import services as directory_services
from directory.models import City
from matching import introductions, runs
from matching.models import Introduction, MatchRun

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]
Status = Introduction.Status

BUYER_CONTACT = {"contact_name": "Dana Whitfield", "contact_email": "dana@frontrange.example",
                 "contact_phone": "+1 303 555 0100"}
SUPPLIER_CONTACT = {"contact_name": "Kim Minjun", "contact_email": "minjun@hanbit.example",
                    "contact_phone": "+82 31 555 0101"}
FRENOS_CONTACT = {"contact_name": "Lucía Baeza", "contact_email": "lucia@frenos.example",
                  "contact_phone": "+52 614 555 0102"}
SECRETS = [value for contact in (BUYER_CONTACT, SUPPLIER_CONTACT, FRENOS_CONTACT)
           for key, value in contact.items() if key != "contact_name"]


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def messages_of(response):
    """The messages the page the response redirects to shows the person."""
    assert response.status_code == 302, response.status_code
    page = response.client.get(response.url).content.decode()
    return [unescape(text) for text in re.findall(r'<p class="message[^"]*">(.*?)</p>', page, re.S)]


def html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def firms(make_business, make_user, settings):
    settings.SEARCH_BACKEND = "database"
    buyer = make_business(owner=make_user("dana"), name="Front Range Brake Supply", seeks_hs=["870830"],
                          trade_roles=["importer"], **BUYER_CONTACT)
    supplier = make_business(owner=make_user("minjun"), name="Hanbit Brake Works", city="seongnam",
                             offers_hs=["870830"], seeks_hs=[], seeks_text="", trade_roles=["exporter"],
                             **SUPPLIER_CONTACT)
    frenos = make_business(owner=make_user("lucia"), name="Frenos Baeza", city="chihuahua", offers_hs=["870830"],
                           seeks_hs=[], seeks_text="", trade_roles=["exporter"], **FRENOS_CONTACT)
    return buyer, supplier, frenos


@pytest.fixture
def proposals(firms):
    """What a matching run proposes: the buyer with each of the two suppliers."""
    runs.run_matching_now(full=True)
    buyer, supplier, frenos = firms
    return Introduction.objects.get(business_b=supplier), Introduction.objects.get(business_b=frenos)


def introduce(staff, buyer, supplier):
    """Take a pair through the pages: asked, approved, accepted by both."""
    response = client_for(buyer.owner).post(f"/en/b/{supplier.slug}/request-introduction/", {"message": "10k pads"})
    assert response.status_code == 302
    introduction = Introduction.objects.get(business_b=supplier)
    client_for(staff).post(f"/en/staff/introductions/{introduction.pk}/approve/", {"message": "A good fit."})
    for owner in (buyer.owner, supplier.owner):
        client_for(owner).post(f"/en/me/introductions/{introduction.pk}/accept/")
    introduction.refresh_from_db()
    assert introduction.status == Status.INTRODUCED
    return introduction


# --- a firm's introductions ----------------------------------------------------------------


def test_partner_firm_sees_no_contact_before_both_accept_and_sees_it_after(firms, staff):
    buyer, supplier, _ = firms
    buyer_client, supplier_client = client_for(buyer.owner), client_for(supplier.owner)

    response = buyer_client.post(f"/en/b/{supplier.slug}/request-introduction/", {"message": "We buy 10k pads a year."})
    assert response.status_code == 302 and response.url == f"/en/b/{supplier.slug}/"
    assert "Your request is on its way to staff" in messages_of(response)[0]
    introduction = Introduction.objects.get(business_a=buyer, business_b=supplier)
    assert introduction.status == Status.REQUESTED and introduction.requested_by == buyer
    assert supplier.name not in html(supplier_client.get("/en/me/introductions/"))  # not before staff approve

    response = client_for(staff).post(f"/en/staff/introductions/{introduction.pk}/approve/",
                                      {"message": "A good fit for both."})
    assert response.status_code == 302
    for client, other in ((buyer_client, supplier), (supplier_client, buyer)):
        page = html(client.get("/en/me/introductions/"))
        assert other.name in page and f'href="/en/b/{other.slug}/"' in page
        assert "A good fit for both." in page and 'class="badge status-approved"' in page
        assert f'action="/en/me/introductions/{introduction.pk}/accept/"' in page
        assert 'class="contact"' not in page and not any(secret in page for secret in SECRETS)

    response = buyer_client.post(f"/en/me/introductions/{introduction.pk}/accept/")
    assert response.status_code == 302 and response.url == f"/en/me/introductions/#introduction-{introduction.pk}"
    page = html(buyer_client.get("/en/me/introductions/"))
    assert f'action="/en/me/introductions/{introduction.pk}/accept/"' not in page
    assert not any(secret in page for secret in SECRETS)

    supplier_client.post(f"/en/me/introductions/{introduction.pk}/accept/")
    buyer_page = html(buyer_client.get("/en/me/introductions/"))
    supplier_page = html(supplier_client.get("/en/me/introductions/"))
    contact = re.search(r'<div class="contact">(.*?)</div>', buyer_page, re.S).group(1)
    assert all(value in contact for value in SUPPLIER_CONTACT.values())
    assert BUYER_CONTACT["contact_email"] not in buyer_page  # its own contact is not what it was shown
    assert all(value in supplier_page for value in BUYER_CONTACT.values())
    assert 'class="badge status-introduced"' in buyer_page
    assert f'action="/en/me/introductions/{introduction.pk}/outcome/"' in buyer_page


def test_the_introductions_awaiting_an_answer_come_first(firms, staff):
    buyer, supplier, frenos = firms
    old = introduce(staff, buyer, frenos)
    newer = introductions.request_introduction(actor=buyer.owner, target=supplier)
    introductions.approve_introduction(actor=staff, introduction=newer)
    page = html(client_for(buyer.owner).get("/en/me/introductions/"))
    assert page.index(f'id="introduction-{newer.pk}"') < page.index(f'id="introduction-{old.pk}"')
    assert "1 introduction is waiting for your answer." in page


def test_a_firm_declines_with_a_reason(firms, staff):
    buyer, supplier, _ = firms
    introduction = introductions.request_introduction(actor=buyer.owner, target=supplier)
    introductions.approve_introduction(actor=staff, introduction=introduction)
    response = client_for(supplier.owner).post(f"/en/me/introductions/{introduction.pk}/decline/",
                                               {"reason": "We sell only in Asia."})
    assert messages_of(response) == ["You declined the introduction."]
    introduction.refresh_from_db()
    assert introduction.status == Status.DECLINED and introduction.declined_by == supplier
    assert introduction.decline_reason == "We sell only in Asia."


def test_answering_an_introduction_twice_or_someone_elses_is_a_message_or_a_404(firms, staff):
    buyer, supplier, frenos = firms
    introduction = introductions.request_introduction(actor=buyer.owner, target=supplier)
    # Not yet approved: the supplier does not see it at all.
    assert client_for(supplier.owner).post(f"/en/me/introductions/{introduction.pk}/accept/").status_code == 404
    assert client_for(frenos.owner).post(f"/en/me/introductions/{introduction.pk}/accept/").status_code == 404
    response = client_for(buyer.owner).post(f"/en/me/introductions/{introduction.pk}/accept/")
    assert response.status_code == 302
    assert messages_of(response) == ["An introduction that is requested by a firm cannot be accepted."]
    assert client_for(buyer.owner).post(f"/en/me/introductions/{introduction.pk}/frobnicate/").status_code == 404
    assert client_for(buyer.owner).get(f"/en/me/introductions/{introduction.pk}/accept/").status_code == 405


def test_outcome_form_rejects_a_value_for_an_outcome_that_is_not_a_deal(firms, staff):
    buyer, supplier, _ = firms
    introduction = introduce(staff, buyer, supplier)
    client = client_for(buyer.owner)
    url = f"/en/me/introductions/{introduction.pk}/outcome/"

    response = client.post(url, {"outcome": "met", "value": "25000", "note": "Coffee in Denver."})
    assert response.status_code == 302
    assert messages_of(response) == ["A value goes with a deal only."]
    introduction.refresh_from_db()
    assert introduction.outcome == ""

    [problem] = messages_of(client.post(url, {"outcome": "deal", "value": "-5"}))
    assert problem == "Value of the deal: Ensure this value is greater than or equal to 0."
    [problem] = messages_of(client.post(url, {"outcome": "won-the-lottery"}))
    assert problem.startswith("What came of it: Select a valid choice.")

    response = client.post(url, {"outcome": "deal", "value": "25000.50", "note": "First order signed."})
    assert messages_of(response) == ["Thank you: the outcome is recorded."]
    introduction.refresh_from_db()
    assert (introduction.outcome, str(introduction.outcome_value)) == ("deal", "25000.50")
    page = html(client.get("/en/me/introductions/"))
    assert 'value="25000.50"' in page and "Recorded so far: Deal signed." in page


def test_an_erased_counterpart_is_a_former_member_without_link_or_contact(firms, staff):
    buyer, supplier, _ = firms
    introduce(staff, buyer, supplier)
    directory_services.delete_account(user=supplier.owner)
    page = html(client_for(buyer.owner).get("/en/me/introductions/"))
    assert "a former member" in page
    assert f'href="/en/b/{supplier.slug}/"' not in page and "Hanbit" not in page
    assert 'class="contact"' not in page and SUPPLIER_CONTACT["contact_email"] not in page


def test_asking_for_an_introduction_never_fails_with_an_error_page(firms, staff, settings):
    buyer, supplier, frenos = firms
    client = client_for(buyer.owner)
    url = f"/en/b/{supplier.slug}/request-introduction/"
    assert client.get(url).status_code == 405
    assert client.post("/en/b/no-such-firm/request-introduction/").status_code == 404

    response = client.post(url, {"from": frenos.slug})  # not one of the buyer's firms
    assert messages_of(response) == ["Choose one of the firms you manage."]
    response = client.post(f"/en/b/{buyer.slug}/request-introduction/")
    assert messages_of(response) == ["Introductions are made only to another published profile."]
    assert messages_of(client.post(url, {"from": buyer.slug}))[0].startswith("Your request is on its way to staff.")
    [problem] = messages_of(client.post(url))
    assert problem == "These firms already have an open introduction."

    settings.INTRODUCTION_REQUESTS_PER_DAY = 1
    response = client.post(f"/en/b/{frenos.slug}/request-introduction/")
    assert messages_of(response) == ["A firm may ask for 1 introductions a day."]
    assert not Introduction.objects.filter(business_b=frenos).exists()

    anonymous = Client().post(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url


# --- the staff queue ---------------------------------------------------------------------------


def test_staff_see_the_queue_best_first_with_reasons_and_no_contacts(proposals, staff):
    seongnam, chihuahua = proposals
    page = html(client_for(staff).get("/en/staff/introductions/"))
    # Best first: in page order the scores never rise (equal scores may come in either order).
    shown = sorted(proposals, key=lambda i: page.index(f'id="introduction-{i.pk}"'))
    assert [i.score for i in shown] == sorted((i.score for i in proposals), reverse=True)
    assert f"{seongnam.score:.2f}" in page
    assert seongnam.reasons[0]["text"] in page
    assert "Hanbit Brake Works" in page and "Frenos Baeza" in page and "Seongnam" in page
    assert not any(secret in page for secret in SECRETS)
    assert 'form="bulk-form"' in page

    page = html(client_for(staff).get("/en/staff/introductions/?city=seongnam"))
    assert f'id="introduction-{seongnam.pk}"' in page and f'id="introduction-{chihuahua.pk}"' not in page
    page = html(client_for(staff).get("/en/staff/introductions/?status=requested"))
    assert f'id="introduction-{seongnam.pk}"' not in page and "Nothing waits for a decision here." in page


def test_staff_approve_and_dismiss_from_the_queue(proposals, staff):
    seongnam, chihuahua = proposals
    client = client_for(staff)
    response = client.post(f"/en/staff/introductions/{seongnam.pk}/approve/",
                           {"message": "Worth a call.", "next": "/en/staff/introductions/?city=seongnam"})
    assert response.status_code == 302 and response.url == "/en/staff/introductions/?city=seongnam"
    assert messages_of(response) == [
        "You approved the introduction of Front Range Brake Supply and Hanbit Brake Works; both firms are asked now."]
    seongnam.refresh_from_db()
    assert seongnam.status == Status.APPROVED and seongnam.approval_message == "Worth a call."

    response = client.post(f"/en/staff/introductions/{chihuahua.pk}/dismiss/",
                           {"reason": "timing", "note": "Ask again in spring.", "next": "https://evil.example/"})
    assert response.url == "/en/staff/introductions/"  # an outside address is not followed
    chihuahua.refresh_from_db()
    assert chihuahua.status == Status.DISMISSED and chihuahua.dismiss_reason == "timing"
    assert messages_of(response) == ["You dismissed the introduction of Front Range Brake Supply and Frenos Baeza."]

    response = client.post(f"/en/staff/introductions/{chihuahua.pk}/approve/")
    assert messages_of(response) == ["An introduction that is dismissed by staff cannot be approved."]
    [problem] = messages_of(client.post(f"/en/staff/introductions/{seongnam.pk}/dismiss/", {"reason": "bored"}))
    assert problem.startswith("Reason: Select a valid choice.")
    page = html(client.get("/en/staff/introductions/"))
    assert "Nothing waits for a decision here." in page
    # Decided ones can be looked back on, without the buttons.
    page = html(client.get("/en/staff/introductions/?status=dismissed"))
    assert f'id="introduction-{chihuahua.pk}"' in page and f'id="introduction-{seongnam.pk}"' not in page
    assert "/dismiss/" not in page and 'id="bulk-form"' not in page


def test_staff_approve_and_dismiss_in_bulk(proposals, staff):
    seongnam, chihuahua = proposals
    client = client_for(staff)
    ids = [seongnam.pk, chihuahua.pk]

    response = client.post("/en/staff/introductions/bulk/", {"ids": ids, "action": "dismiss"})
    assert messages_of(response) == ["Reason: Choose why these introductions are dismissed."]
    assert messages_of(client.post("/en/staff/introductions/bulk/", {"action": "approve"})) == [
        "Select at least one introduction."]
    assert set(Introduction.objects.values_list("status", flat=True)) == {Status.PROPOSED}

    response = client.post("/en/staff/introductions/bulk/", {"ids": [seongnam.pk], "action": "approve"})
    assert messages_of(response) == ["1 introduction approved."]
    response = client.post("/en/staff/introductions/bulk/", {
        "ids": ids + [999999], "action": "dismiss", "reason": "not_relevant", "note": "Too far.",
        "next": "/en/staff/introductions/?page=1",
    })
    assert response.url == "/en/staff/introductions/?page=1"
    [summary] = messages_of(response)
    assert summary.startswith("1 introduction dismissed. 2 introductions were not changed:")
    assert "Introduction 999999 was not found." in summary
    assert "cannot be dismissed" in summary
    seongnam.refresh_from_db(), chihuahua.refresh_from_db()
    assert (seongnam.status, chihuahua.status) == (Status.APPROVED, Status.DISMISSED)


def test_a_volunteer_of_another_city_gets_no_rows_of_other_cities(proposals, seongnam_volunteer):
    seongnam, chihuahua = proposals
    client = client_for(seongnam_volunteer)
    page = html(client.get("/en/staff/introductions/"))
    assert f'id="introduction-{seongnam.pk}"' in page and f'id="introduction-{chihuahua.pk}"' not in page
    assert "Frenos Baeza" not in page
    # Volunteers read the queue; approving is for staff and coordinators.
    assert "/approve/" not in page and 'id="bulk-form"' not in page
    assert f'id="introduction-{chihuahua.pk}"' not in html(client.get("/en/staff/introductions/?city=chihuahua"))
    assert client.post(f"/en/staff/introductions/{chihuahua.pk}/approve/").status_code == 404
    response = client.post(f"/en/staff/introductions/{seongnam.pk}/approve/")
    assert response.status_code == 302 and "Only staff" in messages_of(response)[0]
    seongnam.refresh_from_db()
    assert seongnam.status == Status.PROPOSED


def test_a_city_coordinator_decides_for_their_city(proposals, make_user, staff):
    seongnam, chihuahua = proposals
    coordinator = make_user("seongnam-coordinator")
    city = City.objects.get(slug="seongnam")
    city.coordinator, city.coordinator_must_approve = coordinator, True
    city.save()
    client = client_for(coordinator)
    page = html(client.get("/en/staff/introductions/"))
    assert f"/en/staff/introductions/{seongnam.pk}/approve/" in page
    response = client.post(f"/en/staff/introductions/{seongnam.pk}/approve/")
    assert messages_of(response) == [
        "Your approval of Front Range Brake Supply and Hanbit Brake Works is recorded; it now waits for staff."]
    assert "The city coordinator approved; it waits for staff." in html(client.get("/en/staff/introductions/"))
    response = client_for(staff).post("/en/staff/introductions/bulk/", {"ids": [seongnam.pk], "action": "approve"})
    assert messages_of(response) == ["1 introduction approved."]


def test_the_desk_pages_are_for_staff_volunteers_and_coordinators(firms, seongnam_volunteer):
    buyer = firms[0]
    firm = client_for(buyer.owner)
    for url in ("/en/staff/introductions/", "/en/staff/runs/", "/en/staff/metrics/"):
        assert firm.get(url).status_code == 403
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url
    assert firm.post("/en/staff/introductions/bulk/", {"ids": [1], "action": "approve"}).status_code == 403
    volunteer = client_for(seongnam_volunteer)
    assert volunteer.get("/en/staff/runs/").status_code == 403
    assert volunteer.post("/en/staff/runs/").status_code == 403
    assert volunteer.get("/en/staff/metrics/").status_code == 200


def test_the_queue_is_paginated_25_a_page(make_business, staff, settings):
    settings.INTRODUCTION_REQUESTS_PER_DAY = 30
    buyer = make_business(name="Front Range Brake Supply")
    for n in range(27):
        target = make_business(name=f"Partner {n:02}", city="seongnam")
        introductions.request_introduction(actor=buyer.owner, target=target)
    client = client_for(staff)
    first = html(client.get("/en/staff/introductions/?status=requested"))
    assert first.count('name="ids"') == 25 and "Page 1 of 2" in first
    assert 'href="?status=requested&amp;page=2"' in first
    second = html(client.get("/en/staff/introductions/?status=requested&page=2"))
    assert second.count('name="ids"') == 2


# --- runs and metrics ----------------------------------------------------------------------------


@pytest.fixture
def eager_runs(monkeypatch):
    """The run happens inside the request, as on the embedded default, so the
    page's answer can be checked whether or not a broker is configured."""
    from config.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


def test_staff_start_a_matching_run_and_see_it_listed(firms, staff, eager_runs):
    client = client_for(staff)
    response = client.post("/en/staff/runs/", {"mode": "full"})
    assert response.status_code == 302 and response.url == "/en/staff/runs/"
    run = MatchRun.objects.get()
    assert run.mode == MatchRun.Mode.FULL and run.status == MatchRun.Status.SUCCEEDED
    assert messages_of(response) == [f"Matching run {run.pk} finished. Its figures are below."]
    page = html(client.get("/en/staff/runs/"))
    assert "Full" in page and "Succeeded" in page and f"<td>{run.proposals_created}</td>" in page

    runs.start_run()  # another run holds the lock
    response = client.post("/en/staff/runs/")
    assert messages_of(response) == ["A matching run is already in progress. Wait for it to finish."]
    assert MatchRun.objects.count() == 2


def test_metrics_page_draws_the_funnel_with_its_figures(firms, staff):
    buyer, supplier, frenos = firms
    introduction = introduce(staff, buyer, supplier)
    deal = {"outcome": "deal", "value": "100"}
    client_for(buyer.owner).post(f"/en/me/introductions/{introduction.pk}/outcome/", deal)
    introductions.request_introduction(actor=buyer.owner, target=frenos)

    page = html(client_for(staff).get("/en/staff/metrics/"))
    funnel = re.search(r'<svg[^>]*data-chart="funnel".*?</svg>', page, re.S).group(0)
    assert 'role="img"' in funnel and "<title" in funnel and "<desc" in funnel

    def value(stage):
        return re.search(rf'<rect[^>]*data-stage="{stage}"[^>]*data-value="(\d+)"', funnel).group(1)

    assert [value(stage) for stage in ("proposed", "approved", "introduced", "deal")] == ["2", "1", "1", "1"]
    assert "Aurora and Seongnam" in page and "Aurora and Chihuahua" in page  # names, not slugs
    assert "/api/v1/metrics/introductions/?export=csv" in page
    assert page.count("<table>") == 3


def test_metrics_for_a_volunteer_count_only_their_cities(firms, staff, seongnam_volunteer):
    buyer, supplier, frenos = firms
    introduce(staff, buyer, frenos)  # Aurora and Chihuahua: none of Seongnam's business
    page = html(client_for(seongnam_volunteer).get("/en/staff/metrics/"))
    assert re.search(r'data-stage="introduced"[^>]*data-value="0"', page)
    assert "Chihuahua" not in page and "export=csv" not in page

    introduce(staff, buyer, supplier)
    page = html(client_for(seongnam_volunteer).get("/en/staff/metrics/"))
    assert re.search(r'data-stage="introduced"[^>]*data-value="1"', page)
    assert "Aurora and Seongnam" in page and "Chihuahua" not in page





def test_a_run_that_fails_is_a_message_not_an_error_page(firms, staff, monkeypatch, eager_runs):
    def search_engine_down(**kwargs):
        raise ConnectionError("search engine down")

    monkeypatch.setattr(runs, "process_chunk", search_engine_down)
    [problem] = messages_of(client_for(staff).post("/en/staff/runs/", {"mode": "full"}))
    assert problem.startswith("The matching run failed:") and "search engine down" in problem


def test_a_broker_that_cannot_be_reached_is_a_message(staff, monkeypatch):
    from kombu.exceptions import OperationalError

    from matching import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(tasks.run_matching, "delay", broker_down)
    assert messages_of(client_for(staff).post("/en/staff/runs/")) == [
        "The task queue cannot be reached, so the run did not start. Try again later."]
