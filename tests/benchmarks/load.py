"""The load test: concurrent users on the real web server and workers, every
answer checked, and every acknowledged action found in the database (and the
search engine) afterwards.

    DATABASE_URL=postgres://postgres@127.0.0.1:54329/postgres REDIS_URL=redis://127.0.0.1:63799/12 \\
    ELASTICSEARCH_URL=http://127.0.0.1:9200 \\
        .venv/bin/python -m tests.benchmarks.load [--sizes 2000] [--users 50] [--seconds 60] \\
        [--web-concurrency 3] [--think 1.0] [--output BENCHMARKS.md]

For each size, on a fresh copy of the prepared network (tests/benchmarks/
dataset.py; import it first with `python -m tests.benchmarks.dataset --size N`):

1. setup, in a child process: the Elasticsearch index under a prefix of the
   run's own (`get_search_backend().rebuild()`); a full matching run
   (`matching.runs.run_matching_now(full=True)`), which proposes the
   introductions staff will work on; accounts for staff and for the owners of
   firms chosen from those proposals (both sides of a proposal where it can),
   handed their firms with `directory.services.assign_owner`, their email
   addresses verified as allauth wants. Every account of the run shares one
   random password, hashed once: the hash is deliberately slow (about 0.4 s
   here) and the accounts live only as long as the copy.
2. the real parts: gunicorn (config/gunicorn.py, bound to 127.0.0.1 only,
   `--web-concurrency` processes) and one Celery worker (solo pool) for each
   of the indexing, matching and email queues (queues of the run's own), with
   the Elasticsearch backend and email written to files in a scratch
   directory, never sent. Every visitor comes from 127.0.0.1, so the
   anonymous search throttle (60 a minute per address) is raised for the run
   with SEARCH_RATE; nothing else is changed.
3. signing in (outside the measured window): owners and staff get an API
   token from POST /api/v1/auth/token/; the owners who use the pages sign in
   at /en/accounts/login/ (session and CSRF cookie). Then a warm-up: each
   gunicorn process reads the glossary on its first search.
4. `--seconds` of load by `--users` threads, each a person waiting a random
   0.5–1.5 × `--think` seconds between actions (they start spread over the
   first two seconds):
   * visitors of the pages (40 %): /<lang>/directory/?q=…, profiles
     /<lang>/b/<slug>/, the home page, city pages, and an address without a
     language (expected: a redirect to one);
   * API searchers (20 %): /api/v1/search/, suggest, /api/v1/businesses/<slug>/,
     and now and then page=0 (expected: 400);
   * owners on the API (20 %, token): PATCH their firm's description (a unique
     word each time), read their inbox and accept or decline introductions
     awaiting them, now and then an invalid edit (a founding year in the
     future; expected: 400);
   * owners on the pages (12 %, session): their desk, the edit form read and
     posted back with a new description (expected: a redirect to the desk,
     which says "saved"), their introductions page and its accept/decline forms;
   * staff on the API (the rest, at least one; token): the proposal queue,
     one proposal at a time approved or dismissed, now and then approving
     one already approved (expected: 409).
   Who answers what is fixed in advance, so no two people race for one
   answer: a proposal whose id is divisible by 4 is declined by its first
   firm (business_a) and left alone by the second; the others are accepted
   by both. Staff split the proposals between them by id.
5. afterwards, in a child process: wait for the search outbox and the email
   outbox to empty, then compare what was acknowledged with the rows: each
   edited firm's description ends with the word of its last acknowledged
   edit, in the database and in the engine; one "edited" event per
   acknowledged edit; one introduction event per acknowledged approval,
   dismissal, acceptance and decline, and the statuses they imply; every
   email promised during the run sent. Error lines in the logs of gunicorn
   and the workers are counted.

Reported: requests per second, and per kind of request the count, p50, p95
and max latency against its goal, and the errors (any answer but the expected
one, or no answer). Everything started is stopped and removed at the end,
whatever happens.
"""

import argparse
import itertools
import json
import os
import random
import re
import secrets
import string
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

from .run import ROOT, _log, machine
from .stack import (
    Stack, command_line, elasticsearch_version, free_port, http_ok, mark, percentile, postgresql_version, run_sizes,
    template_ready, wait_for,
)

LANGUAGES = ["en", "es", "ko", "zh-hant", "pl", "am"]
# Goals (this benchmark's): no error at all; p95 of a read within 1 s and of a
# write (an edit, an answer, an approval) within 2 s on this 2-core machine
# with 50 people; every acknowledged action in the database and, for edits,
# in the search engine.
GOAL_READ_P95_MS = 1000
GOAL_WRITE_P95_MS = 2000
REQUEST_TIMEOUT_S = 30
DRAIN_LIMIT_S = 90


def main(argv=None):
    args = _parse(argv)
    if args.setup:
        return _setup(args)
    if args.verify:
        return _verify(args)
    return run_sizes(args, argv, name="load", run_size=_run_size, report=report)


def _parse(argv):
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="2000")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between a person's actions")
    parser.add_argument("--web-concurrency", type=int, default=3,
                        help="gunicorn processes (default 3: config/gunicorn.py's default, for 2 cores)")
    parser.add_argument("--output", default="BENCHMARKS.md")
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--verify", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--plan", help=argparse.SUPPRESS)
    parser.add_argument("--acks", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def roles(users):
    """How many people of each kind: visitors, API searchers, owners (API, pages), staff."""
    browsers = round(users * 0.40)
    searchers = round(users * 0.20)
    api_owners = round(users * 0.20)
    page_owners = round(users * 0.12)
    staff = max(1, users - browsers - searchers - api_owners - page_owners)
    return {"browser": browsers, "searcher": searchers, "api_owner": api_owners, "page_owner": page_owners,
            "staff": staff}


# --- the parent: one size ------------------------------------------------------------------------


def _run_size(args, size, scratch):
    tag = f"[load {size}]"
    if not template_ready(size, args.seed):
        _log(f"{tag} the network of {size} firms is not imported (or out of date); skipped")
        return {"size": size, "error": f"no current network of {size} firms: run "
                                       f"`python -m tests.benchmarks.dataset --size {size}` first"}
    run_dir = scratch / str(size)
    (run_dir / "mail").mkdir(parents=True)
    stack = Stack(size=size, seed=args.seed, name="users", redis_url=os.environ["REDIS_URL"],
                  elasticsearch_url=os.environ["ELASTICSEARCH_URL"], scratch=run_dir)
    result = {"size": size}
    try:
        _log(f"{tag} copying the network's database")
        stack.copy_database()
        password = secrets.token_urlsafe(18)
        port = free_port()
        env = stack.environment(
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50), WEB_CONCURRENCY=args.web_concurrency, PORT=port,
            SEARCH_RATE="100000/minute", LOAD_PASSWORD=password,
        )
        plan_file, acks_file, verify_file = run_dir / "plan.json", run_dir / "acks.json", run_dir / "verify.json"
        _log(f"{tag} setup: index, matching run, accounts")
        _child(["--setup", "--size", str(size), "--users", str(args.users), "--plan", str(plan_file)], env)
        plan = json.loads(plan_file.read_text())
        result["setup"] = plan["summary"]

        _log(f"{tag} starting workers (indexing, matching, email) and gunicorn ({args.web_concurrency} processes) "
             f"on 127.0.0.1:{port}")
        for kind in ("indexing", "matching", "email"):
            stack.start_worker(kind, env)
        # INFO, as in production: the request log gives each request's time in the application.
        stack.start("gunicorn", [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py",
                                 "--bind", f"127.0.0.1:{port}", "config.wsgi:application"],
                    {**env, "LOG_LEVEL": "INFO"})
        base = f"http://127.0.0.1:{port}"
        started = time.monotonic()
        wait_for(lambda: http_ok(f"{base}/healthz"), timeout=120, what="gunicorn to answer /healthz", stack=stack)
        result["server_start_s"] = time.monotonic() - started

        load = Load(base=base, plan=plan, password=password, args=args, stack=stack)
        load.sign_in()
        load.warm_up()
        load.run()
        result["load"] = load.summary(_server_times(stack.log_text("gunicorn")))
        acks_file.write_text(json.dumps(load.acks()))
        stack.check_alive()

        _log(f"{tag} checking that nothing was lost")
        _child(["--verify", "--size", str(size), "--plan", str(plan_file), "--acks", str(acks_file),
                "--result", str(verify_file)], env)
        result["verify"] = json.loads(verify_file.read_text())
        result["logs"] = {name: _error_lines(stack.log_text(name)) for name in stack.processes}
        result["versions"] = {"elasticsearch": elasticsearch_version(stack.elasticsearch_url),
                              "postgresql": postgresql_version(stack.database_url)}
        result["mail_files"] = len(list((run_dir / "mail").iterdir()))
    except Exception as error:
        result["error"] = f"{type(error).__name__}: {error}"
        _log(f"{tag} failed: {result['error']}")
        for name in stack.processes:
            _log(f"{tag} the end of {name}'s log:\n{stack.tail(name, 3000)}")
    finally:
        _log(f"{tag} cleaning up")
        stack.close()
    return result


def _child(arguments, env):
    completed = subprocess.run([sys.executable, "-m", "tests.benchmarks.load", *arguments], cwd=ROOT, env=env)
    if completed.returncode:
        raise RuntimeError(f"`{' '.join(arguments[:1])}` exited with status {completed.returncode}")


def _server_times(text):
    """{request id: milliseconds in the application} from the server's request log."""
    times = {}
    for line in text.splitlines():
        if line.startswith("{") and '"aurora.request"' in line:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if "duration_ms" in record:
                times[record.get("request_id")] = record["duration_ms"]
    return times


def _error_lines(text):
    """The records at ERROR or above in a JSON-lines log, and anything else that is not JSON (a traceback)."""
    errors = []
    for line in text.splitlines():
        if line.startswith("{"):
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if record.get("level") in ("ERROR", "CRITICAL"):
                errors.append(record.get("message", line)[:300])
        elif "Traceback" in line or "Error" in line:
            errors.append(line[:300])
    return errors


# --- the people ---------------------------------------------------------------------------------


class FormReader(HTMLParser):
    """The forms of a page as a browser would post them: action, method and
    the fields (checked boxes only, a select's chosen option, textareas)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._textarea, self._select = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self._form = {"action": attributes.get("action") or "",
                          "method": (attributes.get("method") or "get").lower(), "fields": []}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            kind, name = (attributes.get("type") or "text").lower(), attributes.get("name")
            if not name or kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self._form["fields"].append((name, attributes.get("value") or default))
        elif tag == "textarea":
            self._textarea = [attributes.get("name"), ""]
        elif tag == "select":
            self._select = {"name": attributes.get("name"), "chosen": None, "first": None}
        elif tag == "option" and self._select is not None:
            value = attributes.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in attributes:
                self._select["chosen"] = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            # A browser drops the one newline that follows <textarea>.
            self._form["fields"].append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = self._select["chosen"] if self._select["chosen"] is not None else self._select["first"]
            if self._select["name"] and chosen is not None:
                self._form["fields"].append((self._select["name"], chosen))
            self._select = None
        elif tag == "form":
            self._form = None


def forms_of(html):
    reader = FormReader()
    reader.feed(html)
    return reader.forms


MESSAGE = re.compile(r'<p class="message (\w+)">(.*?)</p>', re.S)


@dataclass
class Record:
    kind: str
    category: str  # read, write, sign-in, warm-up
    ms: float
    ok: bool
    note: str
    in_window: bool
    request_id: str = None


class Load:
    """The people, their sign-in, the measured window, and what they saw."""

    def __init__(self, *, base, plan, password, args, stack):
        self.base, self.plan, self.password, self.args, self.stack = base, plan, password, args, stack
        self.lock = threading.Lock()
        self.records = []  # Record
        self.ids = itertools.count(1)
        self.edits = []  # (firm id, word, sequence, via)
        self.answers = []  # (introduction id, action, username, firm id)
        self.decisions = []  # (introduction id, action, username)
        self.window = None
        self.people = []
        rng = random.Random(f"load-{args.seed}")
        for user in plan["users"]:
            self.people.append(Person(self, user, random.Random(rng.random())))
        self.tokens = {}

    # --- recording -----------------------------------------------------------------------

    def request(self, session, kind, category, method, path, *, expect=(200,), note_on=None, **kwargs):
        """One request; returns the response or None. An answer outside `expect`
        (or none at all) is an error of this kind."""
        import requests

        # The request log of the server (config.request_log) keeps this id, with the time it spent.
        request_id = f"load-{next(self.ids)}"
        headers = {"X-Request-ID": request_id, **kwargs.pop("headers", {})}
        started = time.monotonic()
        try:
            response = session.request(method, urljoin(self.base, path), timeout=REQUEST_TIMEOUT_S,
                                        allow_redirects=False, headers=headers, **kwargs)
        except requests.RequestException as error:
            self._record(kind, category, started, False, f"{type(error).__name__}: {str(error)[:160]}", request_id)
            return None
        ok = response.status_code in expect
        note = "" if ok else f"{response.status_code} {method} {path}: {response.text[:200]!r}"
        if ok and note_on is not None:
            try:
                problem = note_on(response)
            except ValueError as error:  # not the JSON it should be
                problem = f"unreadable answer: {error}"
            if problem:
                ok, note = False, f"{response.status_code} {method} {path}: {problem}"
        self._record(kind, category, started, ok, note, request_id)
        return response

    def _record(self, kind, category, started, ok, note, request_id=None):
        finished = time.monotonic()
        in_window = self.window is not None and self.window[0] <= started < self.window[1]
        with self.lock:
            self.records.append(Record(kind, category, (finished - started) * 1000, ok, note, in_window, request_id))

    # --- phases -----------------------------------------------------------------------------

    def sign_in(self):
        signing = [person for person in self.people if person.role != "browser" and person.role != "searcher"]
        _log(f"signing in {len(signing)} people (tokens and sessions)")
        started = time.monotonic()
        self._together([person.sign_in for person in signing])
        self.sign_in_s = time.monotonic() - started
        missing = [person.username for person in signing if not person.signed_in]
        if missing:
            raise RuntimeError(f"{len(missing)} people could not sign in: {', '.join(missing[:5])}")

    def warm_up(self):
        """Every gunicorn process reads the glossary on its first search: ask
        each kind of page a few times at once until they answer quickly."""
        import requests

        started = time.monotonic()
        term = self.plan["terms"][0]
        slug = self.plan["slugs"][0]
        paths = [f"/en/directory/?q={term}", f"/api/v1/search/?q={term}", f"/api/v1/search/suggest/?q={term[:4]}",
                 f"/en/b/{slug}/", "/en/"]
        def ask(path):
            with requests.Session() as session:
                self.request(session, "warm-up", "warm-up", "GET", path)

        self._together([lambda p=p: ask(p) for p in paths * self.args.web_concurrency])
        self.warm_up_s = time.monotonic() - started
        _log(f"warmed up in {self.warm_up_s:.1f} s")

    def run(self):
        _log(f"load: {len(self.people)} people for {self.args.seconds:g} s "
             f"({', '.join(f'{n} {k}' for k, n in self.plan['roles'].items())})")
        start = time.monotonic() + 0.5
        self.window = (start, start + self.args.seconds)
        threads = [threading.Thread(target=person.live, name=person.username, daemon=True) for person in self.people]
        for thread in threads:
            thread.start()
        done = threading.Event()
        reporter = threading.Thread(target=self._progress, args=(done,), daemon=True)
        reporter.start()
        try:
            for thread in threads:
                thread.join(timeout=self.args.seconds + REQUEST_TIMEOUT_S * 3)
        finally:
            done.set()
        self.finished = time.monotonic()
        stuck = [thread.name for thread in threads if thread.is_alive()]
        if stuck:
            raise RuntimeError(f"{len(stuck)} people never finished: {', '.join(stuck[:5])}")

    def _progress(self, done):
        while not done.wait(10):
            with self.lock:
                started = [r for r in self.records if r.in_window]
            failed = sum(1 for r in started if not r.ok)
            elapsed = max(0.0, min(time.monotonic(), self.window[1]) - self.window[0])
            _log(f"load: {elapsed:.0f} s, {len(started)} requests, {failed} errors")

    @staticmethod
    def _together(calls):
        threads = [threading.Thread(target=call, daemon=True) for call in calls]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    # --- results ------------------------------------------------------------------------------

    def summary(self, server_ms):
        """Per kind of request: the latencies seen by the people and, from the
        server's request log, the time spent in the application (the rest is
        waiting for a free gunicorn process, and the network)."""
        window = [r for r in self.records if r.in_window]
        outside = [r for r in self.records if not r.in_window]
        kinds = defaultdict(list)
        for record in window:
            kinds[(record.kind, record.category)].append(record)
        table = []
        for (kind, category), rows in sorted(kinds.items(), key=lambda item: (item[0][1], item[0][0])):
            times = [r.ms for r in rows]
            served = [server_ms[r.request_id] for r in rows if r.request_id in server_ms]
            errors = [r.note for r in rows if not r.ok]
            table.append({"kind": kind, "category": category, "count": len(rows), "errors": len(errors),
                          "error_samples": errors[:3], "p50_ms": percentile(times, 0.5),
                          "p95_ms": percentile(times, 0.95), "max_ms": max(times),
                          "server_p50_ms": percentile(served, 0.5), "server_p95_ms": percentile(served, 0.95)})
        outside_errors = [r.note for r in outside if not r.ok]
        elapsed = self.window[1] - self.window[0]
        all_served = [server_ms[r.request_id] for r in window if r.request_id in server_ms]
        return {
            "kinds": table, "requests": len(window), "errors": sum(row["errors"] for row in table),
            # Every request of each kind, the last ones of an action begun in the window included.
            "sent": dict(Counter(r.kind for r in self.records)),
            "requests_per_s": len(window) / elapsed, "seconds": elapsed,
            "p50_ms": percentile([r.ms for r in window], 0.5), "p95_ms": percentile([r.ms for r in window], 0.95),
            "server_p50_ms": percentile(all_served, 0.5), "server_p95_ms": percentile(all_served, 0.95),
            "server_logged": len(all_served),
            "drain_after_window_s": self.finished - self.window[1],
            "outside_window": {"requests": len(outside), "errors": len(outside_errors),
                               "error_samples": outside_errors[:5]},
            # A fresh gunicorn process reads the glossary on its first search: the slowest warm-up requests show it.
            "warm_up_slowest_ms": sorted((server_ms[r.request_id] for r in outside
                                          if r.category == "warm-up" and r.request_id in server_ms), reverse=True)[:3],
            "sign_in_server_p50_ms": percentile([server_ms[r.request_id] for r in outside
                                                 if r.category == "sign-in" and r.request_id in server_ms], 0.5),
            "sign_in_s": self.sign_in_s, "warm_up_s": self.warm_up_s,
            "acknowledged": {"edits": len(self.edits),
                             "answers": dict(Counter(action for _, action, _, _ in self.answers)),
                             "decisions": dict(Counter(action for _, action, _ in self.decisions))},
        }

    def acks(self):
        return {"edits": self.edits, "answers": self.answers, "decisions": self.decisions}

    def acknowledge(self, kind, row):
        with self.lock:
            getattr(self, kind).append(row)


class Person:
    """One user thread: a role, a session, and the loop of its role."""

    def __init__(self, load, user, rng):
        import requests

        self.load, self.rng = load, rng
        self.username, self.role = user["username"], user["role"]
        self.firm = user.get("firm")  # {"id", "slug", "base"}
        self.queue = list(user.get("queue", []))
        self.session = requests.Session()
        self.session.headers["Accept-Language"] = "en"
        self.signed_in = self.role in ("browser", "searcher")
        self.sequence = 0
        self.approved = []

    # --- helpers ------------------------------------------------------------------------------

    def get(self, kind, path, category="read", **kwargs):
        return self.load.request(self.session, kind, category, "GET", path, **kwargs)

    def csrf(self):
        return self.session.cookies.get("csrftoken", "")

    def referer(self, path):
        # As a browser sends it: percent-encoded (slugs may hold any letter; headers are Latin-1).
        return {"Referer": urljoin(self.load.base, quote(urlsplit(path).path))}

    def word(self):
        self.sequence += 1
        return "zq" + "".join(self.rng.choices(string.ascii_lowercase, k=10))

    def new_description(self, word):
        base = self.firm["base"][: self.load.plan["description_limit"] - len(word) - 1].rstrip()
        return f"{base} {word}"

    # --- signing in ----------------------------------------------------------------------------

    def sign_in(self):
        if self.role == "page_owner":
            self.get("sign-in: page", "/en/accounts/login/", category="sign-in")
            response = self.load.request(
                self.session, "sign-in: page", "sign-in", "POST", "/en/accounts/login/", expect=(302,),
                data={"login": self.username, "password": self.load.password, "csrfmiddlewaretoken": self.csrf()},
                headers=self.referer("/en/accounts/login/"))
            self.signed_in = response is not None and response.status_code == 302 and "/me/" in response.headers.get(
                "Location", "")
        else:
            response = self.load.request(
                self.session, "sign-in: API token", "sign-in", "POST", "/api/v1/auth/token/",
                json={"username": self.username, "password": self.load.password})
            if response is not None and response.status_code == 200:
                self.session.headers["Authorization"] = f"Token {response.json()['token']}"
                self.signed_in = True

    # --- the loop -------------------------------------------------------------------------------

    def live(self):
        start, end = self.load.window
        time.sleep(max(0.0, start - time.monotonic()) + self.rng.uniform(0, 2))
        act = getattr(self, self.role)
        while time.monotonic() < end:
            try:
                act()
            except Exception as error:  # a bug of the script, or an answer it could not read: an error all the same
                self.load._record(f"{self.role}: unreadable answer", "read", time.monotonic(), False,
                                  f"{type(error).__name__}: {str(error)[:200]}")
            pause = self.rng.uniform(0.5, 1.5) * self.load.args.think
            time.sleep(max(0.0, min(pause, end - time.monotonic())))

    def pick(self, weights):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    # --- visitors of the pages ---------------------------------------------------------------

    def browser(self):
        plan, language = self.load.plan, self.rng.choice(LANGUAGES)
        action = self.pick({"search": 40, "profile": 35, "home": 10, "city": 10, "no language": 5})
        if action == "search":
            self.get("page: directory search", f"/{language}/directory/", params={"q": self.rng.choice(plan["terms"])})
        elif action == "profile":
            self.get("page: profile", f"/{language}/b/{self.rng.choice(plan['slugs'])}/")
        elif action == "home":
            self.get("page: home", f"/{language}/")
        elif action == "city":
            self.get("page: city", f"/{language}/cities/{self.rng.choice(plan['cities'])}/")
        else:
            self.get("page: address without a language", f"/b/{self.rng.choice(plan['slugs'])}/", expect=(302,),
                     note_on=lambda r: None if r.headers.get("Location", "").startswith("/en/b/")
                     else f"redirected to {r.headers.get('Location')!r}")

    # --- API searchers ----------------------------------------------------------------------

    def searcher(self):
        plan = self.load.plan
        action = self.pick({"search": 55, "filtered": 10, "suggest": 15, "profile": 15, "invalid": 5})
        term = self.rng.choice(plan["terms"])
        if action in ("search", "filtered"):
            params = {"q": term}
            if action == "filtered":
                params.update(side=self.rng.choice(["offers", "seeks"]), city=self.rng.choice(plan["cities"]))
            self.get("API: search", "/api/v1/search/", params=params, note_on=_from_the_engine)
        elif action == "suggest":
            self.get("API: suggest", "/api/v1/search/suggest/", params={"q": term[:4]})
        elif action == "profile":
            self.get("API: business", f"/api/v1/businesses/{self.rng.choice(plan['slugs'])}/")
        else:
            self.get("API: search, invalid page (400 expected)", "/api/v1/search/", params={"q": term, "page": 0},
                     expect=(400,))

    # --- owners on the API --------------------------------------------------------------------

    def api_owner(self):
        action = self.pick({"edit": 45, "inbox": 35, "me": 12, "invalid": 8})
        slug = self.firm["slug"]
        if action == "edit":
            word = self.word()
            text = self.new_description(word)
            response = self.load.request(
                self.session, "API: edit profile", "write", "PATCH", f"/api/v1/businesses/{slug}/",
                json={"description": text},
                note_on=lambda r: None if r.json().get("description") == text
                else "the answer shows another description")
            if response is not None and response.status_code == 200 and response.json().get("description") == text:
                self.load.acknowledge("edits", (self.firm["id"], word, self.sequence, "api"))
        elif action == "inbox":
            response = self.get("API: my introductions", "/api/v1/me/introductions/")
            if response is not None and response.status_code == 200:
                for item in response.json()["results"]:
                    if item.get("awaiting_your_answer"):
                        self.answer_api(item["id"])
                        break
        elif action == "me":
            self.get("API: me", "/api/v1/me/")
        else:
            self.load.request(self.session, "API: edit profile, invalid (400 expected)", "write", "PATCH",
                              f"/api/v1/businesses/{slug}/", json={"founded_year": 2999}, expect=(400,))

    def decision_for(self, introduction_id):
        """accept, decline, or None (leave it to the other firm): fixed in advance, see the docstring."""
        first, _ = self.load.plan["introductions"][str(introduction_id)]
        if introduction_id % 4 == 0:
            return "decline" if self.firm["id"] == first else None
        return "accept"

    def answer_api(self, introduction_id):
        action = self.decision_for(introduction_id)
        if action is None:
            return
        body = {"reason": "not now"} if action == "decline" else {}
        response = self.load.request(self.session, f"API: {action} introduction", "write", "POST",
                                     f"/api/v1/introductions/{introduction_id}/{action}/", json=body)
        if response is not None and response.status_code == 200:
            self.load.acknowledge("answers", (introduction_id, action, self.username, self.firm["id"]))

    # --- owners on the pages --------------------------------------------------------------------

    def page_owner(self):
        action = self.pick({"edit": 45, "introductions": 35, "desk": 12, "invalid": 8})
        if action == "desk":
            self.get("page: my desk", "/en/me/")
        elif action in ("edit", "invalid"):
            self.edit_page(invalid=action == "invalid")
        else:
            self.introductions_page()

    def follow(self, response, kind):
        """The page a redirect leads to, and the message it shows: (tag, text) or None."""
        location = response.headers.get("Location", "")
        page = self.get(kind, location)
        if page is None or page.status_code != 200:
            return None
        found = MESSAGE.search(page.text)
        return (found.group(1), found.group(2).strip()) if found else None

    def edit_page(self, invalid=False):
        path = f"/en/me/firms/{self.firm['slug']}/edit/"
        page = self.get("page: edit form", path)
        if page is None or page.status_code != 200:
            return
        # The profile's form, not the page's others (signing out, the language switcher).
        form = next(form for form in forms_of(page.text) if any(name == "description" for name, _ in form["fields"]))
        replaced = ("description", "founded_year") if invalid else ("description",)
        fields = [(name, value) for name, value in form["fields"] if name not in replaced]
        word = self.word()
        text = self.new_description(word)
        fields += [("description", text), ("save", "")]
        if invalid:
            fields.append(("founded_year", "2999"))
        if invalid:
            self.load.request(self.session, "page: edit posted, invalid (form shown again)", "write", "POST", path,
                              data=fields, headers=self.referer(path), expect=(200,),
                              note_on=lambda r: None if 'class="errorlist"' in r.text else "no error shown")
            return
        response = self.load.request(
            self.session, "page: edit posted", "write", "POST", path, data=fields,
            headers=self.referer(path), expect=(302,),
            note_on=lambda r: None if urlsplit(r.headers.get("Location", "")).path == "/en/me/"
            else f"sent to {r.headers.get('Location')!r} (a form error?): {_form_errors(r.text)}")
        if response is None or response.status_code != 302:
            return
        message = self.follow(response, "page: my desk")
        if message and message[0] == "success":
            self.load.acknowledge("edits", (self.firm["id"], word, self.sequence, "page"))
        else:
            self.load._record("page: edit posted, message", "write", time.monotonic(), False,
                              f"the desk said {message!r} after the edit")

    def introductions_page(self):
        page = self.get("page: my introductions", "/en/me/introductions/")
        if page is None or page.status_code != 200:
            return
        for form in forms_of(page.text):
            found = re.search(r"/introductions/(\d+)/(accept|decline)/$", form["action"])
            if not found:
                continue
            introduction_id = int(found.group(1))
            action = self.decision_for(introduction_id)
            if action != found.group(2):
                continue
            fields = [(name, value) for name, value in form["fields"] if name != "reason"]
            if action == "decline":
                fields.append(("reason", "not now"))
            response = self.load.request(
                self.session, f"page: {action} introduction", "write", "POST", form["action"], data=fields,
                headers=self.referer(page.url), expect=(302,))
            if response is not None and response.status_code == 302:
                message = self.follow(response, "page: my introductions")
                if message and message[0] == "success":
                    self.load.acknowledge("answers", (introduction_id, action, self.username, self.firm["id"]))
                else:
                    self.load._record(f"page: {action} introduction, message", "write", time.monotonic(), False,
                                      f"the page said {message!r}")
            return

    # --- staff ----------------------------------------------------------------------------------

    def staff(self):
        action = self.pick({"decide": 60, "queue": 30, "invalid": 10})
        if action == "queue" or (action == "decide" and not self.queue):
            self.get("API: staff queue", "/api/v1/introductions/", params={"status": "proposed", "ordering": "-score"})
        elif action == "invalid" and self.approved:
            introduction_id = self.rng.choice(self.approved)
            self.load.request(self.session, "API: approve again (409 expected)", "write", "POST",
                              f"/api/v1/introductions/{introduction_id}/approve/", json={}, expect=(409,))
        elif self.queue:
            introduction_id = self.queue.pop(0)
            detail = self.get("API: introduction", f"/api/v1/introductions/{introduction_id}/")
            if detail is None or detail.status_code != 200 or detail.json()["status"] != "proposed":
                return
            if introduction_id % 5 == 4:
                response = self.load.request(
                    self.session, "API: dismiss introduction", "write", "POST",
                    f"/api/v1/introductions/{introduction_id}/dismiss/",
                    json={"reason": self.load.plan["dismiss_reason"], "note": "load test"})
                if response is not None and response.status_code == 200:
                    self.load.acknowledge("decisions", (introduction_id, "dismiss", self.username))
            else:
                response = self.load.request(self.session, "API: approve introduction", "write", "POST",
                                             f"/api/v1/introductions/{introduction_id}/approve/", json={})
                if response is not None and response.status_code == 200:
                    self.load.acknowledge("decisions", (introduction_id, "approve", self.username))
                    self.approved.append(introduction_id)


def _from_the_engine(response):
    backend = response.json().get("backend")
    return None if backend == "elasticsearch" else f"answered by {backend!r}, not Elasticsearch"


def _form_errors(html):
    return "; ".join(re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", html)[:3])


# --- setup: a child process with Django ----------------------------------------------------------


def _setup(args):
    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from directory import services
    from directory.models import Business, City
    from matching import runs
    from matching.models import Introduction
    from search.backends import get_search_backend

    tag = f"[load {args.size}]"
    rng = random.Random(f"load-setup-{args.size}")
    summary = {}
    started = time.perf_counter()
    built = get_search_backend().rebuild()
    summary["rebuild_s"], summary["documents"] = time.perf_counter() - started, built["documents"]
    _log(f"{tag} index built: {built['documents']} documents in {summary['rebuild_s']:.1f} s; matching")
    started = time.perf_counter()
    run = runs.run_matching_now(full=True)
    summary["matching_s"], summary["proposals"] = time.perf_counter() - started, run.proposals_created
    _log(f"{tag} matching proposed {run.proposals_created} introductions in {summary['matching_s']:.1f} s")

    counts = roles(args.users)
    User = get_user_model()
    hashed = make_password(os.environ["LOAD_PASSWORD"])
    proposals = list(Introduction.objects.filter(status=Introduction.Status.PROPOSED)
                     .order_by("-score", "pk").values_list("pk", "business_a_id", "business_b_id"))
    owners_needed = counts["api_owner"] + counts["page_owner"]
    # Owners for both firms of the best proposals first, so their answers can complete introductions.
    chosen = []
    for _, a, b in proposals:
        if len(chosen) >= owners_needed:
            break
        if a not in chosen and b not in chosen and len(chosen) + 2 <= owners_needed:
            chosen += [a, b]
    spare = [pk for pk in Business.objects.public().order_by("pk").values_list("pk", flat=True) if pk not in chosen]
    chosen += rng.sample(spare, owners_needed - len(chosen))
    firms = {b.pk: b for b in Business.objects.filter(pk__in=chosen).select_related("city")}
    owned = set(chosen)

    users = []
    with transaction.atomic():
        def account(username, is_staff):
            user = User.objects.create(username=username, email=f"{username}@load.aurora-network.example",
                                       password=hashed, is_staff=is_staff)
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
            return user

        staff = [account(f"load-staff-{i}", True) for i in range(counts["staff"])]
        # Owners on the API and on the pages, mixed, so introductions are answered both ways.
        slots = ["api_owner"] * counts["api_owner"] + ["page_owner"] * counts["page_owner"]
        rng.shuffle(slots)
        for i, (firm_id, role) in enumerate(zip(chosen, slots)):
            user = account(f"load-owner-{i}", False)
            business = services.assign_owner(actor=staff[0], business=firms[firm_id], owner=user)
            users.append({"username": user.username, "role": role, "firm": {
                "id": business.pk, "slug": business.slug, "base": business.description}})
    touching = [p for p in proposals if p[1] in owned or p[2] in owned]
    others = [p for p in proposals if not (p[1] in owned or p[2] in owned)]
    queue = [p[0] for p in touching + others]
    for i, user in enumerate(staff):
        users.append({"username": user.username, "role": "staff",
                      "queue": [pk for pk in queue if pk % len(staff) == i]})
    for role in ("browser", "searcher"):
        users += [{"username": f"{role}-{i}", "role": role} for i in range(counts[role])]

    public = list(Business.objects.public().values_list("slug", "offers_text", "offers_hs"))
    words = sorted({word.strip(".,;:()").lower() for _, text, _ in public for word in text.split()
                    if len(word.strip(".,;:()")) >= 5 and word.strip(".,;:()").isalpha()})
    codes = sorted({code[:4] for _, _, hs in public for code in (hs or [])})
    terms = rng.sample(words, min(40, len(words))) + rng.sample(codes, min(10, len(codes)))
    plan = {
        "users": users, "roles": counts, "terms": terms,
        "slugs": [slug for slug, _, _ in rng.sample(public, min(300, len(public)))],
        "cities": list(City.objects.values_list("slug", flat=True)),
        "introductions": {str(pk): [a, b] for pk, a, b in proposals},
        "dismiss_reason": Introduction.DismissReason.values[0],
        "description_limit": Business._meta.get_field("description").max_length,
        "summary": {**summary, "owned_pairs": sum(1 for p in proposals if p[1] in owned and p[2] in owned),
                    "proposals_touching_owners": len(touching), "accounts": len(users) - counts["browser"]
                    - counts["searcher"]},
        "started_at": datetime.now(timezone.utc).isoformat(),
    }
    Path(args.plan).write_text(json.dumps(plan))
    _log(f"{tag} {plan['summary']['accounts']} accounts; {len(touching)} proposals touch an owner's firm, "
         f"{plan['summary']['owned_pairs']} have owners on both sides")
    return 0


# --- verification: a child process with Django ---------------------------------------------------


def _verify(args):
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from directory.models import Business, BusinessEvent, BusinessRevision
    from matching.models import Introduction, IntroductionEvent, OutgoingEmail
    from search.backends import get_search_backend
    from search.models import OutboxEntry

    plan = json.loads(Path(args.plan).read_text())
    acks = json.loads(Path(args.acks).read_text())
    since = datetime.fromisoformat(plan["started_at"])
    result = {}

    started = time.monotonic()
    while OutboxEntry.objects.exists() and time.monotonic() - started < DRAIN_LIMIT_S:
        time.sleep(0.2)
    result["outbox_drained_s"] = time.monotonic() - started
    result["outbox_left"] = OutboxEntry.objects.count()
    due = OutgoingEmail.objects.filter(created_at__gte=since, sent_at__isnull=True, failed_at__isnull=True)
    while due.exists() and time.monotonic() - started < DRAIN_LIMIT_S:
        time.sleep(0.2)
    emails = OutgoingEmail.objects.filter(created_at__gte=since)
    result["emails"] = {"promised": emails.count(), "sent": emails.filter(sent_at__isnull=False).count(),
                        "failed": emails.filter(failed_at__isnull=False).count()}

    # Edits: the last acknowledged word of each firm, in the database and in the engine.
    last = {}
    for firm_id, word, sequence, via in acks["edits"]:
        if firm_id not in last or sequence > last[firm_id][1]:
            last[firm_id] = (word, sequence)
    descriptions = dict(Business.objects.filter(pk__in=last).values_list("pk", "description"))
    in_database = [firm_id for firm_id, (word, _) in last.items() if descriptions[firm_id].endswith(word)]
    backend = get_search_backend()
    backend.refresh()
    hits = backend.client.search(index=backend.alias, query={"ids": {"values": [str(pk) for pk in last]}},
                                 source=["description"], size=max(1, len(last)))["hits"]["hits"]
    indexed = {int(hit["_id"]): hit["_source"]["description"] for hit in hits}
    in_engine = [firm_id for firm_id, (word, _) in last.items() if (indexed.get(firm_id) or "").endswith(word)]
    owners = {user["username"] for user in plan["users"] if user["role"] in ("api_owner", "page_owner")}
    events = Counter(BusinessEvent.objects.filter(created_at__gte=since, action="edited",
                                                  actor__username__in=owners).values_list("business_id", flat=True))
    acked = Counter(firm_id for firm_id, _, _, _ in acks["edits"])
    result["edits"] = {
        "acknowledged": len(acks["edits"]), "firms": len(last), "last_in_database": len(in_database),
        "last_in_engine": len(in_engine), "events": sum(events.values()),
        "firms_with_fewer_events": sum(1 for pk in acked if events[pk] < acked[pk]),
        "firms_with_more_events": sum(1 for pk in set(acked) | set(events) if events[pk] > acked[pk]),
        # Only descriptions were edited: a change waiting for review would mean the form changed a material field.
        "revisions": BusinessRevision.objects.filter(business_id__in=[u["firm"]["id"] for u in plan["users"]
                                                                      if u.get("firm")]).count(),
    }

    # Introductions: an event for each acknowledged action, and the status it implies.
    actions = {"approve": "approved", "dismiss": "dismissed", "accept": "accepted", "decline": "declined"}
    recorded = Counter(IntroductionEvent.objects.filter(created_at__gte=since, action__in=actions.values())
                       .values_list("introduction_id", "action", "actor__username"))
    expected = Counter()
    for introduction_id, action, username in acks["decisions"]:
        expected[(introduction_id, actions[action], username)] += 1
    for introduction_id, action, username, _ in acks["answers"]:
        expected[(introduction_id, actions[action], username)] += 1
    missing = expected - recorded
    unacknowledged = recorded - expected
    statuses = dict(Introduction.objects.filter(pk__in={key[0] for key in expected}).values_list("pk", "status"))
    answered = defaultdict(set)
    for introduction_id, action, _, firm_id in acks["answers"]:
        answered[introduction_id].add((action, firm_id))
    wrong = []
    for (introduction_id, action, _), _count in expected.items():
        status = statuses.get(introduction_id)
        accepted_both = sum(1 for a, _ in answered[introduction_id] if a == "accept") == 2
        fits = {
            "dismissed": status == "dismissed",
            "approved": status in ("approved", "introduced", "declined"),
            "declined": status == "declined",
            "accepted": status == ("introduced" if accepted_both else "approved"),
        }[action]
        if not fits:
            wrong.append(f"{introduction_id}: {action} acknowledged, status {status}")
    result["introductions"] = {
        "acknowledged": sum(expected.values()), "recorded": sum((expected & recorded).values()),
        "missing": [list(key) for key in missing][:10], "missing_count": sum(missing.values()),
        "recorded_without_acknowledgement": sum(unacknowledged.values()),
        "status_mismatches": wrong[:10], "status_mismatch_count": len(wrong),
        "by_status": dict(Counter(Introduction.objects.values_list("status", flat=True))),
    }
    result["users"] = get_user_model().objects.filter(username__startswith="load-").count()
    Path(args.result).write_text(json.dumps(result, default=str))
    return 0


# --- the section ---------------------------------------------------------------------------------


def report(args, argv, results, started, load_average=""):
    host = machine()
    versions = next((r["versions"] for r in results if "versions" in r), {})
    lines = [
        f"## Load — {started:%Y-%m-%d %H:%M} UTC",
        "",
        f"Command: `{command_line('tests.benchmarks.load', argv)}`",
        "",
        f"Machine: `{host['uname']}`; {host['nproc']} CPUs; {host['memory']}; {host['python']}. {load_average}",
        f"gunicorn ({args.web_concurrency} sync processes, bound to 127.0.0.1), one Celery worker (solo pool) per "
        f"queue (indexing, matching, email), Elasticsearch {versions.get('elasticsearch', '?')}, PostgreSQL "
        f"{versions.get('postgresql', '?')}, Redis, all on this machine, together with the load's "
        f"{args.users} threads; email written to files. SEARCH_RATE raised for the run (every visitor is 127.0.0.1).",
        "",
        f"{args.users} people for {args.seconds:g} s, each waiting 0.5–1.5 × {args.think:g} s between actions, on "
        "a copy of the prepared network (tests/benchmarks/dataset.py) after a full matching run; what each "
        "does is in tests/benchmarks/load.py. Latencies are from sending a request to the end of its answer, "
        "for the requests started in the window. Goals are this benchmark's.",
        "",
    ]
    for result in results:
        size = result["size"]
        if "error" in result:
            lines += [f"**{size} firms failed:** {result['error']}", ""]
            continue
        load, verify, setup = result["load"], result["verify"], result["setup"]
        edits, intro, emails = verify["edits"], verify["introductions"], verify["emails"]
        log_errors = {name: lines_ for name, lines_ in result["logs"].items() if lines_}
        lines += [
            f"### {size:,} firms: {load['requests']:,} requests, {load['requests_per_s']:.1f}/s, "
            f"{load['errors']} errors {mark(load['errors'] == 0 and load['outside_window']['errors'] == 0)}",
            "",
            f"Roles: {', '.join(f'{n} {k}' for k, n in roles(args.users).items())}. "
            f"Setup: index {setup['rebuild_s']:.1f} s, matching {setup['matching_s']:.1f} s ({setup['proposals']} "
            f"proposals, {setup['proposals_touching_owners']} touching an owner's firm, {setup['owned_pairs']} "
            f"with owners on both sides); server up in {result['server_start_s']:.1f} s; "
            f"sign-in {load['sign_in_s']:.1f} s (in the application p50 {_ms(load['sign_in_server_p50_ms'])} ms: "
            f"the password hash); warm-up {load['warm_up_s']:.1f} s (the "
            f"slowest in the application: {', '.join(_ms(ms) for ms in load['warm_up_slowest_ms'])} ms, a process's "
            "first search reading the glossary); "
            f"the last answers came {load['drain_after_window_s']:.1f} s after the window. Outside the window "
            f"(sign-in, warm-up): {load['outside_window']['requests']} requests, "
            f"{load['outside_window']['errors']} errors.",
            "",
            f"All requests: p50 {load['p50_ms']:.0f} ms, p95 {load['p95_ms']:.0f} ms; of which in the application "
            f"(the server's request log, {load['server_logged']} requests found there): p50 "
            f"{_ms(load['server_p50_ms'])} ms, p95 {_ms(load['server_p95_ms'])} ms. The rest is waiting for a free "
            "gunicorn process.",
            "",
            "| kind | requests | errors | p50 ms | p95 ms | max ms | in the application p50 / p95 ms | goal (p95) |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for row in load["kinds"]:
            goal = {"read": GOAL_READ_P95_MS, "write": GOAL_WRITE_P95_MS}.get(row["category"])
            verdict = f"≤ {goal} {mark(row['p95_ms'] <= goal)}" if goal else "–"
            lines.append(f"| {row['kind']} | {row['count']} | {row['errors']}{' ✗' if row['errors'] else ''} "
                         f"| {row['p50_ms']:.0f} | {row['p95_ms']:.0f} | {row['max_ms']:.0f} "
                         f"| {_ms(row['server_p50_ms'])} / {_ms(row['server_p95_ms'])} | {verdict} |")
        sent = Counter()
        for kind, count in load["sent"].items():
            for action in ("edit profile", "edit posted", "approve introduction", "dismiss introduction",
                           "accept introduction", "decline introduction"):
                if kind.endswith(action):
                    sent["edits" if action.startswith("edit") else "introductions"] += count
        edits_ok = (edits["last_in_database"] == edits["firms"] == edits["last_in_engine"]
                    and edits["events"] == edits["acknowledged"] and verify["outbox_left"] == 0
                    and not edits["revisions"])
        intro_ok = intro["missing_count"] == 0 and intro["status_mismatch_count"] == 0
        emails_ok = emails["sent"] == emails["promised"] and not emails["failed"]
        lines += [
            "",
            "Nothing lost:",
            "",
            f"- edits: {sent['edits']} sent, {edits['acknowledged']} acknowledged, on {edits['firms']} firms; "
            f"the last one of each firm "
            f"in the database {edits['last_in_database']}/{edits['firms']}, in the engine {edits['last_in_engine']}/"
            f"{edits['firms']} (outbox empty {verify['outbox_drained_s']:.1f} s after the load, "
            f"{verify['outbox_left']} rows left); \"edited\" events {edits['events']} (firms with fewer than "
            f"acknowledged: {edits['firms_with_fewer_events']}, with more: {edits['firms_with_more_events']}); "
            f"changes waiting for review {edits['revisions']} {mark(edits_ok)}",
            f"- introductions: {sent['introductions']} actions sent, {intro['acknowledged']} acknowledged "
            f"({_counts({**load['acknowledged']['decisions'], **load['acknowledged']['answers']})}), "
            f"{intro['recorded']} recorded as events, {intro['missing_count']} missing, "
            f"{intro['status_mismatch_count']} with a status that does not follow, "
            f"{intro['recorded_without_acknowledgement']} recorded without an acknowledgement "
            f"{mark(intro_ok)}; statuses afterwards: {_counts(intro['by_status'])}",
            f"- emails promised during the run: {emails['promised']}, sent {emails['sent']}, "
            f"failed {emails['failed']}; "
            f"{result['mail_files']} files written {mark(emails_ok)}",
            f"- error lines in the logs: " + (", ".join(f"{name} {len(found)}" for name, found in log_errors.items())
                                              if log_errors else "none") + f" {mark(not log_errors)}",
            "",
        ]
        samples = [(row["kind"], note) for row in load["kinds"] for note in row["error_samples"]]
        samples += [("outside the window", note) for note in load["outside_window"]["error_samples"]]
        samples += [(name, line) for name, found in log_errors.items() for line in found[:3]]
        if intro["missing"] or intro["status_mismatches"]:
            samples += [("introductions", str(item)) for item in intro["missing"][:3] + intro["status_mismatches"][:3]]
        if samples:
            lines += ["Errors (first of each kind):", "", "```"]
            lines += [f"{kind}: {note}" for kind, note in samples[:20]]
            lines += ["```", ""]
    return "\n".join(lines)


def _ms(value):
    return "–" if value is None else f"{value:.0f}"


def _counts(counter):
    return ", ".join(f"{key} {value}" for key, value in sorted(counter.items())) or "none"


if __name__ == "__main__":
    sys.exit(main())
