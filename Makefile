# The two entry points of a fresh clone: `make demo` and `make test`.
# Both create .venv and install briefwatch with its dependencies first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

# Test processes: one more than the cores, since many tests wait on subprocesses and servers.
TEST_PROCESSES ?= $(shell $(PYTHON) -c 'import os; print((os.cpu_count() or 1) + 1)')

.PHONY: demo test install lint

$(BIN)/briefwatch: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/briefwatch

install: $(BIN)/briefwatch

demo: install
	$(BIN)/briefwatch demo

# PostgreSQL tests need server binaries and the web UI's browser tests a headless Chromium with its
# WebDriver; scripts/ensure-postgres and scripts/ensure-chromium install Debian's if missing.
test: install
	bash scripts/ensure-postgres
	bash scripts/ensure-chromium
	$(BIN)/python -m pytest -n $(TEST_PROCESSES)

# Style and types (not part of `make test`, so a lint nit never blocks a data-safety fix).
lint: install
	$(BIN)/ruff check bot parsers storage matching tests bench
	$(BIN)/mypy
