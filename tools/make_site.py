"""Build the course site (jupyter-book 1.x) from executed notebooks, fully offline.

    python tools/make_site.py --node-modules build/node_modules --out build/site build/executed/default/*.ipynb

Steps: copy ``tools/site/`` (configuration and home page) and the executed notebooks into
``<out>/src``, write ``_toc.yml`` in course order (by file name: 00, 01, ...), copy the local
MathJax 3 into ``_offline/`` (published as ``_static/mathjax``), run ``jupyter-book build``, and
check the result: the build fails if a notebook carries an error output or a page loads a
script or style from the network. The site is ``<out>/_build/html/index.html``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from slides import external_assets, parse_args  # noqa: E402  (shared with the deck builder)

SITE_FILES = ROOT / "tools" / "site"


def toc(notebooks: list[Path]) -> str:
    """``_toc.yml`` text: the home page, then every notebook in course order."""
    lines = ["# Written by tools/make_site.py: the notebooks in course order.", "format: jb-book",
             "root: intro", "chapters:"]
    lines += [f"  - file: notebooks/{nb.stem}" for nb in sorted(notebooks, key=lambda p: p.name)]
    return "\n".join(lines) + "\n"


def error_outputs(nb) -> list[str]:
    """Error outputs in an executed notebook, as ``cell N: Name: message``."""
    return [f"cell {i}: {o.ename}: {o.evalue}"[:200] for i, cell in enumerate(nb.cells)
            for o in cell.get("outputs", []) if o.output_type == "error"]


def prepare(notebooks: list[Path], node_modules: Path, src: Path) -> None:
    """Fill ``src`` with the configuration, the home page, MathJax and the notebooks."""
    if src.exists():
        shutil.rmtree(src)
    shutil.copytree(SITE_FILES, src)
    mathjax = node_modules / "mathjax3" / "es5"
    if not mathjax.exists():
        raise FileNotFoundError(f"{mathjax} is missing: run `make site` (it installs "
                                f"tools/package.json into build/node_modules)")
    shutil.copytree(mathjax, src / "_offline" / "mathjax")
    (src / "notebooks").mkdir()
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        errors = error_outputs(nb)
        if errors:
            raise RuntimeError(f"{path.name} carries error outputs: {errors[:3]}")
        nb.metadata.pop("widgets", None)  # static pictures only: no widget manager from a CDN
        for cell in nb.cells:  # a solution stays folded, as in JupyterLab; a click shows it
            tags = cell.metadata.get("tags", [])
            if "solution" in tags and "hide-input" not in tags:
                cell.metadata["tags"] = [*tags, "hide-input"]
        nbformat.write(nb, src / "notebooks" / path.name)
    (src / "_toc.yml").write_text(toc(notebooks), encoding="utf-8")
    if notebooks and nbformat.read(notebooks[0], as_version=4).metadata.get("language") == "ko":
        use_korean(src)


def use_korean(src: Path) -> None:
    """The Korean edition (notebooks built by tools/i18n.py): Korean home page, title and page language."""
    (src / "intro.ko.md").replace(src / "intro.md")
    config = (src / "_config.yml").read_text(encoding="utf-8")
    config = config.replace('title: "Convolutional neural networks: from convolution to Faster R-CNN"',
                            'title: "합성곱 신경망: 합성곱에서 Faster R-CNN까지"')
    (src / "_config.yml").write_text(config + "    language: ko\n", encoding="utf-8")


def check_offline(html_dir: Path) -> list[str]:
    """Pages of the built site that load a script or style from the network."""
    found = []
    for page in sorted(html_dir.rglob("*.html")):
        found += [f"{page.relative_to(html_dir)}: {x}" for x in
                  external_assets(page.read_text(encoding="utf-8", errors="replace"))]
    return found


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv, __doc__.splitlines()[0])
    src = args.out / "src"
    try:
        prepare(args.notebooks, args.node_modules, src)
    except (RuntimeError, FileNotFoundError) as err:
        print(err, file=sys.stderr)
        return 1
    jb = Path(sys.executable).with_name("jupyter-book")
    done = subprocess.run([str(jb), "build", str(src), "--path-output", str(args.out), "--quiet"])
    if done.returncode != 0:
        return done.returncode
    html_dir = args.out / "_build" / "html"
    bad = check_offline(html_dir)
    if bad:
        print("The site would load from the network:\n  " + "\n  ".join(bad[:10]), file=sys.stderr)
        return 1
    print(f"  site: {html_dir / 'index.html'} ({len(args.notebooks)} notebooks)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
