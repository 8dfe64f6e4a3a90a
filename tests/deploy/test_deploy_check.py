"""`manage.py check --deploy` with the settings a server gets from
.env.example and docker-compose.yml: no error and no warning, once the
example's placeholders are replaced with secrets as the README says."""

import os
import subprocess
import sys

import pytest

from deploy.new_env import new_environment
from tests.deploy.compose import COMPOSE_FILE, ENV_EXAMPLE, compose, read_env_file, service_environment

ROOT = COMPOSE_FILE.parent


def web_environment(env_text):
    env_file = read_env_file(env_text)
    web = compose(env_file)["services"]["web"]
    # Only what the server would see: no setting of this machine's leaks in.
    keep = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    return {**keep, **service_environment(web, env_file)}


def deploy_check(environment):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120,
    )


def test_check_deploy_passes_without_a_warning_with_the_example_settings_and_fresh_secrets():
    result = deploy_check(web_environment(new_environment(ENV_EXAMPLE.read_text(encoding="utf-8"))))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr + result.stdout


def test_check_deploy_refuses_the_examples_placeholder_secrets():
    result = deploy_check(web_environment(ENV_EXAMPLE.read_text(encoding="utf-8")))
    assert result.returncode != 0
    for complaint in ("aurora.E001", "aurora.E002", "the database password", "the Redis password",
                      "the Elasticsearch password", "the mail password"):
        assert complaint in result.stderr, complaint


@pytest.mark.parametrize("setting, value, warning", [
    ("DJANGO_HTTPS", "false", "security.W004"),  # no HSTS
    ("DJANGO_HSTS_PRELOAD", "false", "security.W021"),
    ("DJANGO_DEBUG", "true", "security.W018"),
])
def test_check_deploy_warns_when_a_production_setting_is_turned_off(setting, value, warning):
    text = new_environment(ENV_EXAMPLE.read_text(encoding="utf-8"))
    environment = web_environment(text)
    environment[setting] = value
    result = deploy_check(environment)
    assert result.returncode != 0 and warning in result.stderr, result.stderr
