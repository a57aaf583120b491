"""How big and how costly is a network? Parameters and multiply-accumulates (MACs), per layer.

The papers of notebooks 05–11 report a network's cost as "multiply-adds" or "FLOPs" for ONE
image: for every output number of a convolution or fully connected layer, one multiply-accumulate
per weight it sees. We count exactly that:

* ``nn.Conv2d``  (C_in → C_out, kernel k_h×k_w, ``groups`` g, output H_out×W_out):
  MACs = C_out · H_out · W_out · (C_in / g) · k_h · k_w
* ``nn.Linear``  (in → out): MACs = in · out (per input row)

Biases, activations, pooling and normalisation are not counted (they are tiny and the papers
leave them out). ``torchinfo`` adds the bias terms too; ``tests/test_complexity.py`` checks that
the two agree once those are accounted for.

The counters run ONE forward pass with forward hooks. Build big ImageNet models on the meta
device (``with torch.device("meta"): model = vgg19()``) and the pass costs nothing: only shapes
are computed, no memory is allocated and no arithmetic is done.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

__all__ = ["LayerRow", "count_params", "count_macs", "layer_table", "format_table", "layer_macs"]


@dataclass
class LayerRow:
    """One line of a per-layer table: a leaf module and what it costs for one image."""

    name: str                   # dotted name inside the model, e.g. "features.0"
    kind: str                   # class name, e.g. "Conv2d"
    output_shape: tuple[int, ...]  # without the batch dimension, e.g. (64, 55, 55)
    params: int                 # parameters owned by this module (not its children)
    macs: int                   # multiply-accumulates for one image (0 for non conv/linear)


def count_params(model: nn.Module, trainable_only: bool = False) -> int:
    """Number of parameters (weights + biases) of ``model``.

    Works on models built on the meta device too (only shapes are read).
    """
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)


def layer_macs(module: nn.Module, output: torch.Tensor) -> int:
    """MACs of one ``module`` for ONE image, given its batched ``output`` (N, ...).

    Conv layers: ``C_out·H_out·W_out · (C_in/groups)·k_h·k_w``; Linear: ``in·out`` per row.
    Every other module: 0.
    """
    if isinstance(module, nn.modules.conv._ConvNd):
        per_output = module.weight[0].numel()          # (C_in/groups) · k_h · k_w
        return int(output[0].numel() * per_output)     # output[0]: (C_out, H_out, W_out)
    if isinstance(module, nn.Linear):
        rows = output[0].numel() // module.out_features  # 1 for (N, out), more for (N, T, out)
        return int(rows * module.in_features * module.out_features)
    return 0


def _model_device_dtype(model: nn.Module) -> tuple[torch.device, torch.dtype]:
    for p in model.parameters():
        return p.device, p.dtype
    return torch.device("cpu"), torch.float32


def layer_table(model: nn.Module, input_shape: tuple[int, ...] = (3, 224, 224)) -> list[LayerRow]:
    """One ``LayerRow`` per leaf module, in the order the forward pass runs them.

    ``input_shape`` is ONE image without the batch dimension, e.g. ``(3, 224, 224)`` or
    ``(1, 28, 28)``. The model runs once in eval mode on a batch of one zero image (on the meta
    device if the model lives there), so dropout and auxiliary classifiers are off; its
    train/eval mode is restored afterwards. A module called twice gets one row per call.
    """
    if len(input_shape) < 1 or any(int(s) <= 0 for s in input_shape):
        raise ValueError(f"input_shape {tuple(input_shape)} must be positive sizes of one image "
                         "without the batch dimension, e.g. (3, 224, 224)")
    names = {module: name for name, module in model.named_modules()}
    rows: list[LayerRow] = []

    def hook(module: nn.Module, inputs: tuple, output: torch.Tensor) -> None:
        if not isinstance(output, torch.Tensor):
            return
        params = sum(p.numel() for p in module.parameters(recurse=False))
        rows.append(LayerRow(names[module] or "(model)", type(module).__name__,
                             tuple(output.shape[1:]), params, layer_macs(module, output)))

    leaves = [m for m in model.modules() if not list(m.children())]
    handles = [m.register_forward_hook(hook) for m in leaves]
    was_training = model.training
    device, dtype = _model_device_dtype(model)
    try:
        model.eval()
        with torch.no_grad():
            model(torch.zeros(1, *input_shape, device=device, dtype=dtype))
    finally:
        for h in handles:
            h.remove()
        model.train(was_training)
    return rows


def count_macs(model: nn.Module, input_shape: tuple[int, ...] = (3, 224, 224)) -> int:
    """Multiply-accumulates of all conv and linear layers for ONE image of ``input_shape``.

    Grouped convolutions count ``C_in/groups`` inputs per output (AlexNet's two-GPU split).
    Example: ``count_macs(vgg16())`` ≈ 15.5e9 (VGG-16, 224×224).
    """
    return sum(row.macs for row in layer_table(model, input_shape))


def _human(n: int) -> str:
    for size, unit in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(n) >= size:
            return f"{n / size:.2f} {unit}"
    return str(n)


def format_table(rows: list[LayerRow], only_weighted: bool = False) -> str:
    """Text table of ``layer_table`` rows with a total line; ``only_weighted`` keeps layers with
    parameters or MACs (hides ReLU, pooling, dropout...)."""
    shown = [r for r in rows if r.params or r.macs] if only_weighted else rows
    width = max([len(r.name) for r in shown] + [5])
    lines = [f"{'layer':<{width}}  {'type':<18} {'output':<16} {'params':>10} {'MACs':>10}"]
    for r in shown:
        shape = "×".join(str(s) for s in r.output_shape)
        lines.append(f"{r.name:<{width}}  {r.kind:<18} {shape:<16} "
                     f"{_human(r.params):>10} {_human(r.macs):>10}")
    total_p, total_m = sum(r.params for r in rows), sum(r.macs for r in rows)
    lines.append(f"{'total':<{width}}  {'':<18} {'':<16} {_human(total_p):>10} {_human(total_m):>10}")
    return "\n".join(lines)
