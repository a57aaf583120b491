"""Checkers of notebooks 01-02's mathematics exercises: right answers pass, each common mistake gets
its hint, the stub is "not done yet", a crash is reported; the references agree with PyTorch and
with a gradient measurement."""

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from answers import crash, stub
from course_utils.checks import conv_arithmetic as A
from course_utils.checks import dense_to_conv as D
from course_utils.checks.predict import check_prediction


# ------------------------------------------------------------------------------ 01: dense matrix
def loop_dense(kernel, h, w, *, flip=False, transpose=False, column_major=False):
    """A student's loop answer, with switches for the common mistakes."""
    k = kernel.flip(0, 1) if flip else kernel
    kh, kw = k.shape
    oh, ow = h - kh + 1, w - kw + 1
    m = torch.zeros(oh * ow, h * w)
    for i in range(oh):
        for j in range(ow):
            for a in range(kh):
                for c in range(kw):
                    row = j * oh + i if column_major else i * ow + j
                    col = (j + c) * h + (i + a) if column_major else (i + a) * w + (j + c)
                    m[row, col] = k[a, c]
    return m.T if transpose else m


def test_dense_matrix_reference_is_conv2d():
    kernel, x = torch.randn(3, 2), torch.randn(5, 6)
    m = D._dense_matrix(kernel, 5, 6)
    assert torch.allclose((m @ x.flatten()).reshape(3, 5), F.conv2d(x[None, None], kernel[None, None])[0, 0], atol=1e-5)
    assert torch.equal(m, loop_dense(kernel, 5, 6))


@pytest.mark.parametrize("switch, hint", [("flip", "flipped"), ("transpose", "transposed"),
                                          ("column_major", "column by column")])
def test_dense_matrix_mistakes(switch, hint):
    assert D.check_dense_matrix(loop_dense).passed
    result = D.check_dense_matrix(lambda k, h, w: loop_dense(k, h, w, **{switch: True}))
    assert result.status == "fail" and hint in result.message, result.message


def test_dense_matrix_stub_crash_and_strict(monkeypatch):
    assert D.check_dense_matrix(stub).status == "todo"
    assert D.check_dense_matrix(crash).status == "fail"
    monkeypatch.setenv("COURSE_STRICT_CHECKS", "1")
    with pytest.raises(AssertionError):
        D.check_dense_matrix(crash)


def test_pool_shifts_answer_is_measured():
    torch.manual_seed(0)
    conv = nn.Conv2d(1, 4, 3, padding=1)
    x = torch.zeros(1, 1, 24, 24)
    x[..., 6:18, 6:18] = torch.rand(12, 12)
    exact = []
    with torch.no_grad():
        base = F.max_pool2d(conv(x), 2)
        for s in (1, 2, 3, 4):
            moved = F.max_pool2d(conv(torch.roll(x, s, dims=-1)), 2)
            if s % 2 == 0 and (moved - torch.roll(base, s // 2, dims=-1)).abs().max() < 1e-5:
                exact.append(s)
            if s % 2 == 1:
                gaps = [(moved - torch.roll(base, t, dims=-1)).abs().max() for t in range(3)]
                assert min(gaps) > 1e-3
    assert exact == D.EXACT_POOL_SHIFTS
    assert D.check_pool_shifts([4, 2]).passed and D.check_pool_shifts(...).status == "todo"
    assert "odd shifts" in D.check_pool_shifts([1, 2, 3, 4]).message
    assert D.check_pool_shifts("two").status == "fail"


# ------------------------------------------------------------------------------ predictions
def test_check_prediction_band_hints_and_todo():
    assert check_prediction("p", 10.5, 10.0, rtol=0.1).passed
    result = check_prediction("p", 20, 10.0, rtol=0.1, hints=[(20, "doubled")], why="because")
    assert result.status == "fail" and "doubled" in result.message and "because" in result.message
    assert check_prediction("p", ..., 10.0).status == "todo"
    assert check_prediction("p", None, 10.0).status == "todo"
    assert check_prediction("p", "ten", 10.0).status == "fail"
    assert check_prediction("p", float("nan"), 10.0).status == "fail"
    assert check_prediction("p", 3, 4.0, atol=1).passed


# ------------------------------------------------------------------------------ 02: same padding
def test_same_padding_reference_against_pytorch():
    for w in range(1, 20):
        for k in range(1, 6):
            for s in range(1, 4):
                for d in range(1, 4):
                    begin, end = A._same_padding(w, k, s, d)
                    assert 0 <= begin <= end <= begin + 1
                    x = F.pad(torch.zeros(1, 1, 1, w), (begin, end))
                    if x.shape[-1] < d * (k - 1) + 1:
                        continue
                    out = F.conv2d(x, torch.zeros(1, 1, 1, k), stride=(1, s), dilation=(1, d)).shape[-1]
                    assert out == -(-w // s), (w, k, s, d)


def right_same(w, k, s=1, d=1):
    total = max((-(-w // s) - 1) * s + d * (k - 1) + 1 - w, 0)
    return total // 2, total - total // 2


@pytest.mark.parametrize("wrong, hint", [
    (lambda w, k, s=1, d=1: right_same(w, k, s), "dilation"),
    (lambda w, k, s=1, d=1: right_same(w, k, s, d)[::-1], "END"),
    (lambda w, k, s=1, d=1: (d * (k - 1) // 2, d * (k - 1) - d * (k - 1) // 2), "ceil(w / s)"),
    (lambda w, k, s=1, d=1: (lambda t: (t // 2, t - t // 2))((-(-w // s) - 1) * s + d * (k - 1) + 1 - w), "negative"),
])
def test_same_padding_mistakes(wrong, hint):
    assert A.check_same_padding(right_same).passed
    result = A.check_same_padding(wrong)
    assert result.status == "fail" and hint in result.message, result.message
    assert A.check_same_padding(stub).status == "todo"
    assert A.check_same_padding(crash).status == "fail"


# ------------------------------------------------------------------------------ 02: input window
def measured_window(layers, i, size=64):
    """Input cells with a non-zero gradient of output i (1-D stack of ones-weight convs, float64)."""
    convs = [nn.Conv1d(1, 1, k, stride=s, padding=p, dilation=d, bias=False).double() for k, s, p, d in layers]
    for conv in convs:
        nn.init.ones_(conv.weight)
    x = torch.zeros(1, 1, size, dtype=torch.float64, requires_grad=True)
    nn.Sequential(*convs)(x)[0, 0, i].backward()
    hit = torch.nonzero(x.grad[0, 0]).flatten()
    return int(hit[0]), int(hit[-1])


@pytest.mark.parametrize("layers, i", [
    ([(3, 1, 0, 1)], 5), ([(3, 2, 1, 1), (3, 2, 1, 1)], 4), ([(3, 1, 0, 2), (3, 1, 0, 1)], 3),
    ([(5, 2, 2, 1), (3, 1, 1, 2), (2, 2, 0, 1)], 3), ([(7, 2, 3, 1), (3, 2, 1, 1), (3, 1, 2, 2)], 6),
])
def test_input_window_reference_matches_the_gradient(layers, i):
    assert A._input_window(layers, i)[0] >= 0, "the window must lie inside the input to be measured"
    assert A._input_window(layers, i) == measured_window(layers, i)


@pytest.mark.parametrize("wrong, hint", [
    (lambda layers, i: A._input_window(list(layers)[::-1], i), "LAST to the first"),
    (lambda layers, i: A._input_window([(k, s, 0, d) for k, s, p, d in layers], i), "padding"),
    (lambda layers, i: A._input_window([(k, s, p, 1) for k, s, p, d in layers], i), "dilated"),
    (lambda layers, i: (A._input_window(layers, i)[0], A._input_window(layers, i)[1] + 1), "inclusive"),
])
def test_input_window_mistakes(wrong, hint):
    assert A.check_input_window(A._input_window).passed
    result = A.check_input_window(wrong)
    assert result.status == "fail" and hint in result.message, result.message
    assert A.check_input_window(stub).status == "todo"
    assert A.check_input_window(crash).status == "fail"


def test_dilation_vs_stride_answer_is_measured():
    def stack(layers):
        convs = [nn.Conv1d(1, 1, 3, stride=s, dilation=d, bias=False) for s, d in layers]
        for conv in convs:
            nn.init.ones_(conv.weight)
        return nn.Sequential(*convs)
    answer = []
    for layers in ([(1, d) for d in (1, 2, 4, 8)], [(2, 1)] * 4):
        x = torch.zeros(1, 1, 64, requires_grad=True)
        out = stack(layers)(x)
        out[0, 0, out.shape[-1] // 2].backward()
        hit = torch.nonzero(x.grad[0, 0]).flatten()
        answer.append((int(hit[-1] - hit[0]) + 1, out.shape[-1]))
    (fd, sd), (fs, ss) = answer
    assert (fd, fs, sd, ss) == A.DILATED_VS_STRIDED
    assert A.check_dilation_vs_stride(fd, fs, sd, ss).passed
    assert A.check_dilation_vs_stride(..., ..., ..., ...).status == "todo"
    assert "2·d" in A.check_dilation_vs_stride(9, 31, 34, 3).message
    assert A.check_dilation_vs_stride("a", 31, 34, 3).status == "fail"
