"""2-D convolution written from scratch: a readable loop and a fast im2col version.

Both functions follow ``torch.nn.functional.conv2d`` exactly (NCHW layout, cross-correlation,
i.e. the kernel is *not* flipped, zero padding, ``stride`` and ``padding`` as an int or a pair),
so each can be checked against it. Notebooks 01 (convolution) and 02 (stride and padding).

Output size along one axis (Dumoulin & Visin, "A guide to convolution arithmetic for deep
learning", 2016)::

    out = floor((size + 2 * padding - kernel_size) / stride) + 1
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

IntPair = int | tuple[int, int]


def _pair(value: IntPair, name: str) -> tuple[int, int]:
    """``3 -> (3, 3)``; ``(3, 5)`` stays; anything else raises ``ValueError``."""
    pair = (value, value) if isinstance(value, int) else tuple(value)
    if len(pair) != 2 or not all(isinstance(v, int) for v in pair):
        raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")
    return pair  # type: ignore[return-value]


def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0) -> int:
    """Length of a convolution's (or pooling's) output along one axis.

    ``floor((size + 2 * padding - kernel_size) / stride) + 1``; e.g. 28, 5, 1, 2 -> 28.

    Raises:
        ValueError: a non-positive size, kernel or stride, a negative padding, or a kernel larger
            than the padded input (the message says what would fit).
    """
    if size < 1:
        raise ValueError(f"input size must be at least 1, got {size}")
    if kernel_size < 1:
        raise ValueError(f"kernel size must be at least 1, got {kernel_size}")
    if stride < 1:
        raise ValueError(f"stride must be at least 1 (the window moves by whole pixels), got {stride}")
    if padding < 0:
        raise ValueError(f"padding must be 0 or more, got {padding}")
    padded = size + 2 * padding
    if kernel_size > padded:
        raise ValueError(f"kernel size {kernel_size} is larger than the padded input "
                         f"{size} + 2·{padding} = {padded}; use a kernel of at most {padded} "
                         f"or a padding of at least {(kernel_size - size + 1) // 2}")
    return (padded - kernel_size) // stride + 1


def _check(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None,
           stride: IntPair, padding: IntPair) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
    """Validate the inputs of a convolution; return ``(stride, padding, output size)`` as pairs."""
    if x.dim() != 4:
        raise ValueError(f"x must be [N, C, H, W] (4 dimensions), got shape {tuple(x.shape)}")
    if weight.dim() != 4:
        raise ValueError(f"weight must be [C_out, C_in, KH, KW], got shape {tuple(weight.shape)}")
    if weight.shape[1] != x.shape[1]:
        raise ValueError(f"x has {x.shape[1]} channels but weight expects C_in = {weight.shape[1]}; "
                         f"use a weight of shape [C_out, {x.shape[1]}, KH, KW]")
    if bias is not None and tuple(bias.shape) != (weight.shape[0],):
        raise ValueError(f"bias must have one value per output channel, shape ({weight.shape[0]},), "
                         f"got {tuple(bias.shape)}")
    s, p = _pair(stride, "stride"), _pair(padding, "padding")
    out = tuple(conv_output_size(x.shape[2 + a], weight.shape[2 + a], s[a], p[a]) for a in (0, 1))
    return s, p, out  # type: ignore[return-value]


def conv2d_naive(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None,
                 stride: IntPair = 1, padding: IntPair = 0) -> torch.Tensor:
    """Convolution as the definition says: slide the kernel, multiply and sum, one position at a time.

    Args:
        x: input ``[N, C_in, H, W]``.
        weight: kernels ``[C_out, C_in, KH, KW]``.
        bias: ``[C_out]`` or ``None``.
    Returns:
        feature maps ``[N, C_out, OH, OW]`` (sizes from :func:`conv_output_size`).
    """
    (sh, sw), (ph, pw), (oh, ow) = _check(x, weight, bias, stride, padding)
    kh, kw = weight.shape[2:]
    xp = F.pad(x, (pw, pw, ph, ph))                            # zeros around the border
    out = x.new_zeros(x.shape[0], weight.shape[0], oh, ow)
    for i in range(oh):                                        # output row
        for j in range(ow):                                    # output column
            patch = xp[:, :, i * sh: i * sh + kh, j * sw: j * sw + kw]        # [N, C_in, KH, KW]
            # every kernel times the patch, summed over channels and the window -> [N, C_out]
            out[:, :, i, j] = (patch[:, None] * weight[None]).sum(dim=(2, 3, 4))
    if bias is not None:
        out += bias[None, :, None, None]
    return out


def im2col(x: torch.Tensor, kernel_size: IntPair, stride: IntPair = 1, padding: IntPair = 0) -> torch.Tensor:
    """Every window of ``x [N, C, H, W]`` as one column: ``[N, C*KH*KW, OH*OW]``.

    Same layout as ``torch.nn.functional.unfold``; built from ``Tensor.unfold`` (a strided view,
    no copy) and one reshape.
    """
    (kh, kw), (sh, sw), (ph, pw) = _pair(kernel_size, "kernel_size"), _pair(stride, "stride"), _pair(padding, "padding")
    for a, (k, s, p) in enumerate(((kh, sh, ph), (kw, sw, pw))):
        conv_output_size(x.shape[2 + a], k, s, p)              # validates
    xp = F.pad(x, (pw, pw, ph, ph))
    windows = xp.unfold(2, kh, sh).unfold(3, kw, sw)           # [N, C, OH, OW, KH, KW]
    n, c, oh, ow = windows.shape[:4]
    return windows.permute(0, 1, 4, 5, 2, 3).reshape(n, c * kh * kw, oh * ow)


def conv2d_fast(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None,
                stride: IntPair = 1, padding: IntPair = 0) -> torch.Tensor:
    """The same convolution as one matrix product: im2col, then ``[C_out, C_in*KH*KW] @ columns``.

    Shapes as in :func:`conv2d_naive`. This is how early GPU libraries ran convolutions
    (Chellapilla, Puri & Simard, "High performance convolutional neural networks for document
    processing", 2006).
    """
    _s, _p, (oh, ow) = _check(x, weight, bias, stride, padding)
    cols = im2col(x, weight.shape[2:], stride, padding)        # [N, C_in*KH*KW, OH*OW]
    out = weight.reshape(weight.shape[0], -1) @ cols           # [N, C_out, OH*OW]
    if bias is not None:
        out = out + bias[None, :, None]
    return out.reshape(x.shape[0], weight.shape[0], oh, ow)


@dataclass(frozen=True)
class ConvCost:
    """What one conv layer costs for one image: weights, multiply-adds and the output's size."""

    params: int
    macs: int
    output_size: tuple[int, int]
    output_values: int


def conv_cost(in_channels: int, out_channels: int, kernel_size: IntPair, input_size: IntPair,
              stride: IntPair = 1, padding: IntPair = 0, bias: bool = True) -> ConvCost:
    """Count a conv layer's parameters and multiply-adds (MACs) from its hyper-parameters.

    ``params = (KH*KW*C_in + 1) * C_out`` (the ``+ 1`` is the bias), and each of the
    ``C_out * OH * OW`` output values costs ``KH*KW*C_in`` multiply-adds. E.g. LeNet's first
    layer, ``conv_cost(1, 6, 5, 28, padding=2)``: 156 parameters, 117,600 MACs.
    """
    if in_channels < 1 or out_channels < 1:
        raise ValueError(f"channels must be at least 1, got in_channels={in_channels}, "
                         f"out_channels={out_channels}")
    (kh, kw), (h, w) = _pair(kernel_size, "kernel_size"), _pair(input_size, "input_size")
    (sh, sw), (ph, pw) = _pair(stride, "stride"), _pair(padding, "padding")
    oh, ow = conv_output_size(h, kh, sh, ph), conv_output_size(w, kw, sw, pw)
    per_value = kh * kw * in_channels
    params = (per_value + (1 if bias else 0)) * out_channels
    return ConvCost(params, per_value * out_channels * oh * ow, (oh, ow), out_channels * oh * ow)
