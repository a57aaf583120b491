"""Shortcut options A, B and C trained the same way (notebook 10).

He et al., "Deep Residual Learning for Image Recognition", CVPR 2016, section 3.3 and Table 3:
where a stage doubles the channels and halves the map, the shortcut is either (A) the identity,
subsampled, with zero-filled new channels; (B) a 1x1 projection there and the identity elsewhere;
or (C) a projection on every block. Here :func:`~course_utils.models.resnet.small_resnet` (10
layers, one basic block per stage) is trained with each option on the same Fashion-MNIST batches.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..data import fashion_mnist_loaders
from ..models.resnet import SHORTCUTS, small_resnet
from ..runtime import device
from ..train import fit
from . import Experiment, Outcome, seeded


@dataclass(frozen=True)
class Settings:
    """How much data, how many epochs and which batch size each option gets."""

    train_images: int
    test_images: int
    epochs: int
    batch_size: int
    lr: float = 0.05
    width: int = 8
    seed: int = 0


SETTINGS = {
    "ci": Settings(train_images=4000, test_images=1000, epochs=1, batch_size=32),
    "default": Settings(train_images=12000, test_images=5000, epochs=2, batch_size=64),
    "full": Settings(train_images=60000, test_images=10000, epochs=10, batch_size=128),
}


def run(s: Settings) -> Outcome:
    """Train :func:`small_resnet` with each option; per option its parameters, final test error
    and history (SGD with momentum, the same initial seed and the same batches for every option)."""
    train, test = fashion_mnist_loaders(s.batch_size, train_limit=s.train_images, test_limit=s.test_images)
    out: dict = {}
    for kind in SHORTCUTS:
        seeded(s.seed)
        model = small_resnet(kind, width=s.width)
        train.generator.manual_seed(s.seed)  # the same batches, in the same order, for every option
        history = fit(model, train, test, epochs=s.epochs, lr=s.lr, device=device(), label=f"option {kind}")
        out[kind] = {"params": sum(p.numel() for p in model.parameters()),
                     "test_error": history.test_error[-1], "history": history.to_dict()}
    return Outcome(out)


EXPERIMENT = Experiment("shortcut-options", run, SETTINGS)
