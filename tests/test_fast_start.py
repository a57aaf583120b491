"""Fast start (issue 13): ``import nbformat`` -- paid by every nbval worker, ``make lab`` and the
tools -- must not build grammars at import.

jsonschema >= 4.25 puts rfc3987-syntax into its ``format-nongpl`` extra (which jupyter-events
requires), and rfc3987-syntax builds lark grammars when imported: 1.4 s of a 1.6 s
``import nbformat`` here. The pins keep jsonschema at 4.24.1, the last release without it. The test
checks the mechanism (what gets imported), not a time, so it holds on a busy machine.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SLOW = ("rfc3987_syntax", "lark")


def test_importing_nbformat_and_jupyter_events_builds_no_grammar():
    code = ("import sys, nbformat, jupyter_events, jsonschema\n"
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({SLOW!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", f"imported at start-up: {out.stdout.strip()} (see tests/test_fast_start.py)"


def test_the_lock_keeps_rfc3987_syntax_out():
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8").lower()
    assert "rfc3987-syntax==" not in lock and "\nlark==" not in lock
    assert "\njsonschema==4.24.1\n" in lock
