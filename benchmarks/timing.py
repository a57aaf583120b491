"""The one timing helper the benchmarks share (``from timing import median_ms``)."""

from __future__ import annotations

import statistics
import time
from typing import Callable


def median_ms(fn: Callable[[], object], repeats: int = 7,
              clock: Callable[[], float] = time.perf_counter) -> float:
    """Median time of ``fn()`` in milliseconds, after one warm-up call.

    ``clock`` is wall time by default; pass ``time.process_time`` for CPU time, which stays
    meaningful on a machine shared with other work.
    """
    fn()
    times = []
    for _ in range(repeats):
        start = clock()
        fn()
        times.append(clock() - start)
    return 1000 * statistics.median(times)
