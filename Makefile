# The course's commands. Start with `make lab` (students) or `make test` (CI, contributors).
# Every target sets up what it needs first and is fast when that is already done.

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
# pip on some machines warns about every missing local index entry: keep the log readable.
PIPQUIET := 2>&1 | { grep -v "is ignored: it is neither a file nor a directory" || true; }
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo -n)
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

# What `make test` runs the notebooks with: the tiny profile, one thread per xdist worker,
# checkers that raise on a wrong solution, widgets drawn as static figures, no progress bars.
NB_ENV := COURSE_PROFILE=ci OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 COURSE_STRICT_CHECKS=1 \
          COURSE_STATIC_WIDGETS=1 COURSE_QUIET=1 MPLBACKEND=agg PYDEVD_DISABLE_FILE_VALIDATION=1
PYTEST_WORKERS ?= 2
CELL_TIMEOUT ?= 90
EXTRA_TESTS :=

.PHONY: help setup data lab test test-code test-clean strip bench results lock clean
help:
	@echo "make lab      set up (once) and open the course in JupyterLab"
	@echo "make test     set up (once) and run every test: unit tests and all notebooks (CI profile)"
	@echo "make bench    print speed figures (data loading, training engine, ops)"
	@echo "make results  re-make the shipped full-scale results in data/results/ (long; GPU if present)"
	@echo "make slides | student | site | test-browser   presenting and publishing (see INSTRUCTORS.md)"

# Extra targets (presenting and publishing) live in mk/*.mk; they may add to EXTRA_TESTS.
-include mk/*.mk

setup: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Installing the pinned environment into $(VENV) (torch first: the local CPU wheel)..."
	$(PY) -m pip install --quiet torch==2.13.0 $(PIPQUIET)
	$(PY) -m pip install --quiet -r requirements.lock $(PIPQUIET)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e . $(PIPQUIET)
	@touch $@

# One Python start when the data is there (each start imports torch: about 2 s).
data: setup
	@out=$$($(PY) -m course_utils.data --offline 2>&1) && echo "$$out" || { \
	  if command -v apt-get >/dev/null; then \
	    echo "Installing Debian's dataset-fashion-mnist..."; \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq dataset-fashion-mnist >/dev/null || true; \
	  fi; $(PY) -m course_utils.data; }

lab: data
	$(VENV)/bin/jupyter lab $(LAB_NOTEBOOK_DIR)/00_course_map.ipynb --ip=127.0.0.1 $(ROOT_FLAG) \
	  $(if $(DISPLAY),,--no-browser)

test: test-clean test-code $(EXTRA_TESTS)

test-clean: setup
	@echo "Checking that notebooks are stored without outputs..."
	@$(VENV)/bin/nbstripout --verify notebooks/*.ipynb \
	  || { echo "Notebooks above carry outputs: run 'make strip' and commit again."; exit 1; }

# Unit tests and every notebook, in one pytest run on $(PYTEST_WORKERS) workers; a notebook cell
# over $(CELL_TIMEOUT) s fails; the slowest tests and cells are listed at the end.
test-code: data
	$(NB_ENV) $(PY) -m pytest tests notebooks --nbval-lax --nbval-current-env \
	  --nbval-cell-timeout=$(CELL_TIMEOUT) -n $(PYTEST_WORKERS) --dist loadfile --durations=15 -q

strip: setup
	$(VENV)/bin/nbstripout notebooks/*.ipynb

bench: data
	@missed=""; for f in benchmarks/bench_*.py; do COURSE_QUIET=1 $(PY) $$f || missed="$$missed $$f"; done; \
	  if [ -n "$$missed" ]; then echo "make bench: missed a target in:$$missed"; exit 1; fi

# Full-scale results shipped with the course; `make results EXPERIMENTS="degradation"` for one.
EXPERIMENTS ?=
RESULTS_PROFILE ?= full
results: data
	$(PY) -m course_utils.experiments --profile $(RESULTS_PROFILE) $(EXPERIMENTS)

lock: setup
	@{ echo "# Full pinned closure of the course's environment (Python 3.11, CPU). Made by \`make lock\`."; \
	   echo "# Install torch==2.13.0 first (the Makefile does): any other torch spec pulls GBs of CUDA packages."; \
	   $(PY) -m pip freeze --all --exclude-editable | grep -vE "^(pip|setuptools)==" \
	     | sed 's/^torch==2.13.0+cpu/torch==2.13.0/' | sort -f; } > requirements.lock

clean:
	rm -rf build .pytest_cache
