"""Tests for course_utils.checks.architectures: right, wrong (each hint), stub and crashing answers."""
import pytest
from torch import nn

from answers import crash, stub
from course_utils.checks.architectures import _conv_params, _vgg_block, check_conv_params, check_vgg_block


# ---------------------------------------------------------------- conv_params
def test_conv_params_right_and_paper_value():
    assert check_conv_params(_conv_params).passed
    assert _conv_params(96, 256, 5, 2) == 307_456


@pytest.mark.parametrize("wrong,hint", [
    (lambda ci, co, k, g: co * (ci // g) * k * k, "bias"),
    (lambda ci, co, k, g: co * ci * k * k + co, "c_in / g"),
    (lambda ci, co, k, g: (co // g) * (ci // g) * k * k + co, "INPUT side"),
    (lambda ci, co, k, g: co * (ci // g) * k + co, "k²"),
])
def test_conv_params_hints(wrong, hint):
    result = check_conv_params(wrong)
    assert result.status == "fail" and hint in result.message


def test_conv_params_stub_crash_and_strict(monkeypatch):
    assert check_conv_params(stub).status == "todo"
    result = check_conv_params(crash)
    assert result.status == "fail" and "ZeroDivisionError" in result.message
    monkeypatch.setenv("COURSE_STRICT_CHECKS", "1")
    with pytest.raises(AssertionError):
        check_conv_params(crash)


# ---------------------------------------------------------------- vgg_block
def test_vgg_block_right():
    assert check_vgg_block(_vgg_block).passed


def _no_pad(ci, co, n):
    return nn.Sequential(*[m for i in range(n) for m in (nn.Conv2d(ci if i == 0 else co, co, 3), nn.ReLU())],
                         nn.MaxPool2d(2))


@pytest.mark.parametrize("wrong,hint", [
    (_no_pad, "padding=1"),
    (lambda ci, co, n: _vgg_block(ci, co, n)[:-1], "max-pool"),
    (lambda ci, co, n: nn.Sequential(*[m for m in _vgg_block(ci, co, n) if not isinstance(m, nn.ReLU)]), "ReLU"),
])
def test_vgg_block_hints(wrong, hint):
    result = check_vgg_block(wrong)
    assert result.status == "fail" and hint in result.message


def test_vgg_block_stub_crash_not_module_not_callable():
    assert check_vgg_block(stub).status == "todo"
    assert check_vgg_block(crash).status == "fail"
    result = check_vgg_block(lambda ci, co, n: [nn.Conv2d(ci, co, 3)])
    assert result.status == "fail" and "nn.Module" in result.message
    assert check_vgg_block(_vgg_block(1, 2, 1)).status == "fail"
