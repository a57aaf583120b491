"""Max and average pooling written from scratch, with the defaults of ``torch.nn.functional``.

``stride`` defaults to the window size (non-overlapping windows, the usual choice); max pooling
pads with ``-inf`` (a padded cell never wins), average pooling pads with zeros that are counted
in the mean (torch's ``count_include_pad=True``). Notebook 04 (pooling and a whole CNN).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .conv import IntPair, _pair, conv_output_size


def pool_windows(x: torch.Tensor, kernel_size: IntPair, stride: IntPair | None = None,
                 padding: IntPair = 0, fill: float = 0.0) -> torch.Tensor:
    """Every pooling window of ``x [N, C, H, W]`` as ``[N, C, OH, OW, KH*KW]``.

    The border is padded with ``fill``. Raises ``ValueError`` for a window larger than the padded
    input, a non-positive stride, or a padding over half the window (torch's rule).
    """
    if x.dim() != 4:
        raise ValueError(f"x must be [N, C, H, W] (4 dimensions), got shape {tuple(x.shape)}")
    kh, kw = _pair(kernel_size, "kernel_size")
    sh, sw = _pair(kernel_size if stride is None else stride, "stride")
    ph, pw = _pair(padding, "padding")
    for k, p in ((kh, ph), (kw, pw)):
        if p > k // 2:
            raise ValueError(f"padding {p} is more than half the window {k}; use a padding of at most {k // 2}")
    for a, (k, s, p) in enumerate(((kh, sh, ph), (kw, sw, pw))):
        conv_output_size(x.shape[2 + a], k, s, p)              # validates sizes and stride
    xp = F.pad(x, (pw, pw, ph, ph), value=fill)
    windows = xp.unfold(2, kh, sh).unfold(3, kw, sw)           # [N, C, OH, OW, KH, KW]
    return windows.reshape(*windows.shape[:4], kh * kw)


def max_pool2d(x: torch.Tensor, kernel_size: IntPair, stride: IntPair | None = None,
               padding: IntPair = 0) -> torch.Tensor:
    """The largest value in each window: ``x [N, C, H, W] -> [N, C, OH, OW]``.

    Keeps the strongest response of a detector and forgets exactly where it was (a "sharp" summary).
    """
    return pool_windows(x, kernel_size, stride, padding, fill=float("-inf")).amax(dim=-1)


def avg_pool2d(x: torch.Tensor, kernel_size: IntPair, stride: IntPair | None = None,
               padding: IntPair = 0) -> torch.Tensor:
    """The mean of each window (padding zeros included): ``x [N, C, H, W] -> [N, C, OH, OW]``.

    A "smooth" summary: a blur followed by down-sampling.
    """
    return pool_windows(x, kernel_size, stride, padding, fill=0.0).mean(dim=-1)
