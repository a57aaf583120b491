"""Tests for course_utils.checks.batchnorm: right, wrong (each mistake's hint), stub and crashing answers."""
import math

import pytest
import torch

from answers import crash as _crash, stub as _stub
from course_utils.checks import batchnorm as cb


def test_bn_forward_right_stub_crash():
    assert cb.check_batch_norm_forward(cb._bn_reference).status == "pass"
    assert cb.check_batch_norm_forward(_stub).status == "todo"
    result = cb.check_batch_norm_forward(_crash)
    assert result.status == "fail" and "ZeroDivisionError" in result.message


@pytest.mark.parametrize("wrong, hint", [
    (cb._bn_all_channels, "each channel separately"),
    (cb._bn_per_image, "layer norm"),
    (cb._bn_unbiased, "biased variance"),
    (cb._bn_no_eps, "eps inside"),
    (cb._bn_no_affine, "gamma * x_hat + beta"),
])
def test_bn_forward_mistakes_get_their_hint(wrong, hint):
    result = cb.check_batch_norm_forward(wrong)
    assert result.status == "fail" and hint in result.message


def test_he_std():
    assert cb.check_he_std(lambda n: math.sqrt(2 / n)).passed
    assert cb.check_he_std(_stub).status == "todo"
    assert "raised ZeroDivisionError" in cb.check_he_std(_crash).message
    assert "factor 2" in cb.check_he_std(lambda n: math.sqrt(1 / n)).message
    assert "variance" in cb.check_he_std(lambda n: 2 / n).message
    assert "whole fraction" in cb.check_he_std(lambda n: math.sqrt(2) / n).message


def _identity(block):
    with torch.no_grad():
        for conv in (block.conv1, block.conv2):
            conv.weight.zero_()
            for c in range(conv.out_channels):
                conv.weight[c, c, 1, 1] = 1.0


def test_identity_block():
    assert cb.check_identity_block(_identity).passed
    assert cb.check_identity_block(_stub).status == "todo"
    assert cb.check_identity_block(_crash).status == "fail"
    assert "set conv2 as well" in cb.check_identity_block(cb._centre_only_first).message
    assert "copy input channel c only" in cb.check_identity_block(cb._all_ones_centre).message
    assert "centre tap" in cb.check_identity_block(cb._corner_tap).message
    assert cb.check_identity_block(lambda block: None).status == "fail"


def test_strict_mode_raises(monkeypatch):
    monkeypatch.setenv("COURSE_STRICT_CHECKS", "1")
    with pytest.raises(AssertionError):
        cb.check_he_std(lambda n: 2 / n)
