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


# The queue of each task, by the kind of work it does. Each queue has workers
# of its own (docker-compose.yml), so a long matching run never holds up an
# email or a profile reaching the search index.
TASK_QUEUES = {
    "indexing": [
        "search.tasks.drain_outbox",
        "search.tasks.queue_lapsed_profiles",
        "search.tasks.send_saved_search_digests",
    ],
    "matching": [
        "matching.tasks.run_matching",
        "matching.tasks.match_chunk",
        "matching.tasks.close_run",
    ],
    "email": [
        "matching.tasks.send_email",
        "matching.tasks.send_unsent_emails",
        "matching.tasks.remind_and_expire_introductions",
        "matching.tasks.send_introduction_followups",
        "directory.tasks.remind_expiring_profiles",
    ],
}
QUEUE_OF_TASK = {task: kind for kind, tasks in TASK_QUEUES.items() for task in tasks}


def queue_names(prefix=None):
    """The three queues' names, as a worker's -Q option takes them."""
    from django.conf import settings

    prefix = settings.CELERY_QUEUE_PREFIX if prefix is None else prefix
    return [prefix + kind for kind in TASK_QUEUES]


def route_task(name, args, kwargs, options, task=None, **kw):
    kind = QUEUE_OF_TASK.get(name)
    if kind is None:
        return None  # not one of the network's tasks: the default queue
    from django.conf import settings

    return {"queue": settings.CELERY_QUEUE_PREFIX + kind}


app = Celery("aurora_network")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_routes = (route_task,)
app.autodiscover_tasks()
