"""Tests for course_utils.data: the three sources of Fashion-MNIST, the cache, loaders and photos.

The download path is tested for real against an HTTP server on 127.0.0.1 that serves small IDX
files written by the test; nothing here touches the repository's ``data/`` folder or the internet.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import http.server
import socket
import threading
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from course_utils.data import fashion_mnist as data
from course_utils.data import (CLASS_NAMES, MEAN, PHOTOS, STD, BatchLoader, Checksums, DatasetUnavailableError,
                               FashionMNIST, fashion_mnist_available, fashion_mnist_dataset, fashion_mnist_loaders,
                               load_fashion_mnist, parse_idx, photo, random_shift_flip)

DEBIAN = Path("/usr/share/datasets/fashion-mnist")
needs_debian = pytest.mark.skipif(not (DEBIAN / "t10k-labels-idx1-ubyte.gz").exists(),
                                  reason="Debian's dataset-fashion-mnist is not installed (make data)")
TRAIN_FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")


@pytest.fixture(autouse=True)
def _own_data_dir(tmp_path, monkeypatch):
    """Every test gets an empty data folder, so the real ``data/`` is never read or written."""
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "data"))


def idx_bytes(array: np.ndarray) -> bytes:
    """Encode a uint8 array in the IDX format (the inverse of parse_idx)."""
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    return header + array.astype(np.uint8).tobytes()


def small_split(n: int = 12, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), rng.integers(0, 10, n).astype(np.uint8)


def no_part_files(folder: Path) -> bool:
    return not any(p.name.endswith(".part") for p in folder.rglob("*")) if folder.exists() else True


# --------------------------------------------------------------------------- parse_idx

def test_parse_idx_images_and_labels():
    images, labels = small_split(5)
    assert np.array_equal(parse_idx(idx_bytes(images)), images)
    out = parse_idx(idx_bytes(labels))
    assert out.shape == (5,) and out.dtype == np.uint8 and np.array_equal(out, labels)


@pytest.mark.parametrize("raw", [b"", b"\x00\x00", b"\x08\x03\x00\x00" + b"\x00" * 12,
                                 b"\x00\x00\x0d\x01\x00\x00\x00\x01\x00"])  # 0x0d = float, not ubyte
def test_parse_idx_bad_magic(raw):
    with pytest.raises(DatasetUnavailableError, match="not an unsigned-byte IDX file"):
        parse_idx(raw, "thing.gz")


def test_parse_idx_truncated_body():
    raw = idx_bytes(np.zeros((3, 4, 4), np.uint8))
    with pytest.raises(DatasetUnavailableError, match=r"truncated.*\(3, 4, 4\)"):
        parse_idx(raw[:-1])
    with pytest.raises(DatasetUnavailableError, match="truncated"):
        parse_idx(raw + b"\x00")


def test_parse_idx_truncated_header():
    raw = idx_bytes(np.zeros((3, 4, 4), np.uint8))
    with pytest.raises(DatasetUnavailableError, match="truncated"):
        parse_idx(raw[:9])  # the header promises three sizes but holds one and a bit


# --------------------------------------------------------------------------- the real data set

@pytest.fixture(scope="module")
def real_cache(tmp_path_factory) -> Path:
    """A cache folder filled once (per test module) from Debian's files."""
    if not (DEBIAN / "train-images-idx3-ubyte.gz").exists():
        pytest.skip("Debian's dataset-fashion-mnist is not installed (make data)")
    cache = tmp_path_factory.mktemp("cache")
    for split in ("train", "test"):
        load_fashion_mnist(split, cache_dir=cache, url=None)
    return cache


@needs_debian
@pytest.mark.parametrize("split, n", [("train", 60_000), ("test", 10_000)])
def test_real_load_from_debian(real_cache, split, n):
    images, labels = load_fashion_mnist(split, cache_dir=real_cache, system_dirs=(), url=None)
    assert images.shape == (n, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (n,) and labels.dtype == np.int64
    assert labels.min() == 0 and labels.max() == 9
    assert np.all(np.bincount(labels, minlength=10) == n // 10)  # Fashion-MNIST is balanced
    assert images.flags["C_CONTIGUOUS"]


def test_class_names():
    assert len(CLASS_NAMES) == 10 and len(set(CLASS_NAMES)) == 10
    assert CLASS_NAMES[0] == "T-shirt/top" and CLASS_NAMES[9] == "Ankle boot"


@needs_debian
def test_mean_and_std_constants_match_the_data(real_cache):
    images, _ = load_fashion_mnist("train", cache_dir=real_cache, url=None)
    mean = images.mean(dtype=np.float64) / 255  # no float copy of the 47 M pixels
    std = np.sqrt(np.square(images, dtype=np.uint16).mean(dtype=np.float64) / 255**2 - mean**2)
    assert abs(mean - MEAN) < 1e-3 and abs(std - STD) < 1e-3


@needs_debian
def test_cache_is_valid_npy_and_atomic(real_cache):
    names = sorted(p.name for p in real_cache.iterdir())
    arrays = [f"fashion-mnist-{s}-{k}.npy" for s in ("train", "test") for k in ("images", "labels")]
    assert names == sorted(arrays + [a + ".sha256" for a in arrays])  # each array with its digest
    assert no_part_files(real_cache)
    labels = np.load(real_cache / "fashion-mnist-test-labels.npy", allow_pickle=False)
    assert labels.shape == (10_000,) and labels.dtype == np.int64


@needs_debian
def test_cache_is_reused(real_cache, monkeypatch):
    def no_other_source(*args, **kwargs):
        raise AssertionError("the cache should have been used")

    monkeypatch.setattr(data, "_read_system", no_other_source)
    monkeypatch.setattr(data, "_download", no_other_source)
    images, labels = load_fashion_mnist("test", cache_dir=real_cache)
    assert images.shape == (10_000, 28, 28) and len(labels) == 10_000


@needs_debian
def test_default_cache_lives_under_course_data_dir(tmp_path):
    load_fashion_mnist("test", url=None)
    assert (tmp_path / "data" / "cache" / "fashion-mnist-test-images.npy").exists()
    assert data.data_dir() == tmp_path / "data"


@needs_debian
@pytest.mark.parametrize("damage", ["garbage", "empty", "wrong_length"])
def test_damaged_cache_is_rebuilt(tmp_path, damage):
    cache = tmp_path / "cache"
    load_fashion_mnist("test", cache_dir=cache, url=None)
    images_file = cache / "fashion-mnist-test-images.npy"
    if damage == "garbage":
        images_file.write_bytes(b"this is not an npy file")
    elif damage == "empty":
        images_file.write_bytes(b"")
    else:
        np.save(images_file, np.zeros((5, 28, 28), np.uint8))
    images, labels = load_fashion_mnist("test", cache_dir=cache, url=None)
    assert images.shape == (10_000, 28, 28) and len(labels) == 10_000
    assert np.load(images_file, allow_pickle=False).shape == (10_000, 28, 28)  # rewritten
    assert no_part_files(cache)


def test_bad_split_name(tmp_path):
    with pytest.raises(ValueError, match="validation"):
        load_fashion_mnist("validation", cache_dir=tmp_path, system_dirs=(), url=None)  # type: ignore[arg-type]


@needs_debian
def test_system_file_with_wrong_sha256_is_refused(tmp_path):
    wrong = Checksums(raw_sha256={"t10k-images-idx3-ubyte.gz": "0" * 64})
    with pytest.raises(DatasetUnavailableError, match="SHA-256"):
        load_fashion_mnist("test", cache_dir=tmp_path / "cache", url=None, checksums=wrong)
    assert not (tmp_path / "cache").exists()


def test_system_folder_with_mismatched_files(tmp_path):
    folder = tmp_path / "debian"
    folder.mkdir()
    images, labels = small_split(6)
    (folder / TRAIN_FILES[0]).write_bytes(gzip.compress(idx_bytes(images)))
    (folder / TRAIN_FILES[1]).write_bytes(gzip.compress(idx_bytes(labels[:4])))
    with pytest.raises(DatasetUnavailableError, match="do not fit together"):
        load_fashion_mnist("train", cache_dir=tmp_path / "cache", system_dirs=(folder,), url=None,
                           checksums=Checksums())
    assert not (tmp_path / "cache").exists()


def test_nothing_found_without_url(tmp_path):
    with pytest.raises(DatasetUnavailableError) as err:
        load_fashion_mnist("train", cache_dir=tmp_path / "cache", system_dirs=(tmp_path,), url=None)
    assert "make data" in str(err.value) and "apt-get" in str(err.value)
    assert not (tmp_path / "cache").exists()


# --------------------------------------------------------------------------- the download path, for real

class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep the test output clean
        pass

    def do_GET(self) -> None:
        if self.path.endswith("/cut-short.gz"):  # promise 1000 bytes, send 10, hang up
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"\x1f\x8b" + b"\x00" * 8)
            return
        super().do_GET()


@pytest.fixture
def server(tmp_path):
    """An HTTP server on 127.0.0.1 (a free port) serving ``tmp_path/served``; yields (url, folder)."""
    folder = tmp_path / "served"
    folder.mkdir()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", folder
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def serve_split(folder: Path, n: int = 12) -> tuple[np.ndarray, np.ndarray, Checksums]:
    """Write the train split's two .gz files; return the arrays and their MD5 checksums."""
    images, labels = small_split(n)
    md5 = {}
    for name, array in zip(TRAIN_FILES, (images, labels)):
        payload = gzip.compress(idx_bytes(array))
        (folder / name).write_bytes(payload)
        md5[name] = hashlib.md5(payload).hexdigest()
    return images, labels, Checksums(gz_md5=md5)


def test_download_from_local_server(server, tmp_path):
    url, folder = server
    images, labels, sums = serve_split(folder)
    cache = tmp_path / "cache"
    got_images, got_labels = load_fashion_mnist("train", cache_dir=cache, system_dirs=(), url=url, checksums=sums)
    assert np.array_equal(got_images, images)
    assert np.array_equal(got_labels, labels) and got_labels.dtype == np.int64
    assert no_part_files(cache)
    # The cache now answers on its own: no server, no system files.
    again_images, _ = load_fashion_mnist("train", cache_dir=cache, system_dirs=(), url=None)
    assert np.array_equal(again_images, images)


def test_download_server_missing(tmp_path):
    with socket.socket() as s:  # a port that nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cache = tmp_path / "cache"
    with pytest.raises(DatasetUnavailableError) as err:
        load_fashion_mnist("train", cache_dir=cache, system_dirs=(), url=f"http://127.0.0.1:{port}/", timeout=5)
    message = str(err.value)
    assert "downloading" in message and "make data" in message and "apt-get" in message
    assert not cache.exists()


def test_download_file_missing_on_server(server, tmp_path):
    url, folder = server
    serve_split(folder)
    (folder / TRAIN_FILES[1]).unlink()  # a 404 for the labels
    with pytest.raises(DatasetUnavailableError, match="404"):
        load_fashion_mnist("train", cache_dir=tmp_path / "cache", system_dirs=(), url=url, checksums=Checksums())
    assert not (tmp_path / "cache").exists()  # the images were fine, but nothing half-written


def test_download_wrong_md5_writes_no_cache(server, tmp_path):
    url, folder = server
    _, _, sums = serve_split(folder)
    wrong = Checksums(gz_md5={**sums.gz_md5, TRAIN_FILES[1]: "0" * 32})
    cache = tmp_path / "cache"
    with pytest.raises(DatasetUnavailableError, match="MD5") as err:
        load_fashion_mnist("train", cache_dir=cache, system_dirs=(), url=url, checksums=wrong)
    assert "make data" in str(err.value)
    assert not cache.exists() or not any(cache.iterdir())


def test_official_checksums_refuse_other_files(server, tmp_path):
    url, folder = server
    serve_split(folder)
    with pytest.raises(DatasetUnavailableError, match="MD5"):
        load_fashion_mnist("train", cache_dir=tmp_path / "cache", system_dirs=(), url=url)  # OFFICIAL sums


@pytest.mark.parametrize("payload", [
    b"plainly not gzip",
    gzip.compress(b"\x00" * 4000)[:-12],                                        # cut short
    (lambda g: g[:10] + bytes(255 - b for b in g[10:-8]) + g[-8:])(gzip.compress(b"\x00" * 4000)),  # damaged
], ids=["not-gzip", "truncated", "damaged-deflate"])
def test_download_corrupt_gzip(server, tmp_path, payload):
    url, folder = server
    serve_split(folder)
    (folder / TRAIN_FILES[0]).write_bytes(payload)
    sums = Checksums(gz_md5={TRAIN_FILES[0]: hashlib.md5(payload).hexdigest()})  # the MD5 matches
    with pytest.raises(DatasetUnavailableError, match="not a valid gzip file"):
        load_fashion_mnist("train", cache_dir=tmp_path / "cache", system_dirs=(), url=url, checksums=sums)
    assert not (tmp_path / "cache").exists()


def test_download_cut_off_mid_transfer(server, tmp_path):
    url, _ = server
    with pytest.raises(DatasetUnavailableError, match="downloading"):
        data._download(url, "cut-short.gz", Checksums(), timeout=5)


def test_download_decoded_sha256_checked(server, tmp_path):
    url, folder = server
    _, _, sums = serve_split(folder)
    sums = Checksums(gz_md5=sums.gz_md5, raw_sha256={TRAIN_FILES[0]: "f" * 64})
    with pytest.raises(DatasetUnavailableError, match="SHA-256"):
        load_fashion_mnist("train", cache_dir=tmp_path / "cache", system_dirs=(), url=url, checksums=sums)


def test_fashion_mnist_available(monkeypatch, tmp_path):
    monkeypatch.setattr(data, "_read_system", lambda *args: None)  # as on a machine without Debian's files
    assert fashion_mnist_available() is False
    images, labels = small_split(4)
    data._write_cache("test", tmp_path / "data" / "cache", (images, labels.astype(np.int64)))
    assert fashion_mnist_available() is True


def test_main_reports(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(data, "_read_system", lambda *args: None)
    assert data.main(["--offline"]) == 1
    assert "error:" in capsys.readouterr().out
    for split in ("train", "test"):
        images, labels = small_split(3)
        data._write_cache(split, tmp_path / "data" / "cache", (images, labels.astype(np.int64)))
    assert data.main(["--offline"]) == 0
    out = capsys.readouterr().out
    assert "Fashion-MNIST train: 3 images" in out and "Fashion-MNIST test: 3 images" in out


# --------------------------------------------------------------------------- BatchLoader and augmentation

def test_batch_loader_len_and_batches():
    x, y = torch.randn(10, 1, 4, 4), torch.arange(10)
    loader = BatchLoader(x, y, batch_size=4)
    assert len(loader) == 3 and len(loader.dataset) == 10
    sizes = [len(yb) for _, yb in loader]
    assert sizes == [4, 4, 2]
    assert torch.equal(torch.cat([yb for _, yb in loader]), y)  # unshuffled: in order
    assert len(BatchLoader(x, y, batch_size=5)) == 2 and len(BatchLoader(x, y, batch_size=64)) == 1


def test_batch_loader_shuffle_covers_everything_once_and_repeats():
    x, y = torch.arange(50.0).view(50, 1, 1, 1), torch.arange(50)
    a = BatchLoader(x, y, batch_size=8, shuffle=True, seed=3)
    epoch1 = torch.cat([yb for _, yb in a])
    epoch2 = torch.cat([yb for _, yb in a])
    assert torch.equal(epoch1.sort().values, y) and torch.equal(epoch2.sort().values, y)
    assert not torch.equal(epoch1, y)               # shuffled
    assert not torch.equal(epoch1, epoch2)          # a new order each epoch
    b = BatchLoader(x, y, batch_size=8, shuffle=True, seed=3)
    assert torch.equal(torch.cat([yb for _, yb in b]), epoch1)  # same seed, same order
    for xb, yb in b:
        assert torch.equal(xb.view(-1).long(), yb)  # images stay with their labels
    c = BatchLoader(x, y, batch_size=8, shuffle=True, seed=4)
    assert not torch.equal(torch.cat([yb for _, yb in c]), epoch1)


def test_batch_loader_augment_keeps_shapes():
    x, y = torch.randn(9, 3, 8, 8), torch.arange(9)
    for xb, yb in BatchLoader(x, y, batch_size=4, augment=True):
        assert xb.shape == (len(yb), 3, 8, 8) and xb.dtype == x.dtype


def test_batch_loader_mismatch():
    with pytest.raises(ValueError, match="5 images but 4 labels"):
        BatchLoader(torch.zeros(5, 1, 2, 2), torch.zeros(4))


def _dot_images(n: int) -> torch.Tensor:
    x = torch.zeros(n, 1, 12, 16)
    x[:, :, 5, 3] = 1.0  # one bright pixel, off-centre
    return x


def test_random_shift_flip_shift_bounded_and_flips():
    n = 400
    out = random_shift_flip(_dot_images(n), pad=2, generator=torch.Generator().manual_seed(0))
    assert out.shape == (n, 1, 12, 16)
    assert torch.all(out.sum(dim=(1, 2, 3)) == 1)  # the dot is never lost (it is 3 px from the edge)
    rows = out[:, 0].amax(dim=2).argmax(dim=1)
    cols = out[:, 0].amax(dim=1).argmax(dim=1)
    assert rows.min() >= 3 and rows.max() <= 7                       # 5 +- 2
    plain = (cols >= 1) & (cols <= 5)                                  # 3 +- 2
    mirrored = (cols >= 10) & (cols <= 14)                             # 15 - (3 +- 2)
    assert torch.all(plain | mirrored)
    assert 0.4 < mirrored.float().mean() < 0.6                         # about half are flipped
    assert len(torch.unique(rows)) == 5 and len(torch.unique(cols)) == 10  # every shift occurs


def test_random_shift_flip_pads_with_background_and_repeats():
    x = torch.full((20, 2, 6, 6), -1.0)
    x[:, :, 2:4, 2:4] = 3.0
    a = random_shift_flip(x, pad=2, generator=torch.Generator().manual_seed(1))
    b = random_shift_flip(x, pad=2, generator=torch.Generator().manual_seed(1))
    assert torch.equal(a, b)
    assert set(torch.unique(a).tolist()) == {-1.0, 3.0}
    assert torch.all(a.sum(dim=(2, 3)) == a[:, :1].sum(dim=(2, 3)))  # channels move together
    assert torch.equal(random_shift_flip(x[:, :, :, :], pad=0, generator=torch.Generator().manual_seed(2)).sum(),
                       x.sum())


# --------------------------------------------------------------------------- torch side on the real data

@pytest.fixture
def real_data_dir(real_cache, tmp_path, monkeypatch):
    """Point COURSE_DATA_DIR at a folder whose cache is the filled one (fast loads)."""
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "cache").symlink_to(real_cache)
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "real"))


@needs_debian
def test_fashion_mnist_dataset(real_data_dir):
    ds = fashion_mnist_dataset("test", limit=300, seed=1)
    assert isinstance(ds, FashionMNIST) and len(ds) == 300
    x, y = ds[0]
    assert x.shape == (1, 28, 28) and x.dtype == torch.float32 and y.dtype == torch.int64
    assert torch.isclose(ds.images.min(), torch.tensor(-MEAN / STD), atol=1e-4)
    assert torch.equal(fashion_mnist_dataset("test", limit=300, seed=1).labels, ds.labels)
    assert not torch.equal(fashion_mnist_dataset("test", limit=300, seed=2).labels, ds.labels)
    assert fashion_mnist_dataset("test", limit=5, size=32).images.shape == (5, 1, 32, 32)
    assert len(fashion_mnist_dataset("test", limit=10**6)) == 10_000


@needs_debian
def test_fashion_mnist_loaders_limits(real_data_dir):
    train, test = fashion_mnist_loaders(32, train_limit=200, test_limit=100, seed=0)
    assert len(train.dataset) == 200 and len(test.dataset) == 100
    assert len(train) == 7 and len(test) == 1  # the test loader uses batches of at least 512
    assert train.shuffle and not test.shuffle and not train.augment
    xb, yb = next(iter(train))
    assert xb.shape == (32, 1, 28, 28) and yb.shape == (32,)
    assert 0 <= int(yb.min()) and int(yb.max()) <= 9
    big, _ = fashion_mnist_loaders(16, train_limit=20, test_limit=20, size=32, augment=True)
    xb, _ = next(iter(big))
    assert xb.shape == (16, 1, 32, 32) and big.augment


# --------------------------------------------------------------------------- photos

@pytest.mark.parametrize("name", PHOTOS)
def test_photo_rgb_and_gray(name):
    rgb = photo(name)
    assert rgb.ndim == 3 and rgb.shape[2] == 3 and rgb.dtype == np.float32
    assert 0.0 <= rgb.min() and rgb.max() <= 1.0
    gray = photo(name, gray=True)
    assert gray.shape == rgb.shape[:2] and gray.dtype == np.float32
    assert 0.0 <= gray.min() and gray.max() <= 1.0


def test_photo_size():
    small = photo("chelsea", size=64)
    assert min(small.shape[:2]) == 64 and small.shape[2] == 3 and small.dtype == np.float32
    assert min(photo("camera", gray=True, size=50).shape) == 50


def test_photo_bad_name():
    with pytest.raises(ValueError, match="chelsea"):
        photo("cat")


# --------------------------------------------------------------------------- properties over shapes


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 6), c=st.integers(1, 3), h=st.integers(1, 9), w=st.integers(1, 9), pad=st.integers(0, 4),
       seed=st.integers(0, 1000))
def test_random_shift_flip_properties(n, c, h, w, pad, seed):
    x = torch.rand(n, c, h, w, generator=torch.Generator().manual_seed(seed))
    out = random_shift_flip(x, pad=pad, generator=torch.Generator().manual_seed(seed))
    assert out.shape == x.shape and out.dtype == x.dtype
    allowed = set(x.flatten().tolist())  # every pixel is an input pixel or the background (the minimum)
    assert set(out.flatten().tolist()) <= allowed


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 60), batch=st.integers(1, 70), shuffle=st.booleans(), seed=st.integers(0, 99))
def test_batch_loader_properties(n, batch, shuffle, seed):
    loader = BatchLoader(torch.arange(n).view(n, 1, 1, 1), torch.arange(n), batch, shuffle=shuffle, seed=seed)
    got = [yb for _, yb in loader]
    assert len(got) == len(loader) == -(-n // batch)
    assert all(len(yb) == batch for yb in got[:-1]) and 1 <= len(got[-1]) <= batch
    assert torch.equal(torch.cat(got).sort().values, torch.arange(n))
