"""Tests for course_utils.checks.core: the checker pattern behind every exercise."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from course_utils.checks import Case, CheckResult, Mistake, check_function, check_value, same


def output_size(w, k, s, p):
    return (w + 2 * p - k) // s + 1


CASES = [Case((5, 3, 1, 0)), Case((8, 3, 2, 0)), Case((7, 3, 1, 2), label="wide padding"), Case((28, 5, 1, 2))]
MISTAKES = [
    Mistake(lambda w, k, s, p: (w + 2 * p - k) // s, "add 1: the first window also counts"),
    Mistake(lambda w, k, s, p: (w + p - k) // s + 1, "padding is added on both sides: 2 * p"),
]


def run(student) -> CheckResult:
    return check_function("output_size", student, output_size, CASES, MISTAKES)


def test_pass():
    result = run(lambda w, k, s, p: (w - k + 2 * p) // s + 1)
    assert result.passed and bool(result) and result.status == "pass"
    assert str(result) == "✓ output_size: all 4 cases correct"
    assert "#1a7f37" in result._repr_html_()


def test_fail_with_value_reason_and_no_hint():
    result = run(lambda w, k, s, p: 42)
    assert result.status == "fail" and not result
    assert str(result).startswith("✗ output_size: for input (5, 3, 1, 0): returned 42, expected 3")
    assert "Hint" not in result.message


@pytest.mark.parametrize("k", [0, 1])
def test_fail_with_mistake_hint(k):
    result = run(MISTAKES[k].wrong)
    assert result.status == "fail"
    assert result.message.endswith(f"Hint: {MISTAKES[k].hint}")


def test_first_failing_case_is_reported_with_its_label():
    result = run(lambda w, k, s, p: w - k + 1 if p else output_size(w, k, s, p))
    assert "for input wide padding:" in result.message


def test_stub_is_todo():
    def stub(w, k, s, p):
        raise NotImplementedError

    result = run(stub)
    assert result.status == "todo" and not result.passed
    assert str(result).startswith("✎ output_size: not done yet")


def test_crash_is_reported_not_raised():
    result = run(lambda w, k, s, p: w // 0)
    assert result.status == "fail"
    assert "your function raised ZeroDivisionError" in result.message and "(5, 3, 1, 0)" in result.message


@pytest.mark.parametrize("thing", [None, 3, "output_size"])
def test_not_callable(thing):
    result = run(thing)
    assert result.status == "fail" and "pass the function itself" in result.message


def test_float_for_a_whole_number():
    result = run(lambda w, k, s, p: (w + 2 * p - k) / s + 1)
    assert "for input (8, 3, 2, 0): returned 3.5, expected the whole number 3" in result.message
    assert "use //" in result.message
    assert run(lambda w, k, s, p: float(output_size(w, k, s, p))).passed  # 3.0 == 3 is fine


def test_tensor_shape_mismatch_message():
    x = torch.arange(6.0).view(2, 3)
    result = check_function("double", lambda t: (t * 2).flatten(), lambda t: t * 2, [Case((x,))])
    assert result.status == "fail"
    assert "shape (6,), expected (2, 3)" in result.message
    assert "Tensor of shape (2, 3)" in result.message  # the input is described by its shape


def test_tensor_values_and_tolerance():
    x = torch.rand(4, 4)
    assert check_function("id", lambda t: t + 1e-7, lambda t: t, [Case((x,))]).passed
    result = check_function("id", lambda t: t + 0.1, lambda t: t, [Case((x,))])
    assert "values differ (largest difference 0.1)" in result.message
    assert check_function("id", lambda t: t.numpy(), lambda t: t, [Case((x,))]).passed  # numpy is fine
    wrong_type = check_function("id", lambda t: t.tolist(), lambda t: t, [Case((x,))])
    assert "expected a Tensor, got list" in wrong_type.message


def test_in_place_student_cannot_change_the_case():
    x = torch.tensor([-1.0, 2.0, -3.0])
    cases = [Case((x,))]

    def wrong_in_place(t):  # zeroes the input and returns it: wrong, and changes its argument
        t.zero_()
        return t

    result = check_function("relu", wrong_in_place, torch.relu, cases)
    assert result.status == "fail"
    assert torch.equal(x, torch.tensor([-1.0, 2.0, -3.0]))


def test_tuple_answers():
    ref = lambda a, b: (a + b, a * b)  # noqa: E731
    assert check_function("pair", lambda a, b: [a + b, a * b], ref, [Case((2, 3))]).passed
    result = check_function("pair", lambda a, b: (a + b, a + b), ref, [Case((2, 3))])
    assert "item 1: returned 5, expected 6" in result.message
    result = check_function("pair", lambda a, b: a + b, ref, [Case((2, 3))])
    assert "expected 2 values" in result.message


def test_kwargs_are_passed_and_described():
    result = check_function("f", lambda x, scale=1: x, lambda x, scale=1: x * scale,
                            [Case((2,), {"scale": 3})])
    assert "for input (2, scale=3)" in result.message


def test_strict_mode_raises_on_fail_and_todo(monkeypatch):
    monkeypatch.setenv("COURSE_STRICT_CHECKS", "1")
    with pytest.raises(AssertionError, match="✗ output_size"):
        run(lambda w, k, s, p: 0)

    def stub(w, k, s, p):
        raise NotImplementedError

    with pytest.raises(AssertionError, match="not done yet"):
        run(stub)
    assert run(output_size).passed  # a right answer passes quietly
    with pytest.raises(AssertionError):
        check_value("answer", 1, 2)


def test_check_value():
    assert check_value("params", 3 * 3 * 64 + 64, 640).passed
    result = check_value("params", 576, 640, hints=[(576, "add the 64 biases")])
    assert result.status == "fail" and result.message.endswith("Hint: add the 64 biases")
    assert "returned 576, expected 640" in result.message
    assert check_value("params", ..., 640).status == "todo"
    assert check_value("params", None, 640).status == "todo"
    assert check_value("shape", (2, 3), (2, 3)).passed
    assert check_value("ratio", 0.33333, 1 / 3, rtol=1e-3).passed
    assert not check_value("ratio", 0.33, 1 / 3)
    assert check_value("word", "pool", "pool").passed and not check_value("word", "conv", "pool")
    assert check_value("arr", np.ones(3), torch.ones(3)).passed


def test_same_directly():
    assert same(1, 1) is None and same(True, True) is None
    assert same(True, 1) == "expected a number, got True"
    assert same("a", 1) == "expected a number, got 'a'"
    assert same(np.float32(2.0), 2.0) is None
    assert same(torch.ones(2), np.ones(2)) is None


def test_long_values_are_shortened():
    result = check_value("text", "x" * 200, "y")
    assert "..." in result.message and len(result.message) < 200
