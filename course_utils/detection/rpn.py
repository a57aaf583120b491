"""The region proposal network (RPN) of Faster R-CNN (Ren, He, Girshick & Sun, NeurIPS 2015).

A 3x3 convolution slides over the shared feature map; at each cell two 1x1 convolutions give,
for each of the ``A`` anchors there, an objectness score (object or not) and four box offsets.
Proposals are the decoded anchors with the best scores after NMS; the RPN is trained with its
own losses (binary cross-entropy on sampled anchors, smooth-L1 on the positive ones).
"""

from __future__ import annotations

from typing import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from .anchors import make_anchors
from .boxes import clip_boxes, decode_boxes, encode_boxes
from .nms import nms
from .sampling import label_boxes, sample_boxes


class RegionProposalNetwork(nn.Module):
    """``features [N, C, h, w]`` -> objectness ``[N, h*w*A]`` and deltas ``[N, h*w*A, 4]``."""

    def __init__(self, in_channels: int, stride: int, sizes: Sequence[float] = (12, 20, 32),
                 ratios: Sequence[float] = (0.5, 1.0, 2.0), *, anchors_per_image: int = 64,
                 pre_nms: int = 300, post_nms_train: int = 64, post_nms_test: int = 32,
                 nms_iou: float = 0.7) -> None:
        super().__init__()
        self.stride, self.sizes, self.ratios = stride, tuple(sizes), tuple(ratios)
        a = len(self.sizes) * len(self.ratios)
        self.conv = nn.Conv2d(in_channels, in_channels, 3, padding=1)
        self.objectness = nn.Conv2d(in_channels, a, 1)
        self.deltas = nn.Conv2d(in_channels, 4 * a, 1)
        self.anchors_per_image, self.pre_nms, self.nms_iou = anchors_per_image, pre_nms, nms_iou
        self.post_nms_train, self.post_nms_test = post_nms_train, post_nms_test

    def forward(self, features: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Returns ``objectness [N, h*w*A]`` (logits), ``deltas [N, h*w*A, 4]``, ``anchors [h*w*A, 4]``."""
        n, _, h, w = features.shape
        t = F.relu(self.conv(features))
        score = self.objectness(t).permute(0, 2, 3, 1).reshape(n, -1)                  # order h, w, A
        delta = self.deltas(t).view(n, -1, 4, h, w).permute(0, 3, 4, 1, 2).reshape(n, -1, 4)
        anchors = make_anchors(h, w, self.stride, self.sizes, self.ratios, features.device)
        return score, delta, anchors

    @torch.no_grad()
    def proposals(self, score: torch.Tensor, delta: torch.Tensor, anchors: torch.Tensor,
                  image_size: tuple[int, int]) -> list[torch.Tensor]:
        """Best decoded anchors of each image after NMS: N tensors ``[P, 4]``."""
        keep_after = self.post_nms_train if self.training else self.post_nms_test
        out = []
        for s, d in zip(score, delta):
            top = s.topk(min(self.pre_nms, len(s))).indices
            boxes = clip_boxes(decode_boxes(anchors[top], d[top]), *image_size)
            ok = ((boxes[:, 2] - boxes[:, 0]) >= 2) & ((boxes[:, 3] - boxes[:, 1]) >= 2)
            boxes, s_top = boxes[ok], s[top][ok]
            out.append(boxes[nms(boxes, s_top, self.nms_iou)[:keep_after]])
        return out

    def loss(self, score: torch.Tensor, delta: torch.Tensor, anchors: torch.Tensor,
             targets: Sequence[dict], generator: torch.Generator | None = None) -> dict[str, torch.Tensor]:
        """Objectness (BCE) and box (smooth-L1) losses on ``anchors_per_image`` sampled anchors per image."""
        cls_losses, box_losses, count = [], [], 0
        for s, d, t in zip(score, delta, targets):
            objects = torch.ones_like(t["labels"])                 # the RPN only asks "object or not"
            lab, matched = label_boxes(anchors, t["boxes"], objects, fg_iou=0.7, bg_iou=0.3, best_is_fg=True)
            pick = sample_boxes(lab, self.anchors_per_image, 0.5, generator)
            cls_losses.append(F.binary_cross_entropy_with_logits(s[pick], (lab[pick] > 0).float(), reduction="sum"))
            pos = pick[lab[pick] > 0]
            if len(pos):
                wanted = encode_boxes(anchors[pos], t["boxes"][matched[pos]])
                box_losses.append(F.smooth_l1_loss(d[pos], wanted, beta=1 / 9, reduction="sum"))
            count += len(pick)
        count = max(count, 1)
        box = torch.stack(box_losses).sum() if box_losses else delta.sum() * 0
        return {"objectness": torch.stack(cls_losses).sum() / count, "rpn_box": box / count}
