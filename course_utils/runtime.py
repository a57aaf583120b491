"""Where and how the course runs: the profile, the device and the random seed.

Every notebook starts with ``DEVICE = setup()``. It prints one line such as::

    Profile: default | device: cpu (2 threads) | torch 2.13.0 | seed 0

Profiles
--------
The environment variable ``COURSE_PROFILE`` picks how big the experiments are:

* ``ci``      -- tiny; what the continuous-integration tests run (seconds per notebook);
* ``default`` -- what a student's laptop CPU can do live (a minute or two per training cell);
* ``full``    -- the papers' scale, meant for a GPU.

Each experiment decides its own sizes in one place with :func:`by_profile`, e.g.
``epochs = by_profile(ci=1, default=4, full=30)``.
"""

from __future__ import annotations

import os
import random
from contextlib import contextmanager
from typing import Iterator, TypeVar

import numpy as np
import torch

PROFILES: tuple[str, ...] = ("ci", "default", "full")
"""The three profiles, smallest first."""

T = TypeVar("T")


def current_profile() -> str:
    """Return the active profile: the value of ``COURSE_PROFILE``, or ``"default"`` if unset.

    Raises:
        ValueError: if ``COURSE_PROFILE`` names no known profile (the message lists them).
    """
    name = os.environ.get("COURSE_PROFILE", "").strip().lower() or "default"
    if name not in PROFILES:
        raise ValueError(
            f"COURSE_PROFILE={name!r} is not a profile of this course; "
            f"use one of {', '.join(PROFILES)} (or leave it unset for 'default')."
        )
    return name


def by_profile(*, ci: T, default: T, full: T, profile: str | None = None) -> T:
    """Pick the value for the active profile (or for ``profile`` if given).

    >>> by_profile(ci=1, default=5, full=90, profile="ci")
    1
    """
    name = profile or current_profile()
    if name not in PROFILES:
        raise ValueError(f"profile {name!r} is not one of {', '.join(PROFILES)}")
    return {"ci": ci, "default": default, "full": full}[name]


def device(prefer: str | None = None) -> torch.device:
    """The best available device: CUDA, then Apple's MPS, then the CPU.

    ``prefer`` (or the environment variable ``COURSE_DEVICE``) forces one, e.g. ``"cpu"``.
    """
    choice = prefer or os.environ.get("COURSE_DEVICE")
    if choice:
        return torch.device(choice)
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def seed_everything(seed: int = 0, deterministic: bool = True) -> None:
    """Seed Python, NumPy and PyTorch (CPU and GPU) so that a run can be repeated.

    With ``deterministic=True`` and a GPU, PyTorch is asked for deterministic kernels where they
    exist (cuDNN benchmarking off). Results still differ in the last digits between thread counts and
    devices, so the notebooks compare numbers with tolerances.
    """
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # also seeds every CUDA device
    if deterministic and torch.cuda.is_available():
        # GPU kernels may pick non-deterministic algorithms; ask for deterministic ones. (CPU
        # kernels are already repeatable for a fixed thread count, and this switch costs seconds.)
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.backends.cudnn.deterministic = True
        torch.backends.cudnn.benchmark = False
        torch.use_deterministic_algorithms(True, warn_only=True)


def is_quiet() -> bool:
    """True where progress bars and live plots should stay silent (CI, tests, ``COURSE_QUIET=1``)."""
    flags = (os.environ.get("CI", ""), os.environ.get("COURSE_QUIET", ""))
    return any(f.lower() in ("1", "true", "yes") for f in flags) or current_profile() == "ci"


def setup(seed: int = 0, deterministic: bool = True) -> torch.device:
    """Seed everything, print the profile and device in one line, and return the device."""
    seed_everything(seed, deterministic)
    dev = device()
    where = f"{dev.type} ({torch.get_num_threads()} threads)" if dev.type == "cpu" else str(dev)
    if dev.type == "cuda":
        where += f" - {torch.cuda.get_device_name(dev)}"
    print(f"Profile: {current_profile()} | device: {where} | torch {torch.__version__} | seed {seed}")
    return dev


@contextmanager
def single_thread() -> Iterator[None]:
    """Run the ``with`` block on one CPU thread, then restore the thread count.

    The notebooks' timing comparisons (loop vs im2col, stride 1 vs 4) use it: on one thread a
    measurement reflects the work done, not how a busy machine happens to schedule threads.
    """
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)
