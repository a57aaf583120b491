"""The degradation experiment: plain nets get worse with depth, residual nets do not.

He, Zhang, Ren & Sun, "Deep Residual Learning for Image Recognition", CVPR 2016, Figure 6 and
section 4.2; notebook 09. Plain and residual networks of two or more depths
(:func:`~course_utils.models.cifar_resnet`) are trained the same way on Fashion-MNIST (1 channel):
SGD with momentum 0.9, learning rate 0.1 divided by 10 at 50 % and 75 % of training, weight
decay 1e-4, the same seed and the same batches for every network. Per epoch we record the
training error (averaged over the epoch's batches, as the paper plots it), the test error, and
the gradient norm of every weight on one fixed batch (:func:`~course_utils.probes.gradient_norms`).

All sizes live in :data:`SETTINGS`: one entry per profile and the variant ``cpu``, the largest run
that fitted a couple of hours of one CPU core here (shipped as ``data/results/degradation-cpu.json``,
made with ``make results EXPERIMENTS=degradation RESULTS_PROFILE=cpu``).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

import torch
from tqdm.auto import tqdm

from ..data import fashion_mnist_loaders
from ..models import cifar_resnet
from ..probes import gradient_norms
from ..runtime import device, is_quiet
from ..train import evaluate, train_one_epoch
from . import Experiment, Outcome, seeded


@dataclass(frozen=True)
class Settings:
    """How big one degradation run is."""

    depths: tuple[int, ...]   # each 6n + 2, shallow to deep
    width: int                # filters in the first stage (the paper: 16)
    size: int                 # images resized to size x size (Fashion-MNIST: 28)
    train_images: int         # training subset (60,000 = all)
    test_images: int          # test subset (10,000 = all)
    epochs: int
    batch_size: int = 128
    lr: float = 0.1
    weight_decay: float = 1e-4
    seed: int = 0
    threads: int | None = None  # CPU threads to train on (None: leave torch's setting)


SETTINGS: dict[str, Settings] = {
    # CI: 14x14 images, half-width nets, 2,000 images x 4 epochs (80 steps per network)
    "ci": Settings(depths=(20, 56), width=8, size=14, train_images=2000, test_images=500,
                   epochs=4, batch_size=100),
    # a student's laptop (about 2 minutes): 5,000 images x 6 epochs (300 steps per network)
    "default": Settings(depths=(20, 56), width=8, size=14, train_images=5000, test_images=2000,
                        epochs=6, batch_size=100),
    # the paper's networks (16/32/64 filters) on all of Fashion-MNIST: meant for a GPU
    "full": Settings(depths=(20, 32, 44, 56), width=16, size=28, train_images=60_000,
                     test_images=10_000, epochs=40),
    # the paper's widths on all of Fashion-MNIST at 14x14, 16 epochs (7,504 steps per network):
    # about 90 minutes of one CPU core, the largest run that fitted this course's build machine
    "cpu": Settings(depths=(20, 56), width=16, size=14, train_images=60_000, test_images=10_000,
                    epochs=16, threads=1),
}
"""The experiment's sizes per profile (``ci``, ``default``, ``full``) and the variant ``cpu``."""


def train_one(depth: int, plain: bool, s: Settings, loaders, probe, *,
              dev: torch.device) -> dict:
    """Train one network; return its per-epoch curves and per-layer gradient norms.

    ``probe`` is a fixed batch ``(x [B, 1, size, size], y [B])`` on which the gradient norms are
    measured at initialisation (entry 0 of ``grad_norms``) and after every epoch.
    """
    seeded(s.seed)
    model = cifar_resnet(depth, plain=plain, in_channels=1, width=s.width).to(dev)
    opt = torch.optim.SGD(model.parameters(), lr=s.lr, momentum=0.9, weight_decay=s.weight_decay)
    milestones = [s.epochs // 2, (3 * s.epochs) // 4]
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=milestones, gamma=0.1)
    train, test = loaders
    train.generator.manual_seed(s.seed)  # the same batches, in the same order, for every net
    x, y = probe[0].to(dev), probe[1].to(dev)
    name = f"{'plain' if plain else 'resnet'}-{depth}"
    run: dict = {"train_error": [], "test_error": [], "train_loss": [], "test_loss": [],
                 "grad_norms": [list(gradient_norms(model, x, y).values())]}
    bar = tqdm(total=s.epochs * len(train), desc=name, disable=is_quiet(), unit="batch", leave=False)
    start = time.perf_counter()
    for _ in range(s.epochs):
        row = train_one_epoch(model, train, opt, device=dev, progress=bar)
        scores = evaluate(model, test, device=dev)
        sched.step()
        model.train()
        run["train_error"].append(row["train_error"])
        run["train_loss"].append(row["train_loss"])
        run["test_error"].append(scores["error"])
        run["test_loss"].append(scores["loss"])
        run["grad_norms"].append(list(gradient_norms(model, x, y).values()))
    bar.close()
    run["layers"] = list(gradient_norms(model, x, y))
    run["params"] = sum(p.numel() for p in model.parameters())
    run["seconds"] = time.perf_counter() - start
    return run


def run(s: Settings) -> Outcome:
    """Train plain and residual nets of every depth in ``s``; return their curves.

    Returns ``{"plain-20": run, "resnet-20": run, "plain-56": run, "resnet-56": run, ...}`` where
    each ``run`` has per-epoch lists ``train_error``, ``test_error`` (fractions), ``train_loss``,
    ``test_loss``; ``grad_norms`` (epochs + 1 lists, one norm per layer in ``layers``);
    ``params``, ``seconds`` and ``settings`` (``s`` as a dict).
    """
    bad = [d for d in s.depths if d < 8 or (d - 2) % 6]
    if bad:
        raise ValueError(f"depths {bad} are not 6n+2 (n >= 1), e.g. 20, 32, 44, 56")
    threads = torch.get_num_threads()
    torch.set_num_threads(s.threads or threads)
    try:
        dev = device()
        train, test = fashion_mnist_loaders(s.batch_size, train_limit=s.train_images,
                                            test_limit=s.test_images, size=s.size, seed=s.seed)
        probe = (train.images[:256], train.labels[:256])
        results = {}
        for depth in s.depths:
            for plain in (True, False):
                run_ = train_one(depth, plain, s, (train, test), probe, dev=dev)
                run_["settings"] = asdict(s)
                results[f"{'plain' if plain else 'resnet'}-{depth}"] = run_
    finally:
        torch.set_num_threads(threads)
    return Outcome(results)


EXPERIMENT = Experiment("degradation", run, SETTINGS)
