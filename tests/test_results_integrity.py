"""Shipped results are verified (issue 19): the manifest, damaged files, and writes that fail.

Each fault is injected for real -- a flipped byte, a truncated file, a removed file, a disk that
fills up in the middle of a write -- and each test asserts the one message the student sees (the
file and its fix: ``git checkout -- <file>`` for a shipped file, ``RETRAIN = True`` for one made
here) and that nothing is left half-written.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path

import pytest
import torch
from torch import nn

from course_utils.paths import REPOSITORY
from course_utils.results import (MADE_HERE, MANIFEST, NOT_SHIPPED, DamagedResultError, file_digest, load_result,
                                  load_weights, main, make_manifest, manifest_problems, read_manifest, result_path,
                                  save_result, save_weights, ship, weights_path)
from faults import full_disk  # tests/faults.py

SHIPPED = REPOSITORY / "data" / "results"


def tiny() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))


@pytest.fixture()
def folder(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(tmp_path / "results"))
    monkeypatch.setenv("COURSE_DEVICE", "cpu")
    return tmp_path / "results"


@pytest.fixture()
def shipped(folder) -> Path:
    """A result and its weights, shipped: listed in MANIFEST.sha256 (as after `--manifest`)."""
    save_result("demo", "default", {"error": 0.25}, settings={"epochs": 3}, seconds=1)
    save_weights(tiny(), "demo", "default", "net")
    make_manifest(folder)
    return folder


def flip_byte(path: Path, where: float = 0.5) -> None:
    data = bytearray(path.read_bytes())
    data[int(len(data) * where)] ^= 0xFF
    path.write_bytes(bytes(data))


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".part")]


def message(err: pytest.ExceptionInfo) -> str:
    assert err.value.__cause__ is None and (err.value.__suppress_context__ or err.value.__context__ is None), \
        "the message should come alone, without torch's or json's traceback chained to it"
    return str(err.value)


# --- the committed manifest -----------------------------------------------------------------

def test_committed_manifest_matches_the_shipped_results():
    problems = manifest_problems(SHIPPED)
    assert not problems, ("data/results/MANIFEST.sha256 is out of date: " + "; ".join(problems)
                          + ". Run `python -m course_utils.results --manifest` and commit it.")
    assert len(read_manifest(SHIPPED / MANIFEST)) >= 10


def test_files_left_out_of_the_manifest_are_the_ones_git_ignores():
    ignored = [line.removeprefix("data/results/") for line in (REPOSITORY / ".gitignore").read_text().splitlines()
               if line.startswith("data/results/")]
    for pattern in ("*-ci.json", "*-ci.pt", "*-ci-*.pt", "*.part", MADE_HERE, ".manifest.lock"):
        assert any(fnmatch.fnmatch(pattern, p) for p in ignored), f".gitignore should ignore data/results/{pattern}"
        assert any(fnmatch.fnmatch(pattern, p) for p in NOT_SHIPPED)


def test_manifest_command_writes_and_checks(folder, capsys):
    save_result("demo", "default", {"x": 1}, settings={}, seconds=1)
    save_result("demo", "ci", {"x": 1}, settings={}, seconds=1)   # never shipped
    assert main(["--check"]) == 1
    assert "demo-default.json is not in MANIFEST.sha256" in capsys.readouterr().out
    assert main(["--manifest"]) == 0
    assert set(read_manifest(folder / MANIFEST)) == {"demo-default.json"}
    assert main(["--check"]) == 0
    assert "demo-default.json" not in read_manifest(folder / MADE_HERE)   # shipped now
    flip_byte(folder / "demo-default.json")
    assert main(["--check"]) == 1
    assert "demo-default.json differs from its digest" in capsys.readouterr().out
    (folder / "demo-default.json").unlink()
    assert main(["--check"]) == 1
    assert "demo-default.json is in MANIFEST.sha256 but missing" in capsys.readouterr().out


def test_make_results_ships_what_it_stores(folder):
    from course_utils.results import Result

    save_result("other", "default", {"x": 1}, settings={}, seconds=1)
    make_manifest(folder)
    before = read_manifest(folder / MANIFEST)
    save_result("demo", "default", {"x": 1}, settings={}, seconds=1)
    save_weights(tiny(), "demo", "default", "net")
    result = Result("demo", "default", {"x": 1}, {}, {}, {"net": tiny()})
    assert [p.name for p in ship(result)] == ["demo-default.json", "demo-default-net.pt"]
    shipped = read_manifest(folder / MANIFEST)
    assert shipped["other-default.json"] == before["other-default.json"] and manifest_problems(folder) == []
    assert read_manifest(folder / MADE_HERE) == {}
    save_result("demo", "ci", {"x": 1}, settings={}, seconds=1)
    assert ship(Result("demo", "ci", {"x": 1}, {}, {})) == []                  # ci files are never shipped
    assert read_manifest(folder / MANIFEST) == shipped


def test_manifest_is_sha256sum_format(shipped):
    lines = (shipped / MANIFEST).read_text().splitlines()
    assert lines == sorted(lines, key=lambda line: line[66:])
    for line in lines:
        hexdigest, name = line.split("  ")
        assert hexdigest == file_digest(shipped / name)


# --- damaged shipped files: restore from git ---------------------------------------------------

@pytest.mark.parametrize("damage", [flip_byte, truncate], ids=["flipped-byte", "truncated"])
def test_damaged_shipped_result_names_git_checkout(shipped, damage):
    damage(result_path("demo", "default"))
    with pytest.raises(DamagedResultError) as err:
        load_result("demo", "default")
    text = message(err)
    assert f"git checkout -- {result_path('demo', 'default')}" in text and "damaged" in text
    assert "RETRAIN" not in text


@pytest.mark.parametrize("damage", [flip_byte, truncate, lambda p: flip_byte(p, 0.99)],
                         ids=["flipped-byte", "truncated", "flipped-last-bytes"])
def test_damaged_shipped_weights_name_git_checkout(shipped, damage):
    damage(weights_path("demo", "default", "net"))
    with pytest.raises(DamagedResultError) as err:
        load_weights(tiny(), "demo", "default", "net")
    text = message(err)
    assert f"git checkout -- {weights_path('demo', 'default', 'net')}" in text
    assert "Traceback" not in text and "torch" not in text.split(";")[0]


def test_removed_shipped_files_name_git_checkout(shipped):
    weights_path("demo", "default", "net").unlink()
    with pytest.raises(DamagedResultError, match="is missing.*git checkout -- .*demo-default-net.pt"):
        load_weights(tiny(), "demo", "default", "net")
    result_path("demo", "default").unlink()
    with pytest.raises(DamagedResultError, match="is missing.*git checkout -- .*demo-default.json"):
        load_result("demo", "default")  # not "nothing stored": that would retrain for hours


def test_sound_shipped_files_load(shipped):
    assert load_result("demo", "default").data == {"error": 0.25}
    model = load_weights(nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2)), "demo", "default", "net")
    assert torch.equal(model[0].weight, tiny()[0].weight)


# --- files made here: retrain -------------------------------------------------------------------

def test_retraining_over_a_shipped_file_is_not_damage(shipped):
    original = result_path("demo", "default").read_bytes()
    save_result("demo", "default", {"error": 0.5}, settings={"epochs": 3}, seconds=1)  # RETRAIN = True
    assert load_result("demo", "default").data == {"error": 0.5}
    result_path("demo", "default").write_bytes(original)          # git checkout -- ... brings it back
    assert load_result("demo", "default").data == {"error": 0.25}
    assert manifest_problems(shipped) == []


@pytest.mark.parametrize("damage", [flip_byte, truncate], ids=["flipped-byte", "truncated"])
def test_damaged_result_made_here_names_the_retrain_switch(folder, damage):
    save_result("mine", "default", {"error": 0.25}, settings={}, seconds=1)
    damage(result_path("mine", "default"))
    with pytest.raises(DamagedResultError) as err:
        load_result("mine", "default")
    text = message(err)
    assert str(result_path("mine", "default")) in text and "RETRAIN = True" in text
    assert "git checkout" not in text


@pytest.mark.parametrize("damage", [flip_byte, truncate, Path.unlink], ids=["flipped-byte", "truncated", "removed"])
def test_damaged_weights_made_here_name_the_file_and_the_retrain_switch(folder, damage):
    save_weights(tiny(), "mine", "default", "net")
    damage(weights_path("mine", "default", "net"))
    with pytest.raises(DamagedResultError) as err:
        load_weights(tiny(), "mine", "default", "net")
    text = message(err)
    assert str(weights_path("mine", "default", "net")) in text and "RETRAIN = True" in text


@pytest.mark.parametrize("content", [b"", b"not a zip file at all", b"PK\x03\x04" + bytes(100)],
                         ids=["empty", "garbage", "broken-zip"])
def test_unlisted_weights_that_fail_to_load_give_one_clear_message(folder, content):
    """A file in neither manifest (copied in by hand): torch's own error, turned into the message."""
    path = weights_path("copied", "default", "net")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    with pytest.raises(DamagedResultError) as err:
        load_weights(tiny(), "copied", "default", "net")
    text = message(err)
    assert text.startswith(f"{path} cannot be loaded as weights") and "RETRAIN = True" in text


def test_unlisted_result_that_is_not_json_names_the_retrain_switch(folder):
    path = result_path("copied", "default")
    path.parent.mkdir(parents=True)
    path.write_text("{half a file", encoding="utf-8")
    with pytest.raises(DamagedResultError, match="not a valid result file.*RETRAIN = True"):
        load_result("copied", "default")


# --- writes that fail mid-way: nothing half-written -----------------------------------------------

def test_disk_full_while_saving_a_result_keeps_the_old_one(folder, monkeypatch):
    save_result("mine", "default", {"error": 0.25}, settings={}, seconds=1)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    disk = full_disk(monkeypatch, room=50)
    with pytest.raises(OSError, match="No space left"):
        save_result("mine", "default", {"error": 0.5, "more": list(range(100))}, settings={}, seconds=1)
    assert disk.parts_seen and disk.parts_seen[0][1] == 50        # it really wrote half a file ...
    assert leftovers(folder) == []                                # ... which is gone
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert load_result("mine", "default").data == {"error": 0.25}


def test_disk_full_while_saving_weights_keeps_the_old_ones(folder, monkeypatch):
    save_weights(tiny(), "mine", "default", "net")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    disk = full_disk(monkeypatch, room=100)
    other = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    with pytest.raises(OSError, match="No space left"):
        save_weights(other, "mine", "default", "net")
    assert disk.parts_seen and leftovers(folder) == []
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert torch.equal(load_weights(other, "mine", "default", "net")[0].weight, tiny()[0].weight)


def test_disk_full_while_updating_the_manifest_leaves_it_whole(folder, monkeypatch):
    save_result("first", "default", {"a": 1}, settings={}, seconds=1)
    size = save_result("second", "default", {"b": 2}, settings={}, seconds=1).stat().st_size
    manifest = (folder / MADE_HERE).read_bytes()
    disk = full_disk(monkeypatch, room=size + 20)                 # the result fits, the manifest does not
    with pytest.raises(OSError, match="No space left"):
        save_result("second", "default", {"b": 2}, settings={}, seconds=1)
    assert disk.parts_seen and leftovers(folder) == []
    assert (folder / MADE_HERE).read_bytes() == manifest          # the old manifest, not half a new one
    assert load_result("first", "default").data == {"a": 1}


def test_writing_a_manifest_that_fails_keeps_the_old_one(shipped, monkeypatch):
    manifest = (shipped / MANIFEST).read_bytes()
    save_result("demo", "full", {"x": list(range(300))}, settings={}, seconds=1)
    full_disk(monkeypatch, room=10)
    with pytest.raises(OSError):
        make_manifest(shipped)
    assert (shipped / MANIFEST).read_bytes() == manifest and leftovers(shipped) == []
