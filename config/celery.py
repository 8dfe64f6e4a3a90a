import os

from celery import Celery, Task
from celery.exceptions import Retry

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


class OncePerPeriod(Task):
    """A job beat starts on a schedule. Each schedule entry runs at most once
    per `period` (a timedelta), however many beats trigger it, and its run is
    recorded for staff (matching.periodic).

    Only beat's triggers claim a period: django-celery-beat names its entry in
    the `periodic_task_name` header. The same task queued on demand (staff
    starting a matching run, a publication draining the search outbox) runs
    every time.
    """

    period = None

    def __call__(self, *args, **kwargs):
        job = scheduled_entry(self.request)
        if job is None:
            return super().__call__(*args, **kwargs)
        from matching import periodic  # the apps are loaded only once a task runs

        run = periodic.claim(job=job, task=self.name, task_id=self.request.id, period=self.period)
        if run is None:
            return None
        try:
            result = super().__call__(*args, **kwargs)
        except Retry:
            raise  # it runs again, under the same claim
        except Exception as error:
            periodic.fail(run=run, error=error)
            raise
        periodic.finish(run=run, result=result)
        return result


def scheduled_entry(request):
    """The beat schedule entry that sent this task, or None if it was not beat."""
    return (request.headers or {}).get("periodic_task_name") or getattr(request, "periodic_task_name", None)


app = Celery("aurora_network")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
