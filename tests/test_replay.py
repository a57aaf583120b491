"""The experiment layer: one shape for every experiment, and ``replay``, the lecture switch.

Every ``replay("name", ...)`` in a notebook must find a shipped ``default`` result (so that a
lecture replays instead of training), made with today's settings; weights must fit their models.
"""

from __future__ import annotations

import json
import pkgutil
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest
import torch
from torch import nn

from course_utils import experiments
from course_utils.experiments import NAMES, Experiment, Outcome, experiment, replay, stored
from course_utils.results import load_result, make_manifest, result_path, weights_path

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "data" / "results"


def replay_calls() -> dict[str, set[str]]:
    """``{experiment name: {keys replayed}}`` for every ``replay("...")`` call in the notebooks
    (``"<profile>"`` for the active profile, else the variant named)."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            source = "".join(cell["source"])
            for name, variant in re.findall(r'replay\(\s*"([^"]+)"[^)]*?(?:variant="([^"]+)")?[^)]*\)', source):
                found.setdefault(name, set()).add(variant or "<profile>")
    return found


def shipped_results() -> list[tuple[str, str]]:
    """``(name, key)`` of every result shipped in ``data/results`` (not the git-ignored ``ci`` ones)."""
    out = []
    for path in sorted(SHIPPED.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        if record["profile"] != "ci":
            out.append((record["name"], record["profile"]))
    return out


def test_names_equal_the_modules_of_the_package():
    modules = {m.name for m in pkgutil.iter_modules(experiments.__path__) if not m.name.startswith("_")}
    assert {n.replace("-", "_") for n in NAMES} == modules
    for name in NAMES:
        exp = experiment(name)
        assert isinstance(exp, Experiment) and exp.name == name
        assert {"ci", "default", "full"} <= set(exp.settings), name


def test_notebooks_use_the_one_replay_form():
    calls = replay_calls()
    assert len(calls) >= 10, calls
    assert set(calls) <= set(NAMES), f"notebooks replay unknown experiments: {set(calls) - set(NAMES)}"
    forms = re.compile(r"\bcached\(|load_result\(|load_weights\(|load_shipped\(|def trained\(")
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                assert not forms.search("".join(cell["source"])), (
                    f"{path.name} loads a stored run another way; use replay(name, retrain=..., variant=...)")


@pytest.mark.parametrize("name", sorted(replay_calls()))
def test_every_replayed_experiment_is_shipped_with_its_models(name):
    exp = experiment(name)
    for key in replay_calls()[name]:
        key = "default" if key == "<profile>" else key
        path = SHIPPED / f"{name}-{key}.json"
        assert path.exists(), (f"a notebook replays {name!r} but {path.name} is not shipped; make it with "
                               f"`make results EXPERIMENTS={name} RESULTS_PROFILE={key}`")
        if exp.models is not None:
            for model in exp.models(exp.settings_for(key)):
                assert (SHIPPED / f"{name}-{key}-{model}.pt").exists(), f"{name}-{key}-{model}.pt is not shipped"


@pytest.mark.parametrize("name, key", shipped_results())
def test_shipped_results_were_made_with_todays_settings(name, key):
    record = json.loads((SHIPPED / f"{name}-{key}.json").read_text(encoding="utf-8"))
    today = json.loads(json.dumps(asdict(experiment(name).settings_for(key))))
    assert record["settings"] == today, (
        f"{name}-{key}.json was made with other settings than experiments/{name.replace('-', '_')}.py "
        f"has today: make it again (`make results EXPERIMENTS={name} RESULTS_PROFILE={key}`)")


@pytest.mark.parametrize("name, key", [(n, k) for n, k in shipped_results() if experiment(n).models])
def test_shipped_weights_load_into_their_models(name, key, monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", key if key in ("default", "full") else "default")
    result = replay(name, variant=key)
    assert set(result.models) == set(experiment(name).models(experiment(name).settings_for(key)))
    assert all(not m.training for m in result.models.values())


# ------------------------------------------------------------------ replay's semantics, on a fake


@dataclass(frozen=True)
class FakeSettings:
    width: int
    seed: int = 0


def fake_run(s: FakeSettings) -> Outcome:
    CALLS.append(s.width)
    model = nn.Linear(2, s.width)
    return Outcome({"calls": len(CALLS), "first_weight": float(model.weight[0, 0].detach())}, {"net": model})


CALLS: list[int] = []
FAKE = Experiment("fake", fake_run, {"ci": FakeSettings(1), "default": FakeSettings(2), "big": FakeSettings(3),
                                     "live": FakeSettings(4)},
                  models=lambda s: {"net": nn.Linear(2, s.width)})


@pytest.fixture
def fake(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(tmp_path / "results"))
    monkeypatch.setenv("COURSE_DEVICE", "cpu")
    monkeypatch.setenv("COURSE_PROFILE", "default")
    monkeypatch.setattr(experiments, "experiment", lambda name: FAKE)
    CALLS.clear()
    return CALLS


def test_replay_runs_stores_then_loads_with_its_models(fake):
    first = replay("fake")
    assert fake == [2] and result_path("fake", "default").exists()
    assert weights_path("fake", "default", "net").exists()
    second = replay("fake")
    assert fake == [2], "a stored result is loaded, not run again"
    assert second.data == first.data and second.settings == {"width": 2, "seed": 0}
    assert torch.equal(second.models["net"].weight, first.models["net"].weight)
    assert not second.models["net"].training


def test_replay_retrains_when_asked(fake):
    replay("fake")
    again = replay("fake", retrain=True)
    assert fake == [2, 2] and again.data["calls"] == 2
    assert load_result("fake", "default").data["calls"] == 2    # the new run replaced the stored one


def test_replay_always_runs_at_the_ci_profile_but_loads_variants(fake, monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "ci")
    replay("fake")
    replay("fake")
    assert fake == [1, 1]
    assert not stored("fake", "big")
    replay("fake", variant="big")
    replay("fake", variant="big")
    assert fake == [1, 1, 3] and stored("fake", "big")


def test_live_is_the_class_sized_version_at_default_and_the_profile_elsewhere(fake, monkeypatch):
    replay("fake", variant="live")
    assert fake == [4] and stored("fake", "live")
    replay("fake", variant="live")
    assert fake == [4], "at the default profile the stored live run is replayed"
    monkeypatch.setenv("COURSE_PROFILE", "ci")
    assert replay("fake", variant="live").profile == "ci" and fake == [4, 1]


def test_replay_seeds_each_run_the_same_way(fake):
    a = replay("fake", retrain=True).data["first_weight"]
    b = replay("fake", retrain=True).data["first_weight"]
    assert a == b


def test_replay_refuses_unknown_names_and_keys(fake, monkeypatch):
    with pytest.raises(ValueError, match="no settings 'huge'"):
        replay("fake", variant="huge")
    monkeypatch.undo()
    with pytest.raises(ValueError, match="lenet-fashion"):
        replay("lenet")


def test_a_stale_stored_result_is_refused(fake):
    replay("fake")
    path = result_path("fake", "default")
    record = json.loads(path.read_text(encoding="utf-8"))
    record["settings"] = {"width": 2, "seed": 0, "depth": 9}   # settings this code no longer has
    path.write_text(json.dumps(record), encoding="utf-8")
    make_manifest(path.parent)  # shipped like this (stale, not damaged: its digest is the manifest's)
    with pytest.raises(ValueError, match="made with other settings.*git checkout -- data/results/fake-default.json"):
        replay("fake")
