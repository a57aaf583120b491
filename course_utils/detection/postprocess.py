"""From per-box class scores to final detections: score threshold, per-class NMS, top-k.

The last step of all three detectors (R-CNN section 2.2; Fast R-CNN section 2.2): each class
scores every region; regions of one class that overlap a better one of the same class by more
than ``nms_iou`` are dropped.
"""

from __future__ import annotations

import torch

from .boxes import clip_boxes
from .nms import batched_nms


def select_detections(boxes: torch.Tensor, scores: torch.Tensor, image_size: tuple[int, int], *,
                      score_threshold: float = 0.05, nms_iou: float = 0.5,
                      max_detections: int = 20) -> dict[str, torch.Tensor]:
    """Final detections of one image.

    Args:
        boxes: ``[K, num_classes + 1, 4]`` a box per region and class (the same box repeated when
            a detector does not regress boxes), or ``[K, 4]``.
        scores: ``[K, num_classes + 1]`` class probabilities (column 0: background).
        image_size: ``(height, width)`` to clip to.

    Returns:
        ``{"boxes": [D, 4], "scores": [D], "labels": [D]}``, best first, labels in ``1 .. num_classes``.
    """
    if scores.dim() != 2 or scores.shape[1] < 2:
        raise ValueError(f"scores must be [K, num_classes + 1] with a background column, got {tuple(scores.shape)}")
    k, c1 = scores.shape
    if boxes.dim() == 2:
        boxes = boxes[:, None, :].expand(k, c1, 4)
    labels = torch.arange(c1, device=scores.device)[None].expand(k, c1)
    boxes, scores, labels = boxes[:, 1:].reshape(-1, 4), scores[:, 1:].reshape(-1), labels[:, 1:].reshape(-1)
    boxes = clip_boxes(boxes, *image_size)
    keep = (scores > score_threshold) & (boxes[:, 2] > boxes[:, 0]) & (boxes[:, 3] > boxes[:, 1])
    boxes, scores, labels = boxes[keep], scores[keep], labels[keep]
    keep = batched_nms(boxes, scores, labels, nms_iou)[:max_detections]
    return {"boxes": boxes[keep], "scores": scores[keep], "labels": labels[keep]}
