"""Delete blocks from trained networks at test time (Veit, Wilber & Belongie, NeurIPS 2016).

Veit et al. read a residual network as an ensemble of many paths of different lengths: removing
one block removes only the paths through it, so the error rises a little. A plain network has a
single path, so removing any of its layers should break it. Notebook 11 measures both with
:mod:`course_utils.probes.deletion`, on two kinds of networks:

* the well-trained ResNet-20 that ``resnet-fmnist`` ships (15 epochs on all 60,000 images; nothing
  is trained here, its stored weights are loaded): deletions, and the gradient carried by paths of
  each length (:mod:`course_utils.probes.paths`, Veit et al. Fig. 6);
* for each seed in ``seeds``, a plain and a residual network of the same depth trained the same
  way (:func:`~course_utils.experiments.resnet_fmnist.train`, differing only in ``plain``), on a
  smaller budget; the networks of the first seed are kept.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from ..data import fashion_mnist_loaders
from ..probes.deletion import multi_deletion_errors, single_deletion_errors
from ..probes.paths import path_gradient_norms
from ..train import evaluate
from . import Experiment, Outcome, replay
from .resnet_fmnist import Recipe, build, train


@dataclass(frozen=True)
class Settings:
    """The trained pairs' recipe (depth, epochs, images), the seeds, and the probes' sizes."""

    depth: int
    epochs: int
    train_limit: int | None
    test_limit: int
    seeds: tuple[int, ...] = (0, 1, 2)
    trials: int = 3              # random choices of k blocks per k
    path_images: int = 128       # images for the path-gradient probe
    path_samples: int = 8        # random choices of the k residual branches per length
    shipped_test_limit: int = 2000   # test images for the shipped ResNet-20's deletions
    seed: int = 0

    def recipe(self, seed: int, plain: bool) -> Recipe:
        """The :class:`Recipe` of one trained network."""
        return Recipe(depth=self.depth, epochs=self.epochs, train_limit=self.train_limit,
                      test_limit=self.test_limit, plain=plain, seed=seed)


SETTINGS = {
    "ci": Settings(depth=8, epochs=1, train_limit=1000, test_limit=300, seeds=(0,), trials=1,
                   path_images=16, path_samples=1, shipped_test_limit=300),
    "default": Settings(depth=20, epochs=3, train_limit=4000, test_limit=1000),
    # live: the class-sized version a RETRAIN = True cell trains at the default profile (≤ 60 s on 2 threads)
    # (one plain/residual pair of 8 layers, one seed; the shipped ResNet-20 is probed as at default)
    "live": Settings(depth=8, epochs=4, train_limit=4000, test_limit=1000, seeds=(0,), trials=1,
                     path_images=32, path_samples=2, shipped_test_limit=1000),
    "full": Settings(depth=56, epochs=30, train_limit=None, test_limit=10000, trials=5,
                     path_images=256, path_samples=20, shipped_test_limit=10000),
}
KINDS = ("plain", "residual")


def deletions(model: torch.nn.Module, loader, trials: int) -> dict:
    """Intact error, error with each block deleted alone, and with ``k`` random blocks deleted."""
    n = len(model.blocks)
    runs = multi_deletion_errors(model, loader, range(n + 1), trials=trials)
    return {"base_error": evaluate(model, loader)["error"],
            "single": single_deletion_errors(model, loader),
            "multi": {str(k): sum(e) / len(e) for k, e in runs.items()},
            "multi_trials": {str(k): e for k, e in runs.items()}}


def paths(model: torch.nn.Module, loader, s: Settings) -> dict:
    """Gradient norm per path length (Veit et al. Fig. 6) and the number of paths of each length."""
    n = len(model.blocks)
    x, y = loader.images[:s.path_images], loader.labels[:s.path_images]
    norms = path_gradient_norms(model, x, y, range(n + 1), samples=s.path_samples)
    return {"lengths": list(range(n + 1)), "grad_norm": [norms[k] for k in range(n + 1)],
            "count": [math.comb(n, k) for k in range(n + 1)]}


def run(s: Settings) -> Outcome:
    """The shipped ResNet-20's deletions and path gradients; then, per seed, a trained pair.

    ``data["shipped"]``: ``depth``, ``test_images`` and the keys of :func:`deletions` and
    ``paths``. ``data["plain"]`` / ``data["residual"]``: per seed (in the order of
    ``data["seeds"]``) lists of the same keys, plus ``train_error`` and (residual only) ``paths``.
    """
    shipped_run = replay("resnet-fmnist", variant="default")
    shipped = shipped_run.models["resnet"].cpu().eval()
    _, shipped_loader = fashion_mnist_loaders(512, train_limit=100, test_limit=s.shipped_test_limit)
    data: dict = {"seeds": list(s.seeds),
                  "shipped": {"depth": shipped_run.settings["depth"], "test_images": s.shipped_test_limit,
                              "train_error": shipped_run.data["history"]["train_error"][-1],
                              **deletions(shipped, shipped_loader, s.trials),
                              "paths": paths(shipped, shipped_loader, s)}}
    _, test_loader = fashion_mnist_loaders(512, train_limit=100, test_limit=s.test_limit)
    models = {}
    for kind in KINDS:
        rows: dict[str, list] = {"base_error": [], "single": [], "multi": [], "multi_trials": [],
                                 "train_error": [], "paths": []}
        for seed in s.seeds:
            model, history = train(s.recipe(seed, kind == "plain"), label=f"{kind}-{s.depth} seed {seed}")
            model = model.cpu().eval()
            if seed == s.seeds[0]:
                models[kind] = model
            for key, value in deletions(model, test_loader, s.trials).items():
                rows[key].append(value)
            rows["train_error"].append(history.train_error[-1])
            if kind == "residual":
                rows["paths"].append(paths(model, test_loader, s))
        if kind == "plain":
            del rows["paths"]
        data[kind] = rows
    return Outcome(data, models)


def build_models(s: Settings) -> dict:
    """The two untrained networks of the first seed, by kind."""
    return {kind: build(s.recipe(s.seeds[0], kind == "plain")) for kind in KINDS}


EXPERIMENT = Experiment("block-deletion", run, SETTINGS, models=build_models)
