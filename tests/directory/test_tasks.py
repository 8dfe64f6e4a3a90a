from datetime import timedelta

import pytest
from django.utils import timezone

from directory import tasks
from directory.models import Business


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_sends_each_expiry_reminder_once(make_business, celery_worker_process):
    business = make_business()
    Business.objects.filter(pk=business.pk).update(confirmed_at=timezone.now() - timedelta(days=360))
    queue = celery_worker_process["queue"]

    # Delivered twice, as Redis may do after a visibility timeout: one email.
    first = tasks.remind_expiring_profiles.apply_async(queue=queue).get(timeout=60)
    second = tasks.remind_expiring_profiles.apply_async(queue=queue).get(timeout=60)

    assert (first, second) == (1, 0)
    messages = [p.read_text() for p in celery_worker_process["mail_dir"].glob("*.log")]
    assert len(messages) == 1
    assert business.owner.email in messages[0] and business.name in messages[0]
    business.refresh_from_db()
    assert business.expiry_reminder_sent_at is not None
