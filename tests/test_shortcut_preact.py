"""Tests for notebook 10's shortcut-options and preactivation experiments, their models and the
new checkers (tiny settings: seconds)."""
import json
from dataclasses import replace

import pytest
import torch
import torch.nn.functional as F

from course_utils.checks.degradation import check_diagnose, diagnose_reference
from course_utils.checks.predictions import check_prediction
from course_utils.checks.residual import check_preact_block, preact_block_reference
from course_utils.experiments import preactivation, shortcut_options
from course_utils.models.resnet import small_bottleneck_resnet, small_preact_resnet


def test_projections_are_a_real_share_of_the_bottleneck_net():
    counts = {k: sum(p.numel() for p in small_bottleneck_resnet(k, width=4).parameters()) for k in "ABC"}
    shares = {k: shortcut_options.projection_params(small_bottleneck_resnet(k, width=4)) / counts[k]
              for k in "ABC"}
    assert counts["A"] < counts["B"] < counts["C"] and counts["C"] > 1.3 * counts["B"]
    assert shares["A"] == 0 and shares["C"] > 0.35


def test_preact_nets_differ_only_in_block_order():
    orig, pre = small_preact_resnet(False), small_preact_resnet(True)
    convs = lambda net: [m.weight.shape for m in net.modules() if isinstance(m, torch.nn.Conv2d)]  # noqa: E731
    assert convs(orig) == convs(pre)
    assert orig(torch.zeros(2, 1, 14, 14)).shape == pre(torch.zeros(2, 1, 14, 14)).shape == (2, 10)


@pytest.mark.parametrize("module, key", [(shortcut_options, "options"), (preactivation, "arms")])
def test_experiments_store_per_seed_values(module, key):
    tiny = replace(module.SETTINGS["ci"], train_images=100, test_images=50, seeds=(0, 1), batch_size=50)
    data = module.run(tiny).data
    assert data["seeds"] == [0, 1]
    for arm in data[key].values():
        assert len(arm["train_error"]) == len(arm["test_error"]) == len(arm["histories"]) == 2
        assert all(0 <= e <= 1 for e in arm["test_error"])
    json.dumps(data)


def test_prediction_checker_bands_and_bad_input():
    assert check_prediction("x", 10, 12, within=3).status == "pass"
    assert check_prediction("x", 10, 14, within=3).status == "fail"
    assert check_prediction("x", 2.0, 5.0, factor=3).status == "pass"
    assert check_prediction("x", 1.0, 5.0, factor=3).status == "fail"
    assert check_prediction("x", ..., 5.0, within=1).status == "todo"
    assert check_prediction("x", "many", 5.0, within=1).status == "fail"     # never raises on bad input
    assert check_prediction("x", float("nan"), 5.0, within=1).status == "fail"
    with pytest.raises(ValueError):
        check_prediction("x", 1, 1, within=1, factor=2)


def test_diagnose_checker_passes_the_reference_and_names_the_usual_mistake():
    assert check_diagnose(diagnose_reference).status == "pass"
    test_only = lambda s, d: "degradation" if d["test"] > s["test"] + 0.01 else "neither"  # noqa: E731
    result = check_diagnose(test_only)
    assert result.status == "fail" and "TRAINING" in result.message

    def stub(shallow, deep):
        raise NotImplementedError
    assert check_diagnose(stub).status == "todo"


def test_preact_checker_passes_the_reference_and_names_the_usual_mistakes():
    assert check_preact_block(preact_block_reference).status == "pass"
    original = lambda x, w1, w2: F.relu(F.conv2d(F.relu(F.conv2d(x, w1, padding=1)), w2, padding=1) + x)  # noqa: E731
    assert "original block" in check_preact_block(original).message
    assert check_preact_block(None).status in ("todo", "fail")
