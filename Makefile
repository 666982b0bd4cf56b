# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

# The first Python >= 3.12 found: `python3` (honours .python-version under pyenv),
# then versioned names, then pyenv's own installs.
PYTHON ?= $(shell for p in python3 python3.14 python3.13 python3.12 \
	$$HOME/.pyenv/versions/3.1[2-9]*/bin/python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' \
	2>/dev/null && { echo $$p; break; }; done)

.PHONY: help install run serve seed-bulk bench test lint format migrations messages catalogs check-system clean

help:
	@echo "make run         set up, load the demo data and serve the portal with its worker"
	@echo "                 on http://$(HOST):$(PORT) (mail lands in var/mail/)"
	@echo "make serve       the production configuration on http://$(HOST):$(PORT): DEBUG off,"
	@echo "                 gunicorn (gunicorn.conf.py) and the worker; no demo data is loaded"
	@echo "make seed-bulk   fill the database with a large committee's data (SEED_ARGS)"
	@echo "make bench       measure the pages on it, DEBUG off (BENCH_ARGS; docs/performance.md)"
	@echo "make test        set up and run the whole test suite against PostgreSQL"
	@echo "make lint        ruff check, ruff format --check, missing-migration check"
	@echo "make format      ruff's fixes and formatting"
	@echo "make install     create .venv and install the project's dependencies"
	@echo "make check-system  make a test PDF; say which system packages PDFs still need"
	@echo "make migrations  write the migrations the models need"
	@echo "make catalogs    gather new interface strings into every language's catalog"
	@echo "make messages    compile the catalogs"
	@echo "make clean       remove .venv, staticfiles and caches"
	@echo ""
	@echo "Variables: HOST and PORT (make run's and make serve's address), DATABASE_URL (a PostgreSQL server;"
	@echo "without it an embedded one under var/), VAR_DIR (var/), DEBUG (true for make run),"
	@echo "DEMO_PASSWORD and DEMO_TOTP_KEY (the demo logins), PORTAL_URL (links in mails),"
	@echo "WEB_CONCURRENCY (make serve's gunicorn workers), REDIS_URL and STORAGE_S3_BUCKET (the cache and"
	@echo "files several app servers share; without them the database and MEDIA_ROOT);"
	@echo "docs/deployment.md lists every setting."

$(STAMP): pyproject.toml build-constraints.txt
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.12 or newer is needed: install it (e.g. 'pyenv install 3.12') and run make again."; exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.3"
	# XStatic-Bootstrap ships as a source release that only builds with setuptools<82.
	$(BIN)/python -m pip install --quiet --build-constraint build-constraints.txt ".[dev]"
	@touch $@

install: $(STAMP)

check-system: $(STAMP)
	@$(BIN)/python scripts/check_system.py

# The interface's languages: .po catalogs are in the repository, the compiled .mo files are not.
messages: $(STAMP)
	@command -v msgfmt >/dev/null || { echo "Compiling the translations needs GNU gettext: sudo apt-get install -y gettext"; exit 1; }
	@DEBUG=$${DEBUG-true} $(BIN)/python manage.py compilemessages --ignore .venv --verbosity 0

# For developers: gather new interface strings into every catalog (then translate them).
catalogs: $(STAMP)
	DEBUG=$${DEBUG-true} $(BIN)/python manage.py makemessages --ignore .venv --ignore staticfiles \
		--ignore var --ignore tests --no-obsolete --add-location file -l fa -l ps -l ru -l kk

# Shell steps that run and serve share. Approved minutes are sealed with a self-signed demo
# certificate, made once under VAR_DIR/signing, unless SIGNING_CERTIFICATE_FILE names a real
# one (docs/sealing.md). Static files are collected again only when one of them or the
# installed packages changed (13 s).
DEMO_SEAL = if [ -z "$${SIGNING_CERTIFICATE_FILE-}" ]; then \
		signing="$${VAR_DIR:-$(CURDIR)/var}/signing"; \
		$(BIN)/python manage.py make_signing_certificate --directory "$$signing" || exit 1; \
		export SIGNING_CERTIFICATE_FILE="$$signing/seal.crt" SIGNING_KEY_FILE="$$signing/seal.key"; \
	fi
COLLECT_STATIC = manifest="$${STATIC_ROOT:-$(CURDIR)/staticfiles}/staticfiles.json"; \
	if [ ! -f "$$manifest" ] || [ -n "$$(find static $(STAMP) -newer "$$manifest" -print -quit)" ]; then \
		$(BIN)/python manage.py collectstatic --no-input --verbosity 0 || exit 1; \
	fi

# The worker (mails, reminders, PDFs) runs beside the web server and stops with it.
run: $(STAMP) check-system messages
	@export DEBUG=$${DEBUG-true}; \
	export PORTAL_URL="$${PORTAL_URL:-http://$(HOST):$(PORT)}"; \
	$(DEMO_SEAL); \
	$(BIN)/python manage.py migrate --no-input || exit 1; \
	$(BIN)/python manage.py load_demo || exit 1; \
	$(COLLECT_STATIC); \
	$(BIN)/python manage.py worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	echo "Serving on http://$(HOST):$(PORT)/ with a background worker (Ctrl-C to stop)"; \
	echo "Mail is written to $${VAR_DIR:-$(CURDIR)/var}/mail and shown in the admin's outbox."; \
	$(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

# What docs/deployment.md runs in production, on this machine over plain HTTP: DEBUG off,
# gunicorn with gunicorn.conf.py, the worker beside it. SECRET_KEY is made once under VAR_DIR
# unless set; the cookie and redirect settings for HTTPS are off unless set. The database is
# the one make run uses (and fills with the demo data). Mail goes to EMAIL_HOST, or to a
# relay on localhost:25 as in production (the admin's outbox shows what could not be sent).
PRODUCTION_ENV = export DEBUG=false; \
	var="$${VAR_DIR:-$(CURDIR)/var}"; \
	if [ -z "$${SECRET_KEY-}" ]; then \
		mkdir -p "$$var"; \
		[ -s "$$var/secret-key" ] || (umask 077; $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > "$$var/secret-key") || exit 1; \
		export SECRET_KEY="$$(cat "$$var/secret-key")"; \
	fi; \
	export ALLOWED_HOSTS="$${ALLOWED_HOSTS:-$(HOST),localhost}"; \
	export SECURE_SSL_REDIRECT="$${SECURE_SSL_REDIRECT-false}"; \
	export SESSION_COOKIE_SECURE="$${SESSION_COOKIE_SECURE-false}"; \
	export CSRF_COOKIE_SECURE="$${CSRF_COOKIE_SECURE-false}"

serve: $(STAMP) check-system messages
	@$(PRODUCTION_ENV); \
	export PORTAL_URL="$${PORTAL_URL:-http://$(HOST):$(PORT)}"; \
	$(DEMO_SEAL); \
	$(BIN)/python manage.py migrate --no-input || exit 1; \
	$(COLLECT_STATIC); \
	$(BIN)/python manage.py worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	echo "Serving the production configuration on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"; \
	$(BIN)/gunicorn --config gunicorn.conf.py --bind $(HOST):$(PORT)

# The benchmark of docs/performance.md: the bulk data set (SEED_ARGS, e.g. --pledges 1000
# --flush), then its measurement in the production configuration (BENCH_ARGS, e.g. --quick),
# its JSON in BENCH_JSON (VAR_DIR/bench.json).
seed-bulk: $(STAMP)
	@$(PRODUCTION_ENV); \
	$(BIN)/python manage.py migrate --no-input || exit 1; \
	$(BIN)/python manage.py seed_bulk $(SEED_ARGS)

bench: $(STAMP) check-system messages
	@$(PRODUCTION_ENV); \
	$(COLLECT_STATIC); \
	$(BIN)/python manage.py bench --json "$${BENCH_JSON:-$$var/bench.json}" $(BENCH_ARGS)

test: $(STAMP)
	@scripts/ensure_test_packages.sh
	@$(MAKE) --no-print-directory messages
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=$${DEBUG-true} $(BIN)/python manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations: $(STAMP)
	DEBUG=$${DEBUG-true} $(BIN)/python manage.py makemigrations

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
