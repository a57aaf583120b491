"""Memory per image of a network's forward pass: activations and parameters (notebook 06).

Following the count in Stanford's cs231n notes on VGG-16: every layer that makes a new tensor
(convolution, pooling, fully connected) keeps its output for the backward pass, ReLUs work in
place and add nothing, and the input image counts too. Training needs about twice the activation
memory (the gradients of the activations) plus the parameters, their gradients and the
optimiser's state.
"""
from __future__ import annotations

import copy

import torch
from torch import nn

__all__ = ["activation_counts", "memory_per_image"]

_KEPT = (nn.Conv2d, nn.Linear, nn.MaxPool2d, nn.AvgPool2d, nn.AdaptiveAvgPool2d)


def activation_counts(model: nn.Module, input_shape: tuple[int, ...] = (3, 224, 224)) -> list[tuple[str, int]]:
    """Values kept per image by each conv / pool / FC layer, in order, input first.

    Runs one image of ``input_shape`` (C, H, W) on the meta device (no memory, no time; a model
    that is not on the meta device is copied there first, so build ImageNet models under
    ``with torch.device("meta")``) and returns ``[("input", C·H·W), (layer name, values of its output), ...]``.
    """
    rows: list[tuple[str, int]] = [("input", int(torch.Size(input_shape).numel()))]
    if any(p.device.type != "meta" for p in model.parameters()):
        model = copy.deepcopy(model).to("meta")
    hooks = []
    for name, module in model.named_modules():
        if isinstance(module, _KEPT):
            hooks.append(module.register_forward_hook(
                lambda m, i, out, name=name: rows.append((name, int(out[0].numel())))))
    was_training = model.training
    try:
        model.eval()
        with torch.no_grad():
            model(torch.zeros(1, *input_shape, device="meta"))
    finally:
        for h in hooks:
            h.remove()
        model.train(was_training)
    return rows


def memory_per_image(model: nn.Module, input_shape: tuple[int, ...] = (3, 224, 224),
                     bytes_per_value: int = 4) -> dict[str, float]:
    """Forward-pass memory of one image in bytes: ``{"activations", "parameters", "values"}``.

    ``values`` is the number of activation values (see :func:`activation_counts`); the byte
    figures assume float32 (4 bytes).
    """
    values = sum(n for _, n in activation_counts(model, input_shape))
    params = sum(p.numel() for p in model.parameters())
    return {"values": values, "activations": values * bytes_per_value,
            "parameters": params * bytes_per_value}
