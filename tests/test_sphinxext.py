"""The build extension: input tracking for the execution cache, bad outputs."""

from __future__ import annotations

import shutil

import pytest

from wra import paths, sphinxext

HEADER = """---
jupytext:
  text_representation:
    format_name: myst
kernelspec:
  name: python3
{extra}---

# A notebook

```{{code-cell}} ipython3
:tags: [remove-cell]
import wra
wra.setup()
```
"""


def test_declared_inputs_reads_front_matter():
    text = HEADER.format(extra="wra:\n  inputs: [strength, places]\n")
    assert sphinxext.declared_inputs(text) == ["places", "strength"]


def test_no_declaration_means_every_table():
    assert sphinxext.declared_inputs(HEADER.format(extra="")) == list(paths.TABLES)


def test_unknown_table_is_refused():
    with pytest.raises(ValueError, match="unknown table"):
        sphinxext.declared_inputs(HEADER.format(extra="wra:\n  inputs: [strenght]\n"))


@pytest.fixture
def project(tmp_path):
    (tmp_path / "data").mkdir()
    for name in paths.TABLES:
        (tmp_path / "data" / f"{name}.csv").write_text(f"id\n{name}\n", encoding="utf-8")
    (tmp_path / "references.bib").write_text("@misc{a, title={A}}\n", encoding="utf-8")
    shutil.copytree(paths.ROOT / "wra", tmp_path / "wra")
    return tmp_path


def test_digest_changes_with_a_declared_table_only(project):
    before = sphinxext.inputs_digest(["strength"], project)
    (project / "data" / "places.csv").write_text("id\nchanged\n", encoding="utf-8")
    assert sphinxext.inputs_digest(["strength"], project) == before
    (project / "data" / "strength.csv").write_text("id\nchanged\n", encoding="utf-8")
    assert sphinxext.inputs_digest(["strength"], project) != before


def test_digest_changes_with_the_bibliography_and_the_package(project):
    before = sphinxext.inputs_digest(["strength"], project)
    (project / "references.bib").write_text("@misc{b, title={B}}\n", encoding="utf-8")
    after_bib = sphinxext.inputs_digest(["strength"], project)
    assert after_bib != before
    with open(project / "wra" / "style.py", "a", encoding="utf-8") as handle:
        handle.write("\n# a change\n")
    after_code = sphinxext.inputs_digest(["strength"], project)
    assert after_code != after_bib
    # data shipped inside the package (the route map's geometry) counts too
    geometry = project / "wra" / "geo" / "hexi.json"
    geometry.write_text(geometry.read_text(encoding="utf-8") + " ", encoding="utf-8")
    assert sphinxext.inputs_digest(["strength"], project) != after_code


class _Env:
    docname = "notebooks/01_x"


class _App:
    def __init__(self, srcdir):
        self.srcdir = str(srcdir)
        self.env = _Env()


def test_source_read_rewrites_the_setup_call(project):
    app = _App(project)
    source = [HEADER.format(extra="wra:\n  inputs: [strength]\n")]
    sphinxext._source_read(app, "notebooks/01_x", source)
    digest = sphinxext.inputs_digest(["strength"], project)
    assert f"wra.setup(inputs=['strength'], digest=\"{digest}\")" in source[0]
    assert "wra.setup()" not in source[0]
    assert app.env.wra_digests["notebooks/01_x"] == (["strength"], digest)


def test_source_read_leaves_narrative_pages_alone(project):
    app = _App(project)
    text = "# Preface\n\nwra.setup()\n"
    source = [text]
    sphinxext._source_read(app, "book/preface", source)
    assert source[0] == text


def test_a_declared_notebook_cannot_load_an_undeclared_table(monkeypatch):
    from wra import data

    monkeypatch.setattr(data, "DECLARED", None)
    data.declare(["strength"])
    with pytest.raises(data.UndeclaredInputError, match="declares only wra.inputs: \\[strength\\]"):
        data.load("places")
    with pytest.raises(data.UndeclaredInputError):
        data.load_all()
    with pytest.raises(KeyError, match="unknown table"):
        data.declare(["strenght"])


def test_figures_are_moved_out_of_the_page_into_scripts():
    import plotly.graph_objects as go

    from wra import plotly_html

    html = plotly_html.figure_html(go.Figure(go.Scatter(x=[1, 2], y=[3, 4], text=["古浪", "高台"])))
    stored = {}
    body = sphinxext.externalise_figures(
        f"<p>before</p>{html}<p>after</p>", stored.__setitem__, lambda name: f"../_static/wra/figures/{name}"
    )
    assert "Plotly.newPlot" not in body and "\\u53e4" not in body
    assert len(stored) == 1
    name, script = next(iter(stored.items()))
    assert f'<script src="../_static/wra/figures/{name}"></script>' in body
    assert "Plotly.newPlot" in script and "\\u53e4\\u6d6a" in script
    assert 'class="plotly-graph-div"' in body and "<p>after</p>" in body


GUARDED = """
import sys, pandas as pd
import wra
from wra import data, paths
wra.setup(inputs=["strength"], digest="x")
assert len(data.load("strength")) > 100
assert len(pd.read_csv(paths.table_path("strength"))) > 100      # a declared table, read directly: fine
for name, read in [
    ("load", lambda: data.load("glossary")),
    ("result", lambda: data.result().frames["glossary"]),
    ("read_csv", lambda: pd.read_csv("data/glossary.csv")),
    ("open", lambda: open(paths.DATA / "places.csv", encoding="utf-8").read()),
    ("readme", lambda: (paths.DATA / "README.md").read_text(encoding="utf-8")),
    ("check", lambda: __import__("wra.check").check.validate(paths.ROOT)),
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

    from wra import data

    monkeypatch.setattr(data, "DECLARED", None)
    assert len(pd.read_csv(paths.table_path("glossary"))) > 10
    assert len(data.result().frames["glossary"]) > 10
