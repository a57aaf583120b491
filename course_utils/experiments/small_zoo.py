"""Training the zoo's small 28×28 networks on Fashion-MNIST (notebooks 04, 05, 06).

One place decides how much data and how many epochs each profile gets (:func:`zoo_sizes`);
:func:`train_small` trains any small model with the course's engine, and :func:`dropout_effect`
measures over-fitting with and without dropout (AlexNet, Krizhevsky et al. 2012, section 4.2).
"""
from __future__ import annotations

import torch
from torch import nn

from ..data import fashion_mnist_loaders, random_shift_flip
from ..models.alexnet import small_alexnet
from ..models.googlenet import small_googlenet
from ..models.vgg import small_vgg
from ..results import save_weights
from ..runtime import by_profile, device, seed_everything
from ..train import History, evaluate, fit

FACTORIES = {"alexnet": small_alexnet, "vgg": small_vgg, "googlenet": lambda: small_googlenet(aux=False)}
"""The small models this module trains, by name (GoogLeNet without its auxiliary head: the
course's ``fit`` expects plain logits)."""


def zoo_sizes(profile: str | None = None) -> dict[str, int]:
    """Training images, test images and epochs for the small zoo at ``profile``."""
    return by_profile(ci=dict(train=1536, test=500, epochs=2),
                      default=dict(train=12000, test=2000, epochs=2),
                      full=dict(train=60000, test=10000, epochs=10), profile=profile)


def train_small(model: nn.Module, profile: str | None = None, *, lr: float = 2e-3,
                label: str = "training") -> History:
    """Train ``model`` (x [N, 1, 28, 28] → [N, 10]) on Fashion-MNIST with ``fit``; returns its History.

    Adam (learning rate ``lr``) rather than the papers' SGD: with only a few epochs it gets all
    three small models (including the narrow GoogLeNet) to a useful accuracy.
    """
    sizes = zoo_sizes(profile)
    train, test = fashion_mnist_loaders(128, train_limit=sizes["train"], test_limit=sizes["test"])
    model.to(device())
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    return fit(model, train, test, epochs=sizes["epochs"], optimizer=optimizer, device=device(), label=label)


def small_zoo(name: str, profile: str | None = None) -> dict:
    """Train the small model ``name`` (``alexnet``, ``vgg``, ``googlenet``); JSON-ready summary.

    The trained weights are stored as ``data/results/small-<name>-<profile>.pt`` (the result's
    name in the experiment registry), so a notebook can show what the network learned.
    """
    if name not in FACTORIES:
        raise ValueError(f"unknown small model {name!r}; choose one of {sorted(FACTORIES)}")
    seed_everything(0)
    model = FACTORIES[name]()
    history = train_small(model, profile, label=f"small {name}")
    save_weights(model, f"small-{name}", profile)
    return {"history": history.to_dict(), "test_error": history.test_error[-1],
            "params": sum(p.numel() for p in model.parameters()), **zoo_sizes(profile)}


def dropout_effect(profile: str | None = None, p: float = 0.5) -> dict:
    """Train ``small_alexnet`` on a SMALL training set with dropout 0 and ``p``; measure over-fitting.

    Returns, per run (``"plain"``, ``"dropout"``): training error (eval mode, on the training
    images), test error, the gap between them, and the test error on shifted + mirrored test
    images (``random_shift_flip``), which shows what data augmentation would have to fix.
    """
    images, epochs = by_profile(ci=(512, 3), default=(2000, 8), full=(5000, 20), profile=profile)
    train, test = fashion_mnist_loaders(64, train_limit=images, test_limit=1000)
    shifted = [(random_shift_flip(x, pad=3, generator=torch.Generator().manual_seed(1)), y) for x, y in test]
    out: dict = {"images": images, "epochs": epochs, "p": p}
    for name, rate in (("plain", 0.0), ("dropout", p)):
        seed_everything(0)
        model = small_alexnet(lrn=False, dropout=rate)
        history = fit(model, train, test, epochs=epochs, lr=0.02, device=device(), label=name)
        train_error = evaluate(model, train)["error"]
        out[name] = {"train_error": train_error, "test_error": history.test_error[-1],
                     "gap": history.test_error[-1] - train_error,
                     "shifted_test_error": evaluate(model, shifted)["error"],
                     "history": history.to_dict()}
    return out
