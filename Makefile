# The two commands of the README: `make build` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha1sum | cut -c1-12)
export NO_MKDOCS_2_WARNING := true
# Python keeps what it compiles (.pyc, in .venv and the gitignored __pycache__/ folders) even where the
# environment says not to (PYTHONDONTWRITEBYTECODE): the venv is installed without compiling (below), so without
# that every process of a build or a test compiles again every module it imports (MkDocs, Material, pydantic, the
# generator): a tiny project's build then costs 8 CPU-s instead of 4, and `make test` runs some 150 processes.
unexport PYTHONDONTWRITEBYTECODE
# the site's public address (sitemap, absolute links in feeds and calendars): make build PORTAL_SITE_URL=https://…/
PORTAL_SITE_URL ?=
export PORTAL_SITE_URL
# The builder: mkdocs (default, the product's choice) or properdocs (the maintained fork; same mkdocs.yml).
PORTAL_BUILDER ?= mkdocs
export PORTAL_BUILDER

.PHONY: FORCE build test serve render validate coverage bench chromium npm lock clean extract-accuracy review

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Every dependency (test and bench extras and the build backend too) comes from requirements.lock, pinned
# and hash-checked; the project itself is then installed without resolving anything.
# (--no-compile: Python compiles a module when it is first imported; compiling every module of the ~90 packages
# at install costs a fresh clone ~15 s of CPU for modules no command imports.)
$(STAMP): requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --no-compile --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-* && touch $@

# Refresh the lock after changing a dependency in pyproject.toml (needs network; uv lives in its own venv).
lock:
	test -x .venv-lock/bin/uv || ($(PYTHON) -m venv .venv-lock && .venv-lock/bin/python -m pip install --quiet uv)
	$(PYTHON) -c "import tomllib; print(*tomllib.load(open('pyproject.toml','rb'))['build-system']['requires'], sep='\\n')" \
	  | .venv-lock/bin/uv pip compile pyproject.toml - --extra test --extra bench \
	  --universal --python-version 3.11 --generate-hashes --quiet -o requirements.lock

# What the published site was built from: the content, the code and templates, and the settings (the declared
# date defaults to today). `make build` always builds (a republish when little changed); `make test`, which
# reads the published site, builds only when one of these changed since the last `make build` or site/ is gone.
SITE_INPUTS := mkdocs.yml $(shell find content templates site_config generator -type f -not -name '*.pyc' 2>/dev/null)
SITE_MADE   := build/.site-made-$(shell echo "$(PORTAL_SITE_URL)|$(PORTAL_BUILDER)|$(PORTAL_AS_OF)|$(SOURCE_DATE_EPOCH)|$$(date -u +%F)" | sha1sum | cut -c1-12)

build: $(STAMP)
	$(BIN)/python -m generator build
	mkdir -p build && rm -f build/.site-made-* && touch $(SITE_MADE)

$(SITE_MADE): $(STAMP) $(SITE_INPUTS) $(if $(wildcard site/index.html),,FORCE)
	$(BIN)/python -m generator build
	mkdir -p build && rm -f build/.site-made-* && touch $@

FORCE:

validate: $(STAMP)
	$(BIN)/python -m generator validate

coverage: $(STAMP)
	$(BIN)/python -m generator coverage

render: $(STAMP)
	$(BIN)/python -m generator render

serve: render
	$(BIN)/python -m $(PORTAL_BUILDER) serve --dirty --no-strict -f mkdocs.yml   # preview only: publishing is `make build` (strict)

# Debian's chromium for the browser tests (Playwright drives it; it downloads no browser of its own).
chromium:
	@if [ -x /usr/bin/chromium ]; then echo "chromium: $$(/usr/bin/chromium --version 2>/dev/null)"; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null && /usr/bin/chromium --version; \
	else echo "chromium is missing: run 'sudo apt-get install chromium'" >&2; exit 1; fi

# JavaScript the tests use (axe-core), exactly as package-lock.json records it.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

npm: node_modules/.package-lock.json

# The suite runs in TEST_WORKERS processes (pytest-xdist); tests that share a module fixture building a site stay
# in one (tests/conftest.py, tests/README.md). TEST_WORKERS=0 runs it in this process.
TEST_WORKERS ?= 2
# mypy (about 20 s of CPU on a fresh clone) runs beside the suite, which spends much of its time waiting on
# builds and browsers; the target fails if either fails.
test: $(SITE_MADE) chromium npm
	$(BIN)/ruff check generator tests bench
	$(BIN)/python -m mypy > .mypy.out 2>&1 & mypy=$$!; \
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadgroup; tests=$$?; \
	wait $$mypy; types=$$?; cat .mypy.out; rm -f .mypy.out; \
	test $$types -eq 0 && test $$tests -eq 0

extract-accuracy: $(STAMP)
	$(BIN)/python bench/extract_accuracy.py

review: $(STAMP)   # make review PLAN=<plan id>: what is left to check in a drafted plan
	@test -n "$(PLAN)" || { echo "usage: make review PLAN=<plan id>  (content/plans/<plan id>.yml)" >&2; exit 1; }
	$(BIN)/python -m generator review $(PLAN)

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf build site .site-builds .mkdocs-*.yml node_modules
