"""Settings for the django-elasticsearch-dsl side of the rebuild benchmark:
the project's own, with that package installed first, so its `search_index`
command is the one Django finds."""

import os

from config.settings import *  # noqa: F403

INSTALLED_APPS = ["django_elasticsearch_dsl", *INSTALLED_APPS]  # noqa: F405
ELASTICSEARCH_DSL = {"default": {"hosts": ELASTICSEARCH_URL, "request_timeout": 60}}  # noqa: F405
# The benchmark saves nothing; signals would index on save.
ELASTICSEARCH_DSL_AUTOSYNC = False
ELASTICSEARCH_DSL_AUTO_REFRESH = False
PEER_INDEX = os.environ.get("PEER_INDEX", "bench_peer_businesses")
PEER_TOKENS = os.environ.get("PEER_TOKENS", "analyse")  # or "stored": see tests/benchmarks/peer_documents.py
