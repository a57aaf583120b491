"""One glossary (issue 15.4): ``data/glossary.csv`` is the course's list of key terms in English and
Korean. 00's table is drawn from it; each term is introduced as ``english (korean)`` in its first
notebook; no notebook uses another Korean rendering for it; the syllabus's key terms are all there.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from glossary import CSV, MAP, glossary_cell, load_terms, table_markdown  # noqa: E402

TERMS = load_terms()
HANGUL = re.compile(r"[\uac00-\ud7a3]")
# The key terms the syllabus (shared/syllabus.md) teaches, notebook by notebook.
SYLLABUS_KEY_TERMS = [
    "convolution", "convolutional neural network", "kernel", "feature map", "channel", "weight sharing",
    "stride", "padding", "receptive field", "backpropagation", "gradient descent", "activation function",
    "pooling", "max pooling", "average pooling", "fully connected layer", "flatten", "overfitting",
    "dropout", "data augmentation", "1×1 convolution", "global average pooling", "batch normalization",
    "internal covariate shift", "weight initialization", "vanishing gradient", "degradation problem",
    "residual learning", "shortcut connection", "bottleneck block", "object detection", "bounding box",
    "region proposal", "non-maximum suppression", "anchor box", "instance segmentation",
]


def notebook_path(number: str) -> Path:
    (path,) = sorted((ROOT / "notebooks").glob(f"{number}_*.ipynb"))
    return path


def markdown(path: Path) -> str:
    """All markdown text of a notebook, cells joined in order."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "\n\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def english_pattern(term: str) -> str:
    """The English term, any case, singular or plural (``feature map`` matches ``Feature maps``)."""
    return r"(?<![\w-])" + re.escape(term).replace(r"\ ", r"[\s-]+") + r"(?:s|es)?(?![\w-])"


def test_the_csv_is_well_formed():
    english = [t.english for t in TERMS]
    assert len(english) == len(set(english)), "a term is listed twice"
    for t in TERMS:
        assert HANGUL.search(t.korean), f"{t.english}: no Korean rendering"
        assert notebook_path(t.first), f"{t.english}: no notebook {t.first}"
        assert t.korean not in t.avoid


def test_the_course_map_table_is_drawn_from_the_csv():
    nb = json.loads(MAP.read_text(encoding="utf-8"))
    assert "".join(glossary_cell(nb)["source"]) == table_markdown(TERMS), \
        "00's glossary table differs from data/glossary.csv: run python tools/glossary.py"


def test_every_syllabus_key_term_is_in_the_glossary():
    missing = sorted(set(SYLLABUS_KEY_TERMS) - {t.english for t in TERMS})
    assert not missing, f"key terms missing from data/glossary.csv: {missing}"


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.english)
def test_each_term_is_introduced_with_its_korean_in_its_first_notebook(term):
    path = notebook_path(term.first)
    introduced = english_pattern(term.english) + r"\s*\(\s*" + re.escape(term.korean)
    assert re.search(introduced, markdown(path), flags=re.IGNORECASE), \
        f"{path.name} never writes '{term.english} ({term.korean})': introduce the term with its Korean there"


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name[:2])
def test_no_notebook_uses_another_rendering(path):
    text, problems = markdown(path), []
    for term in TERMS:
        for bad in term.avoid:
            if bad in text:
                problems.append(f"'{bad}' for {term.english} (the course writes '{term.korean}')")
        # every "term (Hangul...)" must contain the glossary's rendering (a longer term such as
        # "RoI pooling (관심 영역 풀링)" contains the shorter one's: 풀링)
        for m in re.finditer(english_pattern(term.english) + r"\s*\(([^)]*)\)", text, flags=re.IGNORECASE):
            given = m.group(1)
            if HANGUL.search(given) and term.korean not in given:
                problems.append(f"'{m.group(0)}' (glossary: {term.english} ({term.korean}))")
    assert not problems, f"{path.name}: " + "; ".join(problems)
