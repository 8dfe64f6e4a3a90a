"""Queues of a test's own, so the real workers of different tests (and of a
developer's own worker on the same Redis) never take each other's tasks."""

from contextlib import contextmanager

from config.celery import app, queue_names


def worker_environment(name):
    """Environment for a worker (and beat) whose tasks, routed or not, go to queues named after `name`."""
    return {"CELERY_TASK_DEFAULT_QUEUE": name, "CELERY_QUEUE_PREFIX": f"{name}."}


def worker_queues(name):
    """The worker's -Q option: the default queue and the three routed ones."""
    return ",".join([name, *queue_names(f"{name}.")])


@contextmanager
def sending_to(name):
    """Tasks this process queues go to the queues of `name`, as a web process so configured would send them."""
    from django.conf import settings

    saved = app.conf.task_default_queue, settings.CELERY_QUEUE_PREFIX
    app.conf.task_default_queue, settings.CELERY_QUEUE_PREFIX = name, f"{name}."
    try:
        yield
    finally:
        app.conf.task_default_queue, settings.CELERY_QUEUE_PREFIX = saved
