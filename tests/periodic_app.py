"""The project's Celery app as the periodic-job tests run it: every beat
entry of the settings due every second, and one scheduled job that always
fails, so a real worker and real beats can show what staff would see."""

from datetime import timedelta

from django.conf import settings

from config.celery import OncePerPeriod, app

app.conf.beat_schedule = {name: {**entry, "schedule": 1.0} for name, entry in settings.CELERY_BEAT_SCHEDULE.items()}


@app.task(base=OncePerPeriod, period=timedelta(days=1), autoretry_for=(RuntimeError,), max_retries=2,
          default_retry_delay=0)
def always_fails():
    raise RuntimeError("The mail relay refused the connection.")
