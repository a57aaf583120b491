"""The small ResNet that notebook 10 trains in front of a class (seconds in CI, under a minute
on two threads), by the same :func:`~course_utils.experiments.resnet_fmnist.train` as the large run."""

from __future__ import annotations

from . import Experiment, Outcome
from .resnet_fmnist import Recipe, train

SETTINGS = {
    "ci": Recipe(depth=8, epochs=1, train_limit=2000, test_limit=1000, lr=0.05, batch_size=32,
                 augment=False),
    # a RETRAIN = True cell trains this in class: at most 60 s on 2 threads (tests/test_retrain_minute.py)
    "default": Recipe(depth=8, epochs=2, train_limit=20000, lr=0.05, batch_size=64, augment=False),
    "full": Recipe(depth=20, epochs=10),
}


def run(r: Recipe) -> Outcome:
    """Train by recipe ``r``; its curves and final test accuracy (the network is not kept)."""
    _model, history = train(r, label=f"ResNet-{r.depth}")
    return Outcome({"history": history.to_dict(), "test_accuracy": 1 - history.test_error[-1]})


EXPERIMENT = Experiment("resnet-live", run, SETTINGS)
