"""Writing files so that a crash never leaves half a file behind.

Caches, results and weights are written to a temporary file next to their destination, flushed to
the disk (``os.fsync``), and renamed into place only when complete (``os.replace`` is atomic on one
file system). A reader therefore sees the old file or the new one, never a torn one, even after a
crash or a power cut; on any error (a full disk, a read-only folder, Ctrl-C) the temporary file is
removed and the error is raised as it was.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator


@contextmanager
def atomic_write(path: Path) -> Iterator[BinaryIO]:
    """Open ``path`` for binary writing, atomically: ``with atomic_write(p) as f: f.write(...)``.

    The data goes to ``<name>*.part`` beside ``path`` (folders are created) and replaces ``path``
    when the ``with`` block ends without an error; otherwise the ``.part`` file is deleted.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())  # the bytes are on the disk before the name points at them
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
