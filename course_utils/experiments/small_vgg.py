"""A small VGG (3x3 stacks, notebook 06) trained on Fashion-MNIST; its weights are kept so the
notebook can show what its filters respond to."""

from __future__ import annotations

from ..models.vgg import small_vgg
from . import Experiment, Outcome
from ._zoo import ZOO_SETTINGS, ZooSettings, summary, train_small


def run(s: ZooSettings) -> Outcome:
    """Train :func:`~course_utils.models.vgg.small_vgg`; its history, test error and size."""
    model = small_vgg()
    history = train_small(model, s, label="small VGG")
    return Outcome(summary(model, history), {"vgg": model})


EXPERIMENT = Experiment("small-vgg", run, ZOO_SETTINGS, models=lambda s: {"vgg": small_vgg()})
