"""GoogLeNet's auxiliary classifier during TRAINING: does adding 0.3 × its loss make the main
classifier learn faster or end better? (notebook 07)

Szegedy et al. (CVPR 2015, section 5) added side classifiers to strengthen the gradient reaching
early layers; the Inception v3 paper (Szegedy et al., CVPR 2016, section 4) later found they did
not speed up early training and acted mainly as regularisers near the end. We train
:func:`course_utils.models.small_googlenet` twice per seed from the SAME initialisation: once
with loss = main + 0.3 · aux, once with the main loss only (the side head is still computed, so
both arms consume random numbers alike), without batch norm (the paper's setting) and with it.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn
from tqdm.auto import tqdm

from ..data import fashion_mnist_loaders
from ..models.googlenet import small_googlenet
from ..runtime import device, is_quiet
from ..train import evaluate
from . import Experiment, Outcome, seeded


@dataclass(frozen=True)
class Settings:
    """Seeds, the training budget of every arm, and the auxiliary loss weight."""

    seeds: tuple[int, ...]
    train_images: int
    test_images: int
    epochs: int
    batch_norm: tuple[bool, ...] = (False, True)
    aux_weight: float = 0.3
    lr: float = 2e-3
    batch_size: int = 128
    seed: int = 0


SETTINGS = {
    "ci": Settings(seeds=(0,), train_images=256, test_images=256, epochs=1, batch_norm=(False,)),
    "default": Settings(seeds=(0, 1, 2), train_images=6000, test_images=4000, epochs=2),
    # live: the class-sized version a RETRAIN = True cell trains at the default profile (≤ 60 s on 2 threads)
    "live": Settings(seeds=(0,), train_images=3000, test_images=2000, epochs=2),   # one seed, half the images
    "full": Settings(seeds=(0, 1, 2, 3, 4), train_images=60000, test_images=10000, epochs=10),
}


def train_with_aux(model: nn.Module, loader, aux_weight: float, epochs: int, lr: float,
                   dev: torch.device, label: str = "training") -> list[float]:
    """Train a small GoogLeNet with loss = main + ``aux_weight`` · aux (Adam); per-step MAIN losses.

    ``model`` returns ``(logits, aux_logits)`` in training mode (x [N, 1, 28, 28], y [N]).
    """
    model.to(dev).train()
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    losses: list[float] = []
    bar = tqdm(total=epochs * len(loader), desc=label, disable=is_quiet(), leave=False)
    for _ in range(epochs):
        for x, y in loader:
            x, y = x.to(dev), y.to(dev)
            logits, aux = model(x)
            main = nn.functional.cross_entropy(logits, y)
            loss = main + aux_weight * nn.functional.cross_entropy(aux, y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            losses.append(float(main.detach()))
            bar.update(1)
    bar.close()
    model.eval()
    return losses


def run(s: Settings) -> Outcome:
    """For each setting (plain / batch norm) and seed, train with and without the auxiliary loss.

    Returns ``{"seeds": [...], "<plain|batch_norm>": {"<with_aux|no_aux>": {"test_error": [per
    seed], "final_loss": [per seed: mean main loss over the last 20 % of steps], "losses": [per
    seed: per-step main loss]}}}``.
    """
    dev = device()
    out: dict = {"seeds": list(s.seeds)}
    for bn in s.batch_norm:
        key = "batch_norm" if bn else "plain"
        out[key] = {}
        for arm, weight in (("with_aux", s.aux_weight), ("no_aux", 0.0)):
            rows = {"test_error": [], "final_loss": [], "losses": []}
            for seed in s.seeds:
                train, test = fashion_mnist_loaders(s.batch_size, train_limit=s.train_images,
                                                    test_limit=s.test_images, seed=seed)  # same order in both arms
                seeded(seed)
                model = small_googlenet(aux=True, batch_norm=bn)
                losses = train_with_aux(model, train, weight, s.epochs, s.lr, dev, f"{key} {arm} seed {seed}")
                tail = losses[-max(1, len(losses) // 5):]
                rows["test_error"].append(evaluate(model, test, device=dev)["error"])
                rows["final_loss"].append(sum(tail) / len(tail))
                rows["losses"].append([round(v, 4) for v in losses])
            out[key][arm] = rows
    return Outcome(out)


EXPERIMENT = Experiment("aux-training", run, SETTINGS)
