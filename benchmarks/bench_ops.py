"""Speed of the from-scratch convolution and pooling against PyTorch (``make bench``).

Target (issue 4): ``conv2d_fast`` within 3x of ``F.conv2d`` on an 8x16x32x32 input with 32 3x3
filters; ``conv2d_naive`` is shown as slow as it honestly is. Figures are medians of several runs
on one thread of the current machine, so compare them only with each other. Exits 1
on a missed target.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from timing import median_ms  # benchmarks/timing.py

from course_utils.ops import avg_pool2d, conv2d_fast, conv2d_naive, max_pool2d


def main() -> int:
    # One thread: with several, a busy machine makes OpenMP wait for its other threads and the
    # ratio says more about the machine's load than about the op (2 threads, load 7: 238x; one: 2.4x).
    torch.set_num_threads(1)
    torch.manual_seed(0)
    x, w, b = torch.randn(8, 16, 32, 32), torch.randn(32, 16, 3, 3), torch.randn(32)
    ref = F.conv2d(x, w, b, padding=1)
    assert torch.allclose(conv2d_fast(x, w, b, padding=1), ref, atol=1e-4)
    assert torch.allclose(conv2d_naive(x, w, b, padding=1), ref, atol=1e-4)
    print(f"ops benchmark: torch {torch.__version__}, {torch.get_num_threads()} thread(s)")
    print("conv 8x16x32x32 input, 32 filters 3x3, padding 1:")
    torch_ms = median_ms(lambda: F.conv2d(x, w, b, padding=1), repeats=31)
    fast_ms = median_ms(lambda: conv2d_fast(x, w, b, padding=1), repeats=31)
    naive_ms = median_ms(lambda: conv2d_naive(x, w, b, padding=1), repeats=3)
    for name, ms in (("F.conv2d", torch_ms), ("conv2d_fast", fast_ms), ("conv2d_naive", naive_ms)):
        print(f"  {name:13s} {ms:9.2f} ms  ({ms / torch_ms:6.1f}x F.conv2d)")
    verdict = "meets" if fast_ms <= 3 * torch_ms else "MISSES"
    print(f"  conv2d_fast {verdict} the target of at most 3x F.conv2d ({fast_ms / torch_ms:.2f}x)")
    print("pooling 8x32x32x32, window 2, stride 2:")
    y = torch.randn(8, 32, 32, 32)
    for name, fn in (("F.max_pool2d", lambda: F.max_pool2d(y, 2)), ("max_pool2d", lambda: max_pool2d(y, 2)),
                     ("F.avg_pool2d", lambda: F.avg_pool2d(y, 2)), ("avg_pool2d", lambda: avg_pool2d(y, 2))):
        print(f"  {name:13s} {median_ms(fn):9.2f} ms")
    return 0 if verdict == "meets" else 1


if __name__ == "__main__":
    raise SystemExit(main())
