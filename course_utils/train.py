"""A small training engine: :func:`fit` trains, :func:`evaluate` measures.

It is the loop every notebook would otherwise write again, and nothing more::

    for epoch in range(epochs):
        for x, y in train_loader:            # forward, loss, backward, step
            ...
        evaluate(model, test_loader)         # loss and error on held-out data

:func:`fit` returns a :class:`History` with one row per epoch (training and test loss and error,
seconds, images per second). Press Ctrl-C (or the stop button) during training and ``fit`` keeps
the epochs finished so far, marks the history ``interrupted`` and returns: the kernel stays usable.

Three choices make it fast without changing what it computes (each measured in
``benchmarks/bench_train.py``; the results agree with a plain loop to float tolerance,
``tests/test_train_engine.py``):

* **channels-last memory** (``[N, H, W, C]`` in memory, same ``[N, C, H, W]`` shape): the layout
  the CPU's and GPU's convolution kernels prefer; on 1 CPU thread 1.1-1.3x more images per second
  (LeNet-5, ResNet-20 and ResNet-56) and 1.3-1.4x (the small VGG).
* **running sums kept on the device**: no ``float(loss)`` per step, so a GPU never waits for the
  CPU to read a number back in the middle of an epoch.
* **mixed precision on a GPU** (bfloat16 autocast where supported): tensor cores, half the memory
  traffic; the CPU stays in float32.

Measured and left out: ``torch.compile``. On a 2-core CPU it takes about 30 s to compile
ResNet-20's step and then gains 0-18 %, so a class-sized run never repays it (the benchmark prints
both figures).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Iterable

import torch
from torch import nn
from tqdm.auto import tqdm

from .runtime import device as default_device
from .runtime import is_quiet

Batches = Iterable[tuple[torch.Tensor, torch.Tensor]]
LossFn = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


@dataclass
class History:
    """Per-epoch record of a training run. Errors are fractions in [0, 1] (error = 1 - accuracy)."""

    rows: list[dict[str, float]] = field(default_factory=list)
    interrupted: bool = False

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, key: str) -> list[float]:
        """One value per epoch, e.g. ``history.column("test_error")``."""
        return [row[key] for row in self.rows if key in row]

    @property
    def train_loss(self) -> list[float]:
        return self.column("train_loss")

    @property
    def train_error(self) -> list[float]:
        return self.column("train_error")

    @property
    def test_loss(self) -> list[float]:
        return self.column("test_loss")

    @property
    def test_error(self) -> list[float]:
        return self.column("test_error")

    def to_dict(self) -> dict[str, list[float]]:
        """Columns as lists, JSON-ready: ``{"train_loss": [...], "test_error": [...], ...}``."""
        keys = dict.fromkeys(k for row in self.rows for k in row)
        return {k: self.column(k) for k in keys}

    @classmethod
    def from_dict(cls, columns: dict[str, list[float]]) -> "History":
        """Inverse of :meth:`to_dict`."""
        n = max((len(v) for v in columns.values()), default=0)
        return cls([{k: v[i] for k, v in columns.items() if i < len(v)} for i in range(n)])


@torch.no_grad()
def evaluate(model: nn.Module, loader: Batches, *, device: torch.device | None = None,
             loss_fn: LossFn = nn.functional.cross_entropy) -> dict[str, float]:
    """Mean loss, error and accuracy of ``model`` over ``loader`` (the model is put in eval mode).

    Returns ``{"loss": float, "error": float, "accuracy": float}``; ``error = 1 - accuracy``.
    """
    dev = device or next(model.parameters()).device
    was_training = model.training
    model.eval()
    total_loss, wrong, count = 0.0, 0, 0
    for x, y in loader:
        x, y = x.to(dev), y.to(dev)
        logits = model(x)
        total_loss += float(loss_fn(logits, y)) * len(y)
        wrong += int((logits.argmax(1) != y).sum())
        count += len(y)
    model.train(was_training)
    if count == 0:
        raise ValueError("evaluate() got an empty loader")
    return {"loss": total_loss / count, "error": wrong / count, "accuracy": 1 - wrong / count}


def train_one_epoch(model: nn.Module, loader: Batches, optimizer: torch.optim.Optimizer, *,
                    device: torch.device, loss_fn: LossFn = nn.functional.cross_entropy,
                    progress: tqdm | None = None, channels_last: bool = False) -> dict[str, float]:
    """One pass over ``loader`` with gradient steps; returns the running training loss and error.

    The figures are averaged over the batches as they were seen (the model changes during the
    epoch), which is what the ResNet paper plots as training error.
    """
    model.train()
    total_loss = torch.zeros((), device=device)  # running sums stay on the device: no sync per step
    wrong = torch.zeros((), dtype=torch.long, device=device)
    count = 0
    for step, (x, y) in enumerate(loader, 1):
        x, y = _to_device(x, device, channels_last), y.to(device, non_blocking=True)
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=_use_amp(device)):
            logits = model(x)
            loss = loss_fn(logits, y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        total_loss += loss.detach().float() * len(y)
        wrong += (logits.detach().argmax(1) != y).sum()
        count += len(y)
        if progress is not None:
            progress.update(1)
            if step % 20 == 0:  # reading the loss back costs a sync on a GPU: not every step
                progress.set_postfix(loss=f"{float(total_loss) / count:.3f}", refresh=False)
    if count == 0:
        raise ValueError("train_one_epoch() got an empty loader: it yielded no batches to train on")
    return {"train_loss": float(total_loss) / count, "train_error": int(wrong) / count, "images": count}


def _to_device(x: torch.Tensor, device: torch.device, channels_last: bool) -> torch.Tensor:
    """Move a batch to ``device``; an image batch ``[N, C, H, W]`` in channels-last memory if asked."""
    x = x.to(device, non_blocking=True)
    if channels_last and x.dim() == 4:
        x = x.contiguous(memory_format=torch.channels_last)
    return x


def _use_amp(device: torch.device) -> bool:
    """Mixed precision (bfloat16 autocast) on a GPU that supports it; never on the CPU."""
    return device.type == "cuda" and torch.cuda.is_bf16_supported()


def fit(
    model: nn.Module,
    train_loader: Batches,
    test_loader: Batches | None = None,
    *,
    epochs: int = 1,
    optimizer: torch.optim.Optimizer | None = None,
    lr: float = 0.05,
    scheduler: torch.optim.lr_scheduler.LRScheduler | None = None,
    loss_fn: LossFn = nn.functional.cross_entropy,
    device: torch.device | None = None,
    progress: bool = True,
    live_plot: bool = False,
    label: str = "training",
    channels_last: bool = True,
) -> History:
    """Train ``model`` for ``epochs`` passes over ``train_loader``; evaluate after each epoch.

    Args:
        optimizer: defaults to SGD with momentum 0.9, weight decay 5e-4 and learning rate ``lr``.
        scheduler: stepped once per epoch (e.g. ``CosineAnnealingLR``), if given.
        progress: show a ``tqdm`` bar (always silent in CI, see :func:`runtime.is_quiet`).
        live_plot: redraw the error curves in the notebook after every epoch.
        channels_last: train in channels-last memory (faster convolutions; the model is returned in
            the usual layout). Pass ``False`` for a model whose ``forward`` calls ``.view`` on a
            convolution's output (``.reshape`` and ``nn.Flatten`` work either way).

    Returns:
        A :class:`History`: per epoch ``train_loss``, ``train_error``, ``test_loss``,
        ``test_error`` (if a test loader is given), ``seconds`` and ``images_per_s``.
    """
    dev = device or default_device()
    model.to(dev)
    if channels_last:
        model.to(memory_format=torch.channels_last)
    opt = optimizer or torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, weight_decay=5e-4)
    history = History()
    quiet = is_quiet() or not progress
    steps = epochs * len(train_loader) if hasattr(train_loader, "__len__") else None
    bar = tqdm(total=steps, desc=label, disable=quiet, unit="batch", leave=False)
    plot = _LivePlot(label) if live_plot and not is_quiet() else None
    try:
        for epoch in range(1, epochs + 1):
            start = time.perf_counter()
            row: dict[str, float] = {"epoch": epoch}
            row.update(train_one_epoch(model, train_loader, opt, device=dev, loss_fn=loss_fn,
                                       progress=bar, channels_last=channels_last))
            seconds = time.perf_counter() - start
            row["seconds"], row["images_per_s"] = seconds, row.pop("images") / seconds
            if test_loader is not None:
                scores = evaluate(model, test_loader, device=dev, loss_fn=loss_fn)
                row["test_loss"], row["test_error"] = scores["loss"], scores["error"]
            if scheduler is not None:
                scheduler.step()
            history.rows.append(row)
            if plot is not None:
                plot.update(history)
    except KeyboardInterrupt:
        history.interrupted = True
        print(f"Interrupted: kept {len(history)} finished epoch(s) of {epochs}.")
    finally:
        bar.close()
        model.to(memory_format=torch.contiguous_format)  # back to the usual layout for the notebook
        model.eval()
    return history


class _LivePlot:
    """Error curves redrawn in place in a notebook output (used by ``fit(live_plot=True)``)."""

    def __init__(self, title: str) -> None:
        from IPython.display import display

        self.title = title
        self.handle = display(display_id=True)

    def update(self, history: History) -> None:
        if self.handle is None:  # not in a notebook (e.g. a script): nothing to draw into
            return
        import matplotlib.pyplot as plt

        from .viz import plot_history

        fig = plot_history({self.title: history})
        self.handle.update(fig)
        plt.close(fig)
