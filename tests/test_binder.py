"""Binder (and repo2docker) files: binder/environment.yml, apt.txt, postBuild, the README badge.

repo2docker prefers a ``binder/`` folder over the files at the top, installs ``environment.yml``
before it copies the repository in (so an ``-e .`` line cannot work there), then runs
``postBuild`` in the copied repository. These tests check what can be checked without Docker:
the pins are exactly the lock's, the file is the one ``make binder-env`` writes, the apt packages
are named, and postBuild does its three steps with ``set -e``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "deploy"))

from test_pins import lock_pins, normalise, parse_pins  # noqa: E402

import binder_env  # noqa: E402


def binder_pip_lines() -> list[str]:
    env = yaml.safe_load((BINDER / "environment.yml").read_text(encoding="utf-8"))
    pips = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(pips) == 1, "binder/environment.yml should have one pip: section"
    return pips[0]


def test_binder_environment_has_no_editable_install():
    lines = binder_pip_lines()
    assert not [ln for ln in lines if ln.startswith("-e") or ln.strip() == "."]
    assert [ln for ln in lines if ln.startswith("-")] == ["--extra-index-url https://download.pytorch.org/whl/cpu"]


def test_binder_pins_are_exactly_the_lock():
    binder = parse_pins([ln for ln in binder_pip_lines() if not ln.startswith("-")], "binder/environment.yml")
    assert binder == lock_pins()
    assert binder["torch"] == "2.13.0"
    assert binder[normalise("jupyterlab-language-pack-ko-kr")] == "4.5.post3"
    assert binder["jupyterhub"] == "6.1.1"  # the single-user server of deploy/kubernetes/


def test_binder_environment_is_what_make_binder_env_writes():
    assert (BINDER / "environment.yml").read_text(encoding="utf-8") == binder_env.render(), \
        "binder/environment.yml is out of date: run `make binder-env` (after `make lock`)"


def test_binder_python_matches_the_root_environment():
    binder = yaml.safe_load((BINDER / "environment.yml").read_text(encoding="utf-8"))
    root = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    strings = lambda env: [d for d in env["dependencies"] if isinstance(d, str)]  # noqa: E731
    assert strings(binder) == strings(root) == ["python=3.11", "pip"]


def test_apt_txt_names_the_data_set_and_a_korean_font():
    # repo2docker reads one package per line and drops what follows a '#'
    packages = [ln.partition("#")[0].strip() for ln in (BINDER / "apt.txt").read_text().splitlines()]
    assert sorted(p for p in packages if p) == ["dataset-fashion-mnist", "fonts-nanum"]


def test_postbuild_is_strict_and_does_its_three_steps():
    script = BINDER / "postBuild"
    assert os.access(script, os.X_OK), "postBuild must be executable"
    commands = [ln.strip() for ln in script.read_text().splitlines() if ln.strip() and not ln.startswith("#")]
    assert commands[0].startswith("set -e")
    assert "python -m pip install --no-deps -e ." in commands
    assert any(c.startswith("python tools/lab_overrides.py tools/lab_overrides.json") for c in commands)
    assert "python -m course_utils.data" in commands
    for path in re.findall(r"tools/[\w./]+", script.read_text()):
        assert (ROOT / path).exists(), f"postBuild names {path}, which does not exist"
    assert subprocess.run(["bash", "-n", str(script)]).returncode == 0


def test_readme_has_a_binder_badge_opening_the_course_map():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    badge = re.search(r"\[!\[[^\]]*Binder[^\]]*\]\(https://mybinder\.org/badge_logo\.svg\)\]"
                      r"\((https://mybinder\.org/v2/[^)]+)\)", readme)
    assert badge, "README.md has no Binder badge"
    assert "urlpath=lab/tree/notebooks/00_course_map.ipynb" in badge.group(1)
