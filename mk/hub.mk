# A class on one machine (issue 17): JupyterHub 6.1.1 serving the course, and its measured
# capacity. Included by the Makefile; deploy/hub/README.md and INSTRUCTORS.md explain.
#
#   make hub                    JupyterHub on http://127.0.0.1:$(HUB_PORT) for the class list $(HUB_USERS)
#   make hub LANG=ko            the same, JupyterLab in Korean unless a student picks another language
#   make hub-load STUDENTS=N    N simulated students log in, start servers, run a lecture notebook
#   make hub-data               (re)make the shared read-only data folder $(HUB_DATA)
#
# The proxy (configurable-http-proxy, pinned in deploy/hub/package.json + lock) is installed with
# npm into build/hub/node_modules the first time.

HUB_DIR := build/hub
HUB_PORT ?= 8000
HUB_USERS ?= deploy/hub/users.example.txt
HUB_DATA ?= $(HUB_DIR)/data
HUB_COURSE ?= notebooks
HUB_PROXY := $(HUB_DIR)/node_modules/.bin/configurable-http-proxy
STUDENTS ?= 4
HUB_NOTEBOOK ?= 04_pooling_and_cnn.ipynb
HUB_LOAD_ARGS ?=

.PHONY: hub hub-data hub-proxy hub-load

$(HUB_DIR)/node_modules/.installed: deploy/hub/package.json deploy/hub/package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed once to fetch configurable-http-proxy" \
	  "(Debian: apt-get install npm)"; exit 1; }
	@mkdir -p $(HUB_DIR)
	cp deploy/hub/package.json deploy/hub/package-lock.json $(HUB_DIR)/
	cd $(HUB_DIR) && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

hub-proxy: $(HUB_DIR)/node_modules/.installed

# The shared data folder: shipped results + Fashion-MNIST cache, read-only (0444/0555).
$(HUB_DATA)/.made: $(wildcard data/results/*) deploy/hub/course_home.py | data
	$(PY) deploy/hub/course_home.py shared $(HUB_DATA) --results data/results --cache data/cache
	@chmod u+w $(HUB_DATA) && touch $@ && chmod a-w $(HUB_DATA)

hub-data: $(HUB_DATA)/.made

hub: hub-proxy hub-data
	@echo "JupyterHub for the class list $(HUB_USERS): open http://127.0.0.1:$(HUB_PORT)/ (Ctrl-C stops it)."
	@echo "Passwords (made at the first start): $(HUB_DIR)/state/password, instructors $(HUB_DIR)/state/admin-password"
	HUB_PORT=$(HUB_PORT) HUB_USERS=$(abspath $(HUB_USERS)) HUB_DATA=$(abspath $(HUB_DATA)) \
	  HUB_COURSE=$(abspath $(HUB_COURSE)) \
	  $(PY) -m jupyterhub -f deploy/hub/jupyterhub_config.py

# Bounded (at most 64 students, --timeout seconds) and loopback only; stops all it started.
hub-load: hub-proxy data
	$(PY) tools/hub_load.py --students $(STUDENTS) --notebook $(HUB_NOTEBOOK) $(HUB_LOAD_ARGS)

# tests/test_hub.py (one student, one cell, then the idle culler) needs the proxy: `make test`
# installs it; without npm the test is reported as skipped, saying why.
.PHONY: hub-proxy-for-tests
hub-proxy-for-tests:
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory hub-proxy; \
	 else echo "npm not found: tests/test_hub.py will skip the JupyterHub run (Debian: apt-get install npm)"; fi

test-code: hub-proxy-for-tests

# binder/environment.yml is made from requirements.lock (run after `make lock`; a test checks it).
.PHONY: binder-env
binder-env: setup
	$(PY) deploy/binder_env.py
