"""`make book`'s content key (tools/book.py): an edit to any file the project holds makes the next
`make book` build again; what a build, a test run or an environment writes does not.

The key is what lets a no-op `make book` skip everything, so a file it missed would leave a stale
book that says it is up to date. Here every file git tracks (chapters, data tables, the package,
the book's machinery, stylesheets, templates, configuration, pins) is edited in turn in a copy, and
the key must change each time. The whole `make book` meeting the key is in tests/test_rebuild.py.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest

from wra.record import paths


@pytest.fixture(scope="module")
def book():
    spec = importlib.util.spec_from_file_location("wra_make_book", paths.ROOT / "tools" / "book.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tracked() -> list[str]:
    proc = subprocess.run(["git", "ls-files", "-z"], cwd=paths.ROOT, capture_output=True, check=True)
    return sorted(name for name in proc.stdout.decode().split("\0") if name)


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    """The tracked files, copied as they are in the working tree."""
    dest = tmp_path_factory.mktemp("key") / "book"
    for name in tracked():
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(paths.ROOT / name, dest / name)
    return dest


def test_every_tracked_file_is_an_input(book):
    inputs = {p.relative_to(paths.ROOT).as_posix() for p in book.input_files(paths.ROOT)}
    files = tracked()
    assert set(files) <= inputs, sorted(set(files) - inputs)
    # the files the last merges added, by name: a chapter, its tables, the markup, the print styles
    for name in (
        "notebooks/06_destruction.md",
        "data/engagements.csv",
        "data/conditions.csv",
        "data/windows.csv",
        "data/causes.csv",
        "wra_book/markup.py",
        "wra_book/cache.py",
        "_static/wra-print.css",
        "_static/wra-charts.js",
        "_toc.yml",
        "_config.yml",
        "references.bib",
        "requirements.txt",
    ):
        assert name in files and name in inputs, name


def test_an_edit_to_any_tracked_file_changes_the_key(book, copy):
    before = book.sources_key(copy)
    unchanged = []
    for name in tracked():
        path = copy / name
        original = path.read_bytes()
        path.write_bytes(original + b"\n")  # one byte more: what an edit at least does
        try:
            if book.sources_key(copy) == before:
                unchanged.append(name)
        finally:
            path.write_bytes(original)
    assert not unchanged, unchanged
    assert book.sources_key(copy) == before  # restored: the key is the content's, not the times'


def test_a_new_file_a_removed_file_and_the_settings_change_the_key(book, copy, monkeypatch):
    before = book.sources_key(copy)
    chapter = copy / "notebooks" / "07_new.md"
    chapter.write_text("# A new chapter\n", encoding="utf-8")
    assert book.sources_key(copy) != before
    chapter.unlink()
    assert book.sources_key(copy) == before
    moved = copy / "data" / "windows.csv"
    text = moved.read_bytes()
    moved.unlink()
    try:
        assert book.sources_key(copy) != before
    finally:
        moved.write_bytes(text)
    monkeypatch.setenv("WRA_CJK_FONT", "Some Other Font")
    assert book.sources_key(copy) != before


def test_what_builds_tests_and_environments_write_leaves_the_key(book, copy):
    before = book.sources_key(copy)
    written = [
        "_build/html/index.html",
        "_build/.jupyter_cache/global.db",
        ".venv/bin/python",
        "wra/__pycache__/x.cpython-311.pyc",
        ".pytest_cache/v/cache/lastfailed",
        ".ruff_cache/x",
        "notebooks/.ipynb_checkpoints/01_record-checkpoint.md",
        "mutants/wra/x.py",
        "wra.egg-info/PKG-INFO",
    ]
    for name in written:
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        (copy / name).write_text("written", encoding="utf-8")
    try:
        assert book.sources_key(copy) == before
    finally:
        for name in written:
            (copy / name).unlink()
