"""The production processes, started with the exact commands docker-compose.yml
gives its services, on the services `make services` started: the migration
service's command, gunicorn with the production settings (HTTPS on, behind a
proxy that says so, JSON logs), a worker on each of the three queues, and
beat. One firm travels from sign-up to search to a matching proposal through
them, and /readyz follows Redis going away and coming back.

Redis is a private instance, so stopping it disturbs no other test."""

import json
import os
import re
import shutil
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import requests
from django.db import connection

from config.celery import TASK_QUEUES
from deploy.new_env import new_environment
from matching.models import Introduction
from tests.deploy.image import image_environment
from tests.deploy.compose import ENV_EXAMPLE, compose, read_env_file, service_environment
from tests.mail_server import SMTPServer

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ROOT / "tests" / "services"
REDIS_PORT = int(os.environ.get("AURORA_SMOKE_REDIS_PORT", "63812"))
REDIS_DIR = os.environ.get("AURORA_SMOKE_DIR", "/tmp/aurora-smoke")
PROCESSES = ["web", *(f"worker-{queue}" for queue in TASK_QUEUES), "beat"]

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_service(action):
    subprocess.run(["bash", str(SERVICES / "redis.sh"), action], check=True, timeout=120,
                   env={**os.environ, "AURORA_SERVICES_DIR": REDIS_DIR, "REDIS_PORT": str(REDIS_PORT)},
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_until(condition, *, timeout, message, interval=0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {message() if callable(message) else message}")


class Installation:
    """The compose services' commands and environments, pointed at this machine's services."""

    def __init__(self, tmp_path, smtp_port):
        self.tmp_path = tmp_path
        self.port = free_port()
        self.index_prefix = f"test_smoke_{uuid.uuid4().hex[:8]}_"
        env_file = read_env_file(new_environment(ENV_EXAMPLE.read_text(encoding="utf-8")))
        self.services = compose(env_file)["services"]
        db = connection.settings_dict
        redis_url = f"redis://127.0.0.1:{REDIS_PORT}"
        self.local = {
            # Where compose has its own containers, this machine's services.
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "REDIS_URL": f"{redis_url}/0",
            "CACHE_URL": f"{redis_url}/1",
            "ELASTICSEARCH_URL": os.environ.get("ELASTICSEARCH_URL", "http://127.0.0.1:9200"),
            "ELASTICSEARCH_PASSWORD": "",  # the test node runs with security off
            "ELASTICSEARCH_INDEX_PREFIX": self.index_prefix,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_USE_TLS": "false",
            "SITE_URL": f"https://127.0.0.1:{self.port}",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{self.port}",
            "PORT": str(self.port),
            "WEB_CONCURRENCY": "2",
            "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
            "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ['PATH']}",
            "HOME": os.environ.get("HOME", "/tmp"),
            "HOSTNAME": socket.gethostname(),
        }
        self.env_file = env_file
        self.processes = {}

    def environment(self, name):
        """The image's, then the env_file and the service's, then this machine's addresses."""
        return {**image_environment(), **service_environment(self.services[name], self.env_file), **self.local}

    def run(self, name, command=None, extra_environment=None, **kwargs):
        return subprocess.run(command or self.services[name]["command"], cwd=ROOT,
                              env={**self.environment(name), **(extra_environment or {})},
                              capture_output=True, text=True, **kwargs)

    def start(self, name):
        log = self.tmp_path / f"{name}.log"
        self.processes[name] = (subprocess.Popen(self.services[name]["command"], cwd=ROOT, env=self.environment(name),
                                                 stdout=open(log, "w"), stderr=subprocess.STDOUT), log)

    def log(self, name):
        return self.processes[name][1].read_text()

    def stop_all(self):
        for process, _ in self.processes.values():
            process.terminate()
        for process, _ in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


class Browser:
    """A visitor behind the TLS proxy: every request says it came over HTTPS,
    and cookies marked Secure are kept and sent back, as over HTTPS."""

    def __init__(self, installation):
        self.base = f"http://127.0.0.1:{installation.port}"
        self.origin = f"https://127.0.0.1:{installation.port}"
        self.cookies = {}
        self.token = None

    def request(self, method, path, **kwargs):
        headers = {"X-Forwarded-Proto": "https", "Origin": self.origin, "Referer": self.origin + "/", **kwargs.pop("headers", {})}
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        elif "csrftoken" in self.cookies and method != "GET":
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        response = requests.request(method, self.base + path, headers=headers, cookies=self.cookies,
                                    allow_redirects=False, timeout=60, **kwargs)
        self.cookies.update(response.cookies.get_dict())
        return response

    def form(self, path, data):
        self.request("GET", path)
        return self.request("POST", path, data={"csrfmiddlewaretoken": self.cookies["csrftoken"], **data})


@pytest.fixture
def installation(tmp_path):
    shutil.rmtree(REDIS_DIR, ignore_errors=True)
    redis_service("start")
    with SMTPServer() as smtp:
        site = Installation(tmp_path, smtp.port)
        site.smtp = smtp
        try:
            yield site
        finally:
            site.stop_all()
            redis_service("stop")
            from search.backends.elasticsearch import client

            client().indices.delete(index=f"{site.index_prefix}*", ignore_unavailable=True)


def sign_up(browser, smtp, email, password):
    response = browser.form("/en/accounts/signup/", {"email": email, "password1": password, "password2": password})
    assert response.status_code == 302, response.text[-2000:]
    message = wait_until(lambda: next((m["message"] for m in smtp.messages if email in m["to"]), None),
                         timeout=30, message=f"the confirmation email to {email}")
    link = re.search(r"https://[^/\s]+(/en/accounts/confirm-email/\S+/)", message.get_content()).group(1)
    assert browser.request("GET", link).status_code == 302
    assert browser.request("GET", "/api/v1/me/").json()["email"] == email


def list_firm(browser, **profile):
    response = browser.request("POST", "/api/v1/businesses/", json=profile)
    assert response.status_code == 201, response.text
    slug = response.json()["slug"]
    assert browser.request("POST", f"/api/v1/businesses/{slug}/submit/").status_code == 200
    return slug


def test_the_compose_commands_serve_a_firm_from_sign_up_to_search_to_a_matching_proposal(installation):
    site = installation
    migrate = site.run("migrate", timeout=300)
    assert migrate.returncode == 0, migrate.stdout + migrate.stderr
    assert "Built " in migrate.stdout  # the engine had no index for this installation: one was built

    collected = site.run("web", ["python", "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
                         timeout=300)
    assert collected.returncode == 0, collected.stderr
    for name in PROCESSES:
        site.start(name)
    browser = Browser(site)
    wait_until(lambda: _answers(browser, "/healthz"), timeout=60, message="gunicorn to answer")
    ready = browser.request("GET", "/readyz")
    assert ready.status_code == 200, ready.text
    # Production settings are in force: HTTPS only, secure cookies, the CSP, static files from WhiteNoise.
    home = browser.request("GET", "/en/")
    assert home.status_code == 200
    assert home.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "script-src 'self'" in home.headers["Content-Security-Policy"]
    stylesheet = re.search(r'href="(/static/site/site\.[0-9a-f]{12}\.css)"', home.text).group(1)
    assert browser.request("GET", stylesheet).headers["Cache-Control"] == "max-age=315360000, public, immutable"
    plain = requests.get(f"{browser.base}/en/", allow_redirects=False, timeout=30)
    assert plain.status_code == 301 and plain.headers["Location"].startswith("https://")

    # Two firms sign up and list themselves: a Chihuahua coffee exporter and an Aurora roaster buying green coffee.
    exporter, roaster = Browser(site), Browser(site)
    sign_up(exporter, site.smtp, "owner@cafe-serrano.example", "granos-de-altura-2026")
    exporter_slug = list_firm(
        exporter, name="Café Serrano de Chihuahua", city="chihuahua", description_language="es",
        description="Exportamos café verde de altura de la sierra de Chihuahua.", offers_hs=["090111"],
        offers_text="café verde en grano", trade_roles=["exporter"], contact_email="lucia@cafe-serrano.example",
    )
    sign_up(roaster, site.smtp, "buyer@frontrange-roasters.example", "front-range-roast-2026")
    roaster_slug = list_firm(
        roaster, name="Front Range Roasters", city="aurora", description="Specialty coffee roaster in Aurora.",
        seeks_hs=["090111"], seeks_text="green coffee beans", trade_roles=["importer"],
        contact_email="dana@frontrange-roasters.example",
    )

    # The first staff account is made as the README says (`docker compose exec web python manage.py
    # createsuperuser`); staff publish both firms through the API, signed in with a token.
    made = site.run("web", ["python", "manage.py", "createsuperuser", "--no-input", "--username", "moderator",
                            "--email", "moderator@aurora.example"],
                    extra_environment={"DJANGO_SUPERUSER_PASSWORD": "moderate-2026"}, timeout=120)
    assert made.returncode == 0, made.stderr
    desk = Browser(site)
    token = desk.request("POST", "/api/v1/auth/token/", data={"username": "moderator", "password": "moderate-2026"})
    assert token.status_code == 200, token.text
    desk.token = token.json()["token"]
    for slug in (exporter_slug, roaster_slug):
        published = desk.request("POST", f"/api/v1/businesses/{slug}/publish/")
        assert published.status_code == 200, published.text
        assert published.json()["status"] == "published"

    # The indexing worker puts them into Elasticsearch; an anonymous visitor finds the exporter in English.
    def found():
        response = requests.get(f"{browser.base}/api/v1/search/", params={"q": "green coffee"},
                                headers={"X-Forwarded-Proto": "https"}, timeout=30)
        return [hit["slug"] for hit in response.json()["results"]] if response.status_code == 200 else []

    hits = wait_until(lambda: exporter_slug in found() and found(), timeout=60,
                      message=lambda: "the exporter to be searchable\n" + site.log("worker-indexing")[-3000:])
    assert exporter_slug in hits
    assert "lucia@cafe-serrano.example" not in json.dumps(found())

    # Staff start a matching run from the staff page; the matching worker proposes the pair.
    staff_page = Browser(site)
    # (An account made by createsuperuser has no confirmed email yet, so it signs in through the admin.)
    signed_in = staff_page.form("/admin/login/", {"username": "moderator", "password": "moderate-2026", "next": "/admin/"})
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/admin/", signed_in.text[-2000:]
    started = staff_page.form("/en/staff/runs/", {"mode": "full"})
    assert started.status_code == 302
    pair = {exporter_slug, roaster_slug}

    def proposed():
        response = desk.request("GET", "/api/v1/introductions/", params={"status": "proposed"})
        return [introduction for introduction in response.json()["results"]
                if {introduction["business_a"]["slug"], introduction["business_b"]["slug"]} == pair]

    [introduction] = wait_until(proposed, timeout=120,
                                message=lambda: "a matching proposal\n" + site.log("worker-matching")[-3000:])
    assert introduction["reasons"] and introduction["score"] > 0
    assert Introduction.objects.get(pk=introduction["id"]).status == Introduction.Status.PROPOSED

    # Each worker answers its compose health check by name.
    for queue in TASK_QUEUES:
        service = site.services[f"worker-{queue}"]
        check = site.run(f"worker-{queue}", ["sh", "-c", service["healthcheck"]["test"][1]], timeout=60)
        assert check.returncode == 0, (queue, check.stdout, check.stderr)

    # /readyz turns 503 naming Redis when Redis stops, and 200 again when it is back.
    redis_service("stop")
    down = browser.request("GET", "/readyz")
    assert down.status_code == 503 and down.json()["failed"] == ["redis"], down.text
    assert browser.request("GET", "/healthz").status_code == 200  # the process itself is still up
    redis_service("start")
    assert wait_until(lambda: browser.request("GET", "/readyz").status_code == 200, timeout=30,
                      message="/readyz to answer 200 again")

    # Beat has been sending its schedule: its compose health check passes.
    beat_check = site.services["beat"]["healthcheck"]["test"][1:]
    wait_until(lambda: site.run("beat", beat_check, timeout=60).returncode == 0, timeout=120, interval=5,
               message=lambda: "beat's health check\n" + site.log("beat")[-3000:])

    # Every line gunicorn's processes wrote is JSON, and requests carry their id.
    lines = [json.loads(line) for line in site.log("web").splitlines() if line.strip()]
    requests_logged = [line for line in lines if line["logger"] == "aurora.request"]
    assert requests_logged and all(len(line["request_id"]) == 32 for line in requests_logged)
    assert any(line["path"] == "/api/v1/search/" for line in requests_logged)


def _answers(browser, path):
    try:
        return browser.request("GET", path).status_code == 200
    except requests.ConnectionError:
        return False
