"""Shortcut options A, B and C trained the same way, with several seeds (notebook 10).

He et al., "Deep Residual Learning for Image Recognition", CVPR 2016, section 3.3 and Table 3:
where a block changes the shape, the shortcut is either (A) the identity, subsampled, with
zero-filled new channels; (B) a 1x1 projection there and the identity elsewhere; or (C) a
projection on every block. The paper compared them on ResNet-34 (basic blocks), where
projections are a few per cent of the weights. Here they are compared on a bottleneck net,
:func:`~course_utils.models.resnet.small_bottleneck_resnet`, where option C's extra projections
add about 40 % to the parameters, so the comparison can show whether they pay for themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from ..data import fashion_mnist_loaders
from ..models.resnet import SHORTCUTS, small_bottleneck_resnet
from ..runtime import device
from ..train import fit
from . import Experiment, Outcome, seeded


@dataclass(frozen=True)
class Settings:
    """Data, schedule, network size and seeds; every option gets the same."""

    train_images: int
    test_images: int
    epochs: int
    batch_size: int
    seeds: tuple[int, ...]
    size: int = 28            # images resized to size x size
    width: int = 8            # channels inside the first stage's blocks
    blocks: int = 2           # bottleneck blocks per stage (2 + 12 * blocks layers)
    lr: float = 0.05


SETTINGS = {
    "ci": Settings(train_images=500, test_images=200, epochs=1, batch_size=50, seeds=(0,), size=14,
                   width=4),
    # 3 options x 3 seeds, 200 steps each: about 2 minutes of one idle CPU core
    "default": Settings(train_images=4000, test_images=2000, epochs=5, batch_size=100,
                        seeds=(0, 1, 2), size=14, width=4),
    # live: the class-sized version a RETRAIN = True cell trains at the default profile (≤ 60 s on 2 threads)
    "live": Settings(train_images=4000, test_images=2000, epochs=5, batch_size=100,
                     seeds=(0,), size=14, width=4),   # seed 0 of the default run
    "full": Settings(train_images=60000, test_images=10000, epochs=20, batch_size=128,
                     seeds=(0, 1, 2), width=16, blocks=3),
}


def train_arm(model: torch.nn.Module, s: Settings, seed: int, label: str) -> dict:
    """Train ``model`` on seed ``seed``'s subset and batches; SGD with momentum, the learning rate
    divided by 10 at 50 % and 75 % of the epochs. Returns final errors and the history."""
    train, test = fashion_mnist_loaders(s.batch_size, train_limit=s.train_images,
                                        test_limit=s.test_images, size=s.size, seed=seed)
    train.generator.manual_seed(seed)   # the same batches, in the same order, for every arm
    opt = torch.optim.SGD(model.parameters(), lr=s.lr, momentum=0.9, weight_decay=1e-4)
    milestones = [max(1, s.epochs // 2), max(1, (3 * s.epochs) // 4)]
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=milestones, gamma=0.1)
    history = fit(model, train, test, epochs=s.epochs, optimizer=opt, scheduler=sched,
                  device=device(), label=label)
    return {"train_error": history.train_error[-1], "test_error": history.test_error[-1],
            "history": history.to_dict()}


def run(s: Settings) -> Outcome:
    """Train :func:`small_bottleneck_resnet` with each option once per seed.

    Returns ``{"seeds": [...], "options": {"A": {"params": n, "projection_params": m,
    "train_error": [per seed], "test_error": [per seed], "histories": [...]}, ...}}``.
    """
    options: dict = {}
    for kind in SHORTCUTS:
        net = small_bottleneck_resnet(kind, width=s.width, blocks=s.blocks)
        options[kind] = {"params": sum(p.numel() for p in net.parameters()),
                         "projection_params": projection_params(net),
                         "train_error": [], "test_error": [], "histories": []}
    for seed in s.seeds:
        for kind in SHORTCUTS:
            seeded(seed)   # the same initial weights in every layer the options share
            model = small_bottleneck_resnet(kind, width=s.width, blocks=s.blocks)
            arm = train_arm(model, s, seed, f"option {kind}, seed {seed}")
            for key in ("train_error", "test_error"):
                options[kind][key].append(arm[key])
            options[kind]["histories"].append(arm["history"])
    return Outcome({"seeds": list(s.seeds), "options": options})


def projection_params(net: torch.nn.Module) -> int:
    """Parameters in the net's projection shortcuts (1x1 convolution + batch norm)."""
    return sum(p.numel() for block in net.blocks for p in block.shortcut.parameters())


EXPERIMENT = Experiment("shortcut-options", run, SETTINGS)
