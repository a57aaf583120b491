"""Train LeNet-5 on Fashion-MNIST with the course's engine (notebook 04).

``ci`` trains on a 4,000-image subset for a few seconds (an honest lower bound is asserted),
``default`` on all 60,000 images for a few epochs (about a minute on one laptop core), ``full``
for longer. SGD with momentum and a cosine learning-rate schedule, the engine's defaults otherwise.
The trained network is kept (``replay("lenet-fashion").models["lenet"]``), so notebook 04 can show
its kernels and feature maps without training.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from ..data import fashion_mnist_loaders
from ..models.lenet import LeNet5, lenet5
from ..runtime import device
from ..train import History, fit
from . import Experiment, Outcome


@dataclass(frozen=True)
class Settings:
    """How LeNet-5 is trained."""

    train_images: int | None   # None: all 60,000
    epochs: int
    batch_size: int
    lr: float = 0.05
    seed: int = 0


SETTINGS = {
    "ci": Settings(train_images=4000, epochs=3, batch_size=64),
    "default": Settings(train_images=None, epochs=6, batch_size=128),
    "full": Settings(train_images=None, epochs=20, batch_size=128),
}


def train_lenet(s: Settings, model: LeNet5 | None = None) -> tuple[LeNet5, History]:
    """Train ``model`` (a fresh :func:`lenet5` by default) as ``s`` says; returns it and its history."""
    train, test = fashion_mnist_loaders(s.batch_size, train_limit=s.train_images)
    model = model if model is not None else lenet5()
    opt = torch.optim.SGD(model.parameters(), lr=s.lr, momentum=0.9, weight_decay=5e-4)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=s.epochs)
    history = fit(model, train, test, epochs=s.epochs, optimizer=opt, scheduler=schedule,
                  device=device(), label="LeNet-5 on Fashion-MNIST")
    return model, history


def run(s: Settings) -> Outcome:
    """Train a LeNet-5 and keep it; its per-epoch history and final test accuracy."""
    model, history = train_lenet(s)
    return Outcome({"history": history.to_dict(), "test_accuracy": 1 - history.test_error[-1]},
                   {"lenet": model})


EXPERIMENT = Experiment("lenet-fashion", run, SETTINGS, models=lambda s: {"lenet": lenet5()})
