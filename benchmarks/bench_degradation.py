"""Benchmark: the degradation experiment's CI budget and batch norm's speed (notebooks 08-09).

Run with ``make bench`` (or ``python benchmarks/bench_degradation.py``). Prints figures; exits 1 on a missed target. Targets:
the ``ci`` settings of the degradation experiment in at most 75 s on the course's 2-core machine (wall and CPU time
are both printed: on a shared machine the wall time is inflated by other work), and our
from-scratch ``batch_norm`` within a small factor of ``torch.nn.functional.batch_norm``.
"""

from __future__ import annotations

import time

import torch
import torch.nn.functional as F

from course_utils.experiments.degradation import SETTINGS, run
from course_utils.ops import batch_norm

CI_TARGET_S = 75.0


def time_batch_norm(repeats: int = 50) -> tuple[float, float]:
    """Milliseconds per training-mode call on ``[128, 64, 16, 16]``: ours, then torch's."""
    x = torch.randn(128, 64, 16, 16)
    times = []
    for fn in (batch_norm, F.batch_norm):
        mean, var = torch.zeros(64), torch.ones(64)
        fn(x, mean, var, training=True)
        start = time.perf_counter()
        for _ in range(repeats):
            fn(x, mean, var, training=True)
        times.append(1000 * (time.perf_counter() - start) / repeats)
    return times[0], times[1]


def main() -> int:
    ours, theirs = time_batch_norm()
    print(f"batch_norm [128, 64, 16, 16]: ours {ours:.2f} ms, torch {theirs:.2f} ms ({ours / theirs:.1f}x)")
    wall, cpu = time.perf_counter(), time.process_time()
    results = run(SETTINGS["ci"]).data
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    for name, net in results.items():
        print(f"{name:>10}: final training error {100 * net['train_error'][-1]:5.1f} %, {net['seconds']:.1f} s")
    verdict = "within" if wall <= CI_TARGET_S else "OVER"
    print(f"degradation(profile='ci'): {wall:.1f} s wall, {cpu:.1f} s CPU, {torch.get_num_threads()} threads "
          f"({verdict} the {CI_TARGET_S:.0f} s target)")
    return 0 if verdict == "within" else 1


if __name__ == "__main__":
    raise SystemExit(main())
