"""Explorers for notebooks 01 and 04: a kernel explorer and a pooling explorer.

Both follow the :class:`~course_utils.widgets.Explorer` pattern: a pure ``draw(**values)`` that
returns a figure (tested without a browser) and a ``describe(**values)`` status line.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure

from ..ops.conv import conv2d_fast
from ..ops.pool import avg_pool2d, max_pool2d
from .explorer import Explorer

KERNELS: dict[str, list[list[float]]] = {
    "identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
    "vertical edge (Sobel)": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    "horizontal edge (Sobel)": [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
    "all edges (Laplacian)": [[0, -1, 0], [-1, 4, -1], [0, -1, 0]],
    "box blur": [[1 / 9] * 3] * 3,
    "Gaussian blur": [[1 / 16, 2 / 16, 1 / 16], [2 / 16, 4 / 16, 2 / 16], [1 / 16, 2 / 16, 1 / 16]],
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "vertical line": [[-1, 2, -1], [-1, 2, -1], [-1, 2, -1]],
    "diagonal line": [[2, -1, -1], [-1, 2, -1], [-1, -1, 2]],
}
"""Hand-made 3x3 kernels by name (rows top to bottom)."""

CUSTOM = "custom (type 9 numbers)"


def parse_kernel(text: str) -> torch.Tensor:
    """``"1 0 -1, 2 0 -2, 1 0 -1"`` -> a 3x3 tensor (rows in order; commas, spaces or ';')."""
    parts = text.replace(",", " ").replace(";", " ").split()
    try:
        values = [float(p) for p in parts]
    except ValueError as err:
        raise ValueError(f"the kernel must be 9 numbers separated by spaces or commas: {err}") from None
    if len(values) != 9:
        raise ValueError(f"a 3x3 kernel needs 9 numbers, you typed {len(values)}")
    return torch.tensor(values).reshape(3, 3)


def default_images() -> dict[str, np.ndarray]:
    """Two real photos and two Fashion-MNIST garments, grey ``[H, W]`` arrays in [0, 1]."""
    from ..data import load_fashion_mnist, photo

    images, labels = load_fashion_mnist("test")
    first = {int(c): int(np.argmax(labels == c)) for c in (7, 0)}        # a sneaker, a T-shirt
    return {
        "cat (photo)": photo("chelsea", gray=True, size=128),
        "camera man (photo)": photo("camera", gray=True, size=128),
        "sneaker (Fashion-MNIST)": images[first[7]].astype(np.float32) / 255,
        "T-shirt (Fashion-MNIST)": images[first[0]].astype(np.float32) / 255,
    }


def apply_kernel(image: np.ndarray, kernel: torch.Tensor) -> torch.Tensor:
    """Feature map of a grey ``image [H, W]`` under a ``kernel [K, K]`` (zero padding keeps the size)."""
    x = torch.as_tensor(image, dtype=torch.float32)[None, None]
    k = kernel.to(torch.float32)[None, None]
    return conv2d_fast(x, k, padding=kernel.shape[-1] // 2)[0, 0]


def _kernel_of(kernel: str, weights: str) -> torch.Tensor:
    if kernel == CUSTOM:
        return parse_kernel(weights)
    if kernel not in KERNELS:
        raise ValueError(f"unknown kernel {kernel!r}; choose one of {', '.join(KERNELS)}")
    return torch.tensor(KERNELS[kernel])


def kernel_explorer(images: dict[str, np.ndarray] | None = None, kernel: str = "vertical edge (Sobel)") -> Explorer:
    """Pick (or type) a 3x3 kernel and an image; see the image, the kernel and the feature map."""
    import ipywidgets as w

    images = images if images is not None else default_images()

    def draw(kernel: str, weights: str, image: str) -> Figure:
        k = _kernel_of(kernel, weights)
        if image not in images:
            raise ValueError(f"unknown image {image!r}; choose one of {', '.join(images)}")
        fmap = apply_kernel(images[image], k)
        fig, axes = plt.subplots(1, 3, figsize=(10, 3.4), gridspec_kw={"width_ratios": [3, 1.3, 3]})
        axes[0].imshow(images[image], cmap="gray")
        axes[0].set_title("input")
        axes[1].imshow(k.numpy(), cmap="RdBu_r", vmin=-float(k.abs().max()) or -1, vmax=float(k.abs().max()) or 1)
        for (r, c), v in np.ndenumerate(k.numpy()):
            axes[1].text(c, r, f"{v:.2g}", ha="center", va="center", fontsize=9)
        axes[1].set_title("kernel")
        im = axes[2].imshow(fmap.numpy(), cmap="RdBu_r", vmin=-float(fmap.abs().max()), vmax=float(fmap.abs().max()))
        axes[2].set_title("feature map")
        fig.colorbar(im, ax=axes[2], fraction=0.046)
        for ax in axes:
            ax.axis("off")
        fig.tight_layout()
        return fig

    def describe(kernel: str, weights: str, image: str) -> str:
        k = _kernel_of(kernel, weights)
        fmap = apply_kernel(images[image], k)
        return (f"kernel sum = {float(k.sum()):.3g} (1 keeps the brightness, 0 keeps only changes); "
                f"feature map {tuple(fmap.shape)}, values from {float(fmap.min()):.3g} "
                f"to {float(fmap.max()):.3g}: responses, not probabilities")

    controls = {
        "kernel": w.Dropdown(options=[*KERNELS, CUSTOM], value=kernel, description="kernel"),
        "weights": w.Text(value="1 0 -1, 2 0 -2, 1 0 -1", description="custom",
                          continuous_update=False),
        "image": w.Dropdown(options=list(images), value=next(iter(images)), description="image"),
    }
    return Explorer(draw, controls, describe, title="Kernel explorer: slide a 3x3 kernel over an image")


def pooling_explorer(image: np.ndarray | None = None) -> Explorer:
    """Max vs average pooling of a grey ``image [H, W]`` with a chosen window and stride."""
    import ipywidgets as w

    if image is None:
        from ..data import photo

        image = photo("chelsea", gray=True, size=96)
    x = torch.as_tensor(image, dtype=torch.float32)[None, None]

    def pooled(mode: str, size: int, stride: int) -> torch.Tensor:
        if mode not in ("max", "avg"):
            raise ValueError(f"mode must be 'max' or 'avg', got {mode!r}")
        pool = max_pool2d if mode == "max" else avg_pool2d
        return pool(x, size, stride)[0, 0]

    def draw(mode: str, size: int, stride: int) -> Figure:
        out = pooled(mode, size, stride)
        fig, axes = plt.subplots(1, 2, figsize=(8, 3.8))
        axes[0].imshow(image, cmap="gray", vmin=0, vmax=1)
        axes[0].set_title(f"input {image.shape[0]}x{image.shape[1]}")
        axes[1].imshow(out.numpy(), cmap="gray", vmin=0, vmax=1)
        axes[1].set_title(f"{mode} pool {size}x{size}, stride {stride}: {out.shape[0]}x{out.shape[1]}")
        for ax in axes:
            ax.axis("off")
        fig.tight_layout()
        return fig

    def describe(mode: str, size: int, stride: int) -> str:
        out = pooled(mode, size, stride)
        kept = out.numel() / x.numel()
        overlap = " (windows overlap)" if stride < size else " (windows skip pixels)" if stride > size else ""
        return (f"{mode} pooling keeps {out.numel()} of {x.numel()} values ({100 * kept:.1f} %){overlap}; "
                f"mean brightness {float(out.mean()):.3f} vs input {float(x.mean()):.3f}")

    controls = {
        "mode": w.Dropdown(options=["max", "avg"], value="max", description="mode"),
        "size": w.IntSlider(value=2, min=1, max=8, description="window"),
        "stride": w.IntSlider(value=2, min=1, max=8, description="stride"),
    }
    return Explorer(draw, controls, describe, title="Pooling explorer: max (sharp) vs average (smooth)")
