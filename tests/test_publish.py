"""Tests of the presenting and publishing tools (tools/*.py, issue 9); fast, no browser.

* every course notebook is a sensible deck (slide metadata) and has a working student version;
* a deck names no http(s) script or style (and the detector itself catches each kind);
* the student build drops solutions but keeps stubs and checkers, which then say "not done yet";
* the browser test reads the sliding-window explorer's status line the way the explorer writes it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest

from course_utils.widgets import sliding_window

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import browser_test  # noqa: E402
import lab_overrides  # noqa: E402
import make_site  # noqa: E402
import slides  # noqa: E402
import student  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", "-"}


def cell(kind: str, source: str, tags=(), slide: str | None = None, **metadata):
    make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
    c = make(source)
    if tags:
        c.metadata["tags"] = list(tags)
    if slide:
        c.metadata["slideshow"] = {"slide_type": slide}
    c.metadata.update(metadata)
    return c


def tiny_course_notebook():
    """Title, a formula, a stub, a hidden solution, a checker: the skeleton in miniature."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        cell("markdown", "# 99 · Tiny\nThe size is $\\lfloor (W + 2P - K)/S \\rfloor + 1$.", slide="slide"),
        cell("code", "x = 1\nprint('x =', x)", slide="fragment"),
        cell("markdown", "## Exercises", slide="slide"),
        cell("code", "def double(v):\n    # YOUR CODE HERE\n    raise NotImplementedError", tags=["exercise"]),
        cell("code", "def double(v):\n    return 2 * v  # SOLUTION LINE", tags=["solution"], jupyter={"source_hidden": True}),
        cell("code", "from course_utils.checks.core import check_function, Case\n"
                     "check_function('double', double, lambda v: 2 * v, [Case((1,)), Case((3,))])"),
        cell("code", "assert double(2) == 4"),  # uses the student's function after the exercise
    ]
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="x = 1\n")]
    nb.cells[1].execution_count = 1
    return nb


# --- every course notebook -------------------------------------------------------------------

@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_a_deck(path):
    nb = nbformat.read(path, as_version=4)
    types = [c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells]
    assert types[0] == "slide", f"{path.name}: the title cell should start a slide"
    unknown = {t for t in types if t is not None} - SLIDE_TYPES
    assert not unknown, f"{path.name}: unknown slide types {unknown}"
    for i, c in enumerate(nb.cells):
        if c.cell_type == "markdown" and c.source.lstrip().startswith("## "):
            assert types[i] in ("slide", "subslide"), \
                f"{path.name}: section heading in cell {i} should start a slide or subslide"
    assert types.count("slide") >= 3, f"{path.name}: expected a deck of several slides"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_student_version_of_every_notebook(path):
    nb = nbformat.read(path, as_version=4)
    exercises = sum("exercise" in student.tags(c) for c in nb.cells)
    version = student.student_version(nb)
    assert student.problems(version) == []
    assert not any("solution" in student.tags(c) for c in version.cells)
    assert sum("exercise" in student.tags(c) for c in version.cells) == exercises
    assert len(student.checker_cells(version)) == sum(student.is_stub(c) for c in nb.cells)  # markdown
    # explain exercises have no stub and no checker: their model answer is graded by hand
    assert len(version.cells) == len(nb.cells) - sum("solution" in student.tags(c) for c in nb.cells)


# --- decks work offline ---------------------------------------------------------------------

@pytest.mark.parametrize("html", [
    '<script src="https://cdn.example.org/reveal.js"></script>',
    "<script type='text/javascript' src='http://x.org/require.js'></script>",
    '<script src="//unpkg.com/x.js"></script>',
    '<link rel="stylesheet" href="https://unpkg.com/reveal.js/dist/reveal.css">',
    "<style>@import url(https://fonts.googleapis.com/css?family=Lato);</style>",
    "<script type=\"module\">import mermaid from 'https://cdn.x/mermaid.mjs';</script>",
])
def test_external_assets_are_found(html):
    assert slides.external_assets(html)


def test_local_assets_and_plain_links_are_fine():
    html = ('<script src="vendor/requirejs/require.js"></script>'
            '<link href="vendor/reveal.js/dist/reveal.css" rel="stylesheet"/>'
            '<a href="https://arxiv.org/abs/1512.03385">He et al.</a>')
    assert slides.external_assets(html) == []


def test_a_deck_names_no_http_script_or_style(tmp_path):
    source = tmp_path / "99_tiny.ipynb"
    nbformat.write(tiny_course_notebook(), source)
    deck = slides.render(source, tmp_path)
    html = deck.read_text()
    assert slides.check_deck(deck) == []
    for url in slides.URLS.values():
        assert url.split("?")[0] in html
    assert "Reveal.initialize" in html
    assert "SOLUTION LINE" not in html, "a deck must not give the solution away"
    assert "YOUR CODE HERE" in html


def test_check_deck_reads_linked_style_sheets(tmp_path):
    (tmp_path / "theme.css").write_text("@import url(https://fonts.googleapis.com/css?family=Lato);")
    deck = tmp_path / "d.slides.html"
    deck.write_text('<link rel="stylesheet" href="theme.css">')
    assert slides.check_deck(deck)


def test_npm_assets_are_pinned_exactly():
    package = json.loads((ROOT / "tools" / "package.json").read_text())
    lock = json.loads((ROOT / "tools" / "package-lock.json").read_text())
    for name, spec in package["dependencies"].items():
        version = spec.rsplit("@", 1)[-1]
        assert version[0].isdigit(), f"{name}: pin an exact version, not {spec!r}"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
    assert set(slides.VENDOR) <= set(package["dependencies"])


# --- student build --------------------------------------------------------------------------

def test_student_build_drops_solutions_keeps_stub_and_checker(tmp_path):
    source = tmp_path / "99_tiny.ipynb"
    nbformat.write(tiny_course_notebook(), source)
    [written] = student.build([source], tmp_path / "student")
    nb = nbformat.read(written, as_version=4)
    sources = [c.source for c in nb.cells]
    assert not any("return 2 * v" in s for s in sources)
    assert any("raise NotImplementedError" in s for s in sources)
    assert any("check_function('double'" in s for s in sources)
    assert all(not c.get("outputs") and c.get("execution_count") is None
               for c in nb.cells if c.cell_type == "code")
    assert student.checker_cells(nb) == [4]
    assert nbformat.read(source, as_version=4).cells[1].outputs, "the source is left alone"


def test_student_build_refuses_an_exercise_without_checker(tmp_path):
    nb = tiny_course_notebook()
    nb.cells = nb.cells[:5]  # stub and solution, no checker after them
    source = tmp_path / "99_tiny.ipynb"
    nbformat.write(nb, source)
    with pytest.raises(ValueError, match="checker"):
        student.build([source], tmp_path / "student")


def test_student_notebook_runs_and_checker_says_not_done_yet(tmp_path):
    source = tmp_path / "99_tiny.ipynb"
    nbformat.write(tiny_course_notebook(), source)
    [written] = student.build([source], tmp_path / "student")
    errors, warnings = student.run_as_student(written)
    assert errors == []
    assert len(warnings) == 1 and "unsolved exercise" in warnings[0]  # the last cell


def error(name: str, value: str = ""):
    return nbformat.v4.new_output("error", ename=name, evalue=value, traceback=[])


def test_judge_explains_what_went_wrong():
    nb = student.student_version(tiny_course_notebook())  # stub 3, checker 4, later cell 5
    todo = nbformat.v4.new_output("stream", text="✎ double: not done yet: replace ...")
    nb.cells[4].outputs = [todo]
    assert student.judge(nb) == ([], [])
    nb.cells[1].outputs = [error("ZeroDivisionError", "division by zero")]  # before the exercises
    nb.cells[5].outputs = [error("NotImplementedError")]  # uses the unsolved stub
    errors, warnings = student.judge(nb)
    assert errors == ["cell 1 raised ZeroDivisionError: division by zero"]
    assert len(warnings) == 1 and warnings[0].startswith("cell 5 raised NotImplementedError")
    nb.cells[4].outputs = [nbformat.v4.new_output("stream", text="✓ double: all 2 cases correct")]
    assert any("does not say 'not done yet'" in e for e in student.judge(nb)[0])


def test_checker_is_the_cell_that_uses_the_stub():
    """A measurement cell may sit between the solution and the checker (as in notebook 11)."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [cell("code", "answer = ...  # a block number", tags=["exercise"]),
                cell("code", "answer = 0", tags=["solution"]),
                cell("code", "errors = measure()"),
                cell("code", "check_block(answer, errors)"),
                cell("code", "%time x = 1\ndef f(v):\n    raise NotImplementedError", tags=["exercise"]),
                cell("code", "check_f(f)")]
    assert student.checker_cells(nb) == [3, 5]
    assert student.defined_names("def g(x):\n    pass\ny: int = 2\nz = w = 3") == {"g", "y", "z", "w"}
    assert student.defined_names("%time x = 1\ndef f(v):\n    pass") == {"f"}  # magics: regex


# --- site -----------------------------------------------------------------------------------

def test_site_toc_is_in_course_order():
    names = [Path(f"x/{n}.ipynb") for n in ("02_b", "00_a", "12_z", "11_y")]
    toc = make_site.toc(names)
    order = [line.split("notebooks/")[1] for line in toc.splitlines() if "notebooks/" in line]
    assert order == ["00_a", "02_b", "11_y", "12_z"]
    assert "root: intro" in toc


def test_site_refuses_error_outputs():
    nb = tiny_course_notebook()
    assert make_site.error_outputs(nb) == []
    nb.cells[1].outputs.append(nbformat.v4.new_output("error", ename="ValueError", evalue="bad",
                                                      traceback=[]))
    assert make_site.error_outputs(nb) == ["cell 1: ValueError: bad"]


# --- the browser test's reading of the explorer ---------------------------------------------

@pytest.mark.parametrize("w,k,s,p", [(7, 3, 1, 0), (7, 3, 2, 0), (8, 3, 3, 1), (12, 7, 5, 3), (5, 5, 1, 0)])
def test_browser_test_reads_the_explorer_status(w, k, s, p):
    text = sliding_window.describe_window(W=w, K=k, S=s, P=p)
    assert browser_test.shown_output_size(text) == browser_test.expected_output_size(w, k, s, p)


def test_explorer_has_the_sliders_the_browser_test_moves():
    explorer = sliding_window.sliding_window_explorer()
    assert {name: c.description for name, c in explorer.controls.items()} == \
        {"W": "W", "K": "K", "S": "S", "P": "P"}
    before = browser_test.shown_output_size(explorer.text)
    explorer.set(S=explorer.controls["S"].value + 1)
    assert browser_test.shown_output_size(explorer.text) != before


def test_shown_output_size_needs_the_status_line():
    assert browser_test.shown_output_size("something else = 3") is None
    assert browser_test.shown_output_size("output size = ⌊(7 + 0 − 3)/2⌋ + 1 = 3\nmore") == 3


# --- JupyterLab defaults --------------------------------------------------------------------

def test_lab_overrides_merge_keeps_other_settings(tmp_path):
    target = tmp_path / "settings" / "overrides.json"
    target.parent.mkdir()
    target.write_text(json.dumps({"jupyterlab-rise:plugin": {"width": 1200}, "other:plugin": {"a": 1}}))
    merged = lab_overrides.merge(ROOT / "tools" / "lab_overrides.json", target)
    assert merged["jupyterlab-rise:plugin"] == {"width": 1200, "theme": "white", "scroll": True}
    assert merged["other:plugin"] == {"a": 1}
    assert json.loads(target.read_text()) == merged


def test_rise_theme_loads_no_web_font():
    """RISE's default theme ("simple") imports Google Fonts; the course's default must not."""
    theme = json.loads((ROOT / "tools" / "lab_overrides.json").read_text())["jupyterlab-rise:plugin"]["theme"]
    assert theme == slides.make_exporter().reveal_theme == "white"
