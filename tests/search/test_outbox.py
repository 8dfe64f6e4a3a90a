import time

import pytest
from django.db import transaction

from directory import services
from directory.models import Business
from search import outbox, tasks
from search.backends import get_search_backend
from search.models import OutboxEntry, SearchEntry
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
