"""gunicorn's settings for the web container (`gunicorn -c config/gunicorn.py`).

Every value can be set from the environment, so one image serves a small
server and a large one.
"""

import os

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


def when_ready(server):
    """In the master, once the application is loaded and before the first
    fork: read what every worker would otherwise read on its first request
    (the glossary and taxonomies, several seconds; the URLconf), so workers
    share it and a new worker, after a restart too, answers at full speed."""
    from django.urls import get_resolver

    from directory import glossary, taxonomy

    glossary.glossary()
    taxonomy.hs()
    taxonomy.naics()
    get_resolver().url_patterns  # noqa: B018 (imports every view module)
    server.log.info("glossary, taxonomies and URLs loaded before the fork")


# The application logs each request itself (config.request_log), with its id.
accesslog = None
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": JsonFormatter}},
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}},
    "loggers": {"gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
