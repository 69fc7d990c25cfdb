# The two commands of the quick start: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Exact versions of everything installed (the golden site was made with them); `make lock` renews it.
CONSTRAINTS := constraints.txt
PIP := $(PY) -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS)
SOURCES := $(shell find generator templates schema -type f -not -name '*.pyc' 2>/dev/null)
RUNTIME := $(VENV)/.installed
TESTING := $(VENV)/.installed-test

.PHONY: site serve test lint bench golden lock clean

include tests/support/setup.mk

site: $(RUNTIME)
	$(PY) -m generator build .
	@echo
	@echo "The site is in output/. To look at it in a browser:"
	@echo "    make serve        (a preview at http://127.0.0.1:8000/ that rebuilds on every change)"
	@echo "The pressroom command is in $(VENV)/bin/:"
	@echo "    $(VENV)/bin/pressroom --help"
	@echo "    . $(VENV)/bin/activate    (then simply: pressroom build, pressroom new, pressroom serve)"

serve: $(RUNTIME)
	$(VENV)/bin/pressroom serve .

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Only what running Pressroom needs; reinstalled when its code, theme or pins change.
$(RUNTIME): $(VENV)/bin/python pyproject.toml $(CONSTRAINTS) $(SOURCES)
	$(PIP) .
	touch $(RUNTIME)

$(TESTING): $(RUNTIME) pyproject.toml $(CONSTRAINTS)
	$(PIP) '.[test]'
	touch $(TESTING)

test: $(TESTING) test-deps
	$(PY) -m ruff check generator tests
	$(PY) -m mypy
	$(VENV)/bin/lint-imports
	$(PY) -m pytest

lint: $(TESTING)
	$(PY) -m ruff check generator tests
	$(PY) -m mypy
	$(VENV)/bin/lint-imports

# Renew the pins: resolve pyproject.toml afresh in a scratch venv and record what it installed.
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --disable-pip-version-check '.[test]'
	{ echo "# Exact versions for reproducible installs (make lock renews this file)."; \
	  .venv-lock/bin/python -m pip freeze --exclude pressroom; } > $(CONSTRAINTS)
	rm -rf .venv-lock

golden: $(TESTING)
	$(PY) -m tests.golden refresh

# Pressroom, Hugo and Pelican on the same synthetic corpus (../shared/bench/compare.py).
# make bench BENCH_RELEASES=20000   ·   make bench BENCH_FLAGS=--no-search
BENCH_RELEASES ?= 5000
BENCH_RUNS ?= 3
BENCH_DIR ?= $(HOME)/.cache/pressroom-bench/corpora
BENCH_FLAGS ?=
bench: $(RUNTIME)
	$(PY) ../shared/bench/compare.py --releases $(BENCH_RELEASES) --runs $(BENCH_RUNS) --warm --workdir $(BENCH_DIR) \
		--ours "$(abspath $(VENV))/bin/pressroom build {site} -o {out} --now 2026-11-01T00:00:00+01:00 --quiet $(BENCH_FLAGS)"

clean:
	rm -rf output .output.* .pressroom-cache tests/artifacts
