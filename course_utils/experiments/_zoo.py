"""What the small-network experiments share (not an experiment itself): how the zoo's small 28x28
networks are trained on Fashion-MNIST (``small-vgg``, notebook 06; ``small-googlenet``, notebook 07).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from ..data import fashion_mnist_loaders
from ..runtime import device
from ..train import History, fit


@dataclass(frozen=True)
class ZooSettings:
    """How much data and how many epochs a small network gets."""

    train_images: int
    test_images: int
    epochs: int
    lr: float = 2e-3
    batch_size: int = 128
    seed: int = 0


ZOO_SETTINGS = {
    "ci": ZooSettings(train_images=1536, test_images=500, epochs=2),
    "default": ZooSettings(train_images=12000, test_images=2000, epochs=2),
    "full": ZooSettings(train_images=60000, test_images=10000, epochs=10),
}


def train_small(model: nn.Module, s: ZooSettings, label: str = "training") -> History:
    """Train ``model`` (x [N, 1, 28, 28] -> [N, 10]) on Fashion-MNIST with ``fit``; its History.

    Adam (learning rate ``s.lr``) rather than the papers' SGD: with only a few epochs it gets the
    small models (including the narrow GoogLeNet) to a useful accuracy.
    """
    train, test = fashion_mnist_loaders(s.batch_size, train_limit=s.train_images, test_limit=s.test_images)
    optimizer = torch.optim.Adam(model.parameters(), lr=s.lr)
    return fit(model, train, test, epochs=s.epochs, optimizer=optimizer, device=device(), label=label)


def summary(model: nn.Module, history: History) -> dict:
    """JSON-ready numbers of a trained small network: its history, test error and size."""
    return {"history": history.to_dict(), "test_error": history.test_error[-1],
            "params": sum(p.numel() for p in model.parameters())}
