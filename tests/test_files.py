"""course_utils.files.atomic_write: a file is replaced whole or not at all."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from faults import full_disk, read_only

from course_utils.files import atomic_write


def test_atomic_write_creates_folders_and_file(tmp_path):
    target = tmp_path / "a" / "b" / "x.bin"
    with atomic_write(target) as f:
        f.write(b"hello")
    assert target.read_bytes() == b"hello"
    assert [p.name for p in target.parent.iterdir()] == ["x.bin"]


def test_failed_write_keeps_the_old_file_and_leaves_no_part(tmp_path):
    target = tmp_path / "x.bin"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError, match="interrupted"):
        with atomic_write(target) as f:
            f.write(b"half of the new")
            raise RuntimeError("interrupted")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.bin"]


# --------------------------------------------------------------------------- injected faults (issue 19)

def test_full_disk_mid_write_keeps_the_old_file_and_leaves_no_part(tmp_path, monkeypatch):
    target = tmp_path / "x.bin"
    target.write_bytes(b"old")
    disk = full_disk(monkeypatch, room=100)
    with pytest.raises(OSError) as err:
        with atomic_write(target) as f:
            f.write(b"n" * 60)
            f.write(b"e" * 60)  # the disk fills up 40 bytes into this write
    assert err.value.errno == errno.ENOSPC
    assert [(Path(p).name.endswith(".part"), size) for p, size in disk.parts_seen] == [(True, 100)]  # half-written...
    assert target.read_bytes() == b"old"                                                        # ...and cleaned up
    assert [p.name for p in tmp_path.iterdir()] == ["x.bin"]


def test_full_disk_on_a_new_file_leaves_nothing(tmp_path, monkeypatch):
    full_disk(monkeypatch, room=0)
    with pytest.raises(OSError, match="No space left"):
        with atomic_write(tmp_path / "new.bin") as f:
            f.write(b"data")
    assert list(tmp_path.iterdir()) == []


def test_failed_flush_to_disk_leaves_no_part(tmp_path, monkeypatch):
    def fsync(fd):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OSError, match="Input/output"):
        with atomic_write(tmp_path / "x.bin") as f:
            f.write(b"data")
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_mid_write_leaves_no_part(tmp_path):
    target = tmp_path / "x.bin"
    target.write_bytes(b"old")
    with pytest.raises(KeyboardInterrupt):
        with atomic_write(target) as f:
            f.write(b"half")
            raise KeyboardInterrupt
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["x.bin"]


def test_failed_rename_leaves_no_part(tmp_path):
    (tmp_path / "taken").mkdir()  # a folder where the file should go: os.replace fails
    with pytest.raises(OSError):
        with atomic_write(tmp_path / "taken") as f:
            f.write(b"data")
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]


def test_read_only_folder_raises_and_leaves_the_old_file(tmp_path):
    target = tmp_path / "x.bin"
    target.write_bytes(b"old")
    with read_only(tmp_path):
        with pytest.raises(OSError) as err:
            with atomic_write(target) as f:
                f.write(b"new")
        assert err.value.errno in (errno.EACCES, errno.EPERM, errno.EROFS)
        assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["x.bin"]


def test_bytes_reach_the_disk_before_the_rename(tmp_path, monkeypatch):
    calls = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: calls.append("fsync") or real_fsync(fd))
    monkeypatch.setattr(os, "replace", lambda a, b: calls.append("replace") or real_replace(a, b))
    with atomic_write(tmp_path / "x.bin") as f:
        f.write(b"data")
    assert calls == ["fsync", "replace"]
    assert (tmp_path / "x.bin").read_bytes() == b"data"
