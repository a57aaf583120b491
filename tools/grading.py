"""Grade a class with nbgrader: assignments made from the course's notebooks (issue 16).

    python tools/grading.py kernel --python .venv/bin/python      # register the course's kernel
    python tools/grading.py release notebooks/02_stride_padding.ipynb ...   # make assignments
    python tools/grading.py autograde 02_stride_padding                     # make autograde

Run it with the grading environment's Python (``.venv-grading``, which has nbgrader); the Makefile
does (INSTRUCTORS.md, "Grading a class").

``release`` turns each notebook into an nbgrader *source* notebook,
``grading/source/<nb>/<nb>.ipynb``, driven by the cell tags of CONTRIBUTING.md ("Exercises"):

* an exercise stub (tagged ``exercise``) and its hidden ``solution`` cell become one solution
  cell: the stub's own lines around the ``### BEGIN SOLUTION`` / ``### END SOLUTION`` markers,
  the solution's body between them;
* the checker after the stub (the cell ``tools/student.py`` finds) becomes an autograded test
  cell worth the exercise's stars (★★☆ = 2 points; 1 without stars);
* an ``explain`` exercise's model answer (a ``solution`` markdown cell) becomes a manually
  graded answer cell: "YOUR ANSWER HERE" for the student, the model answer in the source;
* the exercise statements (markdown with ``**Exercise``) become read-only;
* every other cell is left as it is.

Then ``nbgrader generate_assignment`` writes ``grading/release/<nb>/``, and each released stub is
set back to the course's exact stub text (nbgrader writes its own placeholder), so that the
release is the student build of ``make student`` plus the answer cells: this is checked.

``autograde`` grades every submission in ``grading/submitted/*/<nb>/``, writes the feedback
(``grading/feedback/``) and exports the gradebook to ``grading/grades.csv``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from student import checker_of, defined_names, student_version, tags  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
GRADING = ROOT / "grading"
KERNEL = "cnn-course"
PLACEHOLDER = ["# YOUR CODE HERE", "raise NotImplementedError"]
ANSWER_TAG = "answer"


# --------------------------------------------------------------------------- source notebooks

def nbgrader_meta(grade_id: str, *, solution=False, grade=False, locked=False, points=0) -> dict:
    meta = {"grade_id": grade_id, "solution": solution, "grade": grade, "locked": locked,
            "schema_version": 3}
    if grade:
        meta["points"] = points
    return meta


def title_of(nb, stub: int) -> tuple[int | None, str]:
    """The exercise's statement, ``(index, text)``: the stub itself if it is markdown, else the
    nearest markdown cell above it."""
    for i in range(stub, -1, -1):
        if nb.cells[i].cell_type == "markdown":
            return i, nb.cells[i].source
    return None, ""


def points_of(title: str) -> int:
    """Points of an exercise: its stars (``★★☆`` is 2), 1 when the title shows none."""
    match = re.search(r"\*\*Exercise[^*]*\*\*", title)
    stars = match.group(0).count("★") if match else 0
    return stars or 1


def split_stub(stub: str, solution: str) -> tuple[list[str], list[str], list[str]]:
    """The lines a stub and its solution share at the start and at the end, and the solution's
    lines in between: ``(head, body, tail)``."""
    a, b = stub.rstrip("\n").split("\n"), solution.rstrip("\n").split("\n")
    head = 0
    while head < min(len(a), len(b)) - 1 and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head - 1 and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return b[:head], b[head:len(b) - tail], b[len(b) - tail:]


def merged_source(stub: str, solution: str) -> str:
    """One nbgrader solution cell: the stub's surrounding lines, the solution between markers."""
    head, body, tail = split_stub(stub, solution)
    indent = re.match(r"\s*", body[0]).group(0) if body and body[0].strip() else ""
    lines = head + [indent + "### BEGIN SOLUTION"] + body + [indent + "### END SOLUTION"] + tail
    return "\n".join(lines)


def exercise_name(nb, stub: int, k: int, used: set[str]) -> str:
    """A readable, unique grade id for exercise number ``k``: the first name its stub defines."""
    names = sorted(defined_names(nb.cells[stub].source)) if nb.cells[stub].cell_type == "code" else []
    number = re.search(r"\*\*Exercise (\d+)\.(\d+)", title_of(nb, stub)[1])
    base = names[0] if names else "exercise_" + ("_".join(number.groups()) if number else str(k))
    base = re.sub(r"[^A-Za-z0-9_-]", "_", base)
    name, n = base, 2
    while name in used:
        name, n = f"{base}_{n}", n + 1
    used.add(name)
    return name


def statement_of(nb, index: int) -> tuple[int | None, str]:
    """The nearest exercise statement (markdown with ``**Exercise``, not a solution) above a cell."""
    for i in range(index - 1, -1, -1):
        cell = nb.cells[i]
        if cell.cell_type == "markdown" and "**Exercise" in cell.source and "solution" not in tags(cell):
            return i, cell.source
    return None, ""


def source_notebook(nb) -> tuple[object, dict[str, str]]:
    """The nbgrader source version of a course notebook (a new object) and the course's stub text
    of each solution cell, by grade id.

    A code ``solution`` cell merges into the nearest code exercise stub above it (no other
    exercise between), whose checker becomes the test cell; a markdown ``solution`` cell (a model
    answer) becomes a manually graded answer cell, worth the stars of the statement above it; a
    code solution without a stub is dropped, as ``make student`` drops it.
    """
    nb = nbformat.from_dict(nb)  # a deep copy: the caller's notebook is left alone
    cells = nb.cells
    stubs, used, drop, graded_checkers = {}, set(), set(), set()
    for k, sol in enumerate([j for j, c in enumerate(cells) if "solution" in tags(c)], start=1):
        if cells[sol].cell_type == "markdown":
            where, title = statement_of(nb, sol)
            number = re.search(r"\*\*Exercise (\d+)\.(\d+)", title)
            name = "answer_" + ("_".join(number.groups()) if number else str(sol))
            answer = cells[sol]
            answer.metadata.nbgrader = nbgrader_meta(name, solution=True, grade=True, points=points_of(title))
            answer.metadata.tags = [ANSWER_TAG]
            answer.metadata.get("jupyter", {}).pop("source_hidden", None)
            if not answer.metadata.get("jupyter", True):
                del answer.metadata["jupyter"]
            continue
        drop.add(sol)
        stub = next((i for i in range(sol - 1, -1, -1) if "exercise" in tags(cells[i])), None)
        if stub is None or cells[stub].cell_type != "code" or "nbgrader" in cells[stub].metadata:
            continue
        name, points = exercise_name(nb, stub, k, used), points_of(title_of(nb, stub)[1])
        stubs[name] = cells[stub].source
        cells[stub].source = merged_source(cells[stub].source, cells[sol].source)
        cells[stub].metadata.nbgrader = nbgrader_meta(name, solution=True)
        checker = checker_of(nb, stub)
        if checker is not None and checker not in graded_checkers:
            graded_checkers.add(checker)
            cells[checker].metadata.nbgrader = nbgrader_meta(f"test_{name}", grade=True, locked=True,
                                                             points=points)
    for i, cell in enumerate(cells):
        if cell.cell_type == "markdown" and "**Exercise" in cell.source and "nbgrader" not in cell.metadata:
            number = re.search(r"\*\*Exercise (\d+)\.(\d+)", cell.source)
            name = "statement_" + ("_".join(number.groups()) if number else str(i))
            cell.metadata.nbgrader = nbgrader_meta(name if name not in used else f"{name}_{i}", locked=True)
            used.add(name)
    nb.cells = [c for i, c in enumerate(cells) if i not in drop]
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb, stubs


def write_source(path: Path, root: Path = GRADING) -> tuple[Path, dict[str, str]]:
    """Write ``<root>/source/<nb>/<nb>.ipynb`` for one course notebook."""
    nb, stubs = source_notebook(nbformat.read(path, as_version=4))
    target = root / "source" / path.stem / path.name
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    nbformat.write(nb, tmp)
    tmp.replace(target)
    return target, stubs


# --------------------------------------------------------------------------- release

def nbgrader(*args: str, root: Path = GRADING) -> None:
    """Run an nbgrader command in ``root`` (where it finds nbgrader_config.py)."""
    command = [sys.executable, "-m", "nbgrader", *args]
    # nbgrader starts `alembic` (its database migrations) from PATH: the grading environment's.
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    done = subprocess.run(command, cwd=root, env=env, text=True, capture_output=True)
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"nbgrader {' '.join(args)} failed (exit {done.returncode})")


def restore_stubs(path: Path, stubs: dict[str, str]) -> None:
    """Put the course's stub text back into the released solution cells."""
    from nbgrader.utils import compute_checksum

    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in stubs:
            cell.source = stubs[grade_id]
            cell.metadata.nbgrader["checksum"] = compute_checksum(cell)
    nbformat.write(nb, path)


def release_problems(release, course) -> list[str]:
    """Where a released notebook differs from the course's student build (answer cells aside)."""
    got = [c.source for c in release.cells if ANSWER_TAG not in tags(c)]
    want = [c.source for c in student_version(course).cells]
    if got == want:
        return []
    if len(got) != len(want):
        return [f"{len(got)} cells released, the student build has {len(want)}"]
    return [f"cell {i} differs from the student build" for i, (g, w) in enumerate(zip(got, want)) if g != w]


def release(paths: list[Path], root: Path = GRADING) -> int:
    """Source and release of each notebook; 1 if a release differs from the student build."""
    failed = 0
    for path in paths:
        start = time.perf_counter()
        source, stubs = write_source(path, root)
        nbgrader("generate_assignment", path.stem, "--force", "--log-level=WARN", root=root)
        released = root / "release" / path.stem / path.name
        restore_stubs(released, stubs)
        bad = release_problems(nbformat.read(released, as_version=4), nbformat.read(path, as_version=4))
        nb = nbformat.read(source, as_version=4)
        graded = [c.metadata.nbgrader for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
        auto = sum(m["points"] for m in graded if not m["solution"])
        manual = sum(m["points"] for m in graded if m["solution"])
        print(f"  {released}: {len(graded)} graded cell(s), {auto} autograded + "
              f"{manual} manual point(s) ({time.perf_counter() - start:.1f} s)"
              + ("".join(f"\n    problem: {b}" for b in bad)))
        failed += bool(bad)
    return 1 if failed else 0


# --------------------------------------------------------------------------- autograde

def autograde(assignment: str, root: Path = GRADING) -> int:
    """Autograde every submission of ``assignment``, write feedback, export grades.csv."""
    submitted = sorted(root.glob(f"submitted/*/{assignment}"))
    if not submitted:
        print(f"no submissions in {root}/submitted/*/{assignment}/", file=sys.stderr)
        return 1
    start = time.perf_counter()
    nbgrader("autograde", assignment, "--force", "--log-level=WARN", root=root)
    graded = time.perf_counter() - start
    nbgrader("generate_feedback", assignment, "--force", "--log-level=WARN", root=root)
    nbgrader("export", "--to", str(root / "grades.csv"), "--log-level=WARN", root=root)
    print(f"autograded {len(submitted)} submission(s) of {assignment} in {graded:.1f} s "
          f"({graded / len(submitted):.1f} s each); feedback in grading/feedback/*/{assignment}/, "
          f"grades in grading/grades.csv")
    return 0


# --------------------------------------------------------------------------- kernel

def write_kernel(python: Path, prefix: Path) -> Path:
    """Register the course's environment as the ``cnn-course`` kernel of the grading environment."""
    spec = {"argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "CNN course (grading)", "language": "python"}
    target = prefix / "share" / "jupyter" / "kernels" / KERNEL / "kernel.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    k = sub.add_parser("kernel", help="register the course's kernel for grading")
    k.add_argument("--python", type=Path, required=True, help="the course environment's python")
    r = sub.add_parser("release", help="make nbgrader sources and releases from notebooks")
    r.add_argument("notebooks", nargs="+", type=Path)
    a = sub.add_parser("autograde", help="autograde, feedback and grades.csv for one notebook")
    a.add_argument("assignment", help="a notebook's name without .ipynb, e.g. 02_stride_padding")
    for p in (r, a):
        p.add_argument("--root", type=Path, default=GRADING, help="the course folder (nbgrader_config.py)")
    args = parser.parse_args(argv)
    if args.command == "kernel":
        print(write_kernel(args.python.absolute(), Path(sys.prefix)))
        return 0
    if args.command == "release":
        return release(args.notebooks, args.root.absolute())
    return autograde(args.assignment.removesuffix(".ipynb"), args.root.absolute())


if __name__ == "__main__":
    sys.exit(main())
