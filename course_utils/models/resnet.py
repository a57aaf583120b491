"""ImageNet ResNets 18-152 as the 2015 paper builds them, plus the pre-activation block.

He, Zhang, Ren & Sun, "Deep Residual Learning for Image Recognition", CVPR 2016
(arXiv:1512.03385), Table 1 and section 3-4; He et al., "Identity Mappings in Deep Residual
Networks", ECCV 2016 (arXiv:1603.05027) for :class:`PreActBlock`. Used in notebooks 10 and 11.

A residual block computes ``y = relu(F(x) + shortcut(x))``. ``F`` is two 3x3 convolutions
(:class:`BasicBlock`, ResNet-18/34) or 1x1 -> 3x3 -> 1x1 (:class:`Bottleneck`, ResNet-50/101/152).
The shortcut is the identity when the shape stays; when it changes the paper's options are

* ``"A"``: identity with zero-padded extra channels (no parameters), subsampled by the stride;
* ``"B"``: a 1x1 convolution + batch norm ("projection") only where the shape changes -- the
  ImageNet default of the paper, used by :func:`resnet18` ... :func:`resnet152`;
* ``"C"``: a projection on every block.

Stride placement: the 2015 paper's bottleneck subsamples in its *first* 1x1 convolution. The
later "ResNet v1.5" (torchvision, NVIDIA) moves the stride to the 3x3 convolution, which costs
~8% more (4.1 instead of 3.8 GMACs for ResNet-50). This module follows the 2015 paper, so
``count_macs`` reproduces the FLOPs column of Table 1 (the paper's "FLOPs" are multiply-adds).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

SHORTCUTS = ("A", "B", "C")


def _check_shortcut(kind: str) -> None:
    if kind not in SHORTCUTS:
        raise ValueError(f"shortcut must be one of {SHORTCUTS} (the paper's options), not {kind!r}")


def conv3x3(in_channels: int, out_channels: int, stride: int = 1) -> nn.Conv2d:
    """A 3x3 convolution with padding 1, without bias (the batch norm after it has one)."""
    return nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)


def conv1x1(in_channels: int, out_channels: int, stride: int = 1) -> nn.Conv2d:
    """A 1x1 convolution without bias."""
    return nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False)


class PadShortcut(nn.Module):
    """Option-A shortcut: subsample by ``stride`` and zero-pad the channels ``c_in -> c_out``.

    ``x [N, c_in, H, W] -> [N, c_out, ceil(H / stride), ceil(W / stride)]``; no parameters.
    """

    def __init__(self, c_in: int, c_out: int, stride: int) -> None:
        super().__init__()
        if c_out < c_in:
            raise ValueError(f"option-A shortcut can only add channels: c_out={c_out} < c_in={c_in}")
        self.c_in, self.c_out, self.stride = c_in, c_out, stride

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x[:, :, :: self.stride, :: self.stride]
        extra = self.c_out - self.c_in
        # pad (last dim left, right, 2nd-last left, right, channels front, back)
        return F.pad(x, (0, 0, 0, 0, extra // 2, extra - extra // 2))


def make_shortcut(in_channels: int, out_channels: int, stride: int, kind: str = "B") -> nn.Module:
    """The shortcut path of a block: identity, zero-padding (A) or 1x1 projection + BN (B, C)."""
    _check_shortcut(kind)
    same_shape = stride == 1 and in_channels == out_channels
    if kind == "C" or (kind == "B" and not same_shape):
        return nn.Sequential(conv1x1(in_channels, out_channels, stride), nn.BatchNorm2d(out_channels))
    if same_shape:
        return nn.Identity()
    if out_channels < in_channels:
        raise ValueError(f"option A can only add channels, not go {in_channels} -> {out_channels}; "
                         f"use shortcut 'B' (a 1x1 projection) or at least {in_channels} output channels")
    return PadShortcut(in_channels, out_channels, stride)


class BasicBlock(nn.Module):
    """Two 3x3 convolutions with a shortcut (paper Fig. 2 / Fig. 5 left):
    ``relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))``.

    x ``[N, in_channels, H, W]`` -> ``[N, channels, H/stride, W/stride]``. ``residual(x)`` returns
    F(x) alone (notebook 11 measures ||F(x)|| / ||x||). With ``plain=True`` the shortcut is not
    added (the paper's plain baseline, section 4.2: the same layers without ``+ x``).
    """

    expansion = 1

    def __init__(self, in_channels: int, channels: int, stride: int = 1, shortcut: str = "B",
                 plain: bool = False) -> None:
        super().__init__()
        self.plain = plain
        self.conv1 = conv3x3(in_channels, channels, stride)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = conv3x3(channels, channels)
        self.bn2 = nn.BatchNorm2d(channels)
        self.shortcut = make_shortcut(in_channels, channels, stride, shortcut)

    def residual(self, x: torch.Tensor) -> torch.Tensor:
        out = self.conv1(x)
        out = self.bn1(out)
        out = F.relu(out)
        out = self.conv2(out)
        out = self.bn2(out)
        return out

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.residual(x)
        if not self.plain:
            out = out + self.shortcut(x)
        return F.relu(out)


class Bottleneck(nn.Module):
    """1x1 (reduce) -> 3x3 -> 1x1 (expand x4) with a shortcut (paper Fig. 5 right).

    x ``[N, in_channels, H, W]`` -> ``[N, 4 * channels, H/stride, W/stride]``. As in the 2015
    paper the stride sits on the first 1x1 convolution (``stride_on_3x3=True`` gives "v1.5").
    """

    expansion = 4

    def __init__(self, in_channels: int, channels: int, stride: int = 1, shortcut: str = "B",
                 stride_on_3x3: bool = False) -> None:
        super().__init__()
        out = channels * self.expansion
        s1, s3 = (1, stride) if stride_on_3x3 else (stride, 1)
        self.conv1 = conv1x1(in_channels, channels, s1)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = conv3x3(channels, channels, s3)
        self.bn2 = nn.BatchNorm2d(channels)
        self.conv3 = conv1x1(channels, out)
        self.bn3 = nn.BatchNorm2d(out)
        self.shortcut = make_shortcut(in_channels, out, stride, shortcut)

    def residual(self, x: torch.Tensor) -> torch.Tensor:
        out = self.conv1(x)
        out = self.bn1(out)
        out = F.relu(out)
        out = self.conv2(out)
        out = self.bn2(out)
        out = F.relu(out)
        out = self.conv3(out)
        out = self.bn3(out)
        return out

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.residual(x)
        out = out + self.shortcut(x)
        return F.relu(out)


class PreActBlock(nn.Module):
    """Pre-activation basic block (He et al. 2016): BN -> ReLU -> conv, twice, then add.

    ``y = x + F(x)`` with nothing after the addition, so the shortcut path stays a pure identity
    from block to block. x ``[N, in_channels, H, W]`` -> ``[N, channels, H/stride, W/stride]``.
    A network of these needs a final BN -> ReLU before pooling.
    """

    expansion = 1

    def __init__(self, in_channels: int, channels: int, stride: int = 1, shortcut: str = "B") -> None:
        super().__init__()
        _check_shortcut(shortcut)
        self.bn1 = nn.BatchNorm2d(in_channels)
        self.conv1 = conv3x3(in_channels, channels, stride)
        self.bn2 = nn.BatchNorm2d(channels)
        self.conv2 = conv3x3(channels, channels)
        same_shape = stride == 1 and in_channels == channels
        if shortcut == "A" or (same_shape and shortcut == "B"):
            self.shortcut = make_shortcut(in_channels, channels, stride, "A")  # identity if same shape
        else:  # a bare 1x1 projection: the next block's BN normalises the sum
            self.shortcut = conv1x1(in_channels, channels, stride)

    def residual(self, x: torch.Tensor) -> torch.Tensor:
        out = self.bn1(x)
        out = F.relu(out)
        out = self.conv1(out)
        out = self.bn2(out)
        out = F.relu(out)
        out = self.conv2(out)
        return out

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.residual(x) + self.shortcut(x)


Block = type[BasicBlock] | type[Bottleneck] | type[PreActBlock]


class ResNet(nn.Module):
    """Stem -> four stages of blocks (widths w, 2w, 4w, 8w) -> global average pool -> fc.

    ImageNet stem (``small_input=False``): 7x7/2 conv, BN, ReLU, 3x3/2 max pool, so a
    ``[N, 3, 224, 224]`` input reaches the stages at 56x56 and the pool at 7x7. With
    ``small_input=True`` the stem is one 3x3/1 conv (for 28x28 or 32x32 pictures).
    Stages 2-4 halve the size in their first block. Output: logits ``[N, num_classes]``.
    """

    def __init__(self, block: Block, layers: list[int], *, num_classes: int = 1000,
                 in_channels: int = 3, width: int = 64, shortcut: str = "B",
                 small_input: bool = False) -> None:
        super().__init__()
        _check_shortcut(shortcut)
        if len(layers) != 4 or min(layers) < 1:
            raise ValueError(f"layers must give 4 stage depths >= 1 (ResNet-18: [2, 2, 2, 2]), not {layers}")
        if width < 1 or num_classes < 1 or in_channels < 1:
            raise ValueError(f"width ({width}), num_classes ({num_classes}) and in_channels "
                             f"({in_channels}) must be positive")
        if small_input:
            self.stem = nn.Sequential(conv3x3(in_channels, width), nn.BatchNorm2d(width), nn.ReLU())
        else:
            conv = nn.Conv2d(in_channels, width, 7, stride=2, padding=3, bias=False)
            self.stem = nn.Sequential(conv, nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(3, 2, 1))
        stages, channels = [], width
        for i, depth in enumerate(layers):
            stride = 1 if i == 0 else 2
            blocks = [block(channels, width * 2 ** i, stride, shortcut)]
            channels = width * 2 ** i * block.expansion
            blocks += [block(channels, width * 2 ** i, 1, shortcut) for _ in range(depth - 1)]
            stages.append(nn.Sequential(*blocks))
        self.stages = nn.Sequential(*stages)
        self.final = nn.Sequential(nn.BatchNorm2d(channels), nn.ReLU()) if block is PreActBlock else nn.Identity()
        self.fc = nn.Linear(channels, num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):  # He initialisation, as the paper uses
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

    @property
    def blocks(self) -> list[nn.Module]:
        """Every residual block, input side first."""
        return [b for stage in self.stages for b in stage]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() != 4:
            raise ValueError(f"ResNet expects images [N, C, H, W], got shape {tuple(x.shape)}")
        x = self.final(self.stages(self.stem(x)))
        return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))


def small_resnet(shortcut: str = "B", width: int = 8, in_channels: int = 1,
                 num_classes: int = 10) -> ResNet:
    """A 10-layer ResNet for 28x28 pictures: one basic block per stage, widths ``width``-``8 width``
    (notebook 10's shortcut experiment)."""
    return ResNet(BasicBlock, [1, 1, 1, 1], num_classes=num_classes, in_channels=in_channels,
                  width=width, shortcut=shortcut, small_input=True)


def layer_count(model: ResNet) -> int:
    """Weighted layers as the paper counts them: stem conv + convs inside the blocks + fc."""
    per_block = {BasicBlock: 2, PreActBlock: 2, Bottleneck: 3}
    return 1 + sum(per_block[type(b)] for b in model.blocks) + 1


def resnet18(**kwargs) -> ResNet:
    """ResNet-18 (Table 1): basic blocks [2, 2, 2, 2]; 11.7 M parameters, 1.8 G multiply-adds."""
    return ResNet(BasicBlock, [2, 2, 2, 2], **kwargs)


def resnet34(**kwargs) -> ResNet:
    """ResNet-34 (Table 1): basic blocks [3, 4, 6, 3]; 21.8 M parameters, 3.6 G multiply-adds."""
    return ResNet(BasicBlock, [3, 4, 6, 3], **kwargs)


def resnet50(**kwargs) -> ResNet:
    """ResNet-50 (Table 1): bottlenecks [3, 4, 6, 3]; 25.6 M parameters, 3.8 G multiply-adds."""
    return ResNet(Bottleneck, [3, 4, 6, 3], **kwargs)


def resnet101(**kwargs) -> ResNet:
    """ResNet-101 (Table 1): bottlenecks [3, 4, 23, 3]; 44.5 M parameters, 7.6 G multiply-adds."""
    return ResNet(Bottleneck, [3, 4, 23, 3], **kwargs)


def resnet152(**kwargs) -> ResNet:
    """ResNet-152 (Table 1): bottlenecks [3, 8, 36, 3]; 60.2 M parameters, 11.3 G multiply-adds."""
    return ResNet(Bottleneck, [3, 8, 36, 3], **kwargs)


def small_bottleneck_resnet(shortcut: str = "B", width: int = 8, blocks: int = 2,
                            in_channels: int = 1, num_classes: int = 10) -> ResNet:
    """A bottleneck ResNet for small pictures: four stages of ``blocks`` bottleneck blocks each,
    ``width``-``8 width`` channels inside the blocks, four times that between them (notebook 10's
    shortcut experiment). ``2 + 12 * blocks`` weighted layers (26 for ``blocks=2``).

    A projection on a bottleneck block's shortcut (``4c -> 4c``, 16 c^2 weights) costs about as much
    as the block itself (``4c*c + 9c^2 + c*4c`` = 17 c^2), so here options B and C differ by a real
    share of the parameters (the paper's reason to keep identity shortcuts in bottleneck nets).
    """
    return ResNet(Bottleneck, [blocks] * 4, num_classes=num_classes, in_channels=in_channels,
                  width=width, shortcut=shortcut, small_input=True)


def small_preact_resnet(pre_activation: bool, width: int = 8, blocks: int = 3,
                        in_channels: int = 1, num_classes: int = 10) -> ResNet:
    """Four stages of ``blocks`` basic blocks, either original (``relu(F(x) + x)``, He et al. 2015)
    or pre-activation (``x + F(x)``, BN and ReLU moved before each convolution; He et al. 2016).
    Option-A (parameter-free) shortcuts in both, so both have the same convolutions; the
    pre-activation net has a few more batch-norm parameters (its final BN and the BN on each
    block's input). ``2 + 8 * blocks`` weighted layers (26 for ``blocks=3``).
    """
    block = PreActBlock if pre_activation else BasicBlock
    return ResNet(block, [blocks] * 4, num_classes=num_classes, in_channels=in_channels,
                  width=width, shortcut="A", small_input=True)
