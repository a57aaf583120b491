"""Delete blocks from a trained network at test time (Veit, Wilber & Belongie, "Residual Networks
Behave Like Ensembles of Relatively Shallow Networks", NeurIPS 2016); notebook 11.

"Deleting" block ``i`` replaces its output by its shortcut: ``x_{i+1} = shortcut(x_i)``, which is
``x_i`` itself for blocks that keep the shape and the parameter-free option-A subsampling for the
blocks that halve the size. The same surgery applies to a plain network (whose blocks never added
that path during training). Nothing is retrained, and the model is unchanged afterwards.
"""

from __future__ import annotations

import random
from contextlib import contextmanager
from typing import Iterator, Sequence

import torch
from torch import nn

from ..train import evaluate

Batches = Sequence[tuple[torch.Tensor, torch.Tensor]]


def _blocks(model: nn.Module) -> list[nn.Module]:
    blocks = getattr(model, "blocks", None)
    if not isinstance(blocks, list) or not blocks:
        raise ValueError("the model needs a `blocks` list of residual blocks (as cifar_resnet and "
                         "resnet18 ... resnet152 have)")
    return blocks


@contextmanager
def blocks_deleted(model: nn.Module, indices: Sequence[int]) -> Iterator[nn.Module]:
    """Inside the ``with``, blocks ``indices`` of ``model.blocks`` output ``block.shortcut(x)``.

    Implemented with forward hooks, so the model is unchanged afterwards. Example::

        with blocks_deleted(model, [3]):
            error = evaluate(model, test_loader)["error"]
    """
    blocks = _blocks(model)
    bad = [i for i in indices if not 0 <= i < len(blocks)]
    if bad:
        raise ValueError(f"block indices {bad} do not exist: the model has blocks 0..{len(blocks) - 1}")
    handles = [blocks[i].register_forward_hook(lambda m, inputs, _out: m.shortcut(inputs[0]))
               for i in indices]
    try:
        yield model
    finally:
        for h in handles:
            h.remove()


def single_deletion_errors(model: nn.Module, loader: Batches,
                           device: torch.device | None = None) -> list[float]:
    """Test error with each block deleted alone: one number per block, input side first."""
    errors = []
    for i in range(len(_blocks(model))):
        with blocks_deleted(model, [i]):
            errors.append(evaluate(model, loader, device=device)["error"])
    return errors


def multi_deletion_errors(model: nn.Module, loader: Batches, counts: Sequence[int], *,
                          trials: int = 3, seed: int = 0,
                          device: torch.device | None = None) -> dict[int, list[float]]:
    """Test errors when ``k`` blocks chosen at random are deleted together, for each ``k``.

    Returns ``{k: [error of each trial]}`` (one trial for ``k = 0`` and ``k = all``, where there
    is only one choice). Veit et al. Fig. 5a plots the mean and spread against ``k``.
    """
    n = len(_blocks(model))
    if any(not 0 <= k <= n for k in counts) or trials < 1:
        raise ValueError(f"counts {list(counts)} must lie in 0..{n} and trials ({trials}) be >= 1")
    rng = random.Random(seed)
    out = {}
    for k in counts:
        errors = []
        for _ in range(trials if 0 < k < n else 1):
            with blocks_deleted(model, rng.sample(range(n), k)):
                errors.append(evaluate(model, loader, device=device)["error"])
        out[k] = errors
    return out
