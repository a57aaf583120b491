"""Train LeNet-5 on Fashion-MNIST with the course's engine (notebook 03).

Sizes are decided here, once, per profile: ``ci`` trains on a 4,000-image subset for a few
seconds (an honest lower bound is asserted), ``default`` on all 60,000 images for a few epochs
(about a minute on one laptop core; the notebook asserts at least 89 % test accuracy), ``full``
for longer. SGD with momentum and a cosine learning-rate schedule, the engine's defaults otherwise.
"""

from __future__ import annotations

import torch

from ..data import fashion_mnist_loaders
from ..models.lenet import LeNet5, lenet5
from ..results import save_weights
from ..runtime import by_profile, current_profile, device as default_device
from ..train import History, fit

NAME = "lenet-fashion"
"""Result and weights: ``data/results/lenet-fashion-<profile>.json`` and ``.pt``."""


def lenet_settings(profile: str | None = None) -> dict:
    """Training set size, epochs, batch size and learning rate for ``profile`` (default: active)."""
    prof = profile or current_profile()
    return {
        "train_limit": by_profile(ci=4000, default=None, full=None, profile=prof),
        "epochs": by_profile(ci=3, default=6, full=20, profile=prof),
        "batch_size": by_profile(ci=64, default=128, full=128, profile=prof),
        "lr": 0.05,
    }


def train_lenet(profile: str | None = None, device: torch.device | None = None,
                model: LeNet5 | None = None) -> tuple[LeNet5, History]:
    """Train ``model`` (a fresh :func:`lenet5` by default) at ``profile``; returns it and its history."""
    s = lenet_settings(profile)
    train, test = fashion_mnist_loaders(s["batch_size"], train_limit=s["train_limit"])
    model = model if model is not None else lenet5()
    model.to(device or default_device())
    opt = torch.optim.SGD(model.parameters(), lr=s["lr"], momentum=0.9, weight_decay=5e-4)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=s["epochs"])
    history = fit(model, train, test, epochs=s["epochs"], optimizer=opt, scheduler=schedule,
                  device=device, label="LeNet-5 on Fashion-MNIST")
    return model, history


def run(profile: str) -> dict:
    """``make results`` entry: train a seed-0 LeNet-5, store its weights; history and accuracy.

    The weights go to ``data/results/lenet-fashion-<profile>.pt`` so that notebook 03 can show
    the trained kernels and feature maps without training (``load_weights(lenet5(), NAME)``).
    """
    torch.manual_seed(0)
    model, history = train_lenet(profile)
    save_weights(model, NAME, profile)
    return {"settings": lenet_settings(profile), "history": history.to_dict(),
            "test_accuracy": 1 - history.test_error[-1]}
