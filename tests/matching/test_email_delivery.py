"""Sending the emails the workflows promise: each on its own, once, and only
marked sent when the mail server took it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from matching import notifications, tasks
from matching.models import Introduction, OutgoingEmail
from tests.mail_server import REFUSED

class WorkerKilled(BaseException):
    """What a sender dying between claim and send looks like from inside: no
    `except Exception` runs."""


class DyingBackend(EmailBackend):
    def send_messages(self, messages):
        raise WorkerKilled()


class WatchingBackend(EmailBackend):
    """Notes what the outbox row said while the mail server was still working on it."""

    sent_at_while_sending = []

    def send_messages(self, messages):
        for message in messages:
            email = OutgoingEmail.objects.get(subject=message.subject)
            self.sent_at_while_sending.append(email.sent_at)
        return super().send_messages(messages)


def backend(name):
    return f"{__name__}.{name}"


@pytest.fixture
def introduction(make_business):
    buyer = make_business(name="Smith & Sons Brake Supply")
    supplier = make_business(name="Hanbit Brake Works", city="seongnam", offers_hs=["870830"])
    return Introduction.objects.create(business_a=buyer, business_b=supplier, status=Introduction.Status.APPROVED)


def promise(introduction, key, to):
    buyer, supplier = introduction.business_a, introduction.business_b
    return notifications.promise(
        key=key, introduction=introduction, kind="approved", to=[to], language="en",
        context={"business": buyer, "other": supplier},
    )


@pytest.mark.sqlite
def test_one_refused_address_does_not_stop_the_rest_of_the_sweep(introduction, settings):
    settings.EMAIL_BACKEND = "tests.mail_server.RefusingBackend"
    refused = promise(introduction, "test:refused", REFUSED)  # first in line
    others = [promise(introduction, f"test:other:{n}", f"firm{n}@firm.example") for n in range(3)]
    mail.outbox.clear()

    assert tasks.send_unsent_emails() == 3

    assert sorted(m.to[0] for m in mail.outbox) == ["firm0@firm.example", "firm1@firm.example", "firm2@firm.example"]
    assert all(OutgoingEmail.objects.get(pk=e.pk).sent_at for e in others)
    refused.refresh_from_db()
    assert refused.sent_at is None and refused.attempts == 1
    assert "Recipient address rejected" in refused.last_error
    assert refused.next_attempt_at > timezone.now()  # waits before the next try
    assert refused.failed_at is None


@pytest.mark.sqlite
def test_an_email_the_server_keeps_refusing_is_given_up_and_staff_see_why(introduction, settings, client, staff):
    settings.EMAIL_BACKEND = "tests.mail_server.RefusingBackend"
    email = promise(introduction, "test:refused", REFUSED)
    moment = timezone.now()
    for attempt in range(notifications.MAX_ATTEMPTS):
        assert list(notifications.unsent(now=moment)) == [email.pk]
        assert notifications.send(email.pk, now=moment) is False
        moment = OutgoingEmail.objects.get(pk=email.pk).next_attempt_at or moment
    email.refresh_from_db()
    assert email.attempts == notifications.MAX_ATTEMPTS and email.failed_at is not None
    assert list(notifications.unsent(now=moment + timedelta(days=30))) == []  # given up: no more tries

    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    page = client.get("/admin/matching/outgoingemail/", {"state": "failed"}).content.decode()
    assert "test:refused" in page and "Recipient address rejected" in page

    # Staff fixed the mail server's mind; the email gets fresh attempts.
    response = client.post("/admin/matching/outgoingemail/", {"action": "send_again", "_selected_action": [email.pk]})
    assert response.status_code == 302
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    assert notifications.send_unsent() == 1 and mail.outbox[0].to == [REFUSED]


@pytest.mark.sqlite
def test_an_email_is_marked_sent_only_after_the_server_accepted_it(introduction, settings):
    settings.EMAIL_BACKEND = backend("WatchingBackend")
    WatchingBackend.sent_at_while_sending.clear()
    email = promise(introduction, "test:watched", "firm@firm.example")

    assert notifications.send(email.pk) is True

    assert WatchingBackend.sent_at_while_sending == [None]
    assert OutgoingEmail.objects.get(pk=email.pk).sent_at is not None
    assert notifications.send(email.pk) is False  # sent once


@pytest.mark.sqlite
def test_a_sender_dying_between_claim_and_send_leaves_the_email_to_the_next_after_the_lease(introduction, settings):
    email = promise(introduction, "test:orphaned", "firm@firm.example")
    settings.EMAIL_BACKEND = backend("DyingBackend")
    with pytest.raises(WorkerKilled):
        notifications.send(email.pk)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    # The dead sender's claim still holds: a second sender must not send it too...
    assert notifications.send(email.pk) is False
    assert list(notifications.unsent()) == []
    # ...until the lease is over.
    later = timezone.now() + notifications.LEASE + timedelta(seconds=1)
    assert notifications.send_unsent(now=later) == 1
    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.get(pk=email.pk).sent_at is not None


@pytest.mark.sqlite
def test_plain_text_emails_keep_ampersands_and_quotes_as_written(introduction):
    email = promise(introduction, "test:ampersand", "firm@firm.example")
    assert "Smith & Sons Brake Supply" in email.body
    assert "&amp;" not in email.body + email.subject


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_email_task_delivered_twice_to_a_real_worker_sends_one_email(make_business, celery_worker_process):
    buyer = make_business(name="Front Range Brake Supply")
    supplier = make_business(name="Hanbit Brake Works", city="seongnam", offers_hs=["870830"])
    introduction = Introduction.objects.create(business_a=buyer, business_b=supplier, status=Introduction.Status.APPROVED)
    email = notifications.promise(
        key="test:approved", introduction=introduction, kind="approved", to=[buyer.owner.email], language="en",
        context={"business": buyer, "other": supplier},
    )
    # Promised outside a transaction, the email was queued at once; deliver it twice more.
    queue = celery_worker_process["queue"]
    again = [tasks.send_email.apply_async((email.pk,), queue=queue).get(timeout=60) for _ in range(2)]

    assert again.count(True) <= 1  # the first delivery (queued by the promise, or one of these) sends
    written = list(celery_worker_process["mail_dir"].glob("*.log"))
    assert len(written) == 1
    assert "Hanbit Brake Works" in written[0].read_text()
    assert OutgoingEmail.objects.get(pk=email.pk).sent_at is not None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_outbox_sweep_delivered_twice_to_a_real_worker_sends_each_email_once(make_business, celery_worker_process):
    buyer = make_business(name="Front Range Brake Supply")
    supplier = make_business(name="Hanbit Brake Works", city="seongnam", offers_hs=["870830"])
    introduction = Introduction.objects.create(business_a=buyer, business_b=supplier, status=Introduction.Status.APPROVED)
    emails = [promise(introduction, f"test:sweep:{n}", f"firm{n}@firm.example") for n in range(3)]

    # On the email queue, as routed, with the emails' own tasks queued after commit.
    results = [tasks.send_unsent_emails.delay().get(timeout=60) for _ in range(2)]

    assert results[1] == 0
    assert len(list(celery_worker_process["mail_dir"].glob("*.log"))) == 3
    assert OutgoingEmail.objects.filter(pk__in=[e.pk for e in emails], sent_at__isnull=False).count() == 3
