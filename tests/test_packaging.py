"""``pip install .`` in a checkout: it leaves nothing git would pick up, and the package carries its licences.

The install runs in a throw-away copy of the project's files (a git
repository of its own), with the pinned setuptools of the virtual
environment (``--no-build-isolation``: nothing is fetched).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from wra.record import paths


def _git(cwd: Path, *args: str) -> str:
    run = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return run.stdout


pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(the copy of the project after ``pip install .``, the folder it was installed into)."""
    base = tmp_path_factory.mktemp("packaging")
    copy, site = base / "project", base / "site"
    files = _git(paths.ROOT, "ls-files", "--cached", "--others", "--exclude-standard", "-z").split("\0")
    for name in filter(None, files):
        source = paths.ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    _git(copy, "init", "-q")
    _git(copy, "add", "-A")
    _git(copy, "-c", "user.name=test", "-c", "user.email=test@localhost", "commit", "-q", "-m", "copy")
    run = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--target", site, "."],
        cwd=copy,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return copy, site


def test_pip_install_leaves_nothing_for_git_to_add(installed):
    copy, _ = installed
    assert _git(copy, "status", "--porcelain") == "", "pip install . left files .gitignore does not cover"
    ignored = _git(copy, "status", "--porcelain", "--ignored")
    # the install did leave its build folders: ignored, not absent
    assert "!! build/" in ignored and "!! wra.egg-info/" in ignored, ignored


def test_the_package_states_its_licences_and_ships_them(installed):
    _, site = installed
    (dist,) = site.glob("wra-*.dist-info")
    metadata = (dist / "METADATA").read_text(encoding="utf-8")
    assert "License-Expression: MIT AND LGPL-3.0-or-later" in metadata
    assert (dist / "licenses" / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert (dist / "licenses" / "wra" / "presentation" / "geo" / "LICENSES" / "LGPL-3.0.txt").is_file()
    # the book machinery finds its vendored files when installed: the CFF schema validates CITATION.cff
    assert (site / "wra_book" / "vendor" / "citation-file-format" / "schema-1.2.0.json").is_file()
