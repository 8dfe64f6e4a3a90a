"""Spam and duplicates in a real browser: a reader reports a profile that
copies another firm's, staff see it flagged beside the original on the
moderation queue and merge it, and the search index forgets the copy."""

import time

import pytest
from playwright.sync_api import expect

from directory.models import Business, ProfileFlag
from search import selectors as search
from search.query import SearchQuery

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def wait_until(check, *, timeout=30, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.25)
    pytest.fail(f"Timed out waiting for {message}")


def found(business):
    hits = search.search(SearchQuery(text="brake rotors")).hits
    return any(hit.business.pk == business.pk for hit in hits)


def test_a_reported_duplicate_is_merged_by_staff_and_leaves_the_index(
    es_prefix, open_page, make_user, make_business, staff, celery_worker_process
):
    older = make_business(name="(주)한빛브레이크", city="seongnam", description="Brake rotors from Seongnam.",
                          contact_email="minjun@hanbit.example", website="https://hanbit-brake.example")
    newer = make_business(name="한빛 브레이크 주식회사", city="seongnam", description="Brake rotors, Seongnam.",
                          contact_email="sales@hanbit-copy.example", website="http://www.hanbit-brake.example/")
    wait_until(lambda: found(older) and found(newer), message="both profiles to be searchable")

    # 1. A reader finds the copy and reports it from its page.
    reader = open_page(user=make_user("reader"))
    reader.goto(f"{reader.base}/en/b/{newer.slug}/")
    reader.locator("details.report summary").click()
    reader.select_option("#report-reason", "duplicate")
    reader.fill("#report-note", "Same firm as (주)한빛브레이크.")
    reader.locator("form[action$='/report/'] button[type=submit]").click()
    expect(reader.locator(".messages")).to_contain_text("Staff will look at this profile")
    assert ProfileFlag.objects.filter(business=newer, kind="report", reason="duplicate").exists()

    # 2. Staff see it flagged twice, with the original linked, and merge it.
    desk = open_page(user=staff)
    desk.goto(f"{desk.base}/en/staff/")
    desk.locator("a[href$='?status=flagged']").click()
    item = desk.locator(f".moderation-item[data-slug='{newer.slug}']")
    expect(item.locator(".flag-report")).to_contain_text("Same firm as")
    duplicate = item.locator(".flag-duplicate")
    expect(duplicate).to_contain_text("the same website")
    expect(duplicate.locator("[data-testid=other-profile]")).to_have_text(older.name)
    assert "minjun@hanbit.example" not in desk.content()
    duplicate.locator("input[name=add_members]").check()
    duplicate.locator("form[action$='/merge/'] button").click()
    expect(desk.locator(".messages")).to_contain_text("was merged into")
    expect(desk.locator(f".moderation-item[data-slug='{newer.slug}']")).to_have_count(0)

    newer.refresh_from_db()
    assert newer.status == Business.Status.ARCHIVED and newer.merged_into.into == older
    assert newer.owner in older.members.all()
    assert not ProfileFlag.objects.filter(status="open").exists()
    # 3. The worker drains the outbox: the copy is gone from search, the original stays.
    wait_until(lambda: not found(newer), message="the merged profile to leave the index")
    assert found(older)
