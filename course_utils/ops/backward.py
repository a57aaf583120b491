"""Backpropagation through the course's ops, written from scratch (notebook 03, how a CNN learns).

Each ``*_backward`` function takes the gradient of the loss with respect to an op's output
(``grad_out``, the "upstream" gradient) and the op's inputs, and returns the gradients with respect
to those inputs: the chain rule, one op at a time. They match ``torch.autograd`` and are checked
against it and against finite differences in ``tests/test_conv_backward.py``.

For a convolution (stride ``s``, zero-padded input ``x_p``)::

    y[n, o, i, j]   = b[o] + sum_{c,u,v} w[o, c, u, v] * x_p[n, c, s*i + u, s*j + v]
    dL/dw[o, c, u, v] = sum_{n,i,j} g[n, o, i, j] * x_p[n, c, s*i + u, s*j + v]   (a correlation of x with g)
    dL/db[o]        = sum_{n,i,j} g[n, o, i, j]
    dL/dx_p[n, c, a, b] = sum_{o,u,v : a = s*i + u, b = s*j + v} g[n, o, i, j] * w[o, c, u, v]
                      (for s = 1: a full convolution of g with the flipped kernel)

Both sums are computed by looping over the kernel's ``KH * KW`` taps: tap ``(u, v)`` touches the
input positions ``u, u + s, u + 2s, ...`` (a strided slice), so each tap is one batched product.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .conv import IntPair, _check, _pair
from .pool import pool_windows


def conv2d_backward(grad_out: torch.Tensor, x: torch.Tensor, weight: torch.Tensor,
                    stride: IntPair = 1, padding: IntPair = 0
                    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Gradients of a convolution (as :func:`~course_utils.ops.conv2d_fast`) w.r.t. input, kernel, bias.

    Args:
        grad_out: ``dL/dy``, ``[N, C_out, OH, OW]`` (the shape of the convolution's output).
        x: the convolution's input ``[N, C_in, H, W]``.
        weight: its kernels ``[C_out, C_in, KH, KW]``.
        stride, padding: as in the forward pass, an int or a pair ``(vertical, horizontal)``.
    Returns:
        ``(grad_x [N, C_in, H, W], grad_weight [C_out, C_in, KH, KW], grad_bias [C_out])``.
        Input rows or columns that no window reaches (a stride that does not divide evenly) get 0.
    Raises:
        ValueError: inconsistent shapes, with what was expected.
    """
    (sh, sw), (ph, pw), (oh, ow) = _check(x, weight, None, stride, padding)
    expected = (x.shape[0], weight.shape[0], oh, ow)
    if tuple(grad_out.shape) != expected:
        raise ValueError(f"grad_out must have the shape of the convolution's output {expected}, "
                         f"got {tuple(grad_out.shape)}")
    kh, kw = weight.shape[2:]
    xp = F.pad(x, (pw, pw, ph, ph))
    grad_xp = torch.zeros_like(xp)
    grad_weight = torch.zeros_like(weight)
    for u in range(kh):
        for v in range(kw):
            rows, cols = slice(u, u + sh * (oh - 1) + 1, sh), slice(v, v + sw * (ow - 1) + 1, sw)
            seen = xp[:, :, rows, cols]                                   # [N, C_in, OH, OW]
            # kernel tap (u, v) multiplied `seen` into every output: its gradient sums g * seen
            grad_weight[:, :, u, v] = torch.einsum("noij,ncij->oc", grad_out, seen)
            # and every input value it touched receives g times the tap's weight
            grad_xp[:, :, rows, cols] += torch.einsum("noij,oc->ncij", grad_out, weight[:, :, u, v])
    grad_x = grad_xp[:, :, ph: ph + x.shape[2], pw: pw + x.shape[3]]
    return grad_x, grad_weight, grad_out.sum(dim=(0, 2, 3))


def relu_backward(grad_out: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """Gradient of ``relu(x) = max(x, 0)``: ``grad_out`` where ``x > 0``, else 0 (any shape).

    At ``x = 0`` exactly the derivative is undefined; like PyTorch we use 0.
    """
    if grad_out.shape != x.shape:
        raise ValueError(f"grad_out {tuple(grad_out.shape)} and x {tuple(x.shape)} must have the same shape")
    return grad_out * (x > 0).to(grad_out.dtype)


def max_pool2d_backward(grad_out: torch.Tensor, x: torch.Tensor, kernel_size: IntPair,
                        stride: IntPair | None = None, padding: IntPair = 0) -> torch.Tensor:
    """Gradient of :func:`~course_utils.ops.max_pool2d` w.r.t. its input ``x [N, C, H, W]``.

    Each window passes its ``grad_out`` value to the one input that won it (the first of equal
    maxima, as PyTorch does); every other input of the window gets nothing. Overlapping windows
    add up. Returns ``grad_x [N, C, H, W]``.
    """
    windows = pool_windows(x, kernel_size, stride, padding, fill=float("-inf"))   # [N, C, OH, OW, K]
    if tuple(grad_out.shape) != tuple(windows.shape[:4]):
        raise ValueError(f"grad_out must have the shape of the pooling's output {tuple(windows.shape[:4])}, "
                         f"got {tuple(grad_out.shape)}")
    (kh, kw), (ph, pw) = _pair(kernel_size, "kernel_size"), _pair(padding, "padding")
    sh, sw = _pair(kernel_size if stride is None else stride, "stride")
    oh, ow = windows.shape[2:4]
    winner = F.one_hot(windows.argmax(dim=-1), kh * kw).to(grad_out.dtype)         # [N, C, OH, OW, K]
    routed = (winner * grad_out[..., None]).reshape(*windows.shape[:4], kh, kw)
    grad_xp = x.new_zeros(x.shape[0], x.shape[1], x.shape[2] + 2 * ph, x.shape[3] + 2 * pw)
    for u in range(kh):
        for v in range(kw):
            grad_xp[:, :, u: u + sh * (oh - 1) + 1: sh, v: v + sw * (ow - 1) + 1: sw] += routed[..., u, v]
    return grad_xp[:, :, ph: ph + x.shape[2], pw: pw + x.shape[3]]
