# The two commands of the README: `make run` and `make test`. Everything else is set-up they call.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.lock | cut -c1-12)

.PHONY: run test lint venv test-env clean

run: $(STAMP)
	$(PY) main.py dev

test: $(STAMP) test-env lint
	bash scripts/test-env.sh --run $(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

venv: $(STAMP)

$(STAMP): requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.lock
	@rm -f $(VENV)/.installed-* && touch $@

test-env:
	bash scripts/test-env.sh --check

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
