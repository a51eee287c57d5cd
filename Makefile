# Every target bootstraps what it needs: a virtualenv with the project, and promtool,
# amtool and prometheus from Debian when a target runs them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SUDO   := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
SERVICE_PACKAGES := prometheus prometheus-alertmanager
TOOL_PACKAGES := $(SERVICE_PACKAGES) chromium chromium-driver
# `make review`: the semantic diff against BASE, as Markdown for a pull-request comment.
BASE    ?= origin/main
REVIEW  ?= build/review.md
PREVIEW ?= build/preview
# What `make verify` recorded of every panel query; `make preview` draws it when present.
SERIES  ?= build/series.json

.PHONY: all generate test check drift verify review preview lint format bench tools venv clean

all: generate

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

## generate: compile definitions/ into generated/
generate: $(STAMP)
	$(BIN)/sarkmon generate

## tools: install promtool, amtool, prometheus and chromium (Debian packages) when missing
tools:
	@if ! command -v promtool >/dev/null || ! command -v amtool >/dev/null \
	    || ! command -v prometheus >/dev/null || ! command -v chromium >/dev/null; then \
	  echo "installing $(TOOL_PACKAGES) (apt-get, --no-install-recommends)"; \
	  created=; \
	  if [ ! -e /usr/sbin/policy-rc.d ]; then \
	    printf '#!/bin/sh\nexit 101\n' | $(SUDO) tee /usr/sbin/policy-rc.d >/dev/null; \
	    $(SUDO) chmod 755 /usr/sbin/policy-rc.d; created=1; \
	  fi; \
	  install="$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(TOOL_PACKAGES)"; \
	  $$install >/dev/null || { $(SUDO) apt-get update -qq && $$install >/dev/null; }; \
	  status=$$?; \
	  for service in $(SERVICE_PACKAGES); do \
	    $(SUDO) service $$service stop >/dev/null 2>&1 || true; \
	  done; \
	  [ -z "$$created" ] || $(SUDO) rm -f /usr/sbin/policy-rc.d; \
	  exit $$status; \
	fi

## test: lint, unit and integration tests (with coverage), then `sarkmon check`
test: $(STAMP) tools lint
	$(BIN)/python -m pytest --cov=sarkmon --cov-report=term --cov-fail-under=85
	$(BIN)/sarkmon check

## check: drift, schemas, promtool, amtool and alert test coverage
check: $(STAMP) tools
	$(BIN)/sarkmon check

## drift: fail when generated/ is not exactly what the definitions produce
drift: $(STAMP)
	$(BIN)/sarkmon generate --check

## review: what the definitions change against $(BASE), in $(REVIEW) (a PR comment holds 65536)
review: $(STAMP)
	@mkdir -p $(dir $(REVIEW))
	$(BIN)/sarkmon diff $(BASE) --max-chars 60000 --output $(REVIEW)

## preview: HTML pages of the dashboards (with the series of the last `make verify`), and
## their screenshots from Chromium, in $(PREVIEW)
preview: $(STAMP) tools
	$(BIN)/sarkmon preview --out $(PREVIEW) --screenshots $(if $(wildcard $(SERIES)),--series $(SERIES))

## verify: every dashboard query and rule on a real Prometheus with a synthetic workload;
## the series the panels showed go to $(SERIES)
verify: $(STAMP) tools
	@mkdir -p $(dir $(SERIES))
	$(BIN)/sarkmon verify --series-out $(SERIES)

## lint: ruff and mypy
lint: $(STAMP)
	$(BIN)/ruff check sarkmon definitions tests
	$(BIN)/ruff format --check sarkmon definitions tests
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix sarkmon definitions tests
	$(BIN)/ruff format sarkmon definitions tests

## bench: generation benchmarks (medians of several runs)
bench: $(STAMP)
	$(BIN)/python -m sarkmon.bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage build test-artifacts
