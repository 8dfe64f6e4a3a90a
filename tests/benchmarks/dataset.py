"""Benchmark networks kept in PostgreSQL, imported once and reused.

Importing a generated network through directory.importer (as staff would) is
the slow part of every benchmark: about a minute per 3,000 firms here. So each
(size, seed) is imported once into a database of its own, named with a
fingerprint of what shaped its rows (the generator, the importer and the
glossary it reads words with): `aurora_bench_<size>_<seed>_<fingerprint>`. A
later run with the same fingerprint reuses it, migrated to the current schema;
a change makes a new one, so checkouts at different commits never overwrite
each other's networks. The comment on the database marks a finished import.
`--prune` drops every benchmark database that is not current.

Benchmarks that write (edits, introductions, load) work on `copy_of(...)`, a
fresh `CREATE DATABASE ... TEMPLATE` copy, so the template stays as imported.

    python -m tests.benchmarks.dataset --size 10000 [--seed 2026] [--fresh]
    python -m tests.benchmarks.dataset --prune

The first prints the database URL once the network is there. DATABASE_URL must point at
the PostgreSQL server to use (any database on it: only its host is used).
"""

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .run import ROOT, _log, _mask

# What the imported rows depend on. A change to any of these re-imports;
# schema changes only migrate (a migration that backfills does so here too).
_SHAPING = ["tests/benchmarks/network.py", "directory/importer.py", "directory/glossary.py"]


def database_name(size, seed):
    return f"aurora_bench_{size}_{seed}_{fingerprint(size, seed)[:8]}"


# A network's database, or a copy of it (a suffix after the fingerprint).
_NAME = re.compile(r"aurora_bench_(\d+)_(\d+)_([0-9a-f]{8})(?:_.+)?")


def url_for(name, server_url=None):
    parts = urlsplit(server_url or os.environ["DATABASE_URL"])
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def fingerprint(size, seed):
    digest = hashlib.sha256(f"{size}:{seed}".encode())
    paths = [ROOT / path for path in _SHAPING]
    paths.extend(sorted((ROOT / "directory" / "data" / "glossary").glob("*")))
    for path in paths:
        if path.exists():
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _admin():
    import psycopg

    return psycopg.connect(url_for("postgres"), autocommit=True)


def _stamp(name):
    """The fingerprint stored in the database's comment, or None."""
    with _admin() as connection:
        row = connection.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]).fetchone()
    return row[0] if row else None


def _recreate(name, *, template=None):
    from psycopg import sql

    with _admin() as connection:
        connection.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        if template:
            connection.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                               [template])
            connection.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)))
        else:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare(size, seed=2026, *, fresh=False):
    """The URL of a database holding the generated network of `size` firms, imported if need be."""
    name = database_name(size, seed)
    wanted = fingerprint(size, seed)
    env = {**os.environ, "DATABASE_URL": url_for(name), "SEARCH_BACKEND": "database", "PYTHONUNBUFFERED": "1",
           "CELERY_TASK_ALWAYS_EAGER": "true", "LOG_FORMAT": "text", "LOG_LEVEL": "WARNING",
           "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("REDIS_URL", None)
    if not fresh and _stamp(name) == wanted:
        _log(f"[dataset {size}] reusing {name} (imported earlier, fingerprint {wanted}); migrating it")
        subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env,
                       check=True)
        _analyze(name)
        return url_for(name)
    _recreate(name)
    _log(f"[dataset {size}] importing the network into {name}")
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "tests.benchmarks.dataset", "--import", "--size", str(size),
                    "--seed", str(seed)], cwd=ROOT, env=env, check=True)
    from psycopg import sql

    with _admin() as connection:
        connection.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(name), sql.Literal(wanted)))
    _analyze(name)
    _log(f"[dataset {size}] imported in {time.monotonic() - started:.0f} s")
    return url_for(name)


def _analyze(name):
    """Planner statistics for the network, so copies (which inherit them)
    are not planned blind: autovacuum may not have got to a fresh import."""
    import psycopg

    with psycopg.connect(url_for(name), autocommit=True) as connection:
        connection.execute("ANALYZE")


def prune():
    """Drop the benchmark databases (networks and copies left behind) made
    by other versions of what shapes them; returns the names dropped."""
    from psycopg import sql

    with _admin() as connection:
        names = [row[0] for row in connection.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE 'aurora\\_bench\\_%' ORDER BY datname")]
        stale = []
        for name in names:
            match = _NAME.fullmatch(name)
            if match is None or match[3] != fingerprint(int(match[1]), int(match[2]))[:8]:
                stale.append(name)
        for name in stale:
            connection.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
    return stale


def copy_of(size, seed=2026, *, suffix="scratch"):
    """A fresh copy of the prepared network, for a benchmark that writes; drop it with drop()."""
    template = database_name(size, seed)
    name = f"{template}_{suffix}"
    _recreate(name, template=template)
    return url_for(name)


def drop(url):
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    if not name.startswith("aurora_bench_"):
        raise ValueError(f"not a benchmark database: {name}")
    with _admin() as connection:
        connection.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def _import(size, seed):
    """In a child with DATABASE_URL set to the new database: migrate and import, as staff would."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from config.progress import Progress
    from directory import importer

    from . import network as networks

    tag = f"[dataset {size}]"
    call_command("migrate", verbosity=0, interactive=False)
    network = networks.build(size, seed, partner_to_partner=settings.MATCH_PARTNER_TO_PARTNER)
    with tempfile.TemporaryDirectory(prefix="aurora-bench-import-") as directory:
        path = Path(directory) / "network.jsonl"
        with open(path, "w", encoding="utf-8") as handle:
            for record in network.records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        with Progress(total=len(network.records), description=f"{tag} import", stream=sys.stderr) as progress:
            imported = importer.import_file(path, progress=progress)
    if imported.errors:
        raise SystemExit(f"{imported.invalid_rows} invalid row(s): " + "; ".join(map(str, imported.errors[:5])))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.dataset", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--fresh", action="store_true", help="import again even if the fingerprint matches")
    parser.add_argument("--prune", action="store_true",
                        help="drop the benchmark databases of other fingerprints")
    parser.add_argument("--import", dest="do_import", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.prune:
        for name in prune():
            print(f"dropped {name}")
        return 0
    if args.size is None:
        parser.error("--size is required (or --prune)")
    if args.do_import:
        _import(args.size, args.seed)
        return 0
    print(_mask(prepare(args.size, args.seed, fresh=args.fresh)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
