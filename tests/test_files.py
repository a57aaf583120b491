"""course_utils.files.atomic_write: a file is replaced whole or not at all."""

from __future__ import annotations

import pytest

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
