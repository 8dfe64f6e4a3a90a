"""The real parts the outbox and load benchmarks start, and their cleanup.

A benchmark that writes works on a copy of a prepared network (dataset.py),
under an Elasticsearch index prefix and Celery queues of its own, so it never
touches another run's data. Everything started here is undone in `Stack.close()`,
whatever happened: processes stopped (their whole process group, so a gunicorn
master takes its workers with it), the prefix's indices deleted, the queues'
Redis keys removed and the copied database dropped.
"""

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from . import dataset
from .run import ROOT, _log, _mask


def template_ready(size, seed):
    """Whether the network of `size` firms was imported and is current.

    An import of a big network takes a long time and may be under way in
    another process; calling dataset.prepare() then would drop it and start
    again. So the benchmarks only use a network whose fingerprint matches and
    leave importing to `python -m tests.benchmarks.dataset`."""
    name = dataset.database_name(size, seed)
    return dataset._stamp(name) == dataset.fingerprint(size, seed)


def percentile(values, fraction):
    """Nearest-rank percentile (the value at or below which `fraction` of them lie)."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = max(1, -(-len(ordered) * fraction // 1))  # ceil
    return ordered[int(rank) - 1]


def spread(values, digits=2):
    """Median (min–max), the house style of the benchmark sections."""
    if not values:
        return "–"
    return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def mark(ok):
    return "✓" if ok else "✗"


def busy():
    """The load average (1, 5, 15 minutes) as a line of a section: other jobs may share the machine."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "Load average unknown."
    return f"Load average when the run began: {one:.2f}, {five:.2f}, {fifteen:.2f} (1, 5, 15 min)."


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def raise_on_sigterm():
    """Turn SIGTERM into SystemExit, so `finally` blocks clean up when the run is stopped."""
    def stop(signum, frame):
        raise SystemExit(f"stopped by signal {signum}")

    signal.signal(signal.SIGTERM, stop)


def elasticsearch_version(url):
    # GET / answers 404 on the distribution the tests run (no rest-root module); nodes info does not.
    with urllib.request.urlopen(f"{url.rstrip('/')}/_nodes/_local/version", timeout=10) as response:
        nodes = json.load(response)["nodes"]
    return next(iter(nodes.values()))["version"]


def postgresql_version(url):
    import psycopg

    with psycopg.connect(dataset.url_for("postgres", url), autocommit=True) as connection:
        return connection.execute("SHOW server_version").fetchone()[0]


class Stack:
    """One benchmark run's database copy, index prefix, queues and processes."""

    def __init__(self, *, size, seed, name, redis_url, elasticsearch_url, scratch):
        self.size, self.seed, self.name = size, seed, name
        self.redis_url, self.elasticsearch_url = redis_url, elasticsearch_url.rstrip("/")
        self.scratch = Path(scratch)
        token = uuid.uuid4().hex[:6]
        # Queues and the index prefix carry the run's own token: two runs never share them.
        self.queue = f"benchload-{name}-{token}"
        self.index_prefix = f"bench_load_{name}_{token}_"
        self.database_url = None
        self.processes = {}  # name -> (Popen, log path)
        self._redis_keys_before = None

    # --- the database --------------------------------------------------------------------

    def copy_database(self):
        """A fresh copy of the prepared network (CREATE DATABASE ... TEMPLATE)."""
        self._redis_keys_before = self._result_keys()
        self.database_url = dataset.copy_of(self.size, self.seed, suffix=f"load_{self.name}")
        return self.database_url

    # --- environment ------------------------------------------------------------------------

    def environment(self, **extra):
        """What every process of the run reads: the copy, Redis, the engine under
        the run's prefix, the run's queues (tests/celery_queues.py's naming)."""
        from tests.celery_queues import worker_environment

        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "SEARCH_BACKEND": "elasticsearch",
            "ELASTICSEARCH_URL": self.elasticsearch_url,
            "ELASTICSEARCH_INDEX_PREFIX": self.index_prefix,
            # Email goes to files in the run's scratch directory, never to the network.
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.scratch / "mail"),
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            **worker_environment(self.queue),
        }
        env.update({key: str(value) for key, value in extra.items()})
        return env

    # --- processes ---------------------------------------------------------------------------

    def start(self, name, argv, env):
        """Start a process in a session of its own, its output in the scratch directory."""
        log_path = self.scratch / f"{name}.log"
        with open(log_path, "ab") as log:
            process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True)
        self.processes[name] = (process, log_path)
        return process

    def start_worker(self, kind, env):
        """A real Celery worker (solo pool: one process doing the work) on one of the run's queues."""
        from config.celery import TASK_QUEUES

        if kind not in TASK_QUEUES:
            raise ValueError(f"no queue {kind!r}")
        argv = [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo",
                "-Q", f"{self.queue}.{kind}", "-n", f"{self.queue}-{kind}@%h",
                "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING"]
        return self.start(f"worker-{kind}", argv, env)

    def check_alive(self):
        """Raise if a process of the run has died."""
        for name, (process, log_path) in self.processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with status {process.returncode}:\n{self.tail(name)}")

    def tail(self, name, characters=4000):
        log_path = self.processes[name][1]
        return log_path.read_text(errors="replace")[-characters:] if log_path.exists() else "(no log)"

    def log_text(self, name):
        log_path = self.processes[name][1]
        return log_path.read_text(errors="replace") if log_path.exists() else ""

    def stop(self, name, timeout=30):
        process, _ = self.processes[name]
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            except ProcessLookupError:
                pass
        try:  # whatever the leader left behind in its group (a gunicorn worker, a celery child)
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    # --- cleanup ------------------------------------------------------------------------------

    def close(self):
        """Undo everything, each step on its own so one failure does not skip the others."""
        for name in reversed(list(self.processes)):
            self._attempt(f"stopping {name}", lambda: self.stop(name))
        self._attempt("deleting the run's Elasticsearch indices", self.delete_indices)
        self._attempt("removing the run's Redis keys", self.delete_redis_keys)
        if self.database_url:
            self._attempt(f"dropping {urlsplit(self.database_url).path.lstrip('/')}",
                          lambda: dataset.drop(self.database_url))

    @staticmethod
    def _attempt(what, step):
        try:
            step()
        except Exception as error:  # reported, and the other steps still run
            _log(f"cleanup: {what} failed: {type(error).__name__}: {error}")

    def indices(self):
        url = f"{self.elasticsearch_url}/_cat/indices/{self.index_prefix}*?format=json&h=index"
        with urllib.request.urlopen(url, timeout=30) as response:
            return [row["index"] for row in json.load(response)]

    def delete_indices(self):
        # By name: a wildcard delete is refused where action.destructive_requires_name is on.
        names = self.indices()
        if names:
            request = urllib.request.Request(f"{self.elasticsearch_url}/{','.join(names)}", method="DELETE")
            urllib.request.urlopen(request, timeout=60).close()
        if self.indices():
            raise RuntimeError(f"indices left under {self.index_prefix}")

    def _redis(self):
        import redis

        return redis.Redis.from_url(self.redis_url)

    def _result_keys(self):
        try:
            return set(self._redis().scan_iter(match="celery-task-meta-*", count=1000))
        except Exception:
            return None

    def delete_redis_keys(self):
        """The run's queues and bindings (named after it), and the task results
        it left (Celery names those by task id only: the ones not there before)."""
        client = self._redis()
        keys = set(client.scan_iter(match=f"*{self.queue}*", count=1000))
        if self._redis_keys_before is not None:
            keys |= self._result_keys() - self._redis_keys_before
        for start in range(0, len(keys), 500):
            client.delete(*list(keys)[start:start + 500])
        # The remote-control binding every worker adds itself to (kombu's fanout set): only our members.
        for exchange in ("celery.pidbox", "reply.celery.pidbox"):
            binding = f"_kombu.binding.{exchange}"
            for member in client.smembers(binding):
                if self.queue.encode() in member:
                    client.srem(binding, member)
            # kombu's expiry record of the exchange's bindings, once no worker is bound to it any more.
            if not client.exists(binding):
                client.zrem("_kombu.binding_deadlines", exchange)


def wait_for(condition, *, timeout, interval=0.2, what="a condition", stack=None):
    deadline = time.monotonic() + timeout
    while True:
        if stack is not None:
            stack.check_alive()
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def http_ok(url, timeout=2):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return 200 <= response.status < 300
    except (urllib.error.URLError, OSError):
        return False


def command_line(module, argv, environment=("DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL")):
    """The command as run, with the environment that shaped it (passwords masked)."""
    import shlex

    env = [f"{name}={shlex.quote(_mask(os.environ[name]))}" for name in environment if os.environ.get(name)]
    python = Path(sys.executable)
    try:
        python = python.relative_to(ROOT)
    except ValueError:
        pass
    args = sys.argv[1:] if argv is None else argv
    return " ".join(env + [str(python), "-m", module] + [shlex.quote(a) for a in args])


def run_sizes(args, argv, *, name, run_size, report):
    """The parent's part of a benchmark on the full stack: every size in
    turn, each given a scratch directory (run_size(args, size, scratch) ->
    result), then one report appended to the output. Exit status 1 if a size
    failed."""
    import tempfile
    from datetime import datetime, timezone

    from .run import _append

    raise_on_sigterm()
    for variable in ("DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL"):
        if not os.environ.get(variable):
            sys.exit(f"{variable} must be set (see the module's docstring)")
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    started = datetime.now(timezone.utc)
    load_average = busy()
    with tempfile.TemporaryDirectory(prefix=f"aurora-bench-{name}-") as scratch:
        results = [run_size(args, size, Path(scratch)) for size in sizes]
    output = Path(args.output) if Path(args.output).is_absolute() else ROOT / args.output
    _append(output, report(args, argv, results, started, load_average))
    _log(f"wrote a section to {output}")
    return 0 if all("error" not in result for result in results) else 1