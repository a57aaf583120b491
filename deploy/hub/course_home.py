"""A student's home on the hub: the class list, the course copy, and where the data is read.

Used by ``jupyterhub_config.py`` before each student's server starts (``make hub``), and by the
Kubernetes image's start hook (``deploy/kubernetes/config.yaml``)::

    python deploy/hub/course_home.py shared TARGET --results data/results [--cache data/cache]
    python deploy/hub/course_home.py home HOME --course NOTEBOOKS --shared-data SHARED [--locale ko_KR]

The shared data folder (``shared``) holds ``cache/`` (Fashion-MNIST, both splits) and
``results/`` (the shipped results), read-only, one copy for the whole class. What a home gets,
on every start, without ever overwriting a student's work:

* ``cnn-course/``: a copy of the course notebooks, made once; a notebook the course gains later
  (a new lecture) is added, an existing one is left as the student edited it;
* ``COURSE_DATA_DIR`` = the shared folder itself: the course only reads Fashion-MNIST there;
* ``COURSE_RESULTS_DIR`` = ``~/.course-results/``, one link per shipped result. A student who
  retrains (``RETRAIN = True``) writes a new file that replaces *their own link* (results are
  written atomically: a temporary file renamed over the link), so the shared folder is never
  written and the other students still replay the shipped run;
* optionally the JupyterLab language (``--locale ko_KR``), as a user setting the student can
  change back in *Settings -> Language*.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
from pathlib import Path

COURSE_FOLDER = "cnn-course"
RESULTS_FOLDER = ".course-results"
NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,31}$")
LOCALE_SETTING = Path(".jupyter/lab/user-settings/@jupyterlab/translation-extension/plugin.jupyterlab-settings")


class ClassListError(ValueError):
    """The users file is not a valid class list; the message names the line."""


def read_class_list(path: Path) -> tuple[list[str], list[str]]:
    """Students and instructors of a users file: one name per line, ``admin`` after a name marks
    an instructor, ``#`` starts a comment. Names are lower case letters, digits, ``.``, ``_``,
    ``-`` (at most 32 characters, as JupyterHub and Unix accounts accept them everywhere).

    Returns ``(students, admins)``; admins are not in ``students``.
    """
    students: list[str] = []
    admins: list[str] = []
    seen: set[str] = set()
    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        words = raw.split("#", 1)[0].split()
        if not words:
            continue
        name, flags = words[0], words[1:]
        if not NAME.match(name):
            raise ClassListError(f"{path}:{number}: {name!r} is not a valid user name "
                                 f"(lower case letters, digits, '.', '_', '-'; at most 32)")
        if flags not in ([], ["admin"]):
            raise ClassListError(f"{path}:{number}: after the name only 'admin' may follow, not {flags}")
        if name in seen:
            raise ClassListError(f"{path}:{number}: {name!r} is listed twice")
        seen.add(name)
        (admins if flags else students).append(name)
    if not seen:
        raise ClassListError(f"{path}: no user names (one per line)")
    return students, admins


def copy_course(home: Path, course: Path) -> list[str]:
    """Copy the notebooks of ``course`` into ``home/cnn-course`` unless already there; returns
    the names copied (nothing is overwritten: a student's edits are theirs)."""
    target = home / COURSE_FOLDER
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for notebook in sorted(Path(course).glob("*.ipynb")):
        if not (target / notebook.name).exists():
            shutil.copyfile(notebook, target / notebook.name)
            copied.append(notebook.name)
    return copied


def link_results(home: Path, shared: Path) -> Path:
    """Make ``home/.course-results`` with a link to each result of ``shared/results`` (a student's
    own retrained result, a regular file, is kept); returns the folder."""
    shared = Path(shared).resolve()
    cache = shared / "cache"
    if not all((cache / f"fashion-mnist-{split}-images.npy").exists() for split in ("train", "test")):
        raise FileNotFoundError(f"{cache} lacks the Fashion-MNIST cache: prepare the shared data "
                                f"folder first (`make hub-data`)")
    mine = home / RESULTS_FOLDER
    mine.mkdir(parents=True, exist_ok=True)
    for result in sorted((shared / "results").glob("*")):
        link = mine / result.name
        if link.is_symlink() and Path(os.readlink(link)) != result:
            link.unlink()  # the shared folder moved: point at its new place
        if not link.exists() and not link.is_symlink():
            link.symlink_to(result)
    return mine


def course_environment(home: Path, shared: Path) -> dict[str, str]:
    """The variables that point a student's course at the shared data and their own results."""
    return {"COURSE_DATA_DIR": str(Path(shared).resolve()),
            "COURSE_RESULTS_DIR": str(link_results(home, shared))}


def set_locale(home: Path, locale: str) -> None:
    """Write JupyterLab's language setting (``ko_KR``, ``en``) unless the student chose one."""
    path = home / LOCALE_SETTING
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"locale": locale}) + "\n", encoding="utf-8")


def make_shared_data(target: Path, results: Path, cache: Path | None = None) -> Path:
    """Fill ``target`` with the course's shared data and make it read-only; returns ``target``.

    ``target/results/`` is a copy of the shipped results (``results``: ``data/results``; files
    made by tests, ``*-ci.*``, are left out), ``target/cache/`` the Fashion-MNIST cache of both
    splits, checked by the course's loader (copied from ``cache`` when there, else made from
    Debian's package or a checked download). Files become 0444 and folders 0555.
    """
    from course_utils.data import load_fashion_mnist  # the course's environment

    target = Path(target)
    if target.exists():
        for path in [target, *target.rglob("*")]:
            if not path.is_symlink():
                path.chmod(0o755 if path.is_dir() else 0o644)
        shutil.rmtree(target)
    (target / "cache").mkdir(parents=True)
    shutil.copytree(results, target / "results",
                    ignore=shutil.ignore_patterns("*-ci.*", "*.part", ".*"))
    for pattern in ("fashion-mnist-*.npy", "fashion-mnist-*.npy.sha256") if cache else ():  # arrays, digests
        for npy in sorted(Path(cache).glob(pattern)):
            shutil.copyfile(npy, target / "cache" / npy.name)
    for split in ("train", "test"):
        load_fashion_mnist(split, cache_dir=target / "cache")  # checks the copies, or makes them
    for path in [*target.rglob("*"), target]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    return target


def prepare_home(home: Path, course: Path, shared: Path, locale: str | None = None) -> dict[str, str]:
    """Everything a student's home needs before their server starts; returns the environment
    variables of :func:`course_environment`."""
    home = Path(home)
    home.mkdir(parents=True, exist_ok=True)
    copy_course(home, course)
    if locale:
        set_locale(home, locale)
    return course_environment(home, shared)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    home = sub.add_parser("home", help="prepare a student's home (course copy, data and results folders)")
    home.add_argument("home", type=Path)
    home.add_argument("--course", type=Path, required=True, help="folder of the notebooks to hand out")
    home.add_argument("--shared-data", type=Path, required=True, help="the shared read-only data folder")
    home.add_argument("--locale", default=None, help="JupyterLab language, e.g. ko_KR")
    shared = sub.add_parser("shared", help="make the shared read-only data folder")
    shared.add_argument("target", type=Path)
    shared.add_argument("--results", type=Path, required=True, help="the shipped results (data/results)")
    shared.add_argument("--cache", type=Path, default=None, help="an existing Fashion-MNIST cache to copy")
    args = parser.parse_args(argv)
    if args.command == "shared":
        target = make_shared_data(args.target, args.results, args.cache)
        size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file()) / 2**20
        print(f"shared data folder {target}: {size:.0f} MB, read-only")
        return 0
    env = prepare_home(args.home, args.course, args.shared_data, args.locale)
    print(f"course in {args.home / COURSE_FOLDER}; " + ", ".join(f"{k}={v}" for k, v in env.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
