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


def _secret_key():
    try:
        return settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses to hand out an empty key
        return ""


def insecure_secret_key_errors():
    if settings.DEBUG:
        return []
    key = _secret_key()
    if key and key != settings.DEVELOPMENT_SECRET_KEY:
        return []
    reason = "empty" if not key else "the development default"
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


def refuse_to_serve_insecurely():
    """Called by the WSGI and ASGI modules: system checks do not run under a
    production server, so the server itself must refuse."""
    errors = insecure_secret_key_errors()
    if errors:
        raise ImproperlyConfigured(f"{errors[0].msg} {errors[0].hint}")
