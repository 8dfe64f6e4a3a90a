"""The two probes, in JSON. /healthz: the process is up. /readyz: it can serve,
because the database, Redis and the search engine answer and the search outbox
is not falling behind; otherwise 503, naming what failed."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from health import selectors


@never_cache
@require_safe
def healthz(request):
    return JsonResponse({"status": "up"})


@never_cache
@require_safe
def readyz(request):
    checks = selectors.readiness()
    failed = [check.name for check in checks if not check.ok]
    return JsonResponse(
        {
            "status": "unavailable" if failed else "ready",
            "failed": failed,
            "checks": {check.name: check.as_json() for check in checks},
        },
        status=503 if failed else 200,
    )
