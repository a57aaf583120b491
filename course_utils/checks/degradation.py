"""Checkers for notebook 09 (the degradation problem) that are not about batch norm.

* :func:`check_diagnose` -- ``diagnose(shallow, deep)``: degradation, overfitting or neither,
  from the final training and test errors of a shallower and a deeper network.

(Exercise 9.2, ``make_identity_``, is checked by :func:`course_utils.checks.batchnorm.check_identity_block`.)
"""

from __future__ import annotations

from typing import Any

from .core import Case, CheckResult, Mistake, check_function

MARGIN = 0.01
"""Differences of at most one point of error count as "the same"."""


def diagnose_reference(shallow: dict, deep: dict) -> str:
    """``"degradation"`` if the deeper net has the higher *training* error; else ``"overfitting"``
    if it fits its training set at least as well but has the higher *test* error; else
    ``"neither"``. ``shallow`` and ``deep`` are ``{"train": error, "test": error}`` (fractions);
    differences within :data:`MARGIN` do not count."""
    if deep["train"] > shallow["train"] + MARGIN:
        return "degradation"
    if deep["test"] > shallow["test"] + MARGIN:
        return "overfitting"
    return "neither"


def _test_only(shallow: dict, deep: dict) -> str:
    return "degradation" if deep["test"] > shallow["test"] + MARGIN else "neither"


def _no_margin(shallow: dict, deep: dict) -> str:
    if deep["train"] > shallow["train"]:
        return "degradation"
    return "overfitting" if deep["test"] > shallow["test"] else "neither"


def _gap_based(shallow: dict, deep: dict) -> str:
    if deep["test"] - deep["train"] > shallow["test"] - shallow["train"] + MARGIN:
        return "overfitting"
    return "degradation" if deep["train"] > shallow["train"] + MARGIN else "neither"


def _cases() -> list[Case]:
    pairs = [  # (shallow, deep, what it shows)
        ({"train": 0.05, "test": 0.09}, {"train": 0.15, "test": 0.16}, "deeper: worse on both"),
        ({"train": 0.05, "test": 0.09}, {"train": 0.01, "test": 0.12}, "deeper: fits better, tests worse"),
        ({"train": 0.05, "test": 0.09}, {"train": 0.03, "test": 0.08}, "deeper: better on both"),
        ({"train": 0.10, "test": 0.12}, {"train": 0.105, "test": 0.125}, "within one point"),
        ({"train": 0.02, "test": 0.10}, {"train": 0.08, "test": 0.11}, "deeper: worse training error, "
                                                                         "smaller train/test gap"),
    ]
    return [Case((s, d), label=f"shallow {s}, deep {d} ({what})") for s, d, what in pairs]


def check_diagnose(student: Any) -> CheckResult:
    """Exercise 9.3: ``diagnose(shallow, deep) -> "degradation" | "overfitting" | "neither"``."""
    return check_function("diagnose", student, diagnose_reference, _cases(), [
        Mistake(_test_only, "degradation is about the TRAINING error: a deeper net that is worse on "
                            "its own training images cannot be memorising them"),
        Mistake(_no_margin, "differences of one point or less are noise: compare with a margin of 0.01"),
        Mistake(_gap_based, "a larger train/test gap is not enough: first ask whether the deeper net "
                            "fits its training set worse (then it is degradation, whatever the gap)"),
    ])
