"""Write binder/environment.yml from requirements.lock: the whole pinned closure, no `-e .`.

    python deploy/binder_env.py            # what `make binder-env` runs after `make lock`

repo2docker (Binder's builder, and the single-user image of deploy/kubernetes/) installs
environment.yml *before* it copies the repository in, so the root environment.yml's `-e .` line
cannot work there; binder/postBuild installs the course package once the files are in place.
tests/test_binder.py checks that the file is what this script writes and that it agrees with the
lock.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = """\
# Binder / repo2docker environment: made by `make binder-env` from requirements.lock (do not edit).
# The whole pinned closure of the course, with torch's CPU wheel. There is no `-e .` line:
# repo2docker installs this file before the repository is copied in; binder/postBuild installs
# the course package and the JupyterLab settings afterwards.
name: cnn-course
channels:
  - conda-forge
dependencies:
  - python=3.11
  - pip
  - pip:
      - --extra-index-url https://download.pytorch.org/whl/cpu
"""


def lock_lines() -> list[str]:
    lines = (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def render() -> str:
    return HEADER + "".join(f"      - {pin}\n" for pin in lock_lines())


def main() -> int:
    target = ROOT / "binder" / "environment.yml"
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target.relative_to(ROOT)}: {len(lock_lines())} pins from requirements.lock")
    return 0


if __name__ == "__main__":
    sys.exit(main())
