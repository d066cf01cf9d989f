# Influence — the two commands a newcomer needs:
#   make run    the whole app (web + worker + beat) with demo data on http://127.0.0.1:8000
#   make test   lint, checks and the suite (CI then runs make test-exhaustive too)
# Both install what they need: the virtualenv, Python packages, Debian packages.
# Python packages come from the lock file requirements/dev.txt (hashes checked); after
# changing a dependency in pyproject.toml, run `make lock` and commit both lock files.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# The lock make run / make test / CI install (runtime + dev tools), and the runtime-only
# lock of the Docker image. Both are compiled by `make lock` from pyproject.toml.
LOCK := requirements/dev.txt
LOCK_BASE := requirements/base.txt
LOCK_PYTHON := 3.11
# One stamp per lock content: nothing to do until the lock changes.
STAMP := $(VENV)/.installed-lock-$(shell sha256sum $(LOCK) 2>/dev/null | cut -c1-16)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/influence
TEST_BROKER_URL ?= redis://127.0.0.1:6379/15
SMOKE_DATABASE_URL ?= sqlite:///$(CURDIR)/.local/smoke.sqlite3
PYTEST_ARGS ?=
# TIME_ZONE of config/settings/base.py: the clock of every log line of `make run`.
APP_TIME_ZONE := Europe/Paris

# With PostgreSQL, migrations can run as the owner role while web, worker and beat use
# DATABASE_URL (the runtime role, see the README): set DATABASE_MIGRATE_URL in the
# environment, on the make command line or in .env.
DATABASE_MIGRATE_URL ?= $(shell sed -n 's/^DATABASE_MIGRATE_URL=//p' .env 2>/dev/null | tail -n 1 | tr -d "\"'")
MIGRATE = $(if $(DATABASE_MIGRATE_URL),DATABASE_URL='$(DATABASE_MIGRATE_URL)' )$(PY) manage.py migrate --noinput

.PHONY: run test install lock system-deps system-deps-test migrate demo messages makemessages \
        lint format check-deploy test-postgres test-smoke test-reliability test-exhaustive \
        web worker beat \
        bench clean \
        db-roles docker-secrets

## run: install, migrate, load demo data, compile translations, start web + worker + beat
run: install system-deps
	@echo "$(PY) manage.py migrate --noinput$(if $(DATABASE_MIGRATE_URL), (as DATABASE_MIGRATE_URL))"
	@$(MIGRATE)
	$(PY) manage.py compilemessages --ignore=.venv --verbosity=0
	$(PY) manage.py seed_demo
	@echo ""
	@echo "Influence starts on http://127.0.0.1:8000 (Ctrl-C stops web, worker and beat)."
	@# Every log line on one clock: honcho's prefix in the app's TIME_ZONE too. Ctrl-C is
	@# how this target ends: honcho then exits with 130, which is not a failure here.
	@TZ=$(APP_TIME_ZONE) $(VENV)/bin/honcho --procfile config/Procfile --app-root . start \
		|| { status=$$?; [ $$status -eq 130 ] || exit $$status; echo "Influence stopped."; }

## test: lint, format, migrations, deploy check, PostgreSQL suite, SQLite smoke lane (about
## 3 minutes on an idle 2-core machine; it must stay under 5). The exhaustive lane is
## `make test-exhaustive`.
test: install system-deps-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test DATABASE_URL=sqlite://:memory: \
		$(PY) manage.py makemigrations --check --dry-run
	$(MAKE) --no-print-directory check-deploy
	$(PY) manage.py compilemessages --ignore=.venv --verbosity=0
	@# The SQLite lane (one process) runs beside the PostgreSQL one: it fills the moments
	@# when the browser tests wait for a page. The PostgreSQL lane prints as it goes (a
	@# CI log cut short keeps it); the SQLite lane's output follows it.
	@mkdir -p .local
	@$(MAKE) --no-print-directory test-smoke > .local/test-smoke.log 2>&1 & smoke=$$!; \
	postgres=0; $(MAKE) --no-print-directory test-postgres || postgres=$$?; \
	sqlite=0; wait $$smoke || sqlite=$$?; \
	echo "--- SQLite smoke lane (ran beside the PostgreSQL lane)"; cat .local/test-smoke.log; \
	[ $$postgres -eq 0 ] && [ $$sqlite -eq 0 ]

# pytest-xdist: one process per core, each with its own test database and Celery queues;
# an idle worker takes tests from a busy one (worksteal), so no core waits at the end.
PYTEST_WORKERS ?= auto
XDIST := -n $(PYTEST_WORKERS) --dist worksteal

test-postgres: install
	DATABASE_URL=$(TEST_DATABASE_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) \
		$(VENV)/bin/pytest -m "not bench and not reliability and not exhaustive" $(XDIST) \
		$(PYTEST_ARGS)

## test-exhaustive: what costs minutes, run by CI after make test: every page of every
## demo role in Chromium (axe-core at 1280 px, nothing sideways at 360 px), every link each
## role is shown, every URL × role against its access rule, the cross-app journeys, then
## fault injection with real processes (test-reliability). About 6 minutes on 2 cores.
test-exhaustive: install system-deps-test
	$(PY) manage.py compilemessages --ignore=.venv --verbosity=0
	DATABASE_URL=$(TEST_DATABASE_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) \
		$(VENV)/bin/pytest -m "exhaustive and not bench and not reliability" $(XDIST) \
		$(PYTEST_ARGS)
	$(MAKE) --no-print-directory test-reliability

## test-reliability: fault injection (tests/reliability): each test starts its own Redis,
## gunicorn and Celery worker (and PostgreSQL cluster) on free ports, kills or stops one
## of them and checks that nothing is lost or done twice. One process: the tests are the
## load (about 3 minutes on 2 cores).
test-reliability: install
	DATABASE_URL=$(TEST_DATABASE_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) \
		$(VENV)/bin/pytest -m reliability -p no:xdist -v -s --durations=0 $(or $(PYTEST_ARGS),tests/reliability)

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

$(STAMP):
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required"; exit 1; }
	@[ -f $(LOCK) ] || { echo "$(LOCK) is missing: run make lock"; exit 1; }
	[ -x $(PY) ] || $(PYTHON) -m venv $(VENV) || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-venv && \
		$(PYTHON) -m venv $(VENV); }
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet --require-hashes -r $(LOCK)
	rm -f $(VENV)/.installed-lock-*
	touch $(STAMP)

## lock: compile requirements/dev.txt and requirements/base.txt from pyproject.toml, keeping
## the pinned versions that still fit (UPGRADE=1: the newest versions pyproject allows)
lock: install
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --universal \
		--python-version $(LOCK_PYTHON) --generate-hashes --custom-compile-command "make lock" \
		--quiet $(if $(UPGRADE),--upgrade) -o $(LOCK)
	cp $(LOCK) $(LOCK_BASE)  # the runtime lock starts from the same pins
	$(VENV)/bin/uv pip compile pyproject.toml --universal \
		--python-version $(LOCK_PYTHON) --generate-hashes --custom-compile-command "make lock" \
		--quiet -o $(LOCK_BASE)
	$(MAKE) --no-print-directory install

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

## ... plus Chromium for the browser tests and poppler's pdftotext (the briefing tests read
## right-to-left text back from PDFs with it).
system-deps-test: system-deps
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages for the tests:$$missing"; \
		$(SUDO) apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# --- Development helpers ---------------------------------------------------------------

migrate: install
	@echo "$(PY) manage.py migrate --noinput$(if $(DATABASE_MIGRATE_URL), (as DATABASE_MIGRATE_URL))"
	@$(MIGRATE)

## db-roles: create the PostgreSQL owner (migrations) and runtime roles and their database,
## as a superuser (PGHOST/PGPORT/PGUSER; INFLUENCE_DB_OWNER_PASSWORD, INFLUENCE_DB_APP_PASSWORD)
db-roles:
	config/postgres/init-roles.sh

## docker-secrets: random passwords for docker-compose's PostgreSQL superuser and owner role
docker-secrets:
	@mkdir -p .secrets && chmod 700 .secrets
	@for name in postgres-password db-owner-password; do \
		if [ ! -s .secrets/$$name ]; then \
			$(PYTHON) -c 'import secrets; print(secrets.token_hex(24))' > .secrets/$$name; \
			chmod 644 .secrets/$$name; echo "created .secrets/$$name"; \
		fi; \
	done

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

## bench: every benchmark of tests/bench/ (PostgreSQL and Redis as for make test), then one
## table of their key numbers, written into docs/benchmarks.md ("Latest table"). About an
## hour at full scale; BENCH_QUICK=1: small scales, a few minutes. BENCH_ONLY=name,name.
bench: install system-deps
	$(PY) tests/bench/run_all.py --docs docs/benchmarks.md $(if $(BENCH_QUICK),--quick) \
		$(if $(BENCH_ONLY),--only $(BENCH_ONLY))

clean:
	rm -rf .local $(VENV)
