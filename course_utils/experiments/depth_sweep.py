"""The degradation problem as a trend over depth: plain and residual nets of 20, 32, 44 and 56
layers, each trained with several seeds (notebook 09).

He, Zhang, Ren & Sun, "Deep Residual Learning for Image Recognition", CVPR 2016, Figure 6 and
Table 6 (CIFAR-10: plain nets get worse from 20 to 56 layers, ResNets better). Every network is
trained by :func:`course_utils.experiments.degradation.train_one` (the same recipe as the
``degradation`` experiment: SGD, momentum 0.9, learning rate 0.1 divided by 10 at 50 % and 75 %
of training, weight decay 1e-4). For each seed the training subset, the initial weights and the
order of the batches change; within one seed every network sees the same batches.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


from ..data import fashion_mnist_loaders
from ..runtime import device
from . import Experiment, Outcome
from .degradation import Settings as RunSettings
from .degradation import train_one


@dataclass(frozen=True)
class Settings:
    """How big the sweep is: the depths, the seeds, and the size of every single run."""

    depths: tuple[int, ...]   # each 6n + 2, shallow to deep
    seeds: tuple[int, ...]    # one full set of networks per seed
    width: int                # filters in the first stage (the paper: 16)
    size: int                 # images resized to size x size
    train_images: int
    test_images: int
    epochs: int
    batch_size: int = 100
    lr: float = 0.1
    weight_decay: float = 1e-4

    def run_settings(self, seed: int) -> RunSettings:
        """The settings of one seed's runs, in the form :func:`train_one` takes."""
        return RunSettings(depths=self.depths, width=self.width, size=self.size,
                           train_images=self.train_images, test_images=self.test_images,
                           epochs=self.epochs, batch_size=self.batch_size, lr=self.lr,
                           weight_decay=self.weight_decay, seed=seed)


SETTINGS: dict[str, Settings] = {
    # CI: the code path only (one seed, two shallow depths, 10 steps per network)
    "ci": Settings(depths=(8, 14), seeds=(0,), width=8, size=14, train_images=500,
                   test_images=200, epochs=1, batch_size=50),
    # the shipped evidence: 4 depths x 2 kinds x 3 seeds = 24 networks of 150 steps each
    # (about 5 minutes of one idle CPU core)
    "default": Settings(depths=(20, 32, 44, 56), seeds=(0, 1, 2), width=8, size=14,
                        train_images=3000, test_images=2000, epochs=5),
    # live: the class-sized version a RETRAIN = True cell trains at the default profile (≤ 60 s on 2 threads)
    # (two depths, one seed, 90 steps: the shortest run in which the gap is expected to open)
    "live": Settings(depths=(20, 56), seeds=(0,), width=8, size=14, train_images=3000,
                     test_images=2000, epochs=3),
    # the paper's widths on all of Fashion-MNIST at 28x28: meant for a GPU
    "full": Settings(depths=(20, 32, 44, 56), seeds=(0, 1, 2), width=16, size=28,
                     train_images=60_000, test_images=10_000, epochs=40, batch_size=128),
}
"""The sweep's sizes per profile."""


def final(data: dict, name: str, key: str = "train_error") -> list[float]:
    """Final-epoch values of ``key`` for network ``name`` (e.g. ``"plain-56"``), one per seed."""
    return [run[key][-1] for run in data["runs"][name]]


def run(s: Settings) -> Outcome:
    """Train plain and residual nets of every depth in ``s`` once per seed.

    Returns ``{"seeds": [...], "depths": [...], "runs": {"plain-20": [run, ...], ...}}`` with one
    ``run`` per seed, in the order of ``seeds``, each as :func:`train_one` returns it.
    """
    bad = [d for d in s.depths if d < 8 or (d - 2) % 6]
    if bad:
        raise ValueError(f"depths {bad} are not 6n+2 (n >= 1), e.g. 20, 32, 44, 56")
    if not s.seeds:
        raise ValueError("give at least one seed")
    dev = device()
    runs: dict[str, list[dict]] = {f"{kind}-{d}": [] for d in s.depths for kind in ("plain", "resnet")}
    for seed in s.seeds:
        one = s.run_settings(seed)
        train, test = fashion_mnist_loaders(s.batch_size, train_limit=s.train_images,
                                            test_limit=s.test_images, size=s.size, seed=seed)
        probe = (train.images[:256], train.labels[:256])
        for depth in s.depths:
            for plain in (True, False):
                result = train_one(depth, plain, one, (train, test), probe, dev=dev)
                result["settings"] = asdict(one)
                runs[f"{'plain' if plain else 'resnet'}-{depth}"].append(result)
    return Outcome({"seeds": list(s.seeds), "depths": list(s.depths), "runs": runs})


EXPERIMENT = Experiment("depth-sweep", run, SETTINGS)
"""``replay("depth-sweep")``: notebook 09's evidence for the degradation trend."""

__all__ = ["EXPERIMENT", "SETTINGS", "Settings", "final", "run"]
