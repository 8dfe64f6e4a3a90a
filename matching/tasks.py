from celery import chord, shared_task

from . import introductions, notifications, runs


@shared_task
def run_matching(full=False):
    """Open a run, fan its chunks out to the workers, close it when all are done."""
    try:
        run, chunks = runs.start_run(full=full)
    except runs.RunInProgress:
        return None
    if not chunks:
        return runs.close_run(run_id=run.pk).pk
    header = [match_chunk.s(run.pk, index, ids) for index, ids in enumerate(chunks)]
    chord(header)(close_run.si(run.pk).on_error(fail_run.si(run.pk)))
    return run.pk


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=300, max_retries=5)
def match_chunk(run_id, index, business_ids):
    """Idempotent: delivered twice, the second delivery refreshes nothing new."""
    return runs.process_chunk(run_id=run_id, index=index, business_ids=business_ids)


@shared_task(acks_late=True)
def close_run(run_id):
    return runs.close_run(run_id=run_id).pk


@shared_task
def fail_run(run_id):
    runs.fail_run(run_id=run_id, error="A chunk of the run failed after its retries.")


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=8)
def send_email(email_id):
    """Send one promised email; a second delivery finds it claimed and sends nothing."""
    return notifications.send(email_id)


@shared_task
def send_unsent_emails():
    """Every few minutes: emails whose task never reached the broker."""
    return sum(1 for email_id in notifications.unsent() if notifications.send(email_id))


@shared_task
def remind_and_expire_introductions():
    return introductions.remind_and_expire()


@shared_task
def send_introduction_followups():
    return introductions.send_followups()
