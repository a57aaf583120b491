"""``python -m course_utils.experiments [--profile default] [NAME ...]``: run experiments, store results.

This is what ``make results`` calls. ``--profile`` also takes an experiment's named variant (for
example ``--profile cpu degradation``, the largest degradation run one CPU core made). Each result
is written with its settings and provenance to ``data/results/<name>-<profile>.json``; an
experiment without settings for that profile or variant is skipped with a note.
"""

from __future__ import annotations

import argparse
import time

from ..results import ship
from . import NAMES, experiment, run_and_store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", help=f"experiments to run (default: all of {', '.join(NAMES)})")
    parser.add_argument("--profile", default="full", help="a profile (ci, default, full) or a variant")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in NAMES]
    if unknown:
        parser.error(f"unknown experiment(s) {unknown}; known: {', '.join(NAMES)}")
    for name in args.names or NAMES:
        if args.profile not in experiment(name).settings:
            print(f"== {name}: no settings {args.profile!r}, skipped", flush=True)
            continue
        print(f"== {name} (profile {args.profile})", flush=True)
        start = time.perf_counter()
        result = run_and_store(name, args.profile,
                               command=f"make results EXPERIMENTS={name} RESULTS_PROFILE={args.profile}")
        ship(result)  # the files `make results` stores are the shipped ones: enter them in the manifest
        print(f"   done in {time.perf_counter() - start:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
