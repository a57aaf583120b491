"""Non-maximum suppression (NMS): keep the best box of each cluster of overlapping detections.

Greedy NMS as used by R-CNN, Fast and Faster R-CNN (and ``torchvision.ops.nms``): sort the boxes
by score; keep the best; drop every remaining box whose IoU with it is *greater* than the
threshold; repeat with the best box left. Notebook 12 explores the threshold with a widget.
"""

from __future__ import annotations

import numpy as np
import torch

from .boxes import box_iou


def nms(boxes: torch.Tensor, scores: torch.Tensor, iou_threshold: float) -> torch.Tensor:
    """Indices of the boxes kept, highest score first: ``boxes [N, 4]``, ``scores [N]`` -> ``[K]`` (int64).

    A box is suppressed when its IoU with an already kept box is greater than ``iou_threshold``.
    """
    if boxes.dim() != 2 or boxes.shape[1] != 4:
        raise ValueError(f"boxes must have shape [N, 4], got {tuple(boxes.shape)}")
    if scores.shape != (len(boxes),):
        raise ValueError(f"scores must have shape [{len(boxes)}] (one per box), got {tuple(scores.shape)}")
    if not 0.0 <= iou_threshold <= 1.0:
        raise ValueError(f"iou_threshold must lie in [0, 1], got {iou_threshold}")
    order = torch.argsort(scores, descending=True, stable=True)
    overlap = (box_iou(boxes[order], boxes[order]) > iou_threshold).cpu().numpy()
    suppressed = np.zeros(len(order), dtype=bool)
    kept = []
    for i in range(len(order)):          # the greedy loop, one kept box at a time
        if suppressed[i]:
            continue
        kept.append(i)
        suppressed |= overlap[i]
    return order[torch.as_tensor(kept, dtype=torch.long, device=order.device)]


def batched_nms(boxes: torch.Tensor, scores: torch.Tensor, labels: torch.Tensor,
                iou_threshold: float) -> torch.Tensor:
    """NMS within each class separately (boxes of different ``labels [N]`` never suppress each other).

    Returns kept indices, highest score first. Trick: shift each class's boxes far apart so that
    boxes of different classes cannot overlap, then run one :func:`nms`.
    """
    if len(boxes) == 0:
        return torch.zeros(0, dtype=torch.long, device=boxes.device)
    if labels.shape != (len(boxes),):
        raise ValueError(f"labels must have shape [{len(boxes)}], got {tuple(labels.shape)}")
    offset = labels.to(boxes.dtype)[:, None] * (boxes.max() + 1)
    return nms(boxes + offset, scores, iou_threshold)
