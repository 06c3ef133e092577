# Two commands do all set-up on a fresh machine:
#   make run    -> creates .venv, installs xxgk, extracts data/raw -> data/out
#   make test   -> creates .venv, installs xxgk with its test extras, lints, runs the tests
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test test-quick lint bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# the package alone (what `make run` needs); the test extras on top for `make test`
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev,dask]'
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	$(BIN)/xxgk extract data/raw --out data/out

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

test: lint
	sh tests/ensure_tmux.sh
	$(BIN)/python -m pytest

# the quick local loop: everything but the slow process-killing tests (CI runs them all via `make test`)
test-quick: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -m "not slow"

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/bench.py

clean:
	rm -rf $(VENV) data/out
