"""GoogLeNet's auxiliary classifier: how much gradient does it add to an early layer? (notebook 07)

Szegedy et al., "Going Deeper with Convolutions", CVPR 2015, section 5: side classifiers after
Inception 4a and 4d add 0.3 × their loss during training, "to increase the gradient signal that
gets propagated back". We measure the gradient norm at the first convolution of
:func:`course_utils.models.small_googlenet` with and without that extra loss, on the same batch
and the same weights.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from ..data import fashion_mnist_loaders
from ..models.googlenet import small_googlenet
from . import Experiment, Outcome, seeded


@dataclass(frozen=True)
class Settings:
    """How many initialisations are measured, on one batch of how many images."""

    seeds: int
    images: int = 128
    aux_weight: float = 0.3


SETTINGS = {"ci": Settings(seeds=3), "default": Settings(seeds=8), "full": Settings(seeds=20)}


def stem_gradient_norms(model: nn.Module, x: torch.Tensor, y: torch.Tensor,
                        aux_weight: float = 0.3) -> dict[str, float]:
    """Gradient norms of the first conv's weights for the main loss alone and main + aux loss.

    ``model`` is a small GoogLeNet with an auxiliary head; x [N, 1, 28, 28], y [N].
    Returns ``{"main": ‖∇ main‖, "with_aux": ‖∇ (main + aux_weight·aux)‖, "aux_only": ‖∇ aux‖}``.
    """
    if getattr(model, "aux", None) is None:
        raise ValueError("the model has no auxiliary classifier: build it with aux=True")
    model.train()
    weight = model.stem[0][0].weight
    norms: dict[str, float] = {}
    for name, scale_main, scale_aux in (("main", 1.0, 0.0), ("with_aux", 1.0, aux_weight),
                                        ("aux_only", 0.0, 1.0)):
        seeded(0)  # the same dropout masks in every pass
        logits, aux = model(x)
        loss = scale_main * nn.functional.cross_entropy(logits, y) + \
            scale_aux * nn.functional.cross_entropy(aux, y)
        grad, = torch.autograd.grad(loss, weight)
        norms[name] = float(grad.norm())
    return norms


def run(s: Settings) -> Outcome:
    """Stem gradient norms with and without the auxiliary loss, for ``s.seeds`` random
    initialisations, in the paper's setting (no batch norm) and with batch norm.

    Returns ``{"plain": [row, ...], "batch_norm": [row, ...]}`` with rows as in
    :func:`stem_gradient_norms`, one per initialisation.
    """
    train, _ = fashion_mnist_loaders(s.images, train_limit=s.images, test_limit=10)
    x, y = next(iter(train))
    out: dict = {}
    for key, bn in (("plain", False), ("batch_norm", True)):
        rows = []
        for seed in range(s.seeds):
            seeded(seed)
            rows.append(stem_gradient_norms(small_googlenet(aux=True, batch_norm=bn), x, y, s.aux_weight))
        out[key] = rows
    return Outcome(out)


EXPERIMENT = Experiment("aux-gradient", run, SETTINGS)
