# The two commands of the quick start: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: site test lint bench golden clean

include tests/support/setup.mk

site: $(STAMP)
	$(PY) -m generator build .
	@echo
	@echo "The site is in output/. To look at it in a browser:"
	@echo "    $(PY) -m http.server --directory output 8000"
	@echo "then open http://127.0.0.1:8000/"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

test: $(STAMP) test-deps
	$(PY) -m ruff check generator tests
	$(PY) -m mypy
	$(VENV)/bin/lint-imports
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check generator tests
	$(PY) -m mypy
	$(VENV)/bin/lint-imports

golden: $(STAMP)
	$(PY) -m tests.golden refresh

# Pressroom, Hugo and Pelican on the same synthetic corpus (../shared/bench/compare.py).
# make bench BENCH_RELEASES=20000   ·   make bench BENCH_FLAGS=--no-search
BENCH_RELEASES ?= 5000
BENCH_RUNS ?= 3
BENCH_DIR ?= $(HOME)/.cache/pressroom-bench/corpora
BENCH_FLAGS ?=
bench: $(STAMP)
	$(PY) -m tests.support.bench_corpus $(BENCH_RELEASES) $(BENCH_DIR)
	$(PY) ../shared/bench/compare.py --releases $(BENCH_RELEASES) --runs $(BENCH_RUNS) --warm --workdir $(BENCH_DIR) \
		--ours "$(abspath $(VENV))/bin/pressroom build {site} -o {out} --now 2026-11-01T00:00:00+01:00 --quiet $(BENCH_FLAGS)"

clean:
	rm -rf output .output.* .pressroom-cache tests/artifacts
