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
"""

from __future__ import annotations

import datetime as _dt
import json
import platform
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
        "dirty": bool(_git("status", "--porcelain", "--", "course_utils")),
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
    with atomic_write(path) as f:
        f.write(json.dumps(record, indent=1, sort_keys=True).encode("utf-8"))
    return path


def load_result(name: str, key: str) -> Result | None:
    """The stored result ``name`` at ``key``, or ``None`` if there is none.

    Raises:
        ValueError: the file exists but is not a result (the message names the file).
    """
    path = result_path(name, key)
    if not path.exists():
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        return Result(record["name"], record["profile"], record["data"], record["provenance"],
                      record.get("settings", {}))
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError) as err:
        raise ValueError(f"{path} is not a valid result file ({err}); restore it with "
                         f"`git checkout -- {path}` or make it again.") from err


def save_weights(model: nn.Module, name: str, key: str, model_name: str) -> Path:
    """Save ``model.state_dict()`` (on the CPU) atomically; returns the path."""
    path = weights_path(name, key, model_name)
    with atomic_write(path) as f:
        torch.save({k: v.detach().cpu() for k, v in model.state_dict().items()}, f)
    return path


def load_weights(model: nn.Module, name: str, key: str, model_name: str) -> nn.Module:
    """Load stored weights into ``model`` (tensors only: ``weights_only=True``); returns it.

    Raises:
        FileNotFoundError: no weights are stored; ValueError: they do not fit the model.
    """
    path = weights_path(name, key, model_name)
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: the result {name}-{key} was stored without "
                                f"the weights of {model_name!r}; make it again.")
    state = torch.load(path, map_location="cpu", weights_only=True)
    try:
        model.load_state_dict(state)
    except RuntimeError as err:
        raise ValueError(f"{path} does not fit this model ({err}); make the result again.") from err
    return model
