"""A CIFAR-style ResNet trained on Fashion-MNIST (notebooks 09 and 10).

The network is :func:`~course_utils.models.cifar_resnet` (He et al. 2016, section 4.2) with one
input channel; the recipe follows the paper's CIFAR recipe in miniature: SGD with momentum 0.9,
weight decay 5e-4, learning rate 0.1 annealed with a cosine schedule, batches of 128, random
shifts and mirror images as augmentation.

``resnet_fmnist(profile)`` is the registered experiment ``resnet-fmnist``: it trains the
profile's :func:`recipe`, stores the weights as ``data/results/resnet-fmnist-<profile>.pt`` and
returns the curves. Notebook 09 loads the shipped ``default`` result and shows
:func:`live_recipe` (a smaller network, experiment ``resnet-live``), which a student can retrain.
:func:`train` is reused by the block-deletion experiment (plain and residual networks trained the
same way).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch

from ..data import fashion_mnist_loaders
from ..models.cifar_resnet import CifarResNet, cifar_resnet
from ..results import load_result, load_weights, save_weights
from ..runtime import by_profile, seed_everything
from ..train import History, fit

NAME = "resnet-fmnist"


@dataclass(frozen=True)
class Recipe:
    """Everything that decides a training run (``None`` limits mean the whole split)."""

    depth: int
    epochs: int
    train_limit: int | None = None
    test_limit: int | None = None
    width: int = 16
    plain: bool = False
    lr: float = 0.1
    batch_size: int = 128
    augment: bool = True
    seed: int = 0


def recipe(profile: str | None = None) -> Recipe:
    """The shipped run. ``default`` (ResNet-20, 15 epochs, about 40 minutes) was made on one CPU core."""
    return by_profile(ci=Recipe(depth=8, epochs=1, train_limit=2000, test_limit=1000),
                      default=Recipe(depth=20, epochs=15),
                      full=Recipe(depth=56, epochs=60), profile=profile)


def live_recipe(profile: str | None = None) -> Recipe:
    """The small run notebook 09 trains live (seconds in CI, about a minute on a laptop)."""
    return by_profile(ci=Recipe(depth=8, epochs=1, train_limit=2000, test_limit=1000, lr=0.05,
                                batch_size=32, augment=False),
                      default=Recipe(depth=8, epochs=2, train_limit=20000, lr=0.05, batch_size=64,
                                     augment=False),
                      full=Recipe(depth=20, epochs=10), profile=profile)


def build(r: Recipe) -> CifarResNet:
    """The untrained network of recipe ``r`` (one input channel, ten classes)."""
    return cifar_resnet(r.depth, plain=r.plain, num_classes=10, in_channels=1, width=r.width)


def train(r: Recipe, *, device: torch.device | None = None, progress: bool = True,
          label: str | None = None) -> tuple[CifarResNet, History]:
    """Train a fresh network by recipe ``r``; returns the model (in eval mode) and its history."""
    if r.epochs < 1:
        raise ValueError(f"epochs={r.epochs}: train at least one epoch")
    seed_everything(r.seed)
    model = build(r)
    train_loader, test_loader = fashion_mnist_loaders(r.batch_size, train_limit=r.train_limit,
                                                      test_limit=r.test_limit, augment=r.augment,
                                                      seed=r.seed)
    opt = torch.optim.SGD(model.parameters(), lr=r.lr, momentum=0.9, weight_decay=5e-4)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=r.epochs)
    name = label or f"{'plain' if r.plain else 'resnet'}-{r.depth}"
    history = fit(model, train_loader, test_loader, epochs=r.epochs, optimizer=opt,
                  scheduler=schedule, device=device, progress=progress, label=name)
    return model, history


def resnet_fmnist(profile: str) -> dict:
    """Registered experiment: train :func:`recipe`, save the weights, return curves and accuracy."""
    r = recipe(profile)
    model, history = train(r)
    save_weights(model, NAME, profile)
    return {"recipe": asdict(r), "history": history.to_dict(),
            "test_accuracy": 1 - history.test_error[-1]}


def resnet_live(profile: str) -> dict:
    """Registered experiment ``resnet-live``: the small :func:`live_recipe` run of notebook 09."""
    r = live_recipe(profile)
    _model, history = train(r, label=f"ResNet-{r.depth}")
    return {"recipe": asdict(r), "history": history.to_dict(),
            "test_accuracy": 1 - history.test_error[-1]}


def load_shipped(profile: str = "default") -> CifarResNet:
    """The trained network shipped by :func:`resnet_fmnist`, in eval mode.

    It is built from the recipe stored *with* the result (not from today's :func:`recipe`), so the
    weights always fit the architecture they were trained with.

    Raises:
        FileNotFoundError: no shipped result or weights; the message says how to make them.
    """
    result = load_result(NAME, profile)
    model = build(Recipe(**result.data["recipe"])) if result is not None else None
    if model is None or not load_weights(model, NAME, profile):
        raise FileNotFoundError(f"no shipped {NAME} run for profile {profile!r}; make it with "
                                f"`make results EXPERIMENTS={NAME} RESULTS_PROFILE={profile}`")
    return model.eval()
