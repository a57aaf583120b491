"""Execute course notebooks once, with outputs, for the slides and the site.

    python tools/execute.py --profile default --out build/executed/default notebooks/*.ipynb

Each notebook runs top to bottom in a fresh kernel started in its own folder, with widgets drawn
as static pictures (``COURSE_STATIC_WIDGETS=1``) and progress bars silenced. The first cell error
stops the build: the message names the notebook, the cell number and the error, so a deck or a
site page never shows a traceback. A notebook whose executed copy is newer than the source (and
than every ``course_utils`` file) is not run again unless ``--force`` is given.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
PROFILES = ("ci", "default", "full")


def newest_source_time() -> float:
    """Modification time of the newest ``course_utils`` file (a change there re-runs notebooks)."""
    times = [p.stat().st_mtime for p in (ROOT / "course_utils").rglob("*.py")]
    return max(times, default=0.0)


def is_fresh(source: Path, target: Path) -> bool:
    """True if ``target`` exists and is newer than ``source`` and than the course package."""
    if not target.exists():
        return False
    made = target.stat().st_mtime
    return made >= source.stat().st_mtime and made >= newest_source_time()


def cell_seconds(nb) -> list[tuple[int, float]]:
    """``(cell index, seconds)`` for each executed code cell, from nbclient's timing metadata."""
    from datetime import datetime

    found = []
    for i, cell in enumerate(nb.cells):
        timing = cell.get("metadata", {}).get("execution", {})
        start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
        if start and end:
            seconds = (datetime.fromisoformat(end.replace("Z", "+00:00"))
                       - datetime.fromisoformat(start.replace("Z", "+00:00"))).total_seconds()
            found.append((i, seconds))
    return found


def execute(source: Path, target: Path, profile: str, cell_timeout: int = 600) -> tuple[float, tuple[int, float]]:
    """Run ``source`` at ``profile`` and write the notebook with outputs to ``target``.

    Returns the seconds it took and ``(index, seconds)`` of its slowest cell. Raises
    ``RuntimeError`` naming the failing cell.
    """
    if profile not in PROFILES:
        raise ValueError(f"profile {profile!r} is not one of {', '.join(PROFILES)}")
    os.environ.update(COURSE_PROFILE=profile, COURSE_STATIC_WIDGETS="1", COURSE_QUIET="1",
                      PYDEVD_DISABLE_FILE_VALIDATION="1")
    nb = nbformat.read(source, as_version=4)
    client = NotebookClient(nb, timeout=cell_timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(source.parent)}})
    start = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError as err:
        plain = re.sub(r"\x1b\[[0-9;]*m", "", str(err))  # no terminal colour codes in logs
        raise RuntimeError(f"{source.name}: a cell failed at profile {profile!r}:\n{plain}") from None
    seconds = time.perf_counter() - start
    slowest = max(cell_seconds(nb), key=lambda pair: pair[1], default=(-1, 0.0))
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".part")
    nbformat.write(nb, tmp)
    tmp.replace(target)  # atomic: a half-written notebook never looks finished
    return seconds, slowest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--profile", default="default", choices=PROFILES)
    parser.add_argument("--out", type=Path, required=True, help="folder for the executed copies")
    parser.add_argument("--force", action="store_true", help="run even if the copy is up to date")
    args = parser.parse_args(argv)
    for source in args.notebooks:
        target = args.out / source.name
        if not args.force and is_fresh(source, target):
            print(f"  {source.name}: up to date")
            continue
        try:
            seconds, (cell, slowest) = execute(source, target, args.profile)
        except RuntimeError as err:
            print(err, file=sys.stderr)
            return 1
        print(f"  {source.name}: executed at profile {args.profile} in {seconds:.1f} s "
              f"(slowest cell: {slowest:.1f} s, cell {cell})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
