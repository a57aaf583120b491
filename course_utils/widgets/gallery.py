"""The course map's first explorer: pick a Fashion-MNIST class, see examples and their mean image.

Used in ``00_course_map.ipynb`` to show how every explorer of the course works.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ..data import CLASS_NAMES, load_fashion_mnist
from .explorer import Explorer


def draw_class_gallery(images: np.ndarray, labels: np.ndarray, class_name: str, count: int = 8) -> Figure:
    """``count`` examples of one class (``images`` uint8 ``[N, 28, 28]``) and the class's mean image."""
    if class_name not in CLASS_NAMES:
        raise ValueError(f"unknown class {class_name!r}; choose one of {', '.join(CLASS_NAMES)}")
    if not 1 <= count <= 16:
        raise ValueError(f"count must be between 1 and 16 examples, got {count}")
    members = images[labels == CLASS_NAMES.index(class_name)]
    fig, axes = plt.subplots(1, count + 1, figsize=(1.3 * (count + 1), 1.7))
    for ax, image in zip(axes, members[:count]):
        ax.imshow(image, cmap="gray")
        ax.axis("off")
    axes[-1].imshow(members.mean(axis=0), cmap="magma")
    axes[-1].set_title("mean", fontsize=8)
    axes[-1].axis("off")
    fig.suptitle(f"{class_name}: {len(members):,} images", fontsize=10)
    fig.tight_layout()
    return fig


def class_gallery_explorer(split: str = "test") -> Explorer:
    """A dropdown of the ten classes and a slider for the number of examples."""
    import ipywidgets as w

    images, labels = load_fashion_mnist(split)
    controls = {
        "class_name": w.Dropdown(options=list(CLASS_NAMES), value="Sneaker", description="class"),
        "count": w.IntSlider(value=8, min=1, max=16, description="examples"),
    }
    return Explorer(lambda class_name, count: draw_class_gallery(images, labels, class_name, count),
                    controls,
                    describe=lambda class_name, count: f"{class_name} is label {CLASS_NAMES.index(class_name)}",
                    title="Fashion-MNIST classes")
