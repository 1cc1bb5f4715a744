"""wra.record.data: typed frames from a valid project, DataError from a broken one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from wra.record import data, paths
from wra.record.check import DataError

VALID = Path(__file__).parent / "fixtures" / "valid"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(VALID, root)
    return root


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(root)): (p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(root.rglob("*"))}


def test_load_returns_typed_frames(project):
    strength = data.load("strength", project)
    assert list(strength.columns[:3]) == ["id", "date", "date_precision"]
    assert pd.api.types.is_datetime64_dtype(strength["date"])
    assert pd.api.types.is_datetime64_dtype(strength["date_end"])
    assert strength["low"].dtype == "float64" and strength["high"].dtype == "float64"
    assert str(strength["note"].dtype) == "Int64"
    assert pd.api.types.is_string_dtype(strength["id"])
    assert isinstance(strength.index, pd.RangeIndex) and len(strength) == 8
    s01 = strength.set_index("id").loc["S01"]
    assert s01["date"] == pd.Timestamp("1936-11-11")
    assert s01["low"] == 21800.0 and pd.isna(s01["high"])
    assert pd.isna(s01["note"])
    places = data.load("places", project)
    assert places["lat"].dtype == "float64"
    directives = data.load("directives", project)
    assert list(directives.columns) == [
        "id",
        "date",
        "date_precision",
        "issuer",
        "recipient",
        "direction",
        "kind",
        "quote_zh",
        "summary_en",
        "source",
        "pages",
        "note",
        "via",
        "confirmed_in",
    ]
    assert "\n" in directives.loc[1, "summary_en"]


def test_load_all(project):
    frames = data.load_all(project)
    assert set(frames) == set(paths.TABLES)
    assert {k: len(v) for k, v in frames.items()} == {
        "directives": 6,
        "actions": 8,
        "assessments": 15,
        "strength": 8,
        "places": 4,
        "glossary": 2,
        "positions": 1,
        "readings": 1,
        "engagements": 1,
        "conditions": 2,
        "windows": 1,
        "causes": 1,
    }


def test_unknown_table_name(project):
    with pytest.raises(KeyError, match="unknown table 'strenght'"):
        data.load("strenght", project)


def test_load_raises_data_error_listing_every_problem(project):
    f = project / "data" / "strength.csv"
    f.write_bytes(f.read_bytes().replace(b"70000,100000", b"170000,100000").replace(b",0.5,fraction", b",1.5,fraction"))
    with pytest.raises(DataError) as info:
        data.load("places", project)  # any table: the project is checked as a whole
    err = info.value
    assert isinstance(err, ValueError)
    lines = str(err).splitlines()
    assert lines[1:] == [
        "data/strength.csv:5: high: a fraction is a share within 0..1; got high 1.5",
        "data/strength.csv:7: high: low 170000 is greater than high 100000",
    ]
    assert len(err.problems) == 2


def test_cache_notices_edits(project):
    assert len(data.load("places", project)) == 4
    f = project / "data" / "places.csv"
    f.write_bytes(f.read_bytes().replace(b"39.38", b"93.38"))
    # make sure the change is visible even on coarse-mtime filesystems
    st = f.stat()
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
    with pytest.raises(DataError, match=r"data/places.csv:4: lat: "):
        data.load("places", project)


def test_cache_is_used_while_files_are_unchanged(project, monkeypatch):
    data.load("places", project)
    calls = []
    monkeypatch.setattr(data, "validate", lambda root: calls.append(root))
    data.load("strength", project)
    data.load_all(project)
    assert calls == []


def test_returned_frames_are_copies(project):
    a = data.load("places", project)
    a.loc[0, "lat"] = 0.0
    assert data.load("places", project).loc[0, "lat"] == 36.57


def test_loading_writes_nothing(project):
    before = snapshot(project)
    data.load_all(project)
    assert snapshot(project) == before
    broken = project / "data" / "actions.csv"
    broken.write_bytes(broken.read_bytes().replace(b"gaotai", b"gaotia"))
    before = snapshot(project)
    with pytest.raises(DataError):
        data.load_all(project)
    assert snapshot(project) == before


GUARDED = """
import sys, pandas as pd
import wra
from wra.record import data, paths
wra.setup(inputs=["strength"], digest="x")
assert len(data.load("strength")) > 100
assert len(pd.read_csv(paths.table_path("strength"))) > 100      # a declared table, read directly: fine
for name, read in [
    ("load", lambda: data.load("glossary")),
    ("result", lambda: data.result().frames["glossary"]),
    ("read_csv", lambda: pd.read_csv("data/glossary.csv")),
    ("open", lambda: open(paths.DATA / "places.csv", encoding="utf-8").read()),
    ("readme", lambda: (paths.DATA / "README.md").read_text(encoding="utf-8")),
    ("check", lambda: __import__("wra.record.check").record.check.validate(paths.ROOT)),
]:
    try:
        read()
    except data.UndeclaredInputError as exc:
        print(name, "refused:", exc)
    else:
        print(name, "READ")
"""


def test_every_way_of_reading_an_undeclared_table_is_refused():
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", GUARDED], cwd=paths.ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = dict(line.split(" ", 1) for line in proc.stdout.splitlines())
    assert set(lines) == {"load", "result", "read_csv", "open", "readme", "check"}
    assert all(v.startswith("refused: this notebook reads ") for v in lines.values()), proc.stdout
    assert "reads data/glossary.csv but its front matter declares only wra.inputs: [strength]" in lines["read_csv"]
    assert "reads glossary" in lines["result"]


def test_without_a_declaration_nothing_is_guarded(monkeypatch):
    import pandas as pd

    monkeypatch.setattr(data, "DECLARED", None)
    assert len(pd.read_csv(paths.table_path("glossary"))) > 10
    assert len(data.result().frames["glossary"]) > 10
