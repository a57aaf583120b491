"""A mock class for grading: submissions made from a released assignment, then timed autograding.

    python tools/mock_class.py 02_stride_padding --students 30     # grading env's Python

Run ``make assignments`` first. Three kinds of submission, in turn: ``correct`` (every exercise
solved with the course's solution), ``mistake`` (one exercise solved with the first known mistake
of its checker, the rest correct) and ``untouched`` (the released stubs as they are). The
students are written to ``grading/submitted/mock-NN/<nb>/``, then ``tools/grading.py
autograde`` grades them all; the time per submission is printed (INSTRUCTORS.md quotes it).
``tests/test_grading.py`` makes its three submissions with the same functions.
"""

from __future__ import annotations

import argparse
import ast
import inspect
import shutil
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
GRADING = ROOT / "grading"
KINDS = ("correct", "mistake", "untouched")


def first_mistake(checker):
    """The first known mistake (a ``Mistake``) of a checker built on ``check_function``, or None.

    It calls the checker once with ``check_function`` replaced by a recorder of its arguments.
    A submission's cell carries this function's source, so the kernel finds the mistake itself.
    """
    import sys as _sys

    module, seen = _sys.modules[checker.__module__], []
    real = getattr(module, "check_function", None)
    if real is None:
        return None
    module.check_function = lambda name, student, reference, cases, mistakes=(), **kw: seen.extend(mistakes)
    try:
        checker(None)
    finally:
        module.check_function = real
    return seen[0] if seen else None


def graded_cells(nb) -> dict[str, object]:
    """The nbgrader cells of a notebook by grade id."""
    return {c.metadata.nbgrader["grade_id"]: c for c in nb.cells if "nbgrader" in c.metadata}


def solutions(source) -> dict[str, str]:
    """The solution of every code solution cell of a source notebook, markers removed."""
    found = {}
    for grade_id, cell in graded_cells(source).items():
        meta = cell.metadata.nbgrader
        if meta["solution"] and cell.cell_type == "code":
            lines = [ln for ln in cell.source.split("\n") if ln.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")]
            found[grade_id] = "\n".join(lines)
    return found


def checker_name(test_source: str) -> str | None:
    """The function a checker cell calls first, e.g. ``check_output_size``."""
    for node in ast.walk(ast.parse(test_source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return node.func.id
    return None


def mistakable(source) -> list[tuple[str, str]]:
    """``(solution grade id, checker name)`` of each autograded exercise, in order."""
    cells = graded_cells(source)
    pairs = []
    for grade_id, cell in cells.items():
        test = cells.get(f"test_{grade_id}")
        if cell.metadata.nbgrader["solution"] and test is not None:
            name = checker_name(test.source)
            if name:
                pairs.append((grade_id, name))
    return pairs


def mistake_source(stub: str, checker: str) -> str:
    """A solution cell that defines the stub's function as ``checker``'s first known mistake."""
    from student import defined_names

    name = sorted(defined_names(stub))[0]
    return inspect.getsource(first_mistake) + f"\n\n{name} = first_mistake({checker}).wrong\n"


def submission(release, source, kind: str, mistake: tuple[str, str] | None = None):
    """A student's notebook: ``release`` answered as ``kind`` says (a new object)."""
    nb = nbformat.from_dict(release)
    if kind == "untouched":
        return nb
    answers = solutions(source)
    for grade_id, cell in graded_cells(nb).items():
        if grade_id in answers:
            cell.source = answers[grade_id]
        elif cell.metadata.nbgrader["solution"]:   # a written answer: the model answer
            cell.source = graded_cells(source)[grade_id].source
    if kind == "mistake":
        grade_id, checker = mistake
        cell = graded_cells(nb)[grade_id]
        cell.source = mistake_source(cell.source, checker)
    return nb


def write_class(assignment: str, students: int, root: Path = GRADING, prefix: str = "mock") -> list[str]:
    """Write ``students`` submissions (kinds in turn) into ``root/submitted``; return their ids."""
    name = f"{assignment}.ipynb"
    release = nbformat.read(root / "release" / assignment / name, as_version=4)
    source = nbformat.read(root / "source" / assignment / name, as_version=4)
    pairs = mistakable(source)
    ids = []
    for n in range(students):
        kind = KINDS[n % len(KINDS)]
        if kind == "mistake" and not pairs:
            kind = "correct"
        student = f"{prefix}-{n + 1:02d}-{kind}"
        folder = root / "submitted" / student / assignment
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        nbformat.write(submission(release, source, kind, pairs[0] if pairs else None), folder / name)
        ids.append(student)
    return ids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignment", help="e.g. 02_stride_padding (released by make assignments)")
    parser.add_argument("--students", type=int, default=30)
    args = parser.parse_args(argv)
    assignment = args.assignment.removesuffix(".ipynb")
    if not (GRADING / "release" / assignment).is_dir():
        print(f"grading/release/{assignment}/ is missing: run `make assignments` first", file=sys.stderr)
        return 1
    ids = write_class(assignment, args.students)
    print(f"{len(ids)} mock submissions in grading/submitted/mock-*/{assignment}/")
    from grading import autograde

    start = time.perf_counter()
    code = autograde(assignment)
    total = time.perf_counter() - start
    print(f"class of {len(ids)}: {total:.0f} s in all (autograde, feedback, export), "
          f"{total / len(ids):.1f} s per submission")
    return code


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
