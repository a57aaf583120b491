"""Explorer for notebook 08: pick depth, initialisation and batch norm; see each layer's activations.

A deep ReLU network (:func:`~course_utils.models.plain.relu_mlp`) is built afresh with
the chosen settings (seed 0) and one batch of real Fashion-MNIST images is pushed through it; the
picture shows the histogram of the ReLU outputs of a few layers, from first to last.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure

from ..models.init import INITS
from ..models.plain import relu_mlp
from ..probes import activation_stats, activations
from .explorer import Explorer

MAX_DEPTH = 100


def _batch(n: int = 256) -> torch.Tensor:
    """``n`` Fashion-MNIST training images, normalised and flattened: ``[n, 784]``."""
    from ..data import fashion_mnist_dataset

    return fashion_mnist_dataset("train", limit=n).images.flatten(1)


def _network(depth: int, init: str, bn: bool) -> torch.nn.Module:
    if not 1 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth={depth}: choose between 1 and {MAX_DEPTH} layers")
    if init not in INITS:
        raise ValueError(f"init={init!r}: choose one of {', '.join(INITS)}")
    torch.manual_seed(0)
    return relu_mlp(depth, init=init, bn=bn).train()


def layer_stds(depth: int, init: str, bn: bool, x: torch.Tensor | None = None) -> list[float]:
    """Standard deviation of every hidden layer's ReLU output (input to output)."""
    stats = activation_stats(_network(depth, init, bn), _batch() if x is None else x)
    return [s["std"] for s in stats.values()]


def describe_init_bn(depth: int, init: str, bn: bool, x: torch.Tensor | None = None) -> str:
    """One status line: the activation std at the first and the last layer."""
    stds = layer_stds(depth, init, bn, x)
    return (f"{depth} layers, {init} init, batch norm {'on' if bn else 'off'}: activation std "
            f"{stds[0]:.3g} at layer 1 -> {stds[-1]:.3g} at layer {depth}")


def draw_init_bn(depth: int, init: str, bn: bool, x: torch.Tensor | None = None,
                 panels: int = 5) -> Figure:
    """Histograms of the ReLU outputs of ``panels`` layers spread from the first to the last."""
    acts = list(activations(_network(depth, init, bn), _batch() if x is None else x).values())
    picks = sorted(set(np.linspace(0, depth - 1, min(panels, depth)).round().astype(int)))
    fig, axes = plt.subplots(1, len(picks), figsize=(2.4 * len(picks), 2.4), squeeze=False)
    for ax, i in zip(axes[0], picks):
        a = acts[i].flatten().numpy()
        positive = a[a > 0]
        ax.hist(positive if len(positive) else a, bins=40, color="#4C72B0")
        ax.set_title(f"layer {i + 1}: std {a.std():.2g}", fontsize=8)
        ax.set_xlabel("ReLU output (> 0)", fontsize=7)
        ax.tick_params(labelsize=6)
    fig.suptitle(f"{init} init, batch norm {'on' if bn else 'off'}: activations per layer", fontsize=9)
    fig.tight_layout()
    return fig


def init_bn_explorer() -> Explorer:
    """Controls: depth (1-100), init (xavier / he), batch norm on/off."""
    import ipywidgets as w

    x = _batch()
    controls = {
        "depth": w.IntSlider(value=32, min=1, max=MAX_DEPTH, description="depth"),
        "init": w.Dropdown(options=list(INITS), value="xavier", description="init"),
        "bn": w.Checkbox(value=False, description="batch norm"),
    }
    return Explorer(lambda depth, init, bn: draw_init_bn(depth, init, bn, x), controls,
                    describe=lambda depth, init, bn: describe_init_bn(depth, init, bn, x),
                    title="Initialisation and batch norm: activations through a deep ReLU net")
