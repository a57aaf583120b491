"""VGG: only 3×3 convolutions (padding 1) and 2×2 max-pooling, stacked deep (notebook 06).

Simonyan & Zisserman, "Very Deep Convolutional Networks for Large-Scale Image Recognition",
ICLR 2015, Table 1 (configurations) and Table 2 (parameters: 133, 133, 134, 138, 144 million).

A configuration is plain data: a list of conv widths, with ``"M"`` for a 2×2/2 max-pool. One
builder, :func:`make_features`, reads it; the number in a name (VGG-16) counts the WEIGHT layers
(convolutions + 3 fully connected), not the pooling layers.
"""
from __future__ import annotations

import torch
from torch import nn

__all__ = ["CONFIGS", "VGG", "make_features", "vgg", "vgg11", "vgg13", "vgg16", "vgg19",
           "small_vgg", "SMALL_CONFIG"]

Config = list  # list[int | str]: conv widths and "M" for max-pool

CONFIGS: dict[str, Config] = {
    "A": [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],                  # VGG-11
    "B": [64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],          # VGG-13
    "D": [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M",
          512, 512, 512, "M"],                                                                # VGG-16
    "E": [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M",
          512, 512, 512, 512, "M"],                                                           # VGG-19
}
"""Table 1 of the paper. (Configuration C, with three 1×1 convs, is left out.)"""

SMALL_CONFIG: Config = [16, 16, "M", 32, 32, "M", 64, 64, "M"]
"""A VGG for 28×28 Fashion-MNIST: three stages of two 3×3 convs; 28 → 14 → 7 → 3."""


def make_features(config: Config, in_channels: int = 3, batch_norm: bool = False,
                  lrn_after_first: bool = False) -> nn.Sequential:
    """The convolutional part from a configuration: x [N, C, H, W] → [N, last width, H/2^p, W/2^p].

    Each width becomes Conv2d(3×3, padding 1) [+ BatchNorm2d] + ReLU; ``"M"`` becomes
    MaxPool2d(2, 2). ``lrn_after_first`` adds the LRN of configuration "A-LRN" after the first conv.
    """
    layers: list[nn.Module] = []
    c = in_channels
    for item in config:
        if item == "M":
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
            continue
        if not isinstance(item, int) or item <= 0:
            raise ValueError(f"configuration entry {item!r} must be a positive width or 'M'")
        layers.append(nn.Conv2d(c, item, kernel_size=3, padding=1))
        if batch_norm:
            layers.append(nn.BatchNorm2d(item))
        layers.append(nn.ReLU(inplace=True))
        if lrn_after_first and sum(isinstance(m, nn.Conv2d) for m in layers) == 1:
            layers.append(nn.LocalResponseNorm(size=5, alpha=5 * 1e-4, beta=0.75, k=2.0))
        c = item
    return nn.Sequential(*layers)


class VGG(nn.Module):
    """``features`` → flatten → ``classifier`` (FC-hidden, FC-hidden, FC-num_classes with dropout).

    x [N, C, H, W] → logits [N, num_classes]; ``features_out`` = channels·h·w after the last pool
    (512·7·7 for 224×224 images).
    """

    def __init__(self, features: nn.Sequential, features_out: int, num_classes: int = 1000,
                 hidden: int = 4096, dropout: float = 0.5) -> None:
        super().__init__()
        self.features = features
        self.classifier = nn.Sequential(
            nn.Linear(features_out, hidden), nn.ReLU(inplace=True), nn.Dropout(dropout),
            nn.Linear(hidden, hidden), nn.ReLU(inplace=True), nn.Dropout(dropout),
            nn.Linear(hidden, num_classes),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(torch.flatten(self.features(x), 1))


def vgg(config: str | Config, num_classes: int = 1000, batch_norm: bool = False,
        lrn: bool = False) -> VGG:
    """An ImageNet VGG (3×224×224 input) from a letter of :data:`CONFIGS` or a configuration list."""
    cfg = CONFIGS[config] if isinstance(config, str) else config
    pools = sum(1 for item in cfg if item == "M")
    side = 224 // 2 ** pools
    last = [item for item in cfg if item != "M"][-1]
    return VGG(make_features(cfg, 3, batch_norm, lrn), last * side * side, num_classes)


def vgg11(num_classes: int = 1000, batch_norm: bool = False) -> VGG:
    """VGG-11, configuration A (133 M parameters)."""
    return vgg("A", num_classes, batch_norm)


def vgg13(num_classes: int = 1000, batch_norm: bool = False) -> VGG:
    """VGG-13, configuration B (133 M parameters)."""
    return vgg("B", num_classes, batch_norm)


def vgg16(num_classes: int = 1000, batch_norm: bool = False) -> VGG:
    """VGG-16, configuration D (138 M parameters)."""
    return vgg("D", num_classes, batch_norm)


def vgg19(num_classes: int = 1000, batch_norm: bool = False) -> VGG:
    """VGG-19, configuration E (144 M parameters, 19.6 G multiply-adds)."""
    return vgg("E", num_classes, batch_norm)


def small_vgg(num_classes: int = 10, in_channels: int = 1, batch_norm: bool = True,
              config: Config | None = None, hidden: int = 128) -> VGG:
    """A VGG for 28×28 images: x [N, 1, 28, 28] → [N, num_classes] (3×3 convs, 2×2 pools only)."""
    cfg = config or SMALL_CONFIG
    side = 28
    for item in cfg:
        side = side // 2 if item == "M" else side
    last = [item for item in cfg if item != "M"][-1]
    return VGG(make_features(cfg, in_channels, batch_norm), last * side * side, num_classes,
               hidden=hidden, dropout=0.3)
