"""How big is each block's residual F(x) next to its input x? (notebook 11)

The 2015 ResNet paper (section 4.2, Fig. 7) measured the responses of the residual branches and
found them small, smaller in deeper networks: the blocks make modest corrections to the identity.
Seed 000 turns this into a hypothesis: blocks beyond the depth a task needs can learn F ~ 0.
:func:`residual_ratios` measures ``||F(x_i)|| / ||x_i||`` for every block ``i`` of a network.
"""

from __future__ import annotations

import torch
from torch import nn


@torch.no_grad()
def residual_ratios(model: nn.Module, x: torch.Tensor) -> list[float]:
    """``||F(x_i)|| / ||x_i||`` per block (input side first), averaged over the batch.

    Args:
        model: a network with a ``blocks`` list whose blocks have ``residual(x)`` (``F`` alone),
            e.g. :func:`~course_utils.models.cifar_resnet` or :func:`~course_utils.models.resnet18`.
        x: a batch of inputs ``[N, C, H, W]``.

    The model runs in eval mode (batch norm uses its running statistics); its mode is restored.
    """
    blocks = getattr(model, "blocks", None)
    if not blocks or not all(hasattr(b, "residual") for b in blocks):
        raise ValueError("the model needs a `blocks` list whose blocks have a `residual(x)` method")
    inputs: list[torch.Tensor] = []
    handles = [b.register_forward_pre_hook(lambda _m, args: inputs.append(args[0])) for b in blocks]
    was_training = model.training
    try:
        model.eval()
        model(x)
        ratios = []
        for block, xi in zip(blocks, inputs):
            f = block.residual(xi).flatten(1).norm(dim=1)
            ratios.append(float((f / xi.flatten(1).norm(dim=1).clamp_min(1e-12)).mean()))
    finally:
        for h in handles:
            h.remove()
        model.train(was_training)
    return ratios
