# JupyterHub configuration for a class on one machine: `make hub` (see deploy/hub/README.md).
#
# Everything is set by environment variables, which `make hub` and `make hub-load` fill in:
#
#   HUB_USERS          the class list (one name per line, "admin" after an instructor's name)
#   HUB_PASSWORD       the shared password students type (>= 8 characters)
#   HUB_ADMIN_PASSWORD the instructors' password (>= 32 characters; unset: no admin can log in)
#   HUB_PORT           the port students open on 127.0.0.1 (default 8000); HUB_API_PORT and
#                      HUB_PROXY_API_PORT are the hub's and the proxy's own (default +1, +2)
#   HUB_STATE_DIR      database, cookie secret, logs (default build/hub/state)
#   HUB_HOMES          where each student's home is made (default build/hub/homes/NAME)
#   HUB_COURSE         the notebooks handed out (default notebooks/)
#   HUB_DATA           the shared read-only data folder (default build/hub/data, `make hub-data`)
#   HUB_PROFILE        COURSE_PROFILE for students (default "default", the lecture profile)
#   HUB_THREADS        torch/BLAS threads per student (default 1: see INSTRUCTORS.md, capacity)
#   HUB_MEM_LIMIT      memory per student, e.g. "1G" (advisory here: shown to the server as
#                      MEM_LIMIT; only Kubernetes or systemd enforce it)
#   HUB_CULL_TIMEOUT   stop a server idle this many seconds (default 3600); HUB_CULL_EVERY
#   HUB_ACTIVITY_INTERVAL  how often servers and the proxy report activity (default 300 s)
#   HUB_PROXY          the configurable-http-proxy executable (default build/hub/node_modules)
#
# The spawner is JupyterHub's SimpleLocalProcessSpawner: every student's server runs under the
# account that runs the hub, in its own home folder. That is right for a workshop on a machine
# you trust the class with, and for measuring capacity; it gives *no isolation* between
# students. For a real class use real accounts (The Littlest JupyterHub) or Kubernetes
# (deploy/kubernetes/): see deploy/hub/README.md.

import os
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
from course_home import prepare_home, read_class_list  # noqa: E402

c = get_config()  # noqa: F821  (provided by JupyterHub when it loads this file)


def setting(name: str, default: str) -> str:
    return os.environ.get(name) or default


def folder(name: str, default: Path) -> Path:
    return Path(setting(name, str(default))).resolve()


state = folder("HUB_STATE_DIR", REPO / "build" / "hub" / "state")
homes = folder("HUB_HOMES", REPO / "build" / "hub" / "homes")
course = folder("HUB_COURSE", REPO / "notebooks")
shared_data = folder("HUB_DATA", REPO / "build" / "hub" / "data")
state.mkdir(parents=True, exist_ok=True)
port = int(setting("HUB_PORT", "8000"))
api_port = int(setting("HUB_API_PORT", str(port + 1)))
proxy_api_port = int(setting("HUB_PROXY_API_PORT", str(port + 2)))
threads = setting("HUB_THREADS", "1")
bin_dir = Path(sys.executable).parent  # the course's .venv: students run the pinned environment


def secret_file(name: str, length: int) -> str:
    """A password kept in the state folder (made once, readable by the hub's account only)."""
    path = state / name
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(length)[:length] + "\n")
    return path.read_text().strip()


# --- who may log in: the class list and the shared-password authenticator -----------------------
students, admins = read_class_list(Path(setting("HUB_USERS", str(HERE / "users.example.txt"))))
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = setting("HUB_PASSWORD", "") or secret_file("password", 12)
if admins:
    c.SharedPasswordAuthenticator.admin_password = (setting("HUB_ADMIN_PASSWORD", "")
                                                    or secret_file("admin-password", 40))
c.Authenticator.allowed_users = set(students)
c.Authenticator.admin_users = set(admins)

# --- loopback only ---------------------------------------------------------------------------------
c.JupyterHub.bind_url = f"http://127.0.0.1:{port}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.command = [setting(
    "HUB_PROXY", str(REPO / "build" / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"))]
c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every student's server
c.JupyterHub.last_activity_interval = int(setting("HUB_ACTIVITY_INTERVAL", "300"))

# --- each student's server -----------------------------------------------------------------------
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(homes / "{username}")
c.Spawner.ip = "127.0.0.1"
c.Spawner.cmd = [str(bin_dir / "jupyterhub-singleuser")]
# Kernels talk to their server over Unix sockets, not TCP ports: all students share one network
# namespace here, and with TCP two kernels starting at once can pick the same free port (seen
# with 16 students: "Address already in use", the kernel dies). Sockets live in a short
# per-server runtime folder (a socket path must stay under 108 bytes).
c.Spawner.args = ["--KernelManager.transport=ipc"]
if hasattr(os, "geteuid") and os.geteuid() == 0:
    c.Spawner.args.append("--allow-root")  # servers run as the hub's account (see the note above)
c.Spawner.default_url = "/lab/tree/cnn-course/00_course_map.ipynb"
c.Spawner.start_timeout = 300  # a class logging in at once on a small machine queues for CPU
c.Spawner.http_timeout = 300
c.Spawner.mem_limit = os.environ.get("HUB_MEM_LIMIT") or None
c.Spawner.environment = {
    "COURSE_PROFILE": setting("HUB_PROFILE", "default"),
    "OMP_NUM_THREADS": threads,
    "MKL_NUM_THREADS": threads,
    "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
    "JUPYTERHUB_ACTIVITY_INTERVAL": setting("HUB_ACTIVITY_INTERVAL", "300"),
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}


def pre_spawn_hook(spawner) -> None:
    """Copy the course into the student's home (once), point it at the shared data and its own
    results (every start), and give the server a short private runtime folder for its kernels'
    sockets."""
    course_env = prepare_home(Path(spawner.home_dir), course, shared_data)
    spawner.course_runtime = tempfile.mkdtemp(prefix=f"cnn-hub-{spawner.user.name[:12]}-")
    spawner.environment = dict(spawner.environment, **course_env,
                               JUPYTER_RUNTIME_DIR=spawner.course_runtime)


def post_stop_hook(spawner) -> None:
    """Remove the runtime folder of a stopped server."""
    runtime = getattr(spawner, "course_runtime", None)
    if runtime:
        shutil.rmtree(runtime, ignore_errors=True)


c.Spawner.pre_spawn_hook = pre_spawn_hook
c.Spawner.post_stop_hook = post_stop_hook

# --- idle servers are culled ------------------------------------------------------------------
cull_timeout = int(setting("HUB_CULL_TIMEOUT", "3600"))
cull_every = int(setting("HUB_CULL_EVERY", str(max(1, min(300, cull_timeout // 2)))))
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                f"--timeout={cull_timeout}", f"--cull-every={cull_every}"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]

# A service token for `make hub-load` (it starts its own hub and must stop every server it
# started); never set by `make hub`.
if os.environ.get("HUB_LOAD_TOKEN"):
    c.JupyterHub.services.append({"name": "hub-load", "api_token": os.environ["HUB_LOAD_TOKEN"]})
    c.JupyterHub.load_roles.append({
        "name": "hub-load",
        "scopes": ["list:users", "read:users", "read:servers", "admin:server_state", "delete:servers"],
        "services": ["hub-load"],
    })
