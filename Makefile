# The two commands a newcomer needs: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
BENCH_SIZES ?= 10000,100000

POSTGRES_URL := $(shell bash tests/services/postgres.sh url)
REDIS_TEST_URL := redis://127.0.0.1:$(or $(REDIS_PORT),63799)/15
REDIS_BENCH_URL := redis://127.0.0.1:$(or $(REDIS_PORT),63799)/13
ELASTICSEARCH_TEST_URL := $(or $(ELASTICSEARCH_URL),http://127.0.0.1:$(or $(ELASTICSEARCH_PORT),9200))

.PHONY: install demo test test-postgres test-sqlite security-scan services services-stop bench lock clean

$(BIN)/.installed: requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
		|| { echo "Python 3.11 is required (found $$($(PYTHON) --version)); set PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	touch $@

install: $(BIN)/.installed

# Plain-text logs on the terminal (servers log JSON lines).
demo: export LOG_FORMAT := text
demo: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py run_matching --full --sync
	EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend $(BIN)/python manage.py demo_history
	$(BIN)/python manage.py load_demo --accounts-only
	@echo "Serving on http://127.0.0.1:$(PORT)/  (sign in at /accounts/login/ with an account above; API: /api/v1/, /api/docs/; admin: /admin/)"
	DJANGO_DEBUG=true $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

services:
	bash tests/services/chromium.sh
	bash tests/services/postgres.sh start
	bash tests/services/redis.sh start
	bash tests/services/elasticsearch.sh start

services-stop:
	-bash tests/services/elasticsearch.sh stop
	-bash tests/services/redis.sh stop
	-bash tests/services/postgres.sh stop

# Every test on PostgreSQL and Redis, then the embedded default (SQLite,
# eager Celery) for the tests that exercise it, then the security scans.
# (The schema checks, drf-spectacular's and schemathesis', are tests in
# tests/security/test_schema.py.)
test: install services test-postgres test-sqlite security-scan

# bandit: medium severity and above in the project's code; pip-audit: known
# vulnerabilities in the pinned dependencies. pip-audit fails on a known
# vulnerability; a dependency it could not look up is listed, with a warning.
security-scan:
	$(BIN)/bandit -r config directory matching search --severity-level medium --quiet
	mkdir -p var
	$(BIN)/pip-audit --require-hashes --disable-pip -r requirements.lock --progress-spinner off 2>&1 \
		| tee var/pip-audit.txt; test $${PIPESTATUS[0]} -eq 0
	@if grep -q "could not be audited" var/pip-audit.txt; then \
		echo "WARNING: pip-audit could not look up some dependencies (listed above); they were not audited."; fi

test-postgres:
	DATABASE_URL=$(POSTGRES_URL) REDIS_URL=$(REDIS_TEST_URL) EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend \
		SEARCH_BACKEND=elasticsearch ELASTICSEARCH_URL=$(ELASTICSEARCH_TEST_URL) ELASTICSEARCH_INDEX_PREFIX=test_aurora_ \
		$(BIN)/pytest -p no:cacheprovider

test-sqlite:
	env -u REDIS_URL DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend \
		$(BIN)/pytest -p no:cacheprovider -m sqlite

# Matching at 2k, 10k and 50k firms on both backends; results go to
# BENCHMARKS.md. Uses (and empties) the development database `aurora`.
# Not part of `make test`: measures, and rewrites BENCHMARKS.md.
bench: install services
	DATABASE_URL=$(POSTGRES_URL) REDIS_URL=$(REDIS_BENCH_URL) ELASTICSEARCH_URL=$(ELASTICSEARCH_TEST_URL) \
		DJANGO_SETTINGS_MODULE=config.settings \
		$(BIN)/python -m tests.benchmarks.suite --sizes $(BENCH_SIZES) --output BENCHMARKS.md

# Re-pin dependencies after editing pyproject.toml. The image installs the
# production subset, at the same versions, for Linux containers.
lock:
	$(PYTHON) -m pip install --quiet uv
	$(PYTHON) -m uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock
	$(PYTHON) -m uv pip compile pyproject.toml --generate-hashes --python-version 3.11 \
		--python-platform x86_64-manylinux_2_28 -c requirements.lock -o requirements.production.lock

clean:
	rm -rf $(VENV) var db.sqlite3
