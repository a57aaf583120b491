"""Tests for the degradation experiment (notebook 09), with tiny settings: seconds."""
import json
from dataclasses import replace

import pytest

from course_utils.experiments import experiment
from course_utils.experiments.degradation import EXPERIMENT, SETTINGS, Settings, run

TINY = Settings(depths=(8, 14), width=2, size=8, train_images=120, test_images=60, epochs=2, batch_size=40)


def test_degradation_returns_the_documented_structure():
    results = run(TINY).data
    assert list(results) == ["plain-8", "resnet-8", "plain-14", "resnet-14"]
    for net in results.values():
        assert len(net["train_error"]) == len(net["test_error"]) == 2
        assert all(0 <= e <= 1 for e in net["train_error"] + net["test_error"])
        assert len(net["grad_norms"]) == 3 and len(net["grad_norms"][0]) == len(net["layers"])
        assert list(net["settings"]["depths"]) == [8, 14]
    assert len(results["plain-14"]["layers"]) == 14
    assert results["plain-8"]["params"] == results["resnet-8"]["params"]
    json.dumps(results)                                  # JSON-ready for save_result


def test_same_settings_give_the_same_numbers():
    one = run(TINY).data["plain-8"]["train_error"]
    assert run(TINY).data["plain-8"]["train_error"] == one


def test_one_core_variant_trains_on_one_thread_and_restores_the_count():
    import torch

    before = torch.get_num_threads()
    seen = []
    original = torch.set_num_threads
    try:
        torch.set_num_threads = lambda n: (seen.append(n), original(n))[1]
        run(replace(TINY, depths=(8,), threads=1))
    finally:
        torch.set_num_threads = original
    assert seen[0] == 1 and torch.get_num_threads() == before


def test_settings_and_registry():
    assert experiment("degradation") is EXPERIMENT and EXPERIMENT.settings is SETTINGS
    assert SETTINGS["full"].width == 16 and SETTINGS["full"].depths == (20, 32, 44, 56)
    assert SETTINGS["cpu"].width == 16 and SETTINGS["cpu"].threads == 1
    with pytest.raises(ValueError, match="not 6n\\+2"):
        run(Settings(depths=(10,), width=2, size=8, train_images=10, test_images=10, epochs=1))
