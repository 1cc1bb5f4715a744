"""A damaged execution cache heals, or the build stops in one line with the fix (wra_book.cache).

A real jupyter-cache folder, filled through jupyter-cache's own API as myst-nb
fills it, then damaged as a full disk or a killed copy would: a notebook cut
short, an index cut short or emptied. The whole build meeting a damaged cache
is in tests/test_rebuild.py.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn

from wra.record import paths
from wra_book import cache as book_cache


def notebook(source: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(source, execution_count=1)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    nb.cells = [cell]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


@pytest.fixture
def store(tmp_path) -> Path:
    """A cache holding two executed notebooks, as myst-nb leaves it."""
    folder = tmp_path / "_build" / ".jupyter_cache"
    jc = get_cache(str(folder))
    for name in ("01_record", "02_directives"):
        jc.cache_notebook_bundle(
            CacheBundleIn(notebook(f"print({name!r})"), f"/book/notebooks/{name}.md"), check_validity=False
        )
    return folder


def base(folder: Path, name: str) -> Path:
    record = next(r for r in get_cache(str(folder)).list_cache_records() if r.uri.endswith(f"{name}.md"))
    return folder / "executed" / record.hashkey / "base.ipynb"


def uris(folder: Path) -> list[str]:
    return sorted(Path(r.uri).stem for r in get_cache(str(folder)).list_cache_records())


def test_a_sound_cache_is_left_alone(store):
    before = sorted(p.relative_to(store) for p in store.rglob("*"))
    assert book_cache.heal(store) is None
    assert sorted(p.relative_to(store) for p in store.rglob("*")) == before
    assert uris(store) == ["01_record", "02_directives"]


def test_no_cache_yet_is_fine(tmp_path):
    assert book_cache.heal(tmp_path / "nothing") is None


def test_a_truncated_notebook_is_removed_and_the_rest_kept(store):
    damaged = base(store, "02_directives")
    damaged.write_bytes(damaged.read_bytes()[:40])
    done = book_cache.heal(store)
    assert done == (
        f"the execution cache {store.as_posix()} held 1 damaged notebook(s) "
        "(02_directives: NotJSONError: Notebook does not appear to be JSON): removed them; they run again"
    )
    assert uris(store) == ["01_record"]
    assert not damaged.parent.exists()
    assert book_cache.heal(store) is None  # healed for good


def test_a_notebook_that_is_json_but_not_a_notebook_is_removed(store):
    base(store, "01_record").write_text('{"cells": 3}', encoding="utf-8")
    assert "01_record: ValidationError" in book_cache.heal(store)
    assert uris(store) == ["02_directives"]


def test_a_missing_notebook_file_is_removed_from_the_index(store):
    base(store, "01_record").unlink()
    assert "(01_record: missing)" in book_cache.heal(store)
    assert uris(store) == ["02_directives"]


@pytest.mark.parametrize(
    "damage, cause",
    [
        (lambda db: db.write_bytes(db.read_bytes()[: len(db.read_bytes()) // 2]), "database disk image is malformed"),
        (lambda db: db.write_bytes(b""), "no such table: nbcache"),
        (lambda db: db.write_bytes(b"\x00" * 4096), "file is not a database"),
    ],
    ids=["cut_in_half", "emptied", "zeroed"],
)
def test_a_damaged_index_removes_the_whole_cache(store, damage, cause):
    damage(store / "global.db")
    done = book_cache.heal(store)
    assert done == (
        f"the execution cache {store.as_posix()} was damaged (global.db: {cause}): "
        "removed it; every notebook runs again"
    )
    assert not store.exists()


def test_a_cache_that_cannot_be_repaired_stops_with_the_fix(store, monkeypatch):
    (store / "global.db").write_bytes(b"")

    def refuse(path, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(shutil, "rmtree", refuse)
    with pytest.raises(book_cache.CacheError) as caught:
        book_cache.heal(store)
    assert str(caught.value) == (
        f"the execution cache {store.as_posix()} is damaged (global.db: no such table: nbcache) and could not be "
        f"removed (Permission denied): {book_cache.FIX}"
    )
    assert "make clean-cache" in book_cache.FIX


def test_the_make_step_prints_one_line(store):
    """``make book`` runs ``python -m wra_book.cache`` before it builds (Makefile)."""
    damaged = base(store, "01_record")
    damaged.write_bytes(b"")
    proc = subprocess.run(
        [sys.executable, "-m", "wra_book.cache", str(store)],
        capture_output=True,
        text=True,
        cwd=paths.ROOT,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        f"make book: the execution cache {store.as_posix()} held 1 damaged notebook(s) "
        "(01_record: NotJSONError: Notebook does not appear to be JSON): removed them; they run again"
    ]
    assert proc.stderr == ""


def test_the_make_step_exits_1_with_one_line_when_it_cannot_repair(store, monkeypatch, capsys):
    (store / "global.db").write_bytes(b"")
    monkeypatch.setattr(shutil, "rmtree", lambda *a, **k: (_ for _ in ()).throw(OSError(30, "Read-only file system")))
    assert book_cache.main([str(store)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        f"make book: the execution cache {store.as_posix()} is damaged (global.db: no such table: nbcache) and "
        f"could not be removed (Read-only file system): {book_cache.FIX}"
    ]


def make_book_steps(store: Path, monkeypatch) -> tuple[object, list]:
    """``make book`` (tools/book.py) on a project whose ``_build`` holds ``store``, its commands recorded
    (the data check passes; the HTML build fails, so nothing after it runs)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("wra_make_book", paths.ROOT / "tools" / "book.py")
    book = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(book)
    build_dir = store.parent
    (build_dir / "html").mkdir()
    (build_dir / "html" / "index.html").write_text("an older book", encoding="utf-8")
    monkeypatch.setattr(paths, "BUILD", build_dir)
    monkeypatch.setattr(paths, "HTML", build_dir / "html")
    commands = []

    def run(command, **kwargs):
        commands.append([Path(str(c)).name for c in command[:3]])
        # what the build would find in the cache at the moment it starts
        commands[-1].append(sorted(uris(store)) if "build" in command else None)
        return subprocess.CompletedProcess(command, 0 if "check" in command else 1)

    monkeypatch.setattr(book.subprocess, "run", run)
    return book, commands


def test_make_book_heals_the_cache_before_it_builds(store, monkeypatch, capsys):
    base(store, "01_record").write_bytes(b"")
    book, commands = make_book_steps(store, monkeypatch)
    assert book.main() == 1  # the (recorded) HTML build fails
    # the data check, then the build, which finds the damaged notebook gone from the cache
    assert [c[:3] for c in commands] == [
        [Path(sys.executable).name, "-m", "wra"],
        ["jupyter-book", "build", paths.ROOT.name],
    ]
    assert commands[1][-1] == ["02_directives"]
    out = capsys.readouterr().out
    assert "make book: the execution cache " in out and "held 1 damaged notebook(s) (01_record: " in out


def test_make_book_stops_and_removes_the_book_when_the_cache_cannot_heal(store, monkeypatch, capsys):
    (store / "global.db").write_bytes(b"")
    book, commands = make_book_steps(store, monkeypatch)
    real_rmtree = shutil.rmtree

    def rmtree(path, *args, **kwargs):  # the cache's folder is read-only, the book's is not
        if Path(path) == store:
            raise OSError(30, "Read-only file system")
        return real_rmtree(path, *args, **kwargs)

    monkeypatch.setattr(shutil, "rmtree", rmtree)
    assert book.main() == 1
    assert len(commands) == 1  # the data check only: no build from a damaged cache
    assert not (store.parent / "html").exists()  # and no older book left looking current
    err = capsys.readouterr().err
    assert err.splitlines() == [
        f"make book: the execution cache {store.as_posix()} is damaged (global.db: no such table: nbcache) and "
        f"could not be removed (Read-only file system): {book_cache.FIX}"
    ]


def test_clean_targets_keep_what_they_say(tmp_path):
    """make clean keeps the cache; make clean-cache keeps .venv; both are in make help."""
    for target, kept, gone in (
        ("clean", {".jupyter_cache"}, {"html", ".doctrees", "jupyter_execute", "pdf", "wra-build-failures.txt"}),
        ("clean-cache", set(), {".jupyter_cache", "html"}),
    ):
        project = tmp_path / target
        (project / ".venv").mkdir(parents=True)
        shutil.copy(paths.ROOT / "Makefile", project / "Makefile")
        for name in kept | gone:
            path = project / "_build" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if name.endswith(".txt"):
                path.write_text("x", encoding="utf-8")
            else:
                path.mkdir()
        proc = subprocess.run(["make", "-s", target], cwd=project, capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
        left = {p.name for p in (project / "_build").iterdir()} if (project / "_build").exists() else set()
        assert left == kept, target
        assert (project / ".venv").is_dir()
    help_text = subprocess.run(["make", "help"], cwd=paths.ROOT, capture_output=True, text=True).stdout
    assert "make clean-cache" in help_text and "keeps .venv" in help_text
