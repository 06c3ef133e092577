# Two commands do all set-up on a fresh machine:
#   make run    -> creates .venv, installs xxgk, extracts data/raw -> data/out
#   make test   -> creates .venv, installs xxgk with test extras, runs the tests
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test bench clean

$(BIN)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

run: $(BIN)/.installed
	$(BIN)/xxgk extract data/raw --out data/out

test: $(BIN)/.installed
	$(BIN)/python -m pytest

bench: $(BIN)/.installed
	$(BIN)/python bench/bench.py

clean:
	rm -rf $(VENV) data/out
