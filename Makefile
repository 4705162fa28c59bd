# Learning-network blog: Pelican + our plugins. Every target bootstraps .venv on first use.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PELICAN := $(BIN)/pelican
PELICANOPTS ?=

BASEDIR := $(CURDIR)
INPUTDIR ?= $(BASEDIR)/content
OUTPUTDIR ?= $(BASEDIR)/output
CONFFILE ?= $(BASEDIR)/pelicanconf.py
PUBLISHCONF ?= $(BASEDIR)/publishconf.py
PORT ?= 8000
N ?= 2000
R ?= 1
# Worker processes for reading and rendering (the `workers` plugin reads $JOBS when the JOBS setting
# is not given); empty: every core. JOBS=1: one process. Exported, not passed with -e: Pelican keeps
# only the last -e group, so PELICANOPTS='-e …' would drop it.
ifneq ($(JOBS),)
export JOBS
endif

STAMP := $(VENV)/.installed-stamp

.PHONY: help html serve devserver publish check test bench clean import browser-deps screenshots

help:
	@echo 'make html        development build of $$INPUTDIR into $$OUTPUTDIR (errors reported, build goes on; JOBS=N worker processes)'
	@echo 'make serve       serve $$OUTPUTDIR on http://localhost:$$PORT'
	@echo 'make devserver   build, serve on http://localhost:$$PORT and rebuild on change (stop: Ctrl-C or kill PID)'
	@echo 'make publish     production build; refuses to replace $$OUTPUTDIR if the content has errors'
	@echo 'make check       build into a scratch folder, print every error and warning, exit 1 on errors'
	@echo 'make test        run the test suite (browser tests too, once make browser-deps has run)'
	@echo 'make browser-deps  install chromium (Debian), Playwright for Python and axe-core for the browser tests'
	@echo 'make screenshots   PNGs of every page type, 390 and 1280 px, light and dark, in output-screenshots/'
	@echo 'make bench       cold builds against plain Pelican and edit-to-page (N=$(N) posts, best of R=$(R) runs; BENCHOPTS=…)'
	@echo 'make clean       remove build output and caches'
	@echo 'make import      EXPORT=FILE: import a Blogger or WordPress export into $$INPUTDIR (docs/import.md)'

$(STAMP): pyproject.toml tools/bootstrap.py
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python tools/bootstrap.py test
	touch $@

html: $(STAMP)
	$(PELICAN) "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(CONFFILE)" $(PELICANOPTS)

serve: $(STAMP)
	$(PELICAN) -l "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(CONFFILE)" -p $(PORT) $(PELICANOPTS)

# Stop it with Ctrl-C or `kill PID` (of make): tools/devserver.py stops Pelican's builder and server
# processes with it. `exec`: make's SIGTERM goes straight to the tool, not to a shell.
devserver: $(STAMP)
	exec $(BIN)/python tools/devserver.py $(PELICAN) -lr "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(CONFFILE)" -p $(PORT) $(PELICANOPTS)

# Build into a sibling folder; swap it in only when the build had no author error.
publish: $(STAMP)
	@rm -rf "$(OUTPUTDIR).publish-new" "$(OUTPUTDIR).publish-old"
	@$(PELICAN) "$(INPUTDIR)" -o "$(OUTPUTDIR).publish-new" -s "$(PUBLISHCONF)" $(PELICANOPTS) \
	  || { rm -rf "$(OUTPUTDIR).publish-new"; echo "make publish: the build had errors (listed above); $(OUTPUTDIR) was left untouched." >&2; exit 1; }
	@if [ -d "$(OUTPUTDIR)" ]; then mv "$(OUTPUTDIR)" "$(OUTPUTDIR).publish-old"; fi
	@mv "$(OUTPUTDIR).publish-new" "$(OUTPUTDIR)"
	@rm -rf "$(OUTPUTDIR).publish-old"
	@echo "make publish: published to $(OUTPUTDIR)"

check: $(STAMP)
	@scratch=$$(mktemp -d); \
	$(PELICAN) "$(INPUTDIR)" -o "$$scratch" -s "$(CONFFILE)" -e AUTHOR_REPORT_STRICT=true CROSSLINKS_CURATION_WARNINGS=true LOAD_CONTENT_CACHE=false CACHE_CONTENT=false $(PELICANOPTS); \
	status=$$?; rm -rf "$$scratch"; exit $$status

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTESTOPTS)

# Debian's chromium (apt, as root; skipped when present), Playwright for Python (pyproject's `browser`
# group; never `playwright install`: its browser download does not work here), axe-core (npm, pinned
# by package-lock.json). Nothing is downloaded when the tests run.
browser-deps: $(STAMP)
	@if [ -x /usr/bin/chromium ]; then echo "browser-deps: /usr/bin/chromium present"; \
	else apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; fi
	@command -v npm >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y npm; }
	$(BIN)/python tools/bootstrap.py browser
	npm ci --no-audit --no-fund

screenshots: $(STAMP)
	$(BIN)/python -m tools.screenshots

BENCHOPTS ?=
bench: $(STAMP)
	$(BIN)/python -m tools.bench --posts $(N) --repeat $(R) $(BENCHOPTS)

# Import a Blogger or WordPress export (docs/import.md).
IMAGES ?= keep
COMMENTS ?= keep
BLOG_URL ?=
import: $(STAMP)
	@test -n "$(EXPORT)" || { echo "make import: EXPORT=FILE is required (a Blogger or WordPress export)" >&2; exit 2; }
	$(BIN)/python -m importer "$(EXPORT)" --inputdir "$(INPUTDIR)" --images "$(IMAGES)" --comments "$(COMMENTS)" \
	  $(if $(BLOG_URL),--blog-url "$(BLOG_URL)") $(if $(filter-out 0,$(FORCE)),--force)

clean:
	rm -rf "$(OUTPUTDIR)" "$(OUTPUTDIR).publish-new" "$(OUTPUTDIR).publish-old" cache .pytest_cache .hypothesis .bench
	find . -name __pycache__ -type d -not -path "./$(VENV)/*" -prune -exec rm -rf {} +
