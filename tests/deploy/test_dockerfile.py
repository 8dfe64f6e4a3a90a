"""The Dockerfile, checked without a Docker engine (and without hadolint,
which Debian does not package): a non-root user, a hash-checked install of
the locked packages and nothing else fetched while the image is built."""

import re
import subprocess
import sys
from pathlib import Path

from tests.deploy.image import image_environment, instructions, stages

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_LOCK = ROOT / "requirements.production.lock"


def pins(path):
    text = path.read_text(encoding="utf-8")
    return {
        name.lower(): (version, sorted(re.findall(r"--hash=(sha256:[0-9a-f]{64})", block)))
        for name, version, block in re.findall(r"(?m)^([A-Za-z0-9_.\-]+)==(\S+)((?:\s+\\\n\s+--hash=\S+)+)", text)
    }


def test_the_image_is_built_in_stages_and_runs_as_a_numeric_non_root_user():
    built = stages()
    assert len(built) >= 2
    final = built[-1]
    users = [arguments for keyword, arguments in final if keyword == "USER"]
    assert users, "the final stage sets no USER"
    user = users[-1].split(":")[0]
    assert user.isdigit() and int(user) != 0
    # The user exists in the image and the final stage starts no installer as root.
    assert any(keyword == "RUN" and f"--uid {user}" in arguments for keyword, arguments in final)
    assert any(keyword == "COPY" and "--from=build" in arguments for keyword, arguments in final)


def test_the_locked_packages_are_installed_with_their_hashes_as_wheels_only():
    installs = [arguments for keyword, arguments in instructions() if keyword == "RUN" and "pip install" in arguments]
    assert len(installs) == 1
    install = installs[0]
    assert "--require-hashes" in install and "--no-deps" in install and "--only-binary=:all:" in install
    assert "-r /tmp/requirements.production.lock" in install
    assert ("COPY", "requirements.production.lock /tmp/requirements.production.lock") in instructions()


def test_nothing_else_is_fetched_while_the_image_is_built():
    for keyword, arguments in instructions():
        assert keyword != "ADD", "ADD may fetch a URL or unpack an archive; COPY says what it does"
        if keyword == "RUN":
            for fetcher in ("curl", "wget", "apt-get", "apt ", "apk ", "git ", "npm ", "pip download", "http://",
                            "https://"):
                assert fetcher not in arguments, f"RUN fetches with {fetcher!r}: {arguments}"
            if "pip install" in arguments:
                # Only the lock: no package named on the command line, no other index.
                assert not re.search(r"--(?:extra-)?index-url|--find-links", arguments)
                words = arguments.split("pip install", 1)[1].split("&&")[0].split()
                named = [word for i, word in enumerate(words) if not word.startswith("-") and words[i - 1] != "-r"]
                assert not named, f"packages named outside the lock: {named}"


def test_the_image_serves_with_gunicorn_and_collects_static_files_with_hashed_names():
    final = stages()[-1]
    cmd = next(arguments for keyword, arguments in reversed(final) if keyword == "CMD")
    assert cmd == '["gunicorn", "--config", "config/gunicorn.py", "config.wsgi:application"]'
    assert any(keyword == "HEALTHCHECK" for keyword, _ in final)
    assert any(keyword == "RUN" and "collectstatic" in arguments and "DJANGO_STATIC_MANIFEST=true" in arguments
               for keyword, arguments in stages()[0])
    env = image_environment()
    assert env["DJANGO_STATIC_MANIFEST"] == "true" and env["LOG_FORMAT"] == "json"
    assert env["DJANGO_STATIC_ROOT"] == "/app/staticfiles"


def test_the_build_context_leaves_out_secrets_history_and_local_state():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines() if line.strip()}
    assert {".git", ".env", ".venv", "var", "db.sqlite3*", "tests"} <= ignored


def test_the_production_lock_pins_the_same_versions_and_hashes_as_the_development_lock():
    production, development = pins(PRODUCTION_LOCK), pins(ROOT / "requirements.lock")
    assert len(production) > 40
    different = {name: (pin, development.get(name)) for name, pin in production.items()
                 if development.get(name, (None,))[0] != pin[0] or not set(pin[1]) <= set(development[name][1])}
    assert not different, different
    for runtime in ("django", "gunicorn", "whitenoise", "django-csp", "celery", "psycopg-binary", "elasticsearch"):
        assert runtime in production, runtime
    for tool in ("pytest", "playwright", "schemathesis", "bandit"):
        assert tool not in production, f"{tool} is a development tool; it has no place in the image"


def test_every_locked_production_package_has_a_linux_wheel_with_its_hash():
    """What `pip install --only-binary=:all: --require-hashes` in the build
    stage does, for the image's platform, here: a package without a wheel for
    Linux x86_64 and CPython 3.11 would break the build."""
    cache = ROOT / "var" / "cache" / "image-wheels"
    cache.mkdir(parents=True, exist_ok=True)
    platforms = [arg for tag in ("manylinux_2_36_x86_64", "manylinux_2_28_x86_64", "manylinux_2_17_x86_64",
                                 "manylinux2014_x86_64", "manylinux_2_5_x86_64", "manylinux1_x86_64")
                 for arg in ("--platform", tag)]
    result = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--require-hashes",
         "--no-deps", "--only-binary=:all:", *platforms, "--python-version", "3.11", "--implementation", "cp",
         "--abi", "cp311", "--abi", "abi3", "--abi", "none", "-r", str(PRODUCTION_LOCK), "-d", str(cache)],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    wheels = {path.name.split("-")[0].lower().replace("_", "-") for path in cache.glob("*.whl")}
    assert {name.replace("_", "-") for name in pins(PRODUCTION_LOCK)} <= wheels
