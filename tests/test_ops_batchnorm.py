"""Tests for course_utils.ops.batchnorm against torch.nn.functional.batch_norm and nn.BatchNorm2d."""
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from course_utils.ops import BatchNorm2d, batch_norm


@settings(max_examples=25, deadline=None)
@given(n=st.integers(2, 5), c=st.integers(1, 4), hw=st.sampled_from([(), (3,), (2, 3)]),
       training=st.booleans(), affine=st.booleans(), momentum=st.floats(0.01, 0.9))
def test_matches_torch(n, c, hw, training, affine, momentum):
    torch.manual_seed(0)
    x = torch.randn(n, c, *hw) * 3 + 1
    mean, var = torch.randn(c), torch.rand(c) + 0.5
    w, b = (torch.randn(c), torch.randn(c)) if affine else (None, None)
    m1, v1, m2, v2 = mean.clone(), var.clone(), mean.clone(), var.clone()
    got = batch_norm(x, m1, v1, w, b, training=training, momentum=momentum)
    want = F.batch_norm(x, m2, v2, w, b, training=training, momentum=momentum)
    assert torch.allclose(got, want, atol=1e-5)
    assert torch.allclose(m1, m2, atol=1e-6) and torch.allclose(v1, v2, atol=1e-5)


def test_training_updates_running_stats_with_unbiased_variance():
    x = torch.tensor([[1.0], [3.0]])                      # one channel, mean 2, biased var 1
    rm, rv = torch.zeros(1), torch.ones(1)
    y = batch_norm(x, rm, rv, training=True, momentum=0.5)
    assert torch.allclose(y.flatten(), torch.tensor([-1.0, 1.0]), atol=1e-4)
    assert rm.item() == pytest.approx(1.0)                # 0.5 * 0 + 0.5 * 2
    assert rv.item() == pytest.approx(1.5)                # 0.5 * 1 + 0.5 * 2 (unbiased)


def test_eval_uses_running_stats_and_gradients_flow():
    x = torch.randn(4, 2, 3, 3, requires_grad=True)
    w = torch.ones(2, requires_grad=True)
    y = batch_norm(x, torch.full((2,), 1.0), torch.full((2,), 4.0), w, training=False)
    assert torch.allclose(y, (x - 1) / (4 + 1e-5) ** 0.5)
    y.sum().backward()
    assert x.grad is not None and w.grad is not None


def test_module_matches_nn_batchnorm2d_in_both_modes():
    torch.manual_seed(0)
    ours, theirs = BatchNorm2d(3), nn.BatchNorm2d(3)
    with torch.no_grad():
        ours.weight.copy_(torch.randn(3))
        ours.bias.copy_(torch.randn(3))
    theirs.load_state_dict(ours.state_dict())
    for _ in range(3):
        x = torch.randn(5, 3, 4, 4) * 2 + 0.5
        assert torch.allclose(ours(x), theirs(x), atol=1e-5)
    for k, v in theirs.state_dict().items():
        assert torch.allclose(ours.state_dict()[k].float(), v.float(), atol=1e-5), k
    ours.eval(), theirs.eval()
    x = torch.randn(2, 3, 4, 4)
    assert torch.allclose(ours(x), theirs(x), atol=1e-5)
    assert "3, eps=1e-05" in repr(ours)


def test_bad_inputs_raise():
    with pytest.raises(ValueError, match="more than 1 value"):
        batch_norm(torch.randn(1, 3), torch.zeros(3), torch.ones(3), training=True)
    with pytest.raises(ValueError, match="needs running_mean"):
        batch_norm(torch.randn(4, 3), None, None, training=False)
    with pytest.raises(ValueError, match="weight has 2 values but x has 3"):
        batch_norm(torch.randn(4, 3), None, None, torch.ones(2), training=True)
    with pytest.raises(ValueError, match="shape"):
        batch_norm(torch.randn(3), None, None, training=True)
    with pytest.raises(ValueError, match="num_features=0"):
        BatchNorm2d(0)
    with pytest.raises(ValueError, match=r"\[N, C, H, W\]"):
        BatchNorm2d(3)(torch.randn(4, 3))
