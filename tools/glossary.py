"""The course's one glossary, ``data/glossary.csv``, and 00's table drawn from it.

    python tools/glossary.py           # rewrite the glossary table in notebooks/00_course_map.ipynb
    python tools/glossary.py --check   # exit 1 if the table differs from the CSV

Columns of the CSV: ``english``, ``korean`` (the one rendering the course uses), ``first`` (the
notebook where the term is introduced, written there as ``english (korean)``) and ``avoid``
(renderings of the same term the course must not use, separated by ``;``).
``tests/test_glossary.py`` checks every notebook against it.
"""

from __future__ import annotations

import argparse
import csv
import json
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CSV = ROOT / "data" / "glossary.csv"
MAP = ROOT / "notebooks" / "00_course_map.ipynb"
HEADING = "## Glossary: English / 한국어"


@dataclass(frozen=True)
class Term:
    english: str
    korean: str
    first: str            # notebook number, e.g. "01"
    avoid: tuple[str, ...]


def load_terms(path: Path = CSV) -> list[Term]:
    with path.open(encoding="utf-8", newline="") as f:
        return [Term(r["english"], r["korean"], r["first"].zfill(2),
                     tuple(a.strip() for a in r["avoid"].split(";") if a.strip()))
                for r in csv.DictReader(f)]


def table_markdown(terms: list[Term]) -> str:
    """The glossary cell of 00: a heading, one sentence and the table, in the CSV's order."""
    lines = [HEADING, "",
             "The course is in English; the Korean term is given in brackets where a term is first "
             "introduced. This table is drawn from `data/glossary.csv`, the one list every notebook "
             "is checked against.", "",
             "| English | 한국어 | first met in |", "|---|---|---|"]
    lines += [f"| {t.english} | {t.korean} | {t.first} |" for t in terms]
    return "\n".join(lines)


def glossary_cell(nb: dict) -> dict:
    cells = [c for c in nb["cells"] if c["cell_type"] == "markdown" and "".join(c["source"]).startswith(HEADING)]
    if len(cells) != 1:
        raise SystemExit(f"{MAP.name}: expected one markdown cell starting with {HEADING!r}, found {len(cells)}")
    return cells[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 when stale")
    args = parser.parse_args()
    nb = json.loads(MAP.read_text(encoding="utf-8"))
    cell, want = glossary_cell(nb), table_markdown(load_terms())
    if "".join(cell["source"]) == want:
        return 0
    if args.check:
        print(f"{MAP.name}: the glossary table differs from data/glossary.csv; run python tools/glossary.py")
        return 1
    cell["source"] = want.splitlines(keepends=True)
    MAP.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"rewrote the glossary table in {MAP.name} ({len(load_terms())} terms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
