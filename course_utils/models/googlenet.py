"""GoogLeNet (Inception v1): parallel 1×1, 3×3, 5×5 and pooling branches (notebook 07).

Szegedy et al., "Going Deeper with Convolutions", CVPR 2015, Table 1 and Figure 2(b).

An Inception module runs four branches on the same input and concatenates their outputs along
the channels:

* 1×1 conv (``c1`` filters);
* 1×1 reduction to ``r3`` channels, then 3×3 conv (``c3``);
* 1×1 reduction to ``r5`` channels, then 5×5 conv (``c5``);
* 3×3 max-pool (stride 1), then 1×1 projection (``pool_proj``).

The 1×1 reductions are what keep the module cheap. Every conv is followed by ReLU. Two auxiliary
classifiers (after 4a and 4d) add a loss weighted 0.3 during training only; at inference
(``model.eval()``) they are skipped. The head is global average pooling, dropout 40 % and one
fully connected layer. (We leave out the paper's LRN layers: they change no count.)
"""
from __future__ import annotations

from typing import NamedTuple

import torch
from torch import nn

__all__ = ["Inception", "AuxClassifier", "GoogLeNet", "GoogLeNetOutput", "googlenet",
           "small_googlenet", "INCEPTION_TABLE"]


def conv_relu(c_in: int, c_out: int, kernel: int, stride: int = 1, padding: int = 0,
              batch_norm: bool = False) -> nn.Sequential:
    """Conv2d + ReLU, the unit every GoogLeNet layer is made of (with ``batch_norm``:
    Conv2d + BatchNorm2d + ReLU, as in Inception v2, Ioffe & Szegedy 2015)."""
    if batch_norm:
        return nn.Sequential(nn.Conv2d(c_in, c_out, kernel, stride, padding, bias=False),
                             nn.BatchNorm2d(c_out), nn.ReLU(inplace=True))
    return nn.Sequential(nn.Conv2d(c_in, c_out, kernel, stride, padding), nn.ReLU(inplace=True))


class Inception(nn.Module):
    """One Inception module: x [N, c_in, H, W] → [N, c1 + c3 + c5 + pool_proj, H, W].

    ``reduce=False`` builds the "naive" module of Figure 2(a) (no 1×1 reductions; the pool
    branch is then passed through unchanged), to count what the reductions save.
    """

    def __init__(self, c_in: int, c1: int, r3: int, c3: int, r5: int, c5: int, pool_proj: int,
                 reduce: bool = True, batch_norm: bool = False) -> None:
        super().__init__()
        if min(c_in, c1, c3, c5) <= 0 or (reduce and min(r3, r5, pool_proj) <= 0):
            raise ValueError(f"Inception widths must be positive, got c_in={c_in}, c1={c1}, "
                             f"r3={r3}, c3={c3}, r5={r5}, c5={c5}, pool_proj={pool_proj}")
        self.out_channels = c1 + c3 + c5 + (pool_proj if reduce else c_in)
        bn = batch_norm
        self.branch1 = conv_relu(c_in, c1, 1, batch_norm=bn)
        if reduce:
            self.branch3 = nn.Sequential(conv_relu(c_in, r3, 1, batch_norm=bn),
                                         conv_relu(r3, c3, 3, padding=1, batch_norm=bn))
            self.branch5 = nn.Sequential(conv_relu(c_in, r5, 1, batch_norm=bn),
                                         conv_relu(r5, c5, 5, padding=2, batch_norm=bn))
            self.branch_pool = nn.Sequential(nn.MaxPool2d(3, stride=1, padding=1),
                                             conv_relu(c_in, pool_proj, 1, batch_norm=bn))
        else:
            self.branch3 = conv_relu(c_in, c3, 3, padding=1, batch_norm=bn)
            self.branch5 = conv_relu(c_in, c5, 5, padding=2, batch_norm=bn)
            self.branch_pool = nn.MaxPool2d(3, stride=1, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        branches = [self.branch1(x), self.branch3(x), self.branch5(x), self.branch_pool(x)]
        return torch.cat(branches, dim=1)


class AuxClassifier(nn.Module):
    """Side head: avg-pool (``pool`` size, stride ``pool_stride``) → 1×1 conv 128 → FC ``hidden``
    → dropout 70 % → FC. x [N, c_in, H, W] → [N, num_classes]."""

    def __init__(self, c_in: int, num_classes: int, pool: int = 5, pool_stride: int = 3,
                 side: int = 4, hidden: int = 1024) -> None:
        super().__init__()
        self.pool = nn.AvgPool2d(pool, stride=pool_stride)
        self.conv = conv_relu(c_in, 128, 1)
        self.fc = nn.Sequential(nn.Flatten(), nn.Linear(128 * side * side, hidden), nn.ReLU(inplace=True),
                                nn.Dropout(0.7), nn.Linear(hidden, num_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(self.conv(self.pool(x)))


class GoogLeNetOutput(NamedTuple):
    """What a GoogLeNet returns in training mode when it has auxiliary classifiers."""

    logits: torch.Tensor
    aux1: torch.Tensor
    aux2: torch.Tensor


# name: (c1, r3, c3, r5, c5, pool_proj) -- Table 1 of the paper
INCEPTION_TABLE: dict[str, tuple[int, int, int, int, int, int]] = {
    "3a": (64, 96, 128, 16, 32, 32), "3b": (128, 128, 192, 32, 96, 64),
    "4a": (192, 96, 208, 16, 48, 64), "4b": (160, 112, 224, 24, 64, 64),
    "4c": (128, 128, 256, 24, 64, 64), "4d": (112, 144, 288, 32, 64, 64),
    "4e": (256, 160, 320, 32, 128, 128),
    "5a": (256, 160, 320, 32, 128, 128), "5b": (384, 192, 384, 48, 128, 128),
}


def _stage(c_in: int, names: list[str], table: dict) -> tuple[nn.ModuleDict, int]:
    modules = nn.ModuleDict()
    for name in names:
        modules[name] = Inception(c_in, *table[name])
        c_in = modules[name].out_channels
    return modules, c_in


class GoogLeNet(nn.Module):
    """x [N, 3, 224, 224] → logits [N, num_classes]; in training mode with ``aux=True`` it returns
    a :class:`GoogLeNetOutput` (main logits and the two auxiliary logits)."""

    def __init__(self, num_classes: int = 1000, aux: bool = True, dropout: float = 0.4) -> None:
        super().__init__()
        pool = dict(kernel_size=3, stride=2, ceil_mode=True)
        self.stem = nn.Sequential(
            conv_relu(3, 64, 7, stride=2, padding=3), nn.MaxPool2d(**pool),          # 64×56×56
            conv_relu(64, 64, 1), conv_relu(64, 192, 3, padding=1), nn.MaxPool2d(**pool),  # 192×28×28
        )
        self.stage3, c = _stage(192, ["3a", "3b"], INCEPTION_TABLE)                 # 480×28×28
        self.pool3 = nn.MaxPool2d(**pool)                                            # 14×14
        self.stage4, c = _stage(c, ["4a", "4b", "4c", "4d", "4e"], INCEPTION_TABLE)  # 832×14×14
        self.pool4 = nn.MaxPool2d(**pool)                                            # 7×7
        self.stage5, c = _stage(c, ["5a", "5b"], INCEPTION_TABLE)                    # 1024×7×7
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(dropout),
                                  nn.Linear(c, num_classes))
        self.aux1 = AuxClassifier(512, num_classes) if aux else None   # after 4a
        self.aux2 = AuxClassifier(528, num_classes) if aux else None   # after 4d

    def forward(self, x: torch.Tensor) -> torch.Tensor | GoogLeNetOutput:
        x = self.pool3(self._run(self.stage3, self.stem(x)))
        side = []
        for name, module in self.stage4.items():
            x = module(x)
            if name in ("4a", "4d") and self.aux1 is not None and self.training:
                side.append((self.aux1 if name == "4a" else self.aux2)(x))
        x = self._run(self.stage5, self.pool4(x))
        logits = self.head(x)
        return GoogLeNetOutput(logits, *side) if side else logits

    @staticmethod
    def _run(stage: nn.ModuleDict, x: torch.Tensor) -> torch.Tensor:
        for module in stage.values():
            x = module(x)
        return x


def googlenet(num_classes: int = 1000, aux: bool = True) -> GoogLeNet:
    """Inception v1 as in Table 1 (≈ 7.0 M parameters without the auxiliary heads, ≈ 1.6 G MACs)."""
    return GoogLeNet(num_classes, aux)


class SmallGoogLeNet(nn.Module):
    """GoogLeNet's ideas for 28×28: stem 3×3 conv → Inception → pool → 2 Inception → GAP → FC,
    with one auxiliary classifier after the first Inception module. x [N, 1, 28, 28] →
    [N, num_classes] (in training mode with ``aux=True``: a tuple ``(logits, aux_logits)``).
    ``batch_norm`` (default on, as in Inception v2) lets it train in a few epochs."""

    def __init__(self, num_classes: int = 10, in_channels: int = 1, aux: bool = True,
                 batch_norm: bool = True) -> None:
        super().__init__()
        bn = batch_norm
        self.stem = nn.Sequential(conv_relu(in_channels, 24, 3, padding=1, batch_norm=bn),
                                  nn.MaxPool2d(2))                                        # 24×14×14
        self.stage1 = nn.Sequential(Inception(24, 16, 16, 24, 4, 8, 8, batch_norm=bn))   # 56×14×14
        self.pool = nn.MaxPool2d(2)                                                       # 56×7×7
        self.stage2 = nn.Sequential(Inception(56, 32, 32, 48, 8, 16, 16, batch_norm=bn),  # 112×7×7
                                    Inception(112, 32, 32, 48, 8, 16, 16, batch_norm=bn))  # 112×7×7
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.2),
                                  nn.Linear(112, num_classes))
        self.aux = AuxClassifier(56, num_classes, pool=5, pool_stride=3, side=4, hidden=128) if aux else None

    def forward(self, x: torch.Tensor):
        x = self.stage1(self.stem(x))
        side = self.aux(x) if self.aux is not None and self.training else None
        logits = self.head(self.stage2(self.pool(x)))
        return (logits, side) if side is not None else logits


def small_googlenet(num_classes: int = 10, in_channels: int = 1, aux: bool = True,
                    batch_norm: bool = True) -> SmallGoogLeNet:
    """The 28×28 GoogLeNet trained in notebook 07."""
    return SmallGoogLeNet(num_classes, in_channels, aux, batch_norm)
