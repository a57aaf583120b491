"""Training, evaluating and timing the detectors of notebook 12.

:func:`train_detector` is the detection counterpart of :func:`course_utils.train.fit` (which
handles one label per image; a detector has several boxes and several losses per image): it
sums the model's losses, steps Adam, and shows a progress bar. :func:`evaluate_map` scores a
detector with mAP; :func:`time_selective_search` and :func:`time_per_image` measure CPU
milliseconds per image of the proposal step (selective search) and of the network.
"""

from __future__ import annotations

import copy
import statistics
import time
from typing import Sequence

import torch
from tqdm.auto import tqdm

from ..runtime import is_quiet
from .dataset import DetectionSet
from .metrics import mean_average_precision
from .proposals import selective_search


def train_detector(model: torch.nn.Module, data: DetectionSet, *, epochs: int, device: torch.device,
                   proposals: Sequence[torch.Tensor] | None = None, batch_size: int = 8,
                   lr: float = 2e-3, seed: int = 0, label: str = "detector") -> list[dict[str, float]]:
    """Train ``model`` (with a ``loss(images, targets, proposals, generator)`` method) on ``data``.

    Returns one row per epoch with the mean of each loss. Ctrl-C stops early and keeps the model.
    """
    if epochs < 1 or batch_size < 1:
        raise ValueError(f"epochs ({epochs}) and batch_size ({batch_size}) must be at least 1")
    gen = torch.Generator().manual_seed(seed)
    model.to(device).train()
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, epochs * ((len(data) + batch_size - 1) // batch_size))
    rows = []
    bar = tqdm(total=epochs * ((len(data) + batch_size - 1) // batch_size), desc=label, unit="batch",
               disable=is_quiet(), leave=False)
    try:
        for _ in range(epochs):
            sums: dict[str, float] = {}
            order = torch.randperm(len(data), generator=gen).tolist()
            for start in range(0, len(data), batch_size):
                idx = order[start:start + batch_size]
                images = data.images[idx].to(device)
                targets = [{k: v.to(device) for k, v in data.target(i).items()} for i in idx]
                props = None if proposals is None else [proposals[i].to(device) for i in idx]
                losses = model.loss(images, targets, props, gen)
                total = sum(losses.values())
                opt.zero_grad(set_to_none=True)
                total.backward()
                opt.step()
                sched.step()
                for k, v in losses.items():
                    sums[k] = sums.get(k, 0.0) + float(v.detach()) * len(idx)
                bar.update(1)
                bar.set_postfix(loss=f"{float(total.detach()):.3f}", refresh=False)
            rows.append({k: v / len(data) for k, v in sums.items()})
    except KeyboardInterrupt:
        print(f"Interrupted after {len(rows)} epoch(s); the model keeps what it learnt.")
    finally:
        bar.close()
        model.eval()
    return rows


@torch.no_grad()
def detect_all(model: torch.nn.Module, data: DetectionSet, proposals: Sequence[torch.Tensor] | None = None,
               *, device: torch.device, batch_size: int = 32) -> list[dict[str, torch.Tensor]]:
    """Detections (on the CPU) for every canvas of ``data``."""
    model.to(device).eval()
    out = []
    for start in range(0, len(data), batch_size):
        images = data.images[start:start + batch_size].to(device)
        props = None if proposals is None else [p.to(device) for p in proposals[start:start + batch_size]]
        found = model.detect(images, props)
        out += [{k: v.cpu() for k, v in d.items()} for d in found]
    return out


def evaluate_map(model: torch.nn.Module, data: DetectionSet, proposals: Sequence[torch.Tensor] | None = None,
                 *, device: torch.device, iou_threshold: float = 0.5) -> dict[str, object]:
    """``{"ap": [per class], "map": float}`` of ``model`` on ``data`` at ``iou_threshold``."""
    found = detect_all(model, data, proposals, device=device)
    return mean_average_precision(found, data.targets(), data.num_classes, iou_threshold)


def time_selective_search(images: torch.Tensor) -> dict[str, float]:
    """Median CPU milliseconds of :func:`selective_search` per image of ``images [N, 1, H, W]``, and its boxes.

    Returns ``{"ms": float, "proposals": mean boxes per image, "boxes": [N tensors [P_i, 4]]}``.
    """
    times, boxes = [], []
    for image in images.cpu():
        start = time.process_time()
        boxes.append(selective_search(image))
        times.append(1000 * (time.process_time() - start))
    return {"ms": statistics.median(times), "proposals": sum(map(len, boxes)) / len(boxes), "boxes": boxes}


@torch.no_grad()
def time_per_image(model: torch.nn.Module, images: torch.Tensor,
                   proposals: Sequence[torch.Tensor] | None = None, *, repeats: int = 3) -> float:
    """Median CPU milliseconds the network of ``model`` takes per image, one image at a time.

    Give ``proposals`` (one ``[P_i, 4]`` per image) for R-CNN and Fast R-CNN, whose proposal step
    is timed apart (:func:`time_selective_search`); Faster R-CNN makes its own (timed here). A
    CPU copy of the model is timed, so that the figures compare the same way on every machine.
    CPU time (``time.process_time``) rather than wall time keeps the figures steady on a busy
    machine; with several threads it adds up the threads' time.
    """
    if proposals is not None and len(proposals) != len(images):
        raise ValueError(f"{len(images)} images but {len(proposals)} proposal sets")
    cpu_model = copy.deepcopy(model).to("cpu").eval()
    times = []
    for i, image in enumerate(images.cpu()):
        props = None if proposals is None else [proposals[i].cpu()]
        start = time.process_time()
        for _ in range(repeats):
            cpu_model.detect(image[None], props)
        times.append(1000 * (time.process_time() - start) / repeats)
    return statistics.median(times)
