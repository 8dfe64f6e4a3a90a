"""The latency benchmark: the search API and the directory page under load,
served by a real gunicorn, at each network size, on both search backends.

    DATABASE_URL=postgres://postgres@127.0.0.1:54329/postgres ELASTICSEARCH_URL=http://127.0.0.1:9200 \\
        .venv/bin/python -m tests.benchmarks.latency --sizes 10000,100000 [--repeat 5] [--seconds 3] \\
        [--clients 8] [--workers N] [--probe 20] [--output BENCHMARKS.md]

Run it from the project root. DATABASE_URL names the PostgreSQL server (any
database on it). For each size, tests/benchmarks/dataset.py provides the
imported network (`prepare(size, seed)`, imported once and reused) and this
benchmark works on a copy of it of its own (`copy_of(..., suffix="latency")`,
dropped at the end), so that other benchmarks copying the same template
neither cut its connections nor are held up by them. It only reads: every
connection it makes, and the server's, is read-only
(`default_transaction_read_only`), so a request that writes would show up as
an error. It appends one Markdown section to the output file; progress goes
to stderr.

The query mix: --queries searches drawn with the seed from the generated
network of MIX_NETWORK_SIZE firms (tests/benchmarks/network.py), the same
at every size and on both backends. Each has words and two filters taken
from one firm, so most find something:

* goods (65 %): a code the firm offers or seeks, in one of the network's six
  languages, as people call it (a term of directory/glossary.py for the code
  or its heading: "브레이크 패드", "café verde", "自行車", "rowery");
* names (15 %): the words of a firm's name ("Sand Creek Supply", "한빛산업");
* typos (10 %): a goods word in Latin script with two letters swapped;
* services (10 %): what a service firm writes it offers, in its language;

the filters: two of the firm's country, city, trade role, language, the HS
chapter of the code (offers or seeks, as the firm trades it) and its NAICS
sector; a quarter of goods searches also ask for one side (offers/seeks).
Every search asks for 20 results and all facets (the API's default).

For each size, a child process of its own:

1. builds the Elasticsearch index from the database
   (`search.backends.get_search_backend().rebuild()`) under a prefix of its
   own (`bench_latency_<random>_`), deleted at the end whatever happens;
2. in-process, through Django's test client on the same addresses: the SQL
   statements of each of the first --probe searches of the mix
   (CaptureQueriesContext), on both backends and for the page (full and
   htmx), and for the API again with each search's words said twice (a
   statement per word would show); and, for the database backend, the peak
   of Python allocations of each of them (tracemalloc, after a pass that
   warms the caches);
3. starts gunicorn (config/gunicorn.py, `config.wsgi`) on a free loopback
   port, --workers sync workers, DEBUG off, log level warning, with the search
   throttle lifted (SEARCH_RATE) and no worker recycling (WEB_MAX_REQUESTS=0,
   so a restart does not land inside a run); once with
   SEARCH_BACKEND=elasticsearch, once with SEARCH_BACKEND=database;
4. sends load: --clients clients in a closed loop (each sends its next
   request when the last is answered, a new connection each time, as the
   sync worker closes it), a warm-up, then --repeat runs of --seconds each:
   - Elasticsearch: the search API (`GET /api/v1/search/?q=…&<filters>&page_size=20`),
     then the directory page (`GET /en/directory/?q=…&<filters>`), each client
     alternating the full page and the htmx partial (the same address with
     `HX-Request: true`), so both are measured under the same load;
   - database: the search API; the workers' resident set before the first
     run and their peak after the last (VmHWM, reset after the warm-up).

Per run: p50, p95, p99 of the time from sending a request to having read the
whole answer, requests per second, answers other than 200 and failed
connections. For the API on Elasticsearch, the engine's own `took` of the
same requests, which the API hands back in its `Server-Timing` header
(`engine;dur=…`). Reported: medians over the runs, with the spread (min–max).
"""

import argparse
import gc
import hashlib
import http.client
import json
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid
from datetime import datetime, timezone
from math import ceil
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

from .run import ROOT, _append, _log, machine
from .stack import command_line

MIX_NETWORK_SIZE = 2000  # the network the query mix is drawn from, whatever the sizes measured
GOAL_API_OVER_ENGINE = 3.0
GOAL_GROWTH = 2.0
GOAL_GROWTH_SIZES = (10_000, 100_000)
READ_ONLY = "-c default_transaction_read_only=on"
API_PATH = "/api/v1/search/"
PAGE_PATH = "/en/directory/"
MIB = 1024 * 1024


# --- the parent: the mix, then a child per size, then the report ----------------------------


def main(argv=None):
    args = _parse(argv)
    if args.worker:
        return _child(args)
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    if not sizes:
        sys.exit("no sizes")
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must name the PostgreSQL server holding the benchmark networks")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    signal.signal(signal.SIGTERM, _exit_on_signal)
    started = datetime.now(timezone.utc)
    import django

    django.setup()
    from . import dataset

    results = []
    with tempfile.TemporaryDirectory(prefix="aurora-bench-latency-") as scratch:
        scratch = Path(scratch)
        _log(f"[latency] drawing {args.queries} searches from the {MIX_NETWORK_SIZE:,}-firm network, seed {args.seed}")
        mix = query_mix(args.seed, args.queries)
        mix_file = scratch / "mix.json"
        mix_file.write_text(json.dumps(mix, ensure_ascii=False))
        for size in sizes:
            dataset.prepare(size, args.seed)
            results.append(_one_size(args, size, scratch, mix_file))
    output = Path(args.output) if Path(args.output).is_absolute() else ROOT / args.output
    _append(output, report(args, argv, results, mix, started))
    _log(f"wrote a section to {output}")
    return 0 if all("error" not in result for result in results) else 1


def _one_size(args, size, scratch, mix_file):
    """Measure one size in a child process, on a copy of the prepared network; clean up whatever happens."""
    from . import dataset

    prefix = f"bench_latency_{uuid.uuid4().hex[:8]}_"
    result_file = scratch / f"latency-{size}.json"
    pid_dir = scratch / f"pids-{size}"
    pid_dir.mkdir()
    # A copy of our own: other benchmarks' copy_of() ends every session on the
    # template (ours too, mid-run), and a session of ours there could make their
    # CREATE DATABASE ... TEMPLATE fail.
    url = dataset.copy_of(size, args.seed, suffix="latency")
    child = None
    try:
        env = {**os.environ, "DATABASE_URL": _read_only(url), "PYTHONUNBUFFERED": "1", "LOG_FORMAT": "text",
               "LOG_LEVEL": "WARNING", "CELERY_TASK_ALWAYS_EAGER": "true", "SEARCH_RATE": "1000000/minute",
               "ELASTICSEARCH_INDEX_PREFIX": prefix}
        env.pop("REDIS_URL", None)
        name = urlsplit(url).path.lstrip("/")
        _log(f"[latency {size}] starting a child process on {name}")
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.benchmarks.latency", "--worker", "--size", str(size), "--mix", str(mix_file),
             "--result", str(result_file), "--pid-dir", str(pid_dir), "--database", name, *_passed_on(args)],
            cwd=ROOT, env=env)
        child.wait()
    finally:
        if child is not None and child.poll() is None:
            child.terminate()
            try:
                child.wait(30)
            except subprocess.TimeoutExpired:
                child.kill()
        # Whatever became of the child: no server, index or copy outlives it.
        _stop_servers(pid_dir)
        deleted = _delete_indices(prefix)
        dataset.drop(url)
    if result_file.exists():
        result = json.loads(result_file.read_text())
    else:
        result = {"size": size, "error": f"the child wrote no result (exit status {child.returncode})"}
    if not deleted:
        result["left_behind"] = f"{prefix}*"
    return result


def _parse(argv):
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.latency", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="network sizes, comma-separated")
    parser.add_argument("--repeat", type=int, default=5, help="measured runs of each load (default 5); medians reported")
    parser.add_argument("--seconds", type=float, default=3.0, help="length of a run in seconds (default 3)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1,
                        help="gunicorn workers (default 2 × cores + 1, gunicorn's advice)")
    parser.add_argument("--queries", type=int, default=200, help="searches in the mix (default 200)")
    parser.add_argument("--probe", type=int, default=20,
                        help="searches of the mix measured in-process for SQL and memory (default 20)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--output", default="BENCHMARKS.md")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--mix", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument("--pid-dir", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _passed_on(args):
    return ["--repeat", str(args.repeat), "--seconds", str(args.seconds), "--clients", str(args.clients),
            "--workers", str(args.workers), "--probe", str(args.probe), "--seed", str(args.seed)]


def _exit_on_signal(signum, frame):
    # SystemExit unwinds through the `finally` blocks that stop servers and delete indices.
    raise SystemExit(128 + signum)


def _read_only(url):
    """The database URL with every session read-only: the benchmark never writes into a prepared network."""
    parts = urlsplit(url)
    query = "&".join(filter(None, [parts.query, urlencode({"options": READ_ONLY})]))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


# --- the query mix -----------------------------------------------------------------------------


def query_mix(seed, count):
    """`count` searches as query parameters (without page_size), drawn from the network of MIX_NETWORK_SIZE firms."""
    from django.utils.text import slugify

    from directory import glossary

    from . import network as networks

    network = networks.build(MIX_NETWORK_SIZE, seed, run_check=False)
    rng = random.Random(seed)
    terms = glossary.glossary().by_code
    coded = [r for r in network.records if r["offers_hs"] or r["seeks_hs"]]
    services = [r for r in network.records if not r["offers_hs"] and r["offers_text"]
                and "service_provider" in r["trade_roles"]]

    def term_for(code, language):
        found = [t.text for c in (code, code[:4]) for t in terms.get(("hs", c), ()) if t.language == language]
        return rng.choice(found) if found else None

    def filters(record, code=None, side="offers"):
        options = {"country": record["country"], "city": slugify(record["city"]),
                   "trade_role": record["trade_roles"][0], "language": record["description_language"],
                   "naics": record["naics"][0][:2]}
        if code:
            options[side] = code[:2]
        names = sorted(options)
        while True:
            chosen = rng.sample(names, 2)
            if set(chosen) != {"city", "country"}:  # one would say nothing the other does not
                return {name: options[name] for name in sorted(chosen)}

    mix = []
    while len(mix) < count:
        draw = rng.random()
        if draw < 0.75:  # goods, a quarter of them with a typo
            record = rng.choice(coded)
            side = "offers" if record["offers_hs"] and (not record["seeks_hs"] or rng.random() < 0.7) else "seeks"
            code = rng.choice(record[f"{side}_hs"])
            # English twice as often as each other language; typos in the Latin-script ones.
            language = rng.choice(("en", "es", "pl") if draw >= 0.65 else ("en",) * 2 + glossary.LANGUAGES)
            text = term_for(code, language) or term_for(code, "en")
            if not text:
                continue
            kind = "goods"
            if draw >= 0.65:
                words = [w for w in re.findall(r"[a-zA-Z]{5,}", text)]
                if not words:
                    continue
                word = rng.choice(words)
                i = rng.randrange(1, len(word) - 2)
                text = text.replace(word, word[:i] + word[i + 1] + word[i] + word[i + 2:], 1)
                kind = "typo"
            params = {"q": text, **filters(record, code, side)}
            if kind == "goods" and rng.random() < 0.25:
                params["side"] = side
        elif draw < 0.90:
            record = rng.choice(network.records)
            name = re.split(r"\s*\d{5}", record["name"])[0].strip()
            kind, params = "name", {"q": name, **filters(record)}
        else:
            record = rng.choice(services)
            kind, params = "service", {"q": record["offers_text"], **filters(record)}
        mix.append({"kind": kind, "params": params})
    return mix


def _api_path(params):
    return f"{API_PATH}?{urlencode({**params, 'page_size': 20})}"


def _page_path(params):
    return f"{PAGE_PATH}?{urlencode(params)}"


# --- the child: one size ------------------------------------------------------------------------


def _child(args):
    signal.signal(signal.SIGTERM, _exit_on_signal)
    result = {"size": args.size, "database": args.database}
    try:
        _measure(args, result)
    except BaseException as error:  # reported in the section, with the traceback on stderr
        traceback.print_exc()
        result["error"] = f"{type(error).__name__}: {error}"
    finally:
        _stop_servers(Path(args.pid_dir))
    Path(args.result).write_text(json.dumps(result))
    return 0


def _measure(args, result):
    import django

    django.setup()
    import gunicorn
    from django.conf import settings
    from django.db import connection

    from directory.models import Business
    from search.backends import get_search_backend
    from search.backends.elasticsearch import client

    tag = f"[latency {args.size}]"
    mix = json.loads(Path(args.mix).read_text())
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version')")
        postgresql = cursor.fetchone()[0]
    nodes = client().nodes.info()["nodes"]
    result["versions"] = {
        "postgresql": postgresql, "elasticsearch": next(iter(nodes.values()))["version"],
        "python": sys.version.split()[0], "gunicorn": gunicorn.__version__, "django": django.get_version(),
    }
    result["firms"] = Business.objects.count()
    result["public"] = Business.objects.public().count()

    settings.SEARCH_BACKEND = "elasticsearch"
    backend = get_search_backend()
    try:
        _log(f"{tag} building the Elasticsearch index under {settings.ELASTICSEARCH_INDEX_PREFIX}")
        started = time.perf_counter()
        built = backend.rebuild()
        result["index"] = {"seconds": time.perf_counter() - started, "documents": built["documents"]}

        _log(f"{tag} in-process: SQL statements and memory of {args.probe} searches")
        result["in_process"] = _in_process(mix[:args.probe])
        probe = result["in_process"]
        for name, counts in probe["queries"].items():
            _log(f"{tag}   {name}: {min(counts)}–{max(counts)} SQL statements per request")

        servers = {}
        for backend_name in ("elasticsearch", "database"):
            with _Gunicorn(args, backend_name, settings.ELASTICSEARCH_INDEX_PREFIX, Path(args.pid_dir)) as server:
                _log(f"{tag} gunicorn ({backend_name}, {args.workers} workers) on port {server.port}")
                api = [("api", _api_path(q["params"]), {}) for q in mix]
                loads = {"api": api}
                if backend_name == "elasticsearch":
                    loads["page"] = [request for q in mix for request in (
                        ("full", _page_path(q["params"]), {}),
                        ("htmx", _page_path(q["params"]), {"HX-Request": "true"}))]
                measured = {}
                for name, requests in loads.items():
                    server.check(requests[0][1])
                    _run_load(server.port, requests, clients=args.clients, seconds=max(2.0, args.seconds / 2),
                              run=0)  # warm-up: every worker loads its caches; not counted
                    server.reset_peaks()
                    rss_before = server.rss_kib()
                    runs = []
                    for run in range(args.repeat):
                        runs.append(_run_load(server.port, requests, clients=args.clients, seconds=args.seconds,
                                              run=run + 1))
                        summary = runs[-1]["by_kind"]
                        _log(f"{tag} {backend_name} {name} run {run + 1}/{args.repeat}: " + "; ".join(
                            f"{kind} p50 {s['p50']:.0f} ms, p95 {s['p95']:.0f} ms, {s['rps']:.1f}/s, "
                            f"{s['errors']} errors" for kind, s in summary.items()))
                    measured[name] = {"runs": runs, "rss_before_kib": rss_before, "peaks_kib": server.peak_kib(),
                                      "workers": len(rss_before)}
                servers[backend_name] = measured
        result["load"] = servers
    finally:
        try:
            backend.delete_all()
        except Exception as error:  # the engine may be restarting; the parent tries again, the figures stand
            _log(f"{tag} could not delete the index now ({error}); the parent will try again")


def _in_process(probe):
    """SQL statements per request for each search of the probe (API on both
    backends, the page full and partial on Elasticsearch), and the peak of
    Python allocations per API request on the database backend."""
    import tracemalloc

    from django.conf import settings
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    browser = Client(HTTP_HOST="127.0.0.1")
    out = {"searches": len(probe), "queries": {}, "queries_words_twice": {}, "statuses": {}}

    def get(path, headers=None):
        # As Django's handler does between requests (the test client does not):
        # a connection that broke is replaced, not reused.
        close_old_connections()
        response = browser.get(path, headers=headers or {})
        out["statuses"].setdefault(str(response.status_code), 0)
        out["statuses"][str(response.status_code)] += 1
        return response

    cases = [("elasticsearch", "api", _api_path, None), ("database", "api", _api_path, None),
             ("elasticsearch", "page", _page_path, None), ("elasticsearch", "htmx", _page_path, {"HX-Request": "true"})]
    def statements(path, params, headers):
        with CaptureQueriesContext(connection) as captured:
            get(path(params), headers)
        return len(captured.captured_queries)

    for backend, name, path, headers in cases:
        settings.SEARCH_BACKEND = backend
        get(path(probe[0]["params"]), headers)  # warm-up: the glossary and taxonomies load once per process
        out["queries"][f"{backend} {name}"] = [statements(path, search["params"], headers) for search in probe]
        if name == "api":
            # The same searches with their words said twice, much the same search, so
            # any statement more would be one per word.
            out["queries_words_twice"][f"{backend} {name}"] = [
                statements(path, {**search["params"], "q": f"{search['params']['q']} {search['params']['q']}"}, headers)
                for search in probe]

    settings.SEARCH_BACKEND = "database"
    peaks = []
    tracemalloc.start()
    try:
        for search in probe:
            gc.collect()
            before = tracemalloc.get_traced_memory()[0]
            tracemalloc.reset_peak()
            get(_api_path(search["params"]))
            peaks.append((tracemalloc.get_traced_memory()[1] - before) / MIB)
    finally:
        tracemalloc.stop()
    out["database_tracemalloc_peak_mib"] = peaks
    return out


# --- gunicorn ------------------------------------------------------------------------------------


class _Gunicorn:
    """A gunicorn serving config.wsgi on a free loopback port, in a session of
    its own (so a Ctrl-C to the benchmark reaches it only through us), its
    pid written where the parent looks when the child is gone."""

    def __init__(self, args, backend, prefix, pid_dir):
        self.args, self.backend, self.prefix, self.pid_dir = args, backend, prefix, pid_dir
        self.process = None

    def __enter__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        env = {**os.environ, "SEARCH_BACKEND": self.backend, "ELASTICSEARCH_INDEX_PREFIX": self.prefix,
               "DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "LOG_LEVEL": "WARNING",
               "LOG_FORMAT": "json", "WEB_CONCURRENCY": str(self.args.workers), "WEB_MAX_REQUESTS": "0",
               "SEARCH_RATE": "1000000/minute"}
        self.log = tempfile.NamedTemporaryFile(prefix=f"gunicorn-{self.backend}-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "--bind", f"127.0.0.1:{self.port}",
             "--log-level", "warning", "config.wsgi:application"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        # The parent reads this if we die before stopping it.
        (self.pid_dir / f"session-{self.backend}").write_text(str(self.process.pid))
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}):\n{self._tail()}")
            try:
                status, _, _ = _request(self.port, _api_path({"q": "coffee"}), {}, timeout=30)
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer within 120 s:\n{self._tail()}")

    def check(self, path):
        status, body, _ = _request(self.port, path, {}, timeout=60)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}: {body[:500]!r}\n{self._tail()}")

    def workers(self):
        return _children(self.process.pid)

    def rss_kib(self):
        return {pid: _proc_status(pid, "VmRSS") for pid in self.workers()}

    def reset_peaks(self):
        for pid in self.workers():
            try:
                with open(f"/proc/{pid}/clear_refs", "w") as handle:
                    handle.write("5")
            except OSError:
                pass

    def peak_kib(self):
        return {pid: _proc_status(pid, "VmHWM") for pid in self.workers()}

    def _tail(self):
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")[-3000:]

    def __exit__(self, *exc):
        _stop_session(self.process.pid)
        self.process.wait()
        (self.pid_dir / f"session-{self.backend}").unlink(missing_ok=True)
        self.log.close()
        if exc[0] is not None:
            _log(f"gunicorn's log ({self.backend}), last lines:\n{self._tail()}")
        os.unlink(self.log.name)
        return False


def _stop_session(pid):
    """Stop a gunicorn master and its workers (its session): TERM, then KILL after 20 s."""
    try:
        pgid = os.getpgid(pid)
    except ProcessLookupError:
        return
    if pgid != pid:  # not the session leader we started: leave it alone
        return
    os.killpg(pgid, signal.SIGTERM)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
        time.sleep(0.2)
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _stop_servers(pid_dir):
    for path in pid_dir.glob("session-*"):
        try:
            _stop_session(int(path.read_text()))
        except (OSError, ValueError):
            pass
        path.unlink(missing_ok=True)


def _delete_indices(prefix, patience=120):
    """Delete every index of this run's prefix (the child deletes its own; this
    is for a child that died or found the engine away), trying again for
    `patience` seconds while the engine does not answer. True once done."""
    from elasticsearch import Elasticsearch

    from django.conf import settings

    engine = Elasticsearch(settings.ELASTICSEARCH_URL, request_timeout=30)
    deadline = time.monotonic() + patience
    while True:
        try:
            engine.indices.delete(index=f"{prefix}*", ignore_unavailable=True, allow_no_indices=True)
            return True
        except Exception as error:  # the report must still be written
            if time.monotonic() > deadline:
                _log(f"could not delete the indices {prefix}*: {error}")
                return False
            time.sleep(5)


def _children(pid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return sorted(found)


def _proc_status(pid, field):
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


# --- the load ---------------------------------------------------------------------------------------


def _request(port, path, headers, timeout=60):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(), response.getheader("Server-Timing", "")
    finally:
        connection.close()


_ENGINE = re.compile(r"(?:^|,)\s*engine;(?:[^,]*;)?\s*dur=([0-9.]+)")
_cursors = {}


def _run_load(port, requests, *, clients, seconds, run):
    """`clients` clients in a closed loop over `requests` for `seconds`; each
    client walks the list from a place of its own and carries on there in the
    next run, so the runs together go through the whole mix."""
    records = []
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client(number):
        key = (id(requests), number)
        position = _cursors.get(key, number * len(requests) // clients)
        mine = []
        while time.perf_counter() < stop_at:
            kind, path, headers = requests[position % len(requests)]
            position += 1
            started = time.perf_counter()
            try:
                status, _, timing = _request(port, path, headers)
            except OSError as error:
                status, timing = f"{type(error).__name__}", ""
            ended = time.perf_counter()
            engine = _ENGINE.search(timing or "")
            mine.append((kind, ended - started, ended, status, float(engine.group(1)) if engine else None))
        _cursors[key] = position
        with lock:
            records.extend(mine)

    began = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = max([r[2] for r in records], default=began) - began
    by_kind = {}
    for kind in dict.fromkeys(r[0] for r in records):
        mine = [r for r in records if r[0] == kind]
        times = sorted(r[1] * 1000 for r in mine)
        engine = sorted(r[4] for r in mine if r[4] is not None)
        by_kind[kind] = {
            "requests": len(mine), "p50": _percentile(times, 50), "p95": _percentile(times, 95),
            "p99": _percentile(times, 99), "rps": len(mine) / elapsed if elapsed else 0.0,
            "errors": sum(1 for r in mine if r[3] != 200),
            "error_kinds": {str(k): sum(1 for r in mine if r[3] == k) for k in {r[3] for r in mine if r[3] != 200}},
            "engine_answers": len(engine),
            "engine_p50": _percentile(engine, 50) if engine else None,
            "engine_p95": _percentile(engine, 95) if engine else None,
        }
    return {"run": run, "seconds": elapsed, "by_kind": by_kind}


def _percentile(values, p):
    """Nearest rank: the smallest value with at least p % of the values at or below it."""
    if not values:
        return None
    return values[max(0, ceil(p / 100 * len(values)) - 1)]


# --- the report -------------------------------------------------------------------------------------


def _spread(values, digits=0):
    values = [v for v in values if v is not None]
    if not values:
        return "–"
    return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def _median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def _mark(ok):
    return "✓" if ok else "✗"


def _command(argv):
    return command_line("tests.benchmarks.latency", argv)


def _kind_stats(measured, kind):
    runs = [run["by_kind"][kind] for run in measured["runs"] if kind in run["by_kind"]]
    return {
        "p50": [r["p50"] for r in runs], "p95": [r["p95"] for r in runs], "p99": [r["p99"] for r in runs],
        "rps": [r["rps"] for r in runs], "errors": sum(r["errors"] for r in runs),
        "requests": sum(r["requests"] for r in runs),
        "error_kinds": {k: sum(r["error_kinds"].get(k, 0) for r in runs) for r in runs for k in r["error_kinds"]},
        "engine_p95": [r["engine_p95"] for r in runs], "engine_answers": sum(r["engine_answers"] for r in runs),
        "ratio": [r["p95"] / r["engine_p95"] if r["engine_p95"] else None for r in runs],
    }


def report(args, argv, results, mix, started):
    host = machine()
    ok = [r for r in results if "error" not in r]
    versions = next((r["versions"] for r in ok), {})
    mix_id = hashlib.sha256(json.dumps(mix, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:12]
    kinds = {kind: sum(1 for q in mix if q["kind"] == kind) for kind in dict.fromkeys(q["kind"] for q in mix)}
    lines = [f"## Search and page latency — {started:%Y-%m-%d %H:%M} UTC", "",
             f"Command: `{_command(argv)}`", "",
             f"Machine: `{host['uname']}`; {host['nproc']} CPUs; {host['memory']}.",
             f"Versions: PostgreSQL {versions.get('postgresql', '?')}, Elasticsearch "
             f"{versions.get('elasticsearch', '?')}, Python {versions.get('python', '?')}, gunicorn "
             f"{versions.get('gunicorn', '?')} ({args.workers} sync workers), Django {versions.get('django', '?')}; "
             "all on this machine.", "",
             f"Load: {args.clients} clients in a closed loop against gunicorn on loopback (DEBUG off, log level "
             f"warning, search throttle lifted, no worker recycling); a warm-up, then {args.repeat} runs of "
             f"{args.seconds:g} s per figure. Medians over the runs with the spread (min–max); times in ms from "
             "sending a request to having read the answer; nearest-rank percentiles.",
             f"Query mix `{mix_id}`: {len(mix)} searches drawn with seed {args.seed} from the generated "
             f"{MIX_NETWORK_SIZE:,}-firm network, the same at every size and on both backends ("
             + ", ".join(f"{n} {kind}" for kind, n in kinds.items())
             + "; see tests/benchmarks/latency.py); each with words, two filters, 20 results and all facets. "
             f"Examples: " + "; ".join(f"`{urlencode(q['params'])}`" for q in mix[:3]) + ".", ""]
    for r in results:
        if "error" in r:
            lines += [f"**{r['size']:,} firms failed:** `{r['error'][:500]}`", ""]
        if r.get("left_behind"):
            lines += [f"**{r['size']:,} firms: the Elasticsearch indices `{r['left_behind']}` could not be deleted "
                      "(the engine did not answer); delete them by hand.**", ""]
    if ok:
        lines.append("Data: " + "; ".join(
            f"{r['size']:,} firms (`{r['database']}`, {r['public']:,} public, index built in "
            f"{r['index']['seconds']:.1f} s)" for r in ok) + ".")
        lines.append("")

    # The API.
    rows = []
    for r in ok:
        for backend in ("elasticsearch", "database"):
            measured = r["load"].get(backend, {}).get("api")
            if measured:
                rows.append((r["size"], backend, _kind_stats(measured, "api")))
    if rows:
        lines += ["### Search API", "",
                  f"`GET {API_PATH}?q=…&<two filters>&page_size=20`. Engine `took`: Elasticsearch's own time for the "
                  "same requests, from the response's `Server-Timing: engine;dur=…`.", "",
                  "| backend | firms | p50 ms | p95 ms | p99 ms | requests/s | errors (goal 0) "
                  "| engine took p95 ms | API p95 / took p95 (goal ≤ 3) |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for size, backend, s in rows:
            errors = f"{s['errors']} of {s['requests']} {_mark(s['errors'] == 0)}"
            if s["error_kinds"]:
                errors += " (" + ", ".join(f"{k}: {n}" for k, n in s["error_kinds"].items()) + ")"
            if backend == "elasticsearch":
                ratio = _median(s["ratio"])
                engine = _spread(s["engine_p95"])
                ratio_cell = (f"**{_spread(s['ratio'], 1)}** {_mark(ratio <= GOAL_API_OVER_ENGINE)}"
                              if ratio is not None else "– (no engine time)")
                if s["engine_answers"] < s["requests"] - s["errors"]:
                    ratio_cell += f" ({s['requests'] - s['engine_answers']} answers without an engine time)"
            else:
                engine = ratio_cell = "n/a"
            lines.append(f"| {backend} | {size:,} | {_spread(s['p50'])} | **{_spread(s['p95'])}** "
                         f"| {_spread(s['p99'])} | {_spread(s['rps'], 1)} | {errors} | {engine} | {ratio_cell} |")
        lines.append("")
        growth = []
        for backend in ("elasticsearch", "database"):
            p95 = {size: _median(s["p95"]) for size, b, s in rows if b == backend}
            sizes = sorted(p95)
            for small, large in zip(sizes, sizes[1:]):
                ratio = p95[large] / p95[small]
                goal = (f" (goal ≤ {GOAL_GROWTH:g}) {_mark(ratio <= GOAL_GROWTH)}"
                        if (small, large) == GOAL_GROWTH_SIZES else
                        f" (the goal, ≤ {GOAL_GROWTH:g}, is for {GOAL_GROWTH_SIZES[1]:,} against "
                        f"{GOAL_GROWTH_SIZES[0]:,})")
                growth.append(f"- {backend}: p95({large:,}) / p95({small:,}) = **{ratio:.2f}** for "
                              f"{large / small:g}× the firms{goal}.")
        if growth:
            lines += ["Growth of the API's p95 with the network:", ""] + growth + [""]

    # SQL statements.
    if ok:
        names = list(ok[0]["in_process"]["queries"])
        lines += ["### SQL statements per request", "",
                  f"In-process (Django's test client, CaptureQueriesContext) on the first {args.probe} searches of "
                  "the mix, at each size: how many requests sent how many statements. The goal is a number that "
                  "grows neither with the directory nor with the words: the same most at every size, and the "
                  "same count when each search's words are said twice (much the same search; a statement per word "
                  "would show). Within a size, a request that finds nothing has no hits or city names to read, "
                  "and on the database backend words nobody used cost a look-up of their neighbours.", "",
                  "| request | " + " | ".join(f"{r['size']:,} firms" for r in ok)
                  + " | the same most at every size (goal) | the same with the words twice (goal) |",
                  "| --- | " + " | ".join("---:" for _ in ok) + " | --- | --- |"]
        for name in names:
            counts = [r["in_process"]["queries"][name] for r in ok]
            cells = [", ".join(f"{n} (×{c.count(n)})" for n in sorted(set(c), reverse=True)) for c in counts]
            twice = [r["in_process"].get("queries_words_twice", {}).get(name) for r in ok]
            if all(t is not None for t in twice):
                differ = sum(a != b for r, t in zip(ok, twice) for a, b in zip(r["in_process"]["queries"][name], t))
                words = f"{_mark(not differ)}" + (f" ({differ} searches sent more)" if differ else "")
            else:
                words = "–"
            lines.append(f"| {name} | " + " | ".join(cells)
                         + f" | {_mark(len({max(c) for c in counts}) == 1)} | {words} |")
        statuses = {}
        for r in ok:
            for code, n in r["in_process"]["statuses"].items():
                statuses[code] = statuses.get(code, 0) + n
        lines += ["", "In-process answers by status: " + ", ".join(f"{k}: {n}" for k, n in sorted(statuses.items()))
                  + ".", ""]

    # The database backend's memory.
    memory_rows = [r for r in ok if r["load"].get("database", {}).get("api")]
    if memory_rows:
        lines += ["### Database backend: memory per request", "",
                  "tracemalloc: the peak of Python allocations during one API request, in-process, over the "
                  f"first {args.probe} searches (after a warm-up pass). Workers: each gunicorn worker's peak "
                  "resident set during the runs (VmHWM, reset after the warm-up) minus its resident set before "
                  "them; the largest of the workers.", "",
                  "| firms | p95 ms | tracemalloc peak per request MiB, median (max) | worker RSS before MiB "
                  "| worker RSS growth over the runs MiB |",
                  "| ---: | ---: | ---: | ---: | ---: |"]
        for r in memory_rows:
            measured = r["load"]["database"]["api"]
            peaks = r["in_process"]["database_tracemalloc_peak_mib"]
            before, after = measured["rss_before_kib"], measured["peaks_kib"]
            growth = [(after[pid] - before[pid]) / 1024 for pid in before if before.get(pid) and after.get(pid)]
            resident = [v / 1024 for v in before.values() if v]
            lines.append(f"| {r['size']:,} | {_spread(_kind_stats(measured, 'api')['p95'])} "
                         f"| {statistics.median(peaks):.2f} ({max(peaks):.2f}) "
                         f"| {max(resident):.0f} | {max(growth, default=0):.1f} |")
        lines.append("")

    # Pages.
    page_rows = [r for r in ok if r["load"].get("elasticsearch", {}).get("page")]
    if page_rows:
        lines += ["### Directory page", "",
                  f"`GET {PAGE_PATH}?q=…&<two filters>` on Elasticsearch, the same searches; each client "
                  "alternates the full page and the htmx partial (`HX-Request: true`, the results and facets "
                  "only), so both are measured under the same load.", "",
                  "| firms | answer | p50 ms | p95 ms | p99 ms | requests/s | errors (goal 0) |",
                  "| ---: | --- | ---: | ---: | ---: | ---: | ---: |"]
        for r in page_rows:
            measured = r["load"]["elasticsearch"]["page"]
            for kind, label in (("full", "full page"), ("htmx", "htmx partial")):
                s = _kind_stats(measured, kind)
                lines.append(f"| {r['size']:,} | {label} | {_spread(s['p50'])} | **{_spread(s['p95'])}** "
                             f"| {_spread(s['p99'])} | {_spread(s['rps'], 1)} "
                             f"| {s['errors']} of {s['requests']} {_mark(s['errors'] == 0)} |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    sys.exit(main())
