# The Korean edition of the notebooks (issue 18), kept in step with the English by gettext
# catalogues in locale/ko/LC_MESSAGES/<notebook>.po (tools/i18n.py explains the format):
#
#   make ko               build/ko/notebooks/: the Korean twins (code cells identical to the English)
#   make ko-update        after an English change: refresh the catalogues (changed paragraphs fuzzy)
#   make ko-stats         entries, words, translated / fuzzy / missing per notebook
#   make lab LANG=ko      JupyterLab in Korean, opening the Korean notebooks
#   make slides LANG=ko   decks in build/ko/slides;  make site LANG=ko: the site in build/ko/site
#
# A catalogue with a missing or fuzzy entry stops `make ko` (the editions never drift apart).

KO_NOTEBOOKS := build/ko/notebooks

.PHONY: ko ko-update ko-stats
ko: setup
	@rm -rf $(KO_NOTEBOOKS)
	$(PY) tools/i18n.py build ko --strict --out $(KO_NOTEBOOKS)

ko-update: setup
	$(PY) tools/i18n.py update ko

ko-stats: setup
	$(PY) tools/i18n.py stats ko

ifeq ($(LAB_LANGUAGE),ko)
lab: ko
LAB_NOTEBOOK_DIR := $(KO_NOTEBOOKS)
else
LAB_NOTEBOOK_DIR := notebooks
endif
