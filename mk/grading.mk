# Grading a class with nbgrader 0.9.6 (issue 16). Included by the Makefile; INSTRUCTORS.md,
# "Grading a class", walks through the whole cycle.
#
#   make assignments                     grading/source/<nb>/ and grading/release/<nb>/ for every notebook
#   make assignments GRADING_NOTEBOOKS="notebooks/02_stride_padding.ipynb"      just one
#   make autograde ASSIGNMENT=02_stride_padding   grade grading/submitted/*/02_stride_padding/,
#                                        write feedback, export grading/grades.csv
#   make formgrader                      JupyterLab with nbgrader's menus, in grading/ (instructors)
#   make grading-class ASSIGNMENT=... CLASS_SIZE=30  time autograding a mock class
#
# nbgrader lives in its own environment, .venv-grading, pinned by grading/requirements.lock (the
# same versions as requirements.lock for every package both have), so that nbgrader's JupyterLab
# extension never reaches the students' `make lab`. The notebooks run in the course's own
# environment (.venv) through the `cnn-course` kernel registered below.

GRADING_VENV := .venv-grading
GRADING_PY := $(GRADING_VENV)/bin/python
GRADING_STAMP := $(GRADING_VENV)/.installed
GRADING_KERNEL := $(GRADING_VENV)/share/jupyter/kernels/cnn-course/kernel.json
GRADING_NOTEBOOKS ?= $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
ASSIGNMENT ?=
CLASS_SIZE ?= 30

EXTRA_TESTS += test-grading

.PHONY: grading-env assignments autograde formgrader grading-class test-grading

$(GRADING_STAMP): grading/requirements.lock
	@test -x $(GRADING_PY) || $(PYTHON) -m venv $(GRADING_VENV)
	@echo "Installing the grading environment (nbgrader) into $(GRADING_VENV)..."
	$(GRADING_PY) -m pip install --quiet -r grading/requirements.lock $(PIPQUIET)
	@touch $@

$(GRADING_KERNEL): tools/grading.py $(GRADING_STAMP) $(STAMP)
	@$(GRADING_PY) tools/grading.py kernel --python $(PY) >/dev/null

grading-env: $(GRADING_STAMP) $(GRADING_KERNEL)

assignments: grading-env
	$(GRADING_PY) tools/grading.py release $(GRADING_NOTEBOOKS)

autograde: grading-env data
	@test -n "$(ASSIGNMENT)" || { echo "say which: make autograde ASSIGNMENT=02_stride_padding"; exit 1; }
	$(GRADING_PY) tools/grading.py autograde $(ASSIGNMENT)

formgrader: grading-env
	cd grading && ../$(GRADING_VENV)/bin/jupyter lab --ip=127.0.0.1 $(ROOT_FLAG) $(if $(DISPLAY),,--no-browser)

grading-class: grading-env data
	@test -n "$(ASSIGNMENT)" || { echo "say which: make grading-class ASSIGNMENT=02_stride_padding"; exit 1; }
	$(GRADING_PY) tools/mock_class.py $(ASSIGNMENT) --students $(CLASS_SIZE)

# tests/test_grading.py: release one notebook, grade three submissions in a scratch course folder.
# It needs the grading environment, so it runs here rather than in test-code (where it skips).
test-grading: grading-env data
	COURSE_GRADING_TESTS=1 $(PY) -m pytest tests/test_grading.py -q --durations=5
