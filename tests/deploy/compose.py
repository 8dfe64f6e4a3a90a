"""docker-compose.yml and .env.example as `docker compose` reads them: YAML
with anchors and merge keys, then ${VARIABLE} interpolation from the
environment file (the Compose Specification's rules: ${X}, ${X:-default},
${X-default}, ${X:?error}, ${X?error}, and $$ for a literal $)."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"

VARIABLE = re.compile(
    r"\$\$"
    r"|\$\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<operator>:?[-?])(?P<argument>[^}]*))?\}"
    r"|\$(?P<plain>[A-Za-z_][A-Za-z0-9_]*)"
)


class MissingVariable(Exception):
    pass


def read_env_file(text):
    """KEY=VALUE lines; blank lines and comments skipped."""
    values = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        values[key.strip()] = value.strip()
    return values


def _substitute(text, env):
    def replace(match):
        if match.group(0) == "$$":
            return "$"
        name = match.group("braced") or match.group("plain")
        operator, argument = match.group("operator"), match.group("argument")
        value = env.get(name)
        unset = value is None or (value == "" and operator and operator.startswith(":"))
        if operator and operator.endswith("-"):
            return argument if unset else value
        if operator and operator.endswith("?"):
            if unset:
                raise MissingVariable(f"{name}: {argument}")
            return value
        return value or ""

    return VARIABLE.sub(replace, text)


def interpolate(node, env):
    if isinstance(node, str):
        return _substitute(node, env)
    if isinstance(node, list):
        return [interpolate(item, env) for item in node]
    if isinstance(node, dict):
        return {key: interpolate(value, env) for key, value in node.items()}
    return node


def variables_used(node):
    """Every variable name the file refers to (not $$-escaped ones)."""
    if isinstance(node, str):
        return {m.group("braced") or m.group("plain") for m in VARIABLE.finditer(node) if m.group(0) != "$$"}
    if isinstance(node, list):
        return set().union(*(variables_used(item) for item in node)) if node else set()
    if isinstance(node, dict):
        return set().union(*(variables_used(value) for value in node.values())) if node else set()
    return set()


def raw_compose():
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def compose(env):
    """The compose model after interpolation with `env`."""
    return interpolate(raw_compose(), env)


def service_environment(service, env_file):
    """What a service's process sees: the env_file, then its `environment` over it."""
    return {**env_file, **{key: str(value) for key, value in (service.get("environment") or {}).items()}}
