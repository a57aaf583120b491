"""The course in a real browser: JupyterLab + headless Chromium, driven by Playwright.

    python tools/browser_test.py                      # what `make test-browser` runs
    python tools/browser_test.py --notebook path/to/02_stride_padding.ipynb --headed-screenshots build/browser

What it does, as a student and an instructor would:

1. start JupyterLab on 127.0.0.1 (a free port, a random token) in a temporary folder holding a
   copy of the notebooks (so nothing is ever saved into the checkout), with ``COURSE_PROFILE=ci``
   and live widgets (``COURSE_STATIC_WIDGETS=0``);
2. open ``02_stride_padding.ipynb`` in Debian's Chromium, run all cells, and check that no cell
   failed;
3. find the sliding-window explorer (sliders ``W``, ``K``, ``S``, ``P`` and a status line
   ``output size = ... = N``), check N against ``floor((W + 2P - K) / S) + 1``, press the arrow
   key on the focused ``S`` slider handle, and check that the status line follows the new stride;
4. open a notebook as RISE slides (``/rise/<path>``) and move to the next slide;
5. check that the browser asked nothing of the network beyond the local server;
6. JupyterLab in Korean: start a second JupyterLab with the Korean switch of ``make lab LANG=ko``
   (``deploy/lab-language/ko.json`` merged into the settings overrides), check that the menu bar
   reads 파일 편집 보기 ..., and that Chromium draws those labels with a font that has Korean
   glyphs (the platform font it used, asked over the DevTools protocol, must be one that
   fontconfig lists for Korean, such as Debian's fonts-nanum, not a fallback drawing empty
   boxes); screenshot ``korean_menu.png``.

Screenshots go to ``--out`` (``build/browser/``). The exit status is 0 on success, 1 on a failed
check; a missing Chromium is reported as skipped (exit 0) with the reason, never hidden.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-dev-shm-usage"]  # containers often have a tiny /dev/shm
STATUS_PREFIX = "output size = "


class CheckFailed(Exception):
    """A browser check that did not hold; the message says what was seen."""


def expected_output_size(w: int, k: int, s: int, p: int) -> int:
    """The sliding-window formula the explorer must show: floor((W + 2P - K) / S) + 1."""
    return (w + 2 * p - k) // s + 1


def shown_output_size(status: str) -> int | None:
    """The integer at the end of the ``output size = ...`` line of a status text, if any."""
    for line in status.splitlines():
        if STATUS_PREFIX in line:
            match = re.search(r"=\s*(-?\d+)\s*$", line.strip())
            return int(match.group(1)) if match else None
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_lab(root: Path, port: int, token: str, home: Path,
              extra_args: tuple[str, ...] = ()) -> subprocess.Popen:
    """JupyterLab serving ``root`` with live widgets at the CI profile; returns the process."""
    settings = home / "settings" / "@jupyterlab"
    for plugin, text in [("docmanager-extension/plugin", '{"autosave": false}'),
                         ("apputils-extension/notification",
                          '{"fetchNews": "false", "checkForUpdates": false}')]:
        (settings / plugin).parent.mkdir(parents=True, exist_ok=True)
        (settings / f"{plugin}.jupyterlab-settings").write_text(text)
    env = dict(os.environ, COURSE_PROFILE="ci", COURSE_STATIC_WIDGETS="0", COURSE_QUIET="1",
               COURSE_STRICT_CHECKS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
               PYDEVD_DISABLE_FILE_VALIDATION="1", JUPYTER_RUNTIME_DIR=str(home / "runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"))
    env.pop("MPLBACKEND", None)  # the kernel's inline backend draws the explorer's figures
    command = [str(Path(sys.executable).with_name("jupyter")), "lab", "--no-browser",
               "--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={token}",
               f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True", *extra_args]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = open(home / "lab.log", "w")
    return subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_for_server(base: str, token: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CheckFailed(f"JupyterLab exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise CheckFailed(f"JupyterLab did not answer within {timeout:.0f} s")


# JavaScript run in the page (JupyterLab exposes its app as window.jupyterapp with the flag above).
JS_KERNEL_IDLE = """() => {
  const nb = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = nb && nb.sessionContext && nb.sessionContext.session && nb.sessionContext.session.kernel;
  return !!kernel && kernel.status === 'idle' && kernel.connectionStatus === 'connected';
}"""
JS_RUN_STATE = """() => {
  const nb = window.jupyterapp.shell.currentWidget;
  const code = nb.content.widgets.filter(c => c.model.type === 'code');
  const errors = [];
  code.forEach((c, i) => c.model.outputs.toJSON().forEach(o => {
    if (o.output_type === 'error') errors.push(`code cell ${i}: ${o.ename}: ${o.evalue}`);
  }));
  const kernel = nb.sessionContext.session.kernel;
  return {done: code.every(c => c.model.executionCount !== null), errors,
          idle: kernel.status === 'idle', cells: code.length};
}"""


def run_notebook(page, base: str, token: str, path: str, timeout: float) -> dict:
    """Open ``path`` in JupyterLab, run all cells, wait until they finish; return the state."""
    page.goto(f"{base}/lab/tree/{path}?token={token}")
    deadline = time.monotonic() + 60
    while not page.evaluate(JS_KERNEL_IDLE):
        # A notebook saved without a kernelspec asks which kernel to start: accept the
        # preselected Python 3, as a student would.
        accept = page.locator(".jp-Dialog .jp-mod-accept")
        if accept.count() and accept.first.is_visible():
            accept.first.click()
        if time.monotonic() > deadline:
            raise CheckFailed(f"{path}: the kernel did not start within 60 s")
        page.wait_for_timeout(500)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    deadline = time.monotonic() + timeout
    state = page.evaluate(JS_RUN_STATE)
    while time.monotonic() < deadline:
        page.wait_for_timeout(1000)
        state = page.evaluate(JS_RUN_STATE)
        if state["idle"] and (state["done"] or state["errors"]):
            return state
    raise CheckFailed(f"{path}: cells still running after {timeout:.0f} s ({state})")


def slider(explorer, name: str):
    """The explorer's IntSlider whose description is ``name`` (exactly one must exist)."""
    found = explorer.locator(".widget-slider").filter(
        has=explorer.page.locator("label.widget-label", has_text=re.compile(rf"^\s*{name}\s*$")))
    if found.count() != 1:
        raise CheckFailed(f"expected one slider described {name!r}, found {found.count()}")
    return found


def slider_value(explorer, name: str) -> int:
    """The value of the explorer's slider ``name``, as its handle announces it."""
    control = slider(explorer, name)
    value = (control.locator(".noUi-handle").first.get_attribute("aria-valuenow")
             or control.locator(".widget-readout").inner_text())
    return int(float(value))


def read_explorer(explorer) -> tuple[dict[str, int], str]:
    values = {name: slider_value(explorer, name) for name in "WKSP"}
    status = explorer.locator(".widget-html").filter(has_text=STATUS_PREFIX.strip()).first.inner_text()
    return values, status


def check_consistent(values: dict[str, int], status: str) -> int:
    shown = shown_output_size(status)
    want = expected_output_size(values["W"], values["K"], values["S"], values["P"])
    if shown != want:
        raise CheckFailed(f"for {values} the explorer shows {status!r}; expected output size {want}")
    return shown


def wait_for_redraw(explorer, old_s: int, old_text: str, timeout: float = 15) -> tuple[dict[str, int], str]:
    """Poll until the ``S`` value and the status line have both changed (or time runs out)."""
    deadline = time.monotonic() + timeout
    while True:
        values, text = read_explorer(explorer)
        if (values["S"] != old_s and text != old_text) or time.monotonic() > deadline:
            return values, text
        explorer.page.wait_for_timeout(250)


def move_stride(page, out: Path, name: str) -> str:
    """Check the sliding-window explorer before and after moving ``S``; return a summary."""
    status = page.locator(".widget-html").filter(has_text=STATUS_PREFIX.strip()).first
    status.wait_for(timeout=30_000)
    explorer = status.locator("xpath=..")  # the explorer's VBox: title, controls, status, picture
    explorer.scroll_into_view_if_needed()
    values, text = read_explorer(explorer)
    before = check_consistent(values, text)
    picture = explorer.locator(".widget-output img").last
    old_picture = picture.get_attribute("src") if picture.count() else None
    page.screenshot(path=str(out / f"{name}_before.png"))
    handle = slider(explorer, "S").locator(".noUi-handle").first  # takes arrow keys when focused
    top = float(handle.get_attribute("aria-valuemax"))
    key = "ArrowRight" if values["S"] < top else "ArrowLeft"
    handle.focus()
    seen = []
    for _ in range(3):  # a stride can be impossible (shown in red) or keep the size: try the next
        old_s, old_text = values["S"], text
        page.keyboard.press(key)
        values, text = wait_for_redraw(explorer, old_s, old_text)
        seen.append((values["S"], text))
        if values["S"] == old_s:
            raise CheckFailed(f"pressing {key} on the focused S handle did not move it from {old_s}")
        if STATUS_PREFIX in text and check_consistent(values, text) != before:
            page.wait_for_function(JS_KERNEL_IDLE, timeout=30_000)  # the picture is drawn last
            redrawn = old_picture is None or picture.get_attribute("src") != old_picture
            page.screenshot(path=str(out / f"{name}_after.png"))
            if not redrawn:
                raise CheckFailed(f"S moved to {values['S']} and the status line followed, "
                                  f"but the picture was not redrawn")
            return (f"{key} on S: S {old_s} -> {values['S']}, output size {before} -> "
                    f"{shown_output_size(text)}, as floor((W + 2P - K)/S) + 1 says; picture redrawn")
    raise CheckFailed(f"moving S never changed the output size; saw {seen}")


def open_rise(page, base: str, token: str, path: str, out: Path) -> str:
    """Open ``path`` as RISE slides and move to the next slide."""
    page.goto(f"{base}/rise/{path}?token={token}")
    page.wait_for_selector(".reveal .slides section.present", timeout=60_000)
    index = """() => Array.from(document.querySelectorAll('.reveal .slides > section'))
                       .findIndex(s => s.classList.contains('present'))"""
    total = page.locator(".reveal .slides > section").count()
    if total < 2:
        raise CheckFailed(f"RISE shows {total} slide(s) for {path}; expected a deck")
    page.wait_for_timeout(1000)
    first = page.evaluate(index)
    page.screenshot(path=str(out / "rise_first.png"))
    forward = page.locator(".reveal .controls .navigate-right")
    for _ in range(10):  # fragments come first; click "next" until the slide changes
        forward.click()
        page.wait_for_timeout(400)
        if page.evaluate(index) != first:
            break
    now = page.evaluate(index)
    page.screenshot(path=str(out / "rise_next.png"))
    if now == first:
        raise CheckFailed(f"RISE did not move past slide {first} of {total}")
    return f"RISE deck of {path}: {total} slides, moved from slide {first + 1} to {now + 1}"


KOREAN_MENUS = ("파일", "편집", "보기", "실행", "커널")  # File, Edit, View, Run, Kernel
LANGUAGE_SWITCH = ROOT / "deploy" / "lab-language" / "ko.json"  # what `make lab LANG=ko` merges


def korean_fonts() -> set[str]:
    """Font families fontconfig lists as covering Korean (``fc-list :lang=ko family``)."""
    try:
        listing = subprocess.run(["fc-list", ":lang=ko", "family"], capture_output=True, text=True,
                                 timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    return {name.strip() for line in listing.splitlines() for name in line.split(",") if name.strip()}


def korean_settings(home: Path) -> Path:
    """The environment's JupyterLab settings folder, copied, with the Korean switch merged in."""
    sys.path.insert(0, str(ROOT / "tools"))
    from lab_overrides import merge

    target = home / "app-settings-ko"
    source = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings"
    if source.is_dir():
        shutil.copytree(source, target)
    merge(LANGUAGE_SWITCH, target / "overrides.json")
    return target


def check_korean(page, base: str, token: str, out: Path) -> str:
    """The menu bar is Korean and drawn with a font that has Korean glyphs."""
    fonts = korean_fonts()
    if not fonts:
        raise CheckFailed("fontconfig lists no font with Korean glyphs: install Debian's fonts-nanum "
                          "(.ci/run and `make lab LANG=ko` do)")
    page.goto(f"{base}/lab?token={token}")
    labels = page.locator("#jp-menu-panel .lm-MenuBar-itemLabel")
    labels.first.wait_for(timeout=60_000)
    texts = [t.strip() for t in labels.all_inner_texts()]
    missing = [m for m in KOREAN_MENUS if m not in texts]
    if missing:
        raise CheckFailed(f"the menu bar reads {texts}, not the Korean menus {list(KOREAN_MENUS)}")
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    used = {}
    for index, label in enumerate(texts[:len(KOREAN_MENUS)]):
        nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "#jp-menu-panel .lm-MenuBar-itemLabel"})
        drawn = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": nodes["nodeIds"][index]})["fonts"]
        glyphs = sum(f["glyphCount"] for f in drawn if f["familyName"] in fonts)
        used[label] = sorted({f["familyName"] for f in drawn})
        if glyphs < len(label):
            raise CheckFailed(f"menu {label!r} is drawn with {drawn}: no font with Korean glyphs "
                              f"(fontconfig's Korean fonts: {sorted(fonts)[:6]})")
    labels.first.click()  # open 파일 (File) to show a Korean menu in the screenshot
    page.locator(".lm-Menu").first.wait_for(timeout=10_000)
    page.wait_for_timeout(300)
    page.screenshot(path=str(out / "korean_menu.png"))
    families = sorted({f for names in used.values() for f in names})
    return f"JupyterLab in Korean: menus {' '.join(texts[:5])} ... drawn with {', '.join(families)}"


def run_korean_check(pw, home: Path, out: Path) -> None:
    """A second JupyterLab with the Korean switch, one page, :func:`check_korean`."""
    root = home / "course-ko"
    root.mkdir()
    port, token = free_port(), os.urandom(16).hex()
    base = f"http://127.0.0.1:{port}"
    lab = start_lab(root, port, token, home, (f"--LabApp.app_settings_dir={korean_settings(home)}",))
    try:
        wait_for_server(base, token, lab)
        browser = pw.chromium.launch_persistent_context(
            str(home / "chromium-profile-ko"), executable_path=str(CHROMIUM), headless=True,
            args=CHROMIUM_FLAGS, viewport={"width": 1280, "height": 900}, locale="ko-KR")
        try:
            page = browser.new_page()
            try:
                print("  " + check_korean(page, base, token, out))
            except Exception:
                page.screenshot(path=str(out / "korean_failure.png"))
                raise
        finally:
            browser.close()
    finally:
        lab.terminate()
        try:
            lab.wait(timeout=20)
        except subprocess.TimeoutExpired:
            lab.kill()


def drive(page, base: str, token: str, notebook: Path, rise: Path, out: Path, timeout: float,
          start: float) -> None:
    """The three checks, in order; each prints one line or raises ``CheckFailed``."""
    state = run_notebook(page, base, token, notebook.name, timeout)
    if state["errors"]:
        raise CheckFailed(f"{notebook.name}: cells failed: {state['errors'][:3]}")
    print(f"  ran all {state['cells']} code cells of {notebook.name} in JupyterLab "
          f"({time.perf_counter() - start:.0f} s so far)")
    print("  " + move_stride(page, out, notebook.stem))
    print("  " + open_rise(page, base, token, rise.name, out))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebook", type=Path, default=ROOT / "notebooks" / "02_stride_padding.ipynb",
                        help="the notebook with the sliding-window explorer")
    parser.add_argument("--rise", type=Path, default=None,
                        help="the notebook to open as RISE slides (default: 00_course_map beside it, "
                             "else --notebook)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "browser")
    parser.add_argument("--timeout", type=float, default=150, help="seconds for running all cells")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"SKIPPED test-browser: {CHROMIUM} is not installed and could not be installed "
              f"(Debian: apt-get install chromium).")
        return 0
    if not args.notebook.exists():
        print(f"FAILED test-browser: {args.notebook} does not exist", file=sys.stderr)
        return 1
    rise = args.rise or next((p for p in [args.notebook.parent / "00_course_map.ipynb"] if p.exists()),
                             args.notebook)
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="course-browser-") as tmp:
        home, root = Path(tmp), Path(tmp) / "course"
        root.mkdir()
        for source in {args.notebook, rise}:  # copies: JupyterLab never writes into the checkout
            shutil.copy2(source, root / source.name)
        port, token = free_port(), os.urandom(16).hex()
        base = f"http://127.0.0.1:{port}"
        lab = start_lab(root, port, token, home)
        try:
            wait_for_server(base, token, lab)
            with sync_playwright() as pw:
                browser = pw.chromium.launch_persistent_context(
                    str(home / "chromium-profile"), executable_path=str(CHROMIUM), headless=True,
                    args=CHROMIUM_FLAGS, viewport={"width": 1280, "height": 900})
                page = browser.new_page()
                outside = []  # the course must work offline: nothing but the local server
                page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(
                    (base, "data:", "blob:", "about:")) else None)
                try:
                    drive(page, base, token, args.notebook, rise, args.out, args.timeout, start)
                    if outside:
                        raise CheckFailed(f"the page asked the network for {sorted(set(outside))[:5]}")
                    print("  every request went to the local JupyterLab server")
                except (CheckFailed, PlaywrightError):
                    try:
                        page.screenshot(path=str(args.out / "failure.png"))
                    except PlaywrightError:
                        pass  # the page is gone; the error below says why
                    raise
                finally:
                    browser.close()
                run_korean_check(pw, home, args.out)
        except (CheckFailed, PlaywrightError) as err:
            print(f"FAILED test-browser: {err}\n  screenshots: {args.out}", file=sys.stderr)
            print(f"  JupyterLab log (last lines):\n{_tail(home / 'lab.log')}", file=sys.stderr)
            return 1
        finally:
            lab.terminate()
            try:
                lab.wait(timeout=20)
            except subprocess.TimeoutExpired:
                lab.kill()
    print(f"  test-browser passed in {time.perf_counter() - start:.0f} s; screenshots in {args.out}")
    return 0


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


if __name__ == "__main__":
    sys.exit(main())
