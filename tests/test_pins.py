"""The environment is pinned in one place and repeated consistently.

``pyproject.toml`` holds the exact pins of the direct dependencies (the source of truth),
``requirements.lock`` the whole pinned closure, ``environment.yml`` the same pins for conda and
Binder users. These tests prove that the three agree, and that torch is 2.13.0 everywhere (any
other torch spec pulls gigabytes of CUDA packages on this machine).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^=\s;,]+)$")
TORCH = "2.13.0"


def normalise(name: str) -> str:
    """Package names compare case-insensitively with -, _ and . alike (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_pins(lines: list[str], where: str) -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in lines:
        match = PIN.match(line.strip())
        assert match, f"{where}: {line!r} is not an exact pin name==version"
        name = normalise(match.group(1))
        assert name not in pins, f"{where}: {name} is pinned twice"
        pins[name] = match.group(2)
    return pins


def pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = list(project["dependencies"])
    for group in project.get("optional-dependencies", {}).values():
        lines += group
    return parse_pins(lines, "pyproject.toml")


def environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))


def environment_pins() -> dict[str, str]:
    pip_lists = [d["pip"] for d in environment()["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(pip_lists) == 1, "environment.yml should have one pip: section"
    requirements = [line for line in pip_lists[0] if not line.startswith("-")]  # options: -e ., --extra-index-url
    return parse_pins(requirements, "environment.yml")


def lock_pins() -> dict[str, str]:
    lines = (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
    return parse_pins([ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")], "requirements.lock")


def test_pyproject_has_only_exact_pins():
    pins = pyproject_pins()
    assert len(pins) >= 10 and "torch" in pins


def test_every_lock_line_is_an_exact_pin():
    assert len(lock_pins()) >= 50


def test_environment_matches_pyproject_both_ways():
    project, env = pyproject_pins(), environment_pins()
    assert {n: env.get(n) for n in project} == project, "a pyproject pin is missing or different in environment.yml"
    assert {n: project.get(n) for n in env} == env, "environment.yml pins something pyproject.toml does not"


def test_lock_matches_pyproject():
    project, lock = pyproject_pins(), lock_pins()
    assert {n: lock.get(n) for n in project} == project, "a pyproject pin is missing or different in requirements.lock"


@pytest.mark.parametrize("source", [pyproject_pins, environment_pins, lock_pins])
def test_torch_is_2_13_0(source):
    assert source()["torch"] == TORCH


def test_makefile_installs_torch_2_13_0_first():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    installs = [ln for ln in makefile.splitlines() if "pip install" in ln]
    assert installs and "torch==" + TORCH in installs[0]
    specs = [s for ln in installs for s in re.findall(r"torch[=<>~!]=?\s*[\w.+]+", ln)]
    assert specs == ["torch==" + TORCH]  # torch is named once, exactly, before the lock


def test_environment_python_matches_pyproject():
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"]
    pythons = [d for d in environment()["dependencies"] if isinstance(d, str) and d.startswith("python")]
    assert pythons == ["python=3.11"] and requires == ">=3.11,<3.12"


def test_normalise():
    assert normalise("jupyterlab_rise") == normalise("JupyterLab-RISE") == "jupyterlab-rise"
    assert normalise("zope.interface") == "zope-interface"


def test_hub_pins():
    """JupyterHub, its culler and the Korean language pack are pinned like everything else, and the
    proxy `make hub` installs with npm is pinned exactly in deploy/hub/ (package.json and its lock)."""
    import json

    pins = pyproject_pins()
    assert pins["jupyterhub"] == "6.1.1" and pins["jupyterhub-idle-culler"] == "2.0.0"
    assert pins[normalise("jupyterlab-language-pack-ko-kr")] == "4.5.post3"
    package = json.loads((ROOT / "deploy" / "hub" / "package.json").read_text())
    assert package["dependencies"] == {"configurable-http-proxy": "5.3.0"}
    lock = json.loads((ROOT / "deploy" / "hub" / "package-lock.json").read_text())
    assert lock["packages"][""]["dependencies"] == package["dependencies"]
    assert lock["packages"]["node_modules/configurable-http-proxy"]["version"] == "5.3.0"
