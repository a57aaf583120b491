"""Checkers for notebooks 08 (batch norm, initialisation) and 09 (degradation)."""

from __future__ import annotations

import math
from typing import Any, Callable

import torch

from ..models.resnet import BasicBlock
from .core import Case, CheckResult, Mistake, check_function, check_value


# --------------------------------------------------------------------------- 07: batch norm forward

def _bn_reference(x: torch.Tensor, gamma: torch.Tensor, beta: torch.Tensor, eps: float = 1e-5) -> torch.Tensor:
    mean = x.mean(dim=(0, 2, 3), keepdim=True)
    var = x.var(dim=(0, 2, 3), unbiased=False, keepdim=True)
    return gamma.view(1, -1, 1, 1) * (x - mean) / torch.sqrt(var + eps) + beta.view(1, -1, 1, 1)


def _bn_unbiased(x, gamma, beta, eps=1e-5):
    mean = x.mean(dim=(0, 2, 3), keepdim=True)
    var = x.var(dim=(0, 2, 3), unbiased=True, keepdim=True)
    return gamma.view(1, -1, 1, 1) * (x - mean) / torch.sqrt(var + eps) + beta.view(1, -1, 1, 1)


def _bn_all_channels(x, gamma, beta, eps=1e-5):
    return gamma.view(1, -1, 1, 1) * (x - x.mean()) / torch.sqrt(x.var(unbiased=False) + eps) \
        + beta.view(1, -1, 1, 1)


def _bn_per_image(x, gamma, beta, eps=1e-5):
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    var = x.var(dim=(1, 2, 3), unbiased=False, keepdim=True)
    return gamma.view(1, -1, 1, 1) * (x - mean) / torch.sqrt(var + eps) + beta.view(1, -1, 1, 1)


def _bn_no_eps(x, gamma, beta, eps=1e-5):
    return _bn_reference(x, gamma, beta, eps=0.0)


def _bn_no_affine(x, gamma, beta, eps=1e-5):
    return _bn_reference(x, torch.ones_like(gamma), torch.zeros_like(beta), eps)


def _bn_cases() -> list[Case]:
    g = torch.Generator().manual_seed(7)
    x1 = torch.randn(4, 1, 2, 2, generator=g) * 3 + 2
    x2 = torch.randn(3, 2, 3, 3, generator=g) * torch.tensor([0.5, 4.0]).view(1, 2, 1, 1)
    x3 = torch.randn(2, 3, 2, 2, generator=g) * 2e-3      # tiny variance: eps matters
    return [
        Case((x1, torch.ones(1), torch.zeros(1)), label="x [4, 1, 2, 2], gamma=1, beta=0"),
        Case((x2, torch.ones(2), torch.zeros(2)), label="x [3, 2, 3, 3], channels of different scale"),
        Case((x2, torch.tensor([2.0, 0.5]), torch.tensor([1.0, -1.0])), label="x [3, 2, 3, 3], gamma=[2, 0.5], beta=[1, -1]"),
        Case((x3, torch.ones(3), torch.zeros(3)), label="x [2, 3, 2, 2] with a tiny variance (~4e-6)"),
    ]


def check_batch_norm_forward(student: Callable[..., Any]) -> CheckResult:
    """Exercise 8.1: ``bn_forward(x [N, C, H, W], gamma [C], beta [C], eps=1e-5)`` in training mode."""
    return check_function("bn_forward", student, _bn_reference, _bn_cases(), [
        Mistake(_bn_all_channels, "take the mean and variance of each channel separately: "
                                  "reduce over dimensions (0, 2, 3), not over the whole tensor"),
        Mistake(_bn_per_image, "batch norm averages over the batch (dim 0) and the positions, per channel; "
                               "averaging over one image's (C, H, W) is layer norm"),
        Mistake(_bn_unbiased, "normalise with the biased variance (divide by m, unbiased=False); "
                              "the unbiased one is only used for the running estimate"),
        Mistake(_bn_no_eps, "add eps inside the square root: sqrt(var + eps)"),
        Mistake(_bn_no_affine, "finish with gamma * x_hat + beta"),
    ], rtol=1e-4, atol=1e-4)


# --------------------------------------------------------------------------- 07: He initialisation

def _he_std(fan_in: int) -> float:
    return math.sqrt(2.0 / fan_in)


def check_he_std(student: Callable[[int], float]) -> CheckResult:
    """Exercise 8.3: ``he_std(fan_in)``, the standard deviation of He-initialised weights."""
    cases = [Case((n,)) for n in (9, 2, 100, 3 * 3 * 64)]
    return check_function("he_std", student, _he_std, cases, [
        Mistake(lambda n: math.sqrt(1.0 / n), "that is LeCun/Xavier's scale for a linear unit: ReLU zeroes "
                                              "half of its inputs, so He doubles the variance (factor 2)"),
        Mistake(lambda n: 2.0 / n, "2 / fan_in is the variance; the standard deviation is its square root"),
        Mistake(lambda n: math.sqrt(2.0) / n, "take the square root of the whole fraction: sqrt(2 / fan_in)"),
    ])


# --------------------------------------------------------------------------- 08: the identity construction

def _probe_block(channels: int = 4) -> tuple[BasicBlock, torch.Tensor]:
    torch.manual_seed(0)
    block = BasicBlock(channels, channels, stride=1, plain=True).eval()
    x = torch.relu(torch.randn(2, channels, 5, 5, generator=torch.Generator().manual_seed(1)))
    return block, x


def _run_on_fresh_block(fn: Callable[[BasicBlock], Any], channels: int) -> torch.Tensor:
    block, x = _probe_block(channels)
    fn(block)
    with torch.no_grad():
        return block.eval()(x)


def _identity_reference(channels: int) -> torch.Tensor:
    return _probe_block(channels)[1]


def _centre_only_first(block: BasicBlock) -> None:
    with torch.no_grad():
        block.conv1.weight.zero_()
        for c in range(block.conv1.out_channels):
            block.conv1.weight[c, c, 1, 1] = 1.0


def _all_ones_centre(block: BasicBlock) -> None:
    with torch.no_grad():
        for conv in (block.conv1, block.conv2):
            conv.weight.zero_()
            conv.weight[:, :, 1, 1] = 1.0


def _corner_tap(block: BasicBlock) -> None:
    with torch.no_grad():
        for conv in (block.conv1, block.conv2):
            conv.weight.zero_()
            for c in range(conv.out_channels):
                conv.weight[c, c, 0, 0] = 1.0


def check_identity_block(student: Callable[[BasicBlock], Any]) -> CheckResult:
    """Exercise 9.2: ``make_identity_(block)`` sets a plain block's weights so that ``block(x) == x``
    for every ``x >= 0`` (the output of a ReLU), batch norm in eval mode with fresh statistics."""
    cases = [Case((c,), label=f"a plain block with {c} channels, x = relu(noise) [2, {c}, 5, 5]")
             for c in (1, 4)]
    return check_function(
        "make_identity_", lambda c: _run_on_fresh_block(student, c), _identity_reference, cases, [
            Mistake(lambda c: _run_on_fresh_block(_centre_only_first, c),
                    "both convolutions must pass their input through: set conv2 as well"),
            Mistake(lambda c: _run_on_fresh_block(_all_ones_centre, c),
                    "output channel c should copy input channel c only: weight[c, c, 1, 1] = 1, "
                    "every other entry 0"),
            Mistake(lambda c: _run_on_fresh_block(_corner_tap, c),
                    "use the centre tap [1, 1] of the 3x3 kernel; a corner shifts the picture"),
        ], rtol=1e-3, atol=1e-3)


# --------------------------------------------------------------------------- 08: batch norm backward

def _bn_backward_reference(grad_out: torch.Tensor, x: torch.Tensor, gamma: torch.Tensor,
                           eps: float = 1e-5) -> torch.Tensor:
    """``dL/dx`` of training-mode batch norm over ``x [N, C, H, W]`` (m = N*H*W values per channel):
    ``gamma / (m sigma) * (m g - sum g - x_hat * sum(g x_hat))``."""
    dims = (0, 2, 3)
    m = x.numel() // x.shape[1]
    mean = x.mean(dim=dims, keepdim=True)
    sigma = torch.sqrt(x.var(dim=dims, unbiased=False, keepdim=True) + eps)
    x_hat = (x - mean) / sigma
    g = grad_out
    return gamma.view(1, -1, 1, 1) / (m * sigma) * (
        m * g - g.sum(dim=dims, keepdim=True) - x_hat * (g * x_hat).sum(dim=dims, keepdim=True))


def _bn_backward_constant_stats(grad_out, x, gamma, eps=1e-5):
    sigma = torch.sqrt(x.var(dim=(0, 2, 3), unbiased=False, keepdim=True) + eps)
    return gamma.view(1, -1, 1, 1) * grad_out / sigma


def _bn_backward_no_variance_term(grad_out, x, gamma, eps=1e-5):
    sigma = torch.sqrt(x.var(dim=(0, 2, 3), unbiased=False, keepdim=True) + eps)
    g = grad_out
    return gamma.view(1, -1, 1, 1) / sigma * (g - g.mean(dim=(0, 2, 3), keepdim=True))


def check_bn_backward(student: Callable[..., Any]) -> CheckResult:
    """Exercise 8.5: ``bn_backward(grad_out, x, gamma, eps=1e-5)`` -> ``dL/dx`` (training mode)."""
    g = torch.Generator().manual_seed(83)
    cases = [Case((torch.randn(4, 1, 1, 1, generator=g), torch.tensor([1.0, 2.0, 3.0, 6.0]).view(4, 1, 1, 1),
                   torch.ones(1)), label="4 values of one channel, gamma = 1"),
             Case((torch.randn(3, 2, 2, 2, generator=g), torch.randn(3, 2, 2, 2, generator=g) * 2 + 1,
                   torch.tensor([0.5, 2.0])), label="x [3, 2, 2, 2], gamma = [0.5, 2]"),
             Case((torch.randn(8, 4, 5, 5, generator=g), torch.randn(8, 4, 5, 5, generator=g),
                   torch.rand(4, generator=g) + 0.5), label="x [8, 4, 5, 5]")]
    mistakes = [
        Mistake(_bn_backward_constant_stats, "mu_B and sigma_B depend on every x_i of the batch too: "
                "add the paths through the mean and the variance (the two sums of the formula)."),
        Mistake(_bn_backward_no_variance_term, "you kept the path through the mean but not through the "
                "variance: subtract x_hat times the mean of g * x_hat as well."),
    ]
    return check_function("bn_backward", student, _bn_backward_reference, cases, mistakes, rtol=1e-3, atol=1e-4)


def check_two_value_bn(prediction: Any, measured: tuple[float, float]) -> CheckResult:
    """Exercise 8.6: batch norm (training, gamma 1, beta 0) of the two values (3, 7)."""
    if prediction is None or prediction is ...:
        return check_value("batch norm of (3, 7)", None, measured)
    hints = [((-2.0, 2.0), "you subtracted the mean; now divide by the (biased) standard deviation, 2."),
             ((3.0, 7.0), "batch norm changes the values: subtract the batch mean, divide by its std."),
             ((-0.7071, 0.7071), "batch norm divides the sum of squares by m = 2, not m - 1 = 1.")]
    if not isinstance(prediction, (tuple, list)) or len(prediction) != 2:
        return check_value("batch norm of (3, 7)", prediction, measured,
                           [(prediction, "answer with a pair of numbers, e.g. (a, b).")])
    got = tuple(float(v) for v in prediction)
    return check_value("batch norm of (3, 7)", got, tuple(measured), hints, rtol=0, atol=2e-3)
