"""Block diagrams drawn with matplotlib: the Inception module (notebook 07).

Szegedy et al., "Going Deeper with Convolutions", CVPR 2015, Figure 2: four branches on the same
input, concatenated along the channels; (a) naive, (b) with 1×1 reductions.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

__all__ = ["inception_diagram"]

_COLOURS = {"1×1": "#f6c85f", "3×3": "#6fb07f", "5×5": "#6f9fd8", "pool": "#ca7fbf", "io": "#dddddd"}


def _box(ax, x: float, y: float, text: str, kind: str, w: float = 2.0, h: float = 0.7) -> None:
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.05",
                                facecolor=_COLOURS[kind], edgecolor="black", linewidth=1))
    ax.text(x, y, text, ha="center", va="center", fontsize=9)


def _arrow(ax, x0: float, y0: float, x1: float, y1: float) -> None:
    ax.annotate("", xy=(x1, y1), xytext=(x0, y0), arrowprops=dict(arrowstyle="->", lw=1))


def inception_diagram(c_in: int, c1: int, r3: int, c3: int, r5: int, c5: int, pool_proj: int,
                      reduce: bool = True, title: str | None = None) -> Figure:
    """Draw one Inception module with its channel widths (the columns of the paper's Table 1).

    Bottom: the input (``c_in`` channels); four branches; top: the concatenation, whose width is
    ``c1 + c3 + c5 + pool_proj`` (naive module: ``c1 + c3 + c5 + c_in``). Returns the figure.
    """
    if min(c_in, c1, c3, c5) <= 0 or (reduce and min(r3, r5, pool_proj) <= 0):
        raise ValueError("Inception widths must be positive")
    fig, ax = plt.subplots(figsize=(9, 4.2))
    xs = [1.5, 4.0, 6.5, 9.0]
    out = c1 + c3 + c5 + (pool_proj if reduce else c_in)
    _box(ax, 5.25, 0.4, f"input: {c_in} channels", "io", w=3.2)
    _box(ax, 5.25, 4.6, f"concatenate along channels: {out}", "io", w=5.0)
    if reduce:
        branches = [[(f"1×1 conv, {c1}", "1×1")],
                    [(f"1×1 conv, {r3} (reduce)", "1×1"), (f"3×3 conv, {c3}", "3×3")],
                    [(f"1×1 conv, {r5} (reduce)", "1×1"), (f"5×5 conv, {c5}", "5×5")],
                    [("3×3 max-pool, stride 1", "pool"), (f"1×1 conv, {pool_proj} (proj)", "1×1")]]
    else:
        branches = [[(f"1×1 conv, {c1}", "1×1")], [(f"3×3 conv, {c3}", "3×3")],
                    [(f"5×5 conv, {c5}", "5×5")], [(f"3×3 max-pool ({c_in})", "pool")]]
    for x, boxes in zip(xs, branches):
        ys = [1.9, 3.2] if len(boxes) == 2 else [2.55]
        _arrow(ax, 5.25, 0.75, x, ys[0] - 0.4)
        for k, ((text, kind), y) in enumerate(zip(boxes, ys)):
            _box(ax, x, y, text, kind, w=2.3)
            if k:
                _arrow(ax, x, ys[k - 1] + 0.37, x, y - 0.37)
        _arrow(ax, x, ys[-1] + 0.37, 5.25, 4.25)
    ax.set_xlim(0, 10.5)
    ax.set_ylim(0, 5.1)
    ax.axis("off")
    ax.set_title(title or ("Inception module with 1×1 reductions" if reduce else "naive Inception module"))
    return fig
