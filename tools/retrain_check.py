"""Run every notebook with a RETRAIN switch at the default profile with ``RETRAIN = True``, and time
each switched cell: what an instructor's laptop takes to retrain in class (issue 20.4).

    python tools/retrain_check.py [NOTEBOOK ...]      # `make retrain-check` (about 8 minutes)

The retrained runs go to a scratch copy of ``data/results`` (``COURSE_RESULTS_DIR``), so the
shipped results stay as they are. Every cell must pass, and each switched cell should finish
within a minute; the table printed at the end is the evidence.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
MINUTE_S = 60.0


def cell_seconds(cell) -> float:
    """Wall time of one executed cell, from the timing nbclient records in its metadata."""
    ex = cell.metadata["execution"]
    start, end = (datetime.fromisoformat(ex[k].replace("Z", "+00:00"))
                  for k in ("iopub.execute_input", "shell.execute_reply"))
    return (end - start).total_seconds()


def run(path: Path) -> list[tuple[int, float]]:
    """Execute ``path`` with every ``RETRAIN = False`` switched to True; (cell, seconds) per switch."""
    nb = nbformat.read(path, as_version=4)
    switched = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "RETRAIN = False" in c.source]
    for i in switched:
        nb.cells[i].source = nb.cells[i].source.replace("RETRAIN = False", "RETRAIN = True", 1)
    if switched:
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    return [(i, cell_seconds(nb.cells[i])) for i in switched]


def main(names: list[str]) -> int:
    paths = [ROOT / "notebooks" / n for n in names] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    scratch = Path(tempfile.mkdtemp(prefix="course-retrain-"))
    shutil.copytree(ROOT / "data" / "results", scratch, dirs_exist_ok=True)
    os.environ.update(COURSE_PROFILE="default", COURSE_RESULTS_DIR=str(scratch), COURSE_QUIET="1",
                      COURSE_STATIC_WIDGETS="1", MPLBACKEND="agg")
    over = 0
    for path in paths:
        start = time.perf_counter()
        timed = run(path)
        for cell, seconds in timed:
            flag = "  OVER A MINUTE" if seconds > MINUTE_S else ""
            over += bool(flag)
            print(f"{path.stem:24s} cell {cell:3d}: RETRAIN = True took {seconds:5.1f} s{flag}", flush=True)
        if timed:
            print(f"{path.stem:24s} ran top to bottom in {time.perf_counter() - start:.0f} s", flush=True)
    shutil.rmtree(scratch, ignore_errors=True)
    print(f"{over} switched cell(s) over a minute")
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
