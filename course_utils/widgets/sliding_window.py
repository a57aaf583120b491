"""The sliding-window explorer of notebook 02: input size W, kernel K, stride S, padding P.

Left: the padded input (padding in grey) with the windows of the first output row outlined, the
first one filled, and in every cell the number of windows that cover it; cells no window reaches
are hatched in red. Right: the output grid. The status line gives the output-size formula with
the numbers filled in (Dumoulin & Visin, "A guide to convolution arithmetic for deep learning",
2016) and warns when the stride does not tile the padded input.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..ops.conv import conv_output_size
from .explorer import Explorer


def visit_counts(W: int, K: int, S: int, P: int) -> np.ndarray:
    """How many KxK windows (stride S) cover each cell of the padded ``(W+2P) x (W+2P)`` input."""
    out = conv_output_size(W, K, S, P)
    counts = np.zeros((W + 2 * P, W + 2 * P), dtype=int)
    for i in range(out):
        for j in range(out):
            counts[i * S: i * S + K, j * S: j * S + K] += 1
    return counts


def describe_window(W: int, K: int, S: int, P: int) -> str:
    """The status line: the formula with numbers, the kind of padding, and a warning if needed."""
    out = conv_output_size(W, K, S, P)                       # raises ValueError when impossible
    lines = [f"output size = ⌊({W} + 2·{P} − {K}) / {S}⌋ + 1 = {out}"]
    kind = "'same' size" if out == W else "'valid': no padding" if P == 0 else "padded"
    lines.append(f"a {W}x{W} input gives a {out}x{out} output ({kind}); "
                 f"{out * out} windows of {K * K} cells each")
    rest = (W + 2 * P - K) % S
    if rest:
        lines.append(f"warning: the stride does not tile the input: (W + 2P − K) = {W + 2 * P - K} is "
                     f"not a multiple of S = {S}, so the last {rest} row(s) and column(s) of the padded "
                     f"input are never covered by a window; the floor ⌊ ⌋ drops them")
    return "\n".join(lines)


def draw_window(W: int, K: int, S: int, P: int) -> Figure:
    """Draw the padded input with the windows and visit counts, and the output grid."""
    out = conv_output_size(W, K, S, P)
    counts = visit_counts(W, K, S, P)
    n = W + 2 * P
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.6), gridspec_kw={"width_ratios": [n, max(out, 3)]})
    for r in range(n):
        for c in range(n):
            padding = not (P <= r < P + W and P <= c < P + W)
            left.add_patch(Rectangle((c, r), 1, 1, facecolor="#d9d9d9" if padding else "white",
                                     edgecolor="#999999", linewidth=0.6,
                                     hatch="///" if counts[r, c] == 0 else None))
            if counts[r, c] == 0:
                left.add_patch(Rectangle((c, r), 1, 1, fill=False, edgecolor="#cf222e", linewidth=0.8))
            left.text(c + 0.5, r + 0.5, str(counts[r, c]), ha="center", va="center",
                      fontsize=7 if n > 12 else 9, color="#555555")
    colors = plt.cm.viridis(np.linspace(0, 0.9, out))
    for j in range(out):                                     # the window moving along the first row
        left.add_patch(Rectangle((j * S + 0.06 * j, 0.06 * j), K, K, fill=(j == 0), alpha=0.35 if j == 0 else 1,
                                 facecolor="#f28e2b", edgecolor=colors[j], linewidth=2))
    left.set_title(f"padded input {n}x{n} (grey = padding {P}); numbers = windows covering a cell", fontsize=9)
    for r in range(out):
        for c in range(out):
            right.add_patch(Rectangle((c, r), 1, 1, facecolor="#f28e2b" if (r, c) == (0, 0) else "#e8f0fa",
                                      edgecolor="#4C72B0", alpha=0.7 if (r, c) == (0, 0) else 1))
    right.set_title(f"output {out}x{out}")
    for ax, size in ((left, n), (right, max(out, 3))):
        ax.set_xlim(0, size)
        ax.set_ylim(size, 0)
        ax.set_aspect("equal")
        ax.axis("off")
    fig.suptitle(f"W={W}, K={K}, S={S}, P={P}")
    fig.tight_layout()
    return fig


def sliding_window_explorer(W: int = 7, K: int = 3, S: int = 2, P: int = 0) -> Explorer:
    """Sliders W, K, S, P; the picture and the output-size formula update together."""
    import ipywidgets as w

    controls = {
        "W": w.IntSlider(value=W, min=1, max=12, description="W"),
        "K": w.IntSlider(value=K, min=1, max=7, description="K"),
        "S": w.IntSlider(value=S, min=0, max=5, description="S"),
        "P": w.IntSlider(value=P, min=0, max=3, description="P"),
    }
    return Explorer(draw_window, controls, describe_window,
                    title="Sliding window: input size W, kernel K, stride S, padding P")
