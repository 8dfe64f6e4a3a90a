"""The whole loop in a real browser: a partner-city firm signs up in Spanish
and lists itself, staff publish it, an Aurora buyer finds it in English as
htmx updates the results, staff approve the introduction the buyer asks for,
both firms accept, only then see each other's contact, and report an outcome
that the staff chart counts."""

import re
import time

import pytest
from django.core import mail
from playwright.sync_api import expect

from directory.models import Business
from matching.models import Introduction
from search import selectors as search
from search.query import SearchQuery

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PARTNER_EMAIL = "ventas@cafe-serrano.example"
PARTNER_PHONE = "+52 614 555 0199"


def wait_until(check, *, timeout=30, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.25)
    pytest.fail(f"Timed out waiting for {message}")


def test_partner_firm_signs_up_is_found_introduced_and_reports_an_outcome(
    es_prefix, open_page, make_user, make_business, staff, celery_worker_process
):
    buyer_owner = make_user("buyer")
    buyer = make_business(owner=buyer_owner, name="Front Range Roasters", description="Specialty coffee roaster in Aurora.",
                          seeks_hs=["090111"], seeks_text="green coffee beans", naics=["311920"],
                          contact_email="dana@frontrange-roasters.example", contact_phone="+1 303 555 0142")

    # 1. A Chihuahua firm signs up in Spanish and confirms its address from the email it was sent.
    partner = open_page(language="es")
    partner.goto(f"{partner.base}/es/accounts/signup/")
    expect(partner.locator("html")).to_have_attribute("lang", "es")
    partner.fill("input[name=email]", "owner@cafe-serrano.example")
    partner.fill("input[name=password1]", "granos-de-altura-2026")
    partner.fill("input[name=password2]", "granos-de-altura-2026")
    partner.locator("main form button[type=submit]").click()
    wait_until(lambda: any("owner@cafe-serrano.example" in m.to for m in mail.outbox), message="the confirmation email")
    confirmation = next(m for m in mail.outbox if "owner@cafe-serrano.example" in m.to)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", confirmation.body).group(0)
    partner.goto(link)
    expect(partner).to_have_url(re.compile(r"/es/me/$"))

    # 2. It builds its profile in Spanish with the code pickers and sends it for review.
    partner.goto(f"{partner.base}/es/me/firms/new/")
    partner.fill("#id_name", "Café Serrano de Chihuahua")
    partner.select_option("#id_city", "chihuahua")
    partner.fill("#id_description", "Exportamos café verde de altura de la sierra de Chihuahua a tostadores de todo el mundo.")
    partner.select_option("#id_description_language", "es")
    partner.locator("#id_offers_hs-finder").press_sequentially("0901", delay=40)
    partner.locator("#id_offers_hs-finder-listbox li", has_text="090111").first.click()
    expect(partner.locator(".chips li", has_text="090111")).to_be_visible()
    partner.locator("#id_naics-finder").press_sequentially("3119", delay=40)
    partner.locator("#id_naics-finder-listbox li", has_text="311920").first.click()
    partner.fill("#id_offers_text", "café verde en grano")
    partner.check("input[name=trade_roles][value=exporter]")
    partner.fill("#id_contact_name", "Lucía Serrano")
    partner.fill("#id_contact_email", PARTNER_EMAIL)
    partner.fill("#id_contact_phone", PARTNER_PHONE)
    partner.click("button[name=submit]")
    expect(partner).to_have_url(re.compile(r"/es/me/$"))
    firm = Business.objects.get(name="Café Serrano de Chihuahua")
    assert firm.status == Business.Status.PENDING_REVIEW
    assert firm.offers_hs == ["090111"] and firm.naics == ["311920"] and firm.owner.preferred_language == "es"

    # 3. Staff publish it from the moderation queue.
    desk = open_page(user=staff)
    desk.goto(f"{desk.base}/en/staff/profiles/")
    desk.locator(f".moderation-item[data-slug='{firm.slug}'] form[action$='/publish/'] button").click()
    expect(desk.locator(".messages")).to_contain_text("Published")
    firm.refresh_from_db()
    assert firm.status == Business.Status.PUBLISHED
    # The worker drains the outbox into Elasticsearch.
    wait_until(lambda: any(h.business.pk == firm.pk for h in search.search(SearchQuery(text="green coffee")).hits),
               message="the published profile to be searchable")

    # 4. The Aurora buyer searches in English; htmx swaps the results in as it types.
    shopper = open_page(user=buyer_owner)
    shopper.goto(f"{shopper.base}/en/directory/")
    shopper.evaluate("window.__samePage = true")
    shopper.locator("#q").press_sequentially("green coffee", delay=60)
    expect(shopper.locator("#results")).to_contain_text("Café Serrano de Chihuahua")
    expect(shopper).to_have_url(re.compile(r"q=green(\+|%20)coffee"))
    assert shopper.evaluate("window.__samePage") is True, "the results were not swapped in place"
    shopper.locator("#q").press("Escape")  # close the suggestions, as a reader would before choosing a result
    shopper.locator("#results a", has_text="Café Serrano de Chihuahua").click()
    expect(shopper.locator("h1")).to_contain_text("Café Serrano de Chihuahua")
    assert PARTNER_EMAIL not in shopper.content() and PARTNER_PHONE not in shopper.content()
    shopper.fill("#intro-message", "We roast 40 tonnes a year and want a direct source.")
    shopper.locator("form[action$='/request-introduction/'] button[type=submit]").click()
    introduction = Introduction.objects.get()
    assert introduction.status == Introduction.Status.REQUESTED

    # 5. Staff approve it from the introductions queue.
    desk.goto(f"{desk.base}/en/staff/introductions/")
    desk.locator(f"form[action$='/staff/introductions/{introduction.pk}/approve/'] button").click()
    introduction.refresh_from_db()
    assert introduction.status == Introduction.Status.APPROVED

    # 6. The buyer accepts first: no contact yet, on any page.
    shopper.goto(f"{shopper.base}/en/me/introductions/")
    shopper.locator(f"form[action$='/me/introductions/{introduction.pk}/accept/'] button").click()
    for path in ("/en/me/introductions/", f"/en/b/{firm.slug}/"):
        shopper.goto(shopper.base + path)
        assert PARTNER_EMAIL not in shopper.content() and PARTNER_PHONE not in shopper.content()

    # 7. The partner accepts in Spanish: introduced, and each sees the other's contact.
    partner.goto(f"{partner.base}/es/me/introductions/")
    assert buyer.contact_email not in partner.content()
    partner.locator(f"form[action$='/me/introductions/{introduction.pk}/accept/'] button").click()
    introduction.refresh_from_db()
    assert introduction.status == Introduction.Status.INTRODUCED
    expect(partner.locator(".contact")).to_contain_text(buyer.contact_email)
    shopper.goto(f"{shopper.base}/en/me/introductions/")
    expect(shopper.locator(".contact")).to_contain_text(PARTNER_EMAIL)
    shopper.goto(f"{shopper.base}/en/b/{firm.slug}/")
    expect(shopper.locator(".contact")).to_contain_text(PARTNER_PHONE)

    # 8. Both report an outcome; the staff funnel chart counts the deal.
    partner.goto(f"{partner.base}/es/me/introductions/")
    outcome = partner.locator(f"form[action$='/me/introductions/{introduction.pk}/outcome/']")
    outcome.locator("select[name=outcome]").select_option("met")
    outcome.locator("button[type=submit]").click()
    shopper.goto(f"{shopper.base}/en/me/introductions/")
    outcome = shopper.locator(f"form[action$='/me/introductions/{introduction.pk}/outcome/']")
    outcome.locator("select[name=outcome]").select_option("deal")
    outcome.locator("input[name=value]").fill("48000")
    outcome.locator("button[type=submit]").click()
    introduction.refresh_from_db()
    assert introduction.outcome == Introduction.Outcome.DEAL
    desk.goto(f"{desk.base}/en/staff/metrics/")
    funnel = desk.locator("svg[data-chart=funnel]")
    expect(funnel.locator("rect[data-stage=deal]")).to_have_attribute("data-value", "1")
    expect(funnel.locator("rect[data-stage=introduced]")).to_have_attribute("data-value", "1")
