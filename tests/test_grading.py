"""Grading a class with nbgrader (issue 16): release a notebook, autograde three students.

The assignment is made from the notebook in the tree (``tools/grading.py``), in a scratch course
folder, and graded in the grading environment (``.venv-grading``): a fully correct submission, one
with a typical mistake (the first ``Mistake`` of the first autograded exercise's checker) and the
untouched stubs. Expected scores come from the generated source's points, so they stay right when
exercises are added. ``make test-grading`` (part of ``make test``) builds the grading environment
and runs this file; elsewhere the grading run is skipped, saying so. The checks that students'
``make lab`` has no grading UI and that the grading lock agrees with the course's run everywhere.
"""

from __future__ import annotations

import csv
import html
import importlib
import importlib.util
import os
import pkgutil
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

GRADING_PY = ROOT / ".venv-grading" / "bin" / "python"
NOTEBOOK = "02_stride_padding"      # the most checked implement exercises among the early notebooks
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)$")


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            match = PIN.match(line.strip())
            assert match, f"{path.name}: {line!r} is not an exact pin"
            found[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = match.group(2)
    return found


def test_students_lab_has_no_grading_ui():
    """nbgrader and its JupyterLab extension stay out of the course's environment."""
    assert importlib.util.find_spec("nbgrader") is None, "nbgrader is installed in the students' environment"
    share = Path(sys.prefix) / "share" / "jupyter"
    extensions = [p for p in (share / "labextensions").glob("**/*") if "nbgrader" in p.name.lower()]
    assert not extensions, f"nbgrader's Lab extension would show in `make lab`: {extensions[:3]}"
    configs = [p for p in (Path(sys.prefix) / "etc" / "jupyter").glob("**/*") if "nbgrader" in p.name.lower()]
    assert not configs, f"nbgrader's server extension is enabled for students: {configs[:3]}"


def test_grading_lock_is_exact_and_agrees_with_the_course():
    grading, course = pins(ROOT / "grading" / "requirements.lock"), pins(ROOT / "requirements.lock")
    assert grading.get("nbgrader") == "0.9.6"
    differ = {n: (v, course[n]) for n, v in grading.items() if n in course and course[n] != v}
    assert not differ, f"grading/requirements.lock and requirements.lock disagree (grading, course): {differ}"


# --------------------------------------------------------------------------- the grading run

needs_grading_env = pytest.mark.skipif(
    os.environ.get("COURSE_GRADING_TESTS") != "1" or not GRADING_PY.exists(),
    reason="the nbgrader run needs .venv-grading: `make test-grading` (part of `make test`) runs it")


def run(*args: str, cwd: Path = ROOT) -> str:
    done = subprocess.run([str(GRADING_PY), *args], cwd=cwd, text=True, capture_output=True, timeout=600)
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def find_checker(name: str):
    """A checker function of course_utils.checks by name."""
    import course_utils.checks as checks

    for info in pkgutil.iter_modules(checks.__path__):
        module = importlib.import_module(f"course_utils.checks.{info.name}")
        if callable(getattr(module, name, None)):
            return getattr(module, name)
    raise LookupError(name)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    import nbformat
    from mock_class import first_mistake, graded_cells, mistakable, submission

    course = tmp_path_factory.mktemp("course")
    shutil.copy(ROOT / "grading" / "nbgrader_config.py", course)
    run("tools/grading.py", "release", f"notebooks/{NOTEBOOK}.ipynb", "--root", str(course))
    name = f"{NOTEBOOK}.ipynb"
    release = nbformat.read(course / "release" / NOTEBOOK / name, as_version=4)
    source = nbformat.read(course / "source" / NOTEBOOK / name, as_version=4)
    mistake = mistakable(source)[0]
    for student, kind in (("ada", "correct"), ("ben", "mistake"), ("cho", "untouched")):
        folder = course / "submitted" / student / NOTEBOOK
        folder.mkdir(parents=True)
        nbformat.write(submission(release, source, kind, mistake), folder / name)
    start = time.perf_counter()
    run("tools/grading.py", "autograde", NOTEBOOK, "--root", str(course))
    seconds = time.perf_counter() - start
    print(f"\nautograde + feedback + export of 3 submissions: {seconds:.1f} s")
    with open(course / "grades.csv", newline="", encoding="utf-8") as f:
        grades = {row["student_id"]: row for row in csv.DictReader(f)}
    tests = {gid: c.metadata.nbgrader["points"] for gid, c in graded_cells(source).items()
             if c.metadata.nbgrader["grade"] and not c.metadata.nbgrader["solution"]}
    hint = first_mistake(find_checker(mistake[1])).hint
    return {"course": course, "grades": grades, "tests": tests, "mistake": mistake, "hint": hint}


def feedback(course: Path, student: str) -> str:
    page = course / "feedback" / student / NOTEBOOK / f"{NOTEBOOK}.html"
    assert page.exists(), f"no feedback for {student}"
    return html.unescape(page.read_text(encoding="utf-8"))


@needs_grading_env
def test_release_reads_like_the_course(graded):
    """tools/grading.py fails the release unless it equals the student build; here the release
    also carries no solution marker and every exercise is worth points."""
    text = (graded["course"] / "release" / NOTEBOOK / f"{NOTEBOOK}.ipynb").read_text(encoding="utf-8")
    assert "BEGIN SOLUTION" not in text and "raise NotImplementedError" in text
    assert len(graded["tests"]) >= 2 and all(p >= 1 for p in graded["tests"].values())


@needs_grading_env
def test_scores(graded):
    grades, tests = graded["grades"], graded["tests"]
    total = sum(tests.values())
    assert set(grades) == {"ada", "ben", "cho"}
    assert float(grades["ada"]["score"]) == total, grades["ada"]
    wrong = f"test_{graded['mistake'][0]}"
    assert float(grades["ben"]["score"]) == total - tests[wrong], grades["ben"]
    assert float(grades["cho"]["score"]) == 0, grades["cho"]
    assert float(grades["ada"]["max_score"]) >= total


@needs_grading_env
def test_feedback_shows_the_checkers_hint(graded):
    assert graded["hint"] in feedback(graded["course"], "ben")
    assert graded["hint"] not in feedback(graded["course"], "ada")
    assert "not done yet" in feedback(graded["course"], "cho")
