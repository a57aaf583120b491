"""Stored experiment results, with where they came from, and the weights of trained models.

A result is a JSON file ``data/results/<name>-<key>.json``, where ``key`` is the profile it was made
at (``ci``, ``default``, ``full``) or a named variant (``cpu``)::

    {"name": "degradation", "profile": "full",
     "settings": {... the frozen settings that made it ...},
     "data": {... the experiment's numbers ...},
     "provenance": {"command": "make results ...", "device": "cuda - NVIDIA H100", "seconds": 812.4,
                    "commit": "3f2c1ab...", "dirty": false, "torch": "2.13.0", "created": "..."}}

Trained weights sit beside it as ``<name>-<key>-<model>.pt``. Notebooks never call this module
directly: :func:`course_utils.experiments.replay` does. Only JSON is read back (no pickle), and
weights go through ``torch.load(..., weights_only=True)``, so opening a result cannot run code.

Every file is checked against a SHA-256 digest before it is read. Two manifests in the results
folder hold the digests, in ``sha256sum`` format (``cd data/results && sha256sum -c MANIFEST.sha256``):

* ``MANIFEST.sha256``, committed: the files shipped with the course. A damaged or missing shipped
  file gets a message naming ``git checkout -- <file>``. ``make results`` enters what it stores
  (:func:`ship`); after merging branches that made results, regenerate it from the folder:
  ``python -m course_utils.results --manifest`` (``--check`` only compares).
* ``made-here.sha256``, not committed: files this machine made (``replay(..., retrain=True)``,
  ``make results``); every save updates it atomically. A damaged one gets a message naming the
  retrain switch, ``RETRAIN = True``.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import fnmatch
import hashlib
import io
import json
import platform
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import torch
from torch import nn

from .files import atomic_write
from .paths import REPOSITORY, results_dir
from .runtime import device


@dataclass(frozen=True)
class Result:
    """A result: the experiment's ``data``, the ``settings`` and ``provenance`` of the run that made
    it, and (when the experiment keeps any) its trained ``models``, in eval mode.

    ``profile`` is the key the result is stored under: a profile or a variant such as ``"cpu"``.
    """

    name: str
    profile: str
    data: dict[str, Any]
    provenance: dict[str, Any]
    settings: dict[str, Any] = field(default_factory=dict)
    models: dict[str, nn.Module] = field(default_factory=dict)

    def describe(self) -> str:
        """One line for a caption: profile, device, time, commit and date."""
        p = self.provenance
        minutes = float(p.get("seconds", 0)) / 60
        commit = str(p.get("commit", "?"))[:7] + ("+changes" if p.get("dirty") else "")
        return (f"{self.name}: profile '{self.profile}', made on {p.get('device', '?')} in "
                f"{minutes:.1f} min, commit {commit}, {str(p.get('created', '?'))[:10]}")


def _check_part(part: str, value: str) -> None:
    if not value or not value.replace("_", "").replace("-", "").isalnum():
        raise ValueError(f"result {part}s use letters, digits, '-' and '_' only, not {value!r}")


def result_path(name: str, key: str) -> Path:
    """Where the result ``name`` made at ``key`` (a profile or variant) lives."""
    _check_part("name", name)
    _check_part("key", key)
    return results_dir() / f"{name}-{key}.json"


def weights_path(name: str, key: str, model: str) -> Path:
    """Where model ``model`` of result ``name`` at ``key`` keeps its weights."""
    _check_part("model name", model)
    return result_path(name, key).with_name(f"{name}-{key}-{model}.pt")


# --- digests: what was shipped, what was made here ---------------------------------------------

MANIFEST = "MANIFEST.sha256"
"""The committed digests of the shipped results and weights."""
MADE_HERE = "made-here.sha256"
"""The digests of results and weights made on this machine (not committed)."""
NOT_SHIPPED = ("*-ci.json", "*-ci.pt", "*-ci-*.pt", "*.part", ".*", MANIFEST, MADE_HERE)
"""Files of the results folder never listed in the manifest (the ``ci`` ones are in .gitignore)."""


class DamagedResultError(ValueError):
    """A stored result or weights file is damaged or missing; the message names the file and the fix."""


def digest(data: bytes) -> str:
    """SHA-256 of ``data`` in hex."""
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str:
    """SHA-256 of the file at ``path`` in hex (read in chunks)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_manifest(path: Path) -> dict[str, str]:
    """``{file name: digest}`` from a ``sha256sum``-format file (empty if there is none)."""
    if not path.exists():
        return {}
    entries = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        hexdigest, _, name = line.partition("  ")
        if len(hexdigest) == 64 and name:
            entries[name] = hexdigest
    return entries


def write_manifest(path: Path, entries: dict[str, str]) -> None:
    """Write ``entries`` in ``sha256sum`` format, sorted by name, atomically."""
    text = "".join(f"{entries[name]}  {name}\n" for name in sorted(entries))
    with atomic_write(path) as f:
        f.write(text.encode("utf-8"))


@contextmanager
def _manifest_lock(folder: Path) -> Iterator[None]:
    """Serialise updates of ``made-here.sha256`` between processes (test workers, notebooks)."""
    try:
        import fcntl
    except ImportError:  # Windows: no lock; an update lost in a race only makes a file "unknown"
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".manifest.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _record_made_here(path: Path, hexdigest: str) -> None:
    """Note in ``made-here.sha256`` that ``path`` was just written here with ``hexdigest``."""
    with _manifest_lock(path.parent):
        entries = read_manifest(path.parent / MADE_HERE)
        entries[path.name] = hexdigest
        write_manifest(path.parent / MADE_HERE, entries)


def _shown(path: Path) -> str:
    """``path`` as a student would type it: relative to the course's folder when inside it."""
    try:
        return str(path.resolve().relative_to(REPOSITORY))
    except ValueError:
        return str(path)


def _fix(path: Path, shipped: bool, made_here: bool) -> str:
    """How to repair ``path``: restore the shipped file from git, or make it again."""
    if shipped and not made_here:
        return (f"it is shipped with the course: restore it with `git checkout -- {_shown(path)}` "
                f"(in the course's folder; a second), then run the cell again")
    retrain = ("it was made on this machine: make it again with `RETRAIN = True` in the cell that "
               "replays it (or `make results`)")
    if shipped:
        retrain += f", or go back to the shipped file with `git checkout -- {_shown(path)}`"
    return retrain


def verify(path: Path) -> None:
    """Check ``path`` against the manifests; raise :class:`DamagedResultError` if it is damaged.

    A file is sound when its digest is the shipped one or the one made here; a file in neither
    manifest (copied in by hand) cannot be checked and is accepted as it is.
    """
    shipped = read_manifest(path.parent / MANIFEST).get(path.name)
    made_here = read_manifest(path.parent / MADE_HERE).get(path.name)
    if not path.exists():
        if shipped or made_here:
            raise DamagedResultError(f"{_shown(path)} is missing; {_fix(path, bool(shipped), bool(made_here))}.")
        return
    if shipped is None and made_here is None:
        return
    if file_digest(path) not in (shipped, made_here):
        raise DamagedResultError(f"{_shown(path)} is damaged (its SHA-256 digest is not the one recorded "
                                 f"when it was written); {_fix(path, bool(shipped), bool(made_here))}.")


def _listed(folder: Path) -> list[Path]:
    """The files of ``folder`` the manifest lists: results and weights, without the ``ci`` ones."""
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and not any(fnmatch.fnmatch(p.name, pattern) for pattern in NOT_SHIPPED))


def make_manifest(folder: Path | None = None) -> Path:
    """Write ``MANIFEST.sha256`` for every shipped file of ``folder`` (default: the results folder);
    the files are now "shipped", so their entries in ``made-here.sha256`` are dropped."""
    folder = folder or results_dir()
    entries = {p.name: file_digest(p) for p in _listed(folder)}
    write_manifest(folder / MANIFEST, entries)
    with _manifest_lock(folder):
        local = read_manifest(folder / MADE_HERE)
        kept = {n: d for n, d in local.items() if entries.get(n) != d and (folder / n).exists()}
        if kept != local:
            write_manifest(folder / MADE_HERE, kept)
    return folder / MANIFEST


def ship(result: "Result") -> list[Path]:
    """Enter a stored ``result`` and its weights in ``MANIFEST.sha256``: ``make results`` makes
    shipped files. Other entries stay; ``ci`` files are never shipped. Returns the files entered."""
    paths = [result_path(result.name, result.profile)]
    paths += [weights_path(result.name, result.profile, m) for m in result.models]
    paths = [p for p in paths if not any(fnmatch.fnmatch(p.name, pattern) for pattern in NOT_SHIPPED)]
    if not paths:
        return []
    folder = paths[0].parent
    with _manifest_lock(folder):
        shipped = read_manifest(folder / MANIFEST)
        shipped.update({p.name: file_digest(p) for p in paths})
        write_manifest(folder / MANIFEST, shipped)
        local = read_manifest(folder / MADE_HERE)
        kept = {n: d for n, d in local.items() if shipped.get(n) != d}
        if kept != local:
            write_manifest(folder / MADE_HERE, kept)
    return paths


def manifest_problems(folder: Path | None = None) -> list[str]:
    """How ``MANIFEST.sha256`` and the files of ``folder`` disagree (empty when they agree)."""
    folder = folder or results_dir()
    listed = read_manifest(folder / MANIFEST)
    found = {p.name: p for p in _listed(folder)}
    problems = [f"{name} is not in {MANIFEST}" for name in sorted(set(found) - set(listed))]
    problems += [f"{name} is in {MANIFEST} but missing" for name in sorted(set(listed) - set(found))]
    problems += [f"{name} differs from its digest in {MANIFEST}" for name in sorted(set(found) & set(listed))
                 if file_digest(found[name]) != listed[name]]
    return problems


def _git(*args: str) -> str:
    try:
        out = subprocess.run(["git", *args], capture_output=True, text=True, cwd=REPOSITORY, timeout=10)
        return out.stdout.strip() if out.returncode == 0 else ""
    except (OSError, subprocess.SubprocessError):
        return ""


def provenance(seconds: float, key: str, command: str | None = None) -> dict[str, Any]:
    """Where, how and when a result was made: the commit holding its code, and whether the
    course's code differed from that commit (``dirty``) when it ran."""
    dev = device()
    where = dev.type
    if dev.type == "cuda":
        where += " - " + torch.cuda.get_device_name(dev)
    elif dev.type == "cpu":
        where += f" - {platform.processor() or platform.machine()}, {torch.get_num_threads()} threads"
    return {
        "command": command or " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        "profile": key,
        "device": where,
        "seconds": round(seconds, 2),
        "commit": _git("rev-parse", "HEAD") or "unknown",
        "dirty": bool(_git("status", "--porcelain", "--", ":(glob)course_utils/**/*.py")),  # the code, not data such as the .mo
        "torch": torch.__version__,
        "python": platform.python_version(),
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    }


def save_result(name: str, key: str, data: dict[str, Any], *, settings: dict[str, Any],
                seconds: float, command: str | None = None) -> Path:
    """Write ``data`` (JSON-ready) with its settings and provenance, atomically; returns the path."""
    record = {"name": name, "profile": key, "settings": settings, "data": data,
              "provenance": provenance(seconds, key, command)}
    path = result_path(name, key)
    data_bytes = json.dumps(record, indent=1, sort_keys=True).encode("utf-8")
    with atomic_write(path) as f:
        f.write(data_bytes)
    _record_made_here(path, digest(data_bytes))
    return path


def load_result(name: str, key: str) -> Result | None:
    """The stored result ``name`` at ``key``, or ``None`` if there is none.

    Raises:
        DamagedResultError (a ValueError): the file is damaged, is not a result, or is a shipped
            result that went missing; the message names the file and the fix.
    """
    path = result_path(name, key)
    verify(path)
    if not path.exists():
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        return Result(record["name"], record["profile"], record["data"], record["provenance"],
                      record.get("settings", {}))
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError) as err:
        manifests = [read_manifest(path.parent / m).get(path.name) for m in (MANIFEST, MADE_HERE)]
        fix = _fix(path, bool(manifests[0]), bool(manifests[1]) or not manifests[0])
        raise DamagedResultError(f"{_shown(path)} is not a valid result file ({type(err).__name__}: "
                                 f"{err}); {fix}.") from None


def save_weights(model: nn.Module, name: str, key: str, model_name: str) -> Path:
    """Save ``model.state_dict()`` (on the CPU) atomically; returns the path."""
    path = weights_path(name, key, model_name)
    buffer = io.BytesIO()
    torch.save({k: v.detach().cpu() for k, v in model.state_dict().items()}, buffer)
    with atomic_write(path) as f:
        f.write(buffer.getvalue())
    _record_made_here(path, digest(buffer.getvalue()))
    return path


def load_weights(model: nn.Module, name: str, key: str, model_name: str) -> nn.Module:
    """Load stored weights into ``model`` (tensors only: ``weights_only=True``); returns it.

    Raises:
        DamagedResultError (a ValueError): the file is damaged, missing or does not fit the model;
            one message naming the file and the fix, never torch's own traceback.
    """
    path = weights_path(name, key, model_name)
    verify(path)
    shipped = path.name in read_manifest(path.parent / MANIFEST)
    if not path.exists():
        raise DamagedResultError(f"{_shown(path)} is missing: the result {name}-{key} was stored "
                                 f"without the weights of {model_name!r}; {_fix(path, False, True)}.")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as err:  # torch raises many kinds for a damaged file; one message for all
        raise DamagedResultError(f"{_shown(path)} cannot be loaded as weights ({type(err).__name__}: "
                                 f"{str(err)[:120]}); {_fix(path, shipped, not shipped)}.") from None
    try:
        model.load_state_dict(state)
    except RuntimeError as err:
        raise DamagedResultError(f"{_shown(path)} does not fit this model ({str(err)[:300]}); "
                                 f"{_fix(path, False, True)}.") from None
    return model


def main(argv: list[str] | None = None) -> int:
    """``python -m course_utils.results --manifest`` (write) or ``--check`` (compare only)."""
    parser = argparse.ArgumentParser(description="The manifest of the shipped results (MANIFEST.sha256).")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--manifest", action="store_true", help="write MANIFEST.sha256 for data/results")
    action.add_argument("--check", action="store_true", help="exit 1 if MANIFEST.sha256 is out of date")
    args = parser.parse_args(argv)
    if args.manifest:
        path = make_manifest()
        print(f"wrote {_shown(path)}: {len(read_manifest(path))} files")
        return 0
    problems = manifest_problems()
    for line in problems:
        print(line)
    if problems:
        print("run `python -m course_utils.results --manifest` (after checking that these files are "
              "the ones to ship)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
