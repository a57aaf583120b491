"""Render executed notebooks as reveal.js decks that work with no internet.

    python tools/slides.py --node-modules build/node_modules --out build/slides build/executed/default/*.ipynb

nbconvert's reveal template loads reveal.js, require.js, jQuery and MathJax from CDNs by default.
Here every one of them comes from a local copy (the npm packages pinned in ``tools/package.json``)
placed beside the decks in ``<out>/vendor/``, so the folder ``<out>`` can be opened from disk or
copied to a USB stick. After writing each deck the script checks that it names no http(s) script
or style sheet (nor do the local style sheets it links) and fails if it does. Cells tagged
``solution`` are left out of the decks; present them live in JupyterLab.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "tools" / "slides_template"

# What each deck loads, relative to the deck: (npm package, files or folders to copy).
VENDOR: dict[str, tuple[str, ...]] = {
    "reveal.js": ("dist", "plugin/notes"),
    "requirejs": ("require.js",),
    "jquery": ("dist/jquery.min.js",),
    "mathjax": ("MathJax.js", "config/TeX-AMS_CHTML-full.js", "config/Safe.js", "extensions", "jax/input/TeX",
                "jax/output/CommonHTML", "jax/element", "localization/en",
                "fonts/HTML-CSS/TeX/woff"),
}
URLS = {
    "reveal_url_prefix": "vendor/reveal.js",
    "require_js_url": "vendor/requirejs/require.js",
    "jquery_url": "vendor/jquery/dist/jquery.min.js",
    "mathjax_url": "vendor/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
}

# A script or style loaded from the network: <script src=http..>, <link href=http..>,
# CSS @import url(http..) and JavaScript module imports from http.
_EXTERNAL = [
    re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//", re.I),
    re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//", re.I),
    re.compile(r"@import\s+(?:url\()?\s*[\"']?(?:https?:)?//", re.I),
    re.compile(r"\bimport\b[^;\n]*\bfrom\s*[\"'](?:https?:)?//", re.I),
    re.compile(r"\brequire\s*\(\s*\[\s*[\"'](?:https?:)?//", re.I),
]


def external_assets(html: str) -> list[str]:
    """Every place where ``html`` loads a script or style from the network (empty if offline)."""
    found = []
    for pattern in _EXTERNAL:
        for match in pattern.finditer(html):
            found.append(html[match.start():match.end() + 60].split("\n")[0])
    return found


def check_deck(deck: Path) -> list[str]:
    """External loads of a written deck, including ``@import``s inside its local style sheets."""
    html = deck.read_text(encoding="utf-8")
    found = external_assets(html)
    for href in re.findall(r"<link\b[^>]*\bhref\s*=\s*[\"']([^\"'#?]+\.css)", html, re.I):
        sheet = deck.parent / href
        if sheet.exists():
            found += [f"{href}: {x}" for x in external_assets(sheet.read_text(encoding="utf-8"))]
    return found


def copy_vendor(node_modules: Path, out: Path) -> None:
    """Copy the files the decks load from ``node_modules`` into ``out/vendor``."""
    for package, parts in VENDOR.items():
        for part in parts:
            source = node_modules / package / part
            if not source.exists():
                raise FileNotFoundError(f"{source} is missing: run `make slides` (it installs "
                                        f"tools/package.json into build/node_modules)")
            target = out / "vendor" / package / part
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, target, dirs_exist_ok=True)
            else:
                shutil.copy2(source, target)


def make_exporter():
    """nbconvert's SlidesExporter with the offline template and local asset paths."""
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    config = Config()
    for name, url in URLS.items():
        setattr(config.SlidesExporter, name, url)
    config.SlidesExporter.reveal_theme = "white"  # its font is bundled (others fetch Google Fonts)
    config.SlidesExporter.reveal_scroll = True  # long code cells scroll instead of overflowing
    config.SlidesExporter.reveal_number = "c/t"
    # a deck shown to a class does not give the solutions away: nbconvert drops those cells
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = {"solution"}
    return SlidesExporter(config=config, template_name="offline_reveal",
                          extra_template_basedirs=[str(TEMPLATES)])


def render(notebook: Path, out: Path, exporter=None) -> Path:
    """Write ``out/<name>.slides.html`` for ``notebook``; raise if it would need the network."""
    import nbformat

    exporter = exporter or make_exporter()
    nb = nbformat.read(notebook, as_version=4)
    html, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": notebook.stem}})
    target = out / f"{notebook.stem}.slides.html"
    target.write_text(html, encoding="utf-8")
    bad = check_deck(target)
    if bad:
        target.unlink()
        raise RuntimeError(f"{notebook.name}: the deck would load from the network: {bad[:3]}")
    return target


def write_index(decks: list[Path], out: Path) -> Path:
    """A plain page linking every deck in course order."""
    items = "\n".join(f'<li><a href="{d.name}">{d.name.removesuffix(".slides.html")}</a></li>'
                      for d in sorted(decks))
    page = out / "index.html"
    page.write_text(f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>CNN course "
                    f"slides</title></head>\n<body><h1>CNN course: slides</h1>\n<ol>\n{items}\n"
                    f"</ol>\n<p>Keys: space/arrows move, <kbd>s</kbd> opens speaker notes, "
                    f"<kbd>f</kbd> full screen.</p></body></html>\n", encoding="utf-8")
    return page


def parse_args(argv: list[str] | None, description: str) -> argparse.Namespace:
    """The command line of both build scripts (decks and site): executed notebooks, --out, --node-modules."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("notebooks", nargs="+", type=Path, help="executed notebooks")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--node-modules", type=Path, required=True)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv, __doc__.splitlines()[0])
    args.out.mkdir(parents=True, exist_ok=True)
    copy_vendor(args.node_modules, args.out)
    exporter = make_exporter()
    decks = []
    for notebook in args.notebooks:
        try:
            decks.append(render(notebook, args.out, exporter))
        except RuntimeError as err:
            print(err, file=sys.stderr)
            return 1
        print(f"  {decks[-1]}")
    print(f"  {write_index(decks, args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
