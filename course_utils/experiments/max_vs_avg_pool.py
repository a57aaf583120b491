"""Max against average pooling in the same LeNet-5 on Fashion-MNIST, over several seeds (notebook 04).

Seed note 001 says max pooling extracts "sharper" features, that sharp features are better for
classification, and that this is why max pooling is used more; seed note 003 says pooling helps
against over-fitting. Here both poolings go into the same :func:`course_utils.models.lenet5`
(2×2 windows, stride 2), trained with the recipe of ``lenet-fashion`` (SGD with momentum, weight
decay 5e-4, cosine schedule). The arms of one seed share the training subset, the batch order and
every initial weight (pooling has no weights). Per run: training error (eval mode), test error,
their gap, and the test error on test images shifted by ``shift`` pixels to the right.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from ..data import BatchLoader, fashion_mnist_loaders
from ..models.lenet import lenet5
from ..probes.shift import shift_images
from ..runtime import device
from ..train import evaluate, fit
from . import Experiment, Outcome, seeded

POOLS = ("max", "avg")


@dataclass(frozen=True)
class Settings:
    """Training set size, epochs and seeds of the comparison."""

    train_images: int | None   # None: all 60,000
    epochs: int
    seeds: tuple[int, ...]
    test_images: int | None = None   # None: all 10,000
    shift: int = 2
    batch_size: int = 128
    lr: float = 0.05
    seed: int = 0


SETTINGS = {
    "ci": Settings(train_images=2000, epochs=1, seeds=(0,), test_images=1000),
    "default": Settings(train_images=None, epochs=4, seeds=(0, 1, 2)),
    # live: the class-sized version a RETRAIN = True cell trains at the default profile (≤ 60 s on 2 threads)
    "live": Settings(train_images=20000, epochs=4, seeds=(0,)),   # one seed, a third of the images
    "full": Settings(train_images=None, epochs=20, seeds=(0, 1, 2, 3, 4)),
}


def train_pool(pool: str, s: Settings, seed: int) -> dict:
    """Train ``lenet5(pool=pool)`` from ``seed``; its errors (JSON-ready)."""
    train, test = fashion_mnist_loaders(s.batch_size, train_limit=s.train_images, test_limit=s.test_images,
                                        seed=seed)
    seeded(seed)
    model = lenet5(pool=pool)
    opt = torch.optim.SGD(model.parameters(), lr=s.lr, momentum=0.9, weight_decay=5e-4)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=s.epochs)
    history = fit(model, train, test, epochs=s.epochs, optimizer=opt, scheduler=schedule,
                  device=device(), label=f"{pool} pooling, seed {seed}")
    train_error = evaluate(model, BatchLoader(train.images, train.labels, 512))["error"]
    shifted = BatchLoader(shift_images(test.images, s.shift, fill=float(test.images.min())), test.labels, 512)
    return {"train_error": train_error, "test_error": history.test_error[-1],
            "gap": history.test_error[-1] - train_error,
            "shifted_test_error": evaluate(model, shifted)["error"]}


def run(s: Settings) -> Outcome:
    """Both poolings for every seed: ``{"seeds", "pools", <pool>: {<measure>: [per seed]}}``."""
    out: dict = {"seeds": list(s.seeds), "pools": list(POOLS)}
    for pool in POOLS:
        out[pool] = {k: [] for k in ("train_error", "test_error", "gap", "shifted_test_error")}
        for seed in s.seeds:
            r = train_pool(pool, s, seed)
            for k in out[pool]:
                out[pool][k].append(r[k])
    return Outcome(out)


EXPERIMENT = Experiment("max-vs-avg-pool", run, SETTINGS)
