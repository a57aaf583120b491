"""Deep plain networks for studying initialisation and batch norm (notebooks 08 and 09).

* :func:`relu_mlp` -- ``depth`` fully connected layers with ReLUs (and batch norm, if asked);
* :func:`conv_net` -- ``depth`` 3x3 convolutions with batch norm before the ReLU (Ioffe & Szegedy,
  ICML 2015), after it, with injected noise (Santurkar et al., NeurIPS 2018), or without it.
"""

from __future__ import annotations

from torch import nn

from ..ops.batchnorm import BatchNorm2d, NoisyBatchNorm2d
from .init import init_weights_

BN_PLACES = ("before", "after", "noisy", None)
"""Where :func:`conv_net` puts batch norm: before the ReLU, after it, noisy (before), nowhere."""


def relu_mlp(depth: int, width: int = 256, in_features: int = 784, init: str = "he",
             bn: bool = False, num_classes: int = 10) -> nn.Sequential:
    """``depth`` hidden layers Linear (+ BatchNorm1d) + ReLU, then a classifier.

    ``x [N, in_features] -> [N, num_classes]``; ``model[i]`` are the layers in order.
    """
    if depth < 1 or width < 1:
        raise ValueError(f"depth={depth} and width={width} must both be at least 1")
    layers: list[nn.Module] = []
    for i in range(depth):
        layers.append(nn.Linear(in_features if i == 0 else width, width, bias=not bn))
        if bn:
            layers.append(nn.BatchNorm1d(width))
        layers.append(nn.ReLU())
    layers.append(nn.Linear(width, num_classes))
    return init_weights_(nn.Sequential(*layers), init)


def _bn_relu(width: int, bn: str | None) -> list[nn.Module]:
    """The layers after one convolution, for batch norm placed at ``bn``."""
    if bn == "after":
        return [nn.ReLU(), BatchNorm2d(width)]
    if bn is None:
        return [nn.ReLU()]
    return [(NoisyBatchNorm2d if bn == "noisy" else BatchNorm2d)(width), nn.ReLU()]


def conv_net(depth: int, width: int = 16, bn: str | None = "before", init: str = "he",
             in_channels: int = 1, num_classes: int = 10) -> nn.Sequential:
    """``depth`` 3x3 conv layers (stride 2 at one third and two thirds of the depth), then global
    average pooling and a classifier; ``bn`` is one of :data:`BN_PLACES`.

    ``x [N, in_channels, H, W] -> [N, num_classes]``.
    """
    if bn not in BN_PLACES:
        raise ValueError(f"bn={bn!r}; use 'before', 'after', 'noisy' or None")
    if depth < 1:
        raise ValueError(f"depth={depth} must be at least 1")
    layers: list[nn.Module] = []
    c_in = in_channels
    for i in range(depth):
        stride = 2 if i in (depth // 3, (2 * depth) // 3) and i > 0 else 1
        layers.append(nn.Conv2d(c_in, width, 3, stride=stride, padding=1, bias=bn is None))
        layers.extend(_bn_relu(width, bn))
        c_in = width
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(width, num_classes)]
    return init_weights_(nn.Sequential(*layers), init)
