"""The ResNet paper's small networks for 32x32 images, with and without shortcuts.

He, Zhang, Ren & Sun, "Deep Residual Learning for Image Recognition", CVPR 2016, section 4.2
(used in notebooks 09-11). A network of depth ``6n + 2`` is:

* a 3x3 convolution (``width`` filters) + batch norm + ReLU;
* three stages of ``n`` basic blocks each, with ``width``, ``2 width`` and ``4 width`` filters;
  the first block of stages 2 and 3 halves the height and width (stride 2);
* global average pooling and one fully connected layer.

A basic block computes ``relu(F(x) + shortcut(x))`` with ``F = conv-bn-relu-conv-bn``. The
shortcut is the identity; where the width doubles it is the paper's "option A": take every second
pixel and pad the new channels with zeros (no parameters). ``plain=True`` builds the same network
without the shortcuts (``relu(F(x))``), the paper's "plain" baseline: nothing else changes.

The blocks are :class:`~course_utils.models.resnet.BasicBlock` with shortcut option A (the same
class the ImageNet ResNets use, so both read alike: ``conv1``, ``bn1``, ``conv2``, ``bn2``,
``shortcut``). Every block is reachable as ``model.blocks`` (a list, input to output) and offers
``block.residual(x)`` (``F(x)``) and ``block.shortcut(x)`` separately, so that a notebook can
measure ``||F(x)|| / ||x||`` or delete blocks at test time.
"""

from __future__ import annotations

import torch
from torch import nn

from .resnet import BasicBlock  # one block for both families: shortcut option "A" here


class CifarResNet(nn.Module):
    """Stem, three stages of basic blocks, global average pooling, classifier.

    ``x [N, in_channels, H, W] -> logits [N, num_classes]`` (the paper uses 32x32 inputs; any
    size of at least 4x4 works, e.g. Fashion-MNIST's 28x28).
    """

    def __init__(self, blocks_per_stage: int, plain: bool = False, num_classes: int = 10,
                 in_channels: int = 3, width: int = 16) -> None:
        super().__init__()
        self.plain = plain
        self.stem = nn.Sequential(
            nn.Conv2d(in_channels, width, 3, padding=1, bias=False),
            nn.BatchNorm2d(width),
            nn.ReLU(inplace=True),
        )
        widths = (width, 2 * width, 4 * width)
        stages, c_in = [], width
        for s, c_out in enumerate(widths):
            stride = 1 if s == 0 else 2
            blocks = [BasicBlock(c_in if b == 0 else c_out, c_out, stride if b == 0 else 1,
                                 shortcut="A", plain=plain)
                      for b in range(blocks_per_stage)]
            stages.append(nn.Sequential(*blocks))
            c_in = c_out
        self.stages = nn.Sequential(*stages)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(widths[-1], num_classes)
        self._init_weights()

    def _init_weights(self) -> None:
        """He initialisation for convolutions (as the paper), BN as the identity (gamma=1, beta=0)."""
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)

    @property
    def blocks(self) -> list[nn.Module]:
        """Every basic block, input to output (what is in the stages now, Identity included)."""
        return [block for stage in self.stages for block in stage]

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """``x [N, C, H, W] -> [N, 4 width]``: everything before the classifier."""
        return torch.flatten(self.pool(self.stages(self.stem(x))), 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(self.features(x))


def cifar_resnet(depth: int, plain: bool = False, num_classes: int = 10, in_channels: int = 3,
                 width: int = 16) -> CifarResNet:
    """The paper's CIFAR-10 network of ``depth = 6n + 2`` layers (20, 32, 44, 56, 110, ...).

    ``plain=True`` gives the same network without shortcuts. With the defaults the parameter
    counts are the paper's Table 6: 0.27 M (20 layers), 0.85 M (56), 1.7 M (110).

    Raises:
        ValueError: if ``depth`` is not 6n + 2 with n >= 1, or ``width``/``num_classes``/``in_channels`` < 1.
    """
    if depth < 8 or (depth - 2) % 6 != 0:
        below = max(8, depth - (depth - 2) % 6)
        raise ValueError(f"depth={depth} is not 6n+2 (n >= 1); try {below} or {below + 6}")
    for name, value in (("width", width), ("num_classes", num_classes), ("in_channels", in_channels)):
        if value < 1:
            raise ValueError(f"{name}={value} must be at least 1")
    return CifarResNet((depth - 2) // 6, plain, num_classes, in_channels, width)
