"""Delete blocks from trained networks at test time (Veit, Wilber & Belongie, NeurIPS 2016).

Veit et al. read a residual network as an ensemble of many paths of different lengths: removing
one block removes only the paths through it, so the error rises a little. A plain network has a
single path, so removing any of its layers should break it. Notebook 11 measures both with
:mod:`course_utils.probes.deletion`. A plain and a residual network are trained the same way
(:func:`~course_utils.experiments.resnet_fmnist.train`, differing only in ``plain``); both are kept.
"""

from __future__ import annotations

from dataclasses import replace

from ..data import fashion_mnist_loaders
from ..probes.deletion import multi_deletion_errors, single_deletion_errors
from ..train import evaluate
from . import Experiment, Outcome
from .resnet_fmnist import Recipe, build, train

SETTINGS = {
    "ci": Recipe(depth=14, epochs=1, train_limit=2000, test_limit=500),
    "default": Recipe(depth=14, epochs=3, train_limit=10000, test_limit=2000),
    "full": Recipe(depth=56, epochs=30),
}
KINDS = ("plain", "residual")


def run(r: Recipe) -> Outcome:
    """Train a plain and a residual network by ``r``, delete blocks, return every error.

    Returns ``{"plain": {...}, "residual": {...}}`` where each network has ``history``,
    ``base_error``, ``single`` (error per deleted block), ``multi`` ({k: mean error over the
    random choices of k blocks}) and ``multi_trials`` ({k: [error of each choice]}).
    """
    _, test_loader = fashion_mnist_loaders(512, train_limit=100, test_limit=r.test_limit, seed=r.seed)
    out: dict = {}
    models = {}
    for kind in KINDS:
        model, history = train(replace(r, plain=kind == "plain"), label=f"{kind}-{r.depth}")
        models[kind] = model
        trials = multi_deletion_errors(model, test_loader, range(len(model.blocks) + 1))
        out[kind] = {"history": history.to_dict(),
                     "base_error": evaluate(model, test_loader)["error"],
                     "single": single_deletion_errors(model, test_loader),
                     "multi": {str(k): sum(e) / len(e) for k, e in trials.items()},
                     "multi_trials": {str(k): e for k, e in trials.items()}}
    return Outcome(out, models)


def build_models(r: Recipe) -> dict:
    """The two untrained networks of recipe ``r``, by kind."""
    return {kind: build(replace(r, plain=kind == "plain")) for kind in KINDS}


EXPERIMENT = Experiment("block-deletion", run, SETTINGS, models=build_models)
