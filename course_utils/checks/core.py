"""The checker pattern behind every exercise.

A student writes a function and calls its checker, e.g. ``check_output_size(output_size)``. The
checker runs the function on a few cases, compares with a reference and answers with a
:class:`CheckResult` that the notebook shows as

* ``✓ output_size: all 6 cases correct``,
* ``✗ output_size: for (W=7, K=3, S=2, P=0) you returned 3, expected 3 ...`` plus a *specific* hint
  when the wrong answer matches a known mistake (a :class:`Mistake` is a deliberately wrong
  implementation: if the student's answer equals its answer, we know what went wrong), or
* ``✎ output_size: not done yet`` while the stub still raises ``NotImplementedError``.

The checker never lets the student's exception escape as a traceback. In CI the course sets
``COURSE_STRICT_CHECKS=1``: then a failing check raises ``AssertionError`` so that a wrong
solution cell fails the test run.
"""

from __future__ import annotations

import copy
import html
import math
import os
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np
import torch

from ..i18n import _


@dataclass(frozen=True)
class CheckResult:
    """Outcome of a check: ``status`` is ``"pass"``, ``"fail"`` or ``"todo"`` (stub not filled in)."""

    name: str
    status: str
    message: str

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        mark = {"pass": "✓", "fail": "✗", "todo": "✎"}[self.status]
        return f"{mark} {self.name}: {self.message}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        color = {"pass": "#1a7f37", "fail": "#cf222e", "todo": "#9a6700"}[self.status]
        return (f'<div style="border-left:4px solid {color};padding:4px 8px;font-family:monospace">'
                f"{html.escape(str(self)).replace(chr(10), '<br>')}</div>")

    def _ipython_display_(self) -> None:
        """Shown as display data rather than as the cell's result: nbgrader (issue 16) reads a
        graded cell's result as a partial score and warns about text like this."""
        from IPython.display import display

        display({"text/plain": str(self), "text/html": self._repr_html_()}, raw=True)


@dataclass(frozen=True)
class Case:
    """One input for the student's function, with a label used in messages."""

    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    label: str = ""

    def describe(self) -> str:
        if self.label:
            return self.label
        parts = [_short(a) for a in self.args] + [f"{k}={_short(v)}" for k, v in self.kwargs.items()]
        return "(" + ", ".join(parts) + ")"


@dataclass(frozen=True)
class Mistake:
    """A known wrong implementation and the hint to give when the student's answer matches it."""

    wrong: Callable[..., Any]
    hint: str


def _short(value: Any) -> str:
    if isinstance(value, (torch.Tensor, np.ndarray)):
        return f"{type(value).__name__} of shape {tuple(value.shape)}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def same(got: Any, want: Any, *, rtol: float = 1e-4, atol: float = 1e-5) -> str | None:
    """``None`` if ``got`` matches ``want``; otherwise a short reason (shape, type or value)."""
    if isinstance(want, (torch.Tensor, np.ndarray)):
        if not isinstance(got, (torch.Tensor, np.ndarray)):
            return _("expected a {want}, got {got}").format(want=type(want).__name__, got=type(got).__name__)
        g = torch.as_tensor(np.asarray(got) if isinstance(got, np.ndarray) else got.detach().cpu())
        w = torch.as_tensor(np.asarray(want) if isinstance(want, np.ndarray) else want.detach().cpu())
        if tuple(g.shape) != tuple(w.shape):
            return _("shape {got}, expected {want}").format(got=tuple(g.shape), want=tuple(w.shape))
        if not torch.allclose(g.double(), w.double(), rtol=rtol, atol=atol):
            worst = float((g.double() - w.double()).abs().max())
            return _("values differ (largest difference {worst})").format(worst=f"{worst:.3g}")
        return None
    if isinstance(want, (tuple, list)):
        if not isinstance(got, (tuple, list)) or len(got) != len(want):
            return _("expected {n} values, got {got}").format(n=len(want), got=_short(got))
        for k, (g, w) in enumerate(zip(got, want)):
            reason = same(g, w, rtol=rtol, atol=atol)
            if reason:
                return _("item {k}: {reason}").format(k=k, reason=reason)
        return None
    if isinstance(want, (int, float)) and not isinstance(want, bool):
        if not isinstance(got, (int, float, np.number)) or isinstance(got, bool):
            return _("expected a number, got {got}").format(got=_short(got))
        if isinstance(want, int) and isinstance(got, float) and not float(got).is_integer():
            return _("returned {got}, expected the whole number {want} (use // or int())").format(got=got, want=want)
        return None if math.isclose(float(got), float(want), rel_tol=rtol, abs_tol=atol) else \
            _("returned {got}, expected {want}").format(got=_short(got), want=_short(want))
    return None if got == want else _("returned {got}, expected {want}").format(got=_short(got), want=_short(want))


def _finish(result: CheckResult) -> CheckResult:
    strict = os.environ.get("COURSE_STRICT_CHECKS", "").lower() in ("1", "true", "yes")
    if strict and not result.passed:
        raise AssertionError(str(result))
    return result


def check_function(name: str, student: Any, reference: Callable[..., Any], cases: Sequence[Case],
                   mistakes: Sequence[Mistake] = (), *, rtol: float = 1e-4, atol: float = 1e-5) -> CheckResult:
    """Run ``student`` and ``reference`` on every case and explain the first difference.

    Args:
        name: what the exercise is called in messages.
        student: the student's function (anything else gets a clear message).
        reference: the correct implementation.
        cases: the inputs to try, simplest first.
        mistakes: known wrong implementations with their hints, tried in order.
    """
    if not callable(student):
        return _finish(CheckResult(name, "fail", _("pass the function itself, e.g. check({name}) without "
                                                   "parentheses after {name}; got {got}").format(
                                                       name=name, got=_short(student))))
    for case in cases:
        want = reference(*case.args, **case.kwargs)
        args, kwargs = _fresh_inputs(case)  # a student's in-place change must not alter the case
        try:
            got = student(*args, **kwargs)
        except NotImplementedError:
            return _finish(CheckResult(name, "todo", _("not done yet: replace `raise NotImplementedError` "
                                                       "with your code and run the check again")))
        except Exception as err:  # the student's bug, reported instead of a traceback
            return _finish(CheckResult(name, "fail", _("for input {case} your function raised {error}").format(
                case=case.describe(), error=f"{type(err).__name__}: {err}")))
        reason = same(got, want, rtol=rtol, atol=atol)
        if reason is None:
            continue
        hint = next((m.hint for m in mistakes if _matches(m, case, got, rtol, atol)), None)
        message = _("for input {case}: {reason}").format(case=case.describe(), reason=reason)
        return _finish(CheckResult(name, "fail", message + _with_hint(hint)))
    return _finish(CheckResult(name, "pass", _("all {n} cases correct").format(n=len(cases))))


def _with_hint(hint: str | None) -> str:
    """The hint line of a failed check, in the student's language ("" when there is no hint)."""
    return "\n" + _("Hint: {hint}").format(hint=_(hint)) if hint else ""


def _fresh_inputs(case: Case) -> tuple[tuple, dict]:
    """A copy of the case's arguments (the originals if they cannot be copied)."""
    try:
        return copy.deepcopy((case.args, case.kwargs))
    except Exception:
        return case.args, case.kwargs


def _matches(mistake: Mistake, case: Case, got: Any, rtol: float, atol: float) -> bool:
    try:
        args, kwargs = _fresh_inputs(case)
        return same(got, mistake.wrong(*args, **kwargs), rtol=rtol, atol=atol) is None
    except Exception:
        return False


def check_value(name: str, got: Any, want: Any, hints: Sequence[tuple[Any, str]] = (),
                *, rtol: float = 1e-4, atol: float = 1e-5) -> CheckResult:
    """Check a single answer (a number, a prediction) rather than a function.

    ``hints`` pairs known wrong answers with what they reveal, e.g. ``[(49 * 64, "add the bias")]``.
    """
    if got is ... or got is None:
        return _finish(CheckResult(name, "todo", _("not done yet: fill in your answer and run again")))
    reason = same(got, want, rtol=rtol, atol=atol)
    if reason is None:
        return _finish(CheckResult(name, "pass", _("correct")))
    hint = next((h for wrong, h in hints if same(got, wrong, rtol=rtol, atol=atol) is None), None)
    return _finish(CheckResult(name, "fail", reason + _with_hint(hint)))
