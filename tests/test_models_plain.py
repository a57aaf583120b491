"""Tests for the deep plain networks and initialisations of notebooks 08-09 (models.plain,
models.init), batch norm with noise (ops.batchnorm) and the drift probe (probes.drift)."""
import math

import pytest
import torch

from course_utils.models.init import init_weights_
from course_utils.models.plain import conv_net, relu_mlp
from course_utils.probes import signal_scales, train_steps


def test_conv_net_and_drift_probe():
    torch.manual_seed(0)
    net = conv_net(4, width=4, bn="after")
    assert net(torch.randn(2, 1, 12, 12)).shape == (2, 10)
    batches = [(torch.randn(16, 1, 12, 12), torch.randint(0, 10, (16,)))]
    record = train_steps(net, batches, lr=0.01, steps=5, probe=batches[0][0], every=2)
    assert len(record["loss"]) == 5 and record["steps"] == [0, 2, 4] and len(record["std"][0]) == 4


def test_noisy_batch_norm_moves_only_in_training():
    noisy = conv_net(3, width=4, bn="noisy")
    x = torch.randn(8, 1, 12, 12)
    assert not torch.allclose(noisy(x), noisy(x))          # new noise at every training pass
    noisy.eval()
    assert torch.allclose(noisy(x), noisy(x))              # none in evaluation


def test_signal_scales_one_value_per_hidden_layer():
    scales = signal_scales(relu_mlp(5, width=32, in_features=12), torch.randn(32, 12),
                           torch.randint(0, 10, (32,)))
    assert len(scales["activation_std"]) == len(scales["gradient_norm"]) == 5


@pytest.mark.parametrize("init, expected", [("he", 2.0), ("xavier", 2.0 / (1 + 400 / 100))])
def test_init_variance(init, expected):
    layer = init_weights_(torch.nn.Linear(100, 400), init)
    fan_in = 100
    assert float(layer.weight.detach().var()) * fan_in == pytest.approx(expected, rel=0.05)
    assert float(layer.bias.detach().abs().max()) == 0


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="bn='middle'"):
        conv_net(3, bn="middle")
    with pytest.raises(ValueError, match="init='lecun'"):
        init_weights_(torch.nn.Linear(2, 2), "lecun")
    with pytest.raises(ValueError, match="depth=0"):
        relu_mlp(0)


def test_a_diverging_run_stops_at_the_first_non_finite_loss():
    torch.manual_seed(0)
    batches = [(torch.randn(8, 1, 6, 6) * 1e15, torch.randint(0, 10, (8,)))]
    linear = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(36, 10))
    diverged = train_steps(linear, batches, lr=1e15, steps=20)   # one step overflows the weights
    assert len(diverged["loss"]) < 20, "the run should have stopped early"
    assert not math.isfinite(diverged["loss"][-1])
    assert all(math.isfinite(v) for v in diverged["loss"][:-1])
