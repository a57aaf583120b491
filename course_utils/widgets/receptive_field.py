"""Receptive-field explorer: which input pixels can one output pixel see? (notebook 06)

For a stack of ``depth`` convolutions with kernel k, stride s and dilation d (all layers alike)
each layer widens the field by ``d·(k-1)`` input steps of the layer below, and a stride multiplies
the step size of every later layer:

    r = 1 + Σ_layers d·(k-1) · (product of the strides of the layers BEFORE it)

Three 3×3 convs: r = 1 + 2 + 2 + 2 = 7 (VGG, Simonyan & Zisserman 2015, section 2.3). The
empirical check takes the gradient of one output pixel with respect to the input: exactly the
pixels inside the field get a non-zero gradient.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from torch import nn

from .explorer import Explorer

MAX_FIELD = 121
"""Largest receptive field the explorer draws (the picture would be unreadable beyond it)."""


def receptive_field(depth: int, kernel: int, stride: int = 1, dilation: int = 1) -> int:
    """Side of the receptive field (in input pixels) of ``depth`` identical conv layers."""
    for name, value in (("depth", depth), ("kernel", kernel), ("stride", stride), ("dilation", dilation)):
        if int(value) < 1:
            raise ValueError(f"{name}={value} must be at least 1")
    field, step = 1, 1
    for _ in range(depth):
        field += dilation * (kernel - 1) * step
        step *= stride
    return field


def conv_stack(depth: int, kernel: int, stride: int = 1, dilation: int = 1) -> nn.Sequential:
    """``depth`` one-channel convs with all-ones weights and no bias (so no gradient cancels)."""
    layers = []
    for _ in range(depth):
        conv = nn.Conv2d(1, 1, kernel, stride=stride, dilation=dilation, bias=False)
        nn.init.ones_(conv.weight)
        layers.append(conv)
    return nn.Sequential(*layers)


def gradient_map(model: nn.Module, size: int) -> torch.Tensor:
    """|∂ out[centre] / ∂ x| for x [1, 1, size, size]: the input pixels the centre output sees.

    Returns a [size, size] tensor. Raises ValueError if the model leaves no output pixel.
    """
    x = torch.zeros(1, 1, size, size, requires_grad=True)
    try:
        out = model(x)
    except RuntimeError as err:  # a kernel larger than what is left of the input
        raise ValueError(f"a {size}×{size} input leaves no output pixel; use a larger input") from err
    out[0, 0, out.shape[-2] // 2, out.shape[-1] // 2].backward()
    return x.grad[0, 0].abs()


def measured_field(grad: torch.Tensor) -> int:
    """Side of the bounding box of the non-zero entries of a gradient map [H, W]."""
    rows = torch.nonzero(grad.sum(1) > 0).flatten()
    cols = torch.nonzero(grad.sum(0) > 0).flatten()
    if len(rows) == 0:
        raise ValueError("the gradient map is all zeros: no input pixel reaches the output")
    return int(max(rows[-1] - rows[0], cols[-1] - cols[0])) + 1


def _measure(depth: int, kernel: int, stride: int, dilation: int) -> tuple[torch.Tensor, int, int]:
    field = receptive_field(depth, kernel, stride, dilation)
    if field > MAX_FIELD:
        raise ValueError(f"the receptive field would be {field} pixels wide (more than {MAX_FIELD}): "
                         "lower the depth, kernel, stride or dilation")
    size = 2 * field + 1
    grad = gradient_map(conv_stack(depth, kernel, stride, dilation), size)
    return grad, field, measured_field(grad)


def draw(depth: int = 3, kernel: int = 3, stride: int = 1, dilation: int = 1) -> Figure:
    """The input grid, the gradient of the centre output pixel, and the field's outline."""
    grad, field, measured = _measure(depth, kernel, stride, dilation)
    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    ax.imshow(grad.numpy() > 0, cmap="Blues", vmin=0, vmax=1.4)
    rows = torch.nonzero(grad.sum(1) > 0).flatten()
    cols = torch.nonzero(grad.sum(0) > 0).flatten()
    ax.add_patch(Rectangle((int(cols[0]) - 0.5, int(rows[0]) - 0.5), measured, measured,
                           fill=False, edgecolor="#cf222e", linewidth=2))
    ax.set_title(f"{depth} × conv {kernel}×{kernel} (stride {stride}, dilation {dilation})\n"
                 f"field: {field}×{field} input pixels")
    ax.set_xticks([])
    ax.set_yticks([])
    fig.tight_layout()
    return fig


def describe(depth: int = 3, kernel: int = 3, stride: int = 1, dilation: int = 1) -> str:
    """The formula with the numbers filled in and the measured width."""
    _, field, measured = _measure(depth, kernel, stride, dilation)
    terms = " + ".join(f"{dilation}·{kernel - 1}·{stride ** i}" for i in range(depth))
    params = depth * kernel * kernel
    return (f"r = 1 + {terms} = {field}; measured from the gradient: {measured}. "
            f"Weights per channel pair: {depth}·{kernel}² = {params} "
            f"(one {field}×{field} kernel: {field * field})")


def receptive_field_explorer(depth: int = 3, kernel: int = 3, stride: int = 1, dilation: int = 1) -> Explorer:
    """Sliders for depth, kernel, stride and dilation; the highlighted input region redraws."""
    import ipywidgets as w

    controls = {
        "depth": w.IntSlider(value=depth, min=1, max=6, description="depth"),
        "kernel": w.Dropdown(options=[1, 3, 5, 7], value=kernel, description="kernel"),
        "stride": w.IntSlider(value=stride, min=1, max=3, description="stride"),
        "dilation": w.IntSlider(value=dilation, min=1, max=4, description="dilation"),
    }
    return Explorer(draw, controls, describe, title="Receptive field of a conv stack")
