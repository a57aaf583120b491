"""Faster R-CNN (Ren, He, Girshick & Sun, NeurIPS 2015), small: an RPN on the shared features feeds Fast R-CNN.

The region proposal network (:mod:`.rpn`) replaces selective search: it reads the same feature
map as the RoI head, so proposals cost almost nothing. Trained end to end with the four losses
summed ("approximate joint training", the paper's section 3.2): RPN objectness and boxes, head
classifier and boxes; the proposals fed to the head are treated as constants.
"""

from __future__ import annotations

from typing import Sequence

import torch

from .backbone import Backbone
from .fast_rcnn import FastRCNN
from .rpn import RegionProposalNetwork


class FasterRCNN(FastRCNN):
    """:class:`FastRCNN` whose proposals come from its own :class:`RegionProposalNetwork`."""

    def __init__(self, num_classes: int, width: int = 16, rois_per_image: int = 32,
                 fg_fraction: float = 0.25, **rpn_options) -> None:
        super().__init__(num_classes, width, rois_per_image, fg_fraction)
        self.rpn = RegionProposalNetwork(Backbone.out_channels, Backbone.stride, **rpn_options)

    def loss(self, images: torch.Tensor, targets: Sequence[dict],
             proposals: Sequence[torch.Tensor] | None = None,
             generator: torch.Generator | None = None) -> dict[str, torch.Tensor]:
        """The four losses for ``images [N, 1, H, W]``; ``proposals`` is ignored (the RPN makes them)."""
        features = self.backbone(images)
        score, delta, anchors = self.rpn(features)
        losses = self.rpn.loss(score, delta, anchors, targets, generator)
        own = self.rpn.proposals(score, delta, anchors, tuple(images.shape[-2:]))
        losses.update(self.roi_loss(features, own, targets, generator))
        return losses

    @torch.no_grad()
    def propose(self, images: torch.Tensor) -> list[torch.Tensor]:
        """The RPN's proposals for ``images [N, 1, H, W]``: N tensors ``[P, 4]``."""
        self.eval()
        return self.rpn.proposals(*self.rpn(self.backbone(images)), tuple(images.shape[-2:]))

    @torch.no_grad()
    def detect(self, images: torch.Tensor, proposals: Sequence[torch.Tensor] | None = None, **select) -> list[dict]:
        """Detections for ``images [N, 1, H, W]``: one backbone pass feeds both the RPN and the head."""
        self.eval()
        features = self.backbone(images)
        own = self.rpn.proposals(*self.rpn(features), tuple(images.shape[-2:]))
        return self.detect_from_features(features, own, tuple(images.shape[-2:]), **select)
