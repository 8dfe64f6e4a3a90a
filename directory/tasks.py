from datetime import timedelta

from celery import shared_task

from config.celery import OncePerPeriod

from . import services


@shared_task(base=OncePerPeriod, period=timedelta(days=1))
def remind_expiring_profiles():
    """Daily: promise a reminder to the owners whose profiles lapse within the
    reminder window. The emails go out one by one from the outbox, so nothing
    here is worth retrying: a failure is recorded for staff and tomorrow's run
    picks up whatever was not reminded."""
    return services.remind_expiring_profiles()
