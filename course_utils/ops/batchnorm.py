"""Batch normalisation written from scratch, with the semantics of ``torch.nn.functional.batch_norm``.

Ioffe & Szegedy, "Batch Normalization: Accelerating Deep Network Training by Reducing Internal
Covariate Shift", ICML 2015 (Algorithm 1); notebook 08. For every channel ``c``:

* training: ``mu_B`` and ``var_B`` are the mean and the (biased) variance of the channel over the
  mini-batch and all positions; ``y = gamma * (x - mu_B) / sqrt(var_B + eps) + beta``; the running
  estimates move towards the batch's: ``r <- (1 - momentum) r + momentum * stat`` (the running
  variance uses the *unbiased* variance, ``var_B * m / (m - 1)`` with ``m`` values per channel);
* evaluation: the running mean and variance are used instead, so one image's output no longer
  depends on the other images of its batch.
"""

from __future__ import annotations

import torch
from torch import nn


def _channel_shape(x: torch.Tensor) -> tuple[int, ...]:
    """``(1, C, 1, ...)``: reshapes a per-channel vector ``[C]`` to broadcast against ``x``."""
    return (1, x.shape[1]) + (1,) * (x.dim() - 2)


def batch_norm(x: torch.Tensor, running_mean: torch.Tensor | None, running_var: torch.Tensor | None,
               weight: torch.Tensor | None = None, bias: torch.Tensor | None = None,
               training: bool = False, momentum: float = 0.1, eps: float = 1e-5) -> torch.Tensor:
    """Normalise every channel of ``x [N, C]`` or ``x [N, C, *]`` (e.g. ``[N, C, H, W]``).

    Args:
        running_mean, running_var: ``[C]`` estimates, used in evaluation and updated *in place*
            in training (if given; ``None`` in training means "do not track").
        weight, bias: ``gamma`` and ``beta`` ``[C]`` (``None``: 1 and 0).
        training: use the batch's statistics (True) or the running ones (False).

    Returns:
        ``y`` with the shape of ``x``.

    Raises:
        ValueError: for fewer than 2 dimensions, a training batch with one value per channel,
            evaluation without running statistics, or per-channel tensors of the wrong length.
    """
    if x.dim() < 2:
        raise ValueError(f"x must be [N, C] or [N, C, ...], got shape {tuple(x.shape)}")
    c = x.shape[1]
    for name, t in (("running_mean", running_mean), ("running_var", running_var),
                    ("weight", weight), ("bias", bias)):
        if t is not None and t.numel() != c:
            raise ValueError(f"{name} has {t.numel()} values but x has {c} channels (dimension 1)")
    dims = [d for d in range(x.dim()) if d != 1]            # everything but the channel
    shape = _channel_shape(x)
    if training:
        m = x.numel() // c                                  # values per channel
        if m < 2:
            raise ValueError(f"training needs more than 1 value per channel, got input {tuple(x.shape)}")
        mean = x.mean(dim=dims)
        var = x.var(dim=dims, unbiased=False)
        if running_mean is not None and running_var is not None:
            with torch.no_grad():
                running_mean.mul_(1 - momentum).add_(momentum * mean.detach())
                running_var.mul_(1 - momentum).add_(momentum * var.detach() * m / (m - 1))
    else:
        if running_mean is None or running_var is None:
            raise ValueError("evaluation (training=False) needs running_mean and running_var")
        mean, var = running_mean, running_var
    y = (x - mean.reshape(shape)) / torch.sqrt(var.reshape(shape) + eps)
    if weight is not None:
        y = y * weight.reshape(shape)
    if bias is not None:
        y = y + bias.reshape(shape)
    return y


class BatchNorm2d(nn.Module):
    """A from-scratch ``nn.BatchNorm2d``: learnable ``weight`` (gamma) and ``bias`` (beta), running
    statistics as buffers (same names, so state dicts load both ways).

    ``x [N, C, H, W] -> [N, C, H, W]``; ``model.train()`` / ``model.eval()`` pick the statistics.
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1) -> None:
        super().__init__()
        if num_features < 1:
            raise ValueError(f"num_features={num_features} must be at least 1 (the channel count)")
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.weight = nn.Parameter(torch.ones(num_features))
        self.bias = nn.Parameter(torch.zeros(num_features))
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))
        self.register_buffer("num_batches_tracked", torch.tensor(0, dtype=torch.long))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() != 4:
            raise ValueError(f"BatchNorm2d expects [N, C, H, W], got shape {tuple(x.shape)}")
        if self.training:
            self.num_batches_tracked.add_(1)
        return batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                          training=self.training, momentum=self.momentum, eps=self.eps)

    def extra_repr(self) -> str:
        return f"{self.num_features}, eps={self.eps}, momentum={self.momentum}"


class NoisyBatchNorm2d(BatchNorm2d):
    """Batch norm, then (training only) ``y * s + b`` with a new random scale ``s`` and shift ``b``
    per channel at every call: the layer's output distribution keeps moving.

    By default ``s ~ U(0.75, 1.33)`` and ``b ~ N(0, 0.25^2)``, drawn per channel; ``scale_range``
    and ``shift_std`` (also settable on a built module) make the noise stronger or weaker, and
    ``per_channel=False`` draws one ``s`` and one ``b`` for the whole layer (the layer's overall
    scale then moves, not only its channels' relative scales).
    Internal covariate shift put back on purpose (Santurkar et al., "How Does Batch Normalization
    Help Optimization?", NeurIPS 2018, section 2.1). ``x [N, C, H, W] -> [N, C, H, W]``.
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1,
                 scale_range: tuple[float, float] = (0.75, 1.33), shift_std: float = 0.25,
                 per_channel: bool = True) -> None:
        super().__init__(num_features, eps, momentum)
        self.scale_range, self.shift_std, self.per_channel = scale_range, shift_std, per_channel

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = super().forward(x)
        if not self.training:
            return y
        low, high = self.scale_range
        c = x.shape[1] if self.per_channel else 1
        scale = torch.empty(1, c, 1, 1, device=x.device).uniform_(low, high)
        shift = self.shift_std * torch.randn(1, c, 1, 1, device=x.device)
        return y * scale + shift
