"""Checkers for the exercises of notebooks 05 (AlexNet) and 06 (VGG)."""
from __future__ import annotations

from typing import Any, Callable

import torch
from torch import nn

from ..complexity import count_params
from .core import Case, CheckResult, Mistake, check_function


# --------------------------------------------------------------------------- 04: grouped conv params

def _conv_params(c_in: int, c_out: int, k: int, groups: int = 1) -> int:
    return c_out * (c_in // groups) * k * k + c_out


def check_conv_params(fn: Any) -> CheckResult:
    """``fn(c_in, c_out, k, groups)``: parameters (weights + biases) of a k×k conv with ``groups``."""
    cases = [Case((1, 1, 3, 1)), Case((3, 96, 11, 1), label="AlexNet conv1"),
             Case((96, 256, 5, 2), label="AlexNet conv2 (two GPUs)"),
             Case((384, 256, 3, 2), label="AlexNet conv5 (two GPUs)"), Case((8, 8, 3, 4))]
    mistakes = [
        Mistake(lambda ci, co, k, g: co * (ci // g) * k * k, "each output channel also has one bias"),
        Mistake(lambda ci, co, k, g: co * ci * k * k + co,
                "with groups g each kernel sees only c_in / g input channels"),
        Mistake(lambda ci, co, k, g: (co // g) * (ci // g) * k * k + co,
                "only the INPUT side is split: there are still c_out kernels, each reading c_in/g channels"),
        Mistake(lambda ci, co, k, g: co * (ci // g) * k + co, "a k×k kernel has k² weights per input channel"),
    ]
    return check_function("conv_params", fn, _conv_params, cases, mistakes)


# --------------------------------------------------------------------------- 05: a VGG block

def _block_signature(block: Any) -> tuple:
    """What a VGG block must get right: output shape, parameters, ReLUs, max-pools."""
    if not isinstance(block, nn.Module):
        raise TypeError(f"return an nn.Module (e.g. nn.Sequential), not {type(block).__name__}")
    x = torch.zeros(1, block_in_channels(block), 8, 8)
    with torch.no_grad():
        shape = tuple(block(x).shape)
    relus = sum(isinstance(m, nn.ReLU) for m in block.modules())
    pools = sum(isinstance(m, nn.MaxPool2d) for m in block.modules())
    return shape, count_params(block), relus, pools


def block_in_channels(block: nn.Module) -> int:
    """Input channels of the first convolution in ``block``."""
    for m in block.modules():
        if isinstance(m, nn.Conv2d):
            return m.in_channels
    raise TypeError("the block contains no nn.Conv2d")


def _vgg_block(c_in: int, c_out: int, n_convs: int) -> nn.Sequential:
    layers: list[nn.Module] = []
    for i in range(n_convs):
        layers += [nn.Conv2d(c_in if i == 0 else c_out, c_out, 3, padding=1), nn.ReLU()]
    return nn.Sequential(*layers, nn.MaxPool2d(2, 2))


def _signature_of(factory: Callable[..., nn.Module]) -> Callable[..., tuple]:
    return lambda *args: _block_signature(factory(*args))


def check_vgg_block(fn: Any) -> CheckResult:
    """``fn(c_in, c_out, n_convs)`` must return n_convs × (3×3 conv, padding 1, ReLU) + 2×2 max-pool.

    Compared on an 8×8 input: output shape, number of parameters, ReLUs and max-pools.
    """
    if not callable(fn):
        return check_function("vgg_block", fn, _vgg_block, [])
    no_pad = lambda ci, co, n: nn.Sequential(*[m for i in range(n) for m in (
        nn.Conv2d(ci if i == 0 else co, co, 3), nn.ReLU())], nn.MaxPool2d(2, 2))
    mistakes = [
        Mistake(_signature_of(no_pad), "use padding=1 so that each 3×3 conv keeps the height and width"),
        Mistake(_signature_of(lambda ci, co, n: _vgg_block(ci, co, n)[:-1]),
                "end the block with a 2×2 max-pool (stride 2) that halves the height and width"),
        Mistake(_signature_of(lambda ci, co, n: nn.Sequential(*[m for m in _vgg_block(ci, co, n)
                                                               if not isinstance(m, nn.ReLU)])),
                "put a ReLU after every convolution: the non-linearities are the point of stacking"),
    ]
    cases = [Case((1, 4, 1)), Case((3, 8, 2)), Case((8, 16, 3))]
    return check_function("vgg_block", _signature_of(fn), _signature_of(_vgg_block), cases, mistakes)


__all__ = ["check_conv_params", "check_vgg_block"]
