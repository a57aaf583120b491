"""Region-of-interest (RoI) pooling and crop warping.

* :func:`roi_pool`: Fast R-CNN's RoI max pooling (Girshick, ICCV 2015, section 2.1) with the bin
  arithmetic of ``torchvision.ops.roi_pool``: the box is scaled by ``spatial_scale`` and rounded
  (half away from zero) to feature-map cells; it covers ``round(x2) - round(x1) + 1`` cells; bin
  ``p`` of ``n`` covers cells ``floor(p * size / n)`` to ``ceil((p + 1) * size / n)`` (exclusive)
  from the box's first cell, clipped to the map; an empty bin outputs 0.
* :func:`roi_pool_naive`: the same with explicit loops, to read and to test against.
* :func:`warp_crops`: R-CNN's "warp each proposal to a fixed size" (Girshick et al., CVPR 2014),
  by bilinear sampling.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def _pair(size: int | tuple[int, int]) -> tuple[int, int]:
    oh, ow = (size, size) if isinstance(size, int) else size
    if oh < 1 or ow < 1:
        raise ValueError(f"output_size must be positive, got {size}")
    return int(oh), int(ow)


def _check(features: torch.Tensor, rois: torch.Tensor) -> None:
    if features.dim() != 4:
        raise ValueError(f"features must be [N, C, H, W], got shape {tuple(features.shape)}")
    if rois.dim() != 2 or rois.shape[1] != 5:
        raise ValueError(f"rois must be [K, 5] (batch index, x1, y1, x2, y2), got {tuple(rois.shape)}")
    if len(rois) and (rois[:, 0].min() < 0 or rois[:, 0].max() >= len(features)):
        raise ValueError(f"roi batch indices must lie in [0, {len(features) - 1}]")


def _round_half_away(x: torch.Tensor) -> torch.Tensor:
    """C's ``round``: 2.5 -> 3, -2.5 -> -3 (``torch.round`` would give 2, banker's rounding)."""
    return torch.sign(x) * torch.floor(x.abs() + 0.5)


def _bin_edges(start: torch.Tensor, end: torch.Tensor, bins: int, limit: int) -> tuple[torch.Tensor, torch.Tensor]:
    """First and one-past-last cell of each bin along one axis: ``[K]`` -> two ``[K, bins]``."""
    length = (end - start + 1).clamp(min=1).to(torch.float32)
    bin_size = length[:, None] / bins
    p = torch.arange(bins, device=start.device, dtype=torch.float32)[None, :]
    lo = torch.floor(p * bin_size).long() + start[:, None]
    hi = torch.ceil((p + 1) * bin_size).long() + start[:, None]
    return lo.clamp(0, limit), hi.clamp(0, limit)


def _range_max(x: torch.Tensor, lo: torch.Tensor, hi: torch.Tensor) -> torch.Tensor:
    """Max of ``x [K, ..., L]`` over cells ``lo .. hi - 1`` of its last axis, per bin: -> ``[K, ..., bins]``.

    ``lo``, ``hi`` are ``[K, bins]``. Each bin reads ``longest`` cells from ``lo``; indices past
    ``hi - 1`` repeat the last cell of the bin, which leaves the maximum unchanged.
    """
    longest = max(int((hi - lo).max()), 1)
    steps = torch.arange(longest, device=x.device)
    index = torch.minimum(lo[..., None] + steps, (hi - 1).clamp(min=0)[..., None])  # [K, bins, longest]
    index = index.clamp(min=0, max=x.shape[-1] - 1)
    middle = x.shape[1:-1]
    index = index.view(len(x), *([1] * len(middle)), -1).expand(len(x), *middle, -1)  # [K, ..., bins * longest]
    picked = torch.gather(x, -1, index)
    return picked.view(*picked.shape[:-1], lo.shape[1], longest).amax(-1)


def roi_pool(features: torch.Tensor, rois: torch.Tensor, output_size: int | tuple[int, int],
             spatial_scale: float = 1.0) -> torch.Tensor:
    """Max-pool each RoI into a fixed grid: ``features [N, C, H, W]``, ``rois [K, 5]`` -> ``[K, C, oh, ow]``.

    ``rois`` rows are ``(batch index, x1, y1, x2, y2)`` in image pixels; ``spatial_scale`` maps
    pixels to feature cells (1 / the backbone's stride). Vectorised: a bin is a rectangle, so its
    maximum is the maximum over its rows of the maximum over its columns.
    """
    _check(features, rois)
    oh, ow = _pair(output_size)
    _, _, height, width = features.shape
    if len(rois) == 0:
        return features.new_zeros(0, features.shape[1], oh, ow)
    cells = _round_half_away(rois[:, 1:] * spatial_scale).long()            # [K, 4] x1, y1, x2, y2
    x_lo, x_hi = _bin_edges(cells[:, 0], cells[:, 2], ow, width)             # [K, ow]
    y_lo, y_hi = _bin_edges(cells[:, 1], cells[:, 3], oh, height)            # [K, oh]
    x = features[rois[:, 0].long()]                                          # [K, C, H, W]
    per_col = _range_max(x, x_lo, x_hi)                                      # [K, C, H, ow]
    pooled = _range_max(per_col.transpose(2, 3), y_lo, y_hi).transpose(2, 3)  # [K, C, oh, ow]
    empty = (x_hi <= x_lo)[:, None, :] | (y_hi <= y_lo)[:, :, None]         # [K, oh, ow]
    return torch.where(empty[:, None], torch.zeros((), dtype=x.dtype, device=x.device), pooled)


def roi_pool_naive(features: torch.Tensor, rois: torch.Tensor, output_size: int | tuple[int, int],
                   spatial_scale: float = 1.0) -> torch.Tensor:
    """:func:`roi_pool` written as loops over RoIs and bins (slow; for reading and testing)."""
    _check(features, rois)
    oh, ow = _pair(output_size)
    _, channels, height, width = features.shape
    out = features.new_zeros(len(rois), channels, oh, ow)
    c_round = lambda v: int(math.copysign(math.floor(abs(v) + 0.5), v))  # noqa: E731  C's round
    for k, (b, x1, y1, x2, y2) in enumerate(rois.tolist()):
        sx, sy = c_round(x1 * spatial_scale), c_round(y1 * spatial_scale)
        ex, ey = c_round(x2 * spatial_scale), c_round(y2 * spatial_scale)
        bin_w, bin_h = max(ex - sx + 1, 1) / ow, max(ey - sy + 1, 1) / oh
        for i in range(oh):
            h0 = min(max(math.floor(i * bin_h) + sy, 0), height)
            h1 = min(max(math.ceil((i + 1) * bin_h) + sy, 0), height)
            for j in range(ow):
                w0 = min(max(math.floor(j * bin_w) + sx, 0), width)
                w1 = min(max(math.ceil((j + 1) * bin_w) + sx, 0), width)
                if h1 > h0 and w1 > w0:
                    out[k, :, i, j] = features[int(b), :, h0:h1, w0:w1].amax(dim=(-2, -1))
    return out


def warp_crops(images: torch.Tensor, rois: torch.Tensor, size: int) -> torch.Tensor:
    """Cut each RoI out of ``images [N, C, H, W]`` and resize it to ``[K, C, size, size]`` (bilinear).

    ``rois [K, 5]`` as in :func:`roi_pool`. The aspect ratio is not kept: R-CNN "warps" every
    proposal to the network's input size, whatever its shape.
    """
    _check(images, rois)
    if size < 1:
        raise ValueError(f"size must be positive, got {size}")
    _, _, height, width = images.shape
    x1, y1, x2, y2 = rois[:, 1:].unbind(1)
    t = (torch.arange(size, device=images.device, dtype=images.dtype) + 0.5) / size       # [S] in (0, 1)
    gx = (x1[:, None] + t * (x2 - x1)[:, None]) / width * 2 - 1                             # [K, S]
    gy = (y1[:, None] + t * (y2 - y1)[:, None]) / height * 2 - 1
    grid = torch.stack([gx[:, None, :].expand(-1, size, -1), gy[:, :, None].expand(-1, -1, size)], dim=-1)
    return F.grid_sample(images[rois[:, 0].long()], grid, mode="bilinear", align_corners=False)
