"""Fashion-MNIST's files: where they are found, how they are checked, and the fast cache.

Fashion-MNIST (Xiao, Rasul & Vollgraf, 2017) has 70,000 grey 28x28 pictures of clothes in ten
classes: 60,000 for training and 10,000 for testing. :func:`load_fashion_mnist` looks for it in
this order and stops at the first hit:

1. the course's own cache, ``data/cache/fashion-mnist-<split>-{images,labels}.npy`` (fast);
2. Debian's package ``dataset-fashion-mnist`` in ``/usr/share/datasets/fashion-mnist/``;
3. a download of the official files, checked against the published MD5 sums.

Whatever the source, the decoded bytes are checked against SHA-256 sums, and a missing or damaged
data set raises :class:`DatasetUnavailableError` with the command that fixes it.

The cache (:mod:`.cache`) keeps each array with its SHA-256 digest beside it and checks it on every
load: a cache that does not match is rebuilt from the sources, with one line saying so. A cache
folder that cannot be written (a class's shared, read-only data folder on a JupyterHub) is read if
it verifies; otherwise the sources are read at each load, with one line and no error.
"""

from __future__ import annotations

import errno
import gzip
import hashlib
import http.client
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from ..paths import data_dir
from .cache import CacheMismatch, digest_path, load_verified, save_verified

Split = Literal["train", "test"]

CLASS_NAMES: tuple[str, ...] = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)
"""Fashion-MNIST's ten classes; ``CLASS_NAMES[label]`` names a label."""

MEAN, STD = 0.2860, 0.3530
"""Mean and standard deviation of the training pixels scaled to [0, 1] (used to normalise)."""

OFFICIAL_URL = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"
SYSTEM_DIRS: tuple[Path, ...] = (Path("/usr/share/datasets/fashion-mnist"),)
FIX_HINT = (
    "Fix: run `make data` (it installs Debian's package with "
    "`sudo apt-get install dataset-fashion-mnist`), or run the course once with internet access "
    "so that the official files can be downloaded."
)


class DatasetUnavailableError(RuntimeError):
    """Fashion-MNIST could not be found, downloaded or verified; the message says how to fix it."""


@dataclass(frozen=True)
class Checksums:
    """Expected sums per file name: MD5 of the ``.gz`` as published, SHA-256 of the decoded bytes.

    Debian recompressed the ``.gz`` files, so only downloads are checked against ``gz_md5``;
    every source is checked against ``raw_sha256``. An empty mapping skips that check.
    """

    gz_md5: dict[str, str] = field(default_factory=dict)
    raw_sha256: dict[str, str] = field(default_factory=dict)


OFFICIAL = Checksums(
    gz_md5={  # published in the README of github.com/zalandoresearch/fashion-mnist
        "train-images-idx3-ubyte.gz": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
        "train-labels-idx1-ubyte.gz": "25c81989df183df01b3e8a0aad5dffbe",
        "t10k-images-idx3-ubyte.gz": "bef4ecab320f06d8554ea6380940ec79",
        "t10k-labels-idx1-ubyte.gz": "bb300cfdad3c16e7a12a480ee83cd310",
    },
    raw_sha256={  # of the decompressed IDX files, measured on Debian's copy
        "train-images-idx3-ubyte.gz": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
        "train-labels-idx1-ubyte.gz": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
        "t10k-images-idx3-ubyte.gz": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
        "t10k-labels-idx1-ubyte.gz": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    },
)

_FILES = {"train": "train", "test": "t10k"}


def _file_names(split: Split) -> tuple[str, str]:
    if split not in _FILES:
        raise ValueError(f"split must be 'train' or 'test', not {split!r}")
    prefix = _FILES[split]
    return f"{prefix}-images-idx3-ubyte.gz", f"{prefix}-labels-idx1-ubyte.gz"


# --------------------------------------------------------------------------- reading IDX files

def parse_idx(raw: bytes, name: str = "IDX data") -> np.ndarray:
    """Decode the IDX format (LeCun's MNIST format) into a ``uint8`` array.

    Header: two zero bytes, a type byte (``0x08`` = unsigned byte), the number of dimensions
    ``d``, then ``d`` big-endian 32-bit sizes. Images come out as ``[N, 28, 28]``, labels as ``[N]``.
    """
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise DatasetUnavailableError(f"{name} is not an unsigned-byte IDX file. {FIX_HINT}")
    ndim = raw[3]
    if len(raw) < 4 + 4 * ndim:
        raise DatasetUnavailableError(f"{name} is truncated: its header is cut short. {FIX_HINT}")
    shape = tuple(int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    body = raw[4 + 4 * ndim:]
    if len(body) != int(np.prod(shape)):
        raise DatasetUnavailableError(
            f"{name} is truncated or damaged: header says {shape}, found {len(body)} bytes. {FIX_HINT}"
        )
    return np.frombuffer(body, dtype=np.uint8).reshape(shape)


def _decode(gz_bytes: bytes, name: str, sums: Checksums) -> np.ndarray:
    try:
        raw = gzip.decompress(gz_bytes)
    except (OSError, EOFError, zlib.error) as err:  # zlib.error: damaged compressed data
        raise DatasetUnavailableError(f"{name} is not a valid gzip file ({err}). {FIX_HINT}") from err
    want = sums.raw_sha256.get(name)
    if want and hashlib.sha256(raw).hexdigest() != want:
        raise DatasetUnavailableError(f"{name} does not match its SHA-256 checksum. {FIX_HINT}")
    return parse_idx(raw, name)


def _pair(images: np.ndarray, labels: np.ndarray, where: str) -> tuple[np.ndarray, np.ndarray]:
    if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
        raise DatasetUnavailableError(
            f"{where}: images {images.shape} and labels {labels.shape} do not fit together. {FIX_HINT}"
        )
    return np.ascontiguousarray(images), labels.astype(np.int64)


# --------------------------------------------------------------------------- the three sources

def _cache_paths(split: Split, cache: Path) -> tuple[Path, Path]:
    return (cache / f"fashion-mnist-{split}-images.npy", cache / f"fashion-mnist-{split}-labels.npy")


def _read_cache(split: Split, cache: Path) -> tuple[np.ndarray, np.ndarray] | None:
    """The cached split if it verifies; ``None`` if there is none yet or it fails its check (said in one line)."""
    paths = _cache_paths(split, cache)
    if not any(p.exists() or digest_path(p).exists() for p in paths):
        return None  # nothing cached yet: the first load builds it, quietly
    try:
        images, labels = (load_verified(p) for p in paths)
        return _pair(images, labels, "cache")
    except (CacheMismatch, ValueError, OSError, EOFError, DatasetUnavailableError) as err:
        print(f"Fashion-MNIST's cache in {cache} failed its check ({err}): loading from the sources and rebuilding it.")
        return None


_READ_ONLY: set[Path] = set()
"""Cache folders found read-only in this session: said once, not tried again."""


def _write_cache(split: Split, cache: Path, arrays: tuple[np.ndarray, np.ndarray]) -> None:
    """Cache a split; if that fails (a read-only folder, a full disk), say so in one line and go on."""
    if cache in _READ_ONLY:
        return
    try:
        save_verified(dict(zip(_cache_paths(split, cache), arrays)))
    except OSError as err:
        if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            _READ_ONLY.add(cache)
        print(f"Fashion-MNIST cannot be cached in {cache} ({err.strerror or err}): "
              f"it is read from the sources instead (about a second a load).")


def _read_system(split: Split, dirs: tuple[Path, ...], sums: Checksums):
    for folder in dirs:
        names = _file_names(split)
        if all((folder / n).exists() for n in names):
            images, labels = (_decode((folder / n).read_bytes(), n, sums) for n in names)
            return _pair(images, labels, str(folder))
    return None


def _download(url: str, name: str, sums: Checksums, timeout: float) -> bytes:
    try:
        with urllib.request.urlopen(url + name, timeout=timeout) as response:
            payload = response.read()
    except (urllib.error.URLError, OSError, http.client.HTTPException) as err:  # e.g. IncompleteRead
        raise DatasetUnavailableError(
            f"Fashion-MNIST is not on this machine and downloading {url + name} failed ({err}). {FIX_HINT}"
        ) from err
    want = sums.gz_md5.get(name)
    if want and hashlib.md5(payload).hexdigest() != want:
        raise DatasetUnavailableError(
            f"The download of {name} does not match its published MD5 checksum. {FIX_HINT}"
        )
    return payload


def load_fashion_mnist(
    split: Split = "train",
    *,
    cache_dir: Path | None = None,
    system_dirs: tuple[Path, ...] = SYSTEM_DIRS,
    url: str | None = OFFICIAL_URL,
    checksums: Checksums = OFFICIAL,
    timeout: float = 30.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Load a split of Fashion-MNIST.

    Args:
        split: ``"train"`` (60,000 images) or ``"test"`` (10,000 images).
        cache_dir: folder of the fast cache; default ``data/cache``.
        system_dirs: folders holding the four ``.gz`` files (Debian's package by default).
        url: where to download the ``.gz`` files from; ``None`` never downloads.
        checksums: expected sums (the official ones by default).

    Returns:
        ``images`` uint8 ``[N, 28, 28]`` and ``labels`` int64 ``[N]`` with values 0..9.

    Raises:
        DatasetUnavailableError: nothing found, download failed, or checksums do not match.
    """
    names = _file_names(split)  # raises ValueError for an unknown split
    cache = cache_dir or data_dir() / "cache"
    found = _read_cache(split, cache)
    if found is not None:
        return found
    found = _read_system(split, system_dirs, checksums)
    if found is None and url:
        found = _pair(*(_decode(_download(url, n, checksums, timeout), n, checksums)
                        for n in names), where=url)
    if found is None:
        raise DatasetUnavailableError(f"Fashion-MNIST ({split}) was not found. {FIX_HINT}")
    _write_cache(split, cache, found)
    return found


def fashion_mnist_available() -> bool:
    """True if Fashion-MNIST can be loaded without the network (cache or Debian's package)."""
    try:
        load_fashion_mnist("test", url=None)
        return True
    except DatasetUnavailableError:
        return False


def main(argv: list[str] | None = None) -> int:
    """``python -m course_utils.data [--offline]``: make sure Fashion-MNIST is there; print a summary."""
    import argparse
    import time

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--offline", action="store_true", help="never download")
    args = parser.parse_args(argv)
    try:
        for split in ("train", "test"):
            start = time.perf_counter()
            images, labels = load_fashion_mnist(split, url=None if args.offline else OFFICIAL_URL)
            print(f"Fashion-MNIST {split}: {len(labels):,} images {images.shape[1:]} "
                  f"({time.perf_counter() - start:.2f} s)")
    except DatasetUnavailableError as err:
        print(f"error: {err}")
        return 1
    return 0

