"""The build extension: input tracking for the execution cache, bad outputs."""

from __future__ import annotations

import shutil

import pytest

from wra.record import paths
from wra_book import inputs as sphinxext

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
    with open(project / "wra" / "presentation" / "style.py", "a", encoding="utf-8") as handle:
        handle.write("\n# a change\n")
    after_code = sphinxext.inputs_digest(["strength"], project)
    assert after_code != after_bib
    # data shipped inside the package (the route map's geometry) counts too
    geometry = project / "wra" / "presentation" / "geo" / "hexi.json"
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
    from wra.record import data

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

    from wra.presentation import plotly_html

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
