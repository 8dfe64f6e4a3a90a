"""The rebuild benchmark: `search_index rebuild` against a raw `_bulk` of the
same documents and against django-elasticsearch-dsl, side by side in one run.

    DJANGO_SETTINGS_MODULE=config.settings DATABASE_URL=postgres://... \\
        .venv/bin/python -m tests.benchmarks.indexing [--sizes 10000,100000] [--repeat 5] [--output BENCHMARKS.md]

For each size, the generated network of tests/benchmarks/network.py, imported
once into a database of its own (tests/benchmarks/dataset.py; read only
here), and three child processes (so memory figures do not carry over):

1. rebuild: `backend.rebuild()` (new index, bulk load, repair, alias swap,
   old index deleted), once to warm up and then `--repeat` times; per run
   the wall time, the SQL statements it sent, and the peak resident set
   (VmHWM, reset before the run) and its growth over the RSS before;
2. raw bulk, the engine's ceiling, in the same process: the same documents,
   built beforehand and serialized to NDJSON once (not timed), sent with
   `_bulk` in requests of the same size (search.backends.elasticsearch.
   CHUNK_SIZE) into a new index with the same mapping and bulk-load settings,
   then refreshed; `--repeat` times;
3. django-elasticsearch-dsl 9.0 (tests/benchmarks/peer_documents.py, installed
   only into var/bench-packages from tests/benchmarks/requirements-peer.txt):
   `search_index --rebuild -f` (delete, create and fill the index: less than
   ours does), then a refresh and a count, `--repeat` times, with and without its
   `--parallel` option. A sample of its documents is checked equal to ours.

Reported: medians with the spread (min–max), documents per second, and the
ratios next to their goals: rebuild/raw ≥ 0.7, rebuild/peer ≥ 2, SQL
statements per rebuild proportional to chunks, peak memory of the largest size
against the smallest ≤ 1.5.
"""

import argparse
import importlib.metadata
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from . import dataset
from .run import ROOT, _append, _log, _mask, _reset_peak_rss, _status, machine

GOAL_RAW = 0.7
GOAL_PEER = 2.0
GOAL_MEMORY = 1.5
PEER_PACKAGES = ROOT / "var" / "bench-packages"
PEER_REQUIREMENTS = Path(__file__).with_name("requirements-peer.txt")
# The peer analysing the texts in prepare_* (its usual form), serially and
# with its --parallel bulk, and reading the stored tokens as ours does.
SIDES = ("ours", "peer", "peer-parallel", "peer-stored")


def main(argv=None):
    args = _parse(argv)
    if args.worker:
        return _child(args)
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    started = datetime.now(timezone.utc)
    install_peer()
    results = []
    with tempfile.TemporaryDirectory(prefix="aurora-bench-indexing-") as scratch:
        for size in sizes:
            url = dataset.prepare(size, args.seed)
            result = {"size": size}
            for side in SIDES:
                result[side] = _run_side(args, side, size, url, Path(scratch))
            results.append(result)
    output = Path(args.output) if Path(args.output).is_absolute() else ROOT / args.output
    _append(output, report(args, results, started))
    _log(f"wrote a section to {output}")
    return 0 if all("error" not in result[side] for result in results for side in SIDES) else 1


def install_peer():
    """django-elasticsearch-dsl into var/bench-packages, hash-checked, again whenever its pins change."""
    stamp = PEER_PACKAGES / ".installed-from"
    wanted = PEER_REQUIREMENTS.read_text()
    if stamp.exists() and stamp.read_text() == wanted:
        return
    _log(f"installing django-elasticsearch-dsl into {PEER_PACKAGES.relative_to(ROOT)}")
    shutil.rmtree(PEER_PACKAGES, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "--require-hashes", "--no-deps", "--target", str(PEER_PACKAGES), "-r", str(PEER_REQUIREMENTS)],
                   check=True)
    stamp.write_text(wanted)


def _run_side(args, side, size, url, scratch):
    result_file = scratch / f"{side}-{size}.json"
    env = {**os.environ, "DATABASE_URL": url, "SEARCH_BACKEND": "database", "PYTHONUNBUFFERED": "1",
           "CELERY_TASK_ALWAYS_EAGER": "true", "LOG_FORMAT": "text", "LOG_LEVEL": "WARNING"}
    env.pop("REDIS_URL", None)
    if side.startswith("peer"):
        env["DJANGO_SETTINGS_MODULE"] = "tests.benchmarks.peer_settings"
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PEER_PACKAGES), env.get("PYTHONPATH")]))
        env["PEER_INDEX"] = f"bench_peer_{os.getpid()}_{size}"
        env["PEER_TOKENS"] = "stored" if side == "peer-stored" else "analyse"
    _log(f"[indexing {size} {side}] starting a child process")
    subprocess.run([sys.executable, "-m", "tests.benchmarks.indexing", "--worker", "--side", side,
                    "--size", str(size), "--repeat", str(args.repeat), "--result", str(result_file)],
                   cwd=ROOT, env=env)
    if not result_file.exists():
        return {"error": "the child wrote no result"}
    return json.loads(result_file.read_text())


def _parse(argv):
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.indexing", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each side (default 5); medians reported")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--output", default="BENCHMARKS.md")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--side", choices=SIDES, help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _child(args):
    result = {}
    try:
        import django

        django.setup()
        if args.side == "ours":
            _measure_ours(args, result)
        else:
            _measure_peer(args, result, parallel=args.side == "peer-parallel")
    except Exception as error:  # reported in the section, with the traceback on stderr
        import traceback

        traceback.print_exc()
        result["error"] = f"{type(error).__name__}: {error}"
    Path(args.result).write_text(json.dumps(result))
    return 0


def _timed(tag, repeat, runs):
    """Each of `runs` ({label: function}) `repeat` times after one warm-up
    (caches, the engine's JIT), taking turns, so a slow spell of the machine
    or the engine falls on every side alike. Returns {label: [run, ...]},
    a run being its seconds and what the function returned."""
    for run in runs.values():
        run()
    measured = {label: [] for label in runs}
    for number in range(repeat):
        for label, run in runs.items():
            started = time.perf_counter()
            extra = run() or {}
            seconds = time.perf_counter() - started
            measured[label].append({"seconds": seconds, **extra})
            _log(f"{tag} {label} {number + 1}/{repeat}: {seconds:.2f} s")
    return measured


def _memory(run):
    """The peak and the growth of the resident set (MiB) during one `run()`."""
    rss_before = _status("VmRSS")
    _reset_peak_rss()
    run()
    peak = _status("VmHWM")
    if peak is None:
        return {"peak_mib": None, "growth_mib": None}
    return {"peak_mib": peak / 1024, "growth_mib": (peak - rss_before) / 1024}


def _engine(result):
    from django.conf import settings
    from django.db import connection

    from search.backends.elasticsearch import client

    nodes = client().nodes.info()["nodes"]
    result["elasticsearch"] = {"url": _mask(settings.ELASTICSEARCH_URL),
                               "version": next(iter(nodes.values()))["version"]}
    result["postgresql"] = connection.cursor().connection.info.server_version


def _measure_ours(args, result):
    import uuid

    from django.conf import settings
    from django.core.serializers.json import DjangoJSONEncoder
    from django.db import connection

    from directory.models import Business
    from search.backends import get_search_backend
    from search.backends.elasticsearch import (
        BULK_LOADING, CHUNK_SIZE, BusinessDocument, client, document, public_chunks,
    )

    tag = f"[indexing {args.size}]"
    _engine(result)
    documents = Business.objects.public().count()
    result["documents"] = documents
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_INDEX_PREFIX = f"bench_indexing_{uuid.uuid4().hex[:6]}_"
    backend = get_search_backend()
    engine = client()
    try:
        def rebuild():
            statements = []
            with connection.execute_wrapper(lambda execute, sql, params, many, context: (
                    statements.append(1), execute(sql, params, many, context))[1]):
                report = backend.rebuild()
            if report["documents"] != documents:
                raise RuntimeError(f"the rebuild indexed {report['documents']} of {documents} documents")
            return {"queries": len(statements)}

        rebuild()  # the engine's JIT and the caches warm, then memory taken before the raw side's bodies exist
        result["memory"] = _memory(rebuild)

        # The raw side: the same documents, as the engine would receive them, built and serialized once.
        bodies = []
        for chunk in public_chunks(CHUNK_SIZE):
            lines = []
            for business in chunk:
                lines.append(json.dumps({"index": {"_id": business.pk}}))
                lines.append(json.dumps(document(business), cls=DjangoJSONEncoder, ensure_ascii=False))
            bodies.append("\n".join(lines) + "\n")
        result["bulk_requests"] = len(bodies)
        runs = iter(range(args.repeat + 1))

        def raw():
            index = f"{settings.ELASTICSEARCH_INDEX_PREFIX}raw-{next(runs)}"
            engine.indices.create(index=index, settings={"number_of_shards": settings.ELASTICSEARCH_SHARDS,
                                                          **BULK_LOADING},
                                  mappings=BusinessDocument._doc_type.mapping.to_dict())
            for body in bodies:
                response = engine.bulk(index=index, operations=body)
                if response["errors"]:
                    refused = next(item for item in response["items"] if item["index"].get("error"))
                    raise RuntimeError(f"the raw bulk was refused: {refused['index']['error']}")
            engine.indices.put_settings(index=index, settings={**dict.fromkeys(BULK_LOADING),
                                                               "number_of_replicas": settings.ELASTICSEARCH_REPLICAS})
            engine.indices.refresh(index=index)
            if engine.count(index=index)["count"] != documents:
                raise RuntimeError("the raw bulk indexed a different number of documents")
            engine.indices.delete(index=index)

        timed = _timed(tag, args.repeat, {"rebuild": rebuild, "raw bulk": raw})
        result["rebuild"], result["raw"] = timed["rebuild"], timed["raw bulk"]
    finally:
        backend.delete_all()
        engine.indices.delete(index=f"{settings.ELASTICSEARCH_INDEX_PREFIX}raw-*", ignore_unavailable=True)


def _measure_peer(args, result, *, parallel):
    from django.conf import settings
    from django.core.management import call_command
    from django.core.serializers.json import DjangoJSONEncoder

    from directory.models import Business
    from search.backends.elasticsearch import client, document

    from . import peer_documents

    tag = f"[indexing {args.size} django-elasticsearch-dsl{' --parallel' if parallel else ''}]"
    _engine(result)
    result["peer_version"] = importlib.metadata.version("django-elasticsearch-dsl")
    documents = Business.objects.public().count()
    result["documents"] = documents
    engine = client()
    alias = settings.PEER_INDEX
    # Without --use-alias: in one process its second aliased rebuild loses the
    # index's name (9.0). A plain rebuild (delete, create, fill) does less
    # than ours, which also swaps an alias and repairs, so the comparison
    # leans its way.
    command = ["search_index", "--rebuild", "-f", "--models", "directory.Business"]
    command.append("--parallel" if parallel else "--no-parallel")
    try:
        def rebuild():
            call_command(*command, stdout=io.StringIO())
            engine.indices.refresh(index=alias)
            counted = engine.count(index=alias)["count"]
            if counted != documents:
                raise RuntimeError(f"django-elasticsearch-dsl indexed {counted} of {documents} documents")

        result["rebuild"] = _timed(tag, args.repeat, {"rebuild": rebuild})["rebuild"]
        # The same documents as ours: a sample compared field by field, through JSON as the engine has them.
        sample = list(Business.objects.public().select_related("city", "search_entry").order_by("?")[:50])
        for business in sample:
            theirs = engine.get(index=alias, id=business.pk)["_source"]
            ours = json.loads(json.dumps(document(business), cls=DjangoJSONEncoder))
            differing = sorted(key for key in ours if _normal(ours[key]) != _normal(theirs.get(key)))
            if differing:
                raise RuntimeError(f"django-elasticsearch-dsl's document for {business.pk} differs in {differing}")
        result["documents_compared"] = len(sample)
        del peer_documents  # registered by its import
    finally:
        for index in engine.indices.get(index=f"{alias}*", ignore_unavailable=True):
            engine.indices.delete(index=index, ignore_unavailable=True)


def _normal(value):
    """A field's value as the engine compares it: a one-item list is the item,
    dates as instants to the millisecond (the engine's precision)."""
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, str) and len(value) > 18 and value[4:5] == "-" and value[10:11] == "T":
        try:
            instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
        return instant.replace(microsecond=instant.microsecond // 1000 * 1000)
    return value


def _spread(values, digits=2):
    return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def _median(runs, key="seconds"):
    return statistics.median(run[key] for run in runs)


def _mark(ok):
    return "✓" if ok else "✗"


def report(args, results, started):
    host = machine()
    any_ok = next((r for r in results if "error" not in r["ours"]), None)
    versions = ""
    if any_ok:
        versions = (f" Elasticsearch {any_ok['ours']['elasticsearch']['version']}, "
                    f"PostgreSQL {any_ok['ours']['postgresql'] // 10000}.{any_ok['ours']['postgresql'] % 10000}, "
                    "django-elasticsearch-dsl 9.0.")
    lines = [
        f"## Rebuild throughput — {started:%Y-%m-%d %H:%M} UTC",
        "",
        f"Command: `DATABASE_URL={_mask(os.environ.get('DATABASE_URL', ''))} "
        f"{Path(sys.executable).name} -m tests.benchmarks.indexing --sizes {args.sizes} --repeat {args.repeat}`",
        "",
        f"Machine: `{host['uname']}`; {host['nproc']} CPUs; {host['memory']}; {host['python']}.{versions}",
        "",
        "Medians of the runs after a warm-up, with the spread (min–max). Throughput is documents per second.",
        "Ours and the raw bulk take turns run by run, so a slow spell of the machine falls on both.",
        "Peak RSS: the resident set's peak during one rebuild of its own (the process's baseline included),",
        "and in brackets its growth over the resident set before it.",
        "Raw bulk is the engine's ceiling: the same documents pre-serialized to NDJSON, the same request size.",
        "django-elasticsearch-dsl runs `search_index --rebuild -f` on the same model and documents",
        "(tests/benchmarks/peer_documents.py): analysing the texts in prepare_* methods, as it is usually",
        "written, serially and with `--parallel`; and reading the stored tokens as ours does. The goal is",
        "measured against the better of the analysing runs; the stored-token run compares the machinery alone.",
        "",
        "| documents | ours s | raw bulk s | django-elasticsearch-dsl s: analysing / --parallel / stored tokens "
        f"| ours docs/s | ours / raw (goal ≥ {GOAL_RAW}) | django-elasticsearch-dsl / ours (goal ≥ {GOAL_PEER}×) "
        "| … stored tokens / ours | SQL statements per rebuild (bulk requests) | peak RSS MiB (growth) |",
        "| ---: | --- | --- | --- | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    peaks = []
    for result in results:
        ours = result["ours"]
        if "error" in ours:
            lines.append(f"| {result['size']} | error: {ours['error']} | | | | | | | | |")
            continue
        documents = ours["documents"]
        rebuild = statistics.median(run["seconds"] for run in ours["rebuild"])
        raw = statistics.median(run["seconds"] for run in ours["raw"])
        peer_cells, medians = [], {}
        for side in SIDES[1:]:
            if "error" in result[side]:
                peer_cells.append(f"error: {result[side]['error']}")
                continue
            seconds = [run["seconds"] for run in result[side]["rebuild"]]
            peer_cells.append(_spread(seconds))
            medians[side] = statistics.median(seconds)
        analysing = [medians[side] for side in ("peer", "peer-parallel") if side in medians]
        against_peer = f"{min(analysing) / rebuild:.2f}× {_mark(min(analysing) / rebuild >= GOAL_PEER)}" if analysing else "–"
        against_stored = f"{medians['peer-stored'] / rebuild:.2f}×" if "peer-stored" in medians else "–"
        queries = sorted({run["queries"] for run in ours["rebuild"]})
        peak, growth = ours["memory"]["peak_mib"], ours["memory"]["growth_mib"]
        if peak is not None:
            peaks.append((documents, peak))
        lines.append(
            f"| {documents} | {_spread([run['seconds'] for run in ours['rebuild']])} "
            f"| {_spread([run['seconds'] for run in ours['raw']])} | {' / '.join(peer_cells)} "
            f"| {documents / rebuild:.0f} | {raw / rebuild:.2f} {_mark(raw / rebuild >= GOAL_RAW)} "
            f"| {against_peer} | {against_stored} | {', '.join(map(str, queries))} ({ours['bulk_requests']}) "
            f"| {'–' if peak is None else f'{peak:.0f} ({growth:.0f})'} |"
        )
    if len(peaks) >= 2:
        (small, small_peak), (large, large_peak) = min(peaks), max(peaks)
        ratio = large_peak / small_peak
        lines += ["", f"Peak memory of the rebuild at {large} against {small} documents: {ratio:.2f} "
                      f"(goal ≤ {GOAL_MEMORY}) {_mark(ratio <= GOAL_MEMORY)}."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
