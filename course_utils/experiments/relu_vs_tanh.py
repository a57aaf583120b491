"""ReLU against tanh: how many steps until the training error first reaches a target (notebook 05).

AlexNet's paper (Krizhevsky et al., NeurIPS 2012, Figure 1) trained a four-layer CNN on CIFAR-10
without any regularisation, with ReLUs and with tanh, each at the learning rate that made it
fastest, and reports that ReLU reached 25 % training error six times sooner. We repeat the race
on Fashion-MNIST with :func:`course_utils.models.small_alexnet` (no batch norm, no LRN, no dropout,
one tower: three conv and two dense layers) and PyTorch's default initialisation:

* every (activation, learning rate, seed) run trains until its running training error first
  reaches ``target`` (or ``max_steps``);
* like the paper, each activation gets the learning rate of ``lrs`` that is fastest for it
  (fewest steps averaged over the seeds);
* the result keeps the steps of every run, the chosen rates, and the ratio tanh / ReLU per seed.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from tqdm.auto import tqdm

from ..data import fashion_mnist_loaders
from ..models.alexnet import small_alexnet
from ..runtime import device, is_quiet
from . import Experiment, Outcome, seeded

ACTIVATIONS: dict[str, type[nn.Module]] = {"relu": nn.ReLU, "tanh": nn.Tanh}


@dataclass(frozen=True)
class Settings:
    """How the ReLU/tanh race is run."""

    images: int                   # training images (a fixed subset, cycled through)
    target: float                 # training error to reach (running mean over ``window`` batches)
    max_steps: int                # a run that has not reached the target by then stops
    lrs: tuple[float, ...]        # learning rates tried for each activation (SGD, momentum 0.9)
    seeds: tuple[int, ...]
    window: int = 20
    batch_size: int = 64
    seed: int = 0


SETTINGS = {
    "ci": Settings(images=2048, target=0.5, max_steps=120, lrs=(0.03,), seeds=(0,)),
    "default": Settings(images=12000, target=0.15, max_steps=800, lrs=(0.01, 0.03), seeds=(0, 1, 2)),
    # live: the class-sized version a RETRAIN = True cell trains at the default profile (≤ 60 s on 2 threads)
    "live": Settings(images=12000, target=0.15, max_steps=800, lrs=(0.03,), seeds=(0,)),   # seed 0, best rate
    "full": Settings(images=60000, target=0.10, max_steps=6000, lrs=(0.003, 0.01, 0.03, 0.1),
                     seeds=(0, 1, 2, 3, 4)),
}


def running_error(errors: list[float], window: int) -> np.ndarray:
    """Moving average of per-batch training errors over ``window`` batches (length n-window+1).

    Each window is summed first and divided once, like ``np.mean``: a batch error k/128 is exact in
    floating point, so a window whose mean is exactly the target compares equal to it."""
    if window < 1 or window > len(errors):
        raise ValueError(f"window {window} must be between 1 and the number of batches ({len(errors)})")
    return np.convolve(np.asarray(errors, dtype=float), np.ones(window), mode="valid") / window


def steps_to_target(errors: list[float], target: float, window: int) -> int | None:
    """First step at which the running training error is ≤ ``target``; ``None`` if never."""
    if len(errors) < window:
        return None
    smooth = running_error(errors, window)
    hits = np.nonzero(smooth <= target)[0]
    return int(hits[0]) + window if len(hits) else None


def race(activation: type[nn.Module], s: Settings, lr: float, seed: int,
         dev: torch.device | None = None) -> list[float]:
    """Per-batch training errors of ``small_alexnet(activation=...)``, SGD + momentum 0.9 at ``lr``,
    until the running error reaches ``s.target`` or ``s.max_steps`` batches have been seen."""
    dev = dev or device()
    seeded(seed)
    model = small_alexnet(activation=activation, lrn=False, dropout=0.0, two_gpu=False).to(dev)
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    train, _ = fashion_mnist_loaders(s.batch_size, train_limit=s.images, test_limit=10, seed=seed)
    errors: list[float] = []
    bar = tqdm(total=s.max_steps, desc=f"{activation.__name__} lr={lr} seed={seed}",
               disable=is_quiet(), leave=False)
    while len(errors) < s.max_steps:
        for x, y in train:
            x, y = x.to(dev), y.to(dev)
            logits = model(x)
            loss = nn.functional.cross_entropy(logits, y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            errors.append(float((logits.argmax(1) != y).float().mean()))
            bar.update(1)
            done = steps_to_target(errors, s.target, s.window) is not None   # the same test as run()'s
            if done or len(errors) >= s.max_steps or not np.isfinite(loss.item()):
                bar.close()
                return errors
    bar.close()
    return errors


def run(s: Settings) -> Outcome:
    """Every (activation, learning rate, seed) race; the fastest rate per activation; the ratios.

    Returns ``{"seeds", "lrs", "steps": {act: {lr: [per seed]}}, "best_lr": {act: lr},
    "relu_steps", "tanh_steps" (per seed at the best rates), "speedup" (tanh / ReLU per seed),
    "curves": {act: [per-seed errors at the best rate]}}``; a race that never reaches the
    target counts as ``max_steps`` (and is listed in ``"unfinished"``).
    """
    steps: dict = {a: {} for a in ACTIVATIONS}
    curves: dict = {a: {} for a in ACTIVATIONS}
    unfinished: list[str] = []
    for name, act in ACTIVATIONS.items():
        for lr in s.lrs:
            per_seed = []
            for seed in s.seeds:
                errors = race(act, s, lr, seed)
                n = steps_to_target(errors, s.target, s.window)
                if n is None:
                    unfinished.append(f"{name} lr={lr} seed={seed}")
                per_seed.append(n if n is not None else s.max_steps)
                curves[name].setdefault(str(lr), []).append(errors)
            steps[name][str(lr)] = per_seed
    best = {a: min(steps[a], key=lambda lr: (np.mean(steps[a][lr]), float(lr))) for a in ACTIVATIONS}
    relu, tanh = steps["relu"][best["relu"]], steps["tanh"][best["tanh"]]
    return Outcome({
        "seeds": list(s.seeds), "lrs": [str(lr) for lr in s.lrs], "steps": steps,
        "best_lr": best, "relu_steps": relu, "tanh_steps": tanh,
        "speedup": [t / r for t, r in zip(tanh, relu)], "unfinished": unfinished,
        "curves": {a: curves[a][best[a]] for a in ACTIVATIONS},
    })


EXPERIMENT = Experiment("relu-vs-tanh", run, SETTINGS)
