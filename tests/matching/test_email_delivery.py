import pytest

from matching import notifications, tasks
from matching.models import Introduction, OutgoingEmail


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
