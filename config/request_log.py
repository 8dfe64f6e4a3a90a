"""Every log record carries the id of the request or task it belongs to, and
every request ends with one line saying what it was and how it went.

The id comes from the proxy's X-Request-ID header when it sends one (so one id
follows a request from the proxy's log to ours), or is made here; the response
hands it back in the same header so a person reporting a problem can quote it.
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar

from celery.signals import task_postrun, task_prerun

current_request_id = ContextVar("request_id", default="-")
# A proxy's id is trusted only if it looks like one: no spaces, no control characters.
ACCEPTABLE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

logger = logging.getLogger("aurora.request")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = current_request_id.get()
        return True


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if ACCEPTABLE_ID.match(given) else uuid.uuid4().hex
        request.request_id = request_id
        token = current_request_id.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            current_request_id.reset(token)


# A task's records carry the task's id.
_task_tokens = {}


@task_prerun.connect
def _start_task(task_id=None, **kwargs):
    _task_tokens[task_id] = current_request_id.set(task_id or "-")


@task_postrun.connect
def _end_task(task_id=None, **kwargs):
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        current_request_id.reset(token)
