"""R-CNN (Girshick, Donahue, Darrell & Malik, CVPR 2014), small: proposals -> warp -> CNN -> classify -> NMS.

Every selective-search proposal is cut out of the image and warped to ``crop_size x crop_size``;
each crop goes through the whole CNN on its own, and a classifier scores it for every class and
background. That repeated CNN pass per proposal is what makes R-CNN slow. Here the classifier is
the softmax layer the network is fine-tuned with (the paper trains linear SVMs on top of it, and
adds a box regressor in its appendix; both are left out to keep the first detector simple).
"""

from __future__ import annotations

from typing import Sequence

import torch
from torch import nn

from .backbone import Backbone, BoxHead
from .dataset import DetectionSet
from .postprocess import select_detections
from .roi import warp_crops
from .sampling import label_boxes, sample_boxes


def _rois(proposals: Sequence[torch.Tensor], device: torch.device) -> torch.Tensor:
    """Per-image boxes -> ``[K, 5]`` rows (batch index, x1, y1, x2, y2)."""
    rows = [torch.cat([torch.full((len(p), 1), float(i), device=device), p.to(device)], 1)
            for i, p in enumerate(proposals)]
    return torch.cat(rows) if rows else torch.zeros(0, 5, device=device)


class RCNN(nn.Module):
    """Crop classifier: ``crops [K, 1, crop_size, crop_size] -> logits [K, num_classes + 1]``."""

    crop_size = 64

    def __init__(self, num_classes: int, width: int = 16) -> None:
        super().__init__()
        self.backbone = Backbone(width)
        self.pool = nn.AdaptiveMaxPool2d(4)
        self.head = BoxHead(Backbone.out_channels * 16, num_classes, with_boxes=False)

    def forward(self, crops: torch.Tensor) -> torch.Tensor:
        return self.head(self.pool(self.backbone(crops)))[0]

    @torch.no_grad()
    def detect(self, images: torch.Tensor, proposals: Sequence[torch.Tensor], **select) -> list[dict]:
        """Detections for ``images [N, 1, H, W]`` given each image's proposals ``[P_i, 4]``."""
        if len(images) != len(proposals):
            raise ValueError(f"{len(images)} images but {len(proposals)} proposal sets")
        self.eval()
        dev = images.device
        rois = _rois(proposals, dev)
        crops = warp_crops(images, rois, self.crop_size)           # one crop per proposal ...
        scores = self(crops).softmax(1) if len(crops) else torch.zeros(0, self.head.num_classes + 1, device=dev)
        out, start = [], 0                                          # ... each through the whole CNN
        for p in proposals:
            rows = slice(start, start + len(p))
            out.append(select_detections(p.to(dev), scores[rows], tuple(images.shape[-2:]), **select))
            start += len(p)
        return out


def rcnn_training_crops(data: DetectionSet, proposals: Sequence[torch.Tensor], *, per_image: int = 16,
                        fg_fraction: float = 0.25, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Warped training crops ``[M, 1, S, S]`` and labels ``[M]`` (0 = background), as R-CNN fine-tunes.

    Candidates are each image's proposals plus its ground-truth boxes; IoU >= 0.5 with an object
    takes its label, anything less is background; ``per_image`` are sampled with up to
    ``fg_fraction`` objects.
    """
    if len(proposals) != len(data):
        raise ValueError(f"{len(data)} images but {len(proposals)} proposal sets")
    gen = torch.Generator().manual_seed(seed)
    crops, labels = [], []
    for i in range(len(data)):                       # one canvas at a time keeps memory small
        boxes = torch.cat([proposals[i], data.boxes[i]])
        lab, _ = label_boxes(boxes, data.boxes[i], data.labels[i], fg_iou=0.5, bg_iou=0.5)
        keep = sample_boxes(lab, per_image, fg_fraction, gen)
        crops.append(warp_crops(data.images[i:i + 1], _rois([boxes[keep]], data.images.device), RCNN.crop_size))
        labels.append(lab[keep])
    return torch.cat(crops), torch.cat(labels)
