# One entry point for set-up and checks. Everything runs from a project-local virtualenv,
# made on first use, so a fresh clone needs nothing but python3 (3.11+) and make.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The checks also train a tiny model end to end, so they install the train extra (torch
# 2.13.0, CPU build); `make check CHECK_EXTRAS=test` leaves it out and those tests skip.
CHECK_EXTRAS ?= test,train
comma := ,
CHECK_STAMP  := $(VENV)/.installed-$(subst $(comma),-,$(CHECK_EXTRAS))

.PHONY: example check test lint typecheck docs bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

$(CHECK_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[$(CHECK_EXTRAS)]'
	touch $(CHECK_STAMP)

## Analyse the bundled (fictional) example article.
example: $(STAMP)
	$(BIN)/unspun analyze --example

## Everything CI runs: lint, type checks, the whole test suite.
check: lint typecheck test

test: $(CHECK_STAMP)
	$(BIN)/python -m pytest -q

lint: $(CHECK_STAMP)
	$(BIN)/ruff check src tests scripts

typecheck: $(CHECK_STAMP)
	$(BIN)/mypy

## Regenerate docs/schema.json and docs/cli.md from the code.
docs: $(CHECK_STAMP)
	$(BIN)/python scripts/gen_docs.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
