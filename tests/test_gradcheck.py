"""``torch.autograd.gradcheck`` (float64) for every differentiable operation written from scratch.

The course's ops are built from PyTorch primitives, so autograd differentiates them; gradcheck
compares those analytic gradients with finite differences, which catches what the forward tests
against ``torch.nn.functional`` cannot: an in-place write that breaks the graph, a ``.detach()`` or
``no_grad`` in the wrong place, an integer index that silently stops the gradient. Inputs are
small (gradcheck perturbs every element) and seeded; max pooling's inputs have no near-ties, where
the finite difference would straddle the kink.
"""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch.autograd import gradcheck, gradgradcheck

from course_utils.detection.boxes import decode_boxes, encode_boxes
from course_utils.detection.roi import roi_pool, roi_pool_naive
from course_utils.models.alexnet import local_response_norm
from course_utils.models.resnet import PadShortcut
from course_utils.ops import (BatchNorm2d, NoisyBatchNorm2d, avg_pool2d, batch_norm, conv2d_fast, conv2d_naive,
                              im2col, max_pool2d)

D = torch.float64


def rand(*shape: int, seed: int = 0, grad: bool = True) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=g, dtype=D).requires_grad_(grad)


def distinct(*shape: int, seed: int = 0) -> torch.Tensor:
    """Values at least 0.01 apart (a shuffled ramp): no window of max pooling has a near-tie."""
    g = torch.Generator().manual_seed(seed)
    n = 1
    for s in shape:
        n *= s
    values = torch.arange(n, dtype=D)[torch.randperm(n, generator=g)] * 0.01
    return values.reshape(shape).requires_grad_(True)


@pytest.mark.parametrize("conv", [conv2d_naive, conv2d_fast], ids=lambda f: f.__name__)
@pytest.mark.parametrize("stride,padding", [(1, 0), (2, 1), ((1, 2), (0, 1))])
def test_convolution(conv, stride, padding):
    x, w, b = rand(2, 2, 5, 6, seed=1), rand(3, 2, 3, 2, seed=2), rand(3, seed=3)
    assert gradcheck(lambda x, w, b: conv(x, w, b, stride=stride, padding=padding), (x, w, b))
    assert gradcheck(lambda x, w: conv(x, w, None, stride=stride, padding=padding), (x, w))


def test_convolution_second_order():
    x, w = rand(1, 2, 4, 4, seed=4), rand(2, 2, 3, 3, seed=5)
    assert gradgradcheck(lambda x, w: conv2d_fast(x, w, padding=1), (x, w))


def test_convolution_gradients_equal_torchs():
    """Same gradients as F.conv2d, not only self-consistent ones."""
    x, w, b = rand(2, 3, 6, 6, seed=6), rand(4, 3, 3, 3, seed=7), rand(4, seed=8)
    upstream = rand(2, 4, 3, 3, seed=9, grad=False)
    ours = torch.autograd.grad((conv2d_fast(x, w, b, stride=2, padding=1) * upstream).sum(), (x, w, b))
    theirs = torch.autograd.grad((F.conv2d(x, w, b, stride=2, padding=1) * upstream).sum(), (x, w, b))
    for a, t in zip(ours, theirs):
        torch.testing.assert_close(a, t)


@pytest.mark.parametrize("kernel,stride,padding", [(3, 1, 0), (2, 2, 1), ((3, 2), (1, 2), (1, 0))])
def test_im2col(kernel, stride, padding):
    assert gradcheck(lambda x: im2col(x, kernel, stride, padding), (rand(2, 2, 5, 5, seed=10),))


@pytest.mark.parametrize("kernel,stride,padding", [(2, 2, 0), (3, 1, 1), (3, 2, 1)])
def test_max_pool(kernel, stride, padding):
    x = distinct(2, 2, 6, 6, seed=11)
    assert gradcheck(lambda x: max_pool2d(x, kernel, stride, padding), (x,))
    upstream = rand(*max_pool2d(x, kernel, stride, padding).shape, seed=12, grad=False)
    ours, = torch.autograd.grad((max_pool2d(x, kernel, stride, padding) * upstream).sum(), x)
    theirs, = torch.autograd.grad((F.max_pool2d(x, kernel, stride, padding) * upstream).sum(), x)
    torch.testing.assert_close(ours, theirs)  # the gradient goes to the winner of each window


@pytest.mark.parametrize("kernel,stride,padding", [(2, 2, 0), (3, 1, 1), (3, 2, 1)])
def test_avg_pool(kernel, stride, padding):
    assert gradcheck(lambda x: avg_pool2d(x, kernel, stride, padding), (rand(2, 2, 6, 6, seed=13),))


@pytest.mark.parametrize("shape", [(6, 3), (4, 3, 3, 3)])
def test_batch_norm_training(shape):
    x, w, b = rand(*shape, seed=14), rand(3, seed=15), rand(3, seed=16)
    assert gradcheck(lambda x, w, b: batch_norm(x, None, None, w, b, training=True), (x, w, b))
    assert gradcheck(lambda x: batch_norm(x, None, None, training=True), (x,))
    assert gradgradcheck(lambda x, w: batch_norm(x, None, None, w, None, training=True), (x, w))


def test_batch_norm_training_updates_running_statistics_without_breaking_gradients():
    mean, var = torch.zeros(3, dtype=D), torch.ones(3, dtype=D)
    x, w, b = rand(4, 3, 2, 2, seed=17), rand(3, seed=18), rand(3, seed=19)
    assert gradcheck(lambda x, w, b: batch_norm(x, mean, var, w, b, training=True), (x, w, b))
    assert not mean.requires_grad and not torch.equal(mean, torch.zeros(3, dtype=D))


def test_batch_norm_evaluation():
    mean, var = rand(3, seed=20, grad=False), rand(3, seed=21, grad=False).abs() + 0.5
    x, w, b = rand(4, 3, 2, 2, seed=22), rand(3, seed=23), rand(3, seed=24)
    assert gradcheck(lambda x, w, b: batch_norm(x, mean, var, w, b, training=False), (x, w, b))


def test_batch_norm_gradients_equal_torchs():
    x, w, b = rand(4, 3, 2, 2, seed=25), rand(3, seed=26), rand(3, seed=27)
    upstream = rand(4, 3, 2, 2, seed=28, grad=False)
    ours = torch.autograd.grad((batch_norm(x, None, None, w, b, training=True) * upstream).sum(), (x, w, b))
    theirs = torch.autograd.grad((F.batch_norm(x, None, None, w, b, training=True) * upstream).sum(), (x, w, b))
    for a, t in zip(ours, theirs):
        torch.testing.assert_close(a, t)


@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_module(training):
    layer = BatchNorm2d(3).double().train(training)
    with torch.no_grad():
        layer.weight.copy_(rand(3, seed=29, grad=False))
        layer.bias.copy_(rand(3, seed=30, grad=False))
    x = rand(4, 3, 2, 2, seed=31)
    assert gradcheck(lambda x, w, b: torch.func.functional_call(layer, {"weight": w, "bias": b}, (x,)),
                     (x, layer.weight.detach().clone().requires_grad_(), layer.bias.detach().clone().requires_grad_()))


def test_noisy_batch_norm_with_its_noise_held_fixed():
    """The noise is redrawn at every call; gradcheck calls many times, so each call reseeds."""
    layer = NoisyBatchNorm2d(3).double().train()

    def noisy(x):
        torch.manual_seed(0)
        return layer(x)

    out = noisy(rand(4, 3, 2, 2, seed=32, grad=False))
    assert torch.equal(out, noisy(rand(4, 3, 2, 2, seed=32, grad=False)))  # the reseeding holds the noise
    assert gradcheck(noisy, (rand(4, 3, 2, 2, seed=32),))


def test_local_response_norm():
    x = rand(2, 7, 3, 3, seed=33)
    assert gradcheck(lambda x: local_response_norm(x, size=5, alpha=1e-1, beta=0.75, k=2.0), (x,))
    torch.testing.assert_close(local_response_norm(x, size=5, alpha=1e-1, beta=0.75, k=2.0),
                               F.local_response_norm(x, 5, alpha=5 * 1e-1, beta=0.75, k=2.0))  # torch: alpha/size


@pytest.mark.parametrize("pool", [roi_pool, roi_pool_naive], ids=lambda f: f.__name__)
def test_roi_pool_gradient_reaches_the_features(pool):
    features = distinct(2, 2, 8, 8, seed=34)
    rois = torch.tensor([[0, 0.0, 0.0, 15.0, 15.0], [1, 4.0, 2.0, 30.0, 20.0], [0, 8.0, 8.0, 31.0, 31.0]], dtype=D)
    assert gradcheck(lambda f: pool(f, rois, 2, 0.25), (features,))


def test_box_encoding_and_decoding():
    ref = torch.tensor([[0.0, 0.0, 10.0, 10.0], [5.0, 5.0, 20.0, 30.0]], dtype=D)
    target = (ref + rand(2, 4, seed=35, grad=False)).requires_grad_()
    deltas = rand(2, 4, seed=36) * 0.1
    assert gradcheck(lambda t: encode_boxes(ref, t), (target,))
    assert gradcheck(lambda d: decode_boxes(ref, d), (deltas.detach().requires_grad_(),))


def test_option_a_shortcut():
    shortcut = PadShortcut(2, 5, 2)
    x = rand(2, 2, 4, 4, seed=37)
    assert gradcheck(shortcut, (x,))
