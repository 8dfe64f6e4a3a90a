"""The GDPR rights on the pages: a firm's person downloads everything held
about them, then deletes their account; the firm they owned alone is archived
with its private fields erased, and the firm they were introduced to keeps the
history, with them shown as a former member."""

import json

import pytest
from playwright.sync_api import expect

from directory.models import Business, User
from matching.models import Introduction

from . import network

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_firm_exports_its_data_then_deletes_its_account(open_page, make_user, make_business, staff):
    users, firms, introduction = network.build(make_user=make_user, make_business=make_business, staff=staff)
    page = open_page(user=users["hanbit"], language="ko")
    page.goto(f"{page.base}/ko/me/account/")
    with page.expect_download() as download:
        page.locator(f"a[href$='/me/account/data.json']").click()
    data = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert data["account"]["email"] == users["hanbit"].email
    [firm] = data["firms"]
    assert firm["name"] == "Hanbit Brake Works" and firm["contact_email"] == network.PRIVATE["seongnam"][0]
    assert [e["action"] for e in firm["events"]][:3] == ["created", "submitted", "published"]
    [exported] = data["introductions"]
    assert exported["status"] == "introduced"
    assert exported["counterpart_contact"]["email"] == network.PRIVATE["aurora"][0]
    assert all("dismiss" not in event["action"] for event in exported["history"])
    assert any("Front Range Brake Supply" in email["subject"] for email in data["emails"])

    page.goto(f"{page.base}/ko/me/account/delete/")
    page.check("#confirm-delete")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{page.base}/ko/")
    assert not User.objects.filter(pk=users["hanbit"].pk).exists()
    business = Business.objects.get(pk=firms["seongnam"].pk)
    assert business.status == Business.Status.ARCHIVED and business.erased_at is not None
    assert business.contact_email == business.contact_phone == business.contact_name == ""
    assert Introduction.objects.filter(pk=introduction.pk).exists()

    other = open_page(user=users["frontrange"])
    other.goto(f"{other.base}/en/me/introductions/")
    expect(other.locator("main")).to_contain_text("a former member")
    assert "Hanbit Brake Works" not in other.content()
    assert network.PRIVATE["seongnam"][0] not in other.content()
    response = other.goto(f"{other.base}/en/b/{business.slug}/")
    assert response.status == 404
