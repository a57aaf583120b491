"""Exercise checkers. The pattern is in :mod:`course_utils.checks.core`; each notebook's checkers
live in a module named after its topic (e.g. ``course_utils.checks.conv``)."""

from .core import Case, CheckResult, Mistake, check_function, check_value, same

__all__ = ["Case", "CheckResult", "Mistake", "check_function", "check_value", "same"]
