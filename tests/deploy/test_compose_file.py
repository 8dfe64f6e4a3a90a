"""docker-compose.yml is checked here, since no Docker engine runs the tests:
against the Compose Specification's JSON schema, and for what production
needs of it."""

import json
import re
from pathlib import Path

import jsonschema
import pytest

from config.celery import TASK_QUEUES
from deploy.new_env import new_environment
from tests.deploy.compose import (
    COMPOSE_FILE,
    ENV_EXAMPLE,
    MissingVariable,
    compose,
    raw_compose,
    read_env_file,
    variables_used,
)

SCHEMA = Path(__file__).with_name("compose-spec.json")
ROOT = COMPOSE_FILE.parent
LONG_RUNNING = {"postgres", "redis", "elasticsearch", "web", "worker-indexing", "worker-matching", "worker-email",
                "beat", "proxy", "flower"}
SECRETS = {"POSTGRES_PASSWORD", "REDIS_PASSWORD", "ELASTIC_PASSWORD", "DJANGO_SECRET_KEY", "EMAIL_HOST_PASSWORD",
           "FLOWER_BASIC_AUTH"}


@pytest.fixture(scope="module")
def env():
    return read_env_file(new_environment(ENV_EXAMPLE.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def services(env):
    return compose(env)["services"]


def test_the_compose_file_is_valid_against_the_compose_specification_schema(env):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(compose(env)), key=lambda error: list(error.absolute_path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors)


def test_the_schema_check_catches_a_broken_compose_file(env):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    broken = compose(env)
    broken["services"]["web"]["depends_on"]["migrate"]["condition"] = "service_finished"
    broken["services"]["redis"]["healthcheck"]["retries"] = "many"
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(broken))
    assert len(errors) >= 2


def test_compose_runs_the_whole_network(services):
    assert set(services) == LONG_RUNNING | {"migrate"}
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    for name in ("migrate", "web", "worker-indexing", "worker-matching", "worker-email", "beat", "flower"):
        assert services[name]["build"] == ".", name


def test_elasticsearch_is_the_release_the_tests_run_with_security_on(services):
    known = re.search(r'KNOWN_VERSIONS="([^"]+)"', (ROOT / "tests/services/elasticsearch.sh").read_text()).group(1)
    elasticsearch = services["elasticsearch"]
    assert elasticsearch["image"] == f"docker.elastic.co/elasticsearch/elasticsearch:{known.split()[0]}"
    environment = elasticsearch["environment"]
    assert environment["discovery.type"] == "single-node"
    assert environment["xpack.security.enabled"] == "true"
    assert environment["ELASTIC_PASSWORD"]
    assert re.fullmatch(r"-Xms(\S+) -Xmx\1", environment["ES_JAVA_OPTS"])


def test_raw_file_takes_the_heap_and_every_password_from_the_environment_file():
    elasticsearch = raw_compose()["services"]["elasticsearch"]["environment"]
    assert "${ELASTICSEARCH_HEAP" in elasticsearch["ES_JAVA_OPTS"]
    assert elasticsearch["ELASTIC_PASSWORD"].startswith("${ELASTIC_PASSWORD")


def test_every_long_running_service_has_a_health_check(services):
    for name in LONG_RUNNING:
        check = services[name].get("healthcheck")
        assert check and check["test"][0] in ("CMD", "CMD-SHELL"), name
        assert {"interval", "timeout", "retries"} <= set(check), name
    assert "healthcheck" not in services["migrate"]


def test_services_wait_for_what_they_need_to_be_healthy_and_for_the_migrations_to_finish(services):
    conditions = {
        name: {dependency: rule["condition"] for dependency, rule in service.get("depends_on", {}).items()}
        for name, service in services.items()
    }
    assert conditions["migrate"] == {name: "service_healthy" for name in ("postgres", "redis", "elasticsearch")}
    for name in ("web", "worker-indexing", "worker-matching", "worker-email", "beat"):
        assert conditions[name]["migrate"] == "service_completed_successfully", name
        assert conditions[name]["redis"] == "service_healthy", name
    assert conditions["web"]["elasticsearch"] == "service_healthy"
    assert conditions["proxy"] == {"web": "service_healthy"}
    for name, needs in conditions.items():
        assert set(needs.values()) <= {"service_healthy", "service_completed_successfully"}, name


def test_data_lives_in_named_volumes(services):
    volumes = raw_compose()["volumes"]
    assert {"postgres-data", "redis-data", "elasticsearch-data"} <= set(volumes)
    assert "postgres-data:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    assert "redis-data:/data" in services["redis"]["volumes"]
    assert "elasticsearch-data:/usr/share/elasticsearch/data" in services["elasticsearch"]["volumes"]


def test_redis_keeps_queued_tasks_across_a_restart(services):
    command = services["redis"]["command"]
    assert command[command.index("--appendonly") + 1] == "yes"
    assert command[command.index("--maxmemory-policy") + 1] == "noeviction"


def test_each_queue_has_its_own_workers_with_their_own_concurrency():
    services = raw_compose()["services"]
    for queue in TASK_QUEUES:
        command = services[f"worker-{queue}"]["command"]
        assert command[:4] == ["celery", "-A", "config", "worker"]
        assert command[command.index("--queues") + 1] == queue
        assert command[command.index("--concurrency") + 1] == f"${{{queue.upper()}_CONCURRENCY:-2}}"
        assert services[f"worker-{queue}"]["environment"]["WORKER_NAME"] == queue
        assert command[command.index("--hostname") + 1] == f"{queue}@%h"


def test_exactly_one_beat_on_the_database_scheduler(services):
    beat = services["beat"]
    assert beat["deploy"]["replicas"] == 1
    assert "django_celery_beat.schedulers:DatabaseScheduler" in beat["command"]
    assert beat["healthcheck"]["test"][1:4] == ["python", "manage.py", "beat_health"]


def test_the_migration_service_migrates_then_builds_a_missing_index(services):
    migrate = services["migrate"]
    assert migrate["restart"] == "no"
    assert migrate["command"][-1] == "python manage.py migrate --no-input && python manage.py search_index ensure"


def test_flower_is_optional_behind_a_profile(services):
    assert services["flower"]["profiles"] == ["monitoring"]
    assert all("profiles" not in service for name, service in services.items() if name != "flower")


def test_no_secret_is_written_in_the_compose_file():
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    example = read_env_file(ENV_EXAMPLE.read_text(encoding="utf-8"))
    # Every secret comes in as a variable, required to be set.
    for name in SECRETS - {"DJANGO_SECRET_KEY", "EMAIL_HOST_PASSWORD"}:
        assert f"${{{name}:?" in text, name
    # No password-like literal: a key naming a secret holds a variable or nothing.
    for match in re.finditer(r"(?im)^\s*([A-Z_]*(?:PASSWORD|SECRET|AUTH)[A-Z_]*)\s*:\s*(.+)$", text):
        assert match.group(2).strip().startswith("${"), match.group(0)
    for line in text.splitlines():
        assert not re.search(r"://[^:@/\s]+:[^$@/\s][^@/\s]*@", line), line  # user:literal-password@host
    for value in (example[name] for name in SECRETS):
        assert value.split(":")[-1] not in text.replace("${", "").replace("}", "")


def test_every_variable_the_compose_file_uses_is_documented_in_the_environment_example():
    example = read_env_file(ENV_EXAMPLE.read_text(encoding="utf-8"))
    commented = set(re.findall(r"(?m)^#\s*([A-Z_]+)=", ENV_EXAMPLE.read_text(encoding="utf-8")))
    used = variables_used(raw_compose()) - {"WORKER_NAME", "HOSTNAME", "ELASTIC_PASSWORD_FILE"}
    missing = used - set(example) - commented
    assert not missing, f"used in docker-compose.yml but not in .env.example: {sorted(missing)}"


def test_an_unset_secret_stops_compose_with_its_name():
    example = read_env_file(ENV_EXAMPLE.read_text(encoding="utf-8"))
    del example["POSTGRES_PASSWORD"]
    with pytest.raises(MissingVariable, match="set POSTGRES_PASSWORD in .env"):
        compose(example)


def test_the_proxy_file_the_compose_file_mounts_exists_and_balances_every_web_container(services):
    mount = next(v for v in services["proxy"]["volumes"] if v.endswith(":/etc/caddy/Caddyfile:ro"))
    caddyfile = (ROOT / mount.split(":")[0]).read_text(encoding="utf-8")
    assert "{$SITE_ADDRESS}" in caddyfile
    assert re.search(r"dynamic a \{\s*name web\s*port 8000", caddyfile)
    assert "health_uri /healthz" in caddyfile
