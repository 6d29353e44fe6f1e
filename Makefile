# Luoshi (落实). Quick start: `make run` (serve the demo) and `make test` (the whole suite).
# Everything installs into ./.venv; data lives in ./var (or $LUOSHI_DATA_DIR).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/luoshi
DATA   := $(or $(LUOSHI_DATA_DIR),var)

.PHONY: run serve install install-test migrate demo test test-pg test-fast lint format \
        bench bench-pg bench-extra loadtest fuzz messages check clean

# --- installation (re-run only when pyproject.toml changes) ---------------------------------
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
	  { echo "Luoshi needs Python 3.11 (found: $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# --- running ----------------------------------------------------------------------------------
migrate: install
	$(BIN)/luoshi migrate --noinput

demo: migrate
	$(BIN)/luoshi demo

# The background worker (scheduled and queued jobs) runs beside the web server, logging to
# $(DATA)/worker.log, and stops when the web server does.
run: demo
	$(BIN)/luoshi collectstatic --noinput --verbosity 0
	@echo "Luoshi is at http://$(HOST):$(PORT)/  (demo accounts: see README; Ctrl-C stops)"
	@echo "Background worker: log in $(DATA)/worker.log"
	@$(BIN)/luoshi run_huey --workers 2 >>"$(DATA)/worker.log" 2>&1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/luoshi runserver $(HOST):$(PORT)

# As `run`, with gunicorn's several processes on one address instead of the development
# server (docs/SCALE.md; WORKERS= processes, default 2 × cores + 1).
serve: demo
	$(BIN)/luoshi collectstatic --noinput --verbosity 0
	@echo "Luoshi is at http://$(HOST):$(PORT)/  (gunicorn; Ctrl-C stops; worker log: $(DATA)/worker.log)"
	@$(BIN)/luoshi worker >>"$(DATA)/worker.log" 2>&1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/luoshi serve --bind $(HOST):$(PORT) --no-collectstatic $(if $(WORKERS),--workers $(WORKERS))

# --- tests ------------------------------------------------------------------------------------
# Browser tests drive Debian's Chromium (/usr/bin/chromium). Without it they are skipped here,
# loudly; .ci/run installs it, so in CI they always run.
test: install-test
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "*** /usr/bin/chromium not found: browser tests will be skipped (apt install chromium)"; \
	fi
	LUOSHI_ALLOW_NO_BROWSER=$$([ -x /usr/bin/chromium ] && echo 0 || echo 1) \
	  $(BIN)/pytest $(PYTEST_ARGS)

test-pg: install-test
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(BIN)/pytest $(PYTEST_ARGS)

test-fast: install-test
	$(BIN)/pytest -m "not browser" -x -q $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check luoshi tests bench load
	$(BIN)/ruff format --check luoshi tests bench load
	$(BIN)/luoshi makemigrations --check --dry-run

format: install-test
	$(BIN)/ruff check --fix luoshi tests bench load
	$(BIN)/ruff format luoshi tests bench load

# The benchmark suite (bench/suite.py, docs/BENCHMARKS.md): generated provinces of 10,000, 50,000
# and 200,000 tasks (`luoshi generate`, kept in bench-cache/ for the next run), pages, API,
# report submission, tick, scoring, ledger import/export; figures and a Markdown table go to
# bench-results/suite-<database>.*. BENCH_ARGS="--sizes 10000 --only pages,api" for a quick look.
bench: install
	$(BIN)/python -m bench.suite $(BENCH_ARGS)

bench-pg: install
	DATABASE_URL=$(PG_URL) $(BIN)/python -m bench.suite $(BENCH_ARGS)

# The specialised benches, for what the suite does not measure (a 32-page PDF's extraction,
# meetings, bulletins, policies, the tick's steps one by one, cold/warm cockpit, search).
bench-extra: install
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.tick $(BENCH_TICK_ARGS)
	$(BIN)/python -m bench.extract
	$(BIN)/python -m bench.ledger
	$(BIN)/python -m bench.meetings
	$(BIN)/python -m bench.bulletin $(BENCH_BULLETIN_ARGS)
	$(BIN)/python -m bench.evaluation $(BENCH_EVALUATION_ARGS)
	$(BIN)/python -m bench.policies $(BENCH_POLICIES_ARGS)
	$(BIN)/python -m bench.cockpit $(BENCH_COCKPIT_ARGS)
	$(BIN)/python -m bench.api $(BENCH_API_ARGS)

# The deadline rush (docs/LOADTEST.md): 2,000 liaisons report within ten minutes while the
# office and leaders read; checks that no acknowledged report is lost or doubled. SQLite in a
# temporary folder, or DATABASE_URL=postgres://…/scratch (that database is EMPTIED).
# LOAD_ARGS="--quick" for 200 units in one minute.
loadtest: install
	$(BIN)/pip install --quiet -e '.[load]'
	$(BIN)/python -m load.rush $(LOAD_ARGS)

# Long fuzzing of the API and the parsers (docs/RELIABILITY.md); FUZZ_EXAMPLES per property.
fuzz: install-test
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-2000} $(BIN)/pytest tests/fuzz -q -p no:cacheprovider

messages: install
	cd luoshi && ../$(BIN)/django-admin makemessages -l en --ignore='static/vendor/*' \
	  --settings=luoshi.settings && ../$(BIN)/django-admin compilemessages --settings=luoshi.settings

check: lint test

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache test-results bench-results bench-cache *.egg-info
