"""How much does a small shift change an image's representation? (notebooks 01 and 04)

For each image and each shift of ``d`` pixels we compare the representation of the image with the
representation of the shifted image by cosine similarity (1 = same direction). Flattened pixels
are compared with conv (+ pooling) features; the claim of notebook 01 is that pooled conv features
change much less than raw pixels, and notebook 04 compares max with average pooling.
"""

from __future__ import annotations

from typing import Callable, Sequence

import torch
import torch.nn.functional as F

from ..ops.conv import conv2d_fast
from ..ops.pool import avg_pool2d, max_pool2d

Features = Callable[[torch.Tensor], torch.Tensor]


def shift_images(images: torch.Tensor, dx: int, dy: int = 0, fill: float = 0.0) -> torch.Tensor:
    """Move ``images [N, C, H, W]`` right by ``dx`` and down by ``dy`` pixels (negative: left/up).

    Pixels that leave the frame are lost; the uncovered border gets ``fill`` (the background).
    """
    n, c, h, w = images.shape
    if abs(dx) >= w or abs(dy) >= h:
        raise ValueError(f"a shift of ({dx}, {dy}) pixels moves a {h}x{w} image out of the frame; "
                         f"use |dx| < {w} and |dy| < {h}")
    out = torch.full_like(images, fill)
    src_y, dst_y = slice(max(0, -dy), h - max(0, dy)), slice(max(0, dy), h - max(0, -dy))
    src_x, dst_x = slice(max(0, -dx), w - max(0, dx)), slice(max(0, dx), w - max(0, -dx))
    out[:, :, dst_y, dst_x] = images[:, :, src_y, src_x]
    return out


def edge_kernels() -> torch.Tensor:
    """Four fixed 3x3 edge detectors (vertical, horizontal, two diagonals) as ``[4, 1, 3, 3]``."""
    v = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])   # Sobel, x direction
    d = torch.tensor([[0.0, 1.0, 2.0], [-1.0, 0.0, 1.0], [-2.0, -1.0, 0.0]])   # diagonal
    return torch.stack([v, v.T, d, d.flip(1)])[:, None]


def conv_pool_features(images: torch.Tensor, pool: str | None = "max", window: int = 7,
                       kernels: torch.Tensor | None = None) -> torch.Tensor:
    """Edge responses, ReLU, then ``window``x``window`` pooling: ``[N, 1, H, W] -> [N, 4 * ...]``.

    ``pool`` is ``"max"``, ``"avg"`` or ``None`` (no pooling: the conv maps themselves).
    """
    k = (kernels if kernels is not None else edge_kernels()).to(images)
    maps = F.relu(conv2d_fast(images, k, padding=k.shape[-1] // 2))
    if pool == "max":
        maps = max_pool2d(maps, window)
    elif pool == "avg":
        maps = avg_pool2d(maps, window)
    elif pool is not None:
        raise ValueError(f"pool must be 'max', 'avg' or None, got {pool!r}")
    return maps.flatten(1)


def flatten_pixels(images: torch.Tensor) -> torch.Tensor:
    """The "no convolution" representation: every pixel as one long vector ``[N, C*H*W]``."""
    return images.flatten(1)


def shift_similarity(images: torch.Tensor, representations: dict[str, Features],
                     shifts: Sequence[int] = (1, 2, 3, 4)) -> dict[str, list[float]]:
    """Mean cosine similarity between each image's representation and its shifted copy's.

    Args:
        images: ``[N, 1, H, W]`` with the background at 0 (raw pixels in [0, 1]).
        representations: name -> function ``[N, 1, H, W] -> [N, D]``.
        shifts: horizontal shifts in pixels.
    Returns:
        name -> one mean similarity per shift (same order as ``shifts``).
    """
    out: dict[str, list[float]] = {name: [] for name in representations}
    for d in shifts:
        moved = shift_images(images, d)
        for name, represent in representations.items():
            sim = F.cosine_similarity(represent(images), represent(moved), dim=1, eps=1e-8)
            out[name].append(float(sim.mean()))
    return out
