"""Translation catalogues for the notebooks: the Korean edition kept in step with the English.

    python tools/i18n.py update ko              # English changed: refresh locale/ko/LC_MESSAGES/*.po
    python tools/i18n.py stats ko               # entries, words, translated / fuzzy / missing
    python tools/i18n.py build ko --out build/ko/notebooks [--strict] [NOTEBOOK ...]
    python tools/i18n.py package ko             # course_utils's messages: refresh the .po, compile the .mo

One catalogue per notebook (``locale/ko/LC_MESSAGES/<notebook>.po``, gettext's format, which Poedit,
Weblate and Crowdin read and write). One entry per paragraph of a markdown cell: the English text is
the ``msgid``, the Korean the ``msgstr``; the reference comment names the cell. Display maths
(``$$ ... $$``) and fenced code are not text to translate: they are copied as they are.

``update`` re-extracts the English and merges it into each catalogue with ``msgmerge`` semantics:
an unchanged paragraph keeps its translation, a changed one keeps the old translation marked
*fuzzy* (to be checked by a translator), a removed one becomes obsolete. ``build`` writes the Korean
notebooks: code cells byte for byte the English ones, markdown from the catalogue, metadata, tags
and slide types kept. ``--strict`` refuses to build while any entry is missing or fuzzy, which is
what ``make ko`` and the tests use: the two editions never drift apart silently.
"""

from __future__ import annotations

import argparse
import ast
import copy
import io
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
LOCALE = ROOT / "locale"
FENCE = re.compile(r"^(```|~~~)")


# --------------------------------------------------------------------------- splitting markdown

def segments(markdown: str) -> list[str]:
    """Split a markdown cell into blocks separated by blank lines; a fenced code block or a
    ``$$ ... $$`` display stays whole even when it holds blank lines."""
    blocks, current, fence, maths = [], [], None, False
    for line in markdown.split("\n"):
        stripped = line.strip()
        if fence is None and not maths and stripped == "":
            if current:
                blocks.append("\n".join(current))
                current = []
            continue
        current.append(line)
        if fence is None and not maths and FENCE.match(stripped):
            fence = stripped[:3]
            if stripped.count(fence) >= 2 and len(stripped) > 3:  # ```one line```
                fence = None
        elif fence is not None and stripped.startswith(fence):
            fence = None
        elif fence is None and stripped.count("$$") % 2 == 1:
            maths = not maths
    if current:
        blocks.append("\n".join(current))
    return blocks


def translatable(block: str) -> bool:
    """Prose to translate: not a code fence, not display maths alone, and holding a letter."""
    text = block.strip()
    if FENCE.match(text):
        return False
    if text.startswith("$$") and text.endswith("$$"):
        return False
    return re.search(r"[A-Za-z]", text) is not None


# --------------------------------------------------------------------------- catalogues

def read_notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def markdown_cells(nb: dict) -> list[tuple[int, str]]:
    return [(i, "".join(c["source"])) for i, c in enumerate(nb["cells"]) if c["cell_type"] == "markdown"]


def template(path: Path) -> Catalog:
    """The English paragraphs of one notebook as an untranslated catalogue."""
    catalog = new_catalog(None, path.stem)
    for index, text in markdown_cells(read_notebook(path)):
        for block in segments(text):
            if translatable(block):
                catalog.add(block, locations=[(f"{path.name}:cell", index + 1)])
    return catalog


def new_catalog(lang: str | None, stem: str) -> Catalog:
    """An empty catalogue with the course's header (no template boilerplate)."""
    catalog = Catalog(locale=lang, domain=stem, project="cnn-course", version="1",
                      copyright_holder="the CNN course authors", last_translator="CNN course team",
                      language_team="Korean" if lang == "ko" else None,
                      header_comment=f"# {stem}: translation catalogue of the notebook {stem}.ipynb.\n"
                                     "# Made and refreshed by tools/i18n.py update; see CONTRIBUTING.md.")
    return catalog


def po_path(lang: str, stem: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{stem}.po"


def load_catalog(path: Path, lang: str) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=lang)


def save_catalog(catalog: Catalog, path: Path) -> None:
    """Write a ``.po`` file atomically (a temporary file renamed over the old one).

    Previous msgids (``#|``) are not written: Babel wraps a long multi-line one into lines it cannot
    read back, which then come back as stray comments. A changed entry is still marked fuzzy."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=False, include_previous=False, omit_header=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".po.tmp")
    tmp.write_bytes(buffer.getvalue())
    tmp.replace(path)


def update(lang: str, notebooks: list[Path]) -> list[Path]:
    """Merge each notebook's English into its catalogue (new entries empty, changed ones fuzzy)."""
    written = []
    for nb in notebooks:
        path = po_path(lang, nb.stem)
        fresh = template(nb)
        if path.exists():
            catalog = load_catalog(path, lang)
            fresh.creation_date = catalog.creation_date  # an unchanged notebook leaves the file unchanged
            catalog.update(fresh, no_fuzzy_matching=False)
            catalog.obsolete.clear()  # git keeps the history; the file keeps only what is used
        else:
            catalog = new_catalog(lang, nb.stem)
            for message in fresh:
                if message.id:
                    catalog.add(message.id, locations=message.locations)
        catalog.fuzzy = False  # the header is ours, not a translation to check
        save_catalog(catalog, path)
        written.append(path)
    return written


@dataclass
class Stats:
    entries: int = 0
    words: int = 0
    translated: int = 0
    fuzzy: int = 0
    missing: int = 0


def stats(catalog: Catalog) -> Stats:
    s = Stats()
    for m in catalog:
        if not m.id:
            continue
        s.entries += 1
        s.words += len(re.findall(r"[A-Za-z]+", m.id))
        if m.fuzzy:
            s.fuzzy += 1
        elif m.string:
            s.translated += 1
        else:
            s.missing += 1
    return s


# --------------------------------------------------------------------------- the package's messages

PACKAGE = ROOT / "course_utils"
PACKAGE_DOMAIN = "course_utils"


def package_strings(path: Path) -> list[tuple[str, int]]:
    """Translatable strings of one module: arguments of ``_``/``N_``, a ``Mistake``'s hint, the hints
    of ``check_value(..., hints=[(wrong, "hint"), ...])``. Returns ``(text, line)`` pairs."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        candidates: list[ast.AST] = []
        if name in ("_", "N_") and node.args:
            candidates = [node.args[0]]
        elif name == "Mistake":
            candidates = node.args[1:2] + [k.value for k in node.keywords if k.arg == "hint"]
        elif name == "check_value":
            hints = node.args[3:4] + [k.value for k in node.keywords if k.arg == "hints"]
            for h in hints:
                if isinstance(h, (ast.List, ast.Tuple)):
                    candidates += [e.elts[1] for e in h.elts if isinstance(e, ast.Tuple) and len(e.elts) == 2]
        found += [(c.value, c.lineno) for c in candidates
                  if isinstance(c, ast.Constant) and isinstance(c.value, str) and c.value.strip()]
    return found


def package_template() -> Catalog:
    catalog = new_catalog(None, PACKAGE_DOMAIN)
    for module in sorted(PACKAGE.rglob("*.py")):
        for text, line in package_strings(module):
            catalog.add(text, locations=[(str(module.relative_to(ROOT)), line)])
    return catalog


def mo_path(lang: str) -> Path:
    return PACKAGE / "locale" / lang / "LC_MESSAGES" / f"{PACKAGE_DOMAIN}.mo"


def compiled(catalog: Catalog) -> bytes:
    """The ``.mo`` bytes of a catalogue (fuzzy entries left out: English is shown instead)."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def update_package(lang: str) -> Path:
    """Refresh ``locale/<lang>/LC_MESSAGES/course_utils.po`` and compile the ``.mo`` the package reads."""
    path = po_path(lang, PACKAGE_DOMAIN)
    fresh = package_template()
    if path.exists():
        catalog = load_catalog(path, lang)
        fresh.creation_date = catalog.creation_date
        catalog.update(fresh, no_fuzzy_matching=False)
        catalog.obsolete.clear()
    else:
        catalog = new_catalog(lang, PACKAGE_DOMAIN)
        for message in fresh:
            if message.id:
                catalog.add(message.id, locations=message.locations)
    catalog.fuzzy = False
    save_catalog(catalog, path)
    mo = mo_path(lang)
    mo.parent.mkdir(parents=True, exist_ok=True)
    tmp = mo.with_suffix(".mo.tmp")
    tmp.write_bytes(compiled(load_catalog(path, lang)))
    tmp.replace(mo)
    return path


# --------------------------------------------------------------------------- building notebooks

class IncompleteCatalog(Exception):
    """A strict build met a paragraph with no current translation."""


def translate_markdown(text: str, catalog: Catalog, strict: bool, where: str) -> str:
    out = []
    for block in segments(text):
        if not translatable(block):
            out.append(block)
            continue
        message = catalog.get(block)
        if message is not None and message.string and not message.fuzzy:
            out.append(message.string)
        elif strict:
            state = "fuzzy" if message is not None and message.fuzzy else "untranslated"
            raise IncompleteCatalog(f"{where}: a paragraph is {state}: {block[:70]!r}... "
                                    f"(python tools/i18n.py update; translate it; remove the fuzzy flag)")
        else:
            out.append(block)
    return "\n\n".join(out)


def build_notebook(nb_path: Path, lang: str, out_dir: Path, strict: bool) -> Path:
    """Write the ``lang`` twin of one notebook: code cells untouched, markdown translated."""
    catalog = load_catalog(po_path(lang, nb_path.stem), lang)
    nb = read_notebook(nb_path)
    twin = copy.deepcopy(nb)
    for index, text in markdown_cells(nb):
        translated = translate_markdown(text, catalog, strict, f"{nb_path.name} cell {index}")
        twin["cells"][index]["source"] = translated.splitlines(keepends=True)
    twin["metadata"]["language"] = lang
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / nb_path.name
    tmp = target.with_suffix(".ipynb.tmp")
    tmp.write_text(json.dumps(twin, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(target)
    return target


def translated_notebooks(lang: str) -> list[Path]:
    """The notebooks that have a catalogue in ``lang``."""
    return [nb for nb in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")) if po_path(lang, nb.stem).exists()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["update", "stats", "build", "package"])
    parser.add_argument("lang")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook (update) or "
                        "every notebook with a catalogue (stats, build)")
    parser.add_argument("--out", type=Path, default=None, help="build: where the twins go")
    parser.add_argument("--strict", action="store_true", help="build: refuse missing or fuzzy entries")
    args = parser.parse_intermixed_args(argv)
    if args.command == "package":
        path = update_package(args.lang)
        counts = stats(load_catalog(path, args.lang))
        print(f"updated {path} ({counts.entries} messages: {counts.translated} translated, "
              f"{counts.fuzzy} fuzzy, {counts.missing} missing) and {mo_path(args.lang)}")
        return 0
    if args.command == "update":
        chosen = args.notebooks or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
        for path in update(args.lang, chosen):
            print(f"updated {path}")
        return 0
    chosen = args.notebooks or translated_notebooks(args.lang)
    untranslated = [nb for nb in chosen if not po_path(args.lang, nb.stem).exists()]
    for nb in untranslated:
        print(f"{nb.name}: no {args.lang} catalogue yet (python tools/i18n.py update {args.lang} {nb})")
    chosen = [nb for nb in chosen if nb not in untranslated]
    if args.command == "stats":
        total = Stats()
        for nb in chosen:
            s = stats(load_catalog(po_path(args.lang, nb.stem), args.lang))
            for key in vars(total):
                setattr(total, key, getattr(total, key) + getattr(s, key))
            print(f"{nb.stem:28s} {s.entries:4d} entries {s.words:6d} words  "
                  f"translated {s.translated:4d}  fuzzy {s.fuzzy:3d}  missing {s.missing:4d}")
        print(f"{'total':28s} {total.entries:4d} entries {total.words:6d} words  translated "
              f"{total.translated:4d}  fuzzy {total.fuzzy:3d}  missing {total.missing:4d}")
        return 0 if total.fuzzy == total.missing == 0 else 1
    out = (args.out or ROOT / "build" / args.lang / "notebooks").resolve()
    try:
        for nb in chosen:
            print(f"built {build_notebook(nb, args.lang, out, args.strict)}")
    except IncompleteCatalog as error:
        print(f"i18n build: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
