"""Every notebook follows the skeleton in CONTRIBUTING.md, and the course map lists them all.

These tests read the notebooks as JSON (nothing is executed); executing them is nbval's job.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
NAME = re.compile(r"^(\d\d)_[a-z0-9_]+\.ipynb$")


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def text(cell: dict) -> str:
    source = cell["source"]
    return "".join(source) if isinstance(source, list) else source


def markdown(nb: dict) -> str:
    return "\n".join(text(c) for c in nb["cells"] if c["cell_type"] == "markdown")


def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def test_notebooks_are_numbered_from_00_without_gaps():
    numbers = [NAME.match(p.name).group(1) for p in PATHS if NAME.match(p.name)]
    assert [p.name for p in PATHS if not NAME.match(p.name)] == [], "names must look like 04_pooling_and_cnn.ipynb"
    assert len(set(numbers)) == len(numbers), "two notebooks share a number"
    assert numbers == [f"{i:02d}" for i in range(len(numbers))], f"numbers must run 00, 01, ... without gaps: {numbers}"


def test_course_map_lists_every_notebook():
    course_map = markdown(load(NOTEBOOKS / "00_course_map.ipynb"))
    missing = [p.name for p in PATHS if p.name not in course_map]
    assert missing == [], f"00_course_map.ipynb does not list {missing}"


def test_glossary_has_the_key_korean_terms():
    course_map = markdown(load(NOTEBOOKS / "00_course_map.ipynb"))
    for term in ["합성곱", "특성 맵", "풀링", "패딩", "스트라이드", "잔차 학습", "배치 정규화"]:
        assert term in course_map, f"glossary lacks {term}"


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_notebook_follows_the_skeleton(path: Path):
    nb = load(path)
    number = path.name[:2]
    first = nb["cells"][0]
    assert first["cell_type"] == "markdown" and text(first).startswith(f"# {number} ·"), \
        f"the first cell must be the title '# {number} · ...'"
    prose = markdown(nb)
    for heading in ["Learning objectives", "Prerequisites", "Summary", "Further reading"]:
        assert re.search(rf"^#+ .*{heading}", prose, re.M | re.I), f"missing section '{heading}'"
    assert "setup()" in text(code_cells(nb)[0]), "the first code cell must call setup()"


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_notebook_is_stored_without_outputs(path: Path):
    for cell in code_cells(load(path)):
        assert cell.get("outputs", []) == [] and cell.get("execution_count") is None, \
            "outputs are stored: run `make strip`"


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_exercises_have_hidden_solutions_and_checkers(path: Path):
    cells = load(path)["cells"]
    solutions = [i for i, c in enumerate(cells) if "solution" in tags(c)]
    assert solutions, "every notebook has at least one exercise with a solution cell"
    for i in solutions:
        assert cells[i].get("metadata", {}).get("jupyter", {}).get("source_hidden") is True, \
            f"solution cell {i} must be collapsed (jupyter.source_hidden)"
        assert any("exercise" in tags(c) for c in cells[:i]), f"solution cell {i} has no exercise stub before it"
        assert any("check" in text(c) for c in cells[i + 1:] if c["cell_type"] == "code"), \
            f"solution cell {i} has no checker after it"
    for cell in cells:
        if "exercise" in tags(cell):
            assert "NotImplementedError" in text(cell) or "..." in text(cell), "an exercise stub must be unfinished"


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_claims_are_asserted(path: Path):
    source = "\n".join(text(c) for c in code_cells(load(path)))
    assert source.count("assert ") >= 2, "claims are measurements with asserts"


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_notebook_names_its_kernel(path: Path):
    # Without a kernelspec JupyterLab and RISE ask which kernel to start every time.
    assert load(path)["metadata"].get("kernelspec", {}).get("name") == "python3"
