# Two commands on a fresh machine: `make run` serves the demo school, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export FLASK_APP := server

.PHONY: run test test-postgres lint clean symbols

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Optional OpenMoji pictures for pupil mode (CC BY-SA 4.0), fetched from npm at set-up into
# pwa/vendor/openmoji (gitignored), never committed; quick once installed. The leading '-' keeps
# `make run` working without npm: pupil mode then uses the app's own faces.
symbols: $(STAMP)
	-$(BIN)/python -m server.symbols install

# Migrate, build the demo school once (it prints the logins), then serve with waitress.
run: $(STAMP) symbols
	$(BIN)/flask db upgrade
	$(BIN)/flask demo --if-empty
	@echo "Serving http://127.0.0.1:5000 (Ctrl+C to stop)"
# waitress's 4 threads queue a single tablet's sync, pulls and photos ("Task queue depth"); 16 serve a school's staff at once.
	$(BIN)/waitress-serve --host 127.0.0.1 --port 5000 --threads=16 --connection-limit=200 --channel-timeout=60 --call server:create_app

test: $(STAMP) symbols
	$(BIN)/pytest

# The same suite against PostgreSQL: make test-postgres TEST_DATABASE_URL=postgresql://...
# The browser tests run their own SQLite server, so they are left to `make test`.
test-postgres: $(STAMP)
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test} $(BIN)/pytest -m "not browser"

# ruff: the lint rules and line length are in pyproject.toml; the format check fails on any file
# `ruff format` would change (run it to fix).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) instance .pytest_cache pwa/vendor
