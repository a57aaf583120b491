"""Gradient by path length in a residual network (Veit, Wilber & Belongie, NeurIPS 2016, Fig. 6).

Unrolled, ``n`` residual blocks give ``2^n`` paths from input to output; a path of length ``k``
goes through the residual branch ``F`` of ``k`` blocks and through the shortcut of the others.
:func:`path_gradient_norms` measures how much gradient paths of each length carry back to the
input of the first block, the way Veit et al. did: run the batch forward through the whole
network (so every activation, ReLU mask and batch-norm statistic is the real one), then in the
backward pass let the gradient through only the residual branch of ``k`` blocks chosen at random
and only through the shortcut of the others. Multiplying by the number of paths of that length,
``C(n, k)``, gives each length's share of the whole gradient (:func:`path_contributions`).
"""

from __future__ import annotations

import math
import random
from typing import Sequence

import torch
import torch.nn.functional as F
from torch import nn


def _gate(through_residual: bool):
    """A forward hook that keeps a block's output but lets the gradient through one branch only."""
    def hook(block: nn.Module, inputs: tuple[torch.Tensor, ...], _out: torch.Tensor) -> torch.Tensor:
        x = inputs[0]
        f, s = block.residual(x), block.shortcut(x)
        return F.relu(f + s.detach()) if through_residual else F.relu(f.detach() + s)
    return hook


def _check(model: nn.Module) -> list[nn.Module]:
    blocks = getattr(model, "blocks", None)
    if not blocks or not all(hasattr(b, "residual") and hasattr(b, "shortcut") for b in blocks):
        raise ValueError("the model needs a `blocks` list whose blocks have `residual(x)` and `shortcut(x)`")
    if getattr(blocks[0], "plain", False):
        raise ValueError("a plain network has one path only: give a residual network")
    return blocks


def path_gradient(model: nn.Module, x: torch.Tensor, y: torch.Tensor, through: set[int]) -> torch.Tensor:
    """``dL/dx_0 [N, C, H, W]`` carried by the one path through the residual branches of blocks
    ``through`` (and the shortcuts of the others); ``L`` is the summed cross-entropy of the batch.

    Summed over all ``2^n`` choices of ``through`` it gives the full gradient (the product of the
    blocks' Jacobians ``D_i (J_F_i + J_S_i)`` expanded term by term). Call in eval mode.
    """
    blocks = _check(model)
    store: list[torch.Tensor] = []

    def leaf(_m, args):  # the first block's input becomes a leaf we can differentiate by
        store.append(args[0].detach().requires_grad_(True))
        return (store[-1],)

    handles = [blocks[0].register_forward_pre_hook(leaf)]
    handles += [b.register_forward_hook(_gate(i in through)) for i, b in enumerate(blocks)]
    try:
        loss = F.cross_entropy(model(x), y, reduction="sum")
        (grad,) = torch.autograd.grad(loss, store[0])
    finally:
        for h in handles:
            h.remove()
    return grad


def path_gradient_norms(model: nn.Module, x: torch.Tensor, y: torch.Tensor, lengths: Sequence[int], *,
                        samples: int = 10, seed: int = 0) -> dict[int, float]:
    """Mean per-image ``||dL/dx_0||`` through paths of each length ``k`` in ``lengths``.

    Args:
        model: a residual network with a ``blocks`` list of post-activation basic blocks
            (``relu(residual(x) + shortcut(x))``, as :func:`~course_utils.models.cifar_resnet`).
        x, y: a batch ``[N, C, H, W]`` and its labels ``[N]``; ``x_0`` is the first block's input.
        lengths: path lengths ``k`` (0..n) to measure.
        samples: random choices of the ``k`` residual blocks per length (one for ``k = 0`` and ``n``).

    Returns ``{k: mean over samples and images of ||dL_i/dx_0,i||}`` with ``L_i`` the
    cross-entropy of image ``i``. The model runs in eval mode and is unchanged afterwards.
    """
    n = len(_check(model))
    if any(not 0 <= k <= n for k in lengths) or samples < 1:
        raise ValueError(f"lengths {list(lengths)} must lie in 0..{n} and samples ({samples}) be >= 1")
    rng = random.Random(seed)
    was_training = model.training
    model.eval()
    out: dict[int, float] = {}
    try:
        for k in lengths:
            norms = []
            for _ in range(samples if 0 < k < n else 1):
                grad = path_gradient(model, x, y, set(rng.sample(range(n), k)))
                norms.append(float(grad.flatten(1).norm(dim=1).mean()))
            out[k] = sum(norms) / len(norms)
    finally:
        model.train(was_training)
    return out


def path_contributions(norms: dict[int, float], n: int) -> dict[int, float]:
    """Each length's share of the total gradient: ``C(n, k) * norm_k``, normalised to sum to 1.

    (Veit et al. Fig. 6c multiply the gradient per path by the number of paths of that length.)
    """
    total = {k: math.comb(n, k) * g for k, g in norms.items()}
    s = sum(total.values())
    if s <= 0:
        raise ValueError("all gradient norms are zero: nothing to share out")
    return {k: v / s for k, v in total.items()}
