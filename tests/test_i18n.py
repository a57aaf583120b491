"""The Korean edition's machinery (issue 18): catalogues extracted from the notebooks, changed
English marked fuzzy, twins built with code cells untouched, and the shipped catalogues complete."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import i18n  # noqa: E402

CODE = {"cell_type": "code", "execution_count": None, "id": "1", "outputs": [],
        "metadata": {"tags": ["exercise", "implement"], "slideshow": {"slide_type": "fragment"}},
        "source": ["x = 1  # a comment stays English\n", "print(x)"]}


def notebook(first_paragraph: str) -> dict:
    text = (f"{first_paragraph}\n\nThe output size is\n\n$$\no = s + 1\n$$\n\n"
            "```python\ndef f():\n\n    return 1\n```")
    return {"cells": [{"cell_type": "markdown", "id": "0", "metadata": {"slideshow": {"slide_type": "slide"}},
                       "source": text.splitlines(keepends=True)}, CODE],
            "metadata": {"kernelspec": {"name": "python3"}}, "nbformat": 4, "nbformat_minor": 5}


@pytest.fixture
def course(tmp_path, monkeypatch):
    (tmp_path / "notebooks").mkdir()
    monkeypatch.setattr(i18n, "NOTEBOOKS", tmp_path / "notebooks")
    monkeypatch.setattr(i18n, "LOCALE", tmp_path / "locale")
    path = tmp_path / "notebooks" / "01_demo.ipynb"
    path.write_text(json.dumps(notebook("A convolution slides a kernel.")), encoding="utf-8")
    return path


def translate_all(path: Path, strings: dict[str, str]) -> None:
    po = i18n.po_path("ko", path.stem)
    catalog = i18n.load_catalog(po, "ko")
    for message in catalog:
        if message.id in strings:
            message.string = strings[message.id]
            message.flags.discard("fuzzy")
    i18n.save_catalog(catalog, po)


def test_segments_keep_code_and_maths_whole():
    blocks = i18n.segments("One.\n\n$$\na\n\nb\n$$\n\n```\nx\n\ny\n```\n\nTwo.")
    assert blocks == ["One.", "$$\na\n\nb\n$$", "```\nx\n\ny\n```", "Two."]
    assert [i18n.translatable(b) for b in blocks] == [True, False, False, True]


def test_round_trip_code_identical_markdown_translated(course, tmp_path):
    i18n.update("ko", [course])
    catalog = i18n.load_catalog(i18n.po_path("ko", course.stem), "ko")
    assert [m.id for m in catalog if m.id] == ["A convolution slides a kernel.", "The output size is"]
    translate_all(course, {"A convolution slides a kernel.": "합성곱은 커널을 밀며 계산합니다.",
                           "The output size is": "출력 크기는 다음과 같습니다."})
    twin = json.loads(i18n.build_notebook(course, "ko", tmp_path / "ko", strict=True).read_text("utf-8"))
    english = json.loads(course.read_text("utf-8"))
    assert twin["cells"][1] == english["cells"][1], "code cells must be byte for byte the English ones"
    text = "".join(twin["cells"][0]["source"])
    assert text.startswith("합성곱은 커널을 밀며 계산합니다.\n\n출력 크기는")
    assert "$$\no = s + 1\n$$" in text and "def f():\n\n    return 1" in text
    assert twin["cells"][0]["metadata"] == english["cells"][0]["metadata"]
    assert twin["metadata"]["language"] == "ko"


def test_changed_english_is_fuzzy_and_a_strict_build_refuses_it(course, tmp_path):
    i18n.update("ko", [course])
    translate_all(course, {"A convolution slides a kernel.": "합성곱은 커널을 밀며 계산합니다.",
                           "The output size is": "출력 크기는 다음과 같습니다."})
    course.write_text(json.dumps(notebook("A convolution slides a small kernel.")), encoding="utf-8")
    i18n.update("ko", [course])
    catalog = i18n.load_catalog(i18n.po_path("ko", course.stem), "ko")
    changed = catalog.get("A convolution slides a small kernel.")
    assert changed.fuzzy and changed.string == "합성곱은 커널을 밀며 계산합니다."  # kept for the translator
    counts = i18n.stats(catalog)
    assert (counts.translated, counts.fuzzy, counts.missing) == (1, 1, 0)
    with pytest.raises(i18n.IncompleteCatalog, match="fuzzy"):
        i18n.build_notebook(course, "ko", tmp_path / "ko", strict=True)
    loose = i18n.build_notebook(course, "ko", tmp_path / "ko", strict=False).read_text("utf-8")
    assert "A convolution slides a small kernel." in loose  # the English stands in, never a stale Korean


def test_update_twice_changes_nothing(course):
    i18n.update("ko", [course])
    first = i18n.po_path("ko", course.stem).read_bytes()
    i18n.update("ko", [course])
    assert i18n.po_path("ko", course.stem).read_bytes() == first


SHIPPED = [nb for nb in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
           if i18n.po_path("ko", nb.stem).exists()]


@pytest.mark.parametrize("nb", SHIPPED, ids=lambda p: p.stem)
def test_shipped_catalogue_is_current_and_complete(nb):
    catalog = i18n.load_catalog(i18n.po_path("ko", nb.stem), "ko")
    english = {m.id for m in i18n.template(nb) if m.id}
    have = {m.id for m in catalog if m.id}
    assert english == have, (f"{nb.name} changed since its Korean catalogue was updated "
                             f"({len(english - have)} new paragraphs): python tools/i18n.py update ko")
    counts = i18n.stats(catalog)
    assert counts.fuzzy == counts.missing == 0, \
        f"{nb.stem}.po: {counts.fuzzy} fuzzy and {counts.missing} untranslated entries"


@pytest.mark.skipif(not SHIPPED, reason="no Korean catalogue shipped yet")
def test_a_korean_notebook_runs(tmp_path, monkeypatch):
    """The code is the English code, so one Korean twin run end to end is the smoke test."""
    import nbformat
    from nbclient import NotebookClient

    twin = i18n.build_notebook(SHIPPED[0], "ko", tmp_path, strict=True)
    monkeypatch.setenv("COURSE_PROFILE", "ci")
    monkeypatch.setenv("COURSE_STATIC_WIDGETS", "1")
    nb = nbformat.read(twin, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert any(c.get("outputs") for c in nb.cells if c.cell_type == "code")


def test_package_catalogue_is_current_complete_and_compiled():
    catalog = i18n.load_catalog(i18n.po_path("ko", i18n.PACKAGE_DOMAIN), "ko")
    english = {m.id for m in i18n.package_template() if m.id}
    have = {m.id for m in catalog if m.id}
    assert english == have, (f"course_utils's messages changed ({sorted(english - have)[:3]} ...): "
                             "python tools/i18n.py package ko, then translate")
    counts = i18n.stats(catalog)
    assert counts.fuzzy == counts.missing == 0, f"course_utils.po: {counts.fuzzy} fuzzy, {counts.missing} missing"
    assert i18n.mo_path("ko").read_bytes() == i18n.compiled(catalog), \
        "course_utils.mo is older than course_utils.po: python tools/i18n.py package ko"


def test_a_wrong_answer_in_korean_mode_gets_the_korean_hint(monkeypatch):
    from course_utils.checks.conv import check_output_size

    monkeypatch.delenv("COURSE_STRICT_CHECKS", raising=False)
    off_by_one = lambda w, k, s, p: (w + 2 * p - k) // s  # noqa: E731
    monkeypatch.setenv("COURSE_LANG", "ko")
    korean = str(check_output_size(off_by_one))
    assert "힌트: 하나 차이입니다" in korean and "입력 (7, 3, 1, 0)에 대해" in korean, korean
    monkeypatch.setenv("COURSE_LANG", "en")
    english = str(check_output_size(off_by_one))
    assert "Hint: off by one" in english and "힌트" not in english, english


@pytest.mark.parametrize("nb", SHIPPED, ids=lambda p: p.stem)
def test_korean_twin_has_the_english_code_cells(nb, tmp_path):
    twin = json.loads(i18n.build_notebook(nb, "ko", tmp_path, strict=True).read_text("utf-8"))
    english = json.loads(nb.read_text("utf-8"))
    assert len(twin["cells"]) == len(english["cells"])
    for k, (a, b) in enumerate(zip(twin["cells"], english["cells"])):
        if b["cell_type"] == "code":
            assert a == b, f"{nb.name} cell {k}: the Korean twin's code cell differs"
        else:
            assert a["metadata"] == b["metadata"], f"{nb.name} cell {k}: tags or slide metadata lost"
