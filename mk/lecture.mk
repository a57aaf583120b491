# make test-lecture (issue 14.5): every notebook at the default profile, as an instructor runs it in
# front of a class (heavy cells replay the shipped results), on 2 threads. The lecture promise is
# <= 5 s a cell; the summary at the end lists the slowest cells and how many exceed 5 s. A cell over
# LECTURE_CELL_TIMEOUT fails. Part of `make test`, so CI runs every notebook at the default profile
# too (measured on the 2-core machine: 409 cells in 95 s, slowest 3.6 s, none over 5 s).

LECTURE_CELL_TIMEOUT ?= 60
EXTRA_TESTS += test-lecture

.PHONY: test-lecture
test-lecture: data
	env $(subst COURSE_PROFILE=ci,COURSE_PROFILE=default,$(subst OMP_NUM_THREADS=1,OMP_NUM_THREADS=2,$(NB_ENV))) \
	  LECTURE_BUDGET_S=5 $(PY) -m pytest notebooks --nbval-lax --nbval-current-env --notebook-runs=1 \
	  --nbval-cell-timeout=$(LECTURE_CELL_TIMEOUT) -p no:xdist -q

# make retrain-check (issue 20.4): every notebook with a RETRAIN switch, at the default profile, with
# every switch set to True (the retrained runs go to a scratch copy of data/results), on 2 threads:
# each switched cell's time, and a failure for any over a minute. Not part of `make test` (about 8
# minutes on the 2-core machine); run it on the lecture laptop before a class that will retrain.
.PHONY: retrain-check
retrain-check: data
	OMP_NUM_THREADS=2 MKL_NUM_THREADS=2 $(PY) tools/retrain_check.py
