"""Every notebook passes Run All twice in one kernel (issue 19): the mechanism in conftest.py.

`make test` runs each notebook's cells with nbval, then the same cells again in the same kernel
("Cell 3 (run 2)"), as an instructor re-running a section does. These tests run pytest on small
notebooks written here, with the repository's conftest.py as a plugin, and show that the second
run shares the kernel (a cell that is not safe to re-run fails there), that `--notebook-runs=1`
runs once, and that the per-cell budget and the slowest-cells summary cover both runs.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]


def notebook(folder: Path, name: str, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / name
    nbformat.write(nb, path)
    return path


def run_pytest(folder: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "conftest", "-p", "no:cacheprovider",
                           "--nbval-lax", "--nbval-current-env", "--nbval-cell-timeout=60",
                           "-v", "--color=no", *args, str(folder)],
                          cwd=folder, env=env, capture_output=True, text=True, timeout=240)


@pytest.fixture
def notebooks(tmp_path) -> Path:
    notebook(tmp_path, "a_rerunnable.ipynb", "import math\nx = math.sqrt(16)", "assert x == 4.0")
    notebook(tmp_path, "b_not_rerunnable.ipynb",
             "runs = globals().get('runs', 0) + 1",
             "assert runs == 1, f'this cell assumes a fresh kernel (run {runs})'",
             "y = 1")
    notebook(tmp_path, "c_broken.ipynb", "z = 1", "1 / 0", "z = 2")
    return tmp_path


@pytest.mark.slow
def test_second_run_shares_the_kernel_and_catches_what_a_rerun_breaks(notebooks):
    out = run_pytest(notebooks)
    log = out.stdout
    assert out.returncode == 1, log
    assert "a_rerunnable.ipynb::Cell 1 (run 2) PASSED" in log
    assert "b_not_rerunnable::ipynb::Cell 1 PASSED" in log                # first run: fine
    assert "b_not_rerunnable.ipynb::Cell 1 (run 2) FAILED" in log         # the same kernel, run again
    assert "b_not_rerunnable.ipynb::Cell 2 (run 2) PASSED" in log         # the run goes on, as Run All
    assert "Failed in Run All number 2 of b_not_rerunnable.ipynb, in the same kernel as the first" in log
    assert "this cell assumes a fresh kernel (run 2)" in log
    assert "c_broken::ipynb::Cell 1 FAILED" in log
    assert "c_broken.ipynb::Cell 0 (run 2) SKIPPED" in log                 # its rerun would only repeat that
    assert "2 failed, 11 passed, 3 skipped" in log                         # 8 cells twice, less c's rerun
    assert "slowest notebook cells (budget 60 s a cell, headroom target 20 s; CPU: the kernel's)" in log
    assert re.search(r"\n +\d+\.\d s +\d+\.\d s CPU  \w+\.ipynb::Cell \d+ \(run 2\)", log)  # wall, CPU, cell
    assert "0 of 13 cells over 20 s" in log


@pytest.mark.slow
def test_one_run_on_request(notebooks):
    out = run_pytest(notebooks, "--notebook-runs=1")
    assert out.returncode == 1, out.stdout
    assert "1 failed, 7 passed" in out.stdout and "(run 2)" not in out.stdout
