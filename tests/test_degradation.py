"""Tests for course_utils.experiments.degradation and experiments.batchnorm (tiny settings: seconds)."""
import json

import pytest
import torch

from course_utils.experiments import REGISTRY
from course_utils.experiments import batchnorm as eb
from course_utils.experiments.degradation import ONE_CORE, SETTINGS, Settings, degradation, main, settings_for

TINY = Settings(depths=(8, 14), width=2, size=8, train_images=120, test_images=60, epochs=2, batch_size=40)


def test_degradation_returns_the_documented_structure():
    results = degradation(settings=TINY)
    assert list(results) == ["plain-8", "resnet-8", "plain-14", "resnet-14"]
    for run in results.values():
        assert len(run["train_error"]) == len(run["test_error"]) == 2
        assert all(0 <= e <= 1 for e in run["train_error"] + run["test_error"])
        assert len(run["grad_norms"]) == 3 and len(run["grad_norms"][0]) == len(run["layers"])
        assert run["settings"]["depths"] == [8, 14] or run["settings"]["depths"] == (8, 14)
    assert len(results["plain-14"]["layers"]) == 14
    assert results["plain-8"]["params"] == results["resnet-8"]["params"]
    json.dumps(results)                                  # JSON-ready for save_result


def test_same_settings_give_the_same_numbers():
    one = degradation(settings=TINY)["plain-8"]["train_error"]
    assert degradation(settings=TINY)["plain-8"]["train_error"] == one


def test_settings_and_registry():
    assert REGISTRY["degradation"] is degradation
    assert settings_for("ci") is SETTINGS["ci"] and settings_for("full").width == 16
    assert settings_for("full").depths == (20, 32, 44, 56) and ONE_CORE.width == 16
    with pytest.raises(ValueError, match="not 6n\\+2"):
        degradation(settings=Settings(depths=(10,), width=2, size=8, train_images=10, test_images=10, epochs=1))
    with pytest.raises(SystemExit):
        main([])


def test_bn_helpers_build_and_measure():
    torch.manual_seed(0)
    net = eb.conv_net(4, width=4, bn="after")
    assert net(torch.randn(2, 1, 12, 12)).shape == (2, 10)
    batches = [(torch.randn(16, 1, 12, 12), torch.randint(0, 10, (16,)))]
    record = eb.train_steps(net, batches, lr=0.01, steps=5, probe=batches[0][0], every=2)
    assert len(record["loss"]) == 5 and record["steps"] == [0, 2, 4] and len(record["std"][0]) == 4
    noisy = eb.conv_net(3, width=4, bn="noisy")
    x = torch.randn(8, 1, 12, 12)
    assert not torch.allclose(noisy(x), noisy(x))          # new noise at every training pass
    noisy.eval()
    assert torch.allclose(noisy(x), noisy(x))              # none in evaluation
    scales = eb.signal_scales(eb.relu_mlp(5, width=32, in_features=12), torch.randn(32, 12),
                              torch.randint(0, 10, (32,)))
    assert len(scales["activation_std"]) == len(scales["gradient_norm"]) == 5


def test_bn_helpers_reject_bad_settings():
    with pytest.raises(ValueError, match="bn='middle'"):
        eb.conv_net(3, bn="middle")
    with pytest.raises(ValueError, match="init='lecun'"):
        eb.init_weights_(torch.nn.Linear(2, 2), "lecun")
    with pytest.raises(ValueError, match="depth=0"):
        eb.relu_mlp(0)
    assert eb.settings_for("ci").mlp_depth >= 30
    diverged = eb.train_steps(eb.conv_net(2, width=2, bn=None), [(torch.randn(4, 1, 6, 6) * 1e3,
                                                                   torch.zeros(4, dtype=torch.long))], lr=1e3, steps=20)
    assert len(diverged["loss"]) <= 20
