import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from directory.models import Business, BusinessTerm
from search.models import OutboxEntry, SearchEntry

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def test_admin_pages_open_for_staff(client, staff, make_business):
    staff.is_superuser = True
    staff.save()
    business = make_business()
    client.force_login(staff)
    assert client.get("/admin/directory/business/").status_code == 200
    assert client.get(f"/admin/directory/business/{business.pk}/change/").status_code == 200
    assert client.get("/admin/directory/business/add/").status_code == 403
    assert client.get("/admin/matching/matchrun/").status_code == 200


def test_an_admin_edit_has_the_side_effects_of_an_api_edit(staff, make_business):
    business = make_business(offers_hs=["870830"])
    admin = site._registry[Business]
    request = RequestFactory().post("/")
    request.user = staff
    before = OutboxEntry.objects.filter(business_id=business.pk).count()
    business.offers_hs = ["090111"]
    business.name = "Renamed In Admin"
    admin.save_model(request, business, form=type("Form", (), {"changed_data": ["offers_hs", "name"]})(), change=True)
    assert set(BusinessTerm.objects.filter(business=business, kind="offers").values_list("value", flat=True)) == {
        "09", "0901", "090111"}
    assert "renamed" in SearchEntry.objects.get(business=business).name_tokens
    assert OutboxEntry.objects.filter(business_id=business.pk).count() == before + 1
    assert business.events.last().note == "admin: name, offers_hs"


def test_deleting_in_the_admin_tells_the_search_index(staff, make_business):
    business = make_business()
    pk = business.pk
    admin = site._registry[Business]
    request = RequestFactory().post("/")
    request.user = staff
    admin.delete_model(request, business)
    assert not Business.objects.filter(pk=pk).exists()
    assert OutboxEntry.objects.filter(business_id=pk).exists()
