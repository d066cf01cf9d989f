# Influence — the two commands a newcomer needs:
#   make run    the whole app (web + worker + beat) with demo data on http://127.0.0.1:8000
#   make test   every check CI runs
# Both install what they need: the virtualenv, Python packages, Debian packages.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/influence
TEST_BROKER_URL ?= redis://127.0.0.1:6379/15
SMOKE_DATABASE_URL ?= sqlite:///$(CURDIR)/.local/smoke.sqlite3
PYTEST_ARGS ?=

.PHONY: run test install system-deps system-deps-test migrate demo messages makemessages \
        lint format check-deploy test-postgres test-smoke web worker beat bench clean

## run: install, migrate, load demo data, compile translations, start web + worker + beat
run: install system-deps
	$(PY) manage.py migrate --noinput
	$(PY) manage.py compilemessages --ignore=.venv --verbosity=0
	$(PY) manage.py seed_demo
	@echo ""
	@echo "Influence starts on http://127.0.0.1:8000 (Ctrl-C stops web, worker and beat)."
	$(VENV)/bin/honcho --procfile config/Procfile --app-root . start

## test: lint, format, migrations, deploy check, PostgreSQL suite, SQLite smoke lane
test: install system-deps-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test DATABASE_URL=sqlite://:memory: \
		$(PY) manage.py makemigrations --check --dry-run
	$(MAKE) --no-print-directory check-deploy
	$(PY) manage.py compilemessages --ignore=.venv --verbosity=0
	$(MAKE) --no-print-directory test-postgres
	$(MAKE) --no-print-directory test-smoke

test-postgres: install
	DATABASE_URL=$(TEST_DATABASE_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) \
		$(VENV)/bin/pytest -m "not bench" $(PYTEST_ARGS)

test-smoke: install
	mkdir -p .local && rm -f .local/smoke.sqlite3
	DATABASE_URL=$(SMOKE_DATABASE_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) \
		$(VENV)/bin/pytest -m "smoke and not e2e" $(PYTEST_ARGS)

check-deploy: install
	DJANGO_SETTINGS_MODULE=config.settings.production \
	SECRET_KEY=check-deploy-dummy-secret-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG \
	ALLOWED_HOSTS=influence.example.org \
	FIELD_ENCRYPTION_KEYS=Y2hlY2stZGVwbG95LWR1bW15LWtleS0wMDAwMDAwMDA= \
	DATABASE_URL=postgres://influence@127.0.0.1:5432/influence \
	CELERY_BROKER_URL=redis://127.0.0.1:6379/0 \
		$(PY) manage.py check --deploy --fail-level WARNING

install: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required"; exit 1; }
	$(PYTHON) -m venv $(VENV) || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-venv && \
		$(PYTHON) -m venv $(VENV); }
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Debian packages WeasyPrint and translations need (installed only when missing).
system-deps:
	@missing=""; \
	ldconfig -p | grep -q 'libpango-1.0.so' || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	fc-list 2>/dev/null | grep -qi dejavu || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

## ... plus Chromium for the browser tests.
system-deps-test: system-deps
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "Installing Debian's chromium for the browser tests"; \
		$(SUDO) apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; \
	fi

# --- Development helpers ---------------------------------------------------------------

migrate: install
	$(PY) manage.py migrate

demo: install
	$(PY) manage.py seed_demo

web: install
	$(PY) manage.py runserver 127.0.0.1:8000

worker: install
	$(VENV)/bin/celery -A config worker --queues=celery,pdf --loglevel=INFO

beat: install
	$(VENV)/bin/celery -A config beat --loglevel=INFO

makemessages: install
	$(PY) manage.py makemessages --locale=fr --locale=en --ignore=.venv --ignore=.local \
		--ignore=tests --no-obsolete --no-location
	$(PY) manage.py makemessages --domain=djangojs --locale=fr --locale=en \
		--ignore=.venv --ignore=.local --ignore=static/vendor --no-obsolete --no-location

messages: install
	$(PY) manage.py compilemessages --ignore=.venv

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: install
	@ls tests/bench/*.py | grep -v __init__ | sed 's/^/  /'; echo "Run one with: $(PY) tests/bench/<name>.py"

clean:
	rm -rf .local $(VENV)
