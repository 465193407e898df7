# The doors in: make run, make test, make lint, make bench, make screenshots; CI also runs
# make smoke and make backup-test (the production shape on PostgreSQL and Redis).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench screenshots smoke backup-test system-deps clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev,bench]"
	touch $(STAMP)

system-deps:
	@bash bin/system-deps

run: $(STAMP)
	@bash bin/run

test: $(STAMP) system-deps
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	$(BIN)/python bench/run.py

smoke: $(STAMP)
	$(BIN)/python -m tests.production.smoke

backup-test: $(STAMP)
	$(BIN)/python -m tests.production.backup_restore

screenshots: $(STAMP) system-deps
	SCREENSHOT_DIR=docs/screenshots $(BIN)/pytest -m browser $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
