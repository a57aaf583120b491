"""The measured experiments that notebooks run live (small) and ``make results`` runs at scale.

Each experiment is a function ``run(profile: str) -> dict`` (JSON-ready numbers) in its own module.
:data:`REGISTRY` names the ones whose results can be shipped; the name becomes the result file
``data/results/<name>-<profile>.json``.
"""

from __future__ import annotations

from typing import Callable

from .activations import relu_vs_tanh
from .auxiliary import aux_gradient
from .block_deletion import block_deletion
from .degradation import degradation
from .detection import NAME as RCNN_FAMILY
from .detection import run as rcnn_family
from .resnet_fmnist import resnet_fmnist
from .small_zoo import dropout_effect, small_zoo

REGISTRY: dict[str, Callable[[str], dict]] = {
    "relu-vs-tanh": relu_vs_tanh,                                     # notebook 04
    "dropout-alexnet": dropout_effect,                                # notebook 04
    "small-alexnet": lambda profile: small_zoo("alexnet", profile),   # notebook 04
    "small-vgg": lambda profile: small_zoo("vgg", profile),           # notebook 05
    "small-googlenet": lambda profile: small_zoo("googlenet", profile),  # notebook 06
    "aux-gradient": aux_gradient,                                     # notebook 06
    "degradation": degradation,                                       # notebook 08
    "resnet-fmnist": resnet_fmnist,                                   # notebook 09
    "block-deletion": block_deletion,                                 # notebook 10
    RCNN_FAMILY: rcnn_family,                                         # notebook 11
}
"""Experiment name -> function of the profile; ``make results`` runs every entry."""
