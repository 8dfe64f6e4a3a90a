from datetime import timedelta

from celery import Task, chord, shared_task

from config.celery import OncePerPeriod

from . import introductions, notifications, runs


class MatchChunkTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """A chunk failed after its retries, so the chord never closes the run:
        fail it now, with the chunk's error, which releases the one-run lock."""
        run_id = kwargs["run_id"] if "run_id" in kwargs else args[0]
        runs.fail_run(run_id=run_id, error=f"A chunk failed after its retries: {exc!r}")


@shared_task(base=OncePerPeriod, period=timedelta(days=1))
def run_matching(full=False):
    """Open a run, fan its chunks out to the workers, close it when all are done.
    Nightly from beat (once a day, however many beats) and on demand from staff."""
    try:
        run, chunks = runs.start_run(full=full)
    except runs.RunInProgress:
        return None
    if not chunks:
        return runs.close_run(run_id=run.pk).pk
    header = [match_chunk.s(run.pk, index, ids) for index, ids in enumerate(chunks)]
    try:
        chord(header)(close_run.si(run.pk))
    except Exception as error:
        # Without a broker the chunks run right here and a failing one raises
        # (Celery's Retry, when run eagerly); with one, the chunks could not be
        # queued. Either way this run will never close: fail it, free the lock.
        runs.fail_run(run_id=run.pk, error=repr(getattr(error, "exc", None) or error))
        raise
    return run.pk


@shared_task(base=MatchChunkTask, acks_late=True, autoretry_for=(Exception,), retry_backoff=True,
             retry_backoff_max=300, max_retries=5)
def match_chunk(run_id, index, business_ids):
    """Idempotent: delivered twice, the second delivery refreshes nothing new."""
    return runs.process_chunk(run_id=run_id, index=index, business_ids=business_ids)


@shared_task(acks_late=True)
def close_run(run_id):
    return runs.close_run(run_id=run_id).pk


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=8)
def send_email(email_id):
    """Send one promised email; a second delivery finds it sent or claimed and
    sends nothing. A refusal by the mail server is recorded on the email and
    tried again by the sweep; only trouble reaching the database retries here."""
    return notifications.send(email_id)


@shared_task(base=OncePerPeriod, period=timedelta(minutes=5))
def send_unsent_emails():
    """Every few minutes: emails whose task never reached the broker, and those waiting to be tried again."""
    return notifications.send_unsent()


@shared_task(base=OncePerPeriod, period=timedelta(hours=1))
def remind_and_expire_introductions():
    return introductions.remind_and_expire()


@shared_task(base=OncePerPeriod, period=timedelta(days=1))
def send_introduction_followups():
    return introductions.send_followups()
