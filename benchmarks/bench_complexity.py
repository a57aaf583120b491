"""Benchmark: how long the complexity counters take on the ImageNet zoo (notebooks 05-07).

Run with ``make bench`` (or ``python benchmarks/bench_complexity.py``). Prints figures. The
notebooks count every zoo model on the meta device; the target is that counting any of them
there takes at most 0.5 s, so that a notebook's tables cost nothing. For comparison it also
times one real CPU forward pass of AlexNet for the same count.
"""

from __future__ import annotations

import time

import torch

from course_utils.complexity import count_macs, count_params
from course_utils.widgets.architecture import ZOO

META_TARGET_S = 0.5


def warm_up() -> float:
    """The first meta-device pass loads PyTorch's shape rules (a one-time cost per process)."""
    start = time.perf_counter()
    factory, shape = ZOO["AlexNet (two GPUs)"]
    with torch.device("meta"):
        count_macs(factory(), shape)
    return time.perf_counter() - start


def main() -> int:
    print(f"one-time warm-up of the meta device: {warm_up():.2f} s")
    worst = 0.0
    for name, (factory, shape) in ZOO.items():
        start = time.perf_counter()
        with torch.device("meta"):
            model = factory()
        macs = count_macs(model, shape)
        took = time.perf_counter() - start
        worst = max(worst, took)
        print(f"{name:22s} {count_params(model) / 1e6:8.2f} M params {macs / 1e9:8.3f} G MACs  "
              f"build + count on meta: {took:.3f} s")
    start = time.perf_counter()
    factory, shape = ZOO["AlexNet (two GPUs)"]
    count_macs(factory(), shape)
    print(f"AlexNet built and counted on the CPU instead: {time.perf_counter() - start:.2f} s")
    print(f"slowest meta count {worst:.3f} s (target <= {META_TARGET_S} s): "
          f"{'OK' if worst <= META_TARGET_S else 'TOO SLOW'}")
    return 0 if worst <= META_TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
