"""Checkers for notebook 10's pre-activation exercise.

* :func:`check_preact_block` -- ``preact_block(x, w1, w2)``: ``x + conv(relu(conv(relu(x))))``,
  the pre-activation block of He et al. 2016 without batch norm.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from .core import Case, CheckResult, Mistake, check_function


def preact_block_reference(x: torch.Tensor, w1: torch.Tensor, w2: torch.Tensor) -> torch.Tensor:
    """``x + conv(relu(conv(relu(x), w1)), w2)``: 3x3 convolutions, padding 1, no bias, nothing
    after the addition. x ``[N, C, H, W]``, w1 and w2 ``[C, C, 3, 3]`` -> ``[N, C, H, W]``."""
    return x + F.conv2d(F.relu(F.conv2d(F.relu(x), w1, padding=1)), w2, padding=1)


def _cases() -> list[Case]:
    g = torch.Generator().manual_seed(11)
    cases = []
    for n, c, h in ((1, 1, 4), (2, 3, 5), (2, 6, 6)):
        x = torch.randn(n, c, h, h, generator=g)   # negative entries: the input is not a ReLU output
        w1, w2 = (torch.randn(c, c, 3, 3, generator=g) * 0.3 for _ in range(2))
        cases.append(Case((x, w1, w2), label=f"x [{n}, {c}, {h}, {h}] with negative entries"))
    return cases


def check_preact_block(student: Any) -> CheckResult:
    """Exercise 10.4: check ``preact_block(x, w1, w2)`` against :func:`preact_block_reference`."""
    conv = lambda t, w: F.conv2d(t, w, padding=1)  # noqa: E731
    return check_function("preact_block", student, preact_block_reference, _cases(), [
        Mistake(lambda x, w1, w2: F.relu(x + conv(F.relu(conv(F.relu(x), w1)), w2)),
                "nothing comes after the addition in a pre-activation block: drop the last ReLU"),
        Mistake(lambda x, w1, w2: F.relu(conv(F.relu(conv(x, w1)), w2) + x),
                "that is the original block; move each ReLU in front of its convolution"),
        Mistake(lambda x, w1, w2: x + conv(F.relu(conv(x, w1)), w2),
                "the residual branch starts with an activation: relu(x) goes into the first convolution"),
        Mistake(lambda x, w1, w2: conv(F.relu(conv(F.relu(x), w1)), w2),
                "the shortcut is missing: add x"),
        Mistake(lambda x, w1, w2: F.relu(x) + conv(F.relu(conv(F.relu(x), w1)), w2),
                "the shortcut carries x itself, not relu(x): that is what keeps it an identity"),
    ])
