"""Fault injection for Fashion-MNIST's cache (issue 19): every fault gets one clear line, the right
data, and leaves nothing half-written.

Faults: a flipped byte (the cache or its digest), a truncated or empty file, a removed file or
digest, a read-only folder (a class's shared data folder), a disk that fills up during a write.
The sources here are a small split written as ``.gz`` files by the test; ``data/`` is never touched.
"""

from __future__ import annotations

import gzip
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from faults import full_disk, read_only

from course_utils.data import Checksums, DatasetUnavailableError, load_fashion_mnist
from course_utils.data import fashion_mnist as data

N = 12
IMAGES = "fashion-mnist-train-images.npy"
LABELS = "fashion-mnist-train-labels.npy"


@pytest.fixture(autouse=True)
def _fresh_session(tmp_path, monkeypatch):
    """No cache folder is remembered as read-only from another test; ``data/`` is not used."""
    monkeypatch.setattr(data, "_READ_ONLY", set())
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "data"))


def idx_bytes(array: np.ndarray) -> bytes:
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    return header + array.astype(np.uint8).tobytes()


@pytest.fixture
def sources(tmp_path) -> tuple[Path, np.ndarray, np.ndarray]:
    """A folder holding a small train split as Debian does (``.gz`` IDX files)."""
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (N, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, N).astype(np.uint8)
    folder = tmp_path / "debian"
    folder.mkdir()
    (folder / "train-images-idx3-ubyte.gz").write_bytes(gzip.compress(idx_bytes(images)))
    (folder / "train-labels-idx1-ubyte.gz").write_bytes(gzip.compress(idx_bytes(labels)))
    return folder, images, labels


def load(sources, cache: Path | None):
    folder, images, labels = sources
    got_images, got_labels = load_fashion_mnist("train", cache_dir=cache, system_dirs=(folder,), url=None,
                                                checksums=Checksums())
    assert np.array_equal(got_images, images) and np.array_equal(got_labels, labels)  # the right data, always
    return got_images, got_labels


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def complete_cache() -> list[str]:
    return sorted([IMAGES, LABELS, IMAGES + ".sha256", LABELS + ".sha256"])


def lines(capsys) -> list[str]:
    return capsys.readouterr().out.splitlines()


@pytest.fixture
def cache(sources, tmp_path, capsys) -> Path:
    """A cache folder filled by a first load (which says nothing)."""
    folder = tmp_path / "cache"
    load(sources, folder)
    assert lines(capsys) == []
    assert files_in(folder) == complete_cache()
    return folder


def flip_byte(path: Path, where: float = 0.5) -> None:
    raw = bytearray(path.read_bytes())
    raw[int(len(raw) * where)] ^= 0x01
    path.write_bytes(bytes(raw))


# --------------------------------------------------------------------------- a healthy cache

def test_digests_are_sha256sum_files(cache):
    for name in (IMAGES, LABELS):
        digest, file_name = (cache / (name + ".sha256")).read_text().split()
        assert file_name == name and digest == hashlib.sha256((cache / name).read_bytes()).hexdigest()
    if shutil.which("sha256sum"):  # an instructor can check a shared cache by hand
        check = subprocess.run(["sha256sum", "-c", IMAGES + ".sha256", LABELS + ".sha256"], cwd=cache,
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr


def test_a_verified_cache_is_used_without_the_sources(cache, sources, monkeypatch, capsys):
    monkeypatch.setattr(data, "_read_system", lambda *a: pytest.fail("the cache should have been used"))
    images, _ = load(sources, cache)
    assert images.flags.writeable and images.flags["C_CONTIGUOUS"]
    assert lines(capsys) == []


# --------------------------------------------------------------------------- damage is found, said, repaired

def damage(cache: Path, fault: str) -> None:
    if fault == "flip a byte in the images":  # the case: loaded silently before
        flip_byte(cache / IMAGES)
    elif fault == "flip a byte in the labels' header":
        flip_byte(cache / LABELS, where=0.1)
    elif fault == "flip a byte in a digest":
        flip_byte(cache / (IMAGES + ".sha256"), where=0.0)
    elif fault == "truncate the images":
        (cache / IMAGES).write_bytes((cache / IMAGES).read_bytes()[: 5000])
    elif fault == "empty the labels":
        (cache / LABELS).write_bytes(b"")
    elif fault == "empty a digest":
        (cache / (LABELS + ".sha256")).write_bytes(b"")
    elif fault == "remove the images":
        (cache / IMAGES).unlink()
    elif fault == "remove a digest":
        (cache / (IMAGES + ".sha256")).unlink()
    elif fault == "replace the images by another valid array":
        np.save(cache / IMAGES, np.zeros((N, 28, 28), np.uint8))


MESSAGES = {
    "flip a byte in the images": f"{IMAGES} does not match its SHA-256 digest",
    "flip a byte in the labels' header": f"{LABELS} does not match its SHA-256 digest",
    "flip a byte in a digest": f"{IMAGES} does not match its SHA-256 digest",
    "truncate the images": f"{IMAGES} does not match its SHA-256 digest",
    "empty the labels": f"{LABELS} does not match its SHA-256 digest",
    "empty a digest": f"{LABELS} does not match its SHA-256 digest",
    "remove the images": f"{IMAGES} is missing",
    "remove a digest": f"{IMAGES} has no digest ({IMAGES}.sha256) beside it",
    "replace the images by another valid array": f"{IMAGES} does not match its SHA-256 digest",
}


@pytest.mark.parametrize("fault", list(MESSAGES))
def test_damage_is_said_in_one_line_and_repaired(cache, sources, fault, capsys, monkeypatch):
    damage(cache, fault)
    load(sources, cache)
    said = lines(capsys)
    assert said == [f"Fashion-MNIST's cache in {cache} failed its check ({MESSAGES[fault]}): "
                    "loading from the sources and rebuilding it."]
    assert files_in(cache) == complete_cache()  # rebuilt whole, no .part left
    monkeypatch.setattr(data, "_read_system", lambda *a: pytest.fail("the repaired cache should be used"))
    load(sources, cache)
    assert lines(capsys) == []


def test_damage_without_sources_names_the_fix(cache, sources, capsys):
    flip_byte(cache / IMAGES)
    shutil.rmtree(sources[0])
    with pytest.raises(DatasetUnavailableError, match="make data"):
        load(sources, cache)
    assert lines(capsys) == [f"Fashion-MNIST's cache in {cache} failed its check ({IMAGES} does not match its "
                             "SHA-256 digest): loading from the sources and rebuilding it."]


def test_a_removed_cache_is_rebuilt_quietly(cache, sources, capsys):
    shutil.rmtree(cache)
    load(sources, cache)
    assert lines(capsys) == [] and files_in(cache) == complete_cache()


# --------------------------------------------------------------------------- a read-only folder (a class's shared data)

def test_read_only_folder_with_a_good_cache_is_read(cache, sources, capsys, monkeypatch):
    with read_only(cache):
        monkeypatch.setattr(data, "_read_system", lambda *a: pytest.fail("the cache should have been used"))
        load(sources, cache)
    assert lines(capsys) == []


def test_read_only_folder_without_a_cache_reads_the_sources(sources, tmp_path, capsys):
    shared = tmp_path / "shared"
    shared.mkdir()
    with read_only(shared):
        load(sources, shared / "cache")  # the cache folder cannot even be made
        load(sources, shared / "cache")
    said = lines(capsys)
    assert len(said) == 1, said  # said once a session, not at every load
    assert said[0].startswith(f"Fashion-MNIST cannot be cached in {shared / 'cache'} (")
    assert said[0].endswith("it is read from the sources instead (about a second a load).")
    assert files_in(shared) == []


def test_read_only_folder_with_a_damaged_cache(cache, sources, capsys):
    flip_byte(cache / IMAGES)
    damaged = (cache / IMAGES).read_bytes()
    with read_only(cache):
        load(sources, cache)
    said = lines(capsys)
    assert len(said) == 2 and "failed its check" in said[0] and "cannot be cached" in said[1]
    assert (cache / IMAGES).read_bytes() == damaged and files_in(cache) == complete_cache()  # left as it was


def test_shared_read_only_course_data_dir(sources, tmp_path, monkeypatch, capsys):
    """The JupyterHub case: COURSE_DATA_DIR is shared and read-only; the default cache lives in it."""
    shared = tmp_path / "shared-data"
    shared.mkdir()
    monkeypatch.setenv("COURSE_DATA_DIR", str(shared))
    with read_only(shared):
        load(sources, None)
    assert "cannot be cached" in capsys.readouterr().out and files_in(shared) == []


# --------------------------------------------------------------------------- the disk fills up during a write

NPY_IMAGES = 128 + N * 28 * 28   # bytes: the .npy header, then the pixels
DIGEST = 64 + 2 + len(IMAGES) + 1  # "<hex>  <name>\n"


@pytest.mark.parametrize("room", [1000, NPY_IMAGES + 10, NPY_IMAGES + DIGEST + 100],
                         ids=["during the images", "during their digest", "during the labels"])
def test_full_disk_leaves_nothing_half_written(sources, tmp_path, monkeypatch, capsys, room):
    cache = tmp_path / "cache"
    disk = full_disk(monkeypatch, room=room)
    load(sources, cache)  # the data still comes back
    said = lines(capsys)
    assert said == [f"Fashion-MNIST cannot be cached in {cache} (No space left on device): "
                    "it is read from the sources instead (about a second a load)."]
    assert len(disk.parts_seen) == 1 and disk.parts_seen[0][1] > 0  # a .part was half-written...
    assert files_in(cache) == []                                     # ...and nothing is left of it
    monkeypatch.undo()  # space is free again: the next load caches quietly
    monkeypatch.setattr(data, "_READ_ONLY", set())
    load(sources, cache)
    assert lines(capsys) == [] and files_in(cache) == complete_cache()


# --------------------------------------------------------------------------- the hub's shared folder (deploy/hub)

@pytest.mark.skipif(not Path("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz").exists(),
                    reason="Debian's dataset-fashion-mnist is not installed (make data)")
def test_hub_shared_folder_copies_the_digests(tmp_path, monkeypatch, capsys):
    """`make hub-data` copies a cache with its digests, so the shared copy verifies as it is."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "deploy" / "hub"))
    import course_home

    cache = tmp_path / "cache"
    for split in ("train", "test"):
        load_fashion_mnist(split, cache_dir=cache, url=None)
    (tmp_path / "results").mkdir()
    capsys.readouterr()
    monkeypatch.setattr(data, "_read_system", lambda *a: pytest.fail("the copied cache should verify"))
    shared = course_home.make_shared_data(tmp_path / "shared", tmp_path / "results", cache)
    try:
        assert lines(capsys) == []
        assert files_in(shared / "cache") == files_in(cache)  # arrays and digests
    finally:
        for path in [shared, *shared.rglob("*")]:
            path.chmod(0o755)
