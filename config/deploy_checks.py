"""The production guard: never serve on the development secret key.

Sessions, password-reset links and email-confirmation keys are signed with
SECRET_KEY; the development default is public, so a server running on it hands
out forgeable sessions. With DEBUG off, `manage.py check --deploy` reports an
error, and the WSGI and ASGI entry points (gunicorn, uvicorn, runserver) refuse
to start.
"""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

INSECURE_SECRET_KEY = "aurora.E001"
PLACEHOLDER_PASSWORD = "aurora.E002"
# What .env.example holds where a secret belongs (deploy/new_env.py replaces it).
PLACEHOLDER = "change-me"


def _secret_key():
    try:
        return settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses to hand out an empty key
        return ""


def insecure_secret_key_errors():
    if settings.DEBUG:
        return []
    key = _secret_key()
    if key and key != settings.DEVELOPMENT_SECRET_KEY and PLACEHOLDER not in key:
        return []
    reason = "empty" if not key else "the development default" if key == settings.DEVELOPMENT_SECRET_KEY else (
        f"still the example's '{PLACEHOLDER}'"
    )
    return [
        checks.Error(
            f"SECRET_KEY is {reason} while DEBUG is off.",
            hint="Set DJANGO_SECRET_KEY to a long random value (python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'), or DJANGO_DEBUG=true on a development machine.",
            id=INSECURE_SECRET_KEY,
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs):
    return insecure_secret_key_errors()


@checks.register(checks.Tags.security, deploy=True)
def check_placeholder_passwords(app_configs, **kwargs):
    """The services' passwords must not be .env.example's placeholder either."""
    secrets = {
        "the database password (POSTGRES_PASSWORD)": settings.DATABASES["default"].get("PASSWORD") or "",
        "the Redis password (REDIS_PASSWORD)": settings.REDIS_URL,
        "the Elasticsearch password (ELASTIC_PASSWORD)": settings.ELASTICSEARCH_PASSWORD,
        "the mail password (EMAIL_HOST_PASSWORD)": settings.EMAIL_HOST_PASSWORD,
    }
    return [
        checks.Error(
            f"{name} is still the example's '{PLACEHOLDER}'.",
            hint="Make .env with `python3 deploy/new_env.py > .env`, which draws every secret afresh.",
            id=PLACEHOLDER_PASSWORD,
        )
        for name, value in secrets.items()
        if PLACEHOLDER in value
    ]


def refuse_to_serve_insecurely():
    """Called by the WSGI and ASGI modules: system checks do not run under a
    production server, so the server itself must refuse."""
    errors = insecure_secret_key_errors()
    if errors:
        raise ImproperlyConfigured(f"{errors[0].msg} {errors[0].hint}")
