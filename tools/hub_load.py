"""A class logs in at once: N simulated students on the course's JupyterHub, measured.

    python tools/hub_load.py --students 4                      # what `make hub-load STUDENTS=4` runs
    python tools/hub_load.py --students 1 --cells 1 --cull 30  # the check in tests/test_hub.py

It starts its own JupyterHub with ``deploy/hub/jupyterhub_config.py`` (the one ``make hub`` runs)
on free ports of 127.0.0.1, in a temporary folder: a class list ``student001..N``, a random shared
password, a fresh shared read-only data folder. Then, for every student at the same moment, as a
browser would:

1. open the login page and submit the real login form (name, shared password, XSRF field);
2. follow the hub to the spawn and wait until the student's JupyterLab answers
   (**server start**: from submitting the form to JupyterLab answering);
3. open the lecture notebook from the student's copy (a kernel session, as JupyterLab does) and
   run its code cells in order over the kernel's websocket at ``--profile`` (**first output**:
   from opening the notebook to the kernel's first output; a cell that fails fails the run);
4. while all this runs, sample every student's server and kernel processes once a second
   (**memory per student**: the proportional set size, PSS, of the student's processes; shared
   library pages are split between the processes that map them, so N students' PSS adds up to
   what they cost the machine; RSS, which counts shared pages in full, is printed too).

Finally it stops every server and the hub it started (and any process of theirs still alive),
checks that the shared data folder did not change, and prints one line per student and the
summary, whose last line reads::

    hub-load: 4 students, server start p50 9.1 s p95 10.2 s, first output p50 3.0 s p95 3.4 s, peak memory per student 410 MB

With ``--cull SECONDS`` the hub's idle culler gets that timeout and the run waits, after the
notebooks, until the culler has stopped every server (a test that culling works).

Bounded: at most 64 students, refused when the machine has not the memory for them, and the whole
run is stopped after ``--timeout`` seconds. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests
import websocket

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "deploy" / "hub"))
from course_home import COURSE_FOLDER, make_shared_data  # noqa: E402

HOST = "127.0.0.1"
MAX_STUDENTS = 64
MB = 2**20
BUDGET_PER_STUDENT = 900 * MB  # refuse a run the machine cannot hold (measured peak ~0.5 GB)


class LoadError(RuntimeError):
    """A step of a simulated student failed; the message says which and what was seen."""


@dataclass
class Student:
    name: str
    server_start: float | None = None
    first_output: float | None = None
    notebook_seconds: float | None = None
    cells_run: int = 0
    peak_pss: int = 0
    peak_rss: int = 0
    pids: set[int] = field(default_factory=set)
    server_pid: int | None = None
    error: str | None = None


# --------------------------------------------------------------------------- small helpers

def free_ports(count: int) -> list[int]:
    """``count`` distinct free TCP ports on 127.0.0.1."""
    sockets, ports = [], []
    for _ in range(count):
        sock = socket.socket()
        sock.bind((HOST, 0))
        sockets.append(sock)
        ports.append(sock.getsockname()[1])
    for sock in sockets:
        sock.close()
    return ports


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by linear interpolation between closest ranks."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def mem_available() -> int:
    """Bytes the kernel says are available for new work (``MemAvailable``)."""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) * 1024
    raise OSError("no MemAvailable in /proc/meminfo")


def smaps_rollup(pid: int) -> tuple[int, int]:
    """``(pss, rss)`` of one process in bytes, from ``/proc/PID/smaps_rollup`` (cheap to read)."""
    pss = rss = 0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            pss = int(line.split()[1]) * 1024
        elif line.startswith("Rss:"):
            rss = int(line.split()[1]) * 1024
    return pss, rss


def descendants(pid: int) -> list[int]:
    """``pid`` and all its children, grandchildren, ... (from ``/proc``)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """``{relative path: (size, mtime_ns)}`` of every file below ``folder``."""
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --------------------------------------------------------------------------- the hub

class Hub:
    """A JupyterHub started from ``deploy/hub/jupyterhub_config.py`` in a temporary folder."""

    def __init__(self, work: Path, students: list[str], notebooks: Path, data: Path,
                 profile: str, threads: int, cull: int | None):
        self.work = work
        self.password = secrets.token_urlsafe(12)
        self.token = secrets.token_hex(32)
        self.port, api_port, proxy_port = free_ports(3)
        self.url = f"http://{HOST}:{self.port}"
        users = work / "users.txt"
        users.write_text("".join(f"{s}\n" for s in students))
        self.env = dict(
            os.environ, HUB_USERS=str(users), HUB_PASSWORD=self.password, HUB_LOAD_TOKEN=self.token,
            HUB_PORT=str(self.port), HUB_API_PORT=str(api_port), HUB_PROXY_API_PORT=str(proxy_port),
            HUB_STATE_DIR=str(work / "state"), HUB_HOMES=str(work / "homes"),
            HUB_COURSE=str(notebooks), HUB_DATA=str(data), HUB_PROFILE=profile,
            HUB_THREADS=str(threads), HUB_CULL_TIMEOUT=str(cull or 3600),
            HUB_ACTIVITY_INTERVAL="5" if cull else "300",
        )
        if cull:
            self.env["HUB_CULL_EVERY"] = str(max(2, cull // 4))
        for name in ("COURSE_DATA_DIR", "COURSE_PROFILE", "COURSE_STRICT_CHECKS", "COURSE_STATIC_WIDGETS",
                     "MPLBACKEND", "JUPYTERHUB_API_TOKEN", "HUB_LOCALE", "HUB_ADMIN_PASSWORD"):
            self.env.pop(name, None)  # the students' environment comes from the hub's config
        self.log_path = work / "hub.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 90) -> None:
        log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(ROOT / "deploy" / "hub" / "jupyterhub_config.py")],
            cwd=self.work, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise LoadError(f"JupyterHub exited with status {self.process.returncode}:\n{self.tail()}")
            try:
                if requests.get(f"{self.url}/hub/api/", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise LoadError(f"JupyterHub did not answer within {timeout:.0f} s:\n{self.tail()}")

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        return requests.request(method, f"{self.url}/hub/api{path}", timeout=30,
                                headers={"Authorization": f"token {self.token}"}, **kwargs)

    def server_pid(self, name: str) -> int | None:
        reply = self.api("GET", f"/users/{name}")
        server = reply.json().get("servers", {}).get("") if reply.ok else None
        return (server or {}).get("state", {}).get("pid") if server and server.get("ready") else None

    def running(self) -> list[str]:
        reply = self.api("GET", "/users")
        reply.raise_for_status()
        return sorted(u["name"] for u in reply.json() if u.get("servers"))

    def stop_servers(self, names: list[str], timeout: float = 60) -> None:
        for name in names:
            try:
                self.api("DELETE", f"/users/{name}/server")
            except requests.RequestException:
                pass
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if not self.running():
                    return
            except requests.RequestException:
                return
            time.sleep(0.5)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # JupyterHub stops its servers and the proxy
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def tail(self, lines: int = 25) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no hub log)"


# --------------------------------------------------------------------------- one student

def login(hub: Hub, student: Student) -> requests.Session:
    """Submit the real login form, then wait until the student's JupyterLab answers."""
    session = requests.Session()
    page = session.get(f"{hub.url}/hub/login", timeout=60)
    match = re.search(r'name="_xsrf"\s+value="([^"]+)"', page.text)
    if page.status_code != 200 or not match:
        raise LoadError(f"{student.name}: the login page has no form with an _xsrf field "
                        f"(HTTP {page.status_code})")
    start = time.perf_counter()
    reply = session.post(f"{hub.url}/hub/login?next=", timeout=300, allow_redirects=True,
                         data={"username": student.name, "password": hub.password,
                               "_xsrf": match.group(1)})
    if "/hub/login" in reply.url and "Invalid" in reply.text:
        raise LoadError(f"{student.name}: the hub refused the shared password")
    lab = f"{hub.url}/user/{student.name}/lab"
    deadline = time.monotonic() + 300
    while True:
        if reply.status_code == 200 and reply.url.split("?")[0] == lab:
            student.server_start = time.perf_counter() - start
            return session
        if time.monotonic() > deadline:
            raise LoadError(f"{student.name}: JupyterLab did not answer within 300 s "
                            f"(last page {reply.url}, HTTP {reply.status_code})")
        time.sleep(0.5)
        reply = session.get(lab, timeout=60)


def message(msg_type: str, content: dict, session_id: str) -> dict:
    return {"header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": session_id,
                       "username": "hub-load", "version": "5.3",
                       "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
            "parent_header": {}, "metadata": {}, "content": content, "channel": "shell",
            "buffers": []}


def run_notebook(hub: Hub, session: requests.Session, student: Student, notebook: Path,
                 cells: int | None, cell_timeout: float) -> None:
    """Open ``notebook`` from the student's copy and run its code cells over the kernel protocol."""
    base = f"{hub.url}/user/{student.name}"
    xsrf = session.cookies.get("_xsrf", path=f"/user/{student.name}/") or session.cookies.get("_xsrf")
    headers = {"X-XSRFToken": xsrf} if xsrf else {}
    sources = [("".join(c["source"]) if isinstance(c["source"], list) else c["source"])
               for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
               if c["cell_type"] == "code"]
    sources = sources[:cells] if cells else sources
    opened = time.perf_counter()
    reply = session.post(f"{base}/api/sessions", headers=headers, timeout=120, json={
        "path": f"{COURSE_FOLDER}/{notebook.name}", "name": notebook.name, "type": "notebook",
        "kernel": {"name": "python3"}})
    if reply.status_code not in (200, 201):
        raise LoadError(f"{student.name}: could not open {notebook.name} (HTTP {reply.status_code}: "
                        f"{reply.text[:200]})")
    kernel_id = reply.json()["kernel"]["id"]
    session_id = uuid.uuid4().hex
    cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
    ws = websocket.create_connection(
        f"ws://{HOST}:{hub.port}/user/{student.name}/api/kernels/{kernel_id}/channels?session_id={session_id}",
        cookie=cookie, header=[f"X-XSRFToken: {xsrf}"] if xsrf else [], timeout=cell_timeout)
    try:
        for number, source in enumerate(sources, start=1):
            request = message("execute_request", {"code": source, "silent": False, "store_history": True,
                                                  "user_expressions": {}, "allow_stdin": False,
                                                  "stop_on_error": True}, session_id)
            ws.send(json.dumps(request))
            msg_id, idle, replied = request["header"]["msg_id"], False, False
            deadline = time.monotonic() + cell_timeout
            while not (idle and replied):
                if time.monotonic() > deadline:
                    raise LoadError(f"{student.name}: cell {number} of {notebook.name} ran over "
                                    f"{cell_timeout:.0f} s")
                reply_msg = json.loads(ws.recv())
                if reply_msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = reply_msg["header"]["msg_type"]
                if kind in ("stream", "display_data", "execute_result", "error") and student.first_output is None:
                    student.first_output = time.perf_counter() - opened
                if kind == "error":
                    content = reply_msg["content"]
                    raise LoadError(f"{student.name}: cell {number} of {notebook.name} failed: "
                                    f"{content.get('ename')}: {content.get('evalue')}")
                if kind == "status" and reply_msg["content"].get("execution_state") == "idle":
                    idle = True
                if kind == "execute_reply":
                    replied = True
            student.cells_run = number
    finally:
        ws.close()
    student.notebook_seconds = time.perf_counter() - opened


def simulate(hub: Hub, student: Student, notebook: Path, cells: int | None, cell_timeout: float,
             go: threading.Event) -> None:
    go.wait()
    try:
        session = login(hub, student)
        student.server_pid = hub.server_pid(student.name)
        run_notebook(hub, session, student, notebook, cells, cell_timeout)
    except (LoadError, requests.RequestException, websocket.WebSocketException, OSError, KeyError,
            ValueError) as err:
        student.error = str(err) if isinstance(err, LoadError) else f"{student.name}: {type(err).__name__}: {err}"


def sample_memory(students: list[Student], stop: threading.Event, machine: dict) -> None:
    """Once a second: every student's server + kernel PSS/RSS, and the machine's used memory."""
    while not stop.wait(1.0):
        machine["peak_used"] = max(machine.get("peak_used", 0), machine["total"] - mem_available())
        for student in students:
            if student.server_pid is None:
                continue
            pss = rss = 0
            for pid in descendants(student.server_pid):
                try:
                    p, r = smaps_rollup(pid)
                except OSError:
                    continue  # the process ended between listing and reading
                student.pids.add(pid)
                pss, rss = pss + p, rss + r
            student.peak_pss = max(student.peak_pss, pss)
            student.peak_rss = max(student.peak_rss, rss)


def wait_for_cull(hub: Hub, names: list[str], cull: int, started: float) -> str:
    """Wait until the idle culler has stopped every server; returns a sentence, raises if not."""
    deadline = time.monotonic() + cull * 3 + 60
    while time.monotonic() < deadline:
        running = hub.running()
        if not running:
            log = hub.log_path.read_text(errors="replace")
            missed = [n for n in names if f"Culling server {n} " not in log]
            if missed:
                raise LoadError(f"the servers of {missed} stopped, but not by the idle culler")
            return (f"idle culler stopped every server {time.perf_counter() - started:.0f} s after "
                    f"the last cell (timeout {cull} s)")
        time.sleep(1)
    raise LoadError(f"the idle culler (timeout {cull} s) left {running} running")


def kill_leftovers(students: list[Student]) -> list[int]:
    """SIGKILL any process of a student's server that is still alive; returns their ids."""
    alive = []
    for pid in sorted({p for s in students for p in s.pids}):
        try:
            os.kill(pid, 0)
            status = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if status != "Z":
            alive.append(pid)
            os.kill(pid, signal.SIGKILL)
    return alive


# --------------------------------------------------------------------------- the run

def record(path: Path, figures: dict) -> None:
    """Add ``figures`` to the capacity file's ``runs``, replacing a run with the same students,
    notebook, cells, profile and threads (the file INSTRUCTORS.md and the Kubernetes limits use)."""
    key = ("students", "notebook", "cells", "profile", "threads")
    data = json.loads(path.read_text()) if path.exists() else {"runs": []}
    runs = [r for r in data["runs"] if tuple(r.get(k) for k in key) != tuple(figures[k] for k in key)]
    data["runs"] = sorted(runs + [figures], key=lambda r: (r["notebook"], r["students"]))
    path.write_text(json.dumps(data, indent=1) + "\n")

def summary(students: list[Student]) -> str:
    starts = [s.server_start for s in students if s.server_start is not None]
    firsts = [s.first_output for s in students if s.first_output is not None]
    pss = [s.peak_pss / MB for s in students if s.peak_pss]

    def p(values: list[float], q: int) -> str:
        return f"{percentile(values, q):.1f}" if values else "n/a"

    memory = f"{max(pss):.0f}" if pss else "n/a"
    return (f"hub-load: {len(students)} students, server start p50 {p(starts, 50)} s p95 {p(starts, 95)} s, "
            f"first output p50 {p(firsts, 50)} s p95 {p(firsts, 95)} s, peak memory per student {memory} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=4, help=f"how many (1..{MAX_STUDENTS})")
    parser.add_argument("--notebook", default="04_pooling_and_cnn.ipynb", help="the lecture notebook each runs")
    parser.add_argument("--cells", type=int, default=None, help="run only the first N code cells")
    parser.add_argument("--profile", default="default", help="COURSE_PROFILE of the students")
    parser.add_argument("--threads", type=int, default=1, help="OMP/MKL threads per student (the hub's default)")
    parser.add_argument("--cull", type=int, default=None,
                        help="idle-culler timeout in s; wait until it has stopped every server")
    parser.add_argument("--timeout", type=float, default=900, help="stop the whole run after this many s")
    parser.add_argument("--cell-timeout", type=float, default=300)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    parser.add_argument("--keep", type=Path, default=None, help="copy the hub's log and homes here")
    parser.add_argument("--record", type=Path, default=None,
                        help="add the figures of a passing run to this capacity file "
                             "(deploy/hub/capacity.json), replacing a run of the same size")
    args = parser.parse_args(argv)
    if not 1 <= args.students <= MAX_STUDENTS:
        parser.error(f"--students must be 1..{MAX_STUDENTS} (the run is bounded), not {args.students}")
    notebook = ROOT / "notebooks" / args.notebook
    if not notebook.exists():
        parser.error(f"{notebook} does not exist")
    need, have = args.students * BUDGET_PER_STUDENT + 2 * 2**30, mem_available()
    if have < need:
        print(f"hub-load: refused: {args.students} students need about {need / 2**30:.1f} GB "
              f"(0.9 GB each + 2 GB), this machine has {have / 2**30:.1f} GB available", file=sys.stderr)
        return 2
    proxy = ROOT / "build" / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"
    if not os.environ.get("HUB_PROXY") and not proxy.exists():
        print(f"hub-load: {proxy} is missing: run `make hub-proxy` (npm) first", file=sys.stderr)
        return 2

    names = [f"student{i:03d}" for i in range(1, args.students + 1)]
    students = [Student(n) for n in names]
    machine = {"total": int(Path("/proc/meminfo").read_text().split()[1]) * 1024}
    machine["baseline_used"] = machine["total"] - mem_available()
    load_before = os.getloadavg()[0]
    print(f"hub-load: {args.students} students, {args.notebook}"
          f"{f' (first {args.cells} code cells)' if args.cells else ''}, profile {args.profile}, "
          f"{args.threads} thread(s) each, {os.cpu_count()} cores, "
          f"{machine['total'] / 2**30:.0f} GB, load average {os.getloadavg()[0]:.1f} before the start")
    work = Path(tempfile.mkdtemp(prefix="course-hub-load-"))
    data = make_shared_data(work / "shared-data", ROOT / "data" / "results", ROOT / "data" / "cache")
    before = snapshot(data)
    hub = Hub(work, names, ROOT / "notebooks", data, args.profile, args.threads, args.cull)
    failures: list[str] = []
    stop_sampling = threading.Event()
    sampler = threading.Thread(target=sample_memory, args=(students, stop_sampling, machine), daemon=True)
    try:
        hub.start()
        go = threading.Event()
        threads = [threading.Thread(target=simulate, daemon=True,
                                    args=(hub, s, notebook, args.cells, args.cell_timeout, go))
                   for s in students]
        for thread in threads:
            thread.start()
        sampler.start()
        began = time.perf_counter()
        go.set()  # everybody submits the login form at the same moment
        for thread in threads:
            thread.join(timeout=max(1.0, args.timeout - (time.perf_counter() - began)))
        if any(t.is_alive() for t in threads):
            failures.append(f"the run was stopped after --timeout {args.timeout:.0f} s")
        failures += [s.error for s in students if s.error]
        if args.cull and not failures:
            print("  " + wait_for_cull(hub, names, args.cull, time.perf_counter()))
    except (LoadError, requests.RequestException) as err:
        failures.append(str(err))
    finally:
        stop_sampling.set()
        try:
            hub.stop_servers(names)
        except requests.RequestException:
            pass
        hub.stop()
        leftovers = kill_leftovers(students)
        if leftovers:
            failures.append(f"processes {leftovers} outlived the hub and were killed")
        if args.keep:
            shutil.copytree(work, args.keep, dirs_exist_ok=True, symlinks=True,
                            ignore=shutil.ignore_patterns("shared-data"))
    if snapshot(data) != before:
        failures.append(f"the shared data folder {data} was changed by the students' servers")
    log_tail = hub.tail()
    for path in [*data.rglob("*"), data]:
        path.chmod(0o755)
    shutil.rmtree(work, ignore_errors=True)

    for s in students:
        if s.server_start is not None:
            print(f"  {s.name}: server start {s.server_start:.1f} s, first output "
                  f"{'n/a' if s.first_output is None else f'{s.first_output:.1f} s'}, "
                  f"{s.cells_run} cells in {'n/a' if s.notebook_seconds is None else f'{s.notebook_seconds:.1f} s'}, "
                  f"peak PSS {s.peak_pss / MB:.0f} MB (RSS {s.peak_rss / MB:.0f} MB)")
    extra = (machine.get("peak_used", machine["baseline_used"]) - machine["baseline_used"]) / MB
    print(f"  machine: used memory rose by {extra:.0f} MB at the peak ({extra / len(students):.0f} MB "
          f"per student, hub and proxy included)")
    figures = {
        "students": args.students, "notebook": args.notebook, "cells": args.cells, "profile": args.profile,
        "threads": args.threads, "cores": os.cpu_count(), "memory_gb": round(machine["total"] / 2**30, 1),
        "server_start_s": [round(s.server_start, 2) for s in students if s.server_start is not None],
        "first_output_s": [round(s.first_output, 2) for s in students if s.first_output is not None],
        "notebook_s": [round(s.notebook_seconds, 2) for s in students if s.notebook_seconds is not None],
        "peak_pss_mb": [round(s.peak_pss / MB) for s in students],
        "peak_rss_mb": [round(s.peak_rss / MB) for s in students],
        "machine_rise_mb": round(extra), "failures": failures, "load_before": round(load_before, 2),
        "date": time.strftime("%Y-%m-%d"),
    }
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=1) + "\n")
    if args.record and not failures:
        record(args.record, figures)
    if failures:
        print("hub-load FAILED:\n  " + "\n  ".join(failures[:10]), file=sys.stderr)
        print(f"  JupyterHub log (last lines):\n{log_tail}", file=sys.stderr)
        return 1
    print(summary(students))
    return 0


if __name__ == "__main__":
    sys.exit(main())
