# The two commands of the README: `make build` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
export NO_MKDOCS_2_WARNING := true

.PHONY: build test serve render validate coverage bench chromium clean extract-accuracy

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	rm -f $(VENV)/.installed-* && touch $@

build: $(STAMP)
	$(BIN)/python -m generator build

validate: $(STAMP)
	$(BIN)/python -m generator validate

coverage: $(STAMP)
	$(BIN)/python -m generator coverage

render: $(STAMP)
	$(BIN)/python -m generator render

serve: render
	$(BIN)/python -m mkdocs serve --dirty --no-strict -f mkdocs.yml   # preview only: publishing is `make build` (strict)

# Debian's chromium for the browser tests (Playwright drives it; it downloads no browser of its own).
chromium:
	@if [ -x /usr/bin/chromium ]; then echo "chromium: $$(/usr/bin/chromium --version 2>/dev/null)"; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null && /usr/bin/chromium --version; \
	else echo "chromium is missing: run 'sudo apt-get install chromium'" >&2; exit 1; fi

test: build chromium
	$(BIN)/python -m pytest -q

extract-accuracy: $(STAMP)
	$(BIN)/python bench/extract_accuracy.py

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf build site .site-builds .mkdocs-*.yml
