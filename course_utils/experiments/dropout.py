"""Dropout against over-fitting (AlexNet, Krizhevsky et al. 2012, section 4.2; notebook 05).

``small_alexnet`` is trained on a SMALL training set with dropout 0 and ``p``, from the same seed
on the same batches. Per run: the training error (eval mode, on the training images), the test
error, the gap between them, and the test error on shifted + mirrored test images
(``random_shift_flip``), which shows what data augmentation would have to fix.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from ..data import fashion_mnist_loaders, random_shift_flip
from ..models.alexnet import small_alexnet
from ..runtime import device
from ..train import evaluate, fit
from . import Experiment, Outcome, seeded


@dataclass(frozen=True)
class Settings:
    """How small the training set is and how long the nets train."""

    images: int
    epochs: int
    p: float = 0.5
    test_images: int = 1000
    lr: float = 0.02
    batch_size: int = 64
    seed: int = 0


SETTINGS = {
    "ci": Settings(images=512, epochs=3),
    "default": Settings(images=2000, epochs=8),
    "full": Settings(images=5000, epochs=20),
}


def run(s: Settings) -> Outcome:
    """Train with dropout 0 (``"plain"``) and ``s.p`` (``"dropout"``); errors, gap, history."""
    train, test = fashion_mnist_loaders(s.batch_size, train_limit=s.images, test_limit=s.test_images)
    shift = torch.Generator().manual_seed(1)  # the same shifted test images for both runs
    shifted = [(random_shift_flip(x, pad=3, generator=shift), y) for x, y in test]
    out: dict = {}
    for name, rate in (("plain", 0.0), ("dropout", s.p)):
        seeded(s.seed)
        model = small_alexnet(lrn=False, dropout=rate)
        history = fit(model, train, test, epochs=s.epochs, lr=s.lr, device=device(), label=name)
        train_error = evaluate(model, train)["error"]
        out[name] = {"train_error": train_error, "test_error": history.test_error[-1],
                     "gap": history.test_error[-1] - train_error,
                     "shifted_test_error": evaluate(model, shifted)["error"],
                     "history": history.to_dict()}
    return Outcome(out)


EXPERIMENT = Experiment("dropout", run, SETTINGS)
