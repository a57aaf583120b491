"""VGG's thesis at small scale: does a deeper stack of 3×3 convolutions do better at EQUAL
training budget? (notebook 06)

Simonyan & Zisserman (ICLR 2015, Table 3) found the top-5 error falling from 10.4 % (A, 11 layers)
to 8.8 % (D, 16) and 9.0 % (E, 19) at training scale 256, one test scale — deeper was better up to
16 layers, then saturated. We train small VGGs on Fashion-MNIST that differ ONLY in the number
of 3×3 convs per stage (1 to 4, i.e. 3 to 12 conv layers; widths 16, 32, 64; batch norm so that every depth
trains from a random start), with the same images, epochs, optimiser and seeds.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..complexity import count_macs, count_params
from ..models.vgg import small_vgg
from . import Experiment, Outcome, seeded
from ._zoo import ZooSettings, train_small


@dataclass(frozen=True)
class Settings:
    """Convs per stage to compare, seeds, and the one training budget every depth gets."""

    convs_per_stage: tuple[int, ...]
    seeds: tuple[int, ...]
    train_images: int
    test_images: int
    epochs: int
    lr: float = 2e-3
    batch_size: int = 128
    seed: int = 0


SETTINGS = {
    "ci": Settings(convs_per_stage=(1, 2), seeds=(0,), train_images=512, test_images=256, epochs=1),
    "default": Settings(convs_per_stage=(1, 2, 3, 4), seeds=(0, 1, 2), train_images=6000,
                        test_images=4000, epochs=2),
    # live: the class-sized version a RETRAIN = True cell trains at the default profile (≤ 60 s on 2 threads)
    "live": Settings(convs_per_stage=(1, 2, 3, 4), seeds=(0,), train_images=6000, test_images=4000,
                     epochs=2),   # seed 0 of the default run
    "full": Settings(convs_per_stage=(1, 2, 3, 4), seeds=(0, 1, 2, 3, 4), train_images=60000,
                     test_images=10000, epochs=10),
}


def depth_config(convs_per_stage: int, widths: tuple[int, ...] = (16, 32, 64)) -> list:
    """A small-VGG configuration with ``convs_per_stage`` 3×3 convs in each of three stages."""
    if convs_per_stage < 1:
        raise ValueError(f"convs_per_stage must be at least 1, got {convs_per_stage}")
    config: list = []
    for width in widths:
        config += [width] * convs_per_stage + ["M"]
    return config


def run(s: Settings) -> Outcome:
    """Train one small VGG per (depth, seed) with the same budget.

    Returns ``{"seeds": [...], "depths": [conv layers, ...], "params": [...], "macs": [...],
    "test_error": {depth: [per seed]}, "train_error": {depth: [per seed]}}`` (last epoch;
    depth keys are strings of the number of conv layers).
    """
    zoo = ZooSettings(s.train_images, s.test_images, s.epochs, s.lr, s.batch_size)
    out: dict = {"seeds": list(s.seeds), "depths": [], "params": [], "macs": [],
                 "test_error": {}, "train_error": {}}
    for n in s.convs_per_stage:
        depth = 3 * n
        out["depths"].append(depth)
        net = small_vgg(config=depth_config(n))
        out["params"].append(count_params(net))
        out["macs"].append(count_macs(net, (1, 28, 28)))
        tests, trains = [], []
        for seed in s.seeds:
            seeded(seed)
            model = small_vgg(config=depth_config(n))
            history = train_small(model, zoo, label=f"{depth} conv layers, seed {seed}")
            tests.append(history.test_error[-1])
            trains.append(history.train_error[-1])
        out["test_error"][str(depth)], out["train_error"][str(depth)] = tests, trains
    return Outcome(out)


EXPERIMENT = Experiment("vgg-depth", run, SETTINGS)
