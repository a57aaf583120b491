"""Tests for course_utils.results: results with provenance, the cached() switch, weights."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import torch
from torch import nn

from course_utils import results
from course_utils.results import (Result, cached, load_result, load_weights, result_path, results_dir, save_result,
                                  save_weights, weights_path)

PROVENANCE_KEYS = {"command", "profile", "device", "seconds", "commit", "torch", "created"}


@pytest.fixture(autouse=True)
def _own_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COURSE_PROFILE", "ci")
    monkeypatch.setenv("COURSE_DEVICE", "cpu")


def no_part_files(folder: Path) -> bool:
    return not any(p.name.endswith(".part") for p in folder.rglob("*"))


def test_results_dir_follows_course_data_dir(tmp_path):
    assert results_dir() == tmp_path / "data" / "results"
    assert result_path("degradation", "full") == tmp_path / "data" / "results" / "degradation-full.json"


def test_save_load_round_trip(tmp_path):
    payload = {"errors": [0.5, 0.25], "depths": {"plain": 20, "resnet": 56}, "note": "한국어 ok"}
    path = save_result("demo", payload, seconds=12.345, command="make results")
    assert path == tmp_path / "data" / "results" / "demo-ci.json"
    assert no_part_files(path.parent)
    loaded = load_result("demo")
    assert isinstance(loaded, Result)
    assert loaded.name == "demo" and loaded.profile == "ci" and loaded.data == payload
    assert PROVENANCE_KEYS <= set(loaded.provenance)
    p = loaded.provenance
    assert p["command"] == "make results" and p["profile"] == "ci" and p["seconds"] == 12.35
    assert p["device"].startswith("cpu") and p["torch"] == torch.__version__
    assert p["created"][:2] == "20" and p["created"].endswith("+00:00")
    assert isinstance(p["commit"], str) and p["commit"]
    json.loads(path.read_text(encoding="utf-8"))  # plain JSON on disk


def test_profiles_are_kept_apart():
    save_result("demo", {"x": 1}, seconds=1, profile="full")
    assert load_result("demo") is None  # active profile is ci
    assert load_result("demo", profile="full").data == {"x": 1}


def test_describe_mentions_the_provenance():
    save_result("demo", {}, seconds=90, profile="full")
    line = load_result("demo", "full").describe()
    assert "demo" in line and "'full'" in line and "1.5 min" in line and "cpu" in line


def test_missing_result_is_none():
    assert load_result("never-made") is None


@pytest.mark.parametrize("text", ["{not json", "[1, 2, 3]", '{"name": "demo"}', ""])
def test_corrupt_result_names_the_file(text):
    path = result_path("demo", "ci")
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError) as err:
        load_result("demo")
    assert str(path) in str(err.value) and "make results" in str(err.value)


@pytest.mark.parametrize("name", ["../escape", "a/b", "with space", "", "dot.name", "semi;colon"])
def test_bad_names_are_rejected(name):
    with pytest.raises(ValueError, match="letters, digits"):
        result_path(name, "ci")
    with pytest.raises(ValueError):
        save_result(name, {}, seconds=1)


def test_good_names_are_accepted():
    for name in ("degradation", "plain_vs-res", "vgg16"):
        assert result_path(name, "ci").name == f"{name}-ci.json"


def test_cached_runs_once_then_loads():
    calls = []

    def run():
        calls.append(1)
        return {"value": len(calls)}

    first = cached("exp", run, profile="default")
    second = cached("exp", run, profile="default")
    assert len(calls) == 1
    assert first.data == second.data == {"value": 1}
    assert PROVENANCE_KEYS <= set(second.provenance)
    third = cached("exp", run, retrain=True, profile="default")
    assert len(calls) == 2 and third.data == {"value": 2}
    assert load_result("exp", "default").data == {"value": 2}  # the retrain replaced the stored one


def test_cached_always_runs_at_the_ci_profile():
    calls = []
    cached("exp", lambda: calls.append(1) or {"a": len(calls)})
    again = cached("exp", lambda: calls.append(1) or {"a": len(calls)})
    assert len(calls) == 2 and again.data == {"a": 2} and load_result("exp").data == {"a": 2}


def test_cached_without_saving():
    calls = []
    cached("exp", lambda: calls.append(1) or {"a": 1}, save=False)
    cached("exp", lambda: calls.append(1) or {"a": 1}, save=False)
    assert len(calls) == 2 and load_result("exp") is None


def test_cached_for_another_profile():
    cached("exp", lambda: {"a": 1}, profile="full")
    assert load_result("exp", "full").data == {"a": 1} and load_result("exp") is None


def tiny(width: int = 3) -> nn.Module:
    return nn.Sequential(nn.Linear(4, width), nn.ReLU(), nn.Linear(width, 2))


def test_weights_round_trip(tmp_path):
    torch.manual_seed(0)
    model = tiny()
    path = save_weights(model, "tiny")
    assert path == weights_path("tiny") == tmp_path / "data" / "results" / "tiny-ci.pt"
    assert no_part_files(path.parent)
    other = tiny()
    assert load_weights(other, "tiny") is True
    for a, b in zip(model.state_dict().values(), other.state_dict().values()):
        assert torch.equal(a, b)


def test_missing_weights_are_false():
    assert load_weights(tiny(), "nothing-here") is False


def test_mismatched_weights_are_a_value_error():
    save_weights(tiny(3), "tiny")
    with pytest.raises(ValueError, match="does not fit this model"):
        load_weights(tiny(5), "tiny")


def test_weights_are_loaded_without_pickle():
    class Evil:
        def __reduce__(self):
            return (print, ("this should never run",))

    path = weights_path("evil")
    path.parent.mkdir(parents=True)
    torch.save({"weight": Evil()}, path)
    with pytest.raises(Exception, match="(?i)weights_only|unpickl"):
        load_weights(tiny(), "evil")


def test_failed_write_leaves_no_part_file(monkeypatch, tmp_path):
    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)  # the atomic rename in course_utils.files
    with pytest.raises(OSError, match="disk full"):
        save_result("demo", {"a": 1}, seconds=1)
    with pytest.raises(OSError, match="disk full"):
        save_weights(tiny(), "tiny")
    folder = tmp_path / "data" / "results"
    assert list(folder.iterdir()) == []  # neither a result nor a leftover temporary file
