# JupyterLab's language (issue 17). One switch for `make lab`, `make hub` and `make test-browser`:
#
#   make lab LANG=ko      JupyterLab in Korean (menus 파일 편집 보기 실행 커널 ...)
#   make lab              English again (also the default)
#
# It merges deploy/lab-language/<ko|en>.json into the environment's overrides.json, the same
# file that holds the course's other JupyterLab defaults; a language a user picks in
# Settings -> Language still wins. A Korean LANG in the environment (ko_KR.UTF-8) also selects
# Korean. The language pack (jupyterlab-language-pack-ko-kr) is pinned in pyproject.toml; the
# glyphs need a Korean font, Debian's fonts-nanum (installed by .ci/run and by this rule).

LAB_LANGUAGE := $(if $(filter ko ko_% ko-%,$(LANG)),ko,en)
ifeq ($(origin LANG),command line)
# "ko" is a switch, not a locale the C library knows: programs started by make get a real one.
override LANG := C.UTF-8
export LANG
endif

LAB_SETTINGS_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json

.PHONY: lab-language korean-font
lab-language: $(LAB_SETTINGS_OVERRIDES) $(if $(filter ko,$(LAB_LANGUAGE)),korean-font)
	@$(PY) tools/lab_overrides.py deploy/lab-language/$(LAB_LANGUAGE).json $(LAB_SETTINGS_OVERRIDES)
	@echo "JupyterLab language: $(LAB_LANGUAGE) (switch with LANG=ko / LANG=en)"

# Installs Debian's fonts-nanum when no font has Korean glyphs (as `data` installs the data set).
korean-font:
	@if ! fc-list :lang=ko family 2>/dev/null | grep -q . && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's fonts-nanum (Korean glyphs)..."; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq fonts-nanum >/dev/null 2>&1 || true; fi

lab hub: lab-language
test-browser: korean-font
