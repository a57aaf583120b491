"""AlexNet: five convolutions and three fully connected layers (notebook 05).

Krizhevsky, Sutskever & Hinton, "ImageNet Classification with Deep Convolutional Neural
Networks", NeurIPS 2012, section 3 and Figure 2.

The paper trained ONE network whose neurons were split over two GPUs (3 GB each). Every layer has
two halves; conv2, conv4 and conv5 only see the half of the previous layer that lives on their own
GPU, while conv3 and the fully connected layers see both halves. Inside one device this is exactly
a grouped convolution (``groups=2``): the kernels of group g only read input channels of group g.
``alexnet(two_gpu=False)`` is the "single tower" network with the same widths and no split.

Sizes for one image of 3×227×227 (the paper writes 224, but 227 makes the arithmetic work):

=========  ===============================  ===========
layer      kernels                          output
=========  ===============================  ===========
conv1      96 × 11×11×3, stride 4           96×55×55
pool1      3×3, stride 2 (overlapping)      96×27×27
conv2      256 × 5×5×48, pad 2, 2 groups    256×27×27
pool2                                       256×13×13
conv3      384 × 3×3×256, pad 1             384×13×13
conv4      384 × 3×3×192, pad 1, 2 groups   384×13×13
conv5      256 × 3×3×192, pad 1, 2 groups   256×13×13
pool5                                       256×6×6
fc6, fc7   4096, 4096 (dropout 0.5 before)
fc8        1000
=========  ===============================  ===========

Local response normalisation (LRN, k=2, n=5, α=1e-4, β=0.75) follows ReLU after conv1 and conv2.
"""
from __future__ import annotations

import torch
from torch import nn

__all__ = ["AlexNet", "alexnet", "small_alexnet", "local_response_norm"]

LRN_PAPER = dict(size=5, alpha=5 * 1e-4, beta=0.75, k=2.0)
"""The paper's LRN (section 3.3: n=5, α=1e-4, β=0.75, k=2) as ``nn.LocalResponseNorm`` arguments.
PyTorch divides ``alpha`` by ``size``, so the paper's α=1e-4 becomes alpha = 5 · 1e-4."""


def local_response_norm(a: torch.Tensor, size: int = 5, alpha: float = 1e-4, beta: float = 0.75,
                        k: float = 2.0) -> torch.Tensor:
    """LRN written from the paper's formula, for ``a [N, C, H, W]`` → ``[N, C, H, W]``.

    b_i = a_i / (k + α · Σ_{j=i-n/2}^{i+n/2} a_j²)^β, the sum running over ``size`` = n
    neighbouring channels (cut at the edges), exactly as the paper writes it. PyTorch's
    ``nn.LocalResponseNorm(size, alpha, beta, k)`` uses alpha/size instead of α, so it agrees with
    this function when given ``alpha = size · α``.
    """
    if a.dim() != 4:
        raise ValueError(f"local_response_norm expects [N, C, H, W], got shape {tuple(a.shape)}")
    squares = a.pow(2)
    c = a.shape[1]
    total = torch.zeros_like(a)
    for i in range(c):
        lo, hi = max(0, i - size // 2), min(c, i + (size - 1) // 2 + 1)
        total[:, i] = squares[:, lo:hi].sum(dim=1)
    return a / (k + alpha * total).pow(beta)


def _block(c_in: int, c_out: int, kernel: int, stride: int, padding: int, groups: int,
           activation: type[nn.Module], lrn: bool, pool: bool) -> list[nn.Module]:
    layers: list[nn.Module] = [nn.Conv2d(c_in, c_out, kernel, stride, padding, groups=groups),
                               activation()]
    if lrn:
        layers.append(nn.LocalResponseNorm(**LRN_PAPER))
    if pool:
        layers.append(nn.MaxPool2d(kernel_size=3, stride=2))  # overlapping: window 3 > stride 2
    return layers


class AlexNet(nn.Module):
    """``features`` (the five conv layers) → flatten → ``classifier`` (the three FC layers).

    x [N, 3, 227, 227] → logits [N, num_classes].
    """

    def __init__(self, num_classes: int = 1000, *, two_gpu: bool = True, lrn: bool = True,
                 dropout: float = 0.5, activation: type[nn.Module] = nn.ReLU) -> None:
        super().__init__()
        g = 2 if two_gpu else 1
        a = activation
        self.features = nn.Sequential(
            *_block(3, 96, 11, 4, 0, 1, a, lrn, pool=True),     # conv1: sees all 3 colours
            *_block(96, 256, 5, 1, 2, g, a, lrn, pool=True),    # conv2: own GPU only
            *_block(256, 384, 3, 1, 1, 1, a, False, False),     # conv3: both GPUs
            *_block(384, 384, 3, 1, 1, g, a, False, False),     # conv4: own GPU only
            *_block(384, 256, 3, 1, 1, g, a, False, True),      # conv5: own GPU only
        )
        self.classifier = nn.Sequential(
            nn.Dropout(dropout), nn.Linear(256 * 6 * 6, 4096), a(),
            nn.Dropout(dropout), nn.Linear(4096, 4096), a(),
            nn.Linear(4096, num_classes),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(torch.flatten(self.features(x), 1))


def alexnet(num_classes: int = 1000, two_gpu: bool = True, **kwargs) -> AlexNet:
    """The paper's AlexNet (≈ 61 M parameters with ``two_gpu=True``; 62.4 M as one tower)."""
    return AlexNet(num_classes, two_gpu=two_gpu, **kwargs)


def small_alexnet(num_classes: int = 10, *, in_channels: int = 1, two_gpu: bool = True,
                  lrn: bool = True, dropout: float = 0.5,
                  activation: type[nn.Module] = nn.ReLU) -> nn.Sequential:
    """AlexNet's ideas sized for 28×28 Fashion-MNIST: x [N, 1, 28, 28] → [N, num_classes].

    ReLU, LRN after the first two convs, overlapping 3×3/2 pooling, a grouped middle conv
    (``two_gpu``) and dropout in a two-layer head. Sizes: 28 → 5×5 conv pad 2 → pool 13 → conv →
    pool 6.
    """
    g = 2 if two_gpu else 1
    a = activation
    return nn.Sequential(
        *_block(in_channels, 32, 5, 1, 2, 1, a, lrn, pool=True),   # 32×13×13
        *_block(32, 64, 3, 1, 1, g, a, lrn, pool=True),            # 64×6×6
        *_block(64, 64, 3, 1, 1, 1, a, False, False),              # 64×6×6
        nn.Flatten(),
        nn.Dropout(dropout), nn.Linear(64 * 6 * 6, 256), a(),
        nn.Dropout(dropout), nn.Linear(256, num_classes),
    )
