"""Checkers for notebook 11's exercise on the unrolled sum over paths (Veit, Wilber & Belongie,
NeurIPS 2016) and for predictions checked against a measurement (notebooks 11 and 12).

Built on :mod:`course_utils.checks.core`: never raises on a student's bug, answers "not done yet"
on an untouched stub.
"""

from __future__ import annotations

import math
from typing import Any

import torch

from .core import Case, CheckResult, Mistake, _finish, check_function


def check_prediction(name: str, prediction: Any, measured: float, tolerance: float, why: str) -> CheckResult:
    """A prediction within ``tolerance`` of the measurement passes; otherwise ``why`` explains.

    ``prediction`` ``...`` or ``None`` means "not done yet"; anything but a number gets a message.
    """
    if prediction is ... or prediction is None:
        return _finish(CheckResult(name, "todo", "not done yet: write your prediction first, then run again"))
    try:
        value = float(prediction)
    except (TypeError, ValueError):
        return _finish(CheckResult(name, "fail", f"the prediction must be a number, got {prediction!r}"))
    if math.isnan(value):
        return _finish(CheckResult(name, "fail", "the prediction is NaN: write a number"))
    gap = value - measured
    if abs(gap) <= tolerance:
        return _finish(CheckResult(name, "pass", f"close: you said {value:g}, measured {measured:.3g}. {why}"))
    side = "high" if gap > 0 else "low"
    return _finish(CheckResult(name, "fail", f"you said {value:g}, measured {measured:.3g} "
                                             f"(too {side} by more than {tolerance:g}). {why}"))


def _unrolled(jacobians: list) -> torch.Tensor:
    """Sum over all 2^n paths of the ordered products J_{i_k} ... J_{i_1} (later blocks on the left)."""
    n, d = len(jacobians), jacobians[0].shape[0]
    total = torch.zeros(d, d, dtype=jacobians[0].dtype)
    for mask in range(2 ** n):
        term = torch.eye(d, dtype=jacobians[0].dtype)
        for i in range(n):
            if mask >> i & 1:
                term = jacobians[i] @ term
        total = total + term
    return total


def _unrolled_wrong_order(jacobians: list) -> torch.Tensor:
    return _unrolled(jacobians[::-1])


def _unrolled_no_identity(jacobians: list) -> torch.Tensor:
    return _unrolled(jacobians) - torch.eye(jacobians[0].shape[0], dtype=jacobians[0].dtype)


def _unrolled_first_order(jacobians: list) -> torch.Tensor:
    return torch.eye(jacobians[0].shape[0], dtype=jacobians[0].dtype) + sum(jacobians)


def check_unrolled_sum(student: Any) -> CheckResult:
    """Check ``unrolled_sum(jacobians)``: the sum over the 2^n paths of the products of the chosen
    blocks' Jacobians, later blocks on the left (Veit et al. 2016, eq. 2 for the gradient)."""
    g = torch.Generator().manual_seed(0)

    def mats(n, d=3):
        return [torch.randn(d, d, generator=g, dtype=torch.float64) for _ in range(n)]

    cases = [Case((mats(1),), label="one block"), Case((mats(2),), label="two blocks"),
             Case((mats(3),), label="three blocks"), Case((mats(4, 2),), label="four blocks, 2x2")]
    mistakes = [
        Mistake(_unrolled_wrong_order, "the gradient passes the *last* block first: the product is "
                                       "J_3 J_2 J_1 (later blocks on the left), not J_1 J_2 J_3."),
        Mistake(_unrolled_no_identity, "the path that skips every block (the identity, length 0) is one of the 2^n."),
        Mistake(_unrolled_first_order, "you kept only paths of length 0 and 1; products of two or more "
                                       "Jacobians are paths too."),
    ]
    return check_function("unrolled_sum", student, _unrolled, cases, mistakes, rtol=1e-6, atol=1e-8)
