"""Pictures shared by all notebooks: image grids, feature maps and training curves.

Every function returns the ``matplotlib`` figure (so a test can inspect it, and a notebook can
save it); in a notebook the figure is shown automatically.
"""

from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure


def _to_numpy(image: torch.Tensor | np.ndarray) -> np.ndarray:
    """``[H, W]``, ``[1, H, W]``, ``[3, H, W]`` or ``[H, W, 3]`` -> ``[H, W]`` or ``[H, W, 3]``."""
    a = image.detach().cpu().float().numpy() if isinstance(image, torch.Tensor) else np.asarray(image)
    if a.ndim == 3 and a.shape[0] in (1, 3) and a.shape[-1] not in (1, 3):
        a = np.moveaxis(a, 0, -1)
    if a.ndim == 3 and a.shape[-1] == 1:
        a = a[..., 0]
    if a.ndim == 3:  # colour: stretch into [0, 1] for imshow
        lo, hi = float(a.min()), float(a.max())
        a = (a - lo) / (hi - lo) if hi > lo else np.zeros_like(a)
    return a


def show_images(images: Sequence[Any] | torch.Tensor | np.ndarray, titles: Sequence[str] | None = None,
                *, ncols: int = 8, cmap: str = "gray", size: float = 1.6,
                suptitle: str | None = None) -> Figure:
    """A grid of images (tensors ``[C, H, W]`` / ``[H, W]`` or arrays ``[H, W(, 3)]``) with titles."""
    n = len(images)
    if n == 0:
        raise ValueError("show_images() needs at least one image")
    if ncols < 1:
        raise ValueError(f"ncols={ncols} columns cannot hold images; use ncols >= 1")
    if titles is not None and len(titles) < n:
        raise ValueError(f"{n} images but only {len(titles)} titles; give one title per image")
    ncols = min(ncols, n)
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows + (0.4 if suptitle else 0)),
                             squeeze=False)
    for k, ax in enumerate(axes.flat):
        ax.axis("off")
        if k < n:
            ax.imshow(_to_numpy(images[k]), cmap=cmap)
            if titles is not None:
                ax.set_title(str(titles[k]), fontsize=8)
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout()
    return fig


def show_feature_maps(maps: torch.Tensor, *, ncols: int = 8, max_maps: int = 32, title: str | None = None,
                      cmap: str = "viridis", size: float = 1.4) -> Figure:
    """Show the channels of one feature map ``[C, H, W]`` (or ``[1, C, H, W]``) side by side."""
    if maps.dim() == 4:
        maps = maps[0]
    if maps.dim() != 3:
        raise ValueError(f"expected a feature map [C, H, W], got shape {tuple(maps.shape)}")
    maps = maps[:max_maps].detach().cpu()
    return show_images(list(maps), [f"#{c}" for c in range(len(maps))], ncols=ncols, cmap=cmap,
                       size=size, suptitle=title)


def _columns(run: Any) -> Mapping[str, Sequence[float]]:
    """Accept a ``History``, its ``to_dict()``, or any mapping of metric -> per-epoch list."""
    return run.to_dict() if hasattr(run, "to_dict") else run


def plot_history(runs: Mapping[str, Any], metrics: Sequence[str] = ("train_error", "test_error"),
                 *, ax: plt.Axes | None = None, title: str | None = None, percent: bool = True) -> Figure:
    """Training curves of several runs: one colour per run, thin lines for training, bold for test.

    ``runs`` maps a label to a ``History`` or to ``{"train_error": [...], "test_error": [...]}``;
    this is the style of the ResNet paper's Figure 6.
    """
    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 4))
    else:
        fig = ax.figure
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for k, (label, run) in enumerate(runs.items()):
        cols = _columns(run)
        for metric in metrics:
            values = np.asarray(cols.get(metric, []), dtype=float) * (100 if percent and "error" in metric else 1)
            if len(values) == 0:
                continue
            test = metric.startswith("test")
            ax.plot(np.arange(1, len(values) + 1), values, color=colors[k % len(colors)],
                    linewidth=2.2 if test else 0.9, linestyle="-" if test else "--",
                    label=f"{label} ({metric.replace('_', ' ')})")
    ax.set_xlabel("epoch")
    ax.set_ylabel("error (%)" if percent and any("error" in m for m in metrics) else ", ".join(metrics))
    if title:
        ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_bars(values: Mapping[str, float], *, ylabel: str = "", title: str | None = None,
              log: bool = False, fmt: str = "{:.3g}") -> Figure:
    """A labelled bar chart, e.g. parameters per model or milliseconds per image."""
    if len(values) == 0:
        raise ValueError("plot_bars() needs at least one value to draw")
    fig, ax = plt.subplots(figsize=(max(4, 0.9 * len(values) + 2), 3.2))
    bars = ax.bar(list(values), list(values.values()), color="#4C72B0")
    ax.bar_label(bars, labels=[fmt.format(v) for v in values.values()], fontsize=8)
    if log:
        ax.set_yscale("log")
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.tick_params(axis="x", rotation=30)
    fig.tight_layout()
    return fig
