"""The checkers of notebooks 04 (pooling gradient, pooling prediction) and 05 (dropout, conv1, race)."""

import torch

from course_utils.checks.alexnet import (check_conv1_side, check_inverted_dropout,
                                         check_speedup_prediction)
from course_utils.checks.pooling import check_max_pool_backward


def max_pool_backward(x, grad_out, size):
    grad = torch.zeros_like(x)
    for i in range(grad_out.shape[0]):
        for j in range(grad_out.shape[1]):
            window = x[i * size:(i + 1) * size, j * size:(j + 1) * size]
            r, c = divmod(int(window.argmax()), size)
            grad[i * size + r, j * size + c] += grad_out[i, j]
    return grad


def spread_evenly(x, grad_out, size):
    out = torch.zeros_like(x)
    h, w = grad_out.shape[0] * size, grad_out.shape[1] * size
    out[:h, :w] = grad_out.repeat_interleave(size, 0).repeat_interleave(size, 1) / size ** 2
    return out


def stub(*args):
    raise NotImplementedError


def test_max_pool_backward_passes_the_solution_and_names_the_average_mistake(monkeypatch):
    monkeypatch.delenv("COURSE_STRICT_CHECKS", raising=False)
    assert check_max_pool_backward(max_pool_backward).status == "pass"
    wrong = check_max_pool_backward(spread_evenly)
    assert wrong.status == "fail" and "average pooling" in wrong.message
    assert check_max_pool_backward(stub).status == "todo"
    assert check_max_pool_backward(lambda x, g, s: 1 / 0).status == "fail"


def test_inverted_dropout_checker(monkeypatch):
    monkeypatch.delenv("COURSE_STRICT_CHECKS", raising=False)
    good = lambda x, keep, p: torch.where(keep, x / (1 - p), torch.zeros_like(x))  # noqa: E731
    assert check_inverted_dropout(good).status == "pass"
    unscaled = check_inverted_dropout(lambda x, keep, p: x * keep)
    assert unscaled.status == "fail" and "1 / (1 - p)" in unscaled.message
    assert check_inverted_dropout(stub).status == "todo"


def test_value_and_prediction_checkers(monkeypatch):
    monkeypatch.delenv("COURSE_STRICT_CHECKS", raising=False)
    assert check_conv1_side(54).passed and not check_conv1_side(55).passed
    assert "54.25" in check_conv1_side(55).message and check_conv1_side(...).status == "todo"
    assert check_speedup_prediction(1.1, 1.0, 0.9, 1.2).passed
    assert not check_speedup_prediction(6.0, 1.0, 0.9, 1.2).passed
    assert check_speedup_prediction("six", 1.0, 0.9, 1.2).status == "fail"


def test_strict_mode_raises_on_a_wrong_answer(monkeypatch):
    monkeypatch.setenv("COURSE_STRICT_CHECKS", "1")
    try:
        check_conv1_side(55)
    except AssertionError:
        return
    raise AssertionError("a failing check must raise in strict mode")
