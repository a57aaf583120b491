"""Benchmark: the training engine ``fit`` against a bare PyTorch loop on the same work.

Both train the same small CNN with the same optimizer on the same ``BatchLoader`` batches for the
same number of steps; a warm-up epoch of each is not timed, then the best of 3 timed epochs is
kept. The engine's extra work (running loss and error, timing, the history, a silent progress
bar) should cost at most 10% of the images per second (issue 3).
"""

from __future__ import annotations

import os
import time

import torch
from torch import nn

from course_utils.data import BatchLoader, DatasetUnavailableError, fashion_mnist_loaders
from course_utils.train import fit

OVERHEAD_TARGET_PCT = 10.0
IMAGES, BATCH, REPEATS = 4096, 128, 3


def small_cnn() -> nn.Module:
    """Two conv-ReLU-pool blocks and a linear classifier: [N, 1, 28, 28] -> [N, 10]."""
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 7 * 7, 10),
    )


def sgd(model: nn.Module) -> torch.optim.Optimizer:
    """The optimizer ``fit`` builds by default."""
    return torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)


def batches() -> tuple[BatchLoader, str]:
    try:
        train, _ = fashion_mnist_loaders(BATCH, train_limit=IMAGES, test_limit=16)
        return train, "Fashion-MNIST"
    except DatasetUnavailableError:
        g = torch.Generator().manual_seed(0)
        x, y = torch.randn(IMAGES, 1, 28, 28, generator=g), torch.randint(0, 10, (IMAGES,), generator=g)
        return BatchLoader(x, y, BATCH, shuffle=True), "random tensors (Fashion-MNIST missing)"


def bare_epoch(model: nn.Module, loader: BatchLoader, device: torch.device) -> None:
    """The loop every tutorial writes: forward, loss, backward, step."""
    model.to(device).train()
    opt = sgd(model)
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()


def fit_epoch(model: nn.Module, loader: BatchLoader, device: torch.device) -> None:
    fit(model, loader, epochs=1, optimizer=sgd(model), device=device, progress=False)


def images_per_s(run, loader: BatchLoader, device: torch.device) -> float:
    model = small_cnn()
    start = time.perf_counter()
    run(model, loader, device)
    if device.type == "cuda":
        torch.cuda.synchronize()
    return len(loader.labels) / (time.perf_counter() - start)


def main() -> int:
    os.environ.setdefault("COURSE_QUIET", "1")
    device = torch.device(os.environ.get("COURSE_DEVICE", "cpu"))
    loader, source = batches()
    print(f"bench_train: small CNN, {len(loader)} steps of {BATCH} images ({source}), {device}, "
          f"torch {torch.__version__}, {torch.get_num_threads()} thread(s)")
    for run in (bare_epoch, fit_epoch):  # warm-up, not timed
        images_per_s(run, loader, device)
    bare, engine = [], []
    for _ in range(REPEATS):  # interleaved, so that a busy machine slows both alike
        bare.append(images_per_s(bare_epoch, loader, device))
        engine.append(images_per_s(fit_epoch, loader, device))
    best_bare, best_fit = max(bare), max(engine)
    overhead = (best_bare / best_fit - 1) * 100
    verdict = "PASS" if overhead <= OVERHEAD_TARGET_PCT else "MISS"
    print(f"  bare PyTorch loop: {best_bare:8,.0f} images/s (best of {REPEATS})")
    print(f"  course fit():      {best_fit:8,.0f} images/s (best of {REPEATS})")
    print(f"  overhead of fit(): {overhead:+.1f}%  target <= {OVERHEAD_TARGET_PCT:.0f}%: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
