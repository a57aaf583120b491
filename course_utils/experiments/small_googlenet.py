"""A small GoogLeNet (Inception modules, notebook 07) trained on Fashion-MNIST, without its
auxiliary head (the course's ``fit`` expects plain logits); its weights are kept."""

from __future__ import annotations

from ..models.googlenet import small_googlenet
from . import Experiment, Outcome
from ._zoo import ZOO_SETTINGS, ZooSettings, summary, train_small


def run(s: ZooSettings) -> Outcome:
    """Train :func:`~course_utils.models.googlenet.small_googlenet`; history, test error and size."""
    model = small_googlenet(aux=False)
    history = train_small(model, s, label="small GoogLeNet")
    return Outcome(summary(model, history), {"googlenet": model})


EXPERIMENT = Experiment("small-googlenet", run, ZOO_SETTINGS,
                        models=lambda s: {"googlenet": small_googlenet(aux=False)})
