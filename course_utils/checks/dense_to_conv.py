"""Checkers of notebook 01's exercises on convolution as a constrained dense layer.

* :func:`check_dense_matrix`: the dense matrix ``M [OH*OW, H*W]`` with ``M @ x.flatten()`` equal to
  the valid convolution of ``x [H, W]`` with a kernel (locality: K·K non-zeros per row; weight
  sharing: every row holds the same K·K numbers). Goodfellow, Bengio & Courville, *Deep Learning*
  (2016), section 9.2.
* :func:`check_pool_shifts`: the shifts for which conv + 2×2 max pooling commutes with a shift.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from .core import Case, CheckResult, Mistake, _finish, check_function


def _dense_matrix(kernel: torch.Tensor, h: int, w: int) -> torch.Tensor:
    """Reference: convolve every one-hot image (the columns of the identity) with ``kernel``."""
    basis = torch.eye(h * w, dtype=kernel.dtype).reshape(h * w, 1, h, w)
    columns = F.conv2d(basis, kernel[None, None])            # [H*W, 1, OH, OW]: column u of M
    return columns.reshape(h * w, -1).T.contiguous()         # [OH*OW, H*W]


def _column_major(kernel: torch.Tensor, h: int, w: int) -> torch.Tensor:
    """The mistake of numbering pixels column by column (index v*H + u) on both sides."""
    m = _dense_matrix(kernel, h, w)
    oh, ow = h - kernel.shape[0] + 1, w - kernel.shape[1] + 1
    rows = torch.arange(oh * ow).reshape(oh, ow).T.flatten()
    cols = torch.arange(h * w).reshape(h, w).T.flatten()
    return m[rows][:, cols]


def check_dense_matrix(fn: Any) -> CheckResult:
    """``fn(kernel [KH, KW], h, w) -> M [(h-KH+1)*(w-KW+1), h*w]`` with ``M @ x.flatten()`` = conv."""
    k2 = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    k3 = torch.tensor([[0.0, 1.0, 2.0], [-1.0, 5.0, 0.5], [3.0, -2.0, 1.0]])
    k23 = torch.tensor([[1.0, -1.0, 2.0], [0.5, 3.0, -2.0]])
    cases = [
        Case((k2, 3, 3), label="(kernel [[1, 2], [3, 4]], h=3, w=3)"),
        Case((k3, 4, 5), label="(3x3 kernel, h=4, w=5)"),
        Case((k23, 4, 6), label="(2x3 kernel, h=4, w=6)"),
    ]
    mistakes = [
        Mistake(lambda k, h, w: _dense_matrix(k.flip(0, 1), h, w),
                "the kernel is flipped: output (i, j) multiplies pixel (i + a, j + c) by kernel[a, c]"),
        Mistake(lambda k, h, w: _dense_matrix(k, h, w).T,
                "the matrix is transposed: one ROW per output value (OH*OW rows), one column per pixel"),
        Mistake(_column_major,
                "pixels are numbered column by column: x.flatten() numbers pixel (u, v) as u*w + v, "
                "and output (i, j) is row i*OW + j"),
        Mistake(lambda k, h, w: _dense_matrix(k, h + 1, w + 1)[:, : h * w],
                "the output has h - KH + 1 rows of positions (and w - KW + 1 columns): check the + 1"),
    ]
    return check_function("dense_matrix", fn, _dense_matrix, cases, mistakes)


EXACT_POOL_SHIFTS = [2, 4]
"""Shifts (of 1-4 pixels) after which conv + 2×2 max pooling (stride 2) gives the pooled map shifted."""


def check_pool_shifts(answer: Any) -> CheckResult:
    """``answer``: the shifts among 1, 2, 3, 4 for which pooling stays exactly equivariant."""
    name = "pool_shifts"
    if answer is ... or answer is None:
        return _finish(CheckResult(name, "todo", "not done yet: list the shifts you measured as exact, e.g. [1, 3]"))
    try:
        got = sorted({int(s) for s in answer})
    except (TypeError, ValueError):
        return _finish(CheckResult(name, "fail", f"give a list of whole numbers, e.g. [1, 3]; got {answer!r}"))
    if got == EXACT_POOL_SHIFTS:
        return _finish(CheckResult(name, "pass", "correct: only shifts that are a multiple of the pooling "
                                                 "stride (2) move every window onto a whole window"))
    hints = {(): "some shifts do give a gap of 0 (up to rounding): measure again with a threshold like 1e-5",
             (1, 2, 3, 4): "the odd shifts break it: after a 1-px shift each 2x2 window straddles two old windows",
             (1, 3): "the other way round: a shift by the stride (2) maps windows onto windows"}
    hint = hints.get(tuple(got), "compare the shifted-then-pooled map with the pooled-then-shifted one "
                                 "(shift by s // 2 after pooling) away from the borders")
    return _finish(CheckResult(name, "fail", f"you listed {got}\nHint: {hint}"))
