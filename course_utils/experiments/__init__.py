"""The course's measured experiments, and the one switch that replays or reruns them.

Every experiment has the same shape: a module ``experiments/<name>.py`` (the experiment's name with
``_`` for ``-``) that defines

* its settings, one frozen dataclass per profile (``ci``, ``default``, ``full``) and per named
  variant (such as ``cpu``, the largest run one CPU core made): ``SETTINGS = {"ci": ..., ...}``.
  An experiment whose default run takes more than a minute also has ``live``: the class-sized
  version (one seed, or fewer steps) that a lecture's ``RETRAIN = True`` cell trains in at most
  60 s on two threads, while the notebook's claims stay on the shipped default run;
* ``run(s) -> Outcome``: the measurement itself, JSON-ready numbers plus any trained models;
* ``EXPERIMENT = Experiment("name", run, SETTINGS, models=...)``, where ``models(s)`` builds the
  untrained networks a stored result's weights are loaded into.

A notebook cell shows a stored run with one call, the lecture switch::

    RETRAIN = False   # True: train here (about 1 minute)
    lenet = replay("lenet-fashion", retrain=RETRAIN)
    print(lenet.describe())                      # where, when and how it was made
    model = lenet.models["lenet"]                # trained weights, already loaded

``make results`` (``python -m course_utils.experiments``) makes and stores what ``replay`` reads.
Modules are imported only when an experiment is asked for, so importing this package is cheap.
"""

from __future__ import annotations

import importlib
import json
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Mapping

from torch import nn

from ..results import Result, load_result, load_weights, provenance, save_result, save_weights
from ..runtime import current_profile, seed_everything

NAMES: tuple[str, ...] = (
    "lenet-fashion",      # 03: LeNet-5 on Fashion-MNIST
    "max-vs-avg-pool",    # 04: max against average pooling in LeNet-5, several seeds
    "relu-vs-tanh",       # 04: steps to a training-error target, ReLU against tanh
    "dropout",            # 04: over-fitting with and without dropout
    "small-vgg",          # 05: a small VGG trained
    "vgg-depth",          # 06: small VGGs of 3-12 conv layers at equal budget, 3 seeds
    "small-googlenet",    # 06: a small GoogLeNet trained
    "aux-gradient",       # 06: the auxiliary classifier's extra gradient
    "aux-training",       # 07: training with and without the auxiliary classifier, 3 seeds
    "lr-sweep",           # 07: the largest learning rate without and with batch norm
    "bn-why",             # 08: injected noise vs the no-BN drift, smoothness along the gradient
    "degradation",        # 08: plain and residual nets of several depths (He et al. Fig. 6)
    "depth-sweep",        # 09: plain vs residual over depths 20/32/44/56, three seeds
    "shortcut-options",   # 09: shortcut options A, B and C
    "preactivation",      # 10: original vs pre-activation blocks, three seeds
    "resnet-live",        # 09: a small ResNet a class can watch train
    "resnet-fmnist",      # 09: ResNet-20 trained to about 94 % on Fashion-MNIST
    "block-deletion",     # 10: deleting blocks at test time (Veit et al.)
    "rcnn-family",        # 11: R-CNN, Fast R-CNN and Faster R-CNN compared
)
"""Every experiment, in the order the notebooks use them; ``make results`` runs them all."""


@dataclass
class Outcome:
    """What one run of an experiment produces: JSON-ready ``data`` and trained ``models`` by name."""

    data: dict[str, Any]
    models: dict[str, nn.Module] = field(default_factory=dict)


@dataclass(frozen=True)
class Experiment:
    """An experiment: its ``name``, the function that ``run``\\ s it, its ``settings`` per profile
    or variant, and (if it keeps trained networks) ``models(s)``, which builds them untrained."""

    name: str
    run: Callable[[Any], Outcome]
    settings: Mapping[str, Any]
    models: Callable[[Any], dict[str, nn.Module]] | None = None

    def settings_for(self, key: str | None = None) -> Any:
        """The settings of profile or variant ``key`` (default: the active profile)."""
        key = key or current_profile()
        if key not in self.settings:
            raise ValueError(f"experiment {self.name!r} has no settings {key!r}; "
                             f"it has {', '.join(self.settings)}")
        return self.settings[key]


def experiment(name: str) -> Experiment:
    """The experiment called ``name`` (its module is imported now, not before)."""
    if name not in NAMES:
        raise ValueError(f"unknown experiment {name!r}; known: {', '.join(NAMES)}")
    module = importlib.import_module(f"{__name__}.{name.replace('-', '_')}")
    return module.EXPERIMENT


def _as_json(settings: Any) -> dict[str, Any]:
    """Settings as they are stored in a result (JSON: tuples become lists)."""
    return json.loads(json.dumps(asdict(settings)))


def run_and_store(name: str, key: str | None = None, *, command: str | None = None) -> Result:
    """Run experiment ``name`` with the settings of ``key`` (a profile or variant), store the
    result and any models' weights in ``data/results/``, and return it.

    This is the one place where an experiment is seeded: with ``s.seed`` if its settings have one,
    else 0. Experiments that compare several seeds reseed through :func:`seeded`.
    """
    exp = experiment(name)
    key = key or current_profile()
    s = exp.settings_for(key)
    seed_everything(getattr(s, "seed", 0))
    start = time.perf_counter()
    outcome = exp.run(s)
    seconds = time.perf_counter() - start
    save_result(name, key, outcome.data, settings=_as_json(s), seconds=seconds, command=command)
    for model_name, model in outcome.models.items():
        save_weights(model, name, key, model_name)
    return Result(name, key, outcome.data, provenance(seconds, key, command), _as_json(s),
                  {k: m.eval() for k, m in outcome.models.items()})


def replay(name: str, *, retrain: bool = False, variant: str | None = None) -> Result:
    """The stored run of experiment ``name``, or a new one: the lecture switch.

    With ``retrain=False`` the result stored for the active profile (or for ``variant``) is
    loaded in well under a second, with its trained models. With ``retrain=True``, or when
    nothing is stored, the experiment runs here and its result replaces the stored one. The ``ci``
    profile always runs (a test must exercise the code, not replay what an earlier test left).

    ``variant="live"`` names the class-sized version at the default profile; at any other profile
    it means that profile (``ci`` runs its toy, ``full`` its own run), so one cell serves all three.

    Returns:
        A :class:`~course_utils.results.Result`: ``.data`` (the numbers), ``.settings``,
        ``.provenance`` (print ``.describe()`` as a caption) and ``.models`` (in eval mode).
    """
    exp = experiment(name)
    key = variant or current_profile()
    if key == "live" and current_profile() != "default":
        key = current_profile()
    s = exp.settings_for(key)  # an unknown key fails here, before anything runs
    found = None if retrain or key == "ci" else load_result(name, key)
    if found is None:
        return run_and_store(name, key)
    if found.settings != _as_json(s):
        raise ValueError(f"the stored {name}-{key} result was made with other settings than the code "
                         f"has now ({found.settings} instead of {_as_json(s)}): restore the shipped file "
                         f"with `git checkout -- data/results/{name}-{key}.json`, or retrain (retrain=True)")
    models = {}
    if exp.models is not None:
        models = {k: load_weights(m, name, key, k).eval() for k, m in exp.models(s).items()}
    return Result(found.name, found.profile, found.data, found.provenance, found.settings, models)


def stored(name: str, variant: str) -> bool:
    """Whether a run of ``name`` at ``variant`` is stored (to show an optional larger run)."""
    return load_result(name, variant) is not None


def seeded(seed: int) -> int:
    """Seed everything with ``seed`` before one arm of a comparison; returns ``seed``.

    Used inside experiments that train several networks (or several seeds) which must start from
    the same state: ``for seed in s.seeds: seeded(seed); ...``.
    """
    seed_everything(seed)
    return seed


__all__ = ["NAMES", "Experiment", "Outcome", "experiment", "replay", "run_and_store",
           "seeded", "stored"]
