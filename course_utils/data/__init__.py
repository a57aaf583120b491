"""Real data for the course: Fashion-MNIST and a few real photographs.

* :mod:`.fashion_mnist` -- the files: cache, Debian's package or a verified download (``load_fashion_mnist``);
* :mod:`.cache` -- the fast cache: arrays checked against a SHA-256 digest stored beside each;
* :mod:`.loaders` -- tensors and mini-batches (``FashionMNIST``, ``BatchLoader``, ``fashion_mnist_loaders``);
* :mod:`.photos` -- scikit-image's photographs (``photo``).

Everything is importable from here, e.g. ``from course_utils.data import load_fashion_mnist, photo``.
"""

from .fashion_mnist import (CLASS_NAMES, FIX_HINT, MEAN, OFFICIAL, OFFICIAL_URL, STD, SYSTEM_DIRS, Checksums,
                            DatasetUnavailableError, data_dir, fashion_mnist_available, load_fashion_mnist,
                            parse_idx)
from .loaders import (BatchLoader, FashionMNIST, fashion_mnist_dataset, fashion_mnist_loaders,
                      random_shift_flip)
from .photos import PHOTOS, photo

__all__ = [
    "CLASS_NAMES", "FIX_HINT", "MEAN", "OFFICIAL", "OFFICIAL_URL", "STD", "SYSTEM_DIRS", "Checksums",
    "DatasetUnavailableError", "data_dir", "fashion_mnist_available", "load_fashion_mnist", "parse_idx",
    "BatchLoader", "FashionMNIST", "fashion_mnist_dataset", "fashion_mnist_loaders", "random_shift_flip",
    "PHOTOS", "photo",
]
