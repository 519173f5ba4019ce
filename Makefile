# luoshi — two entry points on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
DEMO_DB ?= demo/luoshi-demo.db
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev services lint typecheck importlint unit bench clean

# A stamp per extras set, rebuilt when pyproject.toml changes, or setup.py or a restore
# module (setup.py compiles them with mypyc: README, "Compiled restore").
NATIVE_INPUTS := setup.py $(wildcard src/luoshi/restore/*.py)
$(VENV)/.installed: pyproject.toml $(NATIVE_INPUTS)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -U pip
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(NATIVE_INPUTS)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -U pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# The main job on the bundled demo corpus: restore, extract, ingest, track, then serve.
run: $(VENV)/.installed
	bash scripts/run_demo.sh "$(DEMO_DB)" "$(HOST)" "$(PORT)"

services:
	bash scripts/ensure_postgres.sh
	bash scripts/ensure_chromium.sh

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests bench

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy src

importlint: $(VENV)/.installed-dev
	$(BIN)/lint-imports

# (LUOSHI_EXPECT_COMPILED: a test checks that the install compiled the restore modules)
unit: $(VENV)/.installed-dev
	LUOSHI_EXPECT_COMPILED=1 $(BIN)/pytest

test: $(VENV)/.installed-dev services lint typecheck importlint unit

bench: $(VENV)/.installed-dev
	for b in bench/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build src/*.egg-info
	find src -name '*.so' -delete; rm -f src/luoshi/restore/_build_stamp.py
