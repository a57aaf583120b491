"""Backward passes written from scratch (course_utils/ops/backward.py) against autograd and finite
differences (float64 gradcheck)."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from course_utils.ops import conv2d_backward, conv2d_fast, max_pool2d, max_pool2d_backward, relu_backward

CONFIGS = [  # (N, C_in, H, W, C_out, KH, KW, stride, padding)
    (2, 3, 7, 7, 4, 3, 3, 1, 0),
    (2, 3, 8, 9, 4, 3, 3, 1, 1),
    (1, 2, 9, 9, 3, 3, 3, 2, 0),     # stride 2 divides evenly
    (2, 2, 10, 10, 3, 3, 3, 2, 1),   # stride 2, last row/column not reached by any window
    (1, 1, 8, 11, 2, 2, 5, (1, 2), (0, 2)),   # pairs, a non-square kernel
    (3, 1, 28, 28, 6, 5, 5, 1, 2),   # LeNet's first layer
]
GRADCHECK_CONFIGS = [  # small: finite differences cost two forward passes per input value
    (1, 2, 5, 5, 2, 3, 3, 1, 0),
    (1, 2, 5, 6, 2, 3, 3, 1, 1),
    (1, 1, 7, 7, 2, 3, 3, 2, 0),
    (2, 1, 6, 6, 2, 3, 3, 2, 1),     # stride 2, last row/column not reached
    (1, 1, 5, 7, 2, 2, 3, (1, 2), (0, 1)),
]


def _autograd(x, w, b, stride, padding):
    x, w, b = (t.clone().requires_grad_(True) for t in (x, w, b))
    y = F.conv2d(x, w, b, stride=stride, padding=padding)
    g = torch.randn_like(y)
    y.backward(g)
    return g, x.grad, w.grad, b.grad


@pytest.mark.parametrize("cfg", CONFIGS)
def test_conv2d_backward_matches_autograd(cfg):
    n, c, h, w_, o, kh, kw, s, p = cfg
    torch.manual_seed(0)
    x, w, b = torch.randn(n, c, h, w_), torch.randn(o, c, kh, kw), torch.randn(o)
    g, gx, gw, gb = _autograd(x, w, b, s, p)
    ours = conv2d_backward(g, x, w, stride=s, padding=p)
    for got, want, name in zip(ours, (gx, gw, gb), ("grad_x", "grad_weight", "grad_bias")):
        assert got.shape == want.shape, name
        assert torch.allclose(got, want, atol=1e-4, rtol=1e-4), (name, float((got - want).abs().max()))


class _OurConv(torch.autograd.Function):
    """conv2d_fast forward, conv2d_backward backward: gradcheck compares it with finite differences."""

    @staticmethod
    def forward(ctx, x, w, b, stride, padding):
        ctx.save_for_backward(x, w)
        ctx.conf = (stride, padding)
        return conv2d_fast(x, w, b, stride=stride, padding=padding)

    @staticmethod
    def backward(ctx, g):
        x, w = ctx.saved_tensors
        gx, gw, gb = conv2d_backward(g, x, w, *ctx.conf)
        return gx, gw, gb, None, None


@pytest.mark.parametrize("cfg", GRADCHECK_CONFIGS)
def test_conv2d_backward_gradcheck_float64(cfg):
    n, c, h, w_, o, kh, kw, s, p = cfg
    torch.manual_seed(1)
    args = [torch.randn(shape, dtype=torch.float64, requires_grad=True)
            for shape in ((n, c, h, w_), (o, c, kh, kw), (o,))]
    assert torch.autograd.gradcheck(lambda x, w, b: _OurConv.apply(x, w, b, s, p), args, eps=1e-6, atol=1e-6)


def test_conv2d_backward_full_convolution_identity():
    """Stride 1, no padding: dL/dx is the full convolution of g with the flipped kernel, and dL/dw
    the correlation of x with g (the two equations of notebook 03)."""
    torch.manual_seed(2)
    x, w = torch.randn(2, 3, 8, 8, dtype=torch.float64), torch.randn(4, 3, 3, 3, dtype=torch.float64)
    g = torch.randn(2, 4, 6, 6, dtype=torch.float64)
    gx, gw, _ = conv2d_backward(g, x, w)
    full = F.conv2d(g, w.flip(2, 3).transpose(0, 1), padding=2)
    corr = F.conv2d(x.transpose(0, 1), g.transpose(0, 1)).transpose(0, 1)
    assert torch.allclose(gx, full) and torch.allclose(gw, corr)


def test_conv2d_backward_wrong_shapes_are_explained():
    x, w = torch.randn(1, 2, 6, 6), torch.randn(3, 2, 3, 3)
    with pytest.raises(ValueError, match="grad_out must have the shape"):
        conv2d_backward(torch.randn(1, 3, 5, 5), x, w)
    with pytest.raises(ValueError, match="channels"):
        conv2d_backward(torch.randn(1, 3, 4, 4), x, torch.randn(3, 1, 3, 3))


def test_a_wrong_backward_fails_the_check():
    """The comparison can fail: a backward with an un-flipped kernel differs from autograd."""
    torch.manual_seed(3)
    x, w = torch.randn(1, 1, 6, 6), torch.randn(1, 1, 3, 3)
    g = torch.randn(1, 1, 4, 4)
    wrong = F.conv2d(g, w.transpose(0, 1), padding=2)          # forgot to flip
    assert not torch.allclose(wrong, conv2d_backward(g, x, w)[0], atol=1e-3)


@pytest.mark.parametrize("kernel, stride, padding", [(2, None, 0), (3, 2, 1), (3, 1, 0), ((2, 3), (2, 1), (1, 1))])
def test_max_pool2d_backward_matches_autograd(kernel, stride, padding):
    torch.manual_seed(4)
    x = torch.randn(2, 3, 9, 10, requires_grad=True)
    y = F.max_pool2d(x, kernel, stride, padding)
    g = torch.randn_like(y)
    y.backward(g)
    ours = max_pool2d_backward(g, x.detach(), kernel, stride, padding)
    assert torch.allclose(ours, x.grad, atol=1e-6)
    assert max_pool2d(x.detach(), kernel, stride, padding).shape == y.shape


def test_max_pool2d_backward_ties_go_to_the_first_maximum():
    x = torch.ones(1, 1, 2, 2, requires_grad=True)
    F.max_pool2d(x, 2).backward(torch.ones(1, 1, 1, 1))
    assert torch.equal(max_pool2d_backward(torch.ones(1, 1, 1, 1), x.detach(), 2), x.grad)


def test_max_pool2d_backward_gradcheck_float64():
    torch.manual_seed(5)
    x = torch.randn(1, 2, 6, 6, dtype=torch.float64, requires_grad=True)

    class _Pool(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return max_pool2d(x, 2)

        @staticmethod
        def backward(ctx, g):
            return max_pool2d_backward(g, ctx.saved_tensors[0], 2)

    assert torch.autograd.gradcheck(_Pool.apply, (x,), eps=1e-6, atol=1e-6)


def test_relu_backward_matches_autograd():
    torch.manual_seed(6)
    x = torch.randn(3, 4, 5, requires_grad=True)
    g = torch.randn(3, 4, 5)
    F.relu(x).backward(g)
    assert torch.equal(relu_backward(g, x.detach()), x.grad)
    with pytest.raises(ValueError):
        relu_backward(g, x.detach()[0])
