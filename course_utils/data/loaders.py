"""Fashion-MNIST as normalised tensors, and a fast in-memory mini-batch loader.

:class:`FashionMNIST` turns the arrays of :func:`~course_utils.data.fashion_mnist.load_fashion_mnist`
into ``float32`` tensors ``[N, 1, H, W]`` (normalised, optionally resized);
:class:`BatchLoader` serves mini-batches straight from such tensors, with optional augmentation
(:func:`random_shift_flip`); :func:`fashion_mnist_loaders` builds the usual training/test pair.
"""

from __future__ import annotations

import numpy as np
import torch
from torch.utils.data import Dataset

from .fashion_mnist import MEAN, STD, Split, load_fashion_mnist

class FashionMNIST(Dataset):
    """Fashion-MNIST as normalised tensors, optionally resized.

    ``dataset.images`` is float32 ``[N, 1, size, size]`` (normalised with :data:`MEAN`, :data:`STD`),
    ``dataset.labels`` int64 ``[N]``; ``dataset[i]`` is ``(image [1, size, size], label)``.
    ``limit`` keeps a fixed random subset (the same for a given ``seed``).
    """

    def __init__(self, split: Split = "train", *, limit: int | None = None, size: int = 28,
                 seed: int = 0) -> None:
        images, labels = load_fashion_mnist(split)
        if limit is not None and limit < len(labels):
            keep = np.sort(np.random.default_rng(seed).permutation(len(labels))[:limit])
            images, labels = images[keep], labels[keep]
        x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
        if size != 28:
            x = torch.nn.functional.interpolate(x, size=(size, size), mode="bilinear", align_corners=False)
        self.images = (x - MEAN) / STD
        self.labels = torch.from_numpy(labels)

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.images[i], self.labels[i]


def random_shift_flip(x: torch.Tensor, pad: int = 2, generator: torch.Generator | None = None) -> torch.Tensor:
    """Shift each image of ``x [N, C, H, W]`` by up to ``pad`` pixels and mirror about half of them.

    The padding uses the batch's background value (its minimum), as in the ResNet paper's CIFAR
    recipe (pad 4, random crop back to size, random horizontal flip). Returns ``[N, C, H, W]``.
    """
    n, _, h, w = x.shape
    padded = torch.nn.functional.pad(x, (pad, pad, pad, pad), value=float(x.min()))
    dy, dx = torch.randint(0, 2 * pad + 1, (2, n), generator=generator)
    rows = (dy[:, None] + torch.arange(h))[:, None, :, None]          # [N, 1, H, 1]
    cols = (dx[:, None] + torch.arange(w))[:, None, None, :]          # [N, 1, 1, W]
    batch = torch.arange(n)[:, None, None, None]
    chans = torch.arange(x.shape[1])[None, :, None, None]
    out = padded[batch, chans, rows, cols]
    flip = torch.rand(n, generator=generator) < 0.5
    out[flip] = out[flip].flip(-1)
    return out


class BatchLoader:
    """Mini-batches straight from in-memory tensors: a fast, readable stand-in for ``DataLoader``.

    Iterating yields ``(images [B, C, H, W], labels [B])``. With ``shuffle=True`` the order is
    drawn from a seeded generator, so a run repeats exactly; ``augment=True`` applies
    :func:`random_shift_flip` to each batch.
    """

    def __init__(self, images: torch.Tensor, labels: torch.Tensor, batch_size: int = 128, *,
                 shuffle: bool = False, augment: bool = False, seed: int = 0) -> None:
        if len(images) != len(labels):
            raise ValueError(f"{len(images)} images but {len(labels)} labels")
        self.images, self.labels = images, labels
        self.batch_size, self.shuffle, self.augment = batch_size, shuffle, augment
        self.generator = torch.Generator().manual_seed(seed)

    @property
    def dataset(self) -> torch.utils.data.TensorDataset:
        """The underlying images and labels (``len(loader.dataset)`` counts the images)."""
        return torch.utils.data.TensorDataset(self.images, self.labels)

    def __len__(self) -> int:
        return (len(self.labels) + self.batch_size - 1) // self.batch_size

    def __iter__(self):
        n = len(self.labels)
        order = torch.randperm(n, generator=self.generator) if self.shuffle else torch.arange(n)
        for start in range(0, n, self.batch_size):
            index = order[start: start + self.batch_size]
            x = self.images[index]
            if self.augment:
                x = random_shift_flip(x, generator=self.generator)
            yield x, self.labels[index]


def fashion_mnist_dataset(split: Split = "train", **kwargs) -> FashionMNIST:
    """Shorthand for :class:`FashionMNIST` (same keyword arguments)."""
    return FashionMNIST(split, **kwargs)


def fashion_mnist_loaders(
    batch_size: int = 128,
    *,
    train_limit: int | None = None,
    test_limit: int | None = None,
    size: int = 28,
    augment: bool = False,
    seed: int = 0,
) -> tuple[BatchLoader, BatchLoader]:
    """Training loader (shuffled, optionally augmented) and test loader for Fashion-MNIST.

    ``train_limit`` / ``test_limit`` take a fixed random subset (the same for a given ``seed``);
    that is how the small profiles keep training cells fast.
    """
    train = FashionMNIST("train", limit=train_limit, size=size, seed=seed)
    test = FashionMNIST("test", limit=test_limit, size=size, seed=seed)
    return (BatchLoader(train.images, train.labels, batch_size, shuffle=True, augment=augment, seed=seed),
            BatchLoader(test.images, test.labels, max(batch_size, 512)))
