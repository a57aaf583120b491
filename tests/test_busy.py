"""tools/busy.py (``make test-busy``): the burners load the cores and are always stopped."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

BUSY = Path(__file__).resolve().parents[1] / "tools" / "busy.py"
pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")

CPU_OF_SIBLINGS = """
import os, time
me, parent = os.getpid(), os.getppid()
def cpu(pid):  # user + system seconds
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
siblings = [int(p) for p in open(f"/proc/{parent}/task/{parent}/children").read().split() if int(p) != me]
before = {p: cpu(p) for p in siblings}
deadline = time.monotonic() + 30  # a loaded machine gives the burners less of a core: wait for them
while min(cpu(p) - before[p] for p in siblings) < 0.3 and time.monotonic() < deadline:
    time.sleep(0.1)
print("cpu seconds:", *[cpu(p) - before[p] for p in siblings])
"""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie has stopped; only its exit status waits to be read


def burner_pids(output: str) -> list[int]:
    return [int(p) for p in re.search(r"pids ([\d ]+);", output).group(1).split()]


def wait_until_gone(pids: list[int], seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(alive(p) for p in pids):
            return True
        time.sleep(0.05)
    return False


def test_burners_load_the_cores_while_the_command_runs():
    out = subprocess.run([sys.executable, str(BUSY), "--burners", "2", "--", sys.executable, "-c",
                          CPU_OF_SIBLINGS], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    used = [float(s) for s in out.stdout.split("cpu seconds:")[1].split("\n")[0].split()]
    assert len(used) == 2 and all(s >= 0.3 for s in used), used  # each burner really computes
    assert "burners stopped (2)" in out.stdout
    assert not any(alive(p) for p in burner_pids(out.stdout))


def test_a_failing_command_gives_its_status_and_stops_the_burners():
    out = subprocess.run([sys.executable, str(BUSY), "--", sys.executable, "-c", "raise SystemExit(3)"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 3
    assert "ended with status 3" in out.stdout and "burners stopped" in out.stdout
    assert not any(alive(p) for p in burner_pids(out.stdout))


@pytest.mark.parametrize("sig, status", [(signal.SIGINT, 130), (signal.SIGTERM, 128 + signal.SIGTERM)])
def test_ctrl_c_or_kill_stops_burners_and_command(sig, status, tmp_path):
    marker = tmp_path / "command-finished"
    proc = subprocess.Popen([sys.executable, str(BUSY), "--burners", "2", "--", sys.executable, "-c",
                             f"import time; time.sleep(30); open({str(marker)!r}, 'w')"],
                            stdout=subprocess.PIPE, text=True, start_new_session=True)
    first = proc.stdout.readline()
    time.sleep(0.5)
    # Ctrl-C reaches the whole foreground group (script, burners, command); kill only the script.
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    rest = proc.communicate(timeout=30)[0]
    assert proc.returncode == status
    assert "burners stopped" in rest
    assert wait_until_gone(burner_pids(first))
    assert not marker.exists()  # the command was stopped too


def test_burners_stop_by_themselves_if_the_script_is_killed_hard():
    proc = subprocess.Popen([sys.executable, str(BUSY), "--burners", "2", "--", "sleep", "30"],
                            stdout=subprocess.PIPE, text=True, start_new_session=True)
    pids = burner_pids(proc.stdout.readline())
    proc.kill()  # SIGKILL: no clean-up code runs
    proc.wait()
    try:
        assert wait_until_gone(pids)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # the orphaned `sleep`, in the group this test made


def test_no_command_is_an_error():
    out = subprocess.run([sys.executable, str(BUSY)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "give the command" in out.stderr
