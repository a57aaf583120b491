"""Where the course keeps its files: the data set and its cache, and the experiments' results.

Two folders, each movable with an environment variable (a JupyterHub for a class points
``COURSE_DATA_DIR`` at one shared, read-only copy of the data set, while every student keeps the
results shipped with their own copy of the course):

* :func:`data_dir` -- ``$COURSE_DATA_DIR`` or ``data/`` at the top of the repository: Fashion-MNIST
  files and the fast cache (:mod:`course_utils.data`);
* :func:`results_dir` -- ``$COURSE_RESULTS_DIR`` or ``data/results/``: results and weights with
  their provenance (:mod:`course_utils.results`).
"""

from __future__ import annotations

import os
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
"""The top folder of the course (the one holding ``notebooks/`` and ``course_utils/``)."""


def data_dir() -> Path:
    """The data folder: ``$COURSE_DATA_DIR`` or ``data/`` at the top of the repository."""
    return Path(os.environ.get("COURSE_DATA_DIR") or REPOSITORY / "data")


def results_dir() -> Path:
    """The results folder: ``$COURSE_RESULTS_DIR`` or ``data/results/`` in the repository."""
    return Path(os.environ.get("COURSE_RESULTS_DIR") or REPOSITORY / "data" / "results")
