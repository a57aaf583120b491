"""Dropout and data augmentation against over-fitting (AlexNet, Krizhevsky et al. 2012,
sections 4.1 and 4.2; notebook 05).

``small_alexnet`` (no LRN) is trained on a SMALL training set for many epochs, so that it
over-fits, in three arms that differ in one thing only:

* ``"plain"``: no dropout, no augmentation;
* ``"dropout"``: dropout with rate ``p`` before both dense layers;
* ``"augment"``: no dropout, every training batch shifted by up to ``shift`` pixels and mirrored
  at random (:func:`course_utils.data.random_shift_flip`).

SGD with momentum 0.9 and NO weight decay, so the arm's own regulariser is the only one. Every arm
runs for every seed (the seed picks the training subset, the initial weights and the batch order;
the arms of one seed share all three). Per run: the training error (eval mode, on the training
images), the test error, the gap between them, the test error on shifted + mirrored test images,
and the per-epoch history.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from ..data import BatchLoader, fashion_mnist_loaders, random_shift_flip
from ..models.alexnet import small_alexnet
from ..runtime import device
from ..train import evaluate, fit
from . import Experiment, Outcome, seeded

ARMS = ("plain", "dropout", "augment")


@dataclass(frozen=True)
class Settings:
    """How small the training set is, how long the nets train, which seeds."""

    images: int
    epochs: int
    seeds: tuple[int, ...]
    p: float = 0.5
    shift: int = 2                # pixels; random_shift_flip's default, used by the loader
    test_images: int = 2000
    lr: float = 0.02
    batch_size: int = 64
    seed: int = 0


SETTINGS = {
    "ci": Settings(images=512, epochs=3, seeds=(0,), test_images=500),
    "default": Settings(images=1000, epochs=30, seeds=(0, 1, 2)),
    # live: the class-sized version a RETRAIN = True cell trains at the default profile (≤ 60 s on 2 threads)
    "live": Settings(images=500, epochs=30, seeds=(0,)),   # one seed on half the images: it still overfits
    "full": Settings(images=5000, epochs=60, seeds=(0, 1, 2, 3, 4)),
}


def train_arm(arm: str, s: Settings, seed: int) -> dict:
    """Train one arm for one seed; its errors, gap and history (JSON-ready)."""
    if arm not in ARMS:
        raise ValueError(f"arm must be one of {ARMS}, got {arm!r}")
    train, test = fashion_mnist_loaders(s.batch_size, train_limit=s.images, test_limit=s.test_images,
                                        augment=arm == "augment", seed=seed)
    plain_train = BatchLoader(train.images, train.labels, 512)  # the training images, never augmented
    shift = torch.Generator().manual_seed(1)  # the same shifted test images for every run
    shifted = [(random_shift_flip(x, pad=s.shift, generator=shift), y) for x, y in test]
    seeded(seed)
    model = small_alexnet(lrn=False, dropout=s.p if arm == "dropout" else 0.0)
    opt = torch.optim.SGD(model.parameters(), lr=s.lr, momentum=0.9)
    history = fit(model, train, test, epochs=s.epochs, optimizer=opt, device=device(),
                  label=f"{arm} seed={seed}")
    train_error = evaluate(model, plain_train)["error"]
    return {"train_error": train_error, "test_error": history.test_error[-1],
            "gap": history.test_error[-1] - train_error,
            "shifted_test_error": evaluate(model, shifted)["error"],
            "history": history.to_dict()}


def run(s: Settings) -> Outcome:
    """Every arm for every seed: ``{"seeds", "arms", <arm>: {<measure>: [per seed]}, "histories"}``."""
    out: dict = {"seeds": list(s.seeds), "arms": list(ARMS), "histories": {a: [] for a in ARMS}}
    for arm in ARMS:
        out[arm] = {k: [] for k in ("train_error", "test_error", "gap", "shifted_test_error")}
        for seed in s.seeds:
            r = train_arm(arm, s, seed)
            for k in out[arm]:
                out[arm][k].append(r[k])
            out["histories"][arm].append(r["history"])
    return Outcome(out)


EXPERIMENT = Experiment("dropout", run, SETTINGS)
