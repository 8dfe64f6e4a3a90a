"""What every search reads can be loaded before the first search: gunicorn
does it in its master (config/gunicorn.py), so workers start with it."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHECK = """
import django
django.setup()
from directory import glossary, taxonomy
from search import analysis, query, selectors
loaded = [glossary.glossary, taxonomy.hs, taxonomy.naics, query.glossary_vocabulary, analysis._without_combining_marks]
assert not any(f.cache_info().currsize for f in loaded), "something read it at start-up already"
selectors.load_reference_data()
print(" ".join(str(f.cache_info().currsize) for f in loaded))
"""


def _environment(**extra):
    env = {key: value for key, value in os.environ.items() if key not in ("DJANGO_DEBUG", "WEB_CONCURRENCY")}
    return {**env, "DJANGO_SETTINGS_MODULE": "config.settings", **extra}


def test_the_reference_data_is_read_before_any_search():
    # A process of its own: this one may have read it for an earlier test.
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env=_environment())
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1"] * 5


def test_gunicorn_loads_it_in_the_master_before_forking_the_workers(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "gunicorn.log"
    with open(log, "w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "--bind", f"127.0.0.1:{port}",
             "config.wsgi:application"], cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
            env=_environment(DJANGO_SECRET_KEY="a-test-key-" + "x" * 40, WEB_CONCURRENCY="1",
                             DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}"))
    try:
        messages = []
        deadline = time.monotonic() + 120
        while not any(m.startswith("Booting worker") for m in messages) and time.monotonic() < deadline:
            assert server.poll() is None, log.read_text()
            time.sleep(0.5)
            messages = [json.loads(line)["message"] for line in log.read_text().splitlines() if line.startswith("{")]
    finally:
        server.terminate()
        server.wait(30)
    loaded = next(i for i, m in enumerate(messages) if m.startswith("Reference data loaded in"))
    assert loaded < next(i for i, m in enumerate(messages) if m.startswith("Booting worker"))
