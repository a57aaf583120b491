"""VGG: only 3×3 convolutions (padding 1) and 2×2 max-pooling, stacked deep (notebook 06).

Simonyan & Zisserman, "Very Deep Convolutional Networks for Large-Scale Image Recognition",
ICLR 2015, Table 1 (configurations) and Table 2 (parameters in millions: A and A-LRN 133, B 133,
C 134, D 138, E 144).

A configuration is plain data: a list of 3×3 conv widths, with ``"M"`` for a 2×2/2 max-pool and
``(width, 1)`` for a 1×1 convolution (configuration C only). One
builder, :func:`make_features`, reads it; the number in a name (VGG-16) counts the WEIGHT layers
(convolutions + 3 fully connected), not the pooling layers.
"""
from __future__ import annotations

import torch
from torch import nn

__all__ = ["CONFIGS", "VGG", "make_features", "vgg", "vgg11", "vgg13", "vgg16", "vgg19",
           "small_vgg", "SMALL_CONFIG", "fc_as_conv"]

Config = list  # list[int | str | tuple[int, int]]: 3×3 conv widths, "M" for max-pool, (width, 1) for 1×1

CONFIGS: dict[str, Config] = {
    "A": [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],                  # VGG-11
    "B": [64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],          # VGG-13
    "C": [64, 64, "M", 128, 128, "M", 256, 256, (256, 1), "M", 512, 512, (512, 1), "M",
          512, 512, (512, 1), "M"],                                                           # 16 layers, 1×1
    "D": [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M",
          512, 512, 512, "M"],                                                                # VGG-16
    "E": [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M",
          512, 512, 512, 512, "M"],                                                           # VGG-19
}
"""Table 1 of the paper. Configuration C is B plus one 1×1 conv at the end of stages 3, 4 and 5
(the paper's test of "more non-linearity without more receptive field"; it did worse than D)."""

SMALL_CONFIG: Config = [16, 16, "M", 32, 32, "M", 64, 64, "M"]
"""A VGG for 28×28 Fashion-MNIST: three stages of two 3×3 convs; 28 → 14 → 7 → 3."""


def make_features(config: Config, in_channels: int = 3, batch_norm: bool = False,
                  lrn_after_first: bool = False) -> nn.Sequential:
    """The convolutional part from a configuration: x [N, C, H, W] → [N, last width, H/2^p, W/2^p].

    Each width becomes Conv2d(3×3, padding 1) [+ BatchNorm2d] + ReLU, a ``(width, 1)`` entry a
    1×1 Conv2d (padding 0) + ReLU; ``"M"`` becomes MaxPool2d(2, 2). ``lrn_after_first`` adds the LRN of configuration "A-LRN" after the first conv.
    """
    layers: list[nn.Module] = []
    c = in_channels
    for item in config:
        if item == "M":
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
            continue
        width, kernel = item if isinstance(item, tuple) else (item, 3)
        if not isinstance(width, int) or width <= 0 or kernel not in (1, 3):
            raise ValueError(f"configuration entry {item!r} must be a positive width, (width, 1) or 'M'")
        layers.append(nn.Conv2d(c, width, kernel_size=kernel, padding=kernel // 2))
        if batch_norm:
            layers.append(nn.BatchNorm2d(width))
        layers.append(nn.ReLU(inplace=True))
        if lrn_after_first and sum(isinstance(m, nn.Conv2d) for m in layers) == 1:
            layers.append(nn.LocalResponseNorm(size=5, alpha=5 * 1e-4, beta=0.75, k=2.0))
        c = width
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
    last = _last_width(cfg)
    return VGG(make_features(cfg, 3, batch_norm, lrn), last * side * side, num_classes)


def _last_width(cfg: Config) -> int:
    item = [item for item in cfg if item != "M"][-1]
    return item[0] if isinstance(item, tuple) else item


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
    last = _last_width(cfg)
    return VGG(make_features(cfg, in_channels, batch_norm), last * side * side, num_classes,
               hidden=hidden, dropout=0.3)


def fc_as_conv(model: VGG, side: int) -> nn.Sequential:
    """VGG's test-time trick (paper, section 3.2): the FC head rewritten as convolutions.

    The first FC layer, which reads a ``channels × side × side`` map, becomes a ``side × side``
    convolution with the same weights; the others become 1×1 convolutions. On the training input
    size the result is one pixel holding the FC logits; on a larger image it is a map of class
    scores, one per ``side × side`` window (the paper averages it). Returns ``features`` followed
    by the convolutional head: x [N, C, H, W] → scores [N, classes, H/2^p - side + 1, W/2^p - side + 1].
    """
    linears = [m for m in model.classifier if isinstance(m, nn.Linear)]
    first = linears[0]
    channels = first.in_features // (side * side)
    if channels * side * side != first.in_features:
        raise ValueError(f"the first FC layer reads {first.in_features} numbers, not channels·{side}·{side}")
    convs: list[nn.Module] = []
    for k, fc in enumerate(linears):
        kernel, c_in = (side, channels) if k == 0 else (1, fc.in_features)
        conv = nn.Conv2d(c_in, fc.out_features, kernel)
        with torch.no_grad():
            conv.weight.copy_(fc.weight.reshape(fc.out_features, c_in, kernel, kernel))
            conv.bias.copy_(fc.bias)
        convs.append(conv)
        if k < len(linears) - 1:
            convs.append(nn.ReLU())
    return nn.Sequential(model.features, *convs)
