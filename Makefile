# werkstattnetz — the two commands: `make run` (whole system) and `make test` (all checks and tests).
# Everything else is a building block of those two.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PACKAGES := shared services/intake services/placement services/outcomes services/notifications deploy/local
PYPROJECTS := $(foreach p,$(PACKAGES),$(p)/pyproject.toml)
ROLE ?= manager
SUBJECT ?= dev-staff
PYTEST_ARGS ?=
BENCH_ARGS ?=

.PHONY: help install system-deps compose-plugin run up down status demo token test lint typecheck unit integration e2e schemas asyncapi bench clean

help:
	@echo "make run      start Kafka, PostgreSQL, the SMTP sink and all four services (Ctrl-C stops all)"
	@echo "make up/down  the same in the background / stop it;  make status  what runs"
	@echo "make test     ruff, mypy, unit, integration and end-to-end tests against real Kafka and PostgreSQL"
	@echo "make demo     (after make up) import twelve years of realistic history, enrol today's people, record four weeks of attendance, print the funder report"
	@echo "make token ROLE=<intake|caseworker|manager|reporting|monitoring|workshop_lead|admin> [SUBJECT=<name>]  print a development token"
	@echo "make bench    measure the system side by side with bare floors, print one table (BENCH_ARGS=\"--quick --only P2,P4\")"

# Debian packages the local stack and the tests need (chromium: the offline /docs test renders the
# page in a real headless browser); a fresh machine of our kind already has most of them.
system-deps:
	@missing=""; \
	command -v java >/dev/null || missing="$$missing openjdk-17-jre-headless"; \
	command -v mvn >/dev/null || missing="$$missing maven"; \
	[ -x /usr/lib/postgresql/15/bin/initdb ] || missing="$$missing postgresql-15"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing" >&2; \
	  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >&2; \
	fi

# `docker compose config` checks deploy/compose.yaml without an engine; where only the docker client
# is installed, the compose plugin is built from its Go module (a few minutes, once).
compose-plugin:
	@if command -v docker >/dev/null && ! docker compose version >/dev/null 2>&1; then \
	  echo "building the docker compose plugin …" >&2; bash deploy/docker/install-compose-plugin.sh >&2; \
	fi

$(STAMP): $(PYPROJECTS) requirements-dev.txt
	@echo "installing Python packages into $(VENV) …" >&2
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) >&2
	@$(BIN)/pip install -q --upgrade pip >&2
	@$(BIN)/pip install -q -r requirements-dev.txt $(foreach p,$(PACKAGES),-e $(p)) >&2
	@touch $(STAMP)

install: system-deps $(STAMP)

run: install
	$(BIN)/python -m werkstattnetz_devstack run

up: install
	$(BIN)/python -m werkstattnetz_devstack up

down:
	@$(BIN)/python -m werkstattnetz_devstack down

# `status` exits 1 when nothing runs; that is an answer, not a failure of make.
status:
	@$(BIN)/python -m werkstattnetz_devstack status || true

# Needs the stack running (`make up`); says so if it is not. Running it twice imports nothing twice.
demo: $(STAMP)
	@$(BIN)/python -m werkstattnetz_devstack.demo

token: $(STAMP)
	@$(BIN)/python -m werkstattnetz_shared.token_cli --role $(ROLE) --subject $(SUBJECT)

# The AsyncAPI document is built from the same contracts, so regenerating schemas renews it too.
schemas: $(STAMP)
	$(BIN)/python -m werkstattnetz_shared.events.schema_export
	$(BIN)/python -m werkstattnetz_shared.events.asyncapi

asyncapi: $(STAMP)
	$(BIN)/python -m werkstattnetz_shared.events.asyncapi

# The official AsyncAPI 3.0.0 JSON Schema (npm's @asyncapi/specs; no PyPI package ships it), so the
# unit tests validate our document against the specification itself. Fetched once into .cache/.
ASYNCAPI_SPECS := .cache/asyncapi-specs/6.11.1
$(ASYNCAPI_SPECS)/3.0.0.json:
	@echo "fetching the AsyncAPI 3.0.0 JSON Schema (npm @asyncapi/specs@6.11.1) …" >&2
	@rm -rf $(ASYNCAPI_SPECS) && mkdir -p $(ASYNCAPI_SPECS)
	@cd $(ASYNCAPI_SPECS) && npm pack -q @asyncapi/specs@6.11.1 >/dev/null && \
	  tar xzf asyncapi-specs-6.11.1.tgz package/schemas/3.0.0-without-\$$id.json && \
	  mv 'package/schemas/3.0.0-without-$$id.json' 3.0.0.json && rm -rf package asyncapi-specs-6.11.1.tgz

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy -p werkstattnetz_shared -p werkstattnetz_devstack -p intake -p placement -p outcomes -p outcomes_live -p notifications
	$(BIN)/mypy tests

unit: $(STAMP) $(ASYNCAPI_SPECS)/3.0.0.json
	$(BIN)/pytest tests/unit -q

integration: install compose-plugin
	$(BIN)/pytest tests/infra tests/integration tests/deploy -q $(PYTEST_ARGS)

e2e: install
	$(BIN)/pytest tests/e2e -q $(PYTEST_ARGS)

# The one test command: CI runs exactly this (.ci/run).
test: install compose-plugin $(ASYNCAPI_SPECS)/3.0.0.json lint typecheck
	$(BIN)/pytest tests -q -rfEs --durations=15 $(PYTEST_ARGS)

# Measures, never asserts: prints one table and writes .cache/bench/results.json (see tests/bench).
bench: install
	$(BIN)/python -m tests.bench $(BENCH_ARGS)

clean:
	rm -rf .cache/test .mypy_cache .ruff_cache .pytest_cache
