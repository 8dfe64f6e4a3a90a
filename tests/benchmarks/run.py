"""The matching benchmark: quality against planted pairs, candidate recall
against an all-pairs oracle, and run time and memory as the network grows.

    DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python -m tests.benchmarks.run \\
        [--sizes 2000,10000,50000] [--backends database,elasticsearch] [--output BENCHMARKS.md] \\
        [--seed 2026] [--oracle-max 2000] [--tracemalloc separate|same|off]

Run it from the project root. It is not a test: it measures, and appends one
Markdown section per invocation to the output file (created with a header
naming the machine if missing). Progress goes to stderr, a line per phase.

Each (backend, size) runs in a child process of its own, so memory figures of
one size do not carry over into the next, and settings (database, search
backend) are set before Django starts. In the child:

1. the network of tests/benchmarks/network.py (`build(size, seed)`, whose
   self-check must pass): on PostgreSQL (DATABASE_URL naming the server), a
   fresh copy of the network imported once by tests/benchmarks/dataset.py,
   dropped afterwards; with DATABASE_URL unset or SQLite (the embedded
   default), a scratch SQLite file in a temporary directory (your
   db.sqlite3 is never touched), migrated, with the network written as JSON
   Lines and loaded with directory.importer.import_file, as staff would.
   The development database is never used;
2. for Elasticsearch (checked to answer before anything else; the import
   itself always runs with the database backend): settings.SEARCH_BACKEND =
   "elasticsearch", a unique ELASTICSEARCH_INDEX_PREFIX,
   search.backends.get_search_backend().rebuild(); the indices are deleted at
   the end, whatever happens. Searches that fell back to the database because
   Elasticsearch failed are counted and flagged in the report;
3. matching.runs.run_matching_now(full=True), timed (wall clock), with
   the time spent in candidate generation (search.selectors.complementary_many),
   in text search for needs written only in words (search.selectors.search),
   in public_profiles_by_id, in engine.proposals_for and in _write_proposals measured
   apart (by wrapping those names for the run; a renamed one is skipped);
   memory: resource.getrusage max RSS before and after (its delta only
   shows growth beyond the process's earlier peak, e.g. the import's), and the
   growth of the resident set during the run (VmHWM after resetting it through
   /proc/self/clear_refs, minus VmRSS before), when Linux allows it;
4. quality of the proposals (the Introduction rows the run wrote) against the
   planted pairs, for the coded and the text-only pairs separately;
5. up to --oracle-max firms: candidate recall against a brute-force oracle
   that checks every pair of firms;
6. with --tracemalloc separate (the default), the proposals are deleted and
   the run repeated under tracemalloc for the peak of Python allocations (in a
   run of its own, because tracing slows Python down about four times: count
   on the whole benchmark taking roughly five times the matching runs; the
   proposals of both runs are compared). `same` traces the timed run instead
   (faster, but the times are then inflated); `off` skips it.

The child never talks to Redis (REDIS_URL is dropped, Celery runs eagerly):
run_matching_now is the in-process run of `run_matching --sync`.

Definitions used in the report
------------------------------
* Oracle pair: two published firms in cities that may be paired (across the
  home-city boundary, or partner <-> partner when MATCH_PARTNER_TO_PARTNER is
  on) such that one's sought codes and the other's offered codes, each with
  its ancestors, share a code of 4 or 6 digits (search.backends.base.
  complementary_codes), using only the codes firms named (not codes inferred
  from words).
* Candidate recall at k: the share of oracle pairs found by
  search.selectors.complementary_many(all firms, k), in chunks of
  MATCHING_CHUNK_SIZE, from either side of the pair.
* Top-5 of a firm: the proposals (Introduction rows, status proposed) that
  include it, by score, best first (ties by id).
* For the firms of the coded (text-only) planted pairs: precision@5 = the
  share of a firm's top-5 that are planted pairs of any kind (firms with no
  proposal are left out of the macro average and counted apart); recall@5 =
  the share of the firm's coded (text-only) planted pairs that are in its
  top-5. Macro: averaged over firms; micro: summed over firms first.
"""

import argparse
import gc
import json
import logging
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BACKENDS = ("database", "elasticsearch")
MIB = 1024 * 1024


# --- the parent: one child per (backend, size), then the report ----------------------------


def main(argv=None):
    args = _parse(argv)
    if args.worker:
        return worker(args)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    unknown = [b for b in backends if b not in BACKENDS]
    if unknown or not sizes:
        sys.exit(f"unknown backend(s) {unknown}; choose from {', '.join(BACKENDS)}" if unknown else "no sizes")
    database = _database_kind(os.environ.get("DATABASE_URL", ""))
    started = datetime.now(timezone.utc)
    results = []
    with tempfile.TemporaryDirectory(prefix="aurora-bench-") as scratch:
        for backend in backends:
            for size in sizes:
                results.append(_run_child(args, backend, size, database, Path(scratch)))
    output = Path(args.output)
    if not output.is_absolute():
        output = ROOT / output
    section = report(args, argv, results, database, started)
    _append(output, section)
    _log(f"wrote a section to {output}")
    return 0 if all("error" not in r for r in results) else 1


def _parse(argv):
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="2000,10000,50000", help="network sizes, comma-separated")
    parser.add_argument("--backends", default="database,elasticsearch", help="search backends, comma-separated")
    parser.add_argument("--output", default="BENCHMARKS.md", help="Markdown file to append to (default BENCHMARKS.md)")
    parser.add_argument("--seed", type=int, default=2026, help="network seed (default 2026)")
    parser.add_argument("--oracle-max", type=int, default=2000,
                        help="check candidate recall against the all-pairs oracle up to this many firms (default 2000)")
    parser.add_argument("--tracemalloc", choices=("separate", "same", "off"), default="separate",
                        help="peak Python memory: in a repeated run (default), in the timed run, or not at all")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--backend", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _database_kind(url):
    if not url or url.startswith("sqlite"):
        return "sqlite"
    if url.split(":", 1)[0] in ("postgres", "postgresql", "pgsql", "postgis"):
        return "postgresql"
    sys.exit(f"DATABASE_URL must be unset, SQLite or PostgreSQL for the benchmark (got {_mask(url)})")


def _run_child(args, backend, size, database, scratch):
    result_file = scratch / f"result-{backend}-{size}.json"
    env = dict(os.environ)
    env.pop("REDIS_URL", None)
    env["CELERY_TASK_ALWAYS_EAGER"] = "true"
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    env["PYTHONUNBUFFERED"] = "1"
    # The import always indexes through the database backend (the outbox drain then has nothing to send);
    # an Elasticsearch child switches afterwards and builds its own index under a prefix of its own.
    env["SEARCH_BACKEND"] = "database"
    env["ELASTICSEARCH_INDEX_PREFIX"] = f"bench_{os.getpid()}_{backend[:2]}{size}_{int(time.time())}_"
    scratch_db = scratch / f"bench-{backend}-{size}.sqlite3"
    copy = None
    if database == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{scratch_db}"
    else:
        # The network imported once per size (tests/benchmarks/dataset.py), copied: the run writes proposals.
        from . import dataset

        dataset.prepare(size, args.seed)
        copy = env["DATABASE_URL"] = dataset.copy_of(size, args.seed, suffix=f"matching_{backend}")
        env["BENCH_PREPARED_NETWORK"] = "1"
    command = [sys.executable, "-m", "tests.benchmarks.run", "--worker", "--backend", backend, "--size", str(size),
               "--seed", str(args.seed), "--oracle-max", str(args.oracle_max), "--tracemalloc", args.tracemalloc,
               "--result", str(result_file), "--database", database]
    _log(f"[{backend} {size}] starting a child process")
    started = time.monotonic()
    try:
        completed = subprocess.run(command, cwd=ROOT, env=env)
    finally:
        if copy is not None:
            dataset.drop(copy)
    for leftover in scratch.glob(scratch_db.name + "*"):  # the database and its -wal/-shm files
        leftover.unlink()
    if result_file.exists():
        result = json.loads(result_file.read_text())
    else:
        result = {"backend": backend, "size": size, "error": f"the child exited with status {completed.returncode}"}
    result.setdefault("backend", backend)
    result.setdefault("size", size)
    if completed.returncode and "error" not in result:
        result["error"] = f"the child exited with status {completed.returncode}"
    _log(f"[{backend} {size}] finished in {time.monotonic() - started:.0f} s"
         + (f" with an error: {result['error'].splitlines()[0]}" if "error" in result else ""))
    return result


# --- the child: one backend, one size ----------------------------------------------------------


def _log(message):
    sys.stderr.write(f"{datetime.now(timezone.utc):%H:%M:%S} {message}\n")
    sys.stderr.flush()


def worker(args):
    result = {"backend": args.backend, "size": args.size, "seed": args.seed}
    try:
        _work(args, result)
    except Exception as error:
        result["error"] = f"{type(error).__name__}: {error}"
        result["traceback"] = traceback.format_exc()
        _log(f"[{args.backend} {args.size}] failed:\n{result['traceback']}")
    Path(args.result).write_text(json.dumps(result, default=str))
    return 1 if "error" in result else 0


def _work(args, result):
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from config.progress import Progress
    from directory import importer

    from . import network as networks

    tag = f"[{args.backend} {args.size}]"

    def phase(message):
        _log(f"{tag} {message}")

    result["settings"] = {
        "MATCHING_CANDIDATES_PER_FIRM": settings.MATCHING_CANDIDATES_PER_FIRM,
        "MATCHING_THRESHOLD": settings.MATCHING_THRESHOLD,
        "MATCHING_OPEN_PROPOSALS_PER_FIRM": settings.MATCHING_OPEN_PROPOSALS_PER_FIRM,
        "MATCHING_CHUNK_SIZE": settings.MATCHING_CHUNK_SIZE,
        "MATCHING_WEIGHTS": settings.MATCHING_WEIGHTS,
        "MATCH_PARTNER_TO_PARTNER": settings.MATCH_PARTNER_TO_PARTNER,
        "HOME_CITY": settings.HOME_CITY,
    }
    if args.backend == "elasticsearch":
        from search.backends.elasticsearch import client

        try:
            # GET / answers 404 on the distribution tests run (no rest-root module).
            nodes = client().nodes.info()["nodes"]
            version = next(iter(nodes.values()))["version"]
        except Exception as error:
            url = _mask(settings.ELASTICSEARCH_URL)
            raise RuntimeError(f"Elasticsearch at {url} does not answer: {error}") from None
        result["elasticsearch"] = {"url": _mask(settings.ELASTICSEARCH_URL), "version": version}
    prepared = os.environ.get("BENCH_PREPARED_NETWORK") == "1"
    if not prepared:
        phase(f"migrating the {args.database} database")
        call_command("migrate", verbosity=0, interactive=False)
        if args.database == "postgresql":
            phase("emptying it: businesses, introductions, match runs, outbox")
            _empty_postgresql()
        elif _count_businesses():
            raise RuntimeError("the scratch database is not empty")
    from directory.selectors import home_city

    home = home_city()
    if home is None or home.name != networks.HOME_CITY:
        raise RuntimeError(f"the network is built around {networks.HOME_CITY}; HOME_CITY is {settings.HOME_CITY!r}")

    phase(f"generating {args.size} firms (seed {args.seed}) and checking the network")
    started = time.perf_counter()
    network = networks.build(args.size, args.seed, partner_to_partner=settings.MATCH_PARTNER_TO_PARTNER)
    result["network"] = network.summary()
    result["generate_s"] = time.perf_counter() - started

    if prepared:
        # A copy of the network imported by tests/benchmarks/dataset.py from the same generator and seed.
        if _count_businesses() != len(network.records):
            raise RuntimeError(f"the prepared database holds {_count_businesses()} public firms, "
                               f"the network {len(network.records)}")
        result["import_s"] = None
    else:
        with tempfile.TemporaryDirectory(prefix="aurora-bench-import-") as directory:
            path = Path(directory) / "network.jsonl"
            with open(path, "w", encoding="utf-8") as handle:
                for record in network.records:
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            phase(f"importing {len(network.records)} firms through directory.importer.import_file")
            started = time.perf_counter()
            with Progress(total=len(network.records), description=f"{tag} import", stream=sys.stderr) as progress:
                imported = importer.import_file(path, progress=progress)
            result["import_s"] = time.perf_counter() - started
        if imported.errors:
            raise RuntimeError(f"{imported.invalid_rows} invalid row(s): " + "; ".join(map(str, imported.errors[:5])))
        phase(f"imported {imported.created} firms in {result['import_s']:.1f} s")

    backend = None
    if args.backend == "elasticsearch":
        import uuid

        from search.backends import get_search_backend

        settings.SEARCH_BACKEND = "elasticsearch"
        settings.ELASTICSEARCH_INDEX_PREFIX = f"{settings.ELASTICSEARCH_INDEX_PREFIX}{uuid.uuid4().hex[:6]}_"
        backend = get_search_backend()
        result["elasticsearch"]["prefix"] = settings.ELASTICSEARCH_INDEX_PREFIX
    try:
        if backend is not None:
            phase(f"building the Elasticsearch index {settings.ELASTICSEARCH_INDEX_PREFIX}businesses")
            started = time.perf_counter()
            total = _count_businesses()
            with Progress(total=total, description=f"{tag} index", stream=sys.stderr) as progress:
                backend.rebuild(progress=progress)
            result["index_s"] = time.perf_counter() - started
        _measure(args, result, network, phase)
    finally:
        if backend is not None:
            phase("deleting the benchmark's Elasticsearch indices")
            backend.delete_all()


def _count_businesses():
    from directory.models import Business

    return Business.objects.public().count()


def _empty_postgresql():
    from django.db import connection

    from directory.models import Business
    from matching.models import Introduction, MatchRun, MatchRunChunk
    from search.models import OutboxEntry

    tables = [m._meta.db_table for m in (Introduction, MatchRunChunk, MatchRun, OutboxEntry, Business)]
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(connection.ops.quote_name(t) for t in tables) + " CASCADE")


def _measure(args, result, network, phase):
    tag = f"[{args.backend} {args.size}]"
    # search.selectors answers from the database when Elasticsearch fails, and says so in a warning:
    # count them, so an Elasticsearch figure that is really a database one shows.
    fallbacks = _CountingHandler()
    logger = logging.getLogger("search.selectors")
    logger.addHandler(fallbacks)
    try:
        _measure_runs(args, result, network, phase, tag)
    finally:
        logger.removeHandler(fallbacks)
        result["fallbacks_to_database"] = fallbacks.count


class _CountingHandler(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1


def _measure_runs(args, result, network, phase, tag):
    from django.conf import settings

    from config.progress import Progress
    from matching import runs
    from matching.models import Introduction, MatchRun

    trace_timed = args.tracemalloc == "same"
    phase("matching: run_matching_now(full=True)" + (" under tracemalloc" if trace_timed else ""))
    timers = _Timers()
    gc.collect()
    rss_before = _status("VmRSS")
    hwm_reset = _reset_peak_rss()
    maxrss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace_timed:
        import tracemalloc

        tracemalloc.start()
    with timers.installed(), Progress(total=0, description=f"{tag} matching", stream=sys.stderr) as progress:
        started = time.perf_counter()
        run = runs.run_matching_now(full=True, progress=progress)
        elapsed = time.perf_counter() - started
    if trace_timed:
        result["tracemalloc_peak_mib"] = tracemalloc.get_traced_memory()[1] / MIB
        tracemalloc.stop()
    maxrss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result["run"] = {
        "seconds": elapsed,
        "breakdown_s": dict(timers.seconds),
        "text_searches": timers.calls["text_search"],
        "firms": run.firms_considered,
        "chunks": run.chunks_total,
        "candidates_scored": run.candidates_scored,
        "proposals_created": run.proposals_created,
        "status": run.status,
        "maxrss_before_mib": maxrss_before / 1024,
        "maxrss_after_mib": maxrss_after / 1024,
        "maxrss_delta_mib": (maxrss_after - maxrss_before) / 1024,
        "rss_before_mib": rss_before / 1024 if rss_before else None,
        "rss_peak_mib": _status("VmHWM") / 1024 if hwm_reset else None,
    }
    phase(f"matched {run.firms_considered} firms in {elapsed:.1f} s: {run.candidates_scored} candidates scored, "
          f"{run.proposals_created} proposals")

    phase("judging the proposals against the planted pairs")
    proposals = _proposals()
    result["quality"] = quality(network, proposals)

    if args.size <= args.oracle_max:
        phase("candidate recall: brute-force all-pairs oracle")
        result["oracle"] = candidate_recall(network, settings.MATCHING_CANDIDATES_PER_FIRM, phase)

    if args.tracemalloc == "separate":
        import tracemalloc

        phase("matching again under tracemalloc, for the peak of Python allocations")
        Introduction.objects.all().delete()
        MatchRun.objects.all().delete()
        gc.collect()
        tracemalloc.start()
        started = time.perf_counter()
        with Progress(total=0, description=f"{tag} matching (traced)", stream=sys.stderr) as progress:
            runs.run_matching_now(full=True, progress=progress)
        result["traced_run_s"] = time.perf_counter() - started
        result["tracemalloc_peak_mib"] = tracemalloc.get_traced_memory()[1] / MIB
        tracemalloc.stop()
        again = _proposals()
        result["repeat_identical"] = sorted((pair, round(score, 6)) for pair, score in again.values()) == sorted(
            (pair, round(score, 6)) for pair, score in proposals.values())
        phase(f"peak of traced Python allocations {result['tracemalloc_peak_mib']:.1f} MiB; "
              f"same proposals as the timed run: {result['repeat_identical']}")


class _Timers:
    """Where a run's time goes: wall time inside the functions matching.runs
    calls by module-level name (so wrapping the name there is enough). A name
    that is no longer there is skipped, and its column shows "–"."""

    targets = (
        ("search.selectors", "complementary_many", "candidates"),
        ("search.selectors", "search", "text_search"),
        ("matching.runs", "public_profiles_by_id", "profiles"),
        ("matching.engine", "proposals_for", "scoring"),
        ("matching.runs", "_write_proposals", "writing"),
    )

    def __init__(self):
        self.seconds = {}
        self.calls = Counter()

    def installed(self):
        import contextlib
        import importlib

        @contextlib.contextmanager
        def manager():
            originals = []

            def wrap(label, function):
                def timed(*args, **kwargs):
                    started = time.perf_counter()
                    try:
                        return function(*args, **kwargs)
                    finally:
                        self.seconds[label] += time.perf_counter() - started
                        self.calls[label] += 1
                return timed

            for module_name, name, label in self.targets:
                module = importlib.import_module(module_name)
                function = getattr(module, name, None)
                if function is None:
                    continue
                self.seconds[label] = 0.0
                originals.append((module, name, function))
                setattr(module, name, wrap(label, function))
            try:
                yield self
            finally:
                for module, name, function in originals:
                    setattr(module, name, function)

        return manager()


def _status(field):
    """A /proc/self/status figure in KiB (None where there is no /proc)."""
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak_rss():
    """Reset VmHWM to the current RSS (Linux >= 4.0), so VmHWM afterwards is this step's peak."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def _proposals():
    """{introduction id: (pair of pks, score)} of the proposals."""
    from matching.models import Introduction

    rows = Introduction.objects.filter(status=Introduction.Status.PROPOSED).values_list(
        "id", "business_a_id", "business_b_id", "score")
    return {i: ((a, b), score) for i, a, b, score in rows}


# --- quality -------------------------------------------------------------------------------------


def quality(network, proposals, top=5):
    from directory.models import Business
    from matching.models import Introduction

    pk_of = dict(Business.objects.values_list("external_id", "pk"))
    ext_of = {pk: ext for ext, pk in pk_of.items()}
    city_of = dict(Business.objects.values_list("pk", "city__slug"))
    role_of = {f.external_id: f.role for f in network.firms}
    decoy_pks = {pk_of[e] for e in network.decoys}

    by_firm = defaultdict(list)
    for intro_id, ((a, b), score) in proposals.items():
        by_firm[a].append((-score, intro_id, b))
        by_firm[b].append((-score, intro_id, a))
    top_of = {pk: [partner for *_, partner in sorted(items)[:top]] for pk, items in by_firm.items()}

    planted_of = defaultdict(set)
    sets = {name: {(pk_of[a], pk_of[b]) for a, b in pairs} for name, pairs in network.planted.items()}
    for pairs in sets.values():
        for a, b in pairs:
            planted_of[a].add(b)
            planted_of[b].add(a)

    out = {
        "proposals": len(proposals),
        "firms_with_proposals": len(by_firm),
        "max_proposals_per_firm": max((len(v) for v in by_firm.values()), default=0),
        "same_city_proposals": sum(1 for (a, b), _ in proposals.values() if city_of[a] == city_of[b]),
        "decoy_proposals": sum(1 for (a, b), _ in proposals.values() if a in decoy_pks or b in decoy_pks),
        "sets": {},
    }
    proposed_pairs = {tuple(sorted(pair)) for pair, _ in proposals.values()}
    for name, pairs in sets.items():
        mine = defaultdict(set)
        for a, b in pairs:
            mine[a].add(b)
            mine[b].add(a)
        precisions, recalls = [], []
        hits_p = shown = hits_r = wanted = silent = 0
        false_positives, misses = [], []
        for pk, partners in sorted(mine.items()):
            shown_here = top_of.get(pk, [])
            good = [p for p in shown_here if p in planted_of[pk]]
            found = [p for p in partners if p in shown_here]
            if shown_here:
                precisions.append(len(good) / len(shown_here))
            else:
                silent += 1
            recalls.append(len(found) / len(partners))
            hits_p += len(good)
            shown += len(shown_here)
            hits_r += len(found)
            wanted += len(partners)
            for p in shown_here:
                if p not in planted_of[pk] and len(false_positives) < 10:
                    false_positives.append((ext_of[pk], ext_of[p], role_of.get(ext_of[p])))
            for p in sorted(partners - set(shown_here)):
                if len(misses) < 10:
                    pair = tuple(sorted((pk, p)))
                    misses.append({"firm": ext_of[pk], "partner": ext_of[p],
                                   "proposed": pair in proposed_pairs,
                                   "firm_proposals": len(by_firm.get(pk, []))})
        out["sets"][name] = {
            "pairs": len(pairs),
            "firms": len(mine),
            "firms_without_proposals": silent,
            "precision_macro": sum(precisions) / len(precisions) if precisions else None,
            "precision_micro": hits_p / shown if shown else None,
            "recall_macro": sum(recalls) / len(recalls) if recalls else None,
            "recall_micro": hits_r / wanted if wanted else None,
            "pairs_proposed": sum(1 for a, b in pairs if tuple(sorted((a, b))) in proposed_pairs) / len(pairs)
            if pairs else None,
            "false_positives": false_positives,
            "misses": misses,
        }
    # Why planted pairs were not proposed at all: candidates, score, threshold.
    out["diagnosis"] = _diagnose(network, sets, proposed_pairs, pk_of, ext_of)
    # Reason codes of proposals that pair a planted firm with a non-planted partner.
    stray = Counter()
    for intro in Introduction.objects.filter(status=Introduction.Status.PROPOSED).only("business_a_id", "business_b_id",
                                                                                       "reasons")[:200000]:
        a, b = intro.business_a_id, intro.business_b_id
        if (a in planted_of or b in planted_of) and b not in planted_of.get(a, ()):
            stray[" + ".join(sorted({r["code"] for r in intro.reasons}))] += 1
    out["stray_reason_codes"] = dict(stray.most_common(5))
    return out


def _diagnose(network, sets, proposed_pairs, pk_of, ext_of, limit=12):
    from django.conf import settings

    from directory.models import Business
    from matching import engine
    from matching.selectors import profile_for
    from search import selectors

    missing = [(name, a, b) for name, pairs in sets.items() for a, b in sorted(pairs)
               if tuple(sorted((a, b))) not in proposed_pairs]
    notes = {"missing_pairs": len(missing), "examples": []}
    if not missing:
        return notes
    k = settings.MATCHING_CANDIDATES_PER_FIRM
    for name, a, b in missing[:limit]:
        firms = Business.objects.select_related("city").in_bulk([a, b])
        candidates = selectors.complementary_many([firms[a], firms[b]], k)
        scored = engine.score(profile_for(firms[a]), profile_for(firms[b]), weights=settings.MATCHING_WEIGHTS)
        notes["examples"].append({
            "set": name, "pair": (ext_of[a], ext_of[b]),
            "candidate_from": [x for x, y in ((a, b), (b, a)) if y in {pk for pk, _ in candidates.get(x, [])}],
            "score": scored.score, "threshold": settings.MATCHING_THRESHOLD,
            "reasons": [r["code"] for r in scored.reasons],
        })
        notes["examples"][-1]["candidate_from"] = [ext_of[x] for x in notes["examples"][-1]["candidate_from"]]
    return notes


# --- candidate recall ------------------------------------------------------------------------------


def candidate_recall(network, default_k, phase):
    from django.conf import settings

    from directory import taxonomy
    from directory.models import Business
    from directory.selectors import home_city
    from search import selectors

    firms = list(Business.objects.public().select_related("city").order_by("pk"))
    home = home_city().pk
    p2p = settings.MATCH_PARTNER_TO_PARTNER

    def terms(codes):
        return frozenset(c for c in taxonomy.with_ancestors(codes, "hs") if len(c) >= 4)

    rows = [(f.pk, f.city_id, terms(f.seeks_hs), terms(f.offers_hs)) for f in firms]
    started = time.perf_counter()
    oracle = set()
    for i, (pk_a, city_a, seeks_a, offers_a) in enumerate(rows):  # every pair, no index: the brute force
        for pk_b, city_b, seeks_b, offers_b in rows[i + 1:]:
            if city_a == city_b or (home not in (city_a, city_b) and not p2p):
                continue
            if (seeks_a & offers_b) or (offers_a & seeks_b):
                oracle.add((pk_a, pk_b))
    degree = Counter()
    for a, b in oracle:
        degree[a] += 1
        degree[b] += 1
    out = {"firms": len(firms), "pairs_checked": len(rows) * (len(rows) - 1) // 2, "oracle_pairs": len(oracle),
           "oracle_s": time.perf_counter() - started, "max_partners": max(degree.values(), default=0),
           "firms_over_k": sum(1 for d in degree.values() if d > default_k), "by_k": []}
    ext_of = {f.pk: f.external_id for f in firms}
    city_of = {f.pk: f.city.slug for f in firms}
    ks = [default_k]
    while True:
        k = ks[-1]
        phase(f"candidate recall at k={k}")
        started = time.perf_counter()
        found = set()
        size = settings.MATCHING_CHUNK_SIZE
        for start in range(0, len(firms), size):
            for pk, pairs in selectors.complementary_many(firms[start:start + size], k).items():
                for partner, _ in pairs:
                    found.add((min(pk, partner), max(pk, partner)))
        missed = sorted(oracle - found)
        entry = {"k": k, "recall": 1 - len(missed) / len(oracle) if oracle else 1.0, "missed": len(missed),
                 "seconds": time.perf_counter() - started,
                 "beyond_oracle": len(found - oracle),
                 "missed_with_both_over_k": sum(1 for a, b in missed if degree[a] > k and degree[b] > k)}
        entry["examples"] = [
            {"pair": (ext_of[a], ext_of[b]), "cities": (city_of[a], city_of[b]),
             "partners": (degree[a], degree[b])} for a, b in missed[:10]]
        out["by_k"].append(entry)
        if not missed or k >= out["max_partners"]:
            break
        ks.append(min(out["max_partners"], k * 5))
    return out


# --- the report --------------------------------------------------------------------------------------


def _mask(url):
    """A URL with its password replaced by ***."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        if ":" in credentials:
            credentials = credentials.split(":", 1)[0] + ":***"
        return f"{scheme}://{credentials}@{host}"
    return url


def machine():
    def run(command):
        try:
            return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return "unknown"

    memory = "unknown"
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB ({line.split(':', 1)[1].strip()})"
                    break
    except OSError:
        pass
    return {"uname": run(["uname", "-a"]), "nproc": run(["nproc"]), "memory": memory,
            "python": f"{platform.python_implementation()} {platform.python_version()}"}


HEADER = """# Benchmarks

Matching benchmarks, written by `python -m tests.benchmarks.run` (see
tests/benchmarks/run.py for what is measured and how, and
tests/benchmarks/network.py for the synthetic network). Each invocation
appends a section.

Machine (when this file was created):

- `uname -a`: `{uname}`
- `nproc`: {nproc}
- memory (`/proc/meminfo` MemTotal): {memory}
- Python: {python}
"""


def _append(path, section):
    if not path.exists():
        path.write_text(HEADER.format(**machine()), encoding="utf-8")
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("\n" + section)


def _fmt(value, digits=3):
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _command(argv):
    """The command line as typed, with the environment that shaped the run."""
    from .stack import command_line

    return command_line("tests.benchmarks.run", argv, environment=(
        "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SEARCH_BACKEND", "ELASTICSEARCH_URL", "MATCH_PARTNER_TO_PARTNER",
        "HOME_CITY", "MATCHING_WEIGHTS", "MATCHING_THRESHOLD", "MATCHING_CANDIDATES_PER_FIRM",
        "MATCHING_OPEN_PROPOSALS_PER_FIRM", "MATCHING_CHUNK_SIZE",
    ))


def report(args, argv, results, database, started):
    m = machine()
    ok = [r for r in results if "error" not in r]
    settings = next((r["settings"] for r in ok), {})
    lines = [f"## Matching — {started:%Y-%m-%d %H:%M} UTC", ""]
    lines.append(f"Command: `{_command(argv)}`")
    lines.append("")
    lines.append(f"Machine: `{m['uname']}`; {m['nproc']} CPUs; {m['memory']}; {m['python']}.")
    db = ("SQLite, a scratch file per backend and size" if database == "sqlite"
          else "PostgreSQL: for each backend and size, a fresh copy of the network imported once by "
               "tests/benchmarks/dataset.py (import time – when it was reused)")
    lines.append(f"Database: {db}. Network seed {args.seed}.")
    if settings:
        lines.append("Settings: " + ", ".join(f"{k}={v}" for k, v in settings.items()) + ".")
    es = next((r["elasticsearch"] for r in ok if "elasticsearch" in r), None)
    if es:
        lines.append(f"Elasticsearch {es['version']} at `{es['url']}`.")
    lines.append("")
    for r in results:
        if "error" in r:
            lines.append(f"**{r['backend']}, {r['size']} firms failed:**")
            lines.append("")
            lines.append("```")
            lines.append(r["error"].strip()[:1000])
            if r.get("traceback"):
                lines.append("")
                lines += r["traceback"].strip().splitlines()[-12:]
            lines.append("```")
            lines.append("")

    networks = {}
    for r in ok:
        networks.setdefault(r["size"], r["network"])
    if networks:
        lines += ["### Networks", "",
                  "| firms | planted groups | planted pairs: coded / text-only | text-only seekers "
                  "| decoys: same chapter / same city | background | services |",
                  "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for size, n in sorted(networks.items()):
            lines.append(f"| {size:,} | {n['groups']} | {n['planted_coded_pairs']} / {n['planted_text_only_pairs']} "
                         f"| {n['text_only_seekers']} | {n['decoys_same_chapter']} / {n['decoys_same_city']} "
                         f"| {n['background']:,} | {n['services']:,} |")
        lines.append("")

    if ok:
        lines += ["### Run time and memory of `run_matching_now(full=True)`", "",
                  "| backend | firms | time (s) | firms/s | candidates scored | proposals | proposals/s "
                  "| tracemalloc peak (MiB) | max RSS Δ (MiB) | RSS growth during run (MiB) | import (s) "
                  "| index build (s) |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for r in ok:
            run = r["run"]
            growth = (run["rss_peak_mib"] - run["rss_before_mib"]) if run.get("rss_peak_mib") and run.get(
                "rss_before_mib") else None
            lines.append(
                f"| {r['backend']} | {r['size']:,} | **{run['seconds']:.1f}** | {r['size'] / run['seconds']:.0f} "
                f"| {run['candidates_scored']:,} | {run['proposals_created']:,} "
                f"| {run['proposals_created'] / run['seconds']:.0f} "
                f"| {_fmt(r.get('tracemalloc_peak_mib'), 1)} | {run['maxrss_delta_mib']:.1f} | {_fmt(growth, 1)} "
                f"| {_fmt(r.get('import_s'), 1)} | {_fmt(r.get('index_s'), 1)} |")
        lines.append("")
        lines += ["Where the time goes (s): candidate search is `search.selectors.complementary_many`; text search "
                  "the searches for needs written only in words (their number in brackets); profiles "
                  "reading the partners and their profiles (`public_profiles_by_id`); scoring `engine.proposals_for`; writing `_write_proposals` (the per-firm caps "
                  "included); the rest is loading firms and bookkeeping.", "",
                  "| backend | firms | candidate search | text search | profiles | scoring | writing | rest |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for r in ok:
            run = r["run"]
            parts = run["breakdown_s"]
            rest = run["seconds"] - sum(parts.values())
            lines.append(
                f"| {r['backend']} | {r['size']:,} | {_fmt(parts.get('candidates'), 1)} "
                f"| {_fmt(parts.get('text_search'), 1)} ({run['text_searches']}) | {_fmt(parts.get('profiles'), 1)} "
                f"| {_fmt(parts.get('scoring'), 1)} | {_fmt(parts.get('writing'), 1)} | {rest:.1f} |")
        lines.append("")
        if args.tracemalloc == "separate":
            traced = ", ".join(f"{r['backend']} {r['size']:,}: {r['traced_run_s']:.1f} s, "
                               f"{'same proposals' if r.get('repeat_identical') else 'DIFFERENT proposals'}"
                               for r in ok if "traced_run_s" in r)
            lines.append(f"The tracemalloc peak comes from a second, traced run on the same data ({traced}).")
        if args.tracemalloc == "same":
            lines.append("The timed runs ran under tracemalloc (`--tracemalloc same`): their times are inflated.")
        for r in ok:
            if r.get("fallbacks_to_database"):
                lines.append(f"**{r['backend']} {r['size']:,}: {r['fallbacks_to_database']} search(es) fell back to "
                             f"the database backend because Elasticsearch failed; these figures are not pure "
                             f"Elasticsearch.**")
        lines.append("Max RSS Δ: `ru_maxrss` after minus before the run (0 when the "
                     "run stayed below the import's peak). RSS growth: peak resident set during the run "
                     "(VmHWM reset before it) minus the resident set before it.")
        lines.append("")
        growth_lines = []
        for backend in dict.fromkeys(r["backend"] for r in ok):
            runs = sorted((r["size"], r["run"]) for r in ok if r["backend"] == backend)
            for (n1, r1), (n2, r2) in zip(runs, runs[1:]):
                goal = " (goal ≤ 6)" if (n1, n2) == (10000, 50000) else ""
                parts = ", ".join(
                    f"{label.replace('_', ' ')} {r2['breakdown_s'][label] / r1['breakdown_s'][label]:.1f}×"
                    for label in r1["breakdown_s"] if r1["breakdown_s"][label] > 0 and label in r2["breakdown_s"])
                growth_lines.append(f"- {backend}: t({n2:,}) / t({n1:,}) = **{r2['seconds'] / r1['seconds']:.2f}** for "
                                    f"{n2 / n1:.0f}× the firms{goal} (all pairs would be {(n2 / n1) ** 2:.0f}×); "
                                    f"by part: {parts}.")
        if growth_lines:
            lines += ["Growth:", ""] + growth_lines + [""]

    oracle_runs = [r for r in ok if "oracle" in r]
    if oracle_runs:
        lines += ["### Candidate recall against the all-pairs oracle", "",
                  "Every pair of firms checked; a pair counts when `complementary_many` returns it from either side.",
                  "",
                  "| backend | firms | oracle pairs | max partners of a firm | firms with more than k partners | k "
                  "| candidate recall | missed | missed with both sides over k |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for r in oracle_runs:
            o = r["oracle"]
            for entry in o["by_k"]:
                lines.append(f"| {r['backend']} | {o['firms']:,} | {o['oracle_pairs']:,} | {o['max_partners']} "
                             f"| {o['firms_over_k']} | {entry['k']} | **{entry['recall']:.4f}** | {entry['missed']} "
                             f"| {entry['missed_with_both_over_k']} |")
        lines.append("")
        for r in oracle_runs:
            first = r["oracle"]["by_k"][0]
            if first["missed"]:
                lines.append(f"Missed at k={first['k']} ({r['backend']}, {r['size']:,} firms), first "
                             f"{len(first['examples'])}: " + "; ".join(
                                 f"{e['pair'][0]} ({e['cities'][0]}, {e['partners'][0]} partners) – {e['pair'][1]} "
                                 f"({e['cities'][1]}, {e['partners'][1]} partners)" for e in first["examples"]) + ".")
                lines.append("")

    if ok:
        lines += ["### Proposals against the planted pairs", "",
                  "| backend | firms | planted set | pairs | firms judged | precision@5 macro / micro "
                  "| recall@5 macro / micro | pairs proposed at all | firms with no proposal |",
                  "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for r in ok:
            q = r["quality"]
            for name, s in q["sets"].items():
                lines.append(
                    f"| {r['backend']} | {r['size']:,} | {name.replace('_', '-')} | {s['pairs']} | {s['firms']} "
                    f"| **{_fmt(s['precision_macro'])}** / {_fmt(s['precision_micro'])} "
                    f"| **{_fmt(s['recall_macro'])}** / {_fmt(s['recall_micro'])} | {_fmt(s['pairs_proposed'])} "
                    f"| {s['firms_without_proposals']} |")
        lines.append("")
        lines += ["| backend | firms | proposals | firms with a proposal | most proposals of one firm "
                  "| same-city proposals | proposals with a decoy |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for r in ok:
            q = r["quality"]
            lines.append(f"| {r['backend']} | {r['size']:,} | {q['proposals']:,} | {q['firms_with_proposals']:,} "
                         f"| {q['max_proposals_per_firm']} | {q['same_city_proposals']} | {q['decoy_proposals']} |")
        lines.append("")
        lines.append("Goals (issue 4): precision@5 and recall@5 ≥ 0.9 for coded needs, ≥ 0.7 for needs given only "
                     "in English words; candidate recall 1.0; no same-city proposal; no decoy proposed.")
        lines.append("")
        for r in ok:
            q = r["quality"]
            notes = []
            for name, s in q["sets"].items():
                if s["false_positives"]:
                    notes.append(f"{name}: top-5 entries that are not planted pairs (firm, partner, partner's kind): "
                                 + "; ".join(f"{a} – {b} ({kind})" for a, b, kind in s["false_positives"]))
                if s["misses"]:
                    notes.append(f"{name}: planted partners missing from a firm's top-5: " + "; ".join(
                        f"{m['firm']} – {m['partner']} "
                        f"({'proposed, outside the top-5' if m['proposed'] else 'not proposed'}, "
                        f"firm has {m['firm_proposals']} proposals)" for m in s["misses"]))
            d = q["diagnosis"]
            if d["missing_pairs"]:
                notes.append(f"{d['missing_pairs']} planted pair(s) not proposed at all; first ones: " + "; ".join(
                    f"{e['set']} {e['pair'][0]} – {e['pair'][1]}: "
                    f"candidate from {e['candidate_from'] or 'neither side'}"
                    f", engine score {e['score']} (threshold {e['threshold']}), reasons {', '.join(e['reasons'])}"
                    for e in d["examples"]))
            if q["stray_reason_codes"]:
                notes.append("reasons of proposals pairing a planted firm with a non-planted one: " + "; ".join(
                    f"{k} ×{v}" for k, v in q["stray_reason_codes"].items()))
            if notes:
                lines.append(f"Details, {r['backend']} {r['size']:,} firms:")
                lines.append("")
                lines += [f"- {n}" for n in notes]
                lines.append("")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    sys.exit(main())
