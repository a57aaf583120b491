"""Checkers of notebooks 01-04: right, each common mistake (with its hint), stub, and crash."""

import pytest
import torch

from answers import stub
from course_utils.checks import conv as C


def crash(*args, **kwargs):
    """A loop that runs off the image, the crash students actually hit here."""
    raise IndexError("index 4 is out of bounds")


def loop_conv(image, kernel, bias=0.0, stride=1, *, flip=False, off_by_one=False, no_bias=False, no_stride=False):
    """A student's loop, with switches for the common mistakes."""
    k = kernel.flip(0, 1) if flip else kernel
    s = 1 if no_stride else stride
    kh, kw = k.shape
    oh, ow = (image.shape[0] - kh) // s + 1, (image.shape[1] - kw) // s + 1
    if off_by_one:
        oh, ow = oh - 1, ow - 1
    out = torch.zeros(oh, ow)
    for i in range(oh):
        for j in range(ow):
            out[i, j] = (image[i * s: i * s + kh, j * s: j * s + kw] * k).sum() + (0.0 if no_bias else bias)
    return out


CASES = [
    (C.check_conv2d_single, loop_conv, [
        (lambda *a, **k: loop_conv(*a, **k, flip=True), "flipped"),
        (lambda *a, **k: loop_conv(*a, **k, off_by_one=True), "the + 1 matters"),
        (lambda *a, **k: loop_conv(*a, **k, no_bias=True), "forgot the bias"),
        (lambda *a, **k: loop_conv(*a, **k, no_stride=True), "stride is ignored"),
    ]),
    (C.check_output_size, lambda w, k, s, p: (w + 2 * p - k) // s + 1, [
        (lambda w, k, s, p: (w + 2 * p - k) // s, "off by one"),
        (lambda w, k, s, p: (w + p - k) // s + 1, "both sides"),
        (lambda w, k, s, p: -(-(w + 2 * p - k) // s) + 1, "round down"),
        (lambda w, k, s, p: w + 2 * p - k + 1, "divide by the stride"),
        (lambda w, k, s, p: (w + 2 * p + k) // s + 1, "subtract the kernel"),
        (lambda w, k, s, p: (w + 2 * p - k) / s + 1, "use // or int()"),
    ]),
    (C.check_max_pool, lambda x, s: x[: x.shape[0] // s * s, : x.shape[1] // s * s]
        .reshape(x.shape[0] // s, s, x.shape[1] // s, s).amax(dim=(1, 3)), [
        (lambda x, s: torch.nn.functional.avg_pool2d(x[None, None], s)[0, 0], "average pooling"),
        (lambda x, s: torch.nn.functional.max_pool2d(x[None, None], s, 1)[0, 0], "overlap"),
        (lambda x, s: torch.nn.functional.max_pool2d(x[None, None].clamp(min=0), s)[0, 0], "negative values"),
    ]),
]


@pytest.mark.parametrize("check, right, wrongs", CASES, ids=lambda v: getattr(v, "__name__", ""))
def test_checker(check, right, wrongs):
    assert check(right).status == "pass"
    for wrong, hint in wrongs:
        result = check(wrong)
        assert result.status == "fail" and hint in result.message, (hint, result.message)
    assert check(stub).status == "todo"
    result = check(crash)
    assert result.status == "fail" and "IndexError" in result.message
    assert check(42).status == "fail"


def test_flatten_size():
    assert C.check_flatten_size(400).passed
    assert C.check_flatten_size(...).status == "todo"
    for wrong, hint in ((256, "pads by 2"), (784, "two poolings"), (150, "16 output channels"), (25, "channels")):
        result = C.check_flatten_size(wrong)
        assert result.status == "fail" and hint in result.message


def test_strict_mode_raises(monkeypatch):
    monkeypatch.setenv("COURSE_STRICT_CHECKS", "1")
    with pytest.raises(AssertionError, match="output_size"):
        C.check_output_size(lambda w, k, s, p: 0)
