"""Architecture explorer: pick a network of the zoo, see its layer table and feature-map sizes.

Used in notebook 07 (and handy in 05 and 06). Models are built on PyTorch's meta device, so even
VGG-19 (144 M parameters) is built and "run" instantly: only shapes are computed
(:mod:`course_utils.complexity`).
"""
from __future__ import annotations

from typing import Callable

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure
from torch import nn

from ..complexity import LayerRow, format_table, layer_table
from ..models.alexnet import alexnet, small_alexnet
from ..models.googlenet import googlenet, small_googlenet
from ..models.vgg import small_vgg, vgg11, vgg13, vgg16, vgg19
from .explorer import Explorer

ZOO: dict[str, tuple[Callable[[], nn.Module], tuple[int, int, int]]] = {
    "AlexNet (two GPUs)": (alexnet, (3, 227, 227)),
    "AlexNet (one tower)": (lambda: alexnet(two_gpu=False), (3, 227, 227)),
    "VGG-11": (vgg11, (3, 224, 224)),
    "VGG-13": (vgg13, (3, 224, 224)),
    "VGG-16": (vgg16, (3, 224, 224)),
    "VGG-19": (vgg19, (3, 224, 224)),
    "GoogLeNet": (lambda: googlenet(aux=False), (3, 224, 224)),
    "small AlexNet": (small_alexnet, (1, 28, 28)),
    "small VGG": (small_vgg, (1, 28, 28)),
    "small GoogLeNet": (lambda: small_googlenet(aux=False), (1, 28, 28)),
}
"""Model name → (factory, input shape of one image)."""

_KIND_COLOURS = {"Conv2d": "#0969da", "Linear": "#cf222e"}


def zoo_table(name: str) -> list[LayerRow]:
    """The per-layer table (conv and linear layers only) of zoo model ``name``, built on meta."""
    if name not in ZOO:
        raise ValueError(f"no model {name!r} in the zoo; choose one of: {', '.join(ZOO)}")
    factory, shape = ZOO[name]
    with torch.device("meta"):
        model = factory()
    return [row for row in layer_table(model, shape) if row.kind in _KIND_COLOURS]


def draw(name: str = "VGG-16", log_scale: bool = True) -> Figure:
    """Three aligned bar charts over the weighted layers: channels × H × W of each output,
    parameters and MACs (log scale optional)."""
    rows = zoo_table(name)
    x = range(len(rows))
    colours = [_KIND_COLOURS[r.kind] for r in rows]
    fig, axes = plt.subplots(3, 1, figsize=(9, 6.5), sharex=True)
    values = [[_numel(r.output_shape) for r in rows], [r.params for r in rows], [r.macs for r in rows]]
    labels = ["output size\n(numbers)", "parameters", "MACs"]
    for ax, vals, label in zip(axes, values, labels):
        ax.bar(x, vals, color=colours)
        ax.set_ylabel(label)
        if log_scale:
            ax.set_yscale("log")
    for i, r in enumerate(rows):
        if len(r.output_shape) == 3:
            axes[0].text(i, values[0][i], f"{r.output_shape[1]}", ha="center", va="bottom", fontsize=7)
    axes[-1].set_xticks(list(x))
    axes[-1].set_xticklabels([r.name for r in rows], rotation=90, fontsize=7)
    axes[0].set_title(f"{name}: blue = conv, red = fully connected (numbers on bars: map height)")
    fig.tight_layout()
    return fig


def _numel(shape: tuple[int, ...]) -> int:
    total = 1
    for s in shape:
        total *= s
    return total


def describe(name: str = "VGG-16", log_scale: bool = True) -> str:
    """Totals and the layer with the most parameters."""
    rows = zoo_table(name)
    params, macs = sum(r.params for r in rows), sum(r.macs for r in rows)
    biggest = max(rows, key=lambda r: r.params)
    shape = "×".join(map(str, ZOO[name][1]))
    return (f"{name}: {params / 1e6:.2f} M parameters, {macs / 1e9:.3f} G MACs for one {shape} image; "
            f"{len(rows)} weight layers; most parameters: {biggest.name} ({biggest.params / 1e6:.2f} M, "
            f"{100 * biggest.params / params:.0f} %)")


def table_text(name: str) -> str:
    """The text table of :func:`zoo_table` (what the explorer prints under the picture)."""
    return format_table(zoo_table(name))


def architecture_explorer(name: str = "VGG-16") -> Explorer:
    """A dropdown over :data:`ZOO` and a log-scale switch."""
    import ipywidgets as w

    controls = {"name": w.Dropdown(options=list(ZOO), value=name, description="model"),
                "log_scale": w.Checkbox(value=True, description="log scale")}
    return Explorer(draw, controls, describe, title="Architecture explorer")
