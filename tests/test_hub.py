"""The course on JupyterHub (deploy/hub/, tools/hub_load.py, deploy/kubernetes/).

The last test is the hub itself, end to end and small: one simulated student logs in through the
real login form, gets a server, runs the first cell of the course map over the kernel protocol,
and the idle culler then stops the server. `make hub-load STUDENTS=N` is the same tool at size.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from traitlets.config import Config

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "deploy" / "hub"))
sys.path.insert(0, str(ROOT / "tools"))

import course_home  # noqa: E402
import hub_load  # noqa: E402

PROXY = ROOT / "build" / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"
SUMMARY = re.compile(r"^hub-load: (\d+) students, server start p50 ([\d.]+) s p95 ([\d.]+) s, "
                     r"first output p50 ([\d.]+) s p95 ([\d.]+) s, peak memory per student (\d+) MB$")


# --------------------------------------------------------------------------- the class list

def test_class_list_reads_students_and_admins(tmp_path):
    users = tmp_path / "users.txt"
    users.write_text("# a class\nteacher admin\nkim.minji\n\nlee_2  # comment\n")
    assert course_home.read_class_list(users) == (["kim.minji", "lee_2"], ["teacher"])


@pytest.mark.parametrize("text, words", [
    ("Kim\n", "not a valid user name"),
    ("kim\nkim\n", "listed twice"),
    ("kim teacher\n", "only 'admin'"),
    ("# nobody\n", "no user names"),
])
def test_class_list_names_the_bad_line(tmp_path, text, words):
    users = tmp_path / "users.txt"
    users.write_text(text)
    with pytest.raises(course_home.ClassListError, match=words):
        course_home.read_class_list(users)


def test_the_example_class_list_is_valid():
    students, admins = course_home.read_class_list(ROOT / "deploy" / "hub" / "users.example.txt")
    assert students and admins == ["teacher"]


# --------------------------------------------------------------------------- a student's home

@pytest.fixture
def shared(tmp_path):
    """A small shared data folder: one result, and a cache (read-only like the real one)."""
    folder = tmp_path / "shared"
    (folder / "results").mkdir(parents=True)
    (folder / "cache").mkdir()
    for split in ("train", "test"):
        (folder / "cache" / f"fashion-mnist-{split}-images.npy").write_bytes(b"")
    (folder / "results" / "demo-default.json").write_text('{"shipped": true}')
    yield folder
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755)


def test_course_copy_never_overwrites_a_students_work(tmp_path):
    course = tmp_path / "course"
    course.mkdir()
    (course / "00_map.ipynb").write_text("teacher's")
    home = tmp_path / "home"
    assert course_home.copy_course(home, course) == ["00_map.ipynb"]
    (home / course_home.COURSE_FOLDER / "00_map.ipynb").write_text("student's answer")
    (course / "01_new.ipynb").write_text("a new lecture")
    assert course_home.copy_course(home, course) == ["01_new.ipynb"]
    assert (home / course_home.COURSE_FOLDER / "00_map.ipynb").read_text() == "student's answer"


def test_retraining_replaces_the_students_link_not_the_shared_result(tmp_path, shared, monkeypatch):
    from course_utils.results import load_result, save_result

    env = course_home.prepare_home(tmp_path / "home", tmp_path, shared)
    assert env["COURSE_DATA_DIR"] == str(shared.resolve())  # the data set: read in place
    for path in [shared, *shared.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    save_result("demo", "default", {"mine": 1}, settings={}, seconds=1.0)
    assert load_result("demo", "default").data == {"mine": 1}
    assert json.loads((shared / "results" / "demo-default.json").read_text()) == {"shipped": True}
    course_home.link_results(tmp_path / "home", shared)  # the next start keeps the student's own file
    assert load_result("demo", "default").data == {"mine": 1}


def test_locale_is_set_once_and_the_students_choice_wins(tmp_path):
    course_home.set_locale(tmp_path, "ko_KR")
    setting = tmp_path / course_home.LOCALE_SETTING
    assert json.loads(setting.read_text()) == {"locale": "ko_KR"}
    setting.write_text('{"locale": "en"}')
    course_home.set_locale(tmp_path, "ko_KR")
    assert json.loads(setting.read_text()) == {"locale": "en"}


def test_missing_shared_cache_names_the_fix(tmp_path):
    with pytest.raises(FileNotFoundError, match="make hub-data"):
        course_home.link_results(tmp_path / "home", tmp_path / "nowhere")


# --------------------------------------------------------------------------- the hub's config

def load_hub_config(monkeypatch, tmp_path, **env) -> Config:
    for name, value in dict(HUB_STATE_DIR=str(tmp_path / "state"), HUB_PASSWORD="a-password", **env).items():
        monkeypatch.setenv(name, value)
    config = Config()
    source = (ROOT / "deploy" / "hub" / "jupyterhub_config.py").read_text()
    exec(compile(source, "jupyterhub_config.py", "exec"), {"get_config": lambda: config, "__file__":
                                                          str(ROOT / "deploy" / "hub" / "jupyterhub_config.py")})
    return config


def test_hub_config_is_loopback_shared_password_and_culled(monkeypatch, tmp_path):
    c = load_hub_config(monkeypatch, tmp_path, HUB_PORT="8123")
    assert c.JupyterHub.bind_url == "http://127.0.0.1:8123"
    assert c.JupyterHub.hub_bind_url.startswith("http://127.0.0.1:")
    assert c.ConfigurableHTTPProxy.api_url.startswith("http://127.0.0.1:")
    assert c.Spawner.ip == "127.0.0.1"
    assert "--KernelManager.transport=ipc" in c.Spawner.args  # no TCP port races between kernels
    assert c.JupyterHub.authenticator_class == "shared-password"
    assert c.Authenticator.allowed_users == {"student01", "student02", "student03"}
    assert c.Authenticator.admin_users == {"teacher"}
    assert len(c.SharedPasswordAuthenticator.admin_password) >= 32  # made once, kept in the state folder
    assert c.Spawner.environment["COURSE_PROFILE"] == "default"
    assert c.Spawner.default_url.endswith("/00_course_map.ipynb")
    culler = [s for s in c.JupyterHub.services if s["name"] == "idle-culler"]
    assert culler and "--timeout=3600" in culler[0]["command"]
    assert all(s["name"] != "hub-load" for s in c.JupyterHub.services)  # no load-test token by default


# --------------------------------------------------------------------------- the load tool

def test_percentile():
    assert hub_load.percentile([3.0], 95) == 3.0
    assert hub_load.percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert hub_load.percentile(list(map(float, range(101))), 95) == 95.0


def test_summary_line_has_the_promised_form():
    students = [hub_load.Student("a", server_start=8.0, first_output=3.0, peak_pss=400 * hub_load.MB),
                hub_load.Student("b", server_start=10.0, first_output=5.0, peak_pss=420 * hub_load.MB)]
    match = SUMMARY.match(hub_load.summary(students))
    assert match and match.groups() == ("2", "9.0", "9.9", "4.0", "4.9", "420")


def test_the_run_is_bounded(capsys):
    with pytest.raises(SystemExit):
        hub_load.main(["--students", str(hub_load.MAX_STUDENTS + 1)])
    assert "bounded" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.skipif(not PROXY.exists(), reason="configurable-http-proxy missing: `make hub-proxy` (make test does it)")
def test_one_student_logs_in_runs_a_cell_and_is_culled():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COURSE_", "HUB_"))}
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "hub_load.py"), "--students", "1",
                          "--notebook", "00_course_map.ipynb", "--cells", "1", "--cull", "30",
                          "--timeout", "240"],
                         capture_output=True, text=True, timeout=420, env=env, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.strip().splitlines()
    assert SUMMARY.match(lines[-1]), lines[-1]
    assert any("idle culler stopped every server" in line for line in lines), run.stdout
    assert "1 cells in" in run.stdout


# --------------------------------------------------------------------------- Zero to JupyterHub

def k8s_config() -> dict:
    return yaml.safe_load((ROOT / "deploy" / "kubernetes" / "config.yaml").read_text(encoding="utf-8"))


def to_mb(quantity: str) -> float:
    """A Kubernetes/KubeSpawner memory quantity ("1G", "512M", "2Gi") in MB (2**20 bytes)."""
    number, unit = re.fullmatch(r"([\d.]+)\s*([KMGT]i?)?", str(quantity)).groups()
    powers = {"K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40}
    return float(number) * powers.get(unit or "", 1) / 2**20


def lecture_runs() -> list[dict]:
    runs = json.loads((ROOT / "deploy" / "hub" / "capacity.json").read_text(encoding="utf-8"))["runs"]
    return [r for r in runs if r["profile"] == "default" and not r["failures"]]


def test_kubernetes_memory_and_cpu_cover_the_measured_lecture():
    single = k8s_config()["singleuser"]
    runs = lecture_runs()
    assert runs, "deploy/hub/capacity.json holds no lecture run"
    peak_rss = max(max(r["peak_rss_mb"]) for r in runs)  # in a pod nothing is shared: RSS counts
    assert to_mb(single["memory"]["guarantee"]) >= peak_rss
    assert to_mb(single["memory"]["limit"]) >= 2 * peak_rss  # room for a RETRAIN cell
    threads = {r["threads"] for r in runs}
    assert threads == {int(single["extraEnv"]["OMP_NUM_THREADS"])}  # measured as configured
    assert float(single["cpu"]["limit"]) >= max(threads)
    assert single["extraEnv"]["COURSE_PROFILE"] == "default"
    assert k8s_config()["cull"]["enabled"] is True


def test_kubernetes_start_hook_runs_as_written(tmp_path):
    """The postStart command, with the image's paths mapped onto this checkout, prepares a home."""
    command = k8s_config()["singleuser"]["lifecycleHooks"]["postStart"]["exec"]["command"]
    shared = course_home.make_shared_data(tmp_path / "data", ROOT / "data" / "results", ROOT / "data" / "cache")
    mapping = {"/srv/cnn-course/data": str(shared), "/home/jovyan": str(tmp_path / "jovyan"),
               "/srv/cnn-course": str(ROOT)}
    argv = []
    for word in command:
        for image_path, here in mapping.items():
            word = word.replace(image_path, here)
        argv.append(word)
    assert argv[0] == "python"
    try:
        run = subprocess.run([sys.executable, *argv[1:]], capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        home = tmp_path / "jovyan"
        assert (home / course_home.COURSE_FOLDER / "00_course_map.ipynb").exists()
        extra_env = k8s_config()["singleuser"]["extraEnv"]
        assert extra_env["COURSE_DATA_DIR"] == "/srv/cnn-course/data"  # the image's shared folder
        results = Path(extra_env["COURSE_RESULTS_DIR"].replace("/home/jovyan", str(home)))
        linked = sorted(p.name for p in results.iterdir())
        assert linked and linked == sorted(p.name for p in (shared / "results").iterdir())
        assert k8s_config()["singleuser"]["defaultUrl"] == "/lab/tree/cnn-course/00_course_map.ipynb"
    finally:
        for path in [shared, *shared.rglob("*")]:
            path.chmod(0o755)


def test_instructors_capacity_table_is_the_recorded_runs():
    """Every row of the capacity table in INSTRUCTORS.md is computed from deploy/hub/capacity.json."""
    text = (ROOT / "INSTRUCTORS.md").read_text(encoding="utf-8")
    section = text.split("### How many students one machine holds", 1)[1]
    rows = re.findall(r"^\| (\d+) \| ([\d.]+) / ([\d.]+) s \| ([\d.]+) / ([\d.]+) s \| ([\d.]+) / ([\d.]+) s "
                      r"\| (\d+) / (\d+) MB; (\d+) MB \|$", section, flags=re.M)
    runs = {r["students"]: r for r in lecture_runs()
            if r["notebook"] == "03_pooling_and_cnn.ipynb" and r["cells"] is None}
    assert len(rows) >= 4 and {int(r[0]) for r in rows} <= set(runs)
    p = hub_load.percentile
    for row in rows:
        run = runs[int(row[0])]
        want = [f"{v:.1f}" for key in ("server_start_s", "first_output_s", "notebook_s")
                for v in (p(run[key], 50), p(run[key], 95))]
        pss = sorted(run["peak_pss_mb"])
        want += [str(round(p(pss, 50))), str(max(pss)), str(max(run["peak_rss_mb"]))]
        assert list(row[1:]) == want, f"INSTRUCTORS.md row for {row[0]} students: {row[1:]} != {want}"
