"""Benchmark: how close the training engine ``fit`` comes to what this CPU can do (issue 20).

1. **Peak.** The machine's single-precision peak, measured two ways: a large matrix multiply and a
   large 3x3 convolution (forward, channels-last). The larger of the two is "the peak".
2. **Training throughput.** ``fit`` trains LeNet-5, the small VGG and ResNet-20/56 on 28x28
   one-channel images, batch 128, SGD with momentum. A training step costs about three forward
   passes (forward, and a backward pass of about twice the work), so
   ``GFLOP/s = 3 * 2 * MACs per image * images per second``; the share of the peak is printed.
   Each is measured in the usual NCHW memory layout (``channels_last=False``, the engine before
   issue 20) and in channels-last (what ``fit`` does now), interleaved so a busy machine slows both.
3. **Engine overhead.** ``fit`` against the bare PyTorch loop on the same batches (<= 10 %).
4. **torch.compile**, measured and not used: ResNet-20's channels-last step compiled against the
   same step eager (start-up from an empty compile cache, in wall seconds; the steady step in CPU
   time). On the 2-core machine, one thread: 28-34 s to compile, then 1.00-1.18x the images per
   second (four runs: 1.00, 1.07, 1.10, 1.18x). Inside ``fit`` (ResNet-20, 2 epochs of 20,000 images and an evaluation each) the
   first epoch took 103 s instead of 52 (compiling the training and evaluation graphs) and the
   second 48 s instead of 49. A class-sized run (< 60 s) never repays that; a 15-epoch run on all
   60,000 images would save about as much as it spends compiling; and compiling needs a C++
   compiler a student's laptop may lack. So ``fit`` runs eagerly.
5. **The convolutions' own ceiling.** Each convolution of ResNet-20 alone, forward and backward on
   its own input shape, channels-last: how fast PyTorch's kernels run on these small shapes (16-64
   channels). The network cannot beat this share of the peak; what it loses beyond it is batch
   norm, ReLU, the residual additions and the optimizer (memory-bound, about 30 % of a step).

Everything runs on **one thread and is timed in CPU time of this process**, so the figures hold on a
machine busy with other work (two threads add about 1.6x to both peak and training; the shares stay).
The script exits 1 when a figure misses its target.
"""

from __future__ import annotations

import os
import tempfile
import time
from typing import Callable

import torch
from torch import nn

from course_utils.complexity import count_macs
from course_utils.data import BatchLoader
from course_utils.models.cifar_resnet import cifar_resnet
from course_utils.models.lenet import lenet5
from course_utils.models.vgg import small_vgg
from course_utils.train import fit

BATCH, REPEATS = 128, 3
# Share of the peak each model must reach with fit. Measured on the course's 2-core machine on
# 2026-12-02, four ways: idle; beside a pure-Python job on the other core; beside a one-thread
# ResNet-20 training; and with both cores oversubscribed (tools/busy.py, two burners):
#   ResNet-20 66 / 70 / 69 / 63 %   ResNet-56 75 / 72 / 71 / 75 %   small VGG 64 / 68 / 66 / 64 %
# Issue 20 aimed at 60 % on ResNet-20, and that is its target; the others keep a similar margin.
# LeNet-5 is too small to keep the arithmetic units busy (22-25 %): no target.
TARGET_SHARE = {"ResNet-20": 0.60, "ResNet-56": 0.60, "small VGG": 0.55}
OVERHEAD_TARGET_PCT = 10.0

MODELS: dict[str, tuple[Callable[[], nn.Module], int]] = {  # name -> (builder, steps timed)
    "LeNet-5": (lambda: lenet5(), 40),
    "small VGG": (lambda: small_vgg(), 12),
    "ResNet-20": (lambda: cifar_resnet(20, in_channels=1), 6),
    "ResNet-56": (lambda: cifar_resnet(56, in_channels=1), 3),
}


def cpu_seconds(fn: Callable[[], object]) -> float:
    """CPU time of one call of ``fn`` (this process only; other work on the machine is not counted)."""
    start = time.process_time()
    fn()
    return time.process_time() - start


def best_of(fn: Callable[[], object], repeats: int = 5) -> float:
    """Shortest CPU time of ``repeats`` calls, after one warm-up call."""
    fn()
    return min(cpu_seconds(fn) for _ in range(repeats))


def peak_gflops() -> dict[str, float]:
    """GFLOP/s of a 2048x2048 matrix multiply and of a 3x3 convolution 64 -> 64 channels on 28x28."""
    a, b = torch.randn(2048, 2048), torch.randn(2048, 2048)
    matmul = 2 * 2048**3 / best_of(lambda: a @ b) / 1e9
    conv = nn.Conv2d(64, 64, 3, padding=1).to(memory_format=torch.channels_last)
    x = torch.randn(64, 64, 28, 28).contiguous(memory_format=torch.channels_last)
    macs = 64 * 64 * 64 * 9 * 28 * 28
    with torch.no_grad():
        conv_gflops = 2 * macs / best_of(lambda: conv(x)) / 1e9
    return {"matmul": matmul, "conv": conv_gflops}


def random_batches(steps: int) -> BatchLoader:
    g = torch.Generator().manual_seed(0)
    n = steps * BATCH
    return BatchLoader(torch.randn(n, 1, 28, 28, generator=g), torch.randint(0, 10, (n,), generator=g), BATCH)


def sgd(model: nn.Module) -> torch.optim.Optimizer:
    """The optimizer ``fit`` builds by default."""
    return torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)


def fit_images_per_s(build: Callable[[], nn.Module], steps: int, channels_last: bool) -> float:
    """Images per CPU-second of ``fit`` over ``steps`` batches (best of REPEATS, after a warm-up)."""
    loader, model = random_batches(steps), build()
    run = lambda: fit(model, loader, optimizer=sgd(model), device=torch.device("cpu"),  # noqa: E731
                      progress=False, channels_last=channels_last)
    return steps * BATCH / best_of(run, REPEATS)


def bare_images_per_s(build: Callable[[], nn.Module], steps: int) -> float:
    """Images per CPU-second of the loop every tutorial writes, for comparison with ``fit``."""
    loader, model = random_batches(steps), build()
    opt = sgd(model)

    def epoch() -> None:
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()

    return steps * BATCH / best_of(epoch, REPEATS)


def compile_figures(steps: int = 6) -> dict[str, float]:
    """ResNet-20, channels-last, a bare training step: eager against ``torch.compile``.

    Returns the compiled model's start-up (wall seconds of its first step, which compiles, from an
    empty cache), and the images per CPU-second of both after it (best of REPEATS, interleaved).
    """
    x = torch.randn(BATCH, 1, 28, 28).contiguous(memory_format=torch.channels_last)
    y = torch.randint(0, 10, (BATCH,))

    def make_step(compiled: bool) -> Callable[[], None]:
        torch.manual_seed(0)
        model = cifar_resnet(20, in_channels=1).to(memory_format=torch.channels_last)
        forward, opt = (torch.compile(model) if compiled else model), sgd(model)

        def step() -> None:
            loss = nn.functional.cross_entropy(forward(x), y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        return step

    eager, compiled = make_step(False), make_step(True)
    previous = os.environ.get("TORCHINDUCTOR_CACHE_DIR")
    with tempfile.TemporaryDirectory() as cache:  # an empty cache: the start-up a student would see
        os.environ["TORCHINDUCTOR_CACHE_DIR"] = cache
        start = time.perf_counter()
        compiled()  # the first call compiles
        startup = time.perf_counter() - start
    if previous is None:
        del os.environ["TORCHINDUCTOR_CACHE_DIR"]
    else:
        os.environ["TORCHINDUCTOR_CACHE_DIR"] = previous
    run = {name: [] for name in ("eager", "compiled")}
    for _ in range(REPEATS):
        for name, step in (("eager", eager), ("compiled", compiled)):
            run[name].append(cpu_seconds(lambda: [step() for _ in range(steps)]))
    return {"startup_s": startup, **{name: steps * BATCH / min(t) for name, t in run.items()}}


def conv_ceiling_gflops(model: nn.Module) -> float:
    """GFLOP/s of ``model``'s convolutions alone: each one, forward + backward, on its own input.

    The input shapes come from one forward pass of a batch [BATCH, 1, 28, 28]; the MACs of a
    convolution are ``N * C_out * H_out * W_out * C_in * kH * kW`` (groups of 1), times 3 for the step.
    """
    shapes: list[tuple[nn.Conv2d, torch.Size]] = []
    hooks = [m.register_forward_hook(lambda m, i, o: shapes.append((m, i[0].shape)))
             for m in model.modules() if isinstance(m, nn.Conv2d)]
    with torch.no_grad():
        model(torch.randn(BATCH, 1, 28, 28))
    for h in hooks:
        h.remove()
    seconds, macs = 0.0, 0
    for conv, shape in shapes:
        conv = conv.to(memory_format=torch.channels_last)
        x = torch.randn(shape).contiguous(memory_format=torch.channels_last).requires_grad_(True)
        out = conv(x)
        grad = torch.ones_like(out)
        seconds += best_of(lambda: torch.autograd.grad(conv(x), [x, *conv.parameters()], grad))
        kh, kw = conv.kernel_size
        macs += out.numel() * conv.in_channels * kh * kw
    return 3 * 2 * macs / seconds / 1e9


def main() -> int:
    os.environ.setdefault("COURSE_QUIET", "1")
    torch.set_num_threads(1)
    print(f"bench_train: torch {torch.__version__}, 1 thread, CPU time of this process")
    peaks = peak_gflops()
    peak = max(peaks.values())
    print(f"  peak: matmul {peaks['matmul']:.0f} GFLOP/s, 3x3 conv {peaks['conv']:.0f} GFLOP/s "
          f"-> peak {peak:.0f} GFLOP/s")
    print(f"  {'model':10s} {'MMAC/img':>9s} {'NCHW img/s':>11s} {'channels-last':>14s} {'speed-up':>9s} "
          f"{'GFLOP/s':>8s} {'of peak':>8s} {'target':>7s}")
    failures = []
    for name, (build, steps) in MODELS.items():
        macs = count_macs(build(), (1, 28, 28))
        before, after = [], []
        for _ in range(2):  # interleaved: a busy spell slows both layouts alike
            before.append(fit_images_per_s(build, steps, channels_last=False))
            after.append(fit_images_per_s(build, steps, channels_last=True))
        nchw, cl = max(before), max(after)
        gflops = 6 * macs * cl / 1e9
        share = gflops / peak
        target = TARGET_SHARE.get(name)
        verdict = "" if target is None else ("PASS" if share >= target else "MISS")
        if verdict == "MISS":
            failures.append(f"{name}: {share:.0%} of peak < {target:.0%}")
        if cl < 0.9 * nchw:
            failures.append(f"{name}: channels-last slower than NCHW ({cl:.0f} vs {nchw:.0f} img/s)")
        print(f"  {name:10s} {macs / 1e6:9.1f} {nchw:11,.0f} {cl:14,.0f} {cl / nchw:8.2f}x "
              f"{gflops:8.1f} {share:8.0%} {'' if target is None else f'{target:.0%} ' + verdict:>7s}")
    build, steps = MODELS["small VGG"]
    bares, engines = [], []
    for _ in range(3):  # interleaved, best of each
        bares.append(bare_images_per_s(build, steps))
        engines.append(fit_images_per_s(build, steps, channels_last=False))
    bare, engine = max(bares), max(engines)
    overhead = (bare / engine - 1) * 100
    verdict = "PASS" if overhead <= OVERHEAD_TARGET_PCT else "MISS"
    if verdict == "MISS":
        failures.append(f"fit overhead {overhead:+.1f}% > {OVERHEAD_TARGET_PCT:.0f}%")
    print(f"  overhead of fit() over a bare loop (small VGG, same layout): {overhead:+.1f}%  "
          f"target <= {OVERHEAD_TARGET_PCT:.0f}%: {verdict}")
    comp = compile_figures()
    gain = comp["compiled"] / comp["eager"]
    saved_per_image = 1 / comp["eager"] - 1 / comp["compiled"]
    repaid = (f"repaid after {comp['startup_s'] / saved_per_image / 60_000:.1f} epochs of 60,000 images"
              if saved_per_image > 0 else "never repaid")
    print(f"  torch.compile (ResNet-20, channels-last): {comp['startup_s']:.0f} s to compile, then "
          f"{comp['compiled']:,.0f} img/s against {comp['eager']:,.0f} eager ({gain:.2f}x): {repaid}; "
          f"fit does not compile")
    ceiling = conv_ceiling_gflops(cifar_resnet(20, in_channels=1))
    print(f"  ResNet-20's convolutions alone (forward + backward, each on its own shape): "
          f"{ceiling:.1f} GFLOP/s = {ceiling / peak:.0%} of peak, the most fit could reach on it")
    for failure in failures:
        print(f"  MISSED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
