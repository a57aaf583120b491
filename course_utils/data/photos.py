"""Real photographs for the convolution notebooks: scikit-image's bundled pictures (no download)."""

from __future__ import annotations

import numpy as np

PHOTOS: tuple[str, ...] = ("astronaut", "coffee", "chelsea", "camera", "rocket", "brick", "coins")
"""Names of scikit-image's bundled photographs that :func:`photo` loads offline."""


def photo(name: str = "chelsea", *, gray: bool = False, size: int | None = None) -> np.ndarray:
    """A real photograph from scikit-image as ``float32`` in [0, 1].

    Returns ``[H, W, 3]`` (RGB) or ``[H, W]`` with ``gray=True``; ``size`` rescales the shorter
    side to that many pixels. Grey photos (``camera``, ``brick``, ``coins``) come back as RGB
    with three equal channels unless ``gray=True``.
    """
    import skimage.color
    import skimage.data
    import skimage.transform

    if name not in PHOTOS:
        raise ValueError(f"unknown photo {name!r}; choose one of {', '.join(PHOTOS)}")
    image = getattr(skimage.data, name)().astype(np.float32) / 255.0
    if size is not None:
        scale = size / min(image.shape[:2])
        image = skimage.transform.rescale(image, scale, channel_axis=2 if image.ndim == 3 else None,
                                          anti_aliasing=True).astype(np.float32)
    if gray:
        return skimage.color.rgb2gray(image).astype(np.float32) if image.ndim == 3 else image
    return np.repeat(image[..., None], 3, axis=2) if image.ndim == 2 else image
