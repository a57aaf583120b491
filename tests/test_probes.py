"""Tests for course_utils.probes: gradient norms against autograd, activation statistics by hand."""
import pytest
import torch
from torch import nn

from course_utils.models import cifar_resnet
from course_utils.models.resnet import BasicBlock
from course_utils.probes import activation_stats, activations, gradient_norms


def _mlp():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 3))


def test_gradient_norms_match_backward():
    model = _mlp()
    x, y = torch.randn(5, 4), torch.tensor([0, 1, 2, 0, 1])
    norms = gradient_norms(model, x, y)
    assert list(norms) == ["0", "2"]
    nn.functional.cross_entropy(model(x), y).backward()
    assert norms["0"] == pytest.approx(float(model[0].weight.grad.norm()), rel=1e-5)
    assert norms["2"] == pytest.approx(float(model[2].weight.grad.norm()), rel=1e-5)


def test_gradient_norms_follow_forward_order_and_keep_state():
    model = cifar_resnet(8, in_channels=1, width=4).train()
    x, y = torch.randn(4, 1, 8, 8), torch.randint(0, 10, (4,))
    before = {k: v.clone() for k, v in model.state_dict().items()}
    norms = gradient_norms(model, x, y)
    assert list(norms)[0] == "stem.0" and list(norms)[-1] == "fc" and len(norms) == 8
    assert all(v > 0 for v in norms.values())
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    assert all(p.grad is None for p in model.parameters())


def test_gradient_norms_bad_input():
    with pytest.raises(ValueError, match="5 examples"):
        gradient_norms(_mlp(), torch.randn(5, 4), torch.zeros(3, dtype=torch.long))
    with pytest.raises(ValueError, match="no nn.Conv2d"):
        gradient_norms(nn.Flatten(), torch.randn(2, 3), torch.zeros(2, dtype=torch.long))


def test_activation_stats_by_hand():
    model = _mlp()
    x = torch.randn(64, 4)
    stats = activation_stats(model, x)
    with torch.no_grad():
        hidden = torch.relu(model[0](x))
    assert list(stats) == ["1"]
    assert stats["1"]["mean"] == pytest.approx(float(hidden.mean()), rel=1e-5)
    assert stats["1"]["std"] == pytest.approx(float(hidden.std()), rel=1e-5)
    assert stats["1"]["zeros"] == pytest.approx(float((hidden == 0).float().mean()))


def test_activations_of_blocks_and_shared_modules():
    model = cifar_resnet(14, in_channels=1, width=4).train()
    acts = activations(model, torch.randn(3, 1, 12, 12), kinds=(BasicBlock,))
    assert len(acts) == 6 and acts["stages.2.1"].shape == (3, 16, 3, 3)
    assert model.stem[1].num_batches_tracked == 0
    relu = nn.ReLU()
    shared = nn.Sequential(nn.Linear(2, 2), relu, nn.Linear(2, 2), relu)
    assert list(activations(shared, torch.randn(1, 2))) == ["1", "1#2"]
    named = activations(shared, torch.randn(1, 2), names=["0"])
    assert list(named) == ["0"]
    with pytest.raises(ValueError, match="no module named"):
        activations(shared, torch.randn(1, 2), names=["nope"])
    with pytest.raises(ValueError, match="no module of type"):
        activations(nn.Linear(2, 2), torch.randn(1, 2))
