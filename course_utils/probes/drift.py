"""How a network's activations move while it trains: the "internal covariate shift" of
Ioffe & Szegedy (ICML 2015), measured rather than assumed (notebook 08).
"""

from __future__ import annotations

import math
from typing import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from .network import activation_stats

Batches = Sequence[tuple[torch.Tensor, torch.Tensor]]


def train_steps(model: nn.Module, batches: Batches, lr: float, steps: int, *,
                probe: torch.Tensor | None = None, every: int = 10,
                device: torch.device | None = None) -> dict[str, list]:
    """Plain SGD (momentum 0.9) for ``steps`` mini-batches drawn round-robin from ``batches``.

    Returns ``{"loss": [per step], "steps": [probe steps], "std": [[per ReLU]...],
    "mean": [[per ReLU]...]}``; the activation statistics of the ReLUs are taken on ``probe``
    ``[B, C, H, W]`` every ``every`` steps (and at step 0). A loss that becomes NaN or infinite
    stops the run early.
    """
    dev = device or next(model.parameters()).device
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    record: dict[str, list] = {"loss": [], "steps": [], "std": [], "mean": []}
    batches = list(batches)
    model.train()
    for step in range(steps + 1):
        if probe is not None and step % every == 0:
            stats = activation_stats(model, probe.to(dev), kinds=(nn.ReLU,))
            record["steps"].append(step)
            record["std"].append([s["std"] for s in stats.values()])
            record["mean"].append([s["mean"] for s in stats.values()])
        if step == steps:
            break
        x, y = batches[step % len(batches)]
        loss = F.cross_entropy(model(x.to(dev)), y.to(dev))
        record["loss"].append(float(loss.detach()))
        if not math.isfinite(record["loss"][-1]):
            break
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    return record
