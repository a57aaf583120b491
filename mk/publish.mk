# Presenting and publishing (issue 9): lecture decks, the students' copy, the static site and a
# real-browser test. Included by the Makefile; INSTRUCTORS.md explains when to use which.
#
#   make slides         build/slides/NN_*.slides.html  reveal.js decks that work offline
#   make student        build/student/NN_*.ipynb        solutions removed; checked to run as a student
#   make site           build/site/_build/html/         the executed course as a jupyter-book site
#   make test-browser   JupyterLab + headless Chromium: run 02, move the stride slider, open RISE
#
# Decks and site are made from notebooks executed once at LECTURE_PROFILE (default: what a laptop
# CPU runs live, heavy cells replayed from data/results/); `make slides LECTURE_PROFILE=ci` is a
# quick smoke build. A cell error stops the build.

LECTURE_PROFILE ?= default
STUDENT_CHECK ?= 1
NODE_MODULES := build/node_modules
EXECUTED := build/executed/$(LECTURE_PROFILE)
COURSE_NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
EXECUTED_NOTEBOOKS := $(patsubst notebooks/%,$(EXECUTED)/%,$(COURSE_NOTEBOOKS))
COURSE_SOURCES := $(shell find course_utils -name '*.py' 2>/dev/null)
CHROMIUM := /usr/bin/chromium

EXTRA_TESTS += test-browser

.PHONY: slides student site test-browser executed

# reveal.js, require.js, jQuery and MathJax pinned in tools/package.json + package-lock.json.
$(NODE_MODULES)/.installed: tools/package.json tools/package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed once to fetch reveal.js and MathJax" \
	  "(Debian: apt-get install npm)"; exit 1; }
	@mkdir -p build
	cp tools/package.json tools/package-lock.json build/
	cd build && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

# One executed copy per notebook and profile, re-made when the notebook or course_utils changes.
$(EXECUTED)/%.ipynb: notebooks/%.ipynb $(COURSE_SOURCES) | data
	$(PY) tools/execute.py --profile $(LECTURE_PROFILE) --out $(EXECUTED) --force $<

executed: $(EXECUTED_NOTEBOOKS)

# With LANG=ko (mk/lang.mk) the executed notebooks are translated by the catalogues (code and
# outputs stay those of the English run) and the decks and site go to build/ko/.
KO_EXECUTED := build/executed/ko-$(LECTURE_PROFILE)
PUBLISHED = $(if $(filter ko,$(LAB_LANGUAGE)),$(wildcard $(KO_EXECUTED)/*.ipynb),$(EXECUTED_NOTEBOOKS))
PUBLISH_DIR := $(if $(filter ko,$(LAB_LANGUAGE)),build/ko,build)

.PHONY: ko-executed
ko-executed: $(EXECUTED_NOTEBOOKS)
	@rm -rf $(KO_EXECUTED)
	$(PY) tools/i18n.py build ko --strict --out $(KO_EXECUTED) $(EXECUTED_NOTEBOOKS)

slides: $(NODE_MODULES)/.installed $(EXECUTED_NOTEBOOKS) $(if $(filter ko,$(LAB_LANGUAGE)),ko-executed)
	@echo "Rendering reveal.js decks (local reveal.js, require.js, MathJax) into $(PUBLISH_DIR)/slides..."
	$(PY) tools/slides.py --node-modules $(NODE_MODULES) --out $(PUBLISH_DIR)/slides $(PUBLISHED)

site: $(NODE_MODULES)/.installed $(EXECUTED_NOTEBOOKS) $(if $(filter ko,$(LAB_LANGUAGE)),ko-executed)
	@echo "Building the site with jupyter-book into $(PUBLISH_DIR)/site..."
	$(PY) tools/make_site.py --node-modules $(NODE_MODULES) --out $(PUBLISH_DIR)/site $(PUBLISHED)

# STUDENT_CHECK=0 only builds; by default every student notebook is also run at the ci profile.
student: data
	@rm -rf build/student
	$(PY) tools/student.py --out build/student $(if $(filter 1,$(STUDENT_CHECK)),--check) \
	  $(COURSE_NOTEBOOKS)

# The course's JupyterLab defaults (RISE's "white" theme: its font is bundled, the default
# theme's comes from Google Fonts), for `make lab` and the browser test alike.
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json
$(LAB_OVERRIDES): tools/lab_overrides.json tools/lab_overrides.py $(STAMP)
	$(PY) tools/lab_overrides.py tools/lab_overrides.json $@

lab: $(LAB_OVERRIDES)

# Installs Debian's chromium when missing (as `data` installs the data set); skips, saying why,
# only where it cannot be installed.
test-browser: data $(LAB_OVERRIDES)
	@test -x $(CHROMIUM) || ! command -v apt-get >/dev/null || { \
	  echo "Installing Debian's chromium for the browser test..."; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null 2>&1 || true; }
	$(PY) tools/browser_test.py --out build/browser
