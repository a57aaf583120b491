"""Checkers for the exercises of notebook 07 (GoogLeNet): an Inception module's parameters,
global average pooling, and the predicted cost of the naive module."""
from __future__ import annotations

from typing import Any

import torch

from .core import Case, CheckResult, Mistake, check_function, check_value


def _inception_params(c_in: int, c1: int, r3: int, c3: int, r5: int, c5: int, pool_proj: int) -> int:
    """Weights + biases of an Inception module with 1×1 reductions (Szegedy et al. 2015, Fig. 2b)."""
    def conv(a: int, b: int, k: int) -> int:
        return a * b * k * k + b
    return (conv(c_in, c1, 1) + conv(c_in, r3, 1) + conv(r3, c3, 3) + conv(c_in, r5, 1)
            + conv(r5, c5, 5) + conv(c_in, pool_proj, 1))


def _no_bias(c_in, c1, r3, c3, r5, c5, p):
    return c_in * c1 + c_in * r3 + r3 * c3 * 9 + c_in * r5 + r5 * c5 * 25 + c_in * p


def _no_reductions(c_in, c1, r3, c3, r5, c5, p):
    return (c_in * c1 + c1) + (c_in * c3 * 9 + c3) + (c_in * c5 * 25 + c5) + (c_in * p + p)


def _no_pool_proj(c_in, c1, r3, c3, r5, c5, p):
    return _inception_params(c_in, c1, r3, c3, r5, c5, p) - (c_in * p + p)


def check_inception_params(fn: Any) -> CheckResult:
    """``fn(c_in, c1, r3, c3, r5, c5, pool_proj)``: parameters (weights + biases) of the module."""
    cases = [Case((1, 1, 1, 1, 1, 1, 1), label="all widths 1"),
             Case((4, 2, 3, 5, 1, 2, 3)),
             Case((192, 64, 96, 128, 16, 32, 32), label="module 3a"),
             Case((832, 384, 192, 384, 48, 128, 128), label="module 5b")]
    mistakes = [Mistake(_no_bias, "every convolution (six in all) also has one bias per output channel"),
                Mistake(_no_reductions, "the 3×3 and 5×5 convolutions read the r3 / r5 reduced channels, "
                                        "and the reductions themselves are 1×1 convolutions with weights"),
                Mistake(_no_pool_proj, "the pooling branch has no weights itself, but its 1×1 projection does")]
    return check_function("inception_params", fn, _inception_params, cases, mistakes)


def _gap(x: torch.Tensor) -> torch.Tensor:
    return x.mean(dim=(2, 3))


def check_global_average_pool(fn: Any) -> CheckResult:
    """``fn(x)``: x [N, C, H, W] → [N, C], the mean of each map."""
    g = torch.Generator().manual_seed(0)
    cases = [Case((torch.ones(1, 1, 2, 2),), label="a 1×1×2×2 map of ones"),
             Case((torch.arange(8.0).reshape(1, 2, 2, 2),), label="two 2×2 maps 0..3 and 4..7"),
             Case((torch.randn(3, 5, 4, 6, generator=g),), label="random x of shape [3, 5, 4, 6]")]
    mistakes = [Mistake(lambda x: x.sum(dim=(2, 3)), "average, do not add: divide by H·W"),
                Mistake(lambda x: x.amax(dim=(2, 3)), "that is global MAX pooling; GoogLeNet averages"),
                Mistake(lambda x: x.mean(dim=(2, 3), keepdim=True), "return [N, C]: drop the two 1×1 axes"),
                Mistake(lambda x: x.mean(dim=1), "average over the positions (dims 2 and 3), not over channels")]
    return check_function("global_average_pool", fn, _gap, cases, mistakes)


def check_naive_ratio_prediction(guess: Any, measured: float) -> CheckResult:
    """Predict how many times more multiply-adds module 3a needs without its 1×1 reductions."""
    hints = [(1.0, "the 5×5 branch alone reads all 192 channels without a reduction: the cost cannot stay the same"),
             (0.4, "this is the ratio the other way round: naive / reduced is above 1"),
             (25.0, "the 1×1 branch and the pool branch do not change much; only the 3×3 and 5×5 branches grow")]
    return check_value("naive / reduced multiply-adds of module 3a", guess, measured, hints, rtol=0.25)


SMALL_MODULES = [(24, 14, (16, 16, 24, 4, 8, 8)), (56, 7, (32, 32, 48, 8, 16, 16)),
                 (112, 7, (32, 32, 48, 8, 16, 16))]
"""The small GoogLeNet's Inception modules: (input channels, side, widths)."""


def naive_small_ratio() -> float:
    """Multiply-adds of the small GoogLeNet's three modules without / with 1×1 reductions."""
    from ..complexity import count_macs
    from ..models.googlenet import Inception
    reduced = sum(count_macs(Inception(c, *w), (c, s, s)) for c, s, w in SMALL_MODULES)
    naive = sum(count_macs(Inception(c, *w, reduce=False), (c, s, s)) for c, s, w in SMALL_MODULES)
    return naive / reduced


def check_naive_small_ratio(got: Any) -> CheckResult:
    """The student's measured MAC ratio of a small GoogLeNet without / with its 1×1 reductions."""
    measured = naive_small_ratio()
    return check_value("multiply-adds without / with reductions (small GoogLeNet)", got, measured,
                       [(1 / measured, "divide the naive network's count by the reduced one's")], rtol=0.02)


__all__ = ["check_inception_params", "check_global_average_pool", "check_naive_ratio_prediction",
           "check_naive_small_ratio", "naive_small_ratio"]
