"""Pictures of boxes: ground truth, proposals, anchors and detections on a canvas (notebook 12)."""

from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure

COLORS = ("#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45",
          "#fabed4", "#469990")


def draw_boxes(ax: plt.Axes, boxes: torch.Tensor, *, labels: torch.Tensor | None = None,
               scores: torch.Tensor | None = None, class_names: Sequence[str] | None = None,
               color: str | None = None, linestyle: str = "-", linewidth: float = 1.5) -> None:
    """Draw ``boxes [N, 4]`` (pixel edges, as :mod:`.boxes`) on an ``imshow`` axis, with captions.

    ``imshow`` puts pixel ``i``'s centre at ``i``, so a box edge ``x`` is drawn at ``x - 0.5``.
    Colour by label unless ``color`` is given; the caption is the class name and the score.
    """
    if boxes.dim() != 2 or boxes.shape[1] != 4:
        raise ValueError(f"boxes must have shape [N, 4], got {tuple(boxes.shape)}")
    for k, (x1, y1, x2, y2) in enumerate(boxes.tolist()):
        label = None if labels is None else int(labels[k])
        c = color or COLORS[(label or 0) % len(COLORS)]
        ax.add_patch(plt.Rectangle((x1 - 0.5, y1 - 0.5), x2 - x1, y2 - y1, fill=False, edgecolor=c,
                                   linestyle=linestyle, linewidth=linewidth))
        words = []
        if label is not None:
            words.append(class_names[label - 1] if class_names and 0 < label <= len(class_names) else str(label))
        if scores is not None:
            words.append(f"{float(scores[k]):.2f}")
        if words:
            ax.text(x1 - 0.5, y1 - 1.0, " ".join(words), color=c, fontsize=6, va="bottom")


def show_detections(images: torch.Tensor, detections: Sequence[dict], *, class_names: Sequence[str] | None = None,
                    truths: Sequence[dict] | None = None, min_score: float = 0.5, ncols: int = 4,
                    size: float = 2.4, title: str | None = None) -> Figure:
    """A grid of canvases ``[N, 1, H, W]`` with boxes (``{"boxes", optional "labels", "scores"}``).

    Detections scoring below ``min_score`` are not drawn (mAP still counts them); ``truths``
    (optional) are drawn as thin white dashed boxes under the detections.
    """
    n = len(images)
    if n == 0 or len(detections) != n:
        raise ValueError(f"need one detection dict per image: {n} images, {len(detections)} dicts")
    ncols = min(ncols, n)
    nrows = (n + ncols - 1) // ncols
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows + (0.3 if title else 0)),
                             squeeze=False)
    for k, ax in enumerate(axes.flat):
        ax.axis("off")
        if k >= n:
            continue
        ax.imshow(images[k, 0].detach().cpu().numpy(), cmap="gray", vmin=0, vmax=1)
        if truths is not None:
            draw_boxes(ax, truths[k]["boxes"], color="white", linestyle="--", linewidth=0.8)
        d = {key: v.detach().cpu() for key, v in detections[k].items()}
        if "scores" in d:
            d = {key: v[d["scores"] >= min_score] for key, v in d.items()}
        draw_boxes(ax, d["boxes"], labels=d.get("labels"), scores=d.get("scores"), class_names=class_names)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig
