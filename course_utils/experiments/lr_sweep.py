"""The largest learning rate a plain CNN tolerates, without and with batch norm (notebook 08).

Ioffe & Szegedy, "Batch Normalization: Accelerating Deep Network Training by Reducing Internal
Covariate Shift", ICML 2015, section 3.3: batch norm "enables higher learning rates". The network
is :func:`~course_utils.models.conv_net` (3x3 convolutions and ReLUs, He initialisation); every run
starts from the same seed and sees the same batches; the sweep is repeated for every seed of
``Settings.seeds`` (a seed sets the initial weights and the order of the batches).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..data import BatchLoader, fashion_mnist_dataset
from ..models.plain import conv_net
from ..probes.drift import train_steps
from ..runtime import device
from . import Experiment, Outcome, seeded


@dataclass(frozen=True)
class Settings:
    """The network, the data and the rates of the sweep."""

    depth: int                  # conv layers
    width: int                  # filters per conv layer
    size: int                   # image side (Fashion-MNIST resized)
    train_images: int
    steps: int                  # SGD steps per run
    lrs: tuple[float, ...]      # the learning rates tried
    tolerance: float = 0.9      # tolerated: late loss <= tolerance x early loss
    batch_size: int = 128
    seeds: tuple[int, ...] = (0, 1, 2)


SETTINGS = {
    "ci": Settings(depth=8, width=16, size=14, train_images=2048, steps=30,
                   lrs=(0.01, 0.03, 0.1, 0.3, 1.0), seeds=(0,)),
    "default": Settings(depth=8, width=16, size=14, train_images=8192, steps=60,
                        lrs=(0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)),
    # live: the class-sized version a RETRAIN = True cell trains at the default profile (≤ 60 s on 2 threads)
    "live": Settings(depth=8, width=16, size=14, train_images=8192, steps=60,
                     lrs=(0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0), seeds=(0,)),   # seed 0 of the default run
    "full": Settings(depth=10, width=32, size=28, train_images=60_000, steps=200,
                     lrs=(0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)),
}


def late_over_early(loss: list[float], steps: int) -> float | None:
    """Mean loss of the last 10 steps / mean of the first 10; ``None`` if the run diverged."""
    if len(loss) < steps or not all(map(math.isfinite, loss)):
        return None
    return sum(loss[-10:]) / sum(loss[:10])


def run(s: Settings) -> Outcome:
    """Train the conv net without and with batch norm (before the ReLU) at every rate of ``s.lrs``,
    once per seed of ``s.seeds``.

    A learning rate is *tolerated* if the loss stays finite and the mean over the last 10 steps
    is at most ``s.tolerance`` times the mean over the first 10. Returns ``{"seeds": [...],
    "ratio": {"no BN": [[late/early or None (diverged) per rate] per seed], "BN before ReLU": ...},
    "tolerated": {"no BN": [largest tolerated rate or 0.0, per seed], ...}}``.
    """
    train = fashion_mnist_dataset("train", limit=s.train_images, size=s.size)
    out: dict = {"seeds": list(s.seeds), "ratio": {}, "tolerated": {}}
    for name, bn in (("no BN", None), ("BN before ReLU", "before")):
        out["ratio"][name], out["tolerated"][name] = [], []
        for seed in s.seeds:
            batches = list(BatchLoader(train.images, train.labels, s.batch_size, shuffle=True, seed=seed))
            ratios = []
            for lr in s.lrs:
                seeded(seed)
                net = conv_net(s.depth, s.width, bn=bn).to(device())
                ratios.append(late_over_early(train_steps(net, batches, lr, s.steps)["loss"], s.steps))
            out["ratio"][name].append(ratios)
            out["tolerated"][name].append(max([lr for lr, r in zip(s.lrs, ratios)
                                               if r is not None and r <= s.tolerance], default=0.0))
    return Outcome(out)


EXPERIMENT = Experiment("lr-sweep", run, SETTINGS)
