"""Anchors: the reference boxes of Faster R-CNN's region proposal network (Ren et al., NeurIPS 2015).

At every cell of a feature map with stride ``s`` (pixels per cell) sit ``A = len(sizes) *
len(ratios)`` boxes centred on the cell's centre; the RPN scores each anchor (object or not) and
regresses it onto the nearest object. The paper uses 3 sizes x 3 ratios = 9 anchors per cell.
"""

from __future__ import annotations

import math
from typing import Sequence

import torch


def anchor_shapes(sizes: Sequence[float], ratios: Sequence[float]) -> torch.Tensor:
    """The ``A = len(sizes) * len(ratios)`` anchors centred on (0, 0): ``[A, 4]``.

    ``ratio = height / width``; the area stays ``size ** 2`` whatever the ratio. Ordered size-major.
    """
    if not sizes or not ratios or min(sizes) <= 0 or min(ratios) <= 0:
        raise ValueError(f"sizes and ratios must be non-empty and positive, got {sizes} and {ratios}")
    shapes = []
    for size in sizes:
        for ratio in ratios:
            w, h = size / math.sqrt(ratio), size * math.sqrt(ratio)
            shapes.append([-w / 2, -h / 2, w / 2, h / 2])
    return torch.tensor(shapes, dtype=torch.float32)


def num_anchors(height: int, width: int, sizes: Sequence[float], ratios: Sequence[float]) -> int:
    """How many anchors a ``height x width`` feature map gets: ``H * W * len(sizes) * len(ratios)``."""
    if height < 1 or width < 1:
        raise ValueError(f"the feature map must be at least 1x1, got {height}x{width}")
    return height * width * len(sizes) * len(ratios)


def make_anchors(height: int, width: int, stride: int, sizes: Sequence[float],
                 ratios: Sequence[float], device: torch.device | str = "cpu") -> torch.Tensor:
    """All anchors of a ``height x width`` feature map: ``[H * W * A, 4]`` in image pixels.

    Order: row by row, column by column, then the ``A`` shapes of a cell -- the same order as the
    RPN's outputs ``[A, H, W]`` once permuted to ``[H, W, A]`` and flattened.
    """
    count = num_anchors(height, width, sizes, ratios)
    if stride < 1:
        raise ValueError(f"stride must be a positive number of pixels, got {stride}")
    ys = (torch.arange(height, dtype=torch.float32) + 0.5) * stride
    xs = (torch.arange(width, dtype=torch.float32) + 0.5) * stride
    cy, cx = torch.meshgrid(ys, xs, indexing="ij")
    centres = torch.stack([cx, cy, cx, cy], dim=-1).reshape(-1, 1, 4)       # [H*W, 1, 4]
    anchors = (centres + anchor_shapes(sizes, ratios)[None]).reshape(count, 4)
    return anchors.to(device)
