"""Fast R-CNN (Girshick, ICCV 2015), small: one CNN pass per image, RoI pooling, two heads.

The whole image goes through the backbone once; each proposal is projected onto the feature map
(divide by the stride) and max-pooled into a fixed ``4 x 4`` grid (:func:`roi_pool`); fully
connected layers then give class scores and a class-specific box correction. Training is one
multi-task loss: cross-entropy on the class plus smooth-L1 on the box offsets of object RoIs.
"""

from __future__ import annotations

from typing import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from .backbone import Backbone, BoxHead
from .boxes import decode_boxes, encode_boxes
from .postprocess import select_detections
from .rcnn import _rois
from .roi import roi_pool
from .sampling import label_boxes, sample_boxes

BOX_WEIGHTS = (10.0, 10.0, 5.0, 5.0)
"""Scale of the head's regression targets (dx, dy, dw, dh), as in the Fast R-CNN code."""


class FastRCNN(nn.Module):
    """Backbone + RoI pooling + :class:`BoxHead`. ``loss`` trains it, ``detect`` runs it."""

    pool_size = 4

    def __init__(self, num_classes: int, width: int = 16, rois_per_image: int = 32,
                 fg_fraction: float = 0.25) -> None:
        super().__init__()
        self.backbone = Backbone(width)
        self.head = BoxHead(Backbone.out_channels * self.pool_size ** 2, num_classes)
        self.rois_per_image, self.fg_fraction = rois_per_image, fg_fraction

    def box_stage(self, features: torch.Tensor, rois: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """``features [N, C, h, w]``, ``rois [K, 5]`` -> logits ``[K, C+1]``, deltas ``[K, C+1, 4]``."""
        pooled = roi_pool(features, rois, self.pool_size, 1.0 / Backbone.stride)
        return self.head(pooled)

    def roi_loss(self, features: torch.Tensor, proposals: Sequence[torch.Tensor],
                 targets: Sequence[dict], generator: torch.Generator | None = None) -> dict[str, torch.Tensor]:
        """Sample RoIs (proposals + ground truth), then cross-entropy + smooth-L1 on object RoIs."""
        chosen, labels, goals = [], [], []
        for props, t in zip(proposals, targets):
            boxes = torch.cat([props.detach(), t["boxes"]])
            lab, matched = label_boxes(boxes, t["boxes"], t["labels"], fg_iou=0.5, bg_iou=0.5)
            keep = sample_boxes(lab, self.rois_per_image, self.fg_fraction, generator)
            chosen.append(boxes[keep])
            labels.append(lab[keep])
            goals.append(t["boxes"][matched[keep]] if len(t["boxes"]) else boxes[keep])
        rois, labels, goals = _rois(chosen, features.device), torch.cat(labels), torch.cat(goals)
        logits, deltas = self.box_stage(features, rois)
        fg = torch.nonzero(labels > 0).flatten()
        wanted = encode_boxes(rois[fg, 1:], goals[fg], BOX_WEIGHTS)
        box_loss = F.smooth_l1_loss(deltas[fg, labels[fg]], wanted, beta=1 / 9, reduction="sum")
        return {"classifier": F.cross_entropy(logits, labels), "box": box_loss / max(len(labels), 1)}

    def loss(self, images: torch.Tensor, targets: Sequence[dict],
             proposals: Sequence[torch.Tensor] | None = None,
             generator: torch.Generator | None = None) -> dict[str, torch.Tensor]:
        """Training losses for a batch ``images [N, 1, H, W]`` with selective-search ``proposals``."""
        if proposals is None:
            raise ValueError("Fast R-CNN needs external proposals (selective search) for each image")
        return self.roi_loss(self.backbone(images), proposals, targets, generator)

    def detect_from_features(self, features: torch.Tensor, proposals: Sequence[torch.Tensor],
                             image_size: tuple[int, int], **select) -> list[dict]:
        """Score and refine each image's proposals, then keep the best boxes per class."""
        rois = _rois(proposals, features.device)
        logits, deltas = self.box_stage(features, rois)
        k, c1 = logits.shape
        refs = rois[:, None, 1:].expand(k, c1, 4).reshape(-1, 4)
        boxes = decode_boxes(refs, deltas.reshape(-1, 4), BOX_WEIGHTS).view(k, c1, 4)
        scores = logits.softmax(1)
        out, start = [], 0
        for p in proposals:
            rows = slice(start, start + len(p))
            out.append(select_detections(boxes[rows], scores[rows], image_size, **select))
            start += len(p)
        return out

    @torch.no_grad()
    def detect(self, images: torch.Tensor, proposals: Sequence[torch.Tensor] | None = None, **select) -> list[dict]:
        """Detections for ``images [N, 1, H, W]`` given each image's proposals ``[P_i, 4]``."""
        if proposals is None or len(proposals) != len(images):
            raise ValueError("Fast R-CNN needs one set of proposals per image")
        self.eval()
        return self.detect_from_features(self.backbone(images), proposals, tuple(images.shape[-2:]), **select)
