"""Tests for the depth-sweep experiment (notebook 09), with tiny settings: seconds."""
import json

import pytest

from course_utils.experiments import experiment
from course_utils.experiments.depth_sweep import EXPERIMENT, SETTINGS, Settings, final, run

TINY = Settings(depths=(8, 14), seeds=(0, 1), width=2, size=8, train_images=120, test_images=60,
                epochs=2, batch_size=40)


def test_sweep_stores_one_run_per_seed_under_a_seeds_list():
    data = run(TINY).data
    assert data["seeds"] == [0, 1] and data["depths"] == [8, 14]
    assert list(data["runs"]) == ["plain-8", "resnet-8", "plain-14", "resnet-14"]
    for name, runs in data["runs"].items():
        assert len(runs) == 2
        assert [r["settings"]["seed"] for r in runs] == [0, 1]
        assert all(len(r["train_error"]) == 2 for r in runs)
    assert len(final(data, "plain-8")) == 2 and len(final(data, "plain-8", "test_error")) == 2
    json.dumps(data)


def test_seeds_differ_and_a_seed_repeats():
    one = run(TINY).data["runs"]["plain-8"]
    assert one[0]["train_loss"] != one[1]["train_loss"]             # another seed, another run
    assert run(TINY).data["runs"]["plain-8"][0]["train_loss"] == one[0]["train_loss"]


def test_settings_and_registry():
    assert experiment("depth-sweep") is EXPERIMENT and EXPERIMENT.settings is SETTINGS
    assert SETTINGS["default"].depths == (20, 32, 44, 56) and len(SETTINGS["default"].seeds) >= 3
    with pytest.raises(ValueError, match="6n\\+2"):
        run(Settings(depths=(10,), seeds=(0,), width=2, size=8, train_images=10, test_images=10, epochs=1))
    with pytest.raises(ValueError, match="seed"):
        run(Settings(depths=(8,), seeds=(), width=2, size=8, train_images=10, test_images=10, epochs=1))
