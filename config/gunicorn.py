"""gunicorn's settings for the web container (`gunicorn -c config/gunicorn.py`).

Every value can be set from the environment, so one image serves a small
server and a large one.
"""

import gc
import os
import time

from config.json_logs import JsonFormatter

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
# Two or three workers a core is gunicorn's usual advice. The glossary (about
# 150 MB) is loaded before the fork and shared, but a worker's own pages grow
# as it runs, so memory still sets the ceiling before the cores do.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("WEB_THREADS", "1"))
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Restart a worker now and then, so a slow leak never grows without bound.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# Load the application before forking, so the workers share its memory.
preload_app = True


# The application logs each request itself (config.request_log), with its id.
accesslog = None
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": JsonFormatter}},
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}},
    "loggers": {"gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}


def when_ready(server):
    """Load the reference data every search reads once, here in the master,
    before the workers are forked: otherwise each worker reads it on its first
    search, seconds on that visitor's clock (and again after every restart
    max_requests brings). Frozen, so the collector leaves those objects alone
    and their pages stay shared with the workers."""
    if server.cfg.preload_app:
        from django.urls import get_resolver

        from search.selectors import load_reference_data

        started = time.monotonic()
        load_reference_data()
        get_resolver().url_patterns  # noqa: B018 (imports every view module once, too)
        gc.freeze()
        server.log.info("Reference data loaded in %.1f s, before forking the workers", time.monotonic() - started)
