"""Delete blocks from a trained network at test time (Veit, Wilber & Belongie, NeurIPS 2016).

Veit et al. read a residual network as an ensemble of many paths of different lengths: removing
one block removes only the paths through it, so the error rises a little. A plain network has a
single path, so removing any of its layers should break it. Notebook 10 measures both.

"Deleting" block ``i`` means replacing its output by its shortcut: ``x_{i+1} = shortcut(x_i)``,
which is ``x_i`` itself for blocks that keep the shape and the parameter-free option-A
subsampling for the two blocks that halve the size. The same surgery is applied to the plain
network (whose blocks never added that path during training). Nothing is retrained.

``block_deletion(profile)`` is the registered experiment ``block-deletion``: it trains a plain
and a residual network the same way (:func:`deletion_recipe`), stores their weights as
``block-deletion-{plain,residual}-<profile>.pt`` and returns every error it measured.
"""

from __future__ import annotations

import random
from contextlib import contextmanager
from dataclasses import asdict, replace
from typing import Iterator, Sequence

import torch
from torch import nn

from ..data import fashion_mnist_loaders
from ..results import save_weights
from ..runtime import by_profile
from ..train import evaluate
from .resnet_fmnist import Recipe, train

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
                          device: torch.device | None = None) -> dict[int, float]:
    """Mean test error when ``k`` blocks chosen at random are deleted together, for each ``k``.

    Veit et al. Fig. 5a: the residual network's error grows smoothly with ``k``.
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
        out[k] = sum(errors) / len(errors)
    return out


def deletion_recipe(profile: str | None = None) -> Recipe:
    """How the two networks are trained (the plain one gets ``plain=True``, nothing else differs)."""
    return by_profile(ci=Recipe(depth=14, epochs=1, train_limit=2000, test_limit=500),
                      default=Recipe(depth=14, epochs=3, train_limit=10000, test_limit=2000),
                      full=Recipe(depth=56, epochs=30), profile=profile)


def block_deletion(profile: str) -> dict:
    """Registered experiment: train plain and residual, delete blocks, return all the errors.

    Returns ``{"recipe": {...}, "plain": {...}, "residual": {...}}`` where each network has
    ``history``, ``base_error``, ``single`` (error per deleted block) and ``multi`` ({k: error}).
    """
    r = deletion_recipe(profile)
    _, test_loader = fashion_mnist_loaders(512, train_limit=100, test_limit=r.test_limit, seed=r.seed)
    out: dict = {"recipe": asdict(r)}
    for kind, plain in (("plain", True), ("residual", False)):
        model, history = train(replace(r, plain=plain), label=f"{kind}-{r.depth}")
        save_weights(model, f"block-deletion-{kind}", profile)
        counts = list(range(0, len(model.blocks) + 1, 1))
        out[kind] = {"history": history.to_dict(),
                     "base_error": evaluate(model, test_loader)["error"],
                     "single": single_deletion_errors(model, test_loader),
                     "multi": {str(k): e for k, e in multi_deletion_errors(model, test_loader, counts).items()}}
    return out
