"""The lecture switch: ``experiments.replay`` and the results it replays (issue: lecture replay).

Every ``replay("name", ...)`` in a notebook must find a shipped ``default`` result, so that a
lecture at the default profile replays instead of training; weights a notebook loads must fit.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from course_utils import experiments
from course_utils.experiments import REGISTRY, replay
from course_utils.experiments.batchnorm import late_over_early
from course_utils.experiments.shortcuts import OPTIONS, small_resnet
from course_utils.results import load_result, load_weights, result_path, save_result

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "data" / "results"


def replayed_names() -> dict[str, str]:
    """``{experiment name: notebook}`` for every ``replay("...")`` call in the notebooks."""
    found = {}
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            for name in re.findall(r'replay\("([^"]+)"', "".join(cell["source"])):
                found[name] = path.name
    return found


def test_notebooks_replay_heavy_cells():
    names = replayed_names()
    assert len(names) >= 10, names   # 03-09 replay their training cells
    unknown = set(names) - set(REGISTRY)
    assert not unknown, f"notebooks replay experiments that are not registered: {unknown}"


@pytest.mark.parametrize("name", sorted(replayed_names()))
def test_every_replayed_experiment_is_shipped(name):
    path = SHIPPED / f"{name}-default.json"
    assert path.exists(), (f"{replayed_names()[name]} replays {name!r} but {path.name} is not shipped; "
                           f"make it with `make results EXPERIMENTS={name} RESULTS_PROFILE=default`")
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["name"] == name and record["profile"] == "default"
    assert record["provenance"]["command"].startswith("make results")


@pytest.mark.parametrize("name, factory", [
    ("lenet-fashion", "course_utils.models:lenet5"),
    ("small-vgg", "course_utils.models.vgg:small_vgg"),
])
def test_shipped_weights_fit_their_model(name, factory, monkeypatch):
    import importlib

    monkeypatch.setenv("COURSE_DATA_DIR", str(ROOT / "data"))
    module, attr = factory.split(":")
    model = getattr(importlib.import_module(module), attr)()
    assert load_weights(model, name, "default"), f"{name}-default.pt is not shipped"


@pytest.fixture
def own_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COURSE_DEVICE", "cpu")
    return tmp_path / "data"


@pytest.fixture
def counting_experiment(monkeypatch):
    calls: list[str] = []

    def fake(profile: str) -> dict:
        calls.append(profile)
        return {"calls": len(calls)}

    monkeypatch.setitem(experiments.REGISTRY, "fake-experiment", fake)
    return calls


def test_replay_loads_a_stored_result_without_running(own_data_dir, counting_experiment):
    save_result("fake-experiment", {"calls": 0}, seconds=1.0, profile="default", command="make results")
    result = replay("fake-experiment", profile="default")
    assert result.data == {"calls": 0} and counting_experiment == []
    assert result.provenance["command"] == "make results"


def test_replay_runs_and_stores_when_asked_or_missing(own_data_dir, counting_experiment):
    assert replay("fake-experiment", profile="default").data == {"calls": 1}        # missing: runs
    assert replay("fake-experiment", profile="default").data == {"calls": 1}        # now stored
    assert replay("fake-experiment", retrain=True, profile="default").data == {"calls": 2}
    assert load_result("fake-experiment", "default").data == {"calls": 2}
    assert counting_experiment == ["default", "default"]


def test_replay_always_runs_at_the_ci_profile(own_data_dir, counting_experiment, monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "ci")
    replay("fake-experiment")
    replay("fake-experiment")
    assert counting_experiment == ["ci", "ci"] and result_path("fake-experiment", "ci").exists()


def test_replay_names_the_known_experiments():
    with pytest.raises(ValueError, match="lenet-fashion"):
        replay("lenet")


def test_late_over_early():
    assert late_over_early([2.0] * 10 + [1.0] * 10, 20) == pytest.approx(0.5)
    assert late_over_early([2.0] * 10 + [float("nan")], 20) is None   # diverged, stopped early
    assert late_over_early([2.0] * 19 + [float("inf")], 20) is None


def test_shortcut_options_differ_only_in_their_projections():
    counts = [sum(p.numel() for p in small_resnet(kind).parameters()) for kind in OPTIONS]
    assert counts[0] < counts[1] < counts[2]
