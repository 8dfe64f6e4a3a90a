import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from directory import tasks
from directory.models import Business, User
from matching import notifications
from matching.models import OutgoingEmail
from tests.mail_server import REFUSED


def lapsing_soon(business):
    """Move the profile's last confirmation back to eleven months and three weeks ago."""
    Business.objects.filter(pk=business.pk).update(confirmed_at=timezone.now() - timedelta(days=358))


@pytest.mark.sqlite
def test_one_refused_address_does_not_stop_the_other_expiry_reminders(make_business, settings):
    settings.EMAIL_BACKEND = "tests.mail_server.RefusingBackend"
    refused_owner = User.objects.create_user(username="refused", email=REFUSED)
    # Reminders went out in name order: the refused firm comes first.
    firms = [make_business(owner=refused_owner, name="Aardvark Auto Parts")]
    firms += [make_business(name=name) for name in ("Baeza Frenos", "Cascade Brakes")]
    for business in firms:
        lapsing_soon(business)
    mail.outbox.clear()

    assert tasks.remind_expiring_profiles() == 3
    notifications.send_unsent()  # what the task queued after commit does

    assert sorted(m.to[0] for m in mail.outbox) == sorted(b.owner.email for b in firms[1:])
    assert all(Business.objects.get(pk=b.pk).expiry_reminder_sent_at for b in firms)
    refused = OutgoingEmail.objects.get(to=[REFUSED])
    assert refused.sent_at is None and refused.attempts == 1 and "rejected" in refused.last_error
    assert "Aardvark Auto Parts" in refused.subject


@pytest.mark.sqlite
def test_an_expiry_reminder_is_promised_once_per_confirmation_period(make_business):
    business = make_business(name="Smith & Sons Brake Supply")
    lapsing_soon(business)

    assert tasks.remind_expiring_profiles() == 1
    assert tasks.remind_expiring_profiles() == 0
    business.refresh_from_db()
    email = OutgoingEmail.objects.get(key__startswith=f"business:{business.pk}:expiry-reminder:")
    assert email.to == [business.owner.email]
    assert "Smith & Sons Brake Supply" in email.subject and "&amp;" not in email.body
    expires = timezone.localtime(business.expires_at)
    assert f"{expires.day} {expires:%B %Y}" in email.body  # the day it lapses, where the network is


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_sends_each_expiry_reminder_once(make_business, celery_worker_process):
    business = make_business()
    lapsing_soon(business)
    queue = celery_worker_process["queue"]

    # Delivered twice, as Redis may do after a visibility timeout: one email.
    first = tasks.remind_expiring_profiles.apply_async(queue=queue).get(timeout=60)
    second = tasks.remind_expiring_profiles.apply_async(queue=queue).get(timeout=60)

    assert (first, second) == (1, 0)
    email = OutgoingEmail.objects.get()
    deadline = timezone.now() + timedelta(seconds=30)
    while email.sent_at is None and timezone.now() < deadline:  # sent by its own task, after commit
        time.sleep(0.2)
        email.refresh_from_db()
    messages = [p.read_text() for p in celery_worker_process["mail_dir"].glob("*.log")]
    assert len(messages) == 1
    assert business.owner.email in messages[0] and business.name in messages[0]
    business.refresh_from_db()
    assert business.expiry_reminder_sent_at is not None
