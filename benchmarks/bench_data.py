"""Benchmark: how fast Fashion-MNIST loads, cold and cached, and how fast the loaders deliver batches.

Run with ``make bench`` (or ``python benchmarks/bench_data.py``). Prints figures and exits 1 on a missed target; the target from
issue 3 is a second load of the training split in at most 0.5 s (from the course's cache).
The cold load reads Debian's files into an empty temporary cache, so ``data/`` is not touched.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import torch

from course_utils.data import SYSTEM_DIRS, fashion_mnist_loaders, load_fashion_mnist

SECOND_LOAD_TARGET_S = 0.5


def seconds(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def loader_throughput(augment: bool) -> float:
    """Images per second for one pass over the full training loader (batches of 128)."""
    train, _ = fashion_mnist_loaders(128, augment=augment)
    start = time.perf_counter()
    count = sum(len(y) for _, y in train)
    return count / (time.perf_counter() - start)


def main() -> int:
    print(f"bench_data: torch {torch.__version__}, {torch.get_num_threads()} thread(s)")
    with tempfile.TemporaryDirectory(prefix="bench-data-") as tmp:
        os.environ["COURSE_DATA_DIR"] = tmp  # a cold cache, thrown away at the end
        if any((Path(d) / "train-images-idx3-ubyte.gz").exists() for d in SYSTEM_DIRS):
            for split in ("train", "test"):
                cold = seconds(lambda: load_fashion_mnist(split, url=None))
                print(f"  first load, {split:5s} (Debian's .gz, checksums, write cache): {cold:6.2f} s")
        else:
            print("  Debian's dataset-fashion-mnist is missing: cold load not measured (run `make data`)")
            os.environ.pop("COURSE_DATA_DIR")
        warm = [seconds(lambda: load_fashion_mnist("train", url=None)) for _ in range(3)]
        verdict = "PASS" if warm[0] <= SECOND_LOAD_TARGET_S else "MISS"
        print(f"  second load, train (cache):   {warm[0]:6.3f} s  (best of 3: {min(warm):.3f} s)  "
              f"target <= {SECOND_LOAD_TARGET_S} s: {verdict}")
        for augment in (False, True):
            rate = loader_throughput(augment)
            print(f"  BatchLoader, batch 128, augment={augment!s:5s}: {rate:10,.0f} images/s")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    raise SystemExit(main())
