"""Checkers for the exercises of notebooks 01 (convolution), 02 (stride and padding) and 04 (pooling).

Each encodes the common mistakes as :class:`~course_utils.checks.core.Mistake` s: a flipped kernel,
a forgotten bias, an ignored stride, an off-by-one output size, average instead of max.
"""

from __future__ import annotations

import torch

from ..ops.conv import conv2d_fast
from ..ops.pool import avg_pool2d, max_pool2d
from .core import Case, CheckResult, Mistake, check_function, check_value


# --------------------------------------------------------------------------- 01: the conv loop

def _conv2d_single(image: torch.Tensor, kernel: torch.Tensor, bias: float = 0.0, stride: int = 1) -> torch.Tensor:
    return conv2d_fast(image[None, None], kernel[None, None], torch.tensor([float(bias)]), stride)[0, 0]


def check_conv2d_single(fn) -> CheckResult:
    """``fn(image [H, W], kernel [KH, KW], bias=0.0, stride=1) -> [OH, OW]``, no padding."""
    img4 = torch.arange(16.0).reshape(4, 4)
    img5 = torch.tensor([[1.0, 0, 2, 1, 0], [0, 3, 1, 0, 2], [2, 1, 0, 1, 1], [1, 0, 2, 3, 0], [0, 1, 1, 0, 2]])
    asym = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    sobel = torch.tensor([[-1.0, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    cases = [
        Case((img4, asym), label="(4x4 image 0..15, kernel [[1, 2], [3, 4]])"),
        Case((img5, sobel), {"bias": 1.5}, label="(5x5 image, Sobel kernel, bias=1.5)"),
        Case((img5, sobel), {"stride": 2}, label="(5x5 image, Sobel kernel, stride=2)"),
        Case((torch.arange(30.0).reshape(5, 6) % 7, asym), {"bias": -1.0, "stride": 2},
             label="(5x6 image, 2x2 kernel, bias=-1, stride=2)"),
    ]
    mistakes = [
        Mistake(lambda x, k, bias=0.0, stride=1: _conv2d_single(x, k.flip(0, 1), bias, stride),
                "your kernel is flipped: deep learning's 'convolution' multiplies image[i + a, j + b] "
                "by kernel[a, b] (cross-correlation), without turning the kernel around"),
        Mistake(lambda x, k, bias=0.0, stride=1: _conv2d_single(x, k, bias, stride)[:-1, :-1],
                "one row and one column are missing: there are H - KH + 1 window positions, "
                "so loop over range(H - KH + 1) (the + 1 matters)"),
        Mistake(lambda x, k, bias=0.0, stride=1: _conv2d_single(x, k, 0.0, stride),
                "you forgot the bias: add it once to every output value"),
        Mistake(lambda x, k, bias=0.0, stride=1: _conv2d_single(x, k, bias, 1),
                "the stride is ignored: output (i, j) starts at row i * stride, column j * stride, "
                "and there are (H - KH) // stride + 1 positions"),
    ]
    return check_function("conv2d_single", fn, _conv2d_single, cases, mistakes)


# --------------------------------------------------------------------------- 02: output size, cost

def _output_size(w: int, k: int, s: int, p: int) -> int:
    return (w + 2 * p - k) // s + 1


def check_output_size(fn) -> CheckResult:
    """``fn(w, k, s, p)``: the output size of a convolution along one axis."""
    cases = [Case((7, 3, 1, 0)), Case((7, 3, 2, 0)), Case((28, 5, 1, 2)), Case((8, 3, 2, 0)),
             Case((32, 3, 2, 1)), Case((227, 11, 4, 0))]
    mistakes = [
        Mistake(lambda w, k, s, p: (w + 2 * p - k) // s,
                "off by one: the first window also counts, so add 1 after dividing"),
        Mistake(lambda w, k, s, p: (w + p - k) // s + 1, "padding is added on both sides: use 2·p"),
        Mistake(lambda w, k, s, p: -(-(w + 2 * p - k) // s) + 1,
                "round down, not up: a window that would stick out of the padded input is not used"),
        Mistake(lambda w, k, s, p: (w + 2 * p - k) + 1, "divide by the stride: the window jumps s cells"),
        Mistake(lambda w, k, s, p: (w + 2 * p + k) // s + 1, "subtract the kernel size: the window must fit"),
    ]
    return check_function("output_size", fn, _output_size, cases, mistakes)


# --------------------------------------------------------------------------- 03: pooling

def _max_pool(x: torch.Tensor, size: int) -> torch.Tensor:
    return max_pool2d(x[None, None], size)[0, 0]


def check_max_pool(fn) -> CheckResult:
    """``fn(x [H, W], size) -> [H // size, W // size]``: max pooling with stride = size."""
    cases = [
        Case((torch.tensor([[1.0, 3, 2, 0], [4, 2, 1, 5], [0, 1, 3, 2], [2, 6, 1, 1]]), 2), label="(4x4 example, size=2)"),
        Case((-(torch.arange(36.0).reshape(6, 6) % 5) - 1, 3), label="(6x6, all values negative, size=3)"),
        Case((torch.arange(35.0).reshape(5, 7) % 4, 2), label="(5x7, size=2: the last row and column are left over)"),
    ]
    mistakes = [
        Mistake(lambda x, size: avg_pool2d(x[None, None], size)[0, 0],
                "that is average pooling: take the largest value of each window (max)"),
        Mistake(lambda x, size: max_pool2d(x[None, None], size, 1)[0, 0],
                "the windows overlap: move by `size` cells (stride = size), not by 1"),
        Mistake(lambda x, size: max_pool2d(x[None, None].clamp(min=0), size)[0, 0],
                "negative values got lost: start the maximum from the first value of the window, not from 0"),
    ]
    return check_function("max_pool", fn, _max_pool, cases, mistakes)


def check_flatten_size(answer) -> CheckResult:
    """The number of values LeNet-5 flattens for one 1x28x28 image (16 maps of 5x5 = 400)."""
    hints = [
        (16 * 4 * 4, "the first convolution pads by 2, so it keeps 28x28; then 28 -> 14 -> 10 -> 5"),
        (16 * 7 * 7, "there are two poolings: 28 -> 14 (pool) -> 10 (conv 5x5) -> 5 (pool)"),
        (6 * 5 * 5, "the second conv layer has 16 output channels"),
        (5 * 5, "multiply by the number of channels"),
    ]
    return check_value("flatten_size", answer, 400, hints)
