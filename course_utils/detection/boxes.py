"""Boxes: area, intersection over union (IoU), clipping, and the regression coding of box offsets.

A box is ``(x1, y1, x2, y2)`` in pixels (float), the convention of ``torchvision.ops``: width is
``x2 - x1`` (no "+1"). Used by notebook 12 and every detector in this package.

The coding of a box relative to a reference box (a proposal or an anchor) follows R-CNN
(Girshick et al., CVPR 2014, appendix C) as reused by Fast and Faster R-CNN::

    dx = (gx - px) / pw      dy = (gy - py) / ph      dw = log(gw / pw)      dh = log(gh / ph)

where ``(px, py, pw, ph)`` is the reference's centre and size and ``g`` the target's.
"""

from __future__ import annotations

import math

import torch

BBOX_CLIP = math.log(1000.0 / 16)
"""Largest ``dw``/``dh`` accepted when decoding, so that ``exp`` cannot overflow (as torchvision)."""


def _check_boxes(boxes: torch.Tensor, name: str) -> None:
    if boxes.dim() != 2 or boxes.shape[1] != 4:
        raise ValueError(f"{name} must have shape [N, 4] (x1, y1, x2, y2), got {tuple(boxes.shape)}")


def box_area(boxes: torch.Tensor) -> torch.Tensor:
    """Area of each box ``[N, 4] -> [N]``; an inverted box (x2 < x1) has area 0."""
    _check_boxes(boxes, "boxes")
    return (boxes[:, 2] - boxes[:, 0]).clamp(min=0) * (boxes[:, 3] - boxes[:, 1]).clamp(min=0)


def box_iou(boxes1: torch.Tensor, boxes2: torch.Tensor) -> torch.Tensor:
    """Intersection over union of every pair: ``boxes1 [N, 4]``, ``boxes2 [M, 4]`` -> ``[N, M]``.

    IoU = area(A ∩ B) / area(A ∪ B), in [0, 1]; two empty boxes have IoU 0.
    """
    _check_boxes(boxes1, "boxes1")
    _check_boxes(boxes2, "boxes2")
    top_left = torch.maximum(boxes1[:, None, :2], boxes2[None, :, :2])       # [N, M, 2]
    bottom_right = torch.minimum(boxes1[:, None, 2:], boxes2[None, :, 2:])   # [N, M, 2]
    wh = (bottom_right - top_left).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    union = box_area(boxes1)[:, None] + box_area(boxes2)[None, :] - inter
    return torch.where(union > 0, inter / union.clamp(min=1e-12), torch.zeros_like(inter))


def clip_boxes(boxes: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """Clip ``boxes [N, 4]`` to the image ``[0, width] x [0, height]``."""
    _check_boxes(boxes, "boxes")
    x = boxes[:, 0::2].clamp(0, width)
    y = boxes[:, 1::2].clamp(0, height)
    return torch.stack([x[:, 0], y[:, 0], x[:, 1], y[:, 1]], dim=1)


def _centre_size(boxes: torch.Tensor) -> tuple[torch.Tensor, ...]:
    w = boxes[:, 2] - boxes[:, 0]
    h = boxes[:, 3] - boxes[:, 1]
    return boxes[:, 0] + 0.5 * w, boxes[:, 1] + 0.5 * h, w, h


def encode_boxes(reference: torch.Tensor, target: torch.Tensor,
                 weights: tuple[float, float, float, float] = (1.0, 1.0, 1.0, 1.0)) -> torch.Tensor:
    """Regression targets that move ``reference [N, 4]`` onto ``target [N, 4]`` -> ``deltas [N, 4]``.

    ``weights`` scale ``(dx, dy, dw, dh)`` (Fast R-CNN's implementations use ``(10, 10, 5, 5)``
    to bring the targets to unit scale). References must have positive width and height.
    """
    _check_boxes(reference, "reference")
    _check_boxes(target, "target")
    if len(reference) != len(target):
        raise ValueError(f"reference has {len(reference)} boxes but target has {len(target)}; "
                         "encode_boxes pairs them one to one")
    px, py, pw, ph = _centre_size(reference)
    gx, gy, gw, gh = _centre_size(target)
    if len(reference) and bool((pw <= 0).any() | (ph <= 0).any()):
        raise ValueError("every reference box needs x2 > x1 and y2 > y1 to be encoded against")
    wx, wy, ww, wh = weights
    return torch.stack([wx * (gx - px) / pw, wy * (gy - py) / ph,
                        ww * torch.log(gw.clamp(min=1e-6) / pw), wh * torch.log(gh.clamp(min=1e-6) / ph)], dim=1)


def decode_boxes(reference: torch.Tensor, deltas: torch.Tensor,
                 weights: tuple[float, float, float, float] = (1.0, 1.0, 1.0, 1.0)) -> torch.Tensor:
    """Inverse of :func:`encode_boxes`: apply ``deltas [N, 4]`` to ``reference [N, 4]`` -> ``[N, 4]``."""
    _check_boxes(reference, "reference")
    _check_boxes(deltas, "deltas")
    px, py, pw, ph = _centre_size(reference)
    wx, wy, ww, wh = weights
    cx = px + deltas[:, 0] / wx * pw
    cy = py + deltas[:, 1] / wy * ph
    w = pw * torch.exp((deltas[:, 2] / ww).clamp(max=BBOX_CLIP))
    h = ph * torch.exp((deltas[:, 3] / wh).clamp(max=BBOX_CLIP))
    return torch.stack([cx - 0.5 * w, cy - 0.5 * h, cx + 0.5 * w, cy + 0.5 * h], dim=1)
