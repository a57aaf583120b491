"""Run a command on a busy machine: burner processes keep every core loaded until it ends.

    python tools/busy.py [--burners N] -- COMMAND [ARGS...]

``make test-busy`` runs the notebook suite this way (issue 19): students run the course on laptops
doing other things and CI machines are shared, so every cell must pass its time budget with the
cores taken by something else. The burners (one per core by default; pure Python loops at the
same priority as the command) are stopped whatever happens: the command passes or fails, Ctrl-C,
``kill``. A burner also stops by itself if this script dies without cleaning up (it checks its
parent a hundred times a second). The exit status is the command's (130 after Ctrl-C).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time

BURNER = """
import os, sys
parent = int(sys.argv[1])
while os.getppid() == parent:       # stop when the script that started us is gone
    for _ in range(200_000):        # about 10 ms of pure CPU work
        pass
"""


def start_burners(n: int) -> list[subprocess.Popen]:
    return [subprocess.Popen([sys.executable, "-c", BURNER, str(os.getpid())]) for _ in range(n)]


def stop(processes: list[subprocess.Popen]) -> None:
    for p in processes:
        if p.poll() is None:
            p.terminate()
    for p in processes:
        try:
            p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def _exit_on_sigterm(signum, frame) -> None:
    raise SystemExit(128 + signum)  # runs the `finally` below, as Ctrl-C does


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--burners", type=int, default=os.cpu_count() or 2,
                        help="processes that keep a core busy each (default: one per core)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command to run, after --")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    burners: list[subprocess.Popen] = []
    job: subprocess.Popen | None = None
    try:
        burners = start_burners(args.burners)
        print(f"busy: {len(burners)} burner(s) loading the cores, pids {' '.join(str(b.pid) for b in burners)}; "
              f"load average {os.getloadavg()[0]:.1f}", flush=True)
        start = time.perf_counter()
        job = subprocess.Popen(command)
        status = job.wait()
        print(f"busy: the command ended with status {status} after {time.perf_counter() - start:.0f} s "
              f"(load average {os.getloadavg()[0]:.1f})", flush=True)
        return status
    except KeyboardInterrupt:
        return 130
    finally:
        stop(([job] if job else []) + burners)
        print(f"busy: burners stopped ({len(burners)})", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
