"""Checkers for the exercises of notebooks 05 (AlexNet), 06 (VGG) and 07 (GoogLeNet)."""
from __future__ import annotations

from typing import Any, Callable

import torch
from torch import nn

from ..complexity import count_macs, count_params
from ..models.googlenet import Inception
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


# --------------------------------------------------------------------------- 06: Inception MACs

def _inception_macs(c_in: int, h: int, w: int, c1: int, r3: int, c3: int, r5: int, c5: int,
                    pool_proj: int) -> int:
    return count_macs(Inception(c_in, c1, r3, c3, r5, c5, pool_proj), (c_in, h, w))


def check_inception_macs(fn: Any) -> CheckResult:
    """``fn(c_in, h, w, c1, r3, c3, r5, c5, pool_proj)``: MACs of one Inception module (all
    convs keep h×w), for one image."""
    def by_hand(ci, h, w, c1, r3, c3, r5, c5, pp, k5=25, reduce=True, proj=True):
        per_pixel = ci * c1 + (ci * r3 + r3 * 9 * c3 if reduce else ci * 9 * c3) \
            + (ci * r5 + r5 * k5 * c5 if reduce else ci * 25 * c5) + (ci * pp if proj else 0)
        return h * w * per_pixel

    mistakes = [
        Mistake(lambda *a: by_hand(*a, reduce=False),
                "the 3×3 and 5×5 branches first reduce to r3 / r5 channels with a 1×1 conv"),
        Mistake(lambda *a: by_hand(*a, reduce=False, proj=False),
                "that is the naive module: the 3×3 and 5×5 branches first reduce to r3 / r5 channels "
                "with a 1×1 conv, and the pool branch ends in a 1×1 projection"),
        Mistake(lambda *a: by_hand(*a, proj=False), "count the pool branch's 1×1 projection too"),
        Mistake(lambda *a: by_hand(*a, k5=9), "the 5×5 conv has 25 weights per channel pair"),
        Mistake(lambda ci, h, w, *rest: by_hand(ci, h, w, *rest) // (h * w),
                "that is one pixel: multiply by h·w output positions"),
    ]
    cases = [Case((4, 2, 2, 1, 1, 1, 1, 1, 1)), Case((192, 28, 28, 64, 96, 128, 16, 32, 32), label="inception 3a"),
             Case((480, 14, 14, 192, 96, 208, 16, 48, 64), label="inception 4a")]
    return check_function("inception_macs", fn, _inception_macs, cases, mistakes)


__all__ = ["check_conv_params", "check_vgg_block", "check_inception_macs"]
