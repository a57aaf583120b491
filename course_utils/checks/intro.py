"""Checkers for the warm-up exercise of ``00_course_map.ipynb``."""

from __future__ import annotations

from .core import Case, CheckResult, Mistake, check_function


def _numbers_in_batch(batch: int, channels: int, height: int, width: int) -> int:
    return batch * channels * height * width


def check_numbers_in_batch(fn) -> CheckResult:
    """``fn(batch, channels, height, width)`` must count the numbers in a tensor ``[N, C, H, W]``."""
    cases = [Case((1, 1, 28, 28)), Case((64, 1, 28, 28)), Case((8, 3, 224, 224)), Case((2, 3, 5, 7))]
    mistakes = [
        Mistake(lambda n, c, h, w: n * h * w, "a colour image has 3 numbers per pixel: multiply by the channels"),
        Mistake(lambda n, c, h, w: c * h * w, "that is one image: multiply by the batch size too"),
        Mistake(lambda n, c, h, w: n + c + h + w, "the sizes multiply, they do not add"),
    ]
    return check_function("numbers_in_batch", fn, _numbers_in_batch, cases, mistakes)
