"""Make the students' copy of the course: solutions removed, outputs stripped.

    python tools/student.py --out build/student notebooks/*.ipynb           # build
    python tools/student.py --out build/student --check notebooks/*.ipynb   # build, then run them

Every cell tagged ``solution`` is dropped; its exercise stub (tagged ``exercise``) and the checker
cell after it stay (the checker is the first later code cell that uses a name the stub defines;
a measurement cell may sit in between). Outputs and execution counts are cleared. ``--check`` then runs each student
notebook top to bottom at the ``ci`` profile with non-strict checkers, as a student would, and
fails unless everything up to the exercises runs and the checker after each exercise stub
answers "not done yet" (instead of crashing or, worse, passing). A later cell that uses an
unsolved exercise's function is reported as a warning.
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import re
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import nbformat

TODO_MARK = "not done yet"


def tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def student_version(nb):
    """The notebook without ``solution`` cells and without outputs (a new object).

    nbconvert's own preprocessors do the work: ``TagRemovePreprocessor`` drops the cells tagged
    ``solution``, ``ClearOutputPreprocessor`` clears outputs, execution counts and the metadata a
    run leaves behind.
    """
    from nbconvert.preprocessors import ClearOutputPreprocessor, TagRemovePreprocessor

    nb = nbformat.from_dict(copy.deepcopy(nb))  # the caller's notebook is left alone
    nb, _ = TagRemovePreprocessor(remove_cell_tags={"solution"}).preprocess(nb, {})
    clear = ClearOutputPreprocessor(remove_metadata_fields={"collapsed", "scrolled", "execution"})
    nb, _ = clear.preprocess(nb, {})
    nb.metadata.pop("widgets", None)
    return nb


def defined_names(source: str) -> set[str]:
    """Names a stub cell defines: its functions, classes and assigned variables."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics: fall back to the obvious patterns
        return {a or b for a, b in re.findall(r"^def (\w+)|^(\w+)\s*=", source, re.M)}
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def checker_of(nb, stub: int) -> int | None:
    """Index of the checker of the exercise stub at ``stub``: the first later code cell (not a
    stub or solution) that uses a name the stub defines, else simply the next such code cell."""
    later = [j for j in range(stub + 1, len(nb.cells)) if nb.cells[j].cell_type == "code"
             and not {"exercise", "solution"} & set(tags(nb.cells[j]))]
    names = defined_names(nb.cells[stub].source)
    uses = [j for j in later if any(re.search(rf"\b{re.escape(n)}\b", nb.cells[j].source) for n in names)]
    return (uses or later or [None])[0]


def is_stub(cell) -> bool:
    """An exercise's code stub (an explain exercise written in markdown has no stub and no checker)."""
    return cell.cell_type == "code" and "exercise" in tags(cell)


def checker_cells(nb) -> list[int]:
    """Index of the checker cell of each exercise stub, in order."""
    found = []
    for i, cell in enumerate(nb.cells):
        if not is_stub(cell):
            continue
        after = checker_of(nb, i)
        if after is None:
            raise ValueError(f"exercise cell {i} has no checker cell after it")
        found.append(after)
    return found


def problems(nb) -> list[str]:
    """What is wrong with a student notebook's structure (empty when it is fine)."""
    found = [f"cell {i} is a solution" for i, c in enumerate(nb.cells) if "solution" in tags(c)]
    found += [f"cell {i} has outputs" for i, c in enumerate(nb.cells)
              if c.cell_type == "code" and c.outputs]
    found += [f"exercise cell {i} is not followed by its checker cell" for i, c in enumerate(nb.cells)
              if is_stub(c) and checker_of(nb, i) is None]
    return found


def build(sources: list[Path], out: Path) -> list[Path]:
    """Write the student version of each notebook into ``out``; return the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for source in sources:
        nb = student_version(nbformat.read(source, as_version=4))
        bad = problems(nb)
        if bad:
            raise ValueError(f"{source.name}: {'; '.join(bad)}")
        target = out / source.name
        nbformat.write(nb, target)
        written.append(target)
    return written


def output_text(cell) -> str:
    """All text a code cell showed (stream, plain text and HTML results, errors)."""
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type in ("execute_result", "display_data"):
            parts += [str(output.data.get(k, "")) for k in ("text/plain", "text/html")]
        elif output.output_type == "error":
            parts.append(f"{output.ename}: {output.evalue}")
    return "\n".join(parts)


@contextmanager
def environment(**values: str):
    """Set environment variables for a kernel started inside the block, then restore them."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_as_student(path: Path, cell_timeout: int = 120) -> tuple[list[str], list[str]]:
    """Run a student notebook at the ``ci`` profile, as a student would (checkers not strict),
    and return :func:`judge`'s ``(errors, warnings)`` for the result."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    with environment(COURSE_PROFILE="ci", COURSE_STRICT_CHECKS="0", COURSE_STATIC_WIDGETS="1",
                     COURSE_QUIET="1", MPLBACKEND="agg", PYDEVD_DISABLE_FILE_VALIDATION="1"):
        NotebookClient(nb, timeout=cell_timeout, kernel_name="python3", allow_errors=True,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    return judge(nb)


def judge(nb) -> tuple[list[str], list[str]]:
    """Judge an executed student notebook: ``(errors, warnings)``.

    Errors: a checker does not answer "not done yet", or a cell fails for another reason than an
    unsolved exercise. Warnings: a cell after the first exercise raises ``NotImplementedError``
    because it uses a student's unsolved function (a student's "Run All" stops there).
    """
    checkers = checker_cells(nb)
    first_exercise = next((i for i, c in enumerate(nb.cells) if "exercise" in tags(c)), len(nb.cells))
    errors = [f"the checker in cell {i} does not say {TODO_MARK!r}: {output_text(nb.cells[i])[:200]!r}"
              for i in checkers if TODO_MARK not in output_text(nb.cells[i])]
    warnings = []
    for i, cell in enumerate(nb.cells):
        failure = next((o for o in cell.get("outputs", []) if o.output_type == "error"), None)
        if failure is None or i in checkers:
            continue
        message = f"cell {i} raised {failure.ename}: {failure.evalue}"[:200]
        if failure.ename == "NotImplementedError" and i > first_exercise:
            warnings.append(message + " (it uses an unsolved exercise; a student's Run All stops here)")
        else:
            errors.append(message)
    return errors, warnings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--check", action="store_true", help="also run every student notebook")
    args = parser.parse_args(argv)
    try:
        written = build(args.notebooks, args.out)
    except ValueError as err:
        print(err, file=sys.stderr)
        return 1
    failed = 0
    for path in written:
        exercises = len(checker_cells(nbformat.read(path, as_version=4)))
        line = f"  {path}: {exercises} exercise(s), solutions removed"
        if args.check:
            start = time.perf_counter()
            bad, warnings = run_as_student(path)
            more = f" (and {len(bad) - 3} more)" if len(bad) > 3 else ""
            line += f"; ran in {time.perf_counter() - start:.1f} s: " + ("; ".join(bad[:3]) + more or "ok")
            line += "".join(f"\n    warning: {w}" for w in warnings)
            failed += bool(bad)
        print(line)
    if failed:
        print(f"{failed} student notebook(s) do not run up to their exercises", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
