"""Experiment results that a lecture can replay instantly, with where they came from.

A result is a JSON file ``data/results/<name>-<profile>.json``::

    {"name": "degradation", "profile": "full",
     "data": {... the experiment's numbers ...},
     "provenance": {"command": "make results", "profile": "full", "device": "cuda - NVIDIA H100",
                    "seconds": 812.4, "commit": "3f2c1ab", "torch": "2.13.0", "created": "..."}}

``make results`` (``python -m course_utils.experiments``) writes them; notebooks read them with
:func:`load_result` or :func:`cached`: "load the shipped result if there is one, else run it".
Only JSON is read back (no pickle), and model weights go through
``torch.load(..., weights_only=True)``, so opening a result file cannot run code.
"""

from __future__ import annotations

import datetime as _dt
import json
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import torch

from .data import data_dir
from .files import atomic_write
from .runtime import current_profile, device


@dataclass(frozen=True)
class Result:
    """A loaded result: the experiment's ``data`` and the ``provenance`` of the run that made it."""

    name: str
    profile: str
    data: dict[str, Any]
    provenance: dict[str, Any]

    def describe(self) -> str:
        """One line for a figure caption: profile, device, time, commit and date."""
        p = self.provenance
        minutes = float(p.get("seconds", 0)) / 60
        return (f"{self.name}: profile '{self.profile}', made on {p.get('device', '?')} in "
                f"{minutes:.1f} min, commit {p.get('commit', '?')}, {str(p.get('created', '?'))[:10]}")


def results_dir() -> Path:
    """``data/results`` (or ``$COURSE_DATA_DIR/results``)."""
    return data_dir() / "results"


def result_path(name: str, profile: str) -> Path:
    """Where the result ``name`` made at ``profile`` lives."""
    for part, value in (("name", name), ("profile", profile)):
        if not value or not value.replace("_", "").replace("-", "").isalnum():
            raise ValueError(f"result {part}s use letters, digits, '-' and '_' only, not {value!r}")
    return results_dir() / f"{name}-{profile}.json"


def _commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                             cwd=Path(__file__).resolve().parent, timeout=5)
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def provenance(seconds: float, profile: str, command: str | None = None) -> dict[str, Any]:
    """Where, how and when a result was made."""
    dev = device()
    where = dev.type
    if dev.type == "cuda":
        where += " - " + torch.cuda.get_device_name(dev)
    elif dev.type == "cpu":
        where += f" - {platform.processor() or platform.machine()}, {torch.get_num_threads()} threads"
    return {
        "command": command or " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        "profile": profile,
        "device": where,
        "seconds": round(seconds, 2),
        "commit": _commit(),
        "torch": torch.__version__,
        "python": platform.python_version(),
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    }


def save_result(name: str, data: dict[str, Any], *, seconds: float, profile: str | None = None,
                command: str | None = None) -> Path:
    """Write ``data`` (JSON-serialisable) with its provenance; returns the file's path."""
    prof = profile or current_profile()
    record = {"name": name, "profile": prof, "data": data,
              "provenance": provenance(seconds, prof, command)}
    path = result_path(name, prof)
    with atomic_write(path) as f:
        f.write(json.dumps(record, indent=1, sort_keys=True).encode("utf-8"))
    return path


def load_result(name: str, profile: str | None = None) -> Result | None:
    """The stored result ``name`` at ``profile`` (default: the active one), or ``None`` if absent.

    Raises:
        ValueError: the file exists but is not a result (the message names the file to delete).
    """
    prof = profile or current_profile()
    path = result_path(name, prof)
    if not path.exists():
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        return Result(record["name"], record["profile"], record["data"], record["provenance"])
    except (json.JSONDecodeError, KeyError, TypeError) as err:
        raise ValueError(f"{path} is not a valid result file ({err}); delete it and run "
                         f"`make results` to make it again.") from err


def cached(name: str, run: Callable[[], dict[str, Any]], *, retrain: bool = False,
           profile: str | None = None, save: bool = True) -> Result:
    """Load result ``name`` if stored (and ``retrain`` is False), else call ``run()`` and store it.

    This is the lecture switch: ``cached("degradation", lambda: degradation(), retrain=RETRAIN)``.
    At the ``ci`` profile ``run()`` is always called (a test must exercise the code, not replay a
    file a previous test run left behind); ``*-ci`` files are git-ignored.
    """
    prof = profile or current_profile()
    found = None if retrain or prof == "ci" else load_result(name, prof)
    if found is not None:
        return found
    start = time.perf_counter()
    data = run()
    seconds = time.perf_counter() - start
    if save:
        save_result(name, data, seconds=seconds, profile=prof)
    return Result(name, prof, data, provenance(seconds, prof))


def weights_path(name: str, profile: str | None = None) -> Path:
    """Where the weights of model ``name`` made at ``profile`` live (next to its result)."""
    return result_path(name, profile or current_profile()).with_suffix(".pt")


def save_weights(model: torch.nn.Module, name: str, profile: str | None = None) -> Path:
    """Save ``model.state_dict()`` atomically; returns the path."""
    path = weights_path(name, profile)
    with atomic_write(path) as f:
        torch.save({k: v.detach().cpu() for k, v in model.state_dict().items()}, f)
    return path


def load_weights(model: torch.nn.Module, name: str, profile: str | None = None) -> bool:
    """Load stored weights into ``model`` (tensors only: ``weights_only=True``).

    Returns False if none are stored; raises ``ValueError`` if they do not fit the model.
    """
    path = weights_path(name, profile)
    if not path.exists():
        return False
    state = torch.load(path, map_location="cpu", weights_only=True)
    try:
        model.load_state_dict(state)
    except RuntimeError as err:
        raise ValueError(f"{path} does not fit this model ({err}); delete it or retrain.") from err
    return True
