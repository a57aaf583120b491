"""Install the course's JupyterLab setting defaults into the environment (``overrides.json``).

    python tools/lab_overrides.py tools/lab_overrides.json .venv/share/jupyter/lab/settings/overrides.json

RISE's default reveal.js theme ("simple") fetches its fonts from Google Fonts, so a slideshow
would reach for the network; the course's default is the "white" theme, whose font is bundled.
The keys of the source file are merged into an existing ``overrides.json`` (other keys are kept);
a user's own settings still win over these defaults.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def merge(source: Path, target: Path) -> dict:
    """Write ``target`` = its current content updated with ``source``, plugin by plugin."""
    wanted = json.loads(source.read_text())
    current = json.loads(target.read_text()) if target.exists() else {}
    for plugin, settings in wanted.items():
        current[plugin] = {**current.get(plugin, {}), **settings}
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".part")
    tmp.write_text(json.dumps(current, indent=2) + "\n")
    tmp.replace(target)
    return current


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.splitlines()[2].strip())
    merge(Path(sys.argv[1]), Path(sys.argv[2]))
