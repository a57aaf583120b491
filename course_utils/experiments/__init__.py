"""The measured experiments that notebooks run live (small) and ``make results`` runs at scale.

Each experiment is a function ``run(profile: str) -> dict`` (JSON-ready numbers) in its own module,
registered below under the name its result file gets (``data/results/<name>-<profile>.json``).
"""

from __future__ import annotations

from typing import Callable

REGISTRY: dict[str, Callable[[str], dict]] = {}
"""Experiment name -> function of the profile; ``make results`` runs every entry."""
