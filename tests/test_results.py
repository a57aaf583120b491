"""Tests for course_utils.results: results with settings and provenance, and model weights."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
import torch
from torch import nn

from course_utils.paths import REPOSITORY, data_dir, results_dir
from course_utils.results import (DamagedResultError, Result, load_result, load_weights, result_path, save_result, save_weights,
                                  weights_path)

PROVENANCE_KEYS = {"command", "profile", "device", "seconds", "commit", "dirty", "torch", "created"}


@pytest.fixture(autouse=True)
def _own_results_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(tmp_path / "results"))
    monkeypatch.setenv("COURSE_DEVICE", "cpu")


def no_part_files(folder: Path) -> bool:
    return not any(p.name.endswith(".part") for p in folder.rglob("*"))


def test_results_dir_follows_course_results_dir(tmp_path, monkeypatch):
    assert results_dir() == tmp_path / "results"
    assert result_path("degradation", "full") == tmp_path / "results" / "degradation-full.json"
    monkeypatch.delenv("COURSE_RESULTS_DIR")
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "shared-data"))
    assert data_dir() == tmp_path / "shared-data"             # the data set may live elsewhere ...
    assert results_dir() == REPOSITORY / "data" / "results"   # ... the results stay with the course


def test_save_load_round_trip(tmp_path):
    payload = {"errors": [0.5, 0.25], "depths": {"plain": 20, "resnet": 56}, "note": "한국어 ok"}
    path = save_result("demo", "ci", payload, settings={"epochs": 2}, seconds=12.345, command="make results")
    assert path == tmp_path / "results" / "demo-ci.json"
    assert no_part_files(path.parent)
    loaded = load_result("demo", "ci")
    assert isinstance(loaded, Result)
    assert loaded.name == "demo" and loaded.profile == "ci" and loaded.data == payload
    assert loaded.settings == {"epochs": 2} and loaded.models == {}
    assert PROVENANCE_KEYS <= set(loaded.provenance)
    p = loaded.provenance
    assert p["command"] == "make results" and p["profile"] == "ci" and p["seconds"] == 12.35
    assert p["device"].startswith("cpu") and p["torch"] == torch.__version__
    assert p["created"][:2] == "20" and p["created"].endswith("+00:00")
    json.loads(path.read_text(encoding="utf-8"))  # plain JSON on disk


def test_provenance_names_the_full_commit_and_whether_the_code_was_changed():
    save_result("demo", "ci", {}, settings={}, seconds=1)
    p = load_result("demo", "ci").provenance
    head = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=REPOSITORY)
    if head.returncode != 0:
        pytest.skip("not a git checkout")
    assert p["commit"] == head.stdout.strip() and len(p["commit"]) == 40
    changed = subprocess.run(["git", "status", "--porcelain", "--", "course_utils"], capture_output=True,
                             text=True, cwd=REPOSITORY).stdout.strip()
    assert p["dirty"] is bool(changed)


def test_keys_are_kept_apart():
    save_result("demo", "full", {"x": 1}, settings={}, seconds=1)
    assert load_result("demo", "ci") is None
    assert load_result("demo", "full").data == {"x": 1}


def test_describe_mentions_the_provenance():
    save_result("demo", "full", {}, settings={}, seconds=90)
    line = load_result("demo", "full").describe()
    assert "demo" in line and "'full'" in line and "1.5 min" in line and "cpu" in line


def test_missing_result_is_none():
    assert load_result("never-made", "ci") is None


@pytest.mark.parametrize("text", ["{not json", "[1, 2, 3]", '{"name": "demo"}', ""])
def test_corrupt_result_names_the_file(text):
    path = result_path("demo", "ci")
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError) as err:
        load_result("demo", "ci")
    # a file in no manifest is the student's own: the fix is to make it again
    assert str(path) in str(err.value) and "RETRAIN = True" in str(err.value)


@pytest.mark.parametrize("name", ["../escape", "a/b", "with space", "", "dot.name", "semi;colon"])
def test_bad_names_are_rejected(name):
    with pytest.raises(ValueError, match="letters, digits"):
        result_path(name, "ci")
    with pytest.raises(ValueError, match="letters, digits"):
        result_path("demo", name)
    with pytest.raises(ValueError):
        save_result(name, "ci", {}, settings={}, seconds=1)


def test_good_names_are_accepted():
    for name in ("degradation", "plain_vs-res", "vgg16"):
        assert result_path(name, "ci").name == f"{name}-ci.json"
    assert weights_path("demo", "ci", "plain").name == "demo-ci-plain.pt"


def tiny(width: int = 3) -> nn.Module:
    return nn.Sequential(nn.Linear(4, width), nn.ReLU(), nn.Linear(width, 2))


def test_weights_round_trip(tmp_path):
    torch.manual_seed(0)
    model = tiny()
    path = save_weights(model, "tiny", "ci", "net")
    assert path == weights_path("tiny", "ci", "net") == tmp_path / "results" / "tiny-ci-net.pt"
    assert no_part_files(path.parent)
    other = tiny()
    assert load_weights(other, "tiny", "ci", "net") is other
    for a, b in zip(model.state_dict().values(), other.state_dict().values()):
        assert torch.equal(a, b)


def test_missing_weights_name_the_file():
    with pytest.raises(DamagedResultError, match="nothing-here-ci-net.pt is missing"):
        load_weights(tiny(), "nothing-here", "ci", "net")


def test_mismatched_weights_are_a_value_error():
    save_weights(tiny(3), "tiny", "ci", "net")
    with pytest.raises(ValueError, match="does not fit this model"):
        load_weights(tiny(5), "tiny", "ci", "net")


def test_weights_are_loaded_without_pickle():
    class Evil:
        def __reduce__(self):
            return (print, ("this should never run",))

    path = weights_path("evil", "ci", "net")
    path.parent.mkdir(parents=True)
    torch.save({"weight": Evil()}, path)
    with pytest.raises(Exception, match="(?i)weights_only|unpickl"):
        load_weights(tiny(), "evil", "ci", "net")


def test_failed_write_leaves_no_part_file(monkeypatch, tmp_path):
    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)  # the atomic rename in course_utils.files
    with pytest.raises(OSError, match="disk full"):
        save_result("demo", "ci", {"a": 1}, settings={}, seconds=1)
    with pytest.raises(OSError, match="disk full"):
        save_weights(tiny(), "tiny", "ci", "net")
    folder = tmp_path / "results"
    assert list(folder.iterdir()) == []  # neither a result nor a leftover temporary file
