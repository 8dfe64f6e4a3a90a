"""Backup and restore, done for real, step for step as README.md ("Operations",
"Backups" and "Restoring") tells an operator to do them.

The README runs the PostgreSQL tools inside the compose service
(`docker compose exec -T postgres pg_dump …`); here the same tools, with the
same flags and in the same order, run against the test cluster. The
connection (host and port) goes in PGHOST and PGPORT, so each command line is
the README's, less `docker compose exec -T postgres`.

The restore goes into a new database and a new, empty index prefix, as after
losing the server: the database pytest-django is using is never dropped.
"""

import json
import os
import shutil
import subprocess
import sys
import uuid
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from elasticsearch import Elasticsearch, NotFoundError

from config.celery import app, queue_names
from directory.models import Business
from search import outbox
from search.backends import get_search_backend
from search.query import SearchQuery
from tests.celery_queues import sending_to

ROOT = Path(__file__).resolve().parents[2]
# Where tests/services/postgres.sh finds the cluster's binaries: Debian's
# /usr/lib/postgresql/<version>/bin, the newest first (a pg_dump must be at
# least as new as the server it dumps).
POSTGRES_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda path: int(path.parent.name)
                           if path.parent.name.isdigit() else 0, reverse=True)

# Contact details of the published firms. They are in the backup (the
# database is the record), and must never reach the index built from it.
FIRMS = [
    {"name": "Lubuska Terracotta", "city": "zielona-gora", "description_language": "pl",
     "description": "Ręcznie robione dachówki ceramiczne z Zielonej Góry.",
     "offers_hs": ["690510"], "offers_text": "handmade terracotta roof tiles", "seeks_hs": [], "seeks_text": "",
     "naics": ["327120"], "trade_roles": ["manufacturer", "exporter"], "languages": ["pl", "en"],
     "contact_name": "Ewa Nowacka-Przybył", "contact_email": "ewa@lubuska-private.example",
     "contact_phone": "+48 68 555 0191"},
    {"name": "Seongnam Sensor Labs", "city": "seongnam", "description_language": "ko",
     "description": "성남의 산업용 온도 센서 제조업체입니다.",
     "offers_hs": ["902519"], "offers_text": "온도 센서", "seeks_hs": [], "seeks_text": "",
     "naics": ["334513"], "trade_roles": ["manufacturer", "exporter"], "languages": ["ko", "en"],
     "contact_name": "Park Ji-hoon", "contact_email": "jihoon@sensorlabs-private.example",
     "contact_phone": "+82 31 555 0192"},
    {"name": "High Plains Roofing Supply", "city": "aurora", "description_language": "en",
     "description": "Aurora roofing distributor for commercial builders.",
     "offers_hs": [], "offers_text": "", "seeks_hs": ["690510"], "seeks_text": "clay roof tiles",
     "naics": ["423330"], "trade_roles": ["importer", "distributor"], "languages": ["en"],
     "contact_name": "Marisol Quintana-Beck", "contact_email": "marisol@highplains-private.example",
     "contact_phone": "+1 303 555 0193"},
]
PRIVATE_VALUES = [firm[field] for firm in FIRMS for field in ("contact_name", "contact_email", "contact_phone")]


def postgres_tool(name):
    for directory in POSTGRES_BIN_DIRS:
        if (directory / name).is_file():
            return str(directory / name)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"No {name} in /usr/lib/postgresql/*/bin or on PATH: run `make services`, which installs "
                    "Debian's postgresql, or put PostgreSQL's client binaries on PATH.")
    return found


@pytest.fixture
def postgres():
    """The test cluster's connection, as libpq's environment, and a runner for
    its client tools."""
    if connection.vendor != "postgresql":
        pytest.fail("Backups are PostgreSQL dumps: run this test with DATABASE_URL pointing at PostgreSQL.")
    db = connection.settings_dict
    environment = {**os.environ, "PGHOST": db["HOST"] or "127.0.0.1", "PGPORT": str(db["PORT"] or 5432)}
    if db.get("PASSWORD"):
        environment["PGPASSWORD"] = db["PASSWORD"]

    def run(tool, *args, **kwargs):
        kwargs.setdefault("stdout", subprocess.PIPE)
        result = subprocess.run([postgres_tool(tool), *args], env=environment, stderr=subprocess.PIPE, timeout=300,
                                **kwargs)
        assert result.returncode == 0, f"{tool} {' '.join(args)} failed:\n{result.stderr.decode(errors='replace')}"
        return result

    def url(name):
        password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
        server = f"{environment['PGHOST']}:{environment['PGPORT']}"
        return f"postgres://{quote(db['USER'], safe='')}{password}@{server}/{name}"

    return {"run": run, "user": db["USER"], "database": db["NAME"], "url": url}


@pytest.fixture
def restored_database(postgres):
    """A new database's name, dropped after the test whatever happened."""
    name = f"aurora_restored_{uuid.uuid4().hex[:10]}"
    yield name
    postgres["run"]("dropdb", f"--username={postgres['user']}", "--if-exists", "--force", name)


@pytest.fixture
def empty_engine_prefix(settings):
    """An index prefix nothing has ever been written under: an Elasticsearch
    that lost its data. Every index under it is deleted after the test."""
    prefix = f"test_restored_{uuid.uuid4().hex[:10]}_"
    engine = Elasticsearch(settings.ELASTICSEARCH_URL)
    yield prefix
    engine.indices.delete(index=f"{prefix}businesses-*", ignore_unavailable=True)
    assert not engine.indices.exists_alias(name=f"{prefix}businesses")


def published_network(make_business):
    """Published firms, and two that must stay out of the index: a draft and
    a suspended firm. Written through the services, committed (the test is
    transactional), so pg_dump sees them."""
    published = [make_business(**firm) for firm in FIRMS]
    make_business(status=Business.Status.DRAFT, name="Unfinished Tile Draft", city="seongnam",
                  offers_text="terracotta tiles", contact_email="draft@unpublished-private.example")
    make_business(status=Business.Status.SUSPENDED, name="Suspended Tile Works", city="chihuahua",
                  offers_hs=["690510"], offers_text="terracotta roof tiles",
                  contact_email="closed@suspended-private.example")
    return published


def manage(*args, env):
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # committed rows: pg_dump reads the database from outside the test
def test_a_dump_restored_into_a_new_database_and_an_empty_engine_serves_the_same_firms(
    settings, es_prefix, make_business, postgres, restored_database, empty_engine_prefix, tmp_path
):
    settings.SEARCH_BACKEND = "elasticsearch"
    live = get_search_backend("elasticsearch")
    live.ensure_index()
    # Publications ask a worker to drain the outbox; those requests go to
    # queues of this test's own that no worker reads, and the test drains the
    # outbox itself, as the indexing worker would.
    queue = f"test-restore-{uuid.uuid4().hex[:8]}"
    try:
        with sending_to(queue):
            published = published_network(make_business)
    finally:
        with app.connection_for_write() as broker:
            for name in [queue, *queue_names(f"{queue}.")]:
                broker.default_channel.queue_purge(name)
    outbox.drain(backend=live)
    live.refresh()
    assert live.search(SearchQuery(text="terracotta")).total >= 1  # searchable before the loss

    # --- Backups: pg_dump --format=custom, written to a dated file ---------------------
    dump = tmp_path / f"aurora-{date.today():%Y-%m-%d}.dump"
    with dump.open("wb") as out:
        postgres["run"]("pg_dump", f"--username={postgres['user']}", "--format=custom", postgres["database"],
                        stdout=out)
    assert dump.stat().st_size > 0

    # --- Restoring: create the database, pg_restore --no-owner, migrate, rebuild ---------
    postgres["run"]("createdb", f"--username={postgres['user']}", restored_database)
    with dump.open("rb") as backup:
        postgres["run"]("pg_restore", f"--username={postgres['user']}", "--no-owner",
                        f"--dbname={restored_database}", stdin=backup)

    restored = {
        **{name: value for name, value in os.environ.items() if name != "REDIS_URL"},
        "DATABASE_URL": postgres["url"](restored_database),
        "SEARCH_BACKEND": "elasticsearch",
        "ELASTICSEARCH_URL": settings.ELASTICSEARCH_URL,
        "ELASTICSEARCH_INDEX_PREFIX": empty_engine_prefix,
        # The restored installation is a second one beside the test's: no
        # broker, so none of its tasks reaches a worker of another test.
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    engine = Elasticsearch(settings.ELASTICSEARCH_URL)
    assert not engine.indices.exists_alias(name=f"{empty_engine_prefix}businesses")  # nothing to come back to
    # A dump from an older release gets the newer migrations; from this one, none are left.
    manage("migrate", "--no-input", env=restored)
    built = manage("search_index", "rebuild", env=restored)
    assert f"with {len(published)} documents" in built

    # The restored database holds every firm, in every status, with its private fields.
    check = manage("shell", "-c", RESTORED_STATE, env=restored)
    state = json.loads(check.strip().splitlines()[-1])
    expected = {firm.slug: [firm.name, firm.status, firm.contact_email, firm.contact_phone]
                for firm in Business.objects.all()}
    assert state["firms"] == expected
    assert state["public"] == len(published) == Business.objects.public().count()

    # A search through the restored installation's API is answered by the new index.
    # The firm that offers what the words name comes first; the draft and the
    # suspended firm, which use the same words, are not found.
    public_slugs = {firm.slug for firm in published}
    for search, firm_name in (("search", "Lubuska Terracotta"), ("korean_search", "Seongnam Sensor Labs")):
        assert state[search]["backend"] == "elasticsearch"
        found = [hit["slug"] for hit in state[search]["results"]]
        assert found and found[0] == next(firm.slug for firm in published if firm.name == firm_name)
        assert set(found) <= public_slugs

    # The index holds the public firms, one document each, and nothing private.
    alias = f"{empty_engine_prefix}businesses"
    engine.indices.refresh(index=alias)
    assert engine.count(index=alias)["count"] == len(published)
    documents = json.dumps([hit["_source"] for hit in engine.search(index=alias, size=100)["hits"]["hits"]],
                           ensure_ascii=False)
    for value in PRIVATE_VALUES + ["draft@unpublished-private.example", "closed@suspended-private.example"]:
        assert value not in documents
    assert "private.example" not in documents
    try:
        mapping = json.dumps(engine.indices.get_mapping(index=alias).body)
    except NotFoundError:
        pytest.fail(f"The rebuild left no index behind {alias}")
    for field in ("contact", "email", "phone", "owner"):
        assert field not in mapping


# Run inside the restored installation (`manage.py shell -c`): its firms, and
# two searches through its public API, printed as one JSON line.
RESTORED_STATE = """
import json
from django.test import Client
from directory.models import Business
client = Client(HTTP_HOST="localhost")
print(json.dumps({
    "firms": {b.slug: [b.name, b.status, b.contact_email, b.contact_phone] for b in Business.objects.all()},
    "public": Business.objects.public().count(),
    "search": client.get("/api/v1/search/", {"q": "terracotta"}).json(),
    "korean_search": client.get("/api/v1/search/", {"q": "온도 센서"}).json(),
}, ensure_ascii=False))
"""
