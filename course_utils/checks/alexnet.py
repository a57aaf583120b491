"""Checkers for notebook 05 (AlexNet): inverted dropout, conv1's output size, the ReLU/tanh race."""

from __future__ import annotations

from typing import Any

import torch

from .core import Case, CheckResult, Mistake, _finish, check_function, check_value


def _inverted_dropout(x: torch.Tensor, keep: torch.Tensor, p: float) -> torch.Tensor:
    """Reference: zero the units where ``keep`` is False, scale the survivors by 1 / (1 - p)."""
    return torch.where(keep, x / (1 - p), torch.zeros_like(x))


def check_inverted_dropout(fn: Any) -> CheckResult:
    """Exercise 5.3: ``fn(x, keep, p)`` with ``keep`` a boolean mask (True = the unit survives)."""
    g = torch.Generator().manual_seed(5)
    x = torch.randn(4, 6, generator=g)
    cases = [
        Case((torch.ones(4), torch.tensor([True, False, True, False]), 0.5), label="(ones, keep 1 0 1 0, p=0.5)"),
        Case((x, torch.rand(4, 6, generator=g) > 0.2, 0.2), label="(x [4, 6], p=0.2)"),
        Case((-x, torch.rand(4, 6, generator=g) > 0.7, 0.7), label="(x [4, 6] with negative values, p=0.7)"),
    ]
    mistakes = [
        Mistake(lambda x, keep, p: x * keep, "the survivors must be scaled up by 1 / (1 - p), so that "
                "the expected value of each unit stays x (that is why nothing changes at test time)"),
        Mistake(lambda x, keep, p: x * keep * (1 - p), "multiply by 1 / (1 - p), not by (1 - p): the "
                "survivors stand in for the dropped units, so they grow"),
        Mistake(lambda x, keep, p: x * keep / p, "divide by the keep probability 1 - p, not by the drop "
                "probability p"),
        Mistake(lambda x, keep, p: x * ~keep / (1 - p), "keep is True where the unit SURVIVES: zero the "
                "others"),
    ]
    return check_function("inverted_dropout", fn, _inverted_dropout, cases, mistakes)


def check_conv1_side(answer: Any) -> CheckResult:
    """Exercise 5.4: conv1's output side for a 224×224 input, 11×11 kernels, stride 4, no padding."""
    hints = [(55, "55 is what the paper's figure shows, but (224 - 11) / 4 + 1 = 54.25: a framework "
                  "rounds down"),
             (54.25, "a layer has a whole number of positions: the last window that fits decides, so "
                     "round down"),
             (56, "(224 - 11) / 4 + 1 = 54.25 rounds DOWN to 54: the window must fit inside the image"),
             (53, "count the first position too: floor((W - K) / S) + 1")]
    return check_value("conv1_side", answer, 54, hints)


def check_speedup_prediction(predicted: Any, measured: float, low: float, high: float) -> CheckResult:
    """Exercise 5.5: the predicted ratio tanh steps / ReLU steps against the seeds' mean
    ``measured``; a guess inside the seeds' range [``low``, ``high``], widened by 25 % on both sides,
    passes."""
    name = "speedup_prediction"
    if predicted is ... or predicted is None:
        return _finish(CheckResult(name, "todo", "not done yet: write your prediction (a ratio, e.g. 2.0) "
                                                 "and run this cell again"))
    if isinstance(predicted, bool) or not isinstance(predicted, (int, float)) or predicted <= 0:
        return _finish(CheckResult(name, "fail", f"a prediction is one positive number; got {predicted!r}"))
    lo, hi = low / 1.25, high * 1.25
    message = (f"you predicted {float(predicted):.2f}; the seeds measured {measured:.2f} on average "
               f"(from {low:.2f} to {high:.2f}). ")
    if lo <= float(predicted) <= hi:
        return _finish(CheckResult(name, "pass", message + "Inside the band."))
    if float(predicted) > hi:
        message += ("The paper's 6x belongs to its setting (CIFAR-10, its initialisation, its net); on "
                    "our small, default-initialised net tanh is much less handicapped.")
    else:
        message += "ReLU is faster than you expected: tanh's gradient shrinks wherever |z| is large."
    return _finish(CheckResult(name, "fail", message))
