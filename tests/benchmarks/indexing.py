"""The rebuild benchmark: `search_index rebuild` against a raw `_bulk` of the
same documents, side by side in one run.

    DJANGO_SETTINGS_MODULE=config.settings DATABASE_URL=postgres://... \\
        .venv/bin/python -m tests.benchmarks.indexing [--sizes 10000,100000] [--repeat 5] [--output BENCHMARKS.md]

For each size, a child process of its own (so memory figures do not carry
over) empties the PostgreSQL database (TRUNCATE: do not point it at data you
want), imports the generated network of tests/benchmarks/network.py and then:

1. rebuild: `backend.rebuild()` (new index, bulk load, repair, alias swap,
   old index deleted), `--repeat` times; per run the wall time, the SQL
   statements it sent, and the growth of the resident set (VmHWM after
   resetting it, minus VmRSS before);
2. raw bulk, the engine's ceiling: the same documents, built beforehand and
   serialized to NDJSON once (not timed), sent with `_bulk` in requests of the
   same size (search.backends.elasticsearch.CHUNK_SIZE) into a new index with
   the same mapping and bulk-load settings, then refreshed; `--repeat` times.

Reported: medians with the spread (min–max), documents per second, and the
ratio of rebuild to raw throughput next to its goal (≥ 0.7).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from .run import ROOT, _append, _empty_postgresql, _log, _mask, _reset_peak_rss, _status, machine

GOAL_RATIO = 0.7


def main(argv=None):
    args = _parse(argv)
    if args.worker:
        return _child(args)
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    started = datetime.now(timezone.utc)
    results = []
    with tempfile.TemporaryDirectory(prefix="aurora-bench-indexing-") as scratch:
        for size in sizes:
            result_file = Path(scratch) / f"indexing-{size}.json"
            env = {**os.environ, "SEARCH_BACKEND": "database", "PYTHONUNBUFFERED": "1",
                   "CELERY_TASK_ALWAYS_EAGER": "true", "LOG_FORMAT": "text", "LOG_LEVEL": "WARNING"}
            env.pop("REDIS_URL", None)
            _log(f"[indexing {size}] starting a child process")
            subprocess.run([sys.executable, "-m", "tests.benchmarks.indexing", "--worker", "--size", str(size),
                            "--repeat", str(args.repeat), "--seed", str(args.seed), "--result", str(result_file)],
                           cwd=ROOT, env=env)
            results.append(json.loads(result_file.read_text()) if result_file.exists()
                           else {"size": size, "error": "the child wrote no result"})
    output = Path(args.output) if Path(args.output).is_absolute() else ROOT / args.output
    _append(output, report(args, results, started))
    _log(f"wrote a section to {output}")
    return 0 if all("error" not in result for result in results) else 1


def _parse(argv):
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.indexing", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each side (default 5); medians reported")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--output", default="BENCHMARKS.md")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _child(args):
    result = {"size": args.size, "repeat": args.repeat}
    try:
        _measure(args, result)
    except Exception as error:  # reported in the section, with the traceback on stderr
        import traceback

        traceback.print_exc()
        result["error"] = f"{type(error).__name__}: {error}"
    Path(args.result).write_text(json.dumps(result))
    return 0


def _measure(args, result):
    import uuid

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.core.serializers.json import DjangoJSONEncoder
    from django.db import connection

    from directory import importer
    from directory.models import Business
    from search.backends import get_search_backend
    from search.backends.elasticsearch import CHUNK_SIZE, BusinessDocument, client, document, public_chunks

    from . import network as networks

    tag = f"[indexing {args.size}]"
    if connection.vendor != "postgresql":
        raise RuntimeError("the rebuild benchmark runs on PostgreSQL: set DATABASE_URL")
    call_command("migrate", verbosity=0, interactive=False)
    _empty_postgresql()
    _log(f"{tag} generating and importing {args.size} firms")
    network = networks.build(args.size, args.seed, partner_to_partner=settings.MATCH_PARTNER_TO_PARTNER)
    with tempfile.TemporaryDirectory(prefix="aurora-bench-import-") as directory:
        path = Path(directory) / "network.jsonl"
        with open(path, "w", encoding="utf-8") as handle:
            for record in network.records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        imported = importer.import_file(path)
    if imported.errors:
        raise RuntimeError(f"{imported.invalid_rows} invalid row(s)")
    documents = Business.objects.public().count()
    result["documents"] = documents

    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_INDEX_PREFIX = f"bench_indexing_{uuid.uuid4().hex[:6]}_"
    backend = get_search_backend()
    engine = client()
    nodes = engine.nodes.info()["nodes"]
    result["elasticsearch"] = {"url": _mask(settings.ELASTICSEARCH_URL),
                               "version": next(iter(nodes.values()))["version"]}
    result["postgresql"] = connection.cursor().connection.info.server_version
    try:
        backend.rebuild()  # warm-up: caches, glossary, the engine's JIT; not counted
        rebuild_runs = []
        for run in range(args.repeat):
            statements = []
            rss_before = _status("VmRSS")
            _reset_peak_rss()
            with connection.execute_wrapper(lambda execute, sql, params, many, context: (
                    statements.append(1), execute(sql, params, many, context))[1]):
                started = time.perf_counter()
                backend.rebuild()
                seconds = time.perf_counter() - started
            peak = _status("VmHWM")
            rebuild_runs.append({"seconds": seconds, "queries": len(statements),
                                 "rss_growth_mib": None if peak is None else (peak - rss_before) / 1024})
            _log(f"{tag} rebuild {run + 1}/{args.repeat}: {seconds:.2f} s, {len(statements)} queries")
        result["rebuild"] = rebuild_runs

        # The raw side: the same documents, as the engine would receive them, built and serialized once.
        bodies = []
        for chunk in public_chunks(CHUNK_SIZE):
            lines = []
            for business in chunk:
                lines.append(json.dumps({"index": {"_id": business.pk}}))
                lines.append(json.dumps(document(business), cls=DjangoJSONEncoder, ensure_ascii=False))
            bodies.append("\n".join(lines) + "\n")
        raw_runs = []
        for run in range(args.repeat):
            index = f"{settings.ELASTICSEARCH_INDEX_PREFIX}raw-{run}"
            engine.indices.create(index=index, settings={"number_of_shards": 1, "number_of_replicas": 0,
                                                          "refresh_interval": "-1"},
                                  mappings=BusinessDocument._doc_type.mapping.to_dict())
            started = time.perf_counter()
            for body in bodies:
                response = engine.bulk(index=index, operations=body)
                if response["errors"]:
                    refused = next(item for item in response["items"] if item["index"].get("error"))
                    raise RuntimeError(f"the raw bulk was refused: {refused['index']['error']}")
            engine.indices.put_settings(index=index, settings={"refresh_interval": None})
            engine.indices.refresh(index=index)
            seconds = time.perf_counter() - started
            if engine.count(index=index)["count"] != documents:
                raise RuntimeError("the raw bulk indexed a different number of documents")
            engine.indices.delete(index=index)
            raw_runs.append({"seconds": seconds})
            _log(f"{tag} raw bulk {run + 1}/{args.repeat}: {seconds:.2f} s")
        result["raw"] = raw_runs
        result["bulk_requests"] = len(bodies)
    finally:
        backend.delete_all()
        engine.indices.delete(index=f"{settings.ELASTICSEARCH_INDEX_PREFIX}raw-*", ignore_unavailable=True)


def _spread(values, digits=2):
    return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def report(args, results, started):
    host = machine()
    lines = [
        f"## Rebuild against raw bulk — {started:%Y-%m-%d %H:%M} UTC",
        "",
        f"Command: `DATABASE_URL={_mask(os.environ.get('DATABASE_URL', ''))} "
        f"{Path(sys.executable).name} -m tests.benchmarks.indexing --sizes {args.sizes} --repeat {args.repeat}`",
        "",
        f"Machine: `{host['uname']}`; {host['nproc']} CPUs; {host['memory']}; {host['python']}.",
        "",
        "Medians of the runs, with the spread (min–max). Throughput is documents per second;",
        "the ratio is the rebuild's throughput over the raw bulk's, measured in the same process.",
        "",
        "| documents | Elasticsearch | rebuild s | raw bulk s | rebuild docs/s | raw docs/s | ratio (goal ≥ 0.7) "
        "| SQL statements per rebuild (chunks) | RSS growth MiB |",
        "| ---: | --- | --- | --- | ---: | ---: | ---: | --- | --- |",
    ]
    for result in results:
        if "error" in result:
            lines.append(f"| {result['size']} | error: {result['error']} | | | | | | | |")
            continue
        rebuild = [run["seconds"] for run in result["rebuild"]]
        raw = [run["seconds"] for run in result["raw"]]
        documents = result["documents"]
        ours, ceiling = documents / statistics.median(rebuild), documents / statistics.median(raw)
        ratio = ours / ceiling
        queries = sorted({run["queries"] for run in result["rebuild"]})
        growth = [run["rss_growth_mib"] for run in result["rebuild"] if run["rss_growth_mib"] is not None]
        lines.append(
            f"| {documents} | {result['elasticsearch']['version']} | {_spread(rebuild)} | {_spread(raw)} "
            f"| {ours:.0f} | {ceiling:.0f} | {ratio:.2f} {'✓' if ratio >= GOAL_RATIO else '✗'} "
            f"| {', '.join(map(str, queries))} ({result['bulk_requests']}) "
            f"| {_spread(growth, 1) if growth else '–'} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
