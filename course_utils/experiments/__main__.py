"""``python -m course_utils.experiments [--profile full] [NAME ...]``: run experiments, store results.

This is what ``make results`` calls. Each result is written with its provenance (command, profile,
device, seconds, commit) to ``data/results/<name>-<profile>.json``.
"""

from __future__ import annotations

import argparse
import time

from ..results import save_result
from ..runtime import PROFILES, seed_everything
from . import REGISTRY


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", help=f"experiments to run (default: all of {sorted(REGISTRY)})")
    parser.add_argument("--profile", default="full", choices=PROFILES)
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in REGISTRY]
    if unknown:
        parser.error(f"unknown experiment(s) {unknown}; known: {sorted(REGISTRY)}")
    for name in args.names or sorted(REGISTRY):
        seed_everything(0)
        print(f"== {name} (profile {args.profile})", flush=True)
        start = time.perf_counter()
        data = REGISTRY[name](args.profile)
        path = save_result(name, data, seconds=time.perf_counter() - start, profile=args.profile,
                           command=f"make results EXPERIMENTS={name} RESULTS_PROFILE={args.profile}")
        print(f"   wrote {path} in {time.perf_counter() - start:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
