# The Western Route Army book. `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
JB     := $(VENV)/bin/jupyter-book
STAMP  := $(VENV)/.installed
MUTATE_STAMP := $(VENV)/.installed-mutate
HOST   ?= 127.0.0.1
PORT   ?= 8000
LAB_PORT ?= 8888
LAB_STAMP := $(VENV)/.lab-installed
# pytest-xdist workers for make test and make test-fast ("auto": one per core)
JOBS   ?= auto
# the chapter make test-fast executes: the notebook edited last, unless named (NB=04_route)
NB     ?= $(basename $(notdir $(shell ls -t notebooks/*.md 2>/dev/null | head -1)))
# The book is always built from the repository's own data (see wra/record/paths.py).
unexport WRA_DATA

.DEFAULT_GOAL := help
.PHONY: help setup font chromium axe check lint book test test-fast serve bench mutate clean clean-cache clean-all lab lab-setup pdf format-notebooks

help: ## List the targets, one line each
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

setup: $(STAMP) font ## Create .venv, install requirements.txt and a CJK font

font: $(STAMP) ## Make sure a CJK font is installed (apt-get as root, else says how)
	@PY=$(PY) tools/system-deps.sh font

chromium: ## Make sure Debian's Chromium is installed, for the browser tests
	@PY=$(PY) tools/system-deps.sh chromium

axe: ## Install axe-core (tools/axe/package-lock.json) for the accessibility tests
	@tools/axe.sh

check: $(STAMP) ## Validate data/ and references.bib (python -m wra check)
	$(PY) -m wra check

lint: $(STAMP) ## Lint and format-check the Python code (ruff; rules in pyproject.toml)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

book: setup chromium ## Build what changed into _build/html, with the whole book as one PDF (warnings are errors)
	@$(PY) tools/book.py

pdf: setup check chromium ## Print the whole book as one PDF, always: _build/pdf/western-route-army.pdf (also into _build/html)
	$(PY) tools/pdf.py

$(LAB_STAMP): requirements-lab.txt requirements.txt $(STAMP)
	$(PY) -m pip install --quiet -r requirements-lab.txt
	touch $@

lab-setup: $(LAB_STAMP) font ## Install JupyterLab (requirements-lab.txt) into .venv

lab: lab-setup ## JupyterLab on http://127.0.0.1:8888/ (LAB_PORT to change); notebooks open as notebooks
	tools/lab.sh --port=$(LAB_PORT)

format-notebooks: $(STAMP) ## Rewrite notebooks/*.md in the form JupyterLab saves them (jupytext)
	$(PY) tools/format_notebooks.py

test: lint book chromium lab-setup axe ## Lint, build the book, then run every test, JOBS at a time (unit, notebooks, JupyterLab, PDF, browser, accessibility)
	$(PY) -m pytest -n $(JOBS) --dist loadscope

test-fast: $(STAMP) ## The edit loop, under 2 minutes: lint, data check, unit tests, one chapter's notebook (NB=04_route; default: the last edited)
	$(PY) -m ruff check .
	$(PY) -m wra check
	$(PY) -m pytest -q -n $(JOBS) --dist loadscope -m "not book and not browser and not notebook and not slow"
	$(PY) -m pytest -q "tests/test_notebooks.py::test_notebook_executes_without_errors_or_stderr[$(NB).md]"

bench: book chromium lab-setup axe ## Time what users run: make book (clean, no-op, edits), the PDF, make test, test-fast, chart pages (_build/bench/bench.json)
	$(PY) bench/bench.py $(BENCH_ARGS)

$(MUTATE_STAMP): requirements-mutate.txt $(STAMP)
	$(PY) -m pip install --quiet -r requirements-mutate.txt
	touch $@

mutate: $(MUTATE_STAMP) ## Mutation run over the analysis modules; fails if more mutants survive than the baseline
	$(PY) tools/mutate.py

serve: ## Preview the built book on http://127.0.0.1:8000/ (HOST, PORT to change)
	@test -f _build/html/index.html || { echo "no book yet: run make book"; exit 1; }
	$(PY) -m http.server --bind $(HOST) --directory _build/html $(PORT)

clean: ## Remove the built book (HTML, PDF, doctrees); keeps the execution cache and .venv
	@test ! -d _build || find _build -mindepth 1 -maxdepth 1 ! -name .jupyter_cache -exec rm -rf {} +

clean-cache: ## Remove the built book and the execution cache (every notebook runs again); keeps .venv
	rm -rf _build

clean-all: ## Remove _build, mutants/ and .venv: back to a fresh checkout's state
	rm -rf _build mutants $(VENV)
