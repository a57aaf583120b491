"""Checkers for notebook 11's exercises on paths and deletions (Veit, Wilber & Belongie, NeurIPS 2016)
and for predictions checked against a measurement (notebooks 11 and 12).

Built on :mod:`course_utils.checks.core`: never raises on a student's bug, answers "not done yet"
on an untouched stub.
"""

from __future__ import annotations

import math
from typing import Any, Mapping

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


def _mean_length(norms: Mapping[int, float], n: int) -> float:
    weight = {k: math.comb(n, k) * g for k, g in norms.items()}
    return sum(k * w for k, w in weight.items()) / sum(weight.values())


def check_gradient_weighted_length(student: Any) -> CheckResult:
    """Check ``gradient_weighted_length(norms, n)``: the mean path length, weighting each length
    ``k`` by the gradient all its paths carry together, ``C(n, k) * norms[k]``."""
    flat = {k: 1.0 for k in range(5)}
    falling = {k: 0.5 ** k for k in range(10)}
    cases = [Case((flat, 4), label="equal norms, n=4"), Case(({0: 1.0, 1: 1.0}, 1), label="n=1"),
             Case((falling, 9), label="norms halving with k, n=9"),
             Case(({k: 10.0 ** -k for k in range(7)}, 6), label="norms falling tenfold, n=6")]
    mistakes = [
        Mistake(lambda norms, n: sum(k * g for k, g in norms.items()) / sum(norms.values()),
                "weight each length by the number of its paths too, C(n, k) (math.comb): "
                "there are many more paths of medium length."),
        Mistake(lambda norms, n: sum(k * math.comb(n, k) for k in norms) / sum(math.comb(n, k) for k in norms),
                "that is the mean length of all paths (n / 2); weight each length by its gradient as well."),
        Mistake(lambda norms, n: sum(k * math.comb(n, k) * g for k, g in norms.items()),
                "divide by the total weight, sum_k C(n, k) * norms[k], to get a mean."),
    ]
    return check_function("gradient_weighted_length", student, _mean_length, cases, mistakes)
