"""Average precision (AP) and mean AP (mAP): how detectors are scored (PASCAL VOC, Everingham et al., IJCV 2010).

For one class: sort all detections of that class over the test set by score; walk down the list;
a detection is a *true positive* if its IoU with a not-yet-matched ground-truth box of the same
class and image is at least the threshold (0.5 for "mAP@0.5"), else a *false positive*. This
gives a precision-recall curve; AP is the area under it after making precision non-increasing
("all-point interpolation", VOC 2010 onwards). mAP is the mean of AP over classes.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import torch

from .boxes import box_iou

Detections = dict[str, torch.Tensor]
"""One image's detections ``{"boxes": [D, 4], "scores": [D], "labels": [D]}``
or ground truth ``{"boxes": [G, 4], "labels": [G]}``."""


def average_precision(recall: np.ndarray, precision: np.ndarray) -> float:
    """Area under a precision-recall curve with all-point interpolation.

    ``recall`` and ``precision`` are the values after each detection (recall non-decreasing).
    Precision is replaced by its running maximum from the right, then summed over recall steps.
    """
    recall, precision = np.asarray(recall, float), np.asarray(precision, float)
    if recall.shape != precision.shape:
        raise ValueError(f"recall {recall.shape} and precision {precision.shape} must have the same shape")
    r = np.concatenate([[0.0], recall, [recall[-1] if len(recall) else 0.0]])
    p = np.concatenate([[0.0], precision, [0.0]])
    p = np.maximum.accumulate(p[::-1])[::-1]           # envelope: best precision at this recall or more
    steps = np.nonzero(r[1:] != r[:-1])[0]
    return float(np.sum((r[steps + 1] - r[steps]) * p[steps + 1]))


def match_detections(detections: Sequence[Detections], truths: Sequence[Detections], label: int,
                     iou_threshold: float = 0.5) -> tuple[np.ndarray, np.ndarray, int]:
    """Mark each detection of class ``label`` true or false positive, best score first.

    Returns ``(scores [D], is_true_positive [D] bool, number of ground-truth boxes of the class)``.
    Each ground-truth box can be matched once; a second detection of it is a false positive.
    """
    if len(detections) != len(truths):
        raise ValueError(f"{len(detections)} images of detections but {len(truths)} of ground truth")
    records = []          # (score, image, box)
    total = 0
    for image, (det, gt) in enumerate(zip(detections, truths)):
        total += int((gt["labels"] == label).sum())
        mine = det["labels"] == label
        for score, box in zip(det["scores"][mine].tolist(), det["boxes"][mine]):
            records.append((score, image, box))
    records.sort(key=lambda r: -r[0])
    used = [torch.zeros(int((gt["labels"] == label).sum()), dtype=torch.bool) for gt in truths]
    hits = np.zeros(len(records), dtype=bool)
    for k, (_, image, box) in enumerate(records):
        gt_boxes = truths[image]["boxes"][truths[image]["labels"] == label]
        if len(gt_boxes) == 0:
            continue
        iou = box_iou(box[None].float().cpu(), gt_boxes.float().cpu())[0]
        iou[used[image]] = -1.0
        best = int(iou.argmax())
        if iou[best] >= iou_threshold:
            used[image][best] = True
            hits[k] = True
    return np.array([r[0] for r in records]), hits, total


def precision_recall(hits: np.ndarray, total: int) -> tuple[np.ndarray, np.ndarray]:
    """Precision and recall after each detection, from ``hits [D]`` (true positive or not, by score)."""
    tp = np.cumsum(hits)
    precision = tp / np.arange(1, len(hits) + 1)
    recall = tp / total if total > 0 else np.zeros(len(hits))
    return recall, precision


def mean_average_precision(detections: Sequence[Detections], truths: Sequence[Detections],
                           num_classes: int, iou_threshold: float = 0.5) -> dict[str, object]:
    """AP for classes ``1 .. num_classes`` (0 is background) and their mean.

    Returns ``{"ap": [AP of class 1, ...], "map": float}``. A class without ground truth in the
    test set is left out of the mean (its AP is reported as ``nan``).
    """
    if num_classes < 1:
        raise ValueError(f"num_classes must be at least 1, got {num_classes}")
    aps = []
    for label in range(1, num_classes + 1):
        _, hits, total = match_detections(detections, truths, label, iou_threshold)
        if total == 0:
            aps.append(float("nan"))
            continue
        recall, precision = precision_recall(hits, total)
        aps.append(average_precision(recall, precision) if len(hits) else 0.0)
    valid = [a for a in aps if not np.isnan(a)]
    return {"ap": aps, "map": float(np.mean(valid)) if valid else float("nan")}
