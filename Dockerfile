# syntax=docker/dockerfile:1
# The Aurora Business Network's one image: the web server, the Celery workers,
# beat and the one-shot migration all run it with different commands
# (docker-compose.yml).

# --- Build: the locked wheels into a virtual environment, then the static files.
FROM python:3.11-slim-bookworm AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

# Only the locked packages, each checked against its hash, and only as
# wheels: nothing is compiled, and nothing else is fetched.
COPY requirements.production.lock /tmp/requirements.production.lock
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --require-hashes --no-deps --only-binary=:all: \
       -r /tmp/requirements.production.lock

WORKDIR /app
COPY . .
# Hashed names, compressed copies and a manifest, served by WhiteNoise.
RUN DJANGO_STATIC_MANIFEST=true DJANGO_STATIC_ROOT=/app/staticfiles \
    /opt/venv/bin/python manage.py collectstatic --no-input --verbosity 0

# --- Run: the environment and the application, owned by root, run by a user who cannot change them.
FROM python:3.11-slim-bookworm

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=config.settings \
    DJANGO_STATIC_MANIFEST=true \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    LOG_FORMAT=json

RUN groupadd --system --gid 10001 aurora \
    && useradd --system --uid 10001 --gid aurora --home-dir /app --no-create-home --shell /usr/sbin/nologin aurora

COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
WORKDIR /app

# Numeric, so an orchestrator can tell without the passwd file that it is not root.
USER 10001:10001
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

CMD ["gunicorn", "--config", "config/gunicorn.py", "config.wsgi:application"]
