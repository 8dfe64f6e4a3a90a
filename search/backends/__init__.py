"""Search backends, chosen by settings.SEARCH_BACKEND ("database" or "elasticsearch")."""

from django.conf import settings
from django.utils.module_loading import import_string

BACKENDS = {
    "database": "search.backends.database.DatabaseBackend",
    "elasticsearch": "search.backends.elasticsearch.ElasticsearchBackend",
}


def get_search_backend(name=None):
    name = name or settings.SEARCH_BACKEND
    if name not in BACKENDS:
        raise ValueError(f"Unknown search backend {name!r}; choose one of {', '.join(BACKENDS)}.")
    return import_string(BACKENDS[name])()
