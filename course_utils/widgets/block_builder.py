"""Block builder (notebook 10): pick a residual block, see its diagram, parameters and MACs.

Controls: the block kind (basic, bottleneck, pre-activation), input channels, the block's width
(the 3x3 convolution's channels; a bottleneck outputs 4x that), the stride, the shortcut option
(A: zero-padding, B: projection only where the shape changes, C: always a projection; He et al.
2016, section 3.3 and Table 3) and the input size. The figure draws the main path and the
shortcut; the status line gives the counts from :mod:`course_utils.complexity`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch
from torch import nn

from ..complexity import count_macs, count_params
from ..models.resnet import BasicBlock, Bottleneck, PreActBlock
from .explorer import Explorer

KINDS = {"basic": BasicBlock, "bottleneck": Bottleneck, "pre-activation": PreActBlock}


def build_block(kind: str, in_channels: int, width: int, stride: int, shortcut: str) -> nn.Module:
    """The block the controls describe (an ``nn.Module`` from :mod:`course_utils.models.resnet`)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    for name, value in (("in_channels", in_channels), ("width", width), ("stride", stride)):
        if value < 1:
            raise ValueError(f"{name}={value} must be at least 1")
    return KINDS[kind](in_channels, width, stride, shortcut)


def main_path(kind: str, in_channels: int, width: int, stride: int) -> list[str]:
    """Labels of the main path's layers, input to output (as drawn by :func:`draw_block`)."""
    s = f", /{stride}" if stride > 1 else ""
    if kind == "basic":
        return [f"3x3 conv {in_channels}->{width}{s}", "BN", "ReLU", f"3x3 conv {width}->{width}", "BN",
                "add", "ReLU"]
    if kind == "bottleneck":  # stride on the first 1x1, as in the 2015 paper
        return [f"1x1 conv {in_channels}->{width}{s}", "BN", "ReLU", f"3x3 conv {width}->{width}", "BN",
                "ReLU", f"1x1 conv {width}->{4 * width}", "BN", "add", "ReLU"]
    return ["BN", "ReLU", f"3x3 conv {in_channels}->{width}{s}", "BN", "ReLU",
            f"3x3 conv {width}->{width}", "add"]


def shortcut_label(block: nn.Module) -> str:
    """What the shortcut does: identity, zero-padding (A) or a 1x1 projection."""
    sc = block.shortcut
    if isinstance(sc, nn.Identity):
        return "identity"
    if isinstance(sc, (nn.Sequential, nn.Conv2d)):
        return "1x1 conv (projection)"
    return "subsample + zero channels (A)"


def draw_block(kind: str = "basic", in_channels: int = 64, width: int = 64, stride: int = 1,
               shortcut: str = "B", size: int = 56) -> Figure:
    """Diagram of the block: main path boxes bottom to top, the shortcut on the right."""
    block = build_block(kind, in_channels, width, stride, shortcut)
    if size < stride:
        raise ValueError(f"input size {size} is smaller than the stride {stride}")
    layers = main_path(kind, in_channels, width, stride)
    fig, ax = plt.subplots(figsize=(5, 0.45 * len(layers) + 1.4))
    colors = {"BN": "#fde2b8", "ReLU": "#d5f0d5", "add": "#ffffff"}
    for i, label in enumerate(layers):
        face = colors.get(label, "#cfe3fb")
        ax.add_patch(FancyBboxPatch((0.1, i + 0.6), 1.8, 0.6, boxstyle="round,pad=0.02", fc=face, ec="k"))
        ax.text(1.0, i + 0.9, "+" if label == "add" else label, ha="center", va="center", fontsize=9)
        if i:
            ax.annotate("", (1.0, i + 0.6), (1.0, i + 0.2), arrowprops=dict(arrowstyle="->"))
    add = layers.index("add") + 0.9
    ax.annotate("", (1.9, add), (2.6, add), arrowprops=dict(arrowstyle="->", color="#cf222e"))
    ax.plot([1.0, 2.6, 2.6], [0.3, 0.3, add], color="#cf222e")
    ax.text(2.7, (add + 0.3) / 2, shortcut_label(block), color="#cf222e", va="center", fontsize=9)
    out_c, out_s = width * block.expansion, -(-size // stride)
    ax.text(1.0, 0.05, f"x: {in_channels}x{size}x{size}", ha="center", fontsize=9)
    ax.text(1.0, len(layers) + 0.55, f"out: {out_c}x{out_s}x{out_s}", ha="center", fontsize=9)
    ax.set_xlim(0, 4.6)
    ax.set_ylim(-0.2, len(layers) + 0.9)
    ax.axis("off")
    ax.set_title(f"{kind} block")
    return fig


def describe_block(kind: str = "basic", in_channels: int = 64, width: int = 64, stride: int = 1,
                   shortcut: str = "B", size: int = 56) -> str:
    """Status line: parameters and multiply-adds of the block for one image of ``size``."""
    block = build_block(kind, in_channels, width, stride, shortcut)
    params, macs = count_params(block), count_macs(block, (in_channels, size, size))
    return (f"{kind} block {in_channels}->{width * block.expansion}, stride {stride}: "
            f"{params:,} parameters, {macs / 1e6:.1f} M multiply-adds at {size}x{size}; "
            f"shortcut: {shortcut_label(block)}")


def block_builder(kind: str = "basic", in_channels: int = 64, width: int = 64) -> Explorer:
    """The explorer of notebook 10 (call ``.show()``)."""
    import ipywidgets as w

    controls = {
        "kind": w.Dropdown(options=list(KINDS), value=kind, description="block"),
        "in_channels": w.Dropdown(options=[16, 32, 64, 128, 256, 512], value=in_channels, description="C in"),
        "width": w.Dropdown(options=[16, 32, 64, 128, 256, 512], value=width, description="width"),
        "stride": w.Dropdown(options=[1, 2], value=1, description="stride"),
        "shortcut": w.Dropdown(options=["A", "B", "C"], value="B", description="shortcut"),
        "size": w.IntSlider(value=56, min=4, max=112, step=4, description="H = W"),
    }
    return Explorer(draw_block, controls, describe_block, title="Residual block builder")
