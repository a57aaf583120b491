"""Tests for course_utils.checks.resnet: right, wrong (each known mistake), stub and crashing answers."""
import math

import pytest
import torch.nn.functional as F

from answers import crash as _crash, stub as _stub
from course_utils.checks.resnet import (basic_block_reference, check_basic_block, check_bottleneck_macs,
                                        check_most_harmful_block, check_paths_of_length)


def test_basic_block():
    assert check_basic_block(basic_block_reference).status == "pass"
    assert check_basic_block(_stub).status == "todo"
    crashed = check_basic_block(_crash)
    assert crashed.status == "fail" and "ZeroDivisionError" in crashed.message
    assert "pass the function itself" in check_basic_block(3).message
    wrong = {
        "shortcut is missing": lambda x, w1, w2: F.conv2d(F.relu(F.conv2d(x, w1, padding=1)), w2, padding=1),
        "after the addition: relu(F(x) + x).": lambda x, w1, w2: F.conv2d(F.relu(F.conv2d(x, w1, padding=1)), w2, padding=1) + x,
        "not before it": lambda x, w1, w2: F.relu(F.conv2d(F.relu(F.conv2d(x, w1, padding=1)), w2, padding=1)) + x,
        "ReLU between": lambda x, w1, w2: F.relu(F.conv2d(F.conv2d(x, w1, padding=1), w2, padding=1) + x),
    }
    for hint, fn in wrong.items():
        result = check_basic_block(fn)
        assert result.status == "fail" and hint in result.message, (hint, result.message)
    no_pad = check_basic_block(lambda x, w1, w2: F.relu(F.conv2d(F.conv2d(x, w1), w2) + x))
    assert no_pad.status == "fail"


def test_bottleneck_macs():
    assert check_bottleneck_macs(lambda c, m, h, w: h * w * (2 * c * m + 9 * m * m)).status == "pass"
    assert check_bottleneck_macs(_stub).status == "todo"
    assert check_bottleneck_macs(_crash).status == "fail"
    wrong = {
        "3*3 = 9": lambda c, m, h, w: h * w * (c * m + m * m + m * c),
        "multiply by h * w": lambda c, m, h, w: c * m + 9 * m * m + m * c,
        "expands mid back": lambda c, m, h, w: h * w * (c * m + 9 * m * m),
        "only the middle": lambda c, m, h, w: h * w * 9 * (c * m + m * m + m * c),
    }
    for hint, fn in wrong.items():
        result = check_bottleneck_macs(fn)
        assert result.status == "fail" and hint in result.message, (hint, result.message)


def test_paths_of_length():
    assert check_paths_of_length(math.comb).status == "pass"
    assert check_paths_of_length(_stub).status == "todo"
    assert check_paths_of_length(_crash).status == "fail"
    for hint, fn in {"counts all paths": lambda n, k: 2 ** n, "without order": math.perm,
                     "n choose k": lambda n, k: 2 ** k}.items():
        result = check_paths_of_length(fn)
        assert result.status == "fail" and hint in result.message, (hint, result.message)


def test_most_harmful_block():
    errors = [0.1, 0.12, 0.5, 0.11, 0.3, 0.1]
    assert check_most_harmful_block(2, errors, downsampling=[2, 4]).status == "pass"
    assert check_most_harmful_block(..., errors).status == "todo"
    wrong = check_most_harmful_block(0, errors, downsampling=[2, 4])
    assert wrong.status == "fail" and "change the shape" in wrong.message
    assert check_most_harmful_block(4, [0.1, 0.1, 0.5, 0.1, 0.49], downsampling=[2, 4]).status == "pass"
    assert check_most_harmful_block(4, [0.1, 0.1, 0.5, 0.1, 0.45], downsampling=[2, 4]).status == "fail"
    plain_miss = check_most_harmful_block(0, [0.1, 0.4, 0.2], downsampling=[2])
    assert plain_miss.status == "fail" and "Hint" not in plain_miss.message
    with pytest.raises(ValueError):
        check_most_harmful_block(0, [])


def test_strict_mode_raises(monkeypatch):
    monkeypatch.setenv("COURSE_STRICT_CHECKS", "1")
    with pytest.raises(AssertionError):
        check_paths_of_length(lambda n, k: 2 ** n)
