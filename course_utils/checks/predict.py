"""The checker of a *predict-then-measure* exercise: compare a written-down guess with a measurement.

The student writes ``my_prediction = ...`` *before* the cell that measures the quantity; then
``check_prediction("name", my_prediction, measured, rtol=0.1, why="...")`` says how close the guess
was, shows the measurement and explains it. A guess that matches a known wrong line of reasoning
gets that line's hint. Like every checker it never raises on a student's answer (except in CI's
strict mode, where a failing check raises ``AssertionError``).
"""

from __future__ import annotations

import math
from typing import Any, Sequence

from .core import CheckResult, _finish


def _number(value: Any) -> float | None:
    """``value`` as a float, or ``None`` when it is not a real number."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def check_prediction(name: str, guess: Any, measured: float, *, rtol: float = 0.1, atol: float = 0.0,
                     why: str = "", hints: Sequence[tuple[float, str]] = ()) -> CheckResult:
    """Pass when ``|guess - measured| <= max(atol, rtol * |measured|)``.

    Args:
        name: the exercise's name in messages.
        guess: the student's prediction (``...`` or ``None`` while not done).
        measured: the value the notebook measured after the prediction.
        rtol, atol: the band counted as a good prediction.
        why: the explanation shown with the answer (pass or fail).
        hints: ``(wrong value, what it reveals)`` pairs, matched with the same band.
    """
    if guess is ... or guess is None:
        return _finish(CheckResult(name, "todo", "not done yet: write your prediction (a number) and run "
                                                 "this cell again; do not change it after the measurement"))
    value = _number(guess)
    if value is None:
        return _finish(CheckResult(name, "fail", f"a prediction is one number; got {guess!r}"))
    band = max(atol, rtol * abs(measured))
    close = lambda a, b: abs(a - b) <= max(atol, rtol * abs(b))  # noqa: E731
    explanation = f"\n{why}" if why else ""
    if abs(value - measured) <= band:
        return _finish(CheckResult(name, "pass", f"you predicted {value:g}, measured {measured:.4g}: "
                                                 f"within the band ±{band:.3g}.{explanation}"))
    hint = next((h for wrong, h in hints if close(value, wrong)), None)
    message = f"you predicted {value:g}, measured {measured:.4g} (band ±{band:.3g})."
    return _finish(CheckResult(name, "fail", message + (f"\nHint: {hint}" if hint else "") + explanation))
