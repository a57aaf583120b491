"""Checker for predict-then-measure exercises: a number written down before the cell that
measures it, compared with the measurement within a stated band (notebooks 09 and 10).

The band is part of the question: "within 5 points" for an error difference, "within a factor of
3" for a ratio that spans orders of magnitude. The feedback always gives the measured value and
why it came out so, so a wrong guess still teaches something.
"""

from __future__ import annotations

import math
from typing import Any

from .core import CheckResult, _finish


def check_prediction(name: str, predicted: Any, measured: float, *, within: float | None = None,
                     factor: float | None = None, why: str = "") -> CheckResult:
    """Compare a prediction with a measurement.

    Args:
        name: what was predicted (shown in the feedback).
        predicted: the student's number; ``None`` or ``...`` means "not done yet".
        measured: the value measured after the prediction.
        within: pass if ``|predicted - measured| <= within`` (an absolute band), or
        factor: pass if ``measured / factor <= predicted <= measured * factor`` (both > 0).
        why: one or two sentences explaining the measured value, shown either way.
    """
    if (within is None) == (factor is None):
        raise ValueError("give exactly one of within= (an absolute band) or factor= (a ratio band)")
    if predicted is None or predicted is ...:
        return _finish(CheckResult(name, "todo", "not done yet: write your prediction and run again"))
    try:
        p = float(predicted)
    except (TypeError, ValueError):
        return _finish(CheckResult(name, "fail", f"a prediction is one number, not {predicted!r}"))
    if not math.isfinite(p):
        return _finish(CheckResult(name, "fail", f"a prediction must be a finite number, not {p}"))
    if within is not None:
        ok = abs(p - measured) <= within
        band = f"within {within:g} of the measurement"
    else:
        ok = p > 0 and measured > 0 and measured / factor <= p <= measured * factor
        band = f"within a factor of {factor:g} of the measurement"
    verdict = "close enough" if ok else "off"
    text = f"you predicted {p:.4g}, measured {measured:.4g} ({verdict}: the band is {band})."
    if why:
        text += f"\n{why}"
    return _finish(CheckResult(name, "pass" if ok else "fail", text))
