"""The outbox drain benchmark: how fast profile edits become searchable, in a
burst and under a steady load of edits.

    DATABASE_URL=postgres://postgres@127.0.0.1:54329/postgres REDIS_URL=redis://127.0.0.1:63799/12 \\
    ELASTICSEARCH_URL=http://127.0.0.1:9200 \\
        .venv/bin/python -m tests.benchmarks.outbox [--sizes 2000] [--repeat 5] [--burst 200] \\
        [--stream 50] [--rate 20] [--seconds 30] [--output BENCHMARKS.md]

For each size, on a fresh copy of the prepared network (tests/benchmarks/
dataset.py; import it first with `python -m tests.benchmarks.dataset --size N`):

* a real Celery worker (solo pool) on an indexing queue of the run's own, on
  Redis, with the Elasticsearch backend under an index prefix of the run's own;
* a child process (the writer) that builds the index with
  `get_search_backend().rebuild()`, warms the worker up (its first document
  loads the glossary), then edits profiles through
  `directory.services.update_business`, as the pages and the API do, as a
  staff member (whose edits apply at once). Each edit writes a unique word
  into the description. A watcher thread polls the engine (`_search` on the
  alias, by ids, so only what a search can see counts) every 25 ms for the
  word; "searchable" is the moment the answer holding it came back.

Measured:

1. burst in one commit, `--repeat` times: `--burst` edits in one transaction
   (as an import writes them), committed at once; the time from the commit
   until the outbox is empty (the engine acknowledged every row) and until
   every edit is searchable. Updates per second = edits / the latter.
2. burst of separate commits, `--repeat` times: `--stream` edits, each
   committed on its own by one writer as fast as it can (each queues a
   drain); the writer's rate (which sets the pace: one writer edits far
   slower than the drain applies), the updates per second from the first
   commit until all are searchable, and the tail after the last commit.
3. steady: `--rate` edits a second for `--seconds`, each committed on its own;
   per edit the lag from its commit to searchable: p50, p95 and max; and the
   largest outbox backlog seen (sampled every 100 ms).
4. afterwards: the outbox is empty, the index agrees with the database
   (`backend.reconcile()`: no missing, extra or stale document), and the
   project's own search (search.selectors.search) finds sampled edits by
   their word, answered by Elasticsearch.

The commit instant is taken by an on-commit callback registered before the
edit, so it runs right after COMMIT, ahead of the drain the edit queues.
Medians of the runs with the spread (min–max). Everything is cleaned up
at the end, whatever happens: the worker, the index, the run's Redis keys,
the copied database.
"""

import argparse
import json
import os
import random
import statistics
import string
import subprocess
import sys
import threading
import time
from pathlib import Path

from .run import ROOT, _log, machine
from .stack import (
    Stack, command_line, elasticsearch_version, mark, percentile, postgresql_version, run_sizes, spread, template_ready,
)

# Goals. The burst: a batch of edits (an import, a moderator's morning) should
# be searchable at 100 profiles a second or better, and the tail after the last
# of a stream of edits within 2 s. Steady: with the engine refreshing every
# second, an edit should be searchable within 2 s (p95) and never take more than 5 s.
GOAL_BURST_UPDATES_PER_S = 100
GOAL_TAIL_S = 2.0
GOAL_STEADY_P95_S = 2.0
GOAL_STEADY_MAX_S = 5.0
POLL_INTERVAL_S = 0.025
WAIT_LIMIT_S = 120


def main(argv=None):
    args = _parse(argv)
    if args.worker:
        return _child(args)
    return run_sizes(args, argv, name="outbox", run_size=_run_size, report=report)


def _parse(argv):
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.outbox", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="2000")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each burst (default 5); medians reported")
    parser.add_argument("--burst", type=int, default=200, help="edits per burst in one commit (default 200)")
    parser.add_argument("--stream", type=int, default=50,
                        help="edits per burst of separate commits (default 50: the writer sets its pace)")
    parser.add_argument("--rate", type=float, default=20.0, help="edits per second of the steady load (default 20)")
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the steady load (default 30)")
    parser.add_argument("--output", default="BENCHMARKS.md")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _run_size(args, size, scratch):
    tag = f"[outbox {size}]"
    if not template_ready(size, args.seed):
        _log(f"{tag} the network of {size} firms is not imported (or out of date); skipped")
        return {"size": size, "error": f"no current network of {size} firms: run "
                                       f"`python -m tests.benchmarks.dataset --size {size}` first"}
    run_dir = scratch / str(size)
    run_dir.mkdir()
    stack = Stack(size=size, seed=args.seed, name="outbox", redis_url=os.environ["REDIS_URL"],
                  elasticsearch_url=os.environ["ELASTICSEARCH_URL"], scratch=run_dir)
    result_file = run_dir / "result.json"
    child = None
    try:
        _log(f"{tag} copying the network's database")
        stack.copy_database()
        env = stack.environment()
        _log(f"{tag} starting a Celery worker on {stack.queue}.indexing")
        stack.start_worker("indexing", env)
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.benchmarks.outbox", "--worker", "--size", str(size),
             "--repeat", str(args.repeat), "--burst", str(args.burst), "--stream", str(args.stream),
             "--rate", str(args.rate),
             "--seconds", str(args.seconds), "--result", str(result_file)],
            cwd=ROOT, env=env)
        while child.poll() is None:
            time.sleep(0.5)
            stack.check_alive()
        result = json.loads(result_file.read_text()) if result_file.exists() else {
            "error": f"the writer exited with status {child.returncode} and wrote no result"}
    except Exception as error:
        result = {"error": f"{type(error).__name__}: {error}"}
        _log(f"{tag} failed: {result['error']}")
    finally:
        if child is not None and child.poll() is None:
            child.terminate()
            child.wait()
        if "worker-indexing" in stack.processes:
            worker_log = stack.tail("worker-indexing", 6000)
        _log(f"{tag} cleaning up")
        stack.close()
    result["size"] = size
    result["index_prefix"] = stack.index_prefix
    if "error" in result and "worker-indexing" in stack.processes:
        result["worker_log"] = worker_log
    return result


# --- the writer: one size, in a child process ------------------------------------------------


def _child(args):
    result = {}
    try:
        _measure(args, result)
    except Exception as error:  # reported in the section, the traceback on stderr
        import traceback

        traceback.print_exc()
        result["error"] = f"{type(error).__name__}: {error}"
    Path(args.result).write_text(json.dumps(result, default=str))
    return 0


class Watcher:
    """Polls the engine for the words the edits wrote, in a thread of its own.

    Each edit is (firm id, word). It is *indexed* once a realtime GET of its
    firm's document (`_mget`, which does not wait for a refresh) holds the
    word, and *searchable* once a `_search` by ids does; or a later edit's
    word, since the engine keeps only the newest version of a document."""

    FIRM, WORD, COMMITTED, INDEXED, SEARCHABLE = range(5)

    def __init__(self, engine, alias):
        self.engine, self.alias = engine, alias
        self.lock = threading.Lock()
        self.edits = []  # [firm id, word, committed at, indexed at, searchable at]
        self.by_firm = {}  # firm id -> indices into edits, in order
        self.stopping = threading.Event()
        self.polls = 0
        self.error = None
        self.thread = threading.Thread(target=self._run, name="watcher", daemon=True)
        self.thread.start()

    def expect(self, firm_id, word):
        with self.lock:
            self.edits.append([firm_id, word, None, None, None])
            index = len(self.edits) - 1
            self.by_firm.setdefault(firm_id, []).append(index)
            return index

    def committed(self, index, moment):
        self.edits[index][self.COMMITTED] = moment

    def seen(self, index):
        return self.edits[index][self.SEARCHABLE] is not None

    def _run(self):
        while not self.stopping.is_set():
            for column in (self.INDEXED, self.SEARCHABLE):
                with self.lock:
                    waiting = sorted({str(edit[self.FIRM]) for edit in self.edits if edit[column] is None})
                if not waiting:
                    continue
                try:
                    if column == self.INDEXED:
                        response = self.engine.mget(index=self.alias, ids=waiting, source=["description"])
                        documents = [doc for doc in response["docs"] if doc.get("found")]
                    else:
                        response = self.engine.search(index=self.alias, query={"ids": {"values": waiting}},
                                                      source=["description"], size=len(waiting))
                        documents = response["hits"]["hits"]
                except Exception as error:  # kept, and the wait fails with it
                    self.error = f"{type(error).__name__}: {error}"
                    continue
                now = time.monotonic()
                self.polls += 1
                with self.lock:
                    for document in documents:
                        self._mark(int(document["_id"]), document["_source"].get("description") or "", column, now)
            time.sleep(POLL_INTERVAL_S)

    def _mark(self, firm_id, description, column, now):
        indices = self.by_firm.get(firm_id, [])
        shown = [i for i in indices if self.edits[i][self.WORD] in description]
        if shown:
            for i in indices[: indices.index(shown[-1]) + 1]:
                if self.edits[i][column] is None:
                    self.edits[i][column] = now

    def stop(self):
        self.stopping.set()
        self.thread.join(timeout=5)


def _measure(args, result):
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from directory import services
    from directory.models import Business
    from search import outbox
    from search.backends import get_search_backend
    from search.backends.elasticsearch import client
    from search.models import OutboxEntry

    tag = f"[outbox {args.size}]"
    rng = random.Random(f"outbox-{args.size}")
    result["versions"] = {"elasticsearch": elasticsearch_version(settings.ELASTICSEARCH_URL),
                          "postgresql": postgresql_version(os.environ["DATABASE_URL"])}
    result["settings"] = {"BATCH_SIZE": outbox.BATCH_SIZE, "CELERY_QUEUE_PREFIX": settings.CELERY_QUEUE_PREFIX,
                          "ELASTICSEARCH_INDEX_PREFIX": settings.ELASTICSEARCH_INDEX_PREFIX}
    backend = get_search_backend()
    _log(f"{tag} building the index {backend.alias}")
    started = time.perf_counter()
    built = backend.rebuild()
    result["rebuild_s"] = time.perf_counter() - started
    result["documents"] = built["documents"]
    engine = client()
    refresh = engine.indices.get_settings(index=backend.alias, include_defaults=True)
    index_settings = next(iter(refresh.values()))
    result["refresh_interval"] = (index_settings["settings"]["index"].get("refresh_interval")
                                  or index_settings["defaults"]["index"]["refresh_interval"])

    staff = get_user_model().objects.create_user(username=f"bench-outbox-{os.getpid()}", is_staff=True)
    firms = list(Business.objects.public().order_by("pk").values_list("pk", flat=True))
    base = dict(Business.objects.filter(pk__in=firms).values_list("pk", "description"))
    limit = Business._meta.get_field("description").max_length
    rotation = {"next": 0}
    watcher = Watcher(engine, backend.alias)

    def next_firm():
        firm_id = firms[rotation["next"] % len(firms)]
        rotation["next"] += 1
        return firm_id

    def word():
        return "zq" + "".join(rng.choices(string.ascii_lowercase, k=10))

    def edit(firm_id, stamp=True):
        """One edit through the service; returns the watcher's index of it."""
        marker = word()
        text = base[firm_id][: limit - len(marker) - 1].rstrip()
        index = watcher.expect(firm_id, marker)
        business = Business.objects.get(pk=firm_id)
        if stamp:
            with transaction.atomic():
                # Registered first, so it runs at COMMIT, before the drain the edit queues.
                transaction.on_commit(lambda: watcher.committed(index, time.monotonic()))
                services.update_business(actor=staff, business=business, data={"description": f"{text} {marker}"})
        else:
            services.update_business(actor=staff, business=business, data={"description": f"{text} {marker}"})
        return index

    W = Watcher

    def at(indices, column):
        return [watcher.edits[i][column] for i in indices]

    def wait_searchable(indices, what):
        deadline = time.monotonic() + WAIT_LIMIT_S
        while not all(watcher.seen(i) for i in indices):
            if time.monotonic() > deadline:
                missing = sum(1 for i in indices if not watcher.seen(i))
                raise TimeoutError(f"{what}: {missing} of {len(indices)} edits not searchable after {WAIT_LIMIT_S} s "
                                   f"({OutboxEntry.objects.count()} outbox rows pending; the watcher's last error: "
                                   f"{watcher.error})")
            time.sleep(0.005)

    try:
        _log(f"{tag} warming up: the worker's first documents load the glossary")
        warm = [edit(next_firm()) for _ in range(5)]
        started = time.monotonic()
        wait_searchable(warm, "warm-up")
        result["warm_up_s"] = time.monotonic() - started
        samples = []

        # 1. A burst in one commit.
        result["one_commit"] = []
        for run in range(args.repeat):
            indices, committed = [], {}
            with transaction.atomic():
                transaction.on_commit(lambda: committed.setdefault("at", time.monotonic()))
                for _ in range(args.burst):
                    indices.append(edit(next_firm(), stamp=False))
            t0 = committed["at"]
            for i in indices:
                watcher.committed(i, t0)
            drained = None
            deadline = t0 + WAIT_LIMIT_S
            while not all(watcher.seen(i) for i in indices):
                if drained is None and not OutboxEntry.objects.exists():
                    drained = time.monotonic() - t0
                if time.monotonic() > deadline:
                    raise TimeoutError(f"burst in one commit: not searchable after {WAIT_LIMIT_S} s")
                time.sleep(0.005)
            searchable = at(indices, W.SEARCHABLE)
            indexed = at(indices, W.INDEXED)
            result["one_commit"].append({
                "searchable_s": max(searchable) - t0, "first_searchable_s": min(searchable) - t0,
                "indexed_s": max(indexed) - t0, "drained_s": drained if drained is not None else max(indexed) - t0,
            })
            samples.append(rng.choice(indices))
            figures = result["one_commit"][-1]
            _log(f"{tag} burst in one commit {run + 1}/{args.repeat}: {args.burst} edits; outbox empty after "
                 f"{figures['drained_s']:.2f} s, all indexed {figures['indexed_s']:.2f} s, all searchable "
                 f"{figures['searchable_s']:.2f} s ({args.burst / figures['searchable_s']:.0f} updates/s)")

        # 2. A burst of separate commits, one writer as fast as it can.
        result["separate_commits"] = []
        for run in range(args.repeat):
            indices = [edit(next_firm()) for _ in range(args.stream)]
            wait_searchable(indices, "burst of separate commits")
            commits, seen = at(indices, W.COMMITTED), at(indices, W.SEARCHABLE)
            first_commit = min(commits)
            result["separate_commits"].append({
                "writer_per_s": (args.stream - 1) / (max(commits) - first_commit),
                "searchable_s": max(seen) - first_commit,
                "tail_s": max(seen) - max(commits),
            })
            samples.append(rng.choice(indices))
            figures = result["separate_commits"][-1]
            _log(f"{tag} burst of separate commits {run + 1}/{args.repeat}: writer {figures['writer_per_s']:.0f} "
                 f"edits/s, all searchable {figures['searchable_s']:.2f} s after the first commit, "
                 f"{figures['tail_s']:.2f} s after the last")

        # 3. Steady: a fixed rate for a fixed time.
        _log(f"{tag} steady: {args.rate:g} edits/s for {args.seconds:g} s")
        count = int(args.rate * args.seconds)
        indices, backlog, behind = [], [], []
        stop_sampling = threading.Event()

        def sample_backlog():
            from django.db import connection as own

            try:
                while not stop_sampling.is_set():
                    backlog.append(OutboxEntry.objects.count())
                    stop_sampling.wait(0.1)
            finally:
                own.close()

        sampler = threading.Thread(target=sample_backlog, name="backlog", daemon=True)
        sampler.start()
        t0 = time.monotonic()
        for n in range(count):
            pause = t0 + n / args.rate - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            else:
                behind.append(-pause)
            indices.append(edit(next_firm()))
        writing_s = time.monotonic() - t0
        wait_searchable(indices, "steady load")
        stop_sampling.set()
        sampler.join(timeout=5)
        commits = at(indices, W.COMMITTED)
        lags = [seen - commit for seen, commit in zip(at(indices, W.SEARCHABLE), commits)]
        # Indexed before searchable, always; a realtime GET that came back later than the search is the poll's order.
        indexed = [min(i, s) - c for i, s, c in zip(at(indices, W.INDEXED), at(indices, W.SEARCHABLE), commits)]
        result["steady"] = {
            "edits": count, "writing_s": writing_s, "achieved_per_s": count / writing_s,
            "late_edits": sum(1 for late in behind if late > 0.05), "max_late_s": max(behind, default=0.0),
            "lag_p50_s": percentile(lags, 0.5), "lag_p95_s": percentile(lags, 0.95), "lag_max_s": max(lags),
            "indexed_p50_s": percentile(indexed, 0.5), "indexed_p95_s": percentile(indexed, 0.95),
            "indexed_max_s": max(indexed), "max_backlog": max(backlog, default=0),
        }
        samples += rng.sample(indices, 5)
        steady = result["steady"]
        _log(f"{tag} steady: {count} edits in {writing_s:.1f} s; searchable p50 {steady['lag_p50_s']:.2f} s, "
             f"p95 {steady['lag_p95_s']:.2f} s, max {steady['lag_max_s']:.2f} s (indexed p50 "
             f"{steady['indexed_p50_s']:.2f} s, p95 {steady['indexed_p95_s']:.2f} s); largest backlog "
             f"{steady['max_backlog']} rows")
    finally:
        watcher.stop()
        result["watcher_polls"] = watcher.polls

    # 4. Nothing lost: the outbox is empty, the index agrees with the database,
    # and the project's own search finds the sampled edits by their word.
    from search import selectors
    from search.query import SearchQuery

    deadline = time.monotonic() + 30
    while OutboxEntry.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    result["outbox_left"] = OutboxEntry.objects.count()
    backend.refresh()
    drift = backend.reconcile()
    result["drift"] = {kind: len(ids) for kind, ids in drift.items()}
    found = []
    for i in samples:
        firm_id, marker = watcher.edits[i][W.FIRM], watcher.edits[i][W.WORD]
        latest = watcher.by_firm[firm_id][-1] == i  # an earlier word of a firm edited again is gone, rightly
        answer = selectors.search(SearchQuery(text=marker, with_facets=False))
        hit = any(h.business.pk == firm_id for h in answer.hits)
        found.append({"found": hit == latest, "backend": answer.backend})
    result["search_check"] = {"sampled": len(found), "as_expected": sum(f["found"] for f in found),
                              "backends": sorted({f["backend"] for f in found})}
    result["edits_total"] = len(watcher.edits)
    connection.close()
    _log(f"{tag} after the run: {result['outbox_left']} outbox rows, drift {result['drift']}, "
         f"search found {result['search_check']['as_expected']}/{len(found)} sampled edits as expected")


# --- the section -------------------------------------------------------------------------------


def report(args, argv, results, started, load_average=""):
    host = machine()
    versions = next((r["versions"] for r in results if "versions" in r), {})
    lines = [
        f"## Outbox drain — {started:%Y-%m-%d %H:%M} UTC",
        "",
        f"Command: `{command_line('tests.benchmarks.outbox', argv)}`",
        "",
        f"Machine: `{host['uname']}`; {host['nproc']} CPUs; {host['memory']}; {host['python']}. {load_average}",
        f"Elasticsearch {versions.get('elasticsearch', '?')}, PostgreSQL {versions.get('postgresql', '?')}, "
        "Redis, one Celery worker (solo pool) on the indexing queue, all on this machine.",
        "",
        "Edits through `directory.services.update_business` (a staff member's, applied at once), each writing a "
        "unique word into a firm's description, on a copy of the prepared network (tests/benchmarks/dataset.py, "
        f"seed {args.seed}). Searchable: a `_search` of the alias by ids (polled every "
        f"{POLL_INTERVAL_S * 1000:.0f} ms) returns the word. Medians of {args.repeat} runs with the spread "
        "(min–max). Goals are this benchmark's: listed in tests/benchmarks/outbox.py.",
        "",
    ]
    for result in results:
        size = result["size"]
        if "error" in result:
            lines += [f"**{size} firms failed:** {result['error']}", ""]
            if result.get("worker_log"):
                lines += ["```", result["worker_log"].strip()[-3000:], "```", ""]
            continue
        one, separate, steady = result["one_commit"], result["separate_commits"], result["steady"]
        burst_rates = [args.burst / run["searchable_s"] for run in one]
        drain_rates = [args.burst / run["drained_s"] for run in one]
        separate_rates = [args.stream / run["searchable_s"] for run in separate]
        writer_rates = [run["writer_per_s"] for run in separate]
        tails = [run["tail_s"] for run in separate]
        check, drift = result["search_check"], result["drift"]
        nothing_lost = (result["outbox_left"] == 0 and not any(drift.values())
                        and check["as_expected"] == check["sampled"] and check["backends"] == ["elasticsearch"])
        burst_rate = statistics.median(burst_rates)
        lines += [
            f"### {size:,} firms ({result['documents']:,} documents; refresh interval {result['refresh_interval']}; "
            f"drain batch {result['settings']['BATCH_SIZE']})",
            "",
            "| measurement | result | goal |",
            "| --- | --- | --- |",
            f"| burst: {args.burst} edits in one commit → all searchable "
            f"| {spread([r['searchable_s'] for r in one])} s: **{burst_rate:.0f} updates/s** "
            f"({min(burst_rates):.0f}–{max(burst_rates):.0f}) "
            f"| ≥ {GOAL_BURST_UPDATES_PER_S} updates/s {mark(burst_rate >= GOAL_BURST_UPDATES_PER_S)} |",
            f"| the same → outbox empty (the engine acknowledged every row) "
            f"| {spread([r['drained_s'] for r in one])} s: "
            f"{statistics.median(drain_rates):.0f} rows/s | – |",
            f"| the same → all indexed (realtime GET) / first searchable "
            f"| {spread([r['indexed_s'] for r in one])} s / "
            f"{spread([r['first_searchable_s'] for r in one])} s | – |",
            f"| burst: {args.stream} edits each committed on its own by one writer "
            f"({spread(writer_rates, 0)} edits/s) "
            f"→ all searchable | {spread([r['searchable_s'] for r in separate])} s after the first commit: "
            f"{statistics.median(separate_rates):.0f} updates/s (the writer's pace) | – |",
            f"| the same: last commit → all searchable | {spread(tails)} s "
            f"| ≤ {GOAL_TAIL_S:g} s {mark(statistics.median(tails) <= GOAL_TAIL_S)} |",
            f"| steady: {args.rate:g} edits/s for {args.seconds:g} s ({steady['edits']} edits, "
            f"{steady['achieved_per_s']:.1f}/s achieved) → searchable: lag p50 / p95 / max "
            f"| {steady['lag_p50_s']:.2f} / **{steady['lag_p95_s']:.2f}** / {steady['lag_max_s']:.2f} s "
            f"| p95 ≤ {GOAL_STEADY_P95_S:g} s {mark(steady['lag_p95_s'] <= GOAL_STEADY_P95_S)}, "
            f"max ≤ {GOAL_STEADY_MAX_S:g} s {mark(steady['lag_max_s'] <= GOAL_STEADY_MAX_S)} |",
            f"| the same → indexed (realtime GET, before the refresh): p50 / p95 / max "
            f"| {steady['indexed_p50_s']:.2f} / {steady['indexed_p95_s']:.2f} / "
            f"{steady['indexed_max_s']:.2f} s | – |",
            f"| steady: largest outbox backlog (sampled every 100 ms) | {steady['max_backlog']} rows | – |",
            f"| afterwards: outbox rows left; index drift missing / extra / stale; sampled edits found (or, "
            f"superseded, not found) by search.selectors.search | {result['outbox_left']}; {drift['missing']} / "
            f"{drift['extra']} / {drift['stale']}; {check['as_expected']} of {check['sampled']} "
            f"(answered by {', '.join(check['backends'])}) | nothing lost {mark(nothing_lost)} |",
            "",
            f"Index build (rebuild) {result['rebuild_s']:.1f} s; warm-up (the worker's first documents) "
            f"{result['warm_up_s']:.1f} s; {result['edits_total']} edits in all; the steady writer was late by more "
            f"than 50 ms on {steady['late_edits']} edits (at most {steady['max_late_s']:.2f} s).",
            "",
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
