# make test-busy (issue 19): the notebook suite, as `make test` runs it, while burner processes keep
# every core busy, as on a shared CI machine or a student's laptop doing other things. Every cell
# must still pass its $(CELL_TIMEOUT) s budget. tools/busy.py starts the burners and always stops
# them (pass, fail, Ctrl-C or kill); the slowest cells are listed at the end. Not part of `make test`:
# it deliberately takes the whole machine for a few minutes.
#
#   make test-busy                   one burner per core
#   make test-busy BUSY_BURNERS=4    a busier machine

BUSY_BURNERS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: test-busy
test-busy: data
	$(PY) tools/busy.py --burners $(BUSY_BURNERS) -- env $(NB_ENV) $(PY) -m pytest notebooks \
	  --nbval-lax --nbval-current-env --nbval-cell-timeout=$(CELL_TIMEOUT) -n $(PYTEST_WORKERS) \
	  --dist loadfile -q
