"""The book's Sphinx machinery (wra_book), feature by feature, on tiny books built with sphinx.testing.

Each test writes a small project (the valid fixture's data and bibliography,
a copy of the ``wra`` package for the cache digest, a few pages) and builds
it with Sphinx's own test application (``make_app``), myst-nb reading the
notebooks without executing them.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from wra.record import paths
from wra_book import inputs, notebooks, plotly_assets, search, stale

VALID = Path(__file__).parent / "fixtures" / "valid"

NOTEBOOK = """---
jupytext:
  text_representation:
    format_name: myst
kernelspec:
  name: python3
{extra}---

# A notebook

```{{code-cell}} ipython3
import wra
wra.setup()
```
"""

CONF = """
extensions = ["myst_nb", "wra_book"]
nb_execution_mode = "off"
exclude_patterns = ["_build", "wra"]
"""


def write_book(root: Path, pages: dict[str, str], conf: str = "") -> Path:
    """A project at ``root``: fixture data, the wra package, ``pages`` (path -> text) and conf.py."""
    shutil.copytree(VALID, root)
    shutil.copytree(paths.ROOT / "wra", root / "wra", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "data" / "README.md").write_text("# Data\n", encoding="utf-8")
    for name in ("CITATION.cff", "LICENSE-DATA"):  # the data archive carries the citation and the licence
        shutil.copy2(paths.ROOT / name, root / name)
    (root / "conf.py").write_text(CONF + conf, encoding="utf-8")
    (root / "index.md").write_text("# Index\n\n```{toctree}\n:glob:\n*/*\n```\n", encoding="utf-8")
    for name, text in pages.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def built(make_app, root: Path, **kwargs):
    """Build the project at ``root``; return the app and the documents it read."""
    app = make_app("html", srcdir=root, **kwargs)
    read: list[str] = []
    app.connect("env-before-read-docs", lambda app, env, docnames: read.extend(docnames))
    app.build()
    return app, sorted(read)


def notebook_ipynb(outputs: list) -> str:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# Stored outputs"), nbformat.v4.new_code_cell("x", outputs=outputs)]
    return nbformat.writes(nb)


# --------------------------------------------------------------------------
# Front matter and digest (plain functions)
# --------------------------------------------------------------------------


def test_declared_inputs_reads_front_matter():
    text = NOTEBOOK.format(extra="wra:\n  inputs: [strength, places]\n")
    assert notebooks.declared_inputs(text) == ["places", "strength"]
    assert notebooks.declared_inputs(text, key="other") == list(paths.TABLES)


def test_no_declaration_means_every_table():
    assert notebooks.declared_inputs(NOTEBOOK.format(extra="")) == list(paths.TABLES)


def test_unknown_table_is_refused():
    with pytest.raises(ValueError, match="unknown table"):
        notebooks.declared_inputs(NOTEBOOK.format(extra="wra:\n  inputs: [strenght]\n"))


@pytest.fixture
def project(tmp_path):
    return write_book(tmp_path / "book", {})


def test_digest_changes_with_a_declared_table_only(project):
    before = inputs.inputs_digest(["strength"], project)
    (project / "data" / "places.csv").write_text("id\nchanged\n", encoding="utf-8")
    assert inputs.inputs_digest(["strength"], project) == before
    (project / "data" / "strength.csv").write_text("id\nchanged\n", encoding="utf-8")
    assert inputs.inputs_digest(["strength"], project) != before


def test_digest_covers_the_bibliography_and_the_package_notebooks_import(project):
    before = inputs.inputs_digest(["strength"], project)
    (project / "references.bib").write_text("@misc{b, title={B}}\n", encoding="utf-8")
    after_bib = inputs.inputs_digest(["strength"], project)
    assert after_bib != before
    with open(project / "wra" / "presentation" / "style.py", "a", encoding="utf-8") as handle:
        handle.write("\n# a change\n")
    after_code = inputs.inputs_digest(["strength"], project)
    assert after_code != after_bib
    # data shipped inside the package (the route map's geometry) counts too
    geometry = project / "wra" / "presentation" / "geo" / "hexi.json"
    geometry.write_text(geometry.read_text(encoding="utf-8") + " ", encoding="utf-8")
    after_data = inputs.inputs_digest(["strength"], project)
    assert after_data != after_code
    # the book machinery, tools and tests are not imported by notebooks
    for folder in ("wra_book", "tools", "tests"):
        (project / folder).mkdir()
        (project / folder / "x.py").write_text("# not read by notebooks\n", encoding="utf-8")
    assert inputs.inputs_digest(["strength"], project) == after_data


def test_a_declared_notebook_cannot_load_an_undeclared_table(monkeypatch):
    from wra.record import data

    monkeypatch.setattr(data, "DECLARED", None)
    data.declare(["strength"])
    with pytest.raises(data.UndeclaredInputError, match=r"declares only wra.inputs: \[strength\]"):
        data.load("places")
    with pytest.raises(data.UndeclaredInputError):
        data.load_all()
    with pytest.raises(KeyError, match="unknown table"):
        data.declare(["strenght"])


# --------------------------------------------------------------------------
# inputs: the execution cache's key (built books)
# --------------------------------------------------------------------------


def test_the_build_rewrites_the_setup_call_of_notebooks_only(make_app, tmp_path):
    root = write_book(
        tmp_path / "book",
        {
            "notebooks/01_x.md": NOTEBOOK.format(extra="wra:\n  inputs: [strength]\n"),
            "book/preface.md": "# Preface\n\n```python\nwra.setup()\n```\n",
        },
    )
    app, _ = built(make_app, root)
    digest = inputs.inputs_digest(["strength"], root)
    assert f"wra.setup(inputs=['strength'], digest=\"{digest}\")" in app.env.get_doctree("notebooks/01_x").astext()
    assert app.env.wra_digests["notebooks/01_x"] == (["strength"], digest)
    preface = app.env.get_doctree("book/preface").astext()
    assert "wra.setup()" in preface and "digest" not in preface


def test_a_changed_input_rereads_exactly_its_notebooks_and_the_pages_that_glue(make_app, tmp_path):
    root = write_book(
        tmp_path / "book",
        {
            "notebooks/01_strength.md": NOTEBOOK.format(extra="wra:\n  inputs: [strength]\n"),
            "notebooks/02_places.md": NOTEBOOK.format(extra="wra:\n  inputs: [places]\n"),
            "book/findings.md": "# Findings\n\n% numbers come from {glue:text} roles\n",
            "book/preface.md": "# Preface\n",
        },
    )
    _, first = built(make_app, root)
    assert "notebooks/01_strength" in first and "book/preface" in first
    _, noop = built(make_app, root)
    assert noop == []
    with open(root / "data" / "strength.csv", "a", encoding="utf-8") as handle:
        handle.write("\n")
    _, again = built(make_app, root)
    assert again == ["book/findings", "notebooks/01_strength"]
    with open(root / "wra" / "analysis" / "strength.py", "a", encoding="utf-8") as handle:
        handle.write("\n# an edit to the package\n")
    _, everything = built(make_app, root)
    assert everything == ["book/findings", "notebooks/01_strength", "notebooks/02_places"]
    (root / "wra_book").mkdir()
    (root / "wra_book" / "feature.py").write_text("# the book machinery\n", encoding="utf-8")
    _, machinery = built(make_app, root)
    assert machinery == []


def test_a_notebook_without_setup_warns_and_is_read_again(make_app, tmp_path):
    root = write_book(tmp_path / "book", {"notebooks/01_x.md": "# No setup\n\n```{code-cell} ipython3\n1\n```\n"})
    app, _ = built(make_app, root)
    assert "notebook has no `wra.setup()` line" in app.warning.getvalue()
    assert "notebooks/01_x" in stale.docs(app.env)
    _, again = built(make_app, root)
    assert again == ["notebooks/01_x"]


def test_bad_front_matter_is_a_warning_naming_the_table(make_app, tmp_path):
    root = write_book(tmp_path / "book", {"notebooks/01_x.md": NOTEBOOK.format(extra="wra:\n  inputs: [strenght]\n")})
    app, _ = built(make_app, root)
    assert "unknown table(s) in wra.inputs: strenght" in app.warning.getvalue()


def test_the_notebooks_folder_and_front_matter_key_are_config_values(make_app, tmp_path):
    root = write_book(
        tmp_path / "book",
        {
            "chapters/01_x.md": NOTEBOOK.format(extra="book:\n  inputs: [places]\n"),
            "notebooks/02_y.md": NOTEBOOK.format(extra=""),
        },
        conf='wra_notebooks = "chapters"\nwra_front_matter_key = "book"\n',
    )
    app, _ = built(make_app, root)
    assert "wra.setup(inputs=['places']" in app.env.get_doctree("chapters/01_x").astext()
    assert set(app.env.wra_digests) == {"chapters/01_x"}
    assert "wra.setup()" in app.env.get_doctree("notebooks/02_y").astext()


# --------------------------------------------------------------------------
# downloads, outputs, plotly assets, search, glossary
# --------------------------------------------------------------------------


def test_each_chapter_offers_its_notebook_its_tables_and_the_bibliography(make_app, tmp_path):
    root = write_book(
        tmp_path / "book", {"notebooks/01_x.md": NOTEBOOK.format(extra="wra:\n  inputs: [strength, places]\n")}
    )
    app, _ = built(make_app, root)
    page = (Path(app.outdir) / "notebooks" / "01_x.html").read_text(encoding="utf-8")
    for file in ("01_x.md", "places.csv", "strength.csv", "references.bib"):
        assert f"/{file}" in page and "_downloads/" in page, file
    assert "directives.csv" not in page
    assert 'href="../data/README.html"' in page


def test_an_output_on_stderr_or_a_traceback_is_a_warning_and_read_again(make_app, tmp_path):
    outputs = [nbformat.v4.new_output("stream", name="stderr", text="careful: boxes instead of glyphs\n")]
    root = write_book(tmp_path / "book", {"book/stored.ipynb": notebook_ipynb(outputs)})
    app, _ = built(make_app, root)
    assert "a notebook output shows text on stderr: careful: boxes instead of glyphs" in app.warning.getvalue()
    _, again = built(make_app, root)
    assert again == ["book/stored"]


def test_charts_get_one_static_plotlyjs_and_their_scripts_in_files(make_app, tmp_path):
    import plotly.graph_objects as go

    from wra.presentation import plotly_html

    chart = plotly_html.figure_html(go.Figure(go.Scatter(x=[1, 2], y=[3, 4], text=["古浪", "高台"])))
    outputs = [nbformat.v4.new_output("display_data", data={"text/html": chart})]
    root = write_book(tmp_path / "book", {"book/chart.ipynb": notebook_ipynb(outputs), "book/plain.md": "# Plain\n"})
    app, _ = built(make_app, root)
    out = Path(app.outdir)
    page = (out / "book" / "chart.html").read_text(encoding="utf-8")
    # named once, for wra-charts.js to fetch when the chart is reached; never loaded as the page opens
    assert page.count("plotly-basic.min.js") == 1 and "Plotly.newPlot" not in page
    assert '<meta name="wra-plotly-js" content="../_static/wra/plotly-basic.min.js">' in page
    assert '<script src="../_static/wra/plotly-basic.min.js' not in page
    assert '<meta name="wra-plotly-style" content="../_static/wra/chart-style.js">' in page
    house = (out / "_static" / "wra" / "chart-style.js").read_text(encoding="utf-8")
    assert house == plotly_assets.house_style_js() and '"drop_annotations"' in house
    assert (out / "_static" / "wra" / "plotly-basic.min.js").read_bytes() == plotly_assets.VENDORED.read_bytes()
    scripts = list((out / "_static" / "wra" / "figures").glob("*.js"))
    assert len(scripts) == 1
    deferred = f'<script type="{plotly_assets.DEFERRED_TYPE}" data-src="../_static/wra/figures/{scripts[0].name}">'
    assert deferred in page
    assert "Plotly.newPlot" in scripts[0].read_text(encoding="utf-8")
    assert "plotly" not in (out / "book" / "plain.html").read_text(encoding="utf-8")


def test_figures_are_moved_out_of_the_page_into_scripts():
    import plotly.graph_objects as go

    from wra.presentation import plotly_html

    html = plotly_html.figure_html(go.Figure(go.Scatter(x=[1, 2], y=[3, 4], text=["古浪", "高台"])))
    stored = {}
    body = plotly_assets.externalise_figures(
        f"<p>before</p>{html}<p>after</p>", stored.__setitem__, lambda name: f"../_static/wra/figures/{name}"
    )
    assert "Plotly.newPlot" not in body and "\\u53e4" not in body
    assert len(stored) == 1
    name, script = next(iter(stored.items()))
    assert f'<script type="{plotly_assets.DEFERRED_TYPE}" data-src="../_static/wra/figures/{name}"></script>' in body
    assert "Plotly.newPlot" in script and "\\u53e4\\u6d6a" in script
    assert 'class="plotly-graph-div"' in body and "<p>after</p>" in body


# a PNG of 2 x 1 pixels
PNG_2x1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000002000000010806000000f4227f8a"
    "0000000b49444154789c63f80f050023e507f98a3478b30000000049454e44ae426082"
)

TWINS = """# Twins

Text before: {{numref}}`fig-a` and {{numref}}`fig-a-interactive`.

```{{figure}} pic.png
:name: fig-a

The static chart of something, with a first sentence long enough. More words.
```

```{{figure}} pic.png
:name: fig-a-interactive

The finding, stated. Interactive version of {{numref}}`fig-a`. hover text gives the source.
```

```{{figure}} pic.png
:name: fig-b

Another static chart standing alone, nothing merged into it.
```

```{{image}} pic.png
```

The lone picture shows a finding (see Fig. 1) worth reading aloud. More words.
"""


def test_a_static_figure_and_its_interactive_twin_become_one_figure(make_app, tmp_path):
    root = write_book(tmp_path / "book", {"book/twins.md": TWINS.format()}, conf="numfig = True\n")
    (root / "book" / "pic.png").write_bytes(PNG_2x1)
    app, _ = built(make_app, root)
    assert "fig-a-interactive" not in app.warning.getvalue(), app.warning.getvalue()
    page = (Path(app.outdir) / "book" / "twins.html").read_text(encoding="utf-8")
    # two figures, numbered 1 and 2: the twin has no figure or number of its own
    assert page.count("<figure") == 2 and "Fig. 3" not in page, page
    assert 'id="fig-a-interactive"' not in page
    merged = page[page.index('id="fig-a"') : page.index('id="fig-b"')]
    assert "wra-twin" in page[page.rindex("<figure", 0, page.index('id="fig-a"')) : page.index('id="fig-a"')]
    assert merged.count('class="wra-live docutils container"') == 1 and merged.count("<img") == 2
    # its caption less "Interactive version of Fig. 1", shown when the chart is live
    assert '<div class="wra-live-note docutils container">' in merged
    assert "Hover text gives the source." in merged and "Interactive version" not in page
    assert "The finding, stated." not in merged
    # a reference to the twin leads to the merged figure, with its number
    assert page.count('href="#fig-a"') >= 2 and page.count("Fig. 1") >= 3, page
    # images say what the chart shows: the first sentence of the caption, not a file name
    assert 'alt="The static chart of something, with a first sentence long enough."' in page
    assert 'alt="Another static chart standing alone, nothing merged into it."' in page
    # the HTML book's images load lazily, keeping their place (the size of the PNG)
    assert 'alt="The lone picture shows a finding (see Fig. 1) worth reading aloud."' in page
    assert page.count('<img loading="lazy" width="2" height="1" ') == 4, page


def test_an_interactive_figure_without_its_static_figure_stops_the_build(make_app, tmp_path):
    lone = TWINS.format().replace(":name: fig-a\n", ":name: fig-c\n")
    root = write_book(tmp_path / "book", {"book/twins.md": lone}, conf="numfig = True\n")
    (root / "book" / "pic.png").write_bytes(PNG_2x1)
    app, _ = built(make_app, root)
    assert "interactive figure 'fig-a-interactive' has no static figure 'fig-a' on its page" in app.warning.getvalue()


def test_the_search_keeps_the_records_chinese_names_whole(make_app, tmp_path):
    root = write_book(tmp_path / "book", {"book/places.md": "# 靖远 and 古浪\n"}, conf='html_search_language = "zh"\n')
    app, _ = built(make_app, root)
    dictionary = Path(app.config.html_search_options["dict"])
    assert dictionary.name == search.DICTIONARY
    terms = dictionary.read_text(encoding="utf-8").splitlines()
    assert "靖远 1000 ns" in terms and "古浪 1000 ns" in terms
    index = (Path(app.outdir) / "searchindex.js").read_text(encoding="utf-8")
    assert json.dumps("靖远")[1:-1] in index or "靖远" in index


def test_the_glossary_directive_renders_the_glossary_and_places_with_sources(make_app, tmp_path):
    root = write_book(tmp_path / "book", {"book/glossary.md": "# Glossary\n\n```{wra-glossary}\n```\n"})
    app, _ = built(make_app, root)
    text = app.env.get_doctree("book/glossary").astext()
    assert "People" in text and "Places" in text
    assert "靖远 Jingyuan (Jìngyuǎn)" in text and "Coordinates:" in text
    assert "Source:" in text
    assert not app.warning.getvalue().strip(), app.warning.getvalue()
