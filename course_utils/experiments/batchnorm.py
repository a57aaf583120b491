"""Measurements on batch normalisation and initialisation (notebook 07).

* :func:`relu_mlp` and :func:`signal_scales`: how the activation and gradient scale change
  through a deep ReLU network under Xavier or He initialisation (He et al., ICCV 2015, section 2.2);
* :func:`conv_net`: a plain stack of 3x3 convolutions with batch norm (our
  :class:`~course_utils.ops.BatchNorm2d`) before the ReLU, after it, or not at all;
* :func:`train_steps`: a few SGD steps recording the loss and per-layer activation statistics
  (the "drift" that Ioffe & Szegedy, ICML 2015, call internal covariate shift);
* :func:`lr_sweep`: the largest learning rate the network tolerates without and with batch norm
  (Ioffe & Szegedy, section 3.3: batch norm "enables higher learning rates");
* :class:`NoisyBatchNorm2d`: batch norm followed by random per-channel scale and shift, drawn
  afresh at every training step: internal covariate shift put back on purpose (Santurkar et al.,
  "How Does Batch Normalization Help Optimization?", NeurIPS 2018, section 2.1).

Sizes are decided in one place, :func:`settings_for`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from ..data import BatchLoader, fashion_mnist_dataset
from ..ops import BatchNorm2d
from ..probes import activation_stats
from ..runtime import by_profile, device, seed_everything

INITS = ("xavier", "he")


@dataclass(frozen=True)
class BNSettings:
    """How big the notebook-07 measurements are."""

    depth: int          # conv layers in conv_net
    width: int          # filters per conv layer
    size: int           # image side (Fashion-MNIST resized)
    train_images: int
    steps: int          # SGD steps per training run
    mlp_depth: int      # layers of the deep ReLU net for the initialisation measurement


def settings_for(profile: str | None = None) -> BNSettings:
    """The sizes for ``profile`` (default: the active profile)."""
    return by_profile(
        ci=BNSettings(depth=8, width=16, size=14, train_images=2048, steps=60, mlp_depth=32),
        default=BNSettings(depth=8, width=16, size=14, train_images=8192, steps=60, mlp_depth=50),
        full=BNSettings(depth=10, width=32, size=28, train_images=60_000, steps=1000, mlp_depth=100),
        profile=profile)


def init_weights_(model: nn.Module, init: str) -> nn.Module:
    """Re-initialise every Linear/Conv2d weight in place with ``"xavier"`` or ``"he"`` (normal),
    biases to zero. Returns ``model``.

    Xavier (Glorot & Bengio 2010): ``var = 2 / (fan_in + fan_out)``; He (He et al. 2015):
    ``var = 2 / fan_in``, the factor 2 making up for ReLU zeroing half of its inputs.
    """
    if init not in INITS:
        raise ValueError(f"init={init!r}; choose one of {INITS}")
    for m in model.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            if init == "he":
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            else:
                nn.init.xavier_normal_(m.weight)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
    return model


def relu_mlp(depth: int, width: int = 256, in_features: int = 784, init: str = "he",
             bn: bool = False, num_classes: int = 10) -> nn.Sequential:
    """``depth`` hidden layers Linear (+ BatchNorm1d) + ReLU, then a classifier.

    ``x [N, in_features] -> [N, num_classes]``; ``model[i]`` are the layers in order.
    """
    if depth < 1 or width < 1:
        raise ValueError(f"depth={depth} and width={width} must both be at least 1")
    layers: list[nn.Module] = []
    for i in range(depth):
        layers.append(nn.Linear(in_features if i == 0 else width, width, bias=not bn))
        if bn:
            layers.append(nn.BatchNorm1d(width))
        layers.append(nn.ReLU())
    layers.append(nn.Linear(width, num_classes))
    return init_weights_(nn.Sequential(*layers), init)


def signal_scales(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> dict[str, list[float]]:
    """Per hidden layer: the std of its ReLU output and the norm of its weight's gradient.

    Returns ``{"activation_std": [depth values], "gradient_norm": [depth values]}`` (input to
    output; the classifier's gradient is left out).
    """
    from ..probes import gradient_norms

    stats = activation_stats(model, x, kinds=(nn.ReLU,))
    grads = list(gradient_norms(model, x, y).values())[:-1]
    return {"activation_std": [s["std"] for s in stats.values()], "gradient_norm": grads}


class NoisyBatchNorm2d(BatchNorm2d):
    """Batch norm, then (training only) ``y * s + b`` with a new random ``s ~ U(0.75, 1.33)`` and
    ``b ~ N(0, 0.25^2)`` per channel at every call: the layer's output distribution keeps moving.

    ``x [N, C, H, W] -> [N, C, H, W]``.
    """

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = super().forward(x)
        if not self.training:
            return y
        scale = torch.empty(1, x.shape[1], 1, 1, device=x.device).uniform_(0.75, 1.33)
        shift = 0.25 * torch.randn(1, x.shape[1], 1, 1, device=x.device)
        return y * scale + shift


def conv_net(depth: int, width: int = 16, bn: str | None = "before", init: str = "he",
             in_channels: int = 1, num_classes: int = 10) -> nn.Sequential:
    """``depth`` 3x3 conv layers (stride 2 at one third and two thirds of the depth), then global
    average pooling and a classifier. ``bn``: ``"before"`` the ReLU (the BN paper), ``"after"``
    it, ``"noisy"`` (:class:`NoisyBatchNorm2d` before the ReLU) or ``None``.
    ``x [N, in_channels, H, W] -> [N, num_classes]``.
    """
    if bn not in ("before", "after", "noisy", None):
        raise ValueError(f"bn={bn!r}; use 'before', 'after', 'noisy' or None")
    if depth < 1:
        raise ValueError(f"depth={depth} must be at least 1")
    layers: list[nn.Module] = []
    c_in = in_channels
    for i in range(depth):
        stride = 2 if i in (depth // 3, (2 * depth) // 3) and i > 0 else 1
        layers.append(nn.Conv2d(c_in, width, 3, stride=stride, padding=1, bias=bn is None))
        if bn == "after":
            block = [nn.ReLU(), BatchNorm2d(width)]
        elif bn is None:
            block = [nn.ReLU()]
        else:
            block = [(NoisyBatchNorm2d if bn == "noisy" else BatchNorm2d)(width), nn.ReLU()]
        layers.extend(block)
        c_in = width
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(width, num_classes)]
    return init_weights_(nn.Sequential(*layers), init)


def train_steps(model: nn.Module, batches, lr: float, steps: int, *,
                probe: torch.Tensor | None = None, every: int = 10,
                device: torch.device | None = None) -> dict[str, list]:
    """Plain SGD (momentum 0.9) for ``steps`` mini-batches drawn round-robin from ``batches``.

    Returns ``{"loss": [per step], "steps": [probe steps], "std": [[per ReLU]...],
    "mean": [[per ReLU]...]}``; the activation statistics of the ReLUs are taken on ``probe``
    every ``every`` steps (and at step 0). A loss that becomes NaN/inf stops the run early.
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


def late_over_early(loss: list[float], steps: int) -> float | None:
    """Mean loss of the last 10 steps / mean of the first 10; ``None`` if the run diverged."""
    if len(loss) < steps or not all(map(math.isfinite, loss)):
        return None
    return sum(loss[-10:]) / sum(loss[:10])


def lr_sweep(profile: str | None = None, tolerance: float = 0.9) -> dict:
    """Train :func:`conv_net` without and with batch norm (before the ReLU) at a range of rates.

    A learning rate is *tolerated* if the loss stays finite and the mean over the last 10 steps
    is at most ``tolerance`` times the mean over the first 10. Every run starts from seed 0 and
    sees the same batches (128 images of the profile's training subset). Returns
    ``{"lrs": [...], "steps": n, "ratio": {"no BN": [late/early or None (diverged) per rate],
    "BN before ReLU": [...]}, "tolerated": {"no BN": largest tolerated rate or 0.0, ...}}``.
    """
    s = settings_for(profile)
    lrs = by_profile(ci=(0.01, 0.03, 0.1, 0.3, 1.0), default=(0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0),
                     full=(0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0), profile=profile)
    steps = by_profile(ci=30, default=60, full=200, profile=profile)
    train = fashion_mnist_dataset("train", limit=s.train_images, size=s.size)
    batches = list(BatchLoader(train.images, train.labels, 128, shuffle=True))
    out: dict = {"lrs": list(lrs), "steps": steps, "ratio": {}, "tolerated": {}}
    for name, bn in (("no BN", None), ("BN before ReLU", "before")):
        ratios = []
        for lr in lrs:
            seed_everything(0)
            net = conv_net(s.depth, s.width, bn=bn).to(device())
            ratios.append(late_over_early(train_steps(net, batches, lr, steps)["loss"], steps))
        out["ratio"][name] = ratios
        out["tolerated"][name] = max([lr for lr, r in zip(lrs, ratios) if r is not None and r <= tolerance],
                                     default=0.0)
    return out
