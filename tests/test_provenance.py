"""Provenance that proves itself (issue 14.4): every shipped result names a commit of this
repository that holds the code that made it, and says the code was unchanged (``dirty: false``).

Results made before results recorded ``dirty`` would be listed below; the last two (the long
ResNet-20 and one-core degradation runs) were remade on 2026-12-02, so the list is empty.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "data" / "results"
SHIPPED = sorted(p for p in RESULTS.glob("*.json") if not p.stem.endswith("-ci"))
MADE_BEFORE_THE_DIRTY_FLAG: set[str] = set()


def git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)


def in_history(commit: str) -> bool:
    return git("merge-base", "--is-ancestor", commit, "HEAD").returncode == 0


SHALLOW = git("rev-parse", "--is-shallow-repository").stdout.strip() == "true"


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_result_names_a_commit_of_this_history_and_a_clean_tree(path):
    provenance = json.loads(path.read_text(encoding="utf-8"))["provenance"]
    commit = str(provenance.get("commit", ""))
    assert len(commit) == 40 and all(c in "0123456789abcdef" for c in commit), \
        f"{path.name}: provenance must name a full commit, got {commit!r}"
    if not SHALLOW:  # a shallow clone lacks the history to check against
        assert in_history(commit), f"{path.name}: commit {commit[:10]} is not in this repository's history: remake it"
    if path.stem in MADE_BEFORE_THE_DIRTY_FLAG:
        assert "dirty" not in provenance, f"{path.name} was remade: remove it from MADE_BEFORE_THE_DIRTY_FLAG"
    else:
        assert provenance.get("dirty") is False, \
            f"{path.name}: made from a changed tree (or not recorded): remake it from a committed tree"


def test_the_legacy_list_names_shipped_results():
    assert MADE_BEFORE_THE_DIRTY_FLAG <= {p.stem for p in SHIPPED}
