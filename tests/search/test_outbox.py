import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from directory import services
from directory.models import Business
from search import indexing, outbox, tasks
from search.backends import get_search_backend
from search.models import OutboxEntry, SearchEntry
from search.query import SearchQuery
from tests.conftest import profile_data

pytestmark = pytest.mark.django_db


@pytest.mark.sqlite
def test_every_change_to_a_profile_writes_an_outbox_row_in_its_transaction(make_user, staff):
    owner = make_user("owner")
    business = services.create_business(actor=owner, data=profile_data())
    services.submit_business(actor=owner, business=business)
    services.publish_business(actor=staff, business=business)
    assert OutboxEntry.objects.filter(business_id=business.pk).count() == 3
    assert SearchEntry.objects.get(business=business).name_tokens.startswith("front range")

    with pytest.raises(RuntimeError):
        with transaction.atomic():
            services.update_business(actor=owner, business=business, data={"name": "Rolled Back"})
            raise RuntimeError("the request failed after the edit")
    assert OutboxEntry.objects.filter(business_id=business.pk).count() == 3
    assert "rolled" not in SearchEntry.objects.get(business=business).name_tokens


@pytest.mark.sqlite
def test_one_drain_is_scheduled_per_transaction_however_many_profiles_change(
    make_user, django_capture_on_commit_callbacks
):
    owner = make_user("owner")
    with django_capture_on_commit_callbacks() as callbacks:
        for n in range(3):
            business = services.create_business(actor=owner, data=profile_data(name=f"Firm {n}"))
            services.update_business(actor=owner, business=business, data={"offers_text": "pallets"})
    assert OutboxEntry.objects.count() == 6
    assert len(callbacks) == 1


@pytest.mark.sqlite
def test_draining_for_the_database_backend_just_clears_the_rows(make_business, settings):
    settings.SEARCH_BACKEND = "database"
    make_business()
    assert outbox.pending() > 0
    outbox.drain()
    assert outbox.pending() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_after_commit_a_real_worker_drains_the_outbox_into_elasticsearch(
    settings, es_prefix, make_business, celery_worker_process
):
    settings.SEARCH_BACKEND = "elasticsearch"
    # Each commit queues a drain on the broker; the worker takes it from there.
    business = make_business(name="Worker Indexed Firm", city="seongnam")
    deadline = time.monotonic() + 60
    while OutboxEntry.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not OutboxEntry.objects.exists(), celery_worker_process["log"].read_text()[-3000:]

    es = get_search_backend("elasticsearch")
    es.refresh()
    assert es.client.get(index=es.alias, id=business.pk)["_source"]["name"] == "Worker Indexed Firm"
    assert Business.objects.get(pk=business.pk).is_public
    # Delivered again, the task finds nothing left to do.
    assert tasks.drain_outbox.apply_async(queue=celery_worker_process["queue"]).get(timeout=60) == 0


@pytest.mark.sqlite
def test_every_change_moves_the_search_version_on(make_user, staff):
    owner = make_user("owner")
    business = services.create_business(actor=owner, data=profile_data())
    services.submit_business(actor=owner, business=business)
    business = services.publish_business(actor=staff, business=business)
    assert business.search_version == Business.objects.get(pk=business.pk).search_version == 3
    assert SearchEntry.objects.get(business=business).version == 3


@pytest.mark.sqlite
def test_an_entry_made_from_an_older_state_never_replaces_a_newer_one(make_business, settings, staff):
    settings.SEARCH_BACKEND = "database"
    business = make_business(name="Plains Pallet Works")
    read_before_the_edit = Business.objects.select_related("city").get(pk=business.pk)
    services.update_business(actor=business.owner, business=business, data={"name": "Prairie Crate Works"})
    services.publish_business_changes(actor=staff, business=business)  # a new name goes live after review

    indexing.write_entries([read_before_the_edit])  # a late writer with the older state

    assert "prairie" in SearchEntry.objects.get(business=business).name_tokens
    backend = get_search_backend("database")
    assert [hit.business.pk for hit in backend.search(SearchQuery(text="prairie")).hits] == [business.pk]
    assert backend.search(SearchQuery(text="plains")).total == 0


@pytest.mark.sqlite
def test_saving_an_instance_read_before_a_change_does_not_take_the_search_version_back(make_business, staff):
    business = make_business()
    read_before_the_edit = Business.objects.get(pk=business.pk)
    services.update_business(actor=business.owner, business=business, data={"offers_text": "pallets"})
    after_the_edit = Business.objects.get(pk=business.pk).search_version

    services.save_admin_edit(actor=staff, business=read_before_the_edit, changed=["name"])

    assert Business.objects.get(pk=business.pk).search_version == after_the_edit + 1


@pytest.mark.sqlite
def test_a_lapsed_profile_is_queued_with_a_newer_version(make_business):
    business = make_business()
    before = Business.objects.get(pk=business.pk).search_version
    # A year and a day without a confirmation, as the daily sweep sees it.
    later = timezone.now() + timedelta(days=settings.PROFILE_FRESHNESS_DAYS + 1)
    assert outbox.queue_lapsed(now=later) == 1
    assert Business.objects.get(pk=business.pk).search_version == before + 1
