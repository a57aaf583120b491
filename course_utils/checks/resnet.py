"""Checkers for notebooks 10 (ResNet) and 11 (why ResNet works).

* :func:`check_basic_block` -- ``basic_block(x, w1, w2)``: a residual block without batch norm;
* :func:`check_bottleneck_macs` -- ``bottleneck_macs(c, mid, h, w)``: a bottleneck's cost;
* :func:`check_paths_of_length` -- ``paths_of_length(n, k)``: paths through n residual blocks;
* :func:`check_most_harmful_block` -- a prediction checked against a deletion measurement.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import torch
import torch.nn.functional as F

from .core import Case, CheckResult, Mistake, check_function, check_value


def basic_block_reference(x: torch.Tensor, w1: torch.Tensor, w2: torch.Tensor) -> torch.Tensor:
    """``relu(conv(relu(conv(x, w1)), w2) + x)``, 3x3 convolutions with padding 1, no bias.

    x ``[N, C, H, W]``, w1 and w2 ``[C, C, 3, 3]`` -> ``[N, C, H, W]``.
    """
    f = F.conv2d(F.relu(F.conv2d(x, w1, padding=1)), w2, padding=1)
    return F.relu(f + x)


def _block_cases() -> list[Case]:
    g = torch.Generator().manual_seed(7)
    cases = []
    for n, c, h in ((1, 1, 4), (2, 3, 5), (2, 8, 7)):
        x = torch.randn(n, c, h, h, generator=g)
        w1, w2 = (torch.randn(c, c, 3, 3, generator=g) * 0.3 for _ in range(2))
        cases.append(Case((x, w1, w2), label=f"x [{n}, {c}, {h}, {h}], w1 and w2 [{c}, {c}, 3, 3]"))
    return cases


def check_basic_block(student: Any) -> CheckResult:
    """Check ``basic_block(x, w1, w2)`` against :func:`basic_block_reference`."""
    mistakes = [
        Mistake(lambda x, w1, w2: F.conv2d(F.relu(F.conv2d(x, w1, padding=1)), w2, padding=1),
                "the shortcut is missing: add the input x to F(x) before the last ReLU."),
        Mistake(lambda x, w1, w2: F.conv2d(F.relu(F.conv2d(x, w1, padding=1)), w2, padding=1) + x,
                "apply the last ReLU after the addition: relu(F(x) + x)."),
        Mistake(lambda x, w1, w2: F.relu(F.conv2d(F.relu(F.conv2d(x, w1, padding=1)), w2, padding=1)) + x,
                "the ReLU goes after the addition, not before it: relu(F(x) + x), not relu(F(x)) + x."),
        Mistake(lambda x, w1, w2: F.relu(F.conv2d(F.conv2d(x, w1, padding=1), w2, padding=1) + x),
                "F(x) has a ReLU between its two convolutions."),
    ]
    return check_function("basic_block", student, basic_block_reference, _block_cases(), mistakes)


def bottleneck_macs_reference(c: int, mid: int, h: int, w: int) -> int:
    """Multiply-adds of a stride-1 bottleneck ``c -> mid (1x1) -> mid (3x3) -> c (1x1)`` on h x w."""
    return h * w * (c * mid + 9 * mid * mid + mid * c)


def check_bottleneck_macs(student: Any) -> CheckResult:
    """Check ``bottleneck_macs(c, mid, h, w)`` (the 256 -> 64 -> 256 block of ResNet-50 first)."""
    cases = [Case((256, 64, 56, 56)), Case((512, 128, 28, 28)), Case((8, 2, 3, 5))]
    mistakes = [
        Mistake(lambda c, m, h, w: h * w * (c * m + m * m + m * c),
                "the 3x3 convolution sees 3*3 = 9 inputs per channel: 9 * mid * mid per position."),
        Mistake(lambda c, m, h, w: c * m + 9 * m * m + m * c,
                "that is the number of weights; every output position repeats them: multiply by h * w."),
        Mistake(lambda c, m, h, w: h * w * (c * m + 9 * m * m),
                "three convolutions: the last 1x1 expands mid back to c (mid * c per position)."),
        Mistake(lambda c, m, h, w: h * w * 9 * (c * m + m * m + m * c),
                "only the middle convolution is 3x3; the other two are 1x1."),
    ]
    return check_function("bottleneck_macs", student, bottleneck_macs_reference, cases, mistakes)


def check_paths_of_length(student: Any) -> CheckResult:
    """Check ``paths_of_length(n, k)``: how many of the 2**n paths through n blocks use k of them.

    Veit et al. 2016: each block is either passed through F or skipped, so the count is C(n, k).
    """
    cases = [Case((3, 1)), Case((3, 2)), Case((1, 0)), Case((1, 1)), Case((54, 27)), Case((5, 0))]
    mistakes = [
        Mistake(lambda n, k: 2 ** n, "that counts all paths; keep only those that pass through exactly k blocks."),
        Mistake(lambda n, k: math.perm(n, k), "the order of the chosen blocks is fixed by the network: "
                                              "choose k of n without order (math.comb)."),
        Mistake(lambda n, k: 2 ** k, "pick which k of the n blocks the path goes through: n choose k."),
    ]
    return check_function("paths_of_length", student, math.comb, cases, mistakes)


def check_most_harmful_block(prediction: Any, errors: Sequence[float],
                             downsampling: Sequence[int] = (), tolerance: float = 0.02) -> CheckResult:
    """Check a prediction: which single deleted block raised the test error the most?

    ``errors`` is the measured error per deleted block; a prediction whose error is within
    ``tolerance`` of the worst counts as right (the measurement has noise). ``downsampling``
    lists the blocks that change the shape (a useful hint when the prediction missed).
    """
    if not errors:
        raise ValueError("errors is empty: measure the error per deleted block first")
    worst = max(range(len(errors)), key=lambda i: errors[i])
    close = [i for i, e in enumerate(errors) if e >= errors[worst] - tolerance]
    want = prediction if prediction in close else worst
    hint = ("look at the blocks that change the shape: deleting one of them leaves only the "
            "zero-padded shortcut, which the network never had to rely on alone.")
    hints = [(i, hint) for i in range(len(errors)) if i not in close] if worst in downsampling else []
    return check_value("most harmful block", prediction, want, hints)
