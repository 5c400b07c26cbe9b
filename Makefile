# Every target is idempotent and works from a fresh clone.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: run test test-sqlite test-postgres lint bench mutation install clean

$(BIN)/python:
	$(PY) -m venv $(VENV) || python3 -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	$(BIN)/python -m compileall -q clearline  # bytecode, as an installed package has: faster starts
	touch $(STAMP)

install: $(STAMP)

# With no mail server set (EMAIL_HOST / EMAIL_BACKEND), emails are written to var/mail instead.
run: install
	$(BIN)/clearline demo --if-empty
	@if [ -z "$$EMAIL_HOST$$EMAIL_BACKEND" ]; then \
		echo "No EMAIL_HOST set: emails are written to files in var/mail"; \
		EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend \
			$(BIN)/clearline serve --with-worker; \
	else $(BIN)/clearline serve --with-worker; fi

test: install lint
	$(BIN)/python -m django makemigrations --check --dry-run --settings=clearline.settings
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

# CLEARLINE_TEST_DATABASE: the suite stops at once if the run is not on this database.
test-sqlite: install
	DATABASE_URL= CLEARLINE_TEST_DATABASE=sqlite $(BIN)/pytest

# PostgreSQL runs whenever it answers; under CI (CI=1, true, yes or on) an unreachable server
# is a failure.
test-postgres: install
	@if $(BIN)/python -m clearline.core.dbcheck "$${DATABASE_URL:-$(PG_URL)}"; then \
		DATABASE_URL="$${DATABASE_URL:-$(PG_URL)}" CLEARLINE_TEST_DATABASE=postgresql $(BIN)/pytest; \
	elif $(BIN)/python -m clearline.core.dbcheck --ci; then \
		echo "PostgreSQL is not reachable and CI is on"; exit 1; \
	else echo "PostgreSQL not reachable: skipped the PostgreSQL run"; fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install
	$(BIN)/pip install -q -e '.[dev,bench]'
	$(BIN)/python bench/status_page.py
	$(BIN)/python bench/publish_latency.py
	$(BIN)/python bench/checks.py
	$(BIN)/python bench/check_cli.py
	$(BIN)/python bench/compose.py
	$(BIN)/python -m bench.check_draft
	$(BIN)/python bench/fanout.py
	$(BIN)/python bench/insights.py
	$(BIN)/python bench/report.py

# Mutation testing of the permission checks and the wording rules (about an hour on 2 cores);
# `mutmut results` then lists the changes no test noticed.
mutation: install
	$(BIN)/pip install -q -e '.[dev,mutation]'
	$(BIN)/mutmut run

clean:
	rm -rf $(VENV) var mutants
