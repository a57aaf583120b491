"""ReLU against tanh: how many steps until the training error first reaches a target (notebook 05).

AlexNet's paper (Krizhevsky et al., NeurIPS 2012, Figure 1) reports that a 4-layer CNN with ReLUs
reached 25 % training error on CIFAR-10 six times faster than the same net with tanh. We repeat
the measurement on Fashion-MNIST with :func:`course_utils.models.small_alexnet` (no LRN, no
dropout, one tower) and PyTorch's default initialisation, and report the ratio we find.
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


@dataclass(frozen=True)
class Settings:
    """How the ReLU/tanh race is run."""

    images: int          # training images
    epochs: int
    target: float        # training error to reach (running mean over ``window`` batches)
    window: int = 10
    lr: float = 0.01
    batch_size: int = 64
    seed: int = 0


SETTINGS = {
    "ci": Settings(images=2048, epochs=1, target=0.6),
    "default": Settings(images=8192, epochs=2, target=0.3),
    "full": Settings(images=60000, epochs=3, target=0.2),
}


def running_error(errors: list[float], window: int) -> np.ndarray:
    """Moving average of per-batch training errors over ``window`` batches (length n-window+1)."""
    if window < 1 or window > len(errors):
        raise ValueError(f"window {window} must be between 1 and the number of batches ({len(errors)})")
    return np.convolve(np.asarray(errors, dtype=float), np.ones(window) / window, mode="valid")


def steps_to_target(errors: list[float], target: float, window: int) -> int | None:
    """First step at which the running training error is ≤ ``target``; ``None`` if never."""
    smooth = running_error(errors, window)
    hits = np.nonzero(smooth <= target)[0]
    return int(hits[0]) + window if len(hits) else None


def train_errors(activation: type[nn.Module], images: int, epochs: int, *, lr: float = 0.01,
                 batch_size: int = 64, seed: int = 0, dev: torch.device | None = None) -> list[float]:
    """Per-batch training errors of ``small_alexnet(activation=...)`` trained with SGD + momentum."""
    dev = dev or device()
    seeded(seed)
    model = small_alexnet(activation=activation, lrn=False, dropout=0.0, two_gpu=False).to(dev)
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    train, _ = fashion_mnist_loaders(batch_size, train_limit=images, test_limit=10, seed=seed)
    errors: list[float] = []
    bar = tqdm(total=epochs * len(train), desc=activation.__name__, disable=is_quiet(), leave=False)
    for _ in range(epochs):
        for x, y in train:
            x, y = x.to(dev), y.to(dev)
            logits = model(x)
            loss = nn.functional.cross_entropy(logits, y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            errors.append(float((logits.argmax(1) != y).float().mean()))
            bar.update(1)
    bar.close()
    return errors


def run(s: Settings) -> Outcome:
    """Train the same small net with ReLU and with tanh; steps to reach the target error.

    Returns ``{"max_steps", "relu_steps", "tanh_steps", "speedup", "relu_errors", "tanh_errors"}``;
    ``speedup`` = tanh steps / ReLU steps (a run that never reaches the target counts as
    ``max_steps``).
    """
    out: dict = {}
    for act in (nn.ReLU, nn.Tanh):
        errors = train_errors(act, s.images, s.epochs, lr=s.lr, batch_size=s.batch_size, seed=s.seed)
        key = act.__name__.lower()
        out[f"{key}_errors"] = errors
        out[f"{key}_steps"] = steps_to_target(errors, s.target, s.window)
    out["max_steps"] = len(out["relu_errors"])
    relu = out["relu_steps"] or out["max_steps"]
    tanh = out["tanh_steps"] or out["max_steps"]
    out["speedup"] = tanh / relu
    return Outcome(out)


EXPERIMENT = Experiment("relu-vs-tanh", run, SETTINGS)
