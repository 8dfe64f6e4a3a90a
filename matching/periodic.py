"""Claiming a period for a scheduled job, and recording how its run ended.

Beat may start a job twice in one period: a second beat process started by
mistake, a deployment that overlaps the old one, a beat restarted just after
a tick. Each job therefore claims (job, period start) in the database before
it works; whoever finds the claim taken does nothing. The same row tells
staff, in the admin, whether the run succeeded or failed and why.
"""

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import PeriodicJobRun

logger = logging.getLogger(__name__)
# Periods are counted from a local midnight, so a daily period is a calendar day here.
EPOCH = datetime(2000, 1, 1)
# Finished runs of jobs that run every minute would pile up; staff need the recent ones.
KEEP_SUCCEEDED = timedelta(days=7)
KEEP_ANY = timedelta(days=90)


def period_start(*, period, now=None):
    """The start of the period (a timedelta that divides a day, or whole days) that `now` falls in."""
    local = timezone.localtime(now or timezone.now()).replace(tzinfo=None)
    start = EPOCH + (local - EPOCH) // period * period
    return timezone.make_aware(start)


def claim(*, job, task, task_id, period, now=None):
    """Claim this period of the job for the task `task_id`. Returns the run to
    carry on with, or None when another trigger has this period already.

    A retry or a redelivery of the claiming task itself carries on (the tasks
    are idempotent), whatever period it now falls in, until the run ended."""
    mine = PeriodicJobRun.objects.filter(task_id=task_id, job=job).first()
    if mine is not None:
        return mine if mine.status == PeriodicJobRun.Status.RUNNING else None
    now = now or timezone.now()
    try:
        with transaction.atomic():
            run = PeriodicJobRun.objects.create(
                job=job, task=task, task_id=task_id, period_start=period_start(period=period, now=now)
            )
    except IntegrityError:
        logger.info("%s already ran for this period; this trigger does nothing.", job)
        return None
    _forget_old_runs(job=job, now=now)
    return run


def finish(*, run, result):
    PeriodicJobRun.objects.filter(pk=run.pk).update(
        status=PeriodicJobRun.Status.SUCCEEDED, finished_at=timezone.now(), result=repr(result)[:500]
    )


def fail(*, run, error):
    PeriodicJobRun.objects.filter(pk=run.pk).update(
        status=PeriodicJobRun.Status.FAILED, finished_at=timezone.now(),
        error=f"{type(error).__name__}: {error}"[:5000],
    )


def _forget_old_runs(*, job, now):
    old = PeriodicJobRun.objects.filter(job=job)
    old.filter(status=PeriodicJobRun.Status.SUCCEEDED, period_start__lt=now - KEEP_SUCCEEDED).delete()
    old.filter(period_start__lt=now - KEEP_ANY).delete()
