# DSWatch: `make run` starts the service on SQLite with the local SMS sender; `make test` runs the
# tests. Both create .venv and install the pinned dependencies first; nothing else is needed but
# Python 3.11 or newer.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint bench bench-full clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "DSWatch needs Python 3.11 or newer; set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)

# Re-runs only when a lock file or pyproject.toml changes, so `make install` is quick when nothing did.
$(RUNTIME_STAMP): $(BIN)/python requirements.lock pyproject.toml
	$(PIP) install -r requirements.lock
	$(PIP) install --no-deps -e .
	@touch $@

$(DEV_STAMP): $(RUNTIME_STAMP) requirements-dev.lock
	$(PIP) install -r requirements-dev.lock
	@touch $@

install: $(RUNTIME_STAMP)

run: install
	$(BIN)/dswatch db upgrade
	$(BIN)/dswatch serve --host $(HOST) --port $(PORT)

# The SQLite pass always runs; the PostgreSQL pass runs when DSWATCH_TEST_DATABASE_URL is set.
test: $(DEV_STAMP)
	$(BIN)/ruff check monitor jobs tests $(wildcard bench)
	$(BIN)/mypy
	env -u DSWATCH_TEST_DATABASE_URL $(BIN)/python -m pytest $(PYTEST_ARGS)
	@if [ -n "$$DSWATCH_TEST_DATABASE_URL" ]; then \
		echo "== PostgreSQL pass: $$DSWATCH_TEST_DATABASE_URL"; \
		$(BIN)/python -m pytest $(PYTEST_ARGS) || exit $$?; \
	else \
		echo "== PostgreSQL pass SKIPPED: set DSWATCH_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test to run it"; \
	fi

lint: $(DEV_STAMP)
	$(BIN)/ruff check monitor jobs tests $(wildcard bench)
	$(BIN)/ruff format --check monitor jobs tests $(wildcard bench)
	$(BIN)/mypy

bench: $(DEV_STAMP)
	$(BIN)/python -m bench --quick

bench-full: $(DEV_STAMP)
	$(BIN)/python -m bench --full

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
