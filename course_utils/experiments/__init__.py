"""The measured experiments that notebooks run live (small) and ``make results`` runs at scale.

Each experiment is a function ``run(profile: str) -> dict`` (JSON-ready numbers) in its own module.
:data:`REGISTRY` names the ones whose results can be shipped; the name becomes the result file
``data/results/<name>-<profile>.json``.
"""

from __future__ import annotations

from typing import Callable

from ..results import Result, cached
from ..runtime import current_profile, seed_everything

from .activations import relu_vs_tanh
from .auxiliary import aux_gradient
from .batchnorm import lr_sweep
from .block_deletion import block_deletion
from .degradation import degradation
from .detection import NAME as RCNN_FAMILY
from .detection import run as rcnn_family
from .lenet_fashion import NAME as LENET_FASHION
from .lenet_fashion import run as lenet_fashion
from .resnet_fmnist import resnet_fmnist, resnet_live
from .shortcuts import shortcut_options
from .small_zoo import dropout_effect, small_zoo

REGISTRY: dict[str, Callable[[str], dict]] = {
    LENET_FASHION: lenet_fashion,                                     # notebook 03
    "relu-vs-tanh": relu_vs_tanh,                                     # notebook 04
    "dropout-alexnet": dropout_effect,                                # notebook 04
    "small-alexnet": lambda profile: small_zoo("alexnet", profile),   # notebook 04
    "small-vgg": lambda profile: small_zoo("vgg", profile),           # notebook 05
    "small-googlenet": lambda profile: small_zoo("googlenet", profile),  # notebook 06
    "aux-gradient": aux_gradient,                                     # notebook 06
    "lr-sweep": lr_sweep,                                             # notebook 07
    "degradation": degradation,                                       # notebook 08
    "shortcut-options": shortcut_options,                             # notebook 09
    "resnet-live": resnet_live,                                       # notebook 09
    "resnet-fmnist": resnet_fmnist,                                   # notebook 09
    "block-deletion": block_deletion,                                 # notebook 10
    RCNN_FAMILY: rcnn_family,                                         # notebook 11
}
"""Experiment name -> function of the profile; ``make results`` runs every entry."""


def replay(name: str, *, retrain: bool = False, profile: str | None = None) -> Result:
    """The shipped result of experiment ``name`` at ``profile`` (default: active), or run it here.

    This is the lecture switch of every heavy notebook cell::

        RETRAIN = False   # True: train here (about 1 minute)
        lenet = replay("lenet-fashion", retrain=RETRAIN)

    With ``retrain=False`` the stored ``data/results/<name>-<profile>.json`` (made by
    ``make results``) is loaded in well under a second; if there is none, or ``retrain=True``, the
    same function ``make results`` calls runs here and its result is stored. At the ``ci``
    profile the experiment always runs (see :func:`~course_utils.results.cached`).
    """
    if name not in REGISTRY:
        raise ValueError(f"unknown experiment {name!r}; known: {', '.join(sorted(REGISTRY))}")
    prof = profile or current_profile()

    def run() -> dict:
        seed_everything(0)  # as `make results` does before every experiment
        return REGISTRY[name](prof)

    return cached(name, run, retrain=retrain, profile=prof)
