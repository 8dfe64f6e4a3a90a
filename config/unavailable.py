"""A lost database is a 503 with Retry-After, not a 500 with a traceback.

When PostgreSQL is down (restarting, failing over, out of connections) every
request that touches it raises OperationalError or InterfaceError. That is
the service being briefly away, not a bug: say so, tell clients when to come
back, and keep the details in the log. The API answers in its usual JSON
shape; a page answers with a page that needs nothing from the database (the
site's layout would ask it for the signed-in user).

DRF hands exceptions it does not know back to Django, so this one
middleware serves the API and the pages alike.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
DATABASE_LOST = (OperationalError, InterfaceError)

PAGE = """<!doctype html>
<html lang="{}"><head><meta charset="utf-8"><title>{}</title></head>
<body><h1>{}</h1><p>{}</p></body></html>
"""


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_LOST):
            return None
        logger.error("Database unavailable while serving %s: %s", request.path, exception)
        title = _("Temporarily unavailable")
        message = _("The network cannot reach its database just now. Please try again in a minute.")
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message}, status=503)
        else:
            response = HttpResponse(format_html(PAGE, get_language() or "en", title, title, message), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
