"""Figures and an explorer for notebook 09 (the degradation problem).

:func:`figure6` draws results of the ``degradation`` experiment (:mod:`course_utils.experiments.degradation`) in the
layout of the ResNet paper's Figure 6 (plain nets left, residual nets right; thin lines training
error, bold lines test error). :func:`degradation_explorer` lets a student switch between runs
(live, shipped) and scrub through the epochs to see every layer's gradient norm.
"""

from __future__ import annotations

from typing import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ..viz import plot_history
from .explorer import Explorer


def figure6(results: Mapping[str, dict], caption: str = "") -> Figure:
    """Error curves of ``results`` (``{"plain-20": {"train_error": [...], ...}, ...}``), two panels."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8), sharey=True)
    for ax, kind in zip(axes, ("plain", "resnet")):
        runs = {name: run for name, run in results.items() if name.startswith(kind)}
        if not runs:
            raise ValueError(f"no '{kind}-N' run in the results (keys: {', '.join(results)})")
        plot_history(runs, ax=ax, title=f"{kind} networks")
    if caption:
        fig.suptitle(caption, fontsize=9)
    fig.tight_layout()
    return fig


def draw_gradients(results: Mapping[str, dict], epoch: int) -> Figure:
    """Per-layer gradient norms of every run after ``epoch`` epochs (0 = at initialisation)."""
    epochs = min(len(run["grad_norms"]) for run in results.values()) - 1
    if not 0 <= epoch <= epochs:
        raise ValueError(f"epoch={epoch}: these runs have gradient norms for epochs 0 to {epochs}")
    fig, ax = plt.subplots(figsize=(7, 3.6))
    for name, run in results.items():
        norms = run["grad_norms"][epoch]
        style = "-" if name.startswith("plain") else ":"
        ax.semilogy(np.linspace(0, 1, len(norms)), norms, style, marker=".", label=f"{name}")
    ax.set_xlabel("relative depth (0 = first convolution, 1 = classifier)")
    ax.set_ylabel("||dL/dW||")
    ax.set_title("at initialisation" if epoch == 0 else f"after epoch {epoch}")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def describe_gradients(results: Mapping[str, dict], epoch: int) -> str:
    """Smallest and largest layer gradient of every run at ``epoch``."""
    parts = []
    for name, run in results.items():
        g = np.asarray(run["grad_norms"][epoch])
        parts.append(f"{name}: {g.min():.2g}..{g.max():.2g}")
    return f"epoch {epoch} | " + " | ".join(parts)


def degradation_explorer(sources: Mapping[str, Mapping[str, dict]]) -> Explorer:
    """Pick a run (e.g. ``{"live": RESULTS, "shipped (one CPU core)": shipped.data}``) and an epoch."""
    import ipywidgets as w

    if not sources:
        raise ValueError("give at least one set of results, e.g. {'live': RESULTS}")
    epochs = max(len(run["grad_norms"]) - 1 for runs in sources.values() for run in runs.values())
    controls = {
        "source": w.Dropdown(options=list(sources), description="run"),
        "epoch": w.IntSlider(value=0, min=0, max=max(epochs, 1), description="epoch"),
    }
    return Explorer(lambda source, epoch: draw_gradients(sources[source], epoch), controls,
                    describe=lambda source, epoch: describe_gradients(sources[source], epoch),
                    title="Gradient norm of every layer, epoch by epoch")
