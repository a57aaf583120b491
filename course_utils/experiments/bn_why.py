"""Why does batch norm help? Two tests of Santurkar et al. (notebook 08).

S. Santurkar, D. Tsipras, A. Ilyas, A. Madry, "How Does Batch Normalization Help Optimization?",
NeurIPS 2018:

* section 2.1: put internal covariate shift back on purpose (random noise after every batch-norm
  layer, new at every step) and see whether the network still trains. Here the noise is made *at
  least as large* as the drift the network without batch norm shows on its own, and both are
  measured: the **drift** of a run is the mean over layers of ``|log(std at the end / std at the
  start)|`` of each ReLU output on a fixed probe batch; the **jitter** is the mean of
  ``|log(std at one probe / std at the previous one)|`` (probes every ``probe_every`` steps);
* section 3.1: smoothness along the gradient. At several points of training, move the weights
  along the negative gradient by each step size ``eta`` and record the loss (its *range* is the
  "variation of the loss") and how far the gradient moved (``||grad(w - eta g) - g||``; divided by
  the distance moved it is the *effective beta-smoothness*).

Every arm starts from the same seed and sees the same batches; all of it is repeated per seed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..data import BatchLoader, fashion_mnist_dataset
from ..models.plain import conv_net
from ..ops import NoisyBatchNorm2d
from ..probes.network import activation_stats
from ..runtime import device
from . import Experiment, Outcome, seeded


@dataclass(frozen=True)
class Settings:
    """The network and data (as ``lr-sweep``), the noise, the probe and the seeds."""

    depth: int
    width: int
    size: int
    train_images: int
    steps: int                                   # SGD steps per run
    lr: float = 0.05
    probe_every: int = 5                         # steps between probes (activation std, smoothness)
    noise_scale: tuple[float, float] = (0.05, 10.0)  # the strong noise: scale ~ U(low, high) ...
    noise_shift: float = 4.0                     # ... and shift ~ N(0, noise_shift^2), one per layer
    # (a shift of 2 gave jitter 1.1-1.4 against a no-BN drift of up to 1.2: too thin a margin;
    # at 4 the jitter is 2.3-3.4 in the seeds we tried, about twice the largest drift)
    step_sizes: tuple[float, ...] = (0.025, 0.05, 0.1, 0.2, 0.4)   # etas of the smoothness probe
    batch_size: int = 128
    seeds: tuple[int, ...] = (0, 1, 2)


SETTINGS = {
    "ci": Settings(depth=8, width=16, size=14, train_images=1024, steps=20, seeds=(0,),
                   step_sizes=(0.05, 0.2)),
    "default": Settings(depth=8, width=16, size=14, train_images=8192, steps=60),
    # live: the class-sized version a RETRAIN = True cell trains at the default profile, so that a
    # retrain never replaces the evidence (≤ 60 s on 2 threads): seed 0 of the default run
    "live": Settings(depth=8, width=16, size=14, train_images=8192, steps=60, seeds=(0,)),
    "full": Settings(depth=10, width=32, size=28, train_images=60_000, steps=500),
}

ARMS = ("no BN", "BN", "noisy BN (mild)", "noisy BN (strong)")


def along_gradient(model: nn.Module, x: torch.Tensor, y: torch.Tensor,
                   step_sizes: tuple[float, ...]) -> dict[str, float]:
    """Santurkar et al.'s probe at the current weights, on one batch ``(x, y)``.

    Returns ``{"loss_range": max - min of L(w - eta g) over the step sizes (and eta = 0),
    "grad_change": max ||grad(w - eta g) - g||, "beta": max ||grad(w - eta g) - g|| / (eta ||g||)}``.
    The weights are restored afterwards; batch norm uses the batch's statistics (training mode).
    """
    params = [p for p in model.parameters() if p.requires_grad]
    saved = [p.detach().clone() for p in params]
    buffers = {k: v.clone() for k, v in model.state_dict().items() if not k.endswith(("weight", "bias"))}

    def loss_and_grad() -> tuple[float, list[torch.Tensor]]:
        loss = F.cross_entropy(model(x), y)
        grads = torch.autograd.grad(loss, params)
        return float(loss.detach()), [g.detach() for g in grads]

    loss0, g0 = loss_and_grad()
    g_norm = math.sqrt(sum(float((g ** 2).sum()) for g in g0))
    losses, changes, betas = [loss0], [], []
    for eta in step_sizes:
        with torch.no_grad():
            for p, w, g in zip(params, saved, g0):
                p.copy_(w - eta * g)
        loss, g = loss_and_grad()
        change = math.sqrt(sum(float(((a - b) ** 2).sum()) for a, b in zip(g, g0)))
        losses.append(loss), changes.append(change), betas.append(change / (eta * g_norm + 1e-12))
    with torch.no_grad():
        for p, w in zip(params, saved):
            p.copy_(w)
    model.load_state_dict(buffers, strict=False)
    finite = all(map(math.isfinite, losses + changes))
    return {"loss_range": max(losses) - min(losses) if finite else float("inf"),
            "grad_change": max(changes) if finite else float("inf"),
            "beta": max(betas) if finite else float("inf")}


def _build(s: Settings, arm: str) -> nn.Module:
    bn = {"no BN": None, "BN": "before"}.get(arm, "noisy")
    net = conv_net(s.depth, s.width, bn=bn)
    if arm == "noisy BN (strong)":
        for m in net.modules():
            if isinstance(m, NoisyBatchNorm2d):
                m.scale_range, m.shift_std, m.per_channel = s.noise_scale, s.noise_shift, False
    return net.to(device())


def _train(s: Settings, arm: str, batches: list, probe: torch.Tensor) -> dict:
    """SGD with momentum 0.9 (as ``train_steps``), probing every ``s.probe_every`` steps."""
    net = _build(s, arm)
    dev = device()
    opt = torch.optim.SGD(net.parameters(), lr=s.lr, momentum=0.9)
    losses, stds, smooth = [], [], []
    net.train()
    for step in range(s.steps + 1):
        x, y = (t.to(dev) for t in batches[step % len(batches)])
        if step % s.probe_every == 0:
            stds.append([v["std"] for v in activation_stats(net, probe, kinds=(nn.ReLU,)).values()])
            if arm in ("no BN", "BN"):
                smooth.append(along_gradient(net, x, y, s.step_sizes))
        if step == s.steps:
            break
        loss = F.cross_entropy(net(x), y)
        losses.append(float(loss.detach()))
        if not math.isfinite(losses[-1]):
            break
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    log_std = np.log(np.maximum(np.array(stds), 1e-12))
    done = len(losses) == s.steps and math.isfinite(losses[-1])
    out = {"late_loss": float(np.mean(losses[-10:])) if done else None,
           "drift": float(np.abs(log_std[-1] - log_std[0]).mean()),
           "jitter": float(np.abs(np.diff(log_std, axis=0)).mean())}
    if smooth:
        for key in ("loss_range", "grad_change", "beta"):
            out[key] = float(np.mean([p[key] for p in smooth[1:]]))    # after step 0, averaged
    return out


def run(s: Settings) -> Outcome:
    """Every arm of :data:`ARMS` for every seed. Returns ``{"seeds": [...], "arms": {arm:
    {"late_loss": [per seed], "drift": [...], "jitter": [...], and for "no BN" and "BN" also
    "loss_range", "grad_change", "beta": [...]}}}``."""
    train = fashion_mnist_dataset("train", limit=s.train_images, size=s.size)
    probe = train.images[:128].to(device())
    out: dict = {"seeds": list(s.seeds), "arms": {arm: {} for arm in ARMS}}
    for seed in s.seeds:
        batches = list(BatchLoader(train.images, train.labels, s.batch_size, shuffle=True, seed=seed))
        for arm in ARMS:
            seeded(seed)
            for key, value in _train(s, arm, batches, probe).items():
                out["arms"][arm].setdefault(key, []).append(value)
    return Outcome(out)


EXPERIMENT = Experiment("bn-why", run, SETTINGS)
