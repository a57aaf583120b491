"""Which boxes count as object and which as background, and how many of each a step trains on.

R-CNN, Fast R-CNN and the RPN of Faster R-CNN all do the same two things with different numbers:

* :func:`label_boxes`: a box (proposal or anchor) whose best IoU with a ground-truth box is at
  least ``fg_iou`` takes that object's label; below ``bg_iou`` it is background (0); in between
  it is ignored (-1). Fast R-CNN: 0.5 / 0.5; RPN: 0.7 / 0.3, plus each object's best anchor.
* :func:`sample_boxes`: draw at most ``n`` labelled boxes with at most ``fg_fraction`` of them
  objects (Fast R-CNN: 25 % of 64 RoIs per image; RPN: up to 50 % of 256 anchors).
"""

from __future__ import annotations

import torch

from .boxes import box_iou


def label_boxes(boxes: torch.Tensor, gt_boxes: torch.Tensor, gt_labels: torch.Tensor, *,
                fg_iou: float, bg_iou: float, best_is_fg: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    """Label each of ``boxes [B, 4]`` from ``gt_boxes [G, 4]`` / ``gt_labels [G]``.

    Returns ``labels [B]`` (object label, 0 background, -1 ignore) and ``matched [B]`` (index of
    the best ground-truth box, to regress towards). ``best_is_fg`` also makes each object's
    best-overlapping box foreground (the RPN rule, so that every object gets an anchor).
    """
    if bg_iou > fg_iou:
        raise ValueError(f"bg_iou ({bg_iou}) must not exceed fg_iou ({fg_iou})")
    if len(gt_boxes) == 0:
        return torch.zeros(len(boxes), dtype=torch.long, device=boxes.device), \
            torch.zeros(len(boxes), dtype=torch.long, device=boxes.device)
    iou = box_iou(boxes, gt_boxes)                                   # [B, G]
    best_iou, matched = iou.max(1)
    labels = gt_labels[matched].clone()
    labels[best_iou < fg_iou] = -1
    labels[best_iou < bg_iou] = 0
    if best_is_fg:
        best_for_gt = iou.max(0).values                               # [G]
        rows, cols = torch.nonzero((iou == best_for_gt[None]) & (best_for_gt[None] > 0), as_tuple=True)
        labels[rows] = gt_labels[cols]
        matched[rows] = cols
    return labels, matched


def sample_boxes(labels: torch.Tensor, n: int, fg_fraction: float,
                 generator: torch.Generator | None = None) -> torch.Tensor:
    """Indices of at most ``n`` boxes: up to ``fg_fraction * n`` foreground, the rest background."""
    if n < 1 or not 0 < fg_fraction <= 1:
        raise ValueError(f"need n >= 1 and 0 < fg_fraction <= 1, got n={n}, fg_fraction={fg_fraction}")
    fg = torch.nonzero(labels > 0).flatten()
    bg = torch.nonzero(labels == 0).flatten()
    n_fg = min(len(fg), int(n * fg_fraction))
    n_bg = min(len(bg), n - n_fg)
    pick_fg = fg[torch.randperm(len(fg), generator=generator)[:n_fg].to(fg.device)]
    pick_bg = bg[torch.randperm(len(bg), generator=generator)[:n_bg].to(bg.device)]
    return torch.cat([pick_fg, pick_bg])
