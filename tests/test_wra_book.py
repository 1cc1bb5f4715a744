"""The book's Sphinx machinery (wra_book), feature by feature, on tiny books built with sphinx.testing.

Each test writes a small project (the valid fixture's data and bibliography,
a copy of the ``wra`` package for the cache digest, a few pages) and builds
it with Sphinx's own test application (``make_app``), myst-nb reading the
notebooks without executing them.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from sphinx.errors import ExtensionError

import wra
from wra.presentation import figures, style
from wra.record import paths
from wra_book import charts as wra_charts
from wra_book import inputs, notebooks, search, stale

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


def chart_notebook() -> str:
    """A notebook with an interactive chart in a numbered figure, a lone chart after which a
    paragraph says what it shows, and an image-only chart."""
    import plotly.graph_objects as go

    from wra.presentation import figures, plotly_html

    wra.setup(force=True)
    live = go.Figure(go.Scatter(x=[1, 2], y=[3, 4], text=["古浪", "高台"], name="西路军"))
    figures.set_title(live, "The finding: the army fell", "A subtitle 副标题")
    figures.on_phone(live, dict(height=380), traces={"西路军": dict(mode="lines")})
    lone = go.Figure(go.Bar(x=[1, 2], y=[3, 4]))
    still = figures.static_only(go.Figure(go.Bar(x=[1, 2], y=[1, 2])))
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}

    def output(fig):
        return [nbformat.v4.new_output("display_data", data=plotly_html.bundle(fig))]

    caption = {"figure": {"caption": "The army fell, as the first sentence says. More words.", "name": "fig-live"}}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Charts"),
        nbformat.v4.new_code_cell("live", outputs=output(live), metadata={"mystnb": caption}),
        nbformat.v4.new_code_cell("lone", outputs=output(lone)),
        nbformat.v4.new_markdown_cell("The lone chart shows a finding worth reading aloud. More words."),
        nbformat.v4.new_code_cell(
            "still",
            outputs=output(still),
            metadata={
                "mystnb": {
                    "figure": {"caption": "An image-only chart with no title of its own. More.", "name": "fig-still"}
                }
            },
        ),
    ]
    return nbformat.writes(nb)


@pytest.fixture(scope="module")
def chart_book(tmp_path_factory):
    """One build for the chart tests (drawing the images takes a few seconds)."""
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    root = write_book(tmp_path_factory.mktemp("charts") / "book", {"book/chart.ipynb": chart_notebook()})
    (root / "book" / "plain.md").write_text("# Plain\n", encoding="utf-8")
    app = SphinxTestApp("html", srcdir=root, confoverrides={"numfig": True}, status=StringIO(), warning=StringIO())
    try:
        app.build()
        yield app, Path(app.outdir)
    finally:
        app.cleanup()


def test_a_chart_is_its_images_first_with_one_script_per_drawing(chart_book):
    app, out = chart_book
    assert not app.warning.getvalue().strip(), app.warning.getvalue()
    page = (out / "book" / "chart.html").read_text(encoding="utf-8")
    live = page[page.index('<div class="wra-chart wra-interactive">') :]
    live = live[: live.index("</div>")]
    # two pictures (light, dark), each with its phone drawing for narrow screens
    assert live.count("<picture") == 2 and live.count("<source ") == 2
    assert f'media="screen and (max-width: {style.PHONE_MAX}px)"' in live
    # the images exist, at the house widths (2x), and differ by width and theme
    images = re.findall(r'(?:src|srcset)="\.\./(_images/[^"]+\.png)"', live)
    assert len(images) == 4 and len(set(images)) == 4
    sizes = sorted(charts_png_size(out / i)[0] for i in images)
    assert sizes == [style.PHONE.width * style.SCALE] * 2 + [style.WIDE.width * style.SCALE] * 2
    # plotly.js is named once for wra-charts.js, never loaded as the page opens
    assert page.count("plotly-basic.min.js") == 1 and "Plotly.newPlot" not in page
    assert '<meta name="wra-plotly-js" content="../_static/wra/plotly-basic.min.js">' in page
    assert (out / "_static" / "wra" / "plotly-basic.min.js").read_bytes() == wra_charts.VENDORED.read_bytes()
    # one deferred script per drawing: data, layout and config of exactly that drawing
    scripts = re.findall(r'data-variant="([a-z-]+)" data-src="\.\./(_static/wra/charts/[0-9a-f]+\.js)"', live)
    assert [v for v, _ in scripts] == list(figures.VARIANTS)
    drawn = {
        v: json.loads((out / s).read_text(encoding="utf-8").split(", ", 1)[1].rsplit(");", 1)[0]) for v, s in scripts
    }
    assert drawn["phone-light"]["layout"]["height"] == 380 and drawn["wide-light"]["layout"]["height"] == 450
    assert drawn["phone-dark"]["data"][0]["mode"] == "lines" and drawn["wide-dark"]["data"][0].get("mode") != "lines"
    assert (
        drawn["phone-light"]["config"]["displayModeBar"] is False
        and drawn["wide-light"]["config"]["displaylogo"] is False
    )
    assert "width" not in drawn["wide-light"]["layout"], "the interactive chart fills its column"
    assert "The finding:" in drawn["wide-dark"]["layout"]["title"]["text"]
    assert "plotly" not in (out / "book" / "plain.html").read_text(encoding="utf-8")


def test_images_say_what_the_chart_shows_and_keep_their_place(chart_book):
    _, out = chart_book
    page = (out / "book" / "chart.html").read_text(encoding="utf-8")
    # a chart with a title says its finding; one without, its caption's or the next paragraph's opening
    assert page.count('alt="The finding: the army fell"') == 2
    assert page.count('alt="The lone chart shows a finding worth reading aloud."') == 2
    assert page.count('alt="An image-only chart with no title of its own."') == 2
    imgs = re.findall(r"<img [^>]+>", page)
    assert imgs and all('loading="lazy"' in i and re.search(r'width="\d+" height="\d+"', i) for i in imgs)


def test_an_image_only_chart_opens_full_size_and_has_no_script(chart_book):
    _, out = chart_book
    page = (out / "book" / "chart.html").read_text(encoding="utf-8")
    still = page[page.index('<div class="wra-chart wra-static">') :]
    still = still[: still.index("</div>")]
    assert "<script" not in still
    link = re.search(r'<a class="wra-chart-full" href="\.\./(_images/[^"]+)"', still).group(1)
    assert (out / link).is_file() and f'src="../{link}"' in still


def test_a_rebuild_draws_nothing_again_and_an_edit_draws_only_its_chart(chart_book):
    app, _ = chart_book
    cache = wra_charts.cache_dir(app)
    before = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.png")}
    assert len(before) == 12
    # drawing again what the cache holds draws nothing
    assert wra_charts.export(cache, [p.stem for p in cache.glob("*.json")]) == []
    # a changed figure is four new drawings, the others stay as they were
    import plotly.graph_objects as go

    changed = wra_charts.draw(go.Figure(go.Bar(x=[1, 2], y=[3, 5])), cache)
    after = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.png")}
    assert len(after) == 16 and all(after[name] == stamp for name, stamp in before.items())
    assert all(path.is_file() for path in changed.values())


def test_a_trace_type_outside_the_bundle_stops_the_build(make_app, tmp_path):
    import plotly.graph_objects as go

    bad = {"data": go.Figure(go.Heatmap(z=[[1, 2], [3, 4]])).to_plotly_json()["data"], "layout": {}}
    outputs = [nbformat.v4.new_output("display_data", data={"application/vnd.plotly.v1+json": bad})]
    root = write_book(tmp_path / "book", {"book/bad.ipynb": notebook_ipynb(outputs)})
    app, _ = built(make_app, root)
    assert "heatmap" in app.warning.getvalue() and "plotly.js bundle" in app.warning.getvalue()


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


def charts_png_size(path: Path) -> tuple[int, int]:
    import struct

    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", head[16:24])


def test_the_glossary_has_an_index_by_kind_a_place_for_its_filter_and_headings(make_app, tmp_path):
    root = write_book(tmp_path / "book", {"book/glossary.md": "# Glossary\n\n```{wra-glossary}\n```\n"})
    app, _ = built(make_app, root)
    page = (Path(app.outdir) / "book" / "glossary.html").read_text(encoding="utf-8")
    index = re.search(r'<p class="wra-glossary-index">(.*?)</p>', page, re.DOTALL).group(1)
    kinds = re.findall(r'href="#(glossary-[a-z]+)"[^>]*>(?:<[^>]+>)*([^<(]+) \((\d+)\)', index)
    assert [k[1] for k in kinds][-1] == "Places" and len(kinds) >= 2, index
    for anchor, heading, count in kinds:
        # each kind: an h2 with its anchor, then exactly as many entries as the index says
        section = re.search(rf'<h2 class="rubric" id="{anchor}">{heading}</h2>\s*<dl[^>]*>(.*?)</dl>', page, re.DOTALL)
        assert section, (anchor, heading)
        assert section.group(1).count("<dt") == int(count), (heading, count)
    assert '<div class="wra-glossary-find docutils container">' in page
    assert "_static/wra/find/wra-find.js" in page and "_static/wra/find/wra-glossary.js" in page
    names = (Path(app.outdir) / "_static" / "wra" / "find" / "wra-find.js").read_text(encoding="utf-8")
    assert names.startswith("window.WRA_NAMES = [") and '"靖远"' in names and '"Jìngyuǎn"' in names


def test_the_names_give_every_form_of_a_name_and_nothing_breaks_the_script(tmp_path):
    from wra_book import find

    assert find.forms("Ganzhou (Zhangye)") == ["Ganzhou", "Zhangye"]
    assert find.forms("甘州（张掖）") == ["甘州", "张掖"]
    assert find.forms("the Hexi Corridor") == ["Hexi Corridor"]
    assert find.forms("") == []
    names = find.names(paths.ROOT)
    assert ["高台", "Gāotái", "Gaotai"] in names
    assert ["张国焘", "Zhāng Guótāo", "Zhang Guotao"] in names
    script = find.script([["</script><script>alert(1)</script>"]])
    assert "</script>" not in script.split("\n", 1)[0]


ANSWER_PAGES = {
    "book/a.md": """# Chapter A

```{wra-answer} fig-a
The answer is *forty-two*.

*How firm:* not very.
```

## Overview

```{figure} chart.png
:name: fig-a

The chart.
```
""",
    "book/b.md": """# Chapter B

```{wra-answer} fig-a
:label: The answer
Told in chapter A.
```
""",
}


def test_an_answer_box_under_the_title_links_its_chart_on_its_page_or_another(make_app, tmp_path):
    root = write_book(tmp_path / "book", ANSWER_PAGES, conf="numfig = True\n")
    (root / "book" / "chart.png").write_bytes(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
        )
    )
    app, _ = built(make_app, root)
    assert not app.warning.getvalue().strip(), app.warning.getvalue()
    a = (Path(app.outdir) / "book" / "a.html").read_text(encoding="utf-8")
    box = re.search(r'<div class="wra-answer docutils container">(.*?)</div>', a, re.DOTALL).group(1)
    assert '<p class="wra-answer-label">In short</p>' in box
    assert "<em>forty-two</em>" in box
    assert '<p class="wra-firm"><em>How firm:</em> not very.</p>' in box
    assert re.search(r'Shown in <a class="reference internal" href="#fig-a">.*?Fig\. 1.*?</a>\.</p>', box, re.DOTALL)
    # the box stands before the first section under the title
    assert a.index("wra-answer") < a.index('id="overview"')
    b = (Path(app.outdir) / "book" / "b.html").read_text(encoding="utf-8")
    assert '<p class="wra-answer-label">The answer</p>' in b
    assert re.search(r'href="a\.html#fig-a">.*?Fig\. 1.*?</a>, in <em>Chapter A</em>\.</p>', b, re.DOTALL), b


def test_an_answer_box_needs_its_answer(make_app, tmp_path):
    root = write_book(tmp_path / "book", {"book/a.md": "# A\n\n```{wra-answer}\n```\n"})
    app, _ = built(make_app, root)
    assert "wra-answer: the answer is missing" in app.warning.getvalue()


def test_markup_slims_only_empty_wrappers():
    from wra_book.markup import slim

    one = '<code class="docutils literal notranslate"><span class="pre">date</span></code>'
    two = '<code class="docutils literal notranslate"><span class="pre">a</span> <span class="pre">b</span></code>'
    assert slim(one) == '<code class="docutils literal notranslate">date</code>'
    assert slim(two) == two  # several words keep their spans: they may wrap between them
    assert slim('x <span class="pasted-text">21,800</span> y') == "x 21,800 y"
    nested = '<span class="pasted-text"><em>a</em></span>'
    assert slim(nested) == nested


FAKE_DRAWER = """
import pathlib, subprocess, sys, time
from PIL import Image
folder, keys = pathlib.Path(sys.argv[1]), sys.argv[4:]
tried = folder / "tried"
n = int(tried.read_text()) if tried.exists() else 0
tried.write_text(str(n + 1))
if n < int((folder / "hangs").read_text()):  # hang as Chromium does at start-up, a child and all
    (folder / f"pid{n}").write_text(str(subprocess.Popen(["sleep", "600"]).pid))
    time.sleep(600)
for key in keys:
    Image.new("RGB", (4, 4), "white").save(folder / f"{key}.png.tmp", format="PNG")
"""


def _fake_drawer(tmp_path, monkeypatch, hangs: int) -> Path:
    folder = tmp_path / "cache"
    folder.mkdir()
    (tmp_path / "fakedraw.py").write_text(FAKE_DRAWER, encoding="utf-8")
    (folder / "hangs").write_text(str(hangs))
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    monkeypatch.setattr(wra_charts, "DRAWER", "fakedraw")
    monkeypatch.setattr(wra_charts, "STALL_SECONDS", 2)
    return folder


def _alive(pid: int, grace: float = 5.0) -> bool:
    """True if ``pid`` still runs ``grace`` seconds on (a killed process dies a moment later; a zombie is dead)."""
    import time

    deadline = time.monotonic() + grace
    while True:
        stat = Path(f"/proc/{pid}/stat")
        try:
            running = stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except (FileNotFoundError, ProcessLookupError, IndexError):
            running = False
        if not running or time.monotonic() > deadline:
            return running
        time.sleep(0.1)


def test_a_hung_image_session_is_killed_with_its_children_and_tried_again(tmp_path, monkeypatch):
    folder = _fake_drawer(tmp_path, monkeypatch, hangs=1)
    assert wra_charts.export(folder, ["a", "b"]) == ["a", "b"]
    assert (folder / "a.png").is_file() and (folder / "b.png").is_file() and not list(folder.glob("*.tmp"))
    assert (folder / "tried").read_text() == "2"
    assert not _alive(int((folder / "pid0").read_text())), "the hung session's Chromium is still running"


def test_a_session_that_always_hangs_stops_the_build_in_one_line(tmp_path, monkeypatch):
    folder = _fake_drawer(tmp_path, monkeypatch, hangs=99)
    with pytest.raises(ExtensionError, match=r"no image for 1 chart drawing\(s\), 3 times: .*Chromium hung"):
        wra_charts.export(folder, ["a"])
    assert (folder / "tried").read_text() == str(wra_charts.EXPORT_TRIES)
    assert not any(_alive(int((folder / f"pid{n}").read_text())) for n in range(wra_charts.EXPORT_TRIES))


def test_an_answers_glued_values_keep_their_wrapper_and_others_lose_it():
    from docutils import nodes

    from wra_book.answer import CLASS, _mark_glued
    from wra_book.markup import slim

    def glued(text):
        return nodes.inline(text, text, classes=["pasted-text"])

    box = nodes.container(classes=[CLASS])
    box += nodes.paragraph("", "", nodes.Text("It followed "), glued("13 of 16"))
    prose = nodes.paragraph("", "", glued("21,800"))
    doctree = nodes.section("", box, prose)
    _mark_glued(doctree)
    assert box.next_node(nodes.inline)["classes"] == ["pasted-text", "wra-glued"]
    assert prose.next_node(nodes.inline)["classes"] == ["pasted-text"]
    kept = '<span class="pasted-text wra-glued">13 of 16</span>'
    assert slim(kept) == kept
