"""Run a book build and read what it did: used by the rebuild tests and `make bench`.

:func:`run` builds the HTML book at ``root`` with the same command as ``make book``
(warnings are errors) and returns which notebooks were executed and which were
taken from the execution cache, read from the build's log lines (the notebooks
run side by side before Sphinx reads them, :mod:`wra_book.execute`, and any
myst-nb runs as it reads). :func:`make_book` runs ``make book`` itself (the
data check, the HTML book, the PDF if it changed) in a copy, with this
checkout's virtual environment. :func:`copy_project` makes a throw-away copy of
the project to edit and build.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from wra.record import paths

EXECUTED = re.compile(r"^(?P<path>\S+\.(?:md|ipynb)): Executing notebook", re.MULTILINE)
CACHED = re.compile(r"^(?P<path>\S+\.(?:md|ipynb)): Using cached notebook", re.MULTILINE)
IGNORE = shutil.ignore_patterns(".venv", ".git", ".jupyter", "_build", "__pycache__", ".pytest_cache", "*.egg-info")


@dataclass
class BuildResult:
    returncode: int
    seconds: float
    log: str
    executed: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    stdout: str = ""

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def _stems(pattern: re.Pattern, log: str, root: Path) -> list[str]:
    found = []
    for match in pattern.finditer(log):
        path = Path(match.group("path"))
        try:
            found.append(path.resolve().relative_to(root.resolve()).with_suffix("").as_posix())
        except ValueError:
            found.append(path.with_suffix("").as_posix())
    return sorted(set(found))


def jupyter_book() -> str:
    candidate = Path(sys.executable).parent / "jupyter-book"
    return str(candidate) if candidate.exists() else "jupyter-book"


def run(root: Path | str = paths.ROOT, extra: tuple[str, ...] = ()) -> BuildResult:
    """Build the book at ``root`` (html, -n -W --keep-going); the package is taken from ``root``."""
    root = Path(root)
    env = dict(os.environ)
    # Notebooks and the Sphinx extension import `wra` from the copy being built.
    env["PYTHONPATH"] = os.pathsep.join([str(root), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    started = time.perf_counter()
    proc = subprocess.run(
        [jupyter_book(), "build", str(root), "--builder", "html", "-n", "-W", "--keep-going", *extra],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    return _result(proc, seconds, root)


def _result(proc, seconds: float, root: Path) -> BuildResult:
    log = proc.stdout + proc.stderr
    executed = _stems(EXECUTED, log, root)
    # a notebook run before Sphinx reads it is then read from the cache: it was executed
    cached = [stem for stem in _stems(CACHED, log, root) if stem not in executed]
    return BuildResult(proc.returncode, seconds, log, executed, cached, proc.stdout)


def make_book(root: Path | str, env: dict | None = None, timeout: float = 1200) -> BuildResult:
    """``make book`` in the copy at ``root``, with this checkout's .venv (linked into the copy)."""
    root = Path(root)
    venv = root / ".venv"
    if not venv.exists():
        venv.symlink_to(Path(sys.executable).parent.parent)
    env = dict(os.environ if env is None else env)
    env["PYTHONPATH"] = str(root)
    # as a user runs it, not as a sub-make of `make test` or `make bench`: no "make[2]: Leaving
    # directory" after the last line, none of the outer make's flags or variables
    for name in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS"):
        env.pop(name, None)
    started = time.perf_counter()
    # -o: never re-create the (borrowed) .venv, whatever the copy's file times say
    proc = subprocess.run(
        ["make", "-o", ".venv/.installed", "book"], cwd=root, capture_output=True, text=True, timeout=timeout, env=env
    )
    return _result(proc, time.perf_counter() - started, root)


def copy_project(dest: Path | str, root: Path | str = paths.ROOT, with_cache: bool = False) -> Path:
    """Copy the project (no .venv, .git or _build) to ``dest``; optionally seed the execution cache
    and the charts' drawings (:mod:`wra_book.charts`)."""
    root, dest = Path(root), Path(dest)
    shutil.copytree(root, dest, ignore=IGNORE)
    for cache in (".jupyter_cache", ".wra_charts"):
        if with_cache and (root / "_build" / cache).exists():
            shutil.copytree(root / "_build" / cache, dest / "_build" / cache)
    return dest


def notebooks(root: Path | str = paths.ROOT) -> list[str]:
    return sorted(p.relative_to(root).with_suffix("").as_posix() for p in (Path(root) / "notebooks").glob("*.md"))
