"""Region proposals for R-CNN and Fast R-CNN: selective search (Uijlings et al., IJCV 2013).

Selective search over-segments the image (Felzenszwalb & Huttenlocher's graph segmentation), then
greedily merges the two most similar neighbouring regions (colour, texture, size, fill) until one
region is left; every region ever formed gives a box. It has no learned parameters: R-CNN and
Fast R-CNN take its boxes as given. We call OpenCV-contrib's implementation
(``cv2.ximgproc.segmentation``), in its "fast" mode, with a segmentation scale ``k`` suited to
small canvases.
"""

from __future__ import annotations

from typing import Sequence

import cv2
import numpy as np
import torch

from .boxes import box_iou


def selective_search(image: torch.Tensor | np.ndarray, *, max_proposals: int = 200, min_size: int = 6,
                     k: int = 50, sigma: float = 0.8) -> torch.Tensor:
    """Selective-search boxes for one grey image ``[1, H, W]`` or ``[H, W]`` (values in [0, 1]).

    Returns float ``[P, 4]`` (x1, y1, x2, y2), at most ``max_proposals``, in OpenCV's order
    (hierarchical grouping order with a little randomness, as in the paper), without boxes
    narrower or lower than ``min_size`` pixels and without duplicates.
    """
    a = image.detach().cpu().numpy() if isinstance(image, torch.Tensor) else np.asarray(image)
    if a.ndim == 3 and a.shape[0] == 1:
        a = a[0]
    if a.ndim != 2:
        raise ValueError(f"expected one grey image [1, H, W] or [H, W], got shape {a.shape}")
    if max_proposals < 1 or k < 1:
        raise ValueError(f"max_proposals ({max_proposals}) and k ({k}) must be at least 1")
    cv2.setNumThreads(1)
    rgb = np.repeat((np.clip(a, 0, 1) * 255).astype(np.uint8)[..., None], 3, axis=2)
    search = cv2.ximgproc.segmentation.createSelectiveSearchSegmentation()
    search.setBaseImage(rgb)
    search.switchToSelectiveSearchFast(base_k=k, inc_k=k, sigma=sigma)
    rects = search.process()                               # [P, 4] as (x, y, w, h)
    keep = (rects[:, 2] >= min_size) & (rects[:, 3] >= min_size)
    rects = rects[keep]
    _, first = np.unique(rects, axis=0, return_index=True)
    rects = rects[np.sort(first)][:max_proposals]
    boxes = np.concatenate([rects[:, :2], rects[:, :2] + rects[:, 2:]], axis=1)
    return torch.as_tensor(boxes, dtype=torch.float32).reshape(-1, 4)


def proposals_for(images: torch.Tensor, **kwargs) -> list[torch.Tensor]:
    """:func:`selective_search` on each image of ``images [N, 1, H, W]`` -> N tensors ``[P_i, 4]``."""
    return [selective_search(img, **kwargs) for img in images]


def proposal_recall(proposals: Sequence[torch.Tensor], truths: Sequence[torch.Tensor],
                    iou_threshold: float = 0.5) -> float:
    """Fraction of ground-truth boxes that some proposal of the same image covers with IoU >= threshold."""
    if len(proposals) != len(truths):
        raise ValueError(f"{len(proposals)} images of proposals but {len(truths)} of ground truth")
    found, total = 0, 0
    for props, gt in zip(proposals, truths):
        total += len(gt)
        if len(gt) and len(props):
            found += int((box_iou(gt, props.to(gt.device)).amax(1) >= iou_threshold).sum())
    if total == 0:
        raise ValueError("no ground-truth boxes to recall")
    return found / total
