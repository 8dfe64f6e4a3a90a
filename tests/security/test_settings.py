"""Settings a deployment relies on: the production guard, and demo accounts
that never overwrite real ones."""

import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def run(*args, tmp_path, **env):
    environment = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SECRET_KEY", "DJANGO_DEBUG", "REDIS_URL")}
    environment["DATABASE_URL"] = f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
    environment.update(env)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=environment, capture_output=True, text=True,
                          timeout=120)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("entry_point", ["config.wsgi", "config.asgi"])
@pytest.mark.parametrize("key", [None, ""], ids=["default key", "empty key"])
def test_a_production_server_refuses_to_start_on_the_development_or_an_empty_key(tmp_path, entry_point, key):
    env = {"DJANGO_DEBUG": "false"} | ({} if key is None else {"DJANGO_SECRET_KEY": key})
    result = run("-c", f"import {entry_point}", tmp_path=tmp_path, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_runserver_refuses_the_development_key_with_debug_off(tmp_path):
    result = run("manage.py", "runserver", "--noreload", f"127.0.0.1:{free_port()}", tmp_path=tmp_path,
                 DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is the development default while DEBUG is off" in result.stderr


def test_check_deploy_reports_the_development_key_as_an_error(tmp_path):
    result = run("manage.py", "check", "--deploy", tmp_path=tmp_path, DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "aurora.E001" in result.stderr


def test_a_real_key_or_debug_lets_the_server_start(tmp_path):
    real_key = secrets.token_urlsafe(50)
    assert run("-c", "import config.wsgi", tmp_path=tmp_path, DJANGO_SECRET_KEY=real_key).returncode == 0
    assert run("-c", "import config.wsgi", tmp_path=tmp_path, DJANGO_DEBUG="true").returncode == 0
    checked = run("manage.py", "check", "--deploy", tmp_path=tmp_path, DJANGO_SECRET_KEY=real_key)
    assert "aurora.E001" not in checked.stderr


@pytest.mark.django_db
def test_load_demo_never_resets_an_existing_accounts_password_or_rights():
    User = get_user_model()
    # A real account that happens to be called "staff".
    existing = User.objects.create_user("staff", email="ops@aurora.example", password="a-long-test-password")
    call_command("load_demo", accounts_only=True, stdout=open(os.devnull, "w"))
    existing.refresh_from_db()
    assert existing.check_password("a-long-test-password")
    assert not existing.check_password("aurora-demo-staff")
    assert (existing.is_staff, existing.is_superuser, existing.email) == (False, False, "ops@aurora.example")
    # The missing demo accounts are created, with their demo passwords.
    owner = User.objects.get(username="owner")
    assert owner.check_password("aurora-demo-owner") and not owner.is_staff
    assert User.objects.get(username="volunteer").volunteer_cities.filter(slug="seongnam").exists()


@pytest.mark.django_db
def test_load_demo_run_twice_prints_the_passwords_it_did_not_change(capsys):
    call_command("load_demo", accounts_only=True)
    call_command("load_demo", accounts_only=True)
    second = capsys.readouterr().out.split("Demo accounts")[-1]
    assert "password aurora-demo-staff" in second and "left unchanged" not in second
