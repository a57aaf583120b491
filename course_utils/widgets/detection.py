"""Explorers for notebook 12: the IoU of two boxes, and what NMS keeps at a threshold."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure

from ..detection.boxes import box_iou
from ..detection.draw import draw_boxes
from ..detection.nms import nms
from .explorer import Explorer

FIXED_BOX = torch.tensor([[10.0, 10.0, 30.0, 30.0]])
"""The box the IoU explorer compares against (20 x 20 pixels)."""


def _moving_box(shift: float, width: float, height: float) -> torch.Tensor:
    if width <= 0 or height <= 0:
        raise ValueError(f"a box needs a positive width and height, got {width} x {height}")
    return torch.tensor([[10.0 + shift, 10.0, 10.0 + shift + width, 10.0 + height]])


def draw_iou(shift: float = 8.0, width: float = 20.0, height: float = 20.0) -> Figure:
    """Two boxes on a 64 x 40 canvas; the second starts ``shift`` pixels right of the first."""
    other = _moving_box(shift, width, height)
    fig, ax = plt.subplots(figsize=(5, 3.2))
    ax.imshow(np.zeros((40, 64)), cmap="gray", vmin=0, vmax=1)
    draw_boxes(ax, FIXED_BOX, color="#3cb44b")
    draw_boxes(ax, other, color="#e6194b")
    inter = torch.cat([torch.maximum(FIXED_BOX[:, :2], other[:, :2]), torch.minimum(FIXED_BOX[:, 2:], other[:, 2:])], 1)
    if bool((inter[:, 2:] > inter[:, :2]).all()):
        x1, y1, x2, y2 = inter[0].tolist()
        ax.add_patch(plt.Rectangle((x1 - 0.5, y1 - 0.5), x2 - x1, y2 - y1, color="#ffe119", alpha=0.5))
    ax.set_title(f"IoU = {float(box_iou(FIXED_BOX, other)):.2f}")
    ax.axis("off")
    return fig


def describe_iou(shift: float = 8.0, width: float = 20.0, height: float = 20.0) -> str:
    other = _moving_box(shift, width, height)
    a, b = FIXED_BOX[0], other[0]
    iw = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    ih = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter, union = iw * ih, 400.0 + width * height - iw * ih
    return f"intersection {inter:.0f} px² / union {union:.0f} px² = IoU {inter / union:.3f}"


def candidate_boxes(seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """A detector's raw output on a made-up scene: jittered boxes around three objects, with scores.

    Returns ``boxes [18, 4]`` and ``scores [18]`` (the same for a given seed).
    """
    gen = torch.Generator().manual_seed(seed)
    objects = torch.tensor([[6.0, 8.0, 26.0, 34.0], [22.0, 14.0, 44.0, 36.0], [46.0, 4.0, 60.0, 20.0]])
    boxes = objects.repeat_interleave(6, 0) + torch.randn(18, 4, generator=gen) * 2.5
    scores = torch.rand(18, generator=gen) * 0.6 + 0.35
    return boxes, scores


def draw_nms(iou_threshold: float = 0.5, seed: int = 0) -> Figure:
    """Candidate boxes: kept by NMS (solid, with score) and suppressed (grey, dashed)."""
    if not 0.0 <= iou_threshold <= 1.0:
        raise ValueError(f"the IoU threshold must lie in [0, 1], got {iou_threshold}")
    boxes, scores = candidate_boxes(seed)
    keep = nms(boxes, scores, iou_threshold)
    gone = torch.ones(len(boxes), dtype=torch.bool)
    gone[keep] = False
    fig, axes = plt.subplots(1, 2, figsize=(8, 3.2))
    for ax, title in zip(axes, ("before NMS", f"after NMS (IoU > {iou_threshold:.2f} suppressed)")):
        ax.imshow(np.zeros((40, 64)), cmap="gray", vmin=0, vmax=1)
        ax.set_title(title, fontsize=9)
        ax.axis("off")
    draw_boxes(axes[0], boxes, scores=scores, color="#42d4f4", linewidth=1)
    draw_boxes(axes[1], boxes[gone], color="#888888", linestyle=":", linewidth=0.8)
    draw_boxes(axes[1], boxes[keep], scores=scores[keep], color="#3cb44b")
    fig.tight_layout()
    return fig


def describe_nms(iou_threshold: float = 0.5, seed: int = 0) -> str:
    boxes, scores = candidate_boxes(seed)
    keep = nms(boxes, scores, iou_threshold)
    iou = box_iou(boxes[keep], boxes[keep]).fill_diagonal_(0)
    worst = float(iou.max()) if len(keep) > 1 else 0.0
    return (f"kept {len(keep)} of {len(boxes)} boxes; largest IoU between two kept boxes "
            f"{worst:.2f} (never above the threshold {iou_threshold:.2f})")


def iou_explorer() -> Explorer:
    """Slide a second box across the first and watch intersection, union and IoU."""
    import ipywidgets as w

    controls = {"shift": w.FloatSlider(value=8.0, min=-30.0, max=40.0, step=1.0, description="shift"),
                "width": w.FloatSlider(value=20.0, min=0.0, max=40.0, step=1.0, description="width"),
                "height": w.FloatSlider(value=20.0, min=0.0, max=30.0, step=1.0, description="height")}
    return Explorer(draw_iou, controls, describe_iou, title="IoU of two boxes")


def nms_explorer() -> Explorer:
    """Drag the NMS threshold and see which of 18 candidate boxes survive."""
    import ipywidgets as w

    controls = {"iou_threshold": w.FloatSlider(value=0.5, min=0.0, max=1.0, step=0.05, description="IoU thr."),
                "seed": w.IntSlider(value=0, min=0, max=9, description="scene")}
    return Explorer(draw_nms, controls, describe_nms, title="Non-maximum suppression")
