"""Faults injected by the integrity tests: a disk that fills up mid-write, a read-only folder.

``full_disk(monkeypatch, room)`` gives the files opened by ``atomic_write`` ``room`` free bytes in
all; the write that needs more really writes what fits and then fails as a full disk does
(``OSError`` ENOSPC), so a half-written ``.part`` file exists at that moment (``parts_seen``).
``read_only(folder)`` makes a folder read-only for real: ``chmod`` for a normal user, the
immutable attribute for root (whom ``chmod`` does not stop); it skips where neither works.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest


class FullDisk:
    """A disk with ``room`` bytes free, shared by every file written to it; then writes fail."""

    def __init__(self, room: int) -> None:
        self.room = room
        self.parts_seen: list[tuple[str, int]] = []  # (.part file, its size) at each failure

    def write(self, f, data: bytes) -> int:
        if len(data) > self.room:
            f.write(data[: self.room])
            f.flush()
            path = os.readlink(f"/proc/self/fd/{f.fileno()}")
            self.parts_seen.append((path, os.path.getsize(path)))
            self.room = 0
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.room -= len(data)
        return f.write(data)


class _FileOnFullDisk:
    def __init__(self, f, disk: FullDisk) -> None:
        self.f, self.disk = f, disk

    def write(self, data: bytes) -> int:
        return self.disk.write(self.f, data)

    def __getattr__(self, name: str):
        return getattr(self.f, name)

    def __enter__(self) -> "_FileOnFullDisk":
        return self

    def __exit__(self, *exc) -> None:
        self.f.close()


def full_disk(monkeypatch: pytest.MonkeyPatch, room: int) -> FullDisk:
    """From now on (in this test) files opened for writing share ``room`` free bytes, then fail."""
    real_fdopen = os.fdopen
    disk = FullDisk(room)

    def fdopen(fd: int, mode: str = "r", *args, **kwargs):
        f = real_fdopen(fd, mode, *args, **kwargs)
        return _FileOnFullDisk(f, disk) if "w" in mode else f

    monkeypatch.setattr(os, "fdopen", fdopen)
    return disk


def _immutable(folder: Path, on: bool) -> bool:
    chattr = shutil.which("chattr")
    return bool(chattr) and subprocess.run([chattr, "+i" if on else "-i", str(folder)],
                                           capture_output=True).returncode == 0


@contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """Make ``folder`` read-only for real for the ``with`` block (its files stay readable)."""
    mode = folder.stat().st_mode
    if os.geteuid() == 0:
        if not _immutable(folder, True):
            pytest.skip("running as root and `chattr +i` is not available: cannot make a folder read-only")
    else:
        folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        probe = folder / ".probe"
        try:
            probe.touch()
        except OSError:
            pass
        else:
            probe.unlink()
            pytest.skip(f"could not make {folder} read-only on this file system")
        yield folder
    finally:
        if os.geteuid() == 0:
            _immutable(folder, False)
        folder.chmod(mode)
