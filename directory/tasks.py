from celery import shared_task

from . import services


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def remind_expiring_profiles():
    """Daily: remind owners whose profiles lapse within the reminder window."""
    return services.remind_expiring_profiles()
