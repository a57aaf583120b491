"""Shared test setup.

`make test` runs unit tests and notebooks in one pytest run with the notebook settings in the
environment (COURSE_STRICT_CHECKS=1 makes a failing checker raise, COURSE_STATIC_WIDGETS=1 draws
explorers statically). Unit tests start from a neutral environment instead; a test that needs one
of these sets it itself with ``monkeypatch``.
"""

from __future__ import annotations

import matplotlib
import pytest

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _neutral_course_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COURSE_STRICT_CHECKS", raising=False)
    monkeypatch.delenv("COURSE_STATIC_WIDGETS", raising=False)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
