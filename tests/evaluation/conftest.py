import pytest

from search.backends import get_search_backend
from tests.search.conftest import BACKENDS


@pytest.fixture(params=BACKENDS)
def backend(request, settings):
    """Each search backend in turn, as the search contract suite runs them: the
    database backend also in the SQLite pass, Elasticsearch under its own prefix."""
    settings.SEARCH_BACKEND = request.param
    if request.param == "elasticsearch":
        request.getfixturevalue("es_prefix")
    return get_search_backend(request.param)
