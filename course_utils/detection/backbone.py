"""The CNN pieces the three detectors share: a small backbone and a box head.

* :class:`Backbone`: three 3x3 convolution blocks (conv, batch norm, ReLU) with two 2x2 max
  pools: a grey image ``[N, 1, H, W]`` becomes a feature map ``[N, 64, H/4, W/4]`` (stride 4).
  It plays the part of the ImageNet network (AlexNet, VGG16) the papers start from.
* :class:`BoxHead`: two fully connected layers on a pooled ``[K, C, 4, 4]`` region, then a
  classifier over ``num_classes + 1`` labels (0 = background) and, optionally, a class-specific
  box regressor (Fast R-CNN, Girshick, ICCV 2015, figure 1).
"""

from __future__ import annotations

import torch
from torch import nn


def _block(c_in: int, c_out: int) -> list[nn.Module]:
    return [nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True)]


class Backbone(nn.Sequential):
    """``[N, 1, H, W] -> [N, 64, H/4, W/4]``; ``stride`` = 4 pixels per feature cell."""

    stride = 4
    out_channels = 64

    def __init__(self, width: int = 16) -> None:
        super().__init__(*_block(1, width), nn.MaxPool2d(2),
                         *_block(width, 2 * width), nn.MaxPool2d(2),
                         *_block(2 * width, self.out_channels))


class BoxHead(nn.Module):
    """Pooled regions ``[K, C, P, P]`` -> class logits ``[K, num_classes + 1]`` and deltas ``[K, num_classes + 1, 4]``."""

    def __init__(self, in_features: int, num_classes: int, hidden: int = 256, with_boxes: bool = True) -> None:
        super().__init__()
        if num_classes < 1:
            raise ValueError(f"num_classes must be at least 1, got {num_classes}")
        self.num_classes = num_classes
        self.fc = nn.Sequential(nn.Flatten(), nn.Linear(in_features, hidden), nn.ReLU(inplace=True),
                                nn.Linear(hidden, hidden), nn.ReLU(inplace=True))
        self.classifier = nn.Linear(hidden, num_classes + 1)
        self.regressor = nn.Linear(hidden, 4 * (num_classes + 1)) if with_boxes else None

    def forward(self, regions: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        h = self.fc(regions)
        deltas = None if self.regressor is None else self.regressor(h).view(len(h), -1, 4)
        return self.classifier(h), deltas
