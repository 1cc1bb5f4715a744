"""What a reader downloads: each chapter's executed notebook, which runs on its own, and the data archive.

* Each chapter page links its executed ``.ipynb`` (the Downloads block and the
  theme's download menu), and ``wra-data.zip``.
* The executed notebook carries every output; its plotly outputs carry
  plotly's JSON (for Jupyter) beside the book's HTML; the build's additions are
  gone. Run with nbclient in an empty folder it executes without an error.
* ``WRA_DATA`` points the package at another copy of the data (the unzipped
  archive), and a missing record gives an error that says what to do.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from wra.presentation import plotly_html
from wra.record import paths
from wra_book import build, charts, downloads

CHAPTERS = build.notebooks(paths.ROOT)


def _download(html_dir: Path, stem: str) -> Path:
    return html_dir / "_sources" / f"{stem}.ipynb"


def _plotly_outputs(nb) -> list[dict]:
    return [
        output
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if plotly_html.PLOTLY_MIME in output.get("data", {})
    ]


def _page_has_chart(html_dir: Path, stem: str) -> bool:
    """Whether the chapter's page shows a chart (so its download must carry plotly's JSON)."""
    return 'class="wra-chart' in (html_dir / f"{stem}.html").read_text(encoding="utf-8")


# -- unit: the renderer and the cleaning -------------------------------------


def test_the_renderer_emits_plotlys_json_for_jupyter_and_the_book():
    import plotly.graph_objects as go

    bundle = plotly_html.BookRenderer().to_mimebundle(go.Figure(go.Bar(x=[1, 2], y=[3, 4])).to_dict())
    assert set(bundle) == {plotly_html.PLOTLY_MIME}
    assert bundle[plotly_html.PLOTLY_MIME]["data"][0]["type"] == "bar"


def test_the_book_draws_plotlys_json_as_a_chart_and_leaves_other_outputs_alone():
    from myst_nb.core.render import MimeData, load_mime_renders

    assert charts.ChartRenderer in load_mime_renders(), "entry point missing: pip install -e ."
    assert charts.ChartRenderer.handle_mime(None, MimeData("text/html", "<p>"), False) is None


def test_for_download_removes_the_builds_additions():
    nb = nbformat.v4.new_notebook(
        metadata={"jupytext": {}, "source_map": [1], "kernelspec": {"name": "python3", "display_name": "Python 3"}}
    )
    nb.cells = [
        nbformat.v4.new_code_cell("import wra\nwra.setup(inputs=['strength'], digest=\"0123abcd\")\nx = 1"),
        nbformat.v4.new_markdown_cell("## Downloads", metadata={"wra": "downloads"}),
    ]
    clean = downloads.for_download(nb)
    assert clean.cells[0].source == "import wra\nwra.setup()\nx = 1"
    assert len(clean.cells) == 1
    assert set(clean.metadata) == {"kernelspec"}
    # the block the build appends is the cell dropped here
    assert '+++ {"wra": "downloads"}' in downloads.downloads_block("notebooks/03_troop_strength", ["strength"])


def test_a_notebook_taken_from_the_execution_cache_gets_its_outputs_back(tmp_path):
    """myst-nb writes a cached notebook to jupyter_execute/ without its outputs; the download
    takes them from the cache, and a notebook the cache does not hold is a warning, not an
    empty download."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    executed = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}})
    executed.cells = [
        nbformat.v4.new_code_cell("x = 1", execution_count=1),
        nbformat.v4.new_code_cell(
            "x",
            execution_count=2,
            outputs=[nbformat.v4.new_output("execute_result", {"text/plain": "1"}, execution_count=2)],
        ),
    ]
    cache = get_cache(str(tmp_path / "cache"))
    cache.cache_notebook_bundle(CacheBundleIn(executed, tmp_path / "chapter.ipynb"), check_validity=False)
    written = nbformat.from_dict(json.loads(json.dumps(executed)))
    for cell in written.cells:
        cell.outputs, cell.execution_count = [], None
    assert not downloads.has_outputs(written)
    restored = downloads.from_cache(tmp_path / "cache", written, "chapter")
    assert downloads.has_outputs(restored) and restored.cells[1].outputs[0]["data"]["text/plain"] == "1"
    other = nbformat.from_dict(json.loads(json.dumps(written)))
    other.cells[0].source = "x = 2"
    assert downloads.from_cache(tmp_path / "cache", other, "chapter") is None


def test_the_data_archive_is_complete_and_the_same_bytes_each_time(tmp_path):
    first = downloads.write_archive(tmp_path / "a.zip")
    second = downloads.write_archive(tmp_path / "b.zip")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
        for table in paths.TABLES:
            assert archive.read(f"wra-data/{table}.csv") == paths.table_path(table).read_bytes()
        assert archive.read("wra-data/references.bib") == paths.BIB.read_bytes()
        assert archive.read("wra-data/README.md") == (paths.ROOT / "data" / "README.md").read_bytes()
    assert "wra-data/ABOUT.txt" in names


def _python(code: str, env_extra: dict, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != paths.ENV_DATA}
    env.update(env_extra)
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True)


def test_wra_data_points_the_package_at_another_copy_of_the_data(tmp_path):
    with zipfile.ZipFile(downloads.write_archive(tmp_path / "wra-data.zip")) as archive:
        archive.extractall(tmp_path)
    folder = tmp_path / "wra-data"
    strength = folder / "strength.csv"
    lines = strength.read_text(encoding="utf-8").splitlines(keepends=True)
    # the archive's copy differs from the repository's by one comment: read from there, not from data/
    header = lines[0].rstrip("\n").split(",")
    assert "comment_en" in header
    code = "from wra.record import data, paths; t = data.load('strength'); print(paths.DATA); print(len(t))"
    ran = _python(code, {paths.ENV_DATA: str(folder)}, tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.splitlines()[0] == str(folder.resolve())
    # remove the last row in the copy only: the count follows the copy
    strength.write_text("".join(lines[:-1]), encoding="utf-8")
    fewer = _python(code, {paths.ENV_DATA: str(folder)}, tmp_path)
    assert fewer.returncode == 0, fewer.stderr
    assert int(fewer.stdout.splitlines()[1]) == int(ran.stdout.splitlines()[1]) - 1


def test_missing_data_says_how_to_point_at_it(tmp_path):
    ran = _python("import wra; wra.setup()", {paths.ENV_DATA: str(tmp_path / "nowhere")}, tmp_path)
    assert ran.returncode != 0
    assert "DataNotFoundError" in ran.stderr and "WRA_DATA" in ran.stderr and "pip install -e ." in ran.stderr


# -- the built book ------------------------------------------------------------


@pytest.mark.book
@pytest.mark.parametrize("stem", CHAPTERS)
def test_each_chapter_links_its_executed_notebook_and_the_data_archive(html_dir, stem):
    page = (html_dir / f"{stem}.html").read_text(encoding="utf-8")
    name = stem.rsplit("/", 1)[-1]
    links = re.findall(r'href="(\.\./_sources/notebooks/' + re.escape(name) + r'\.ipynb)"', page)
    assert len(links) >= 2, f"{stem}: the Downloads block and the download menu should both offer {name}.ipynb"
    assert _download(html_dir, stem).exists()
    assert 'href="../wra-data.zip"' in page and (html_dir / "wra-data.zip").exists()


MENU = re.compile(r'<div class="dropdown dropdown-download-buttons">.*?</ul>', re.DOTALL)


def _menu(page: str) -> dict[str, str]:
    """The download menu of a built page: each entry's text and address."""
    menu = MENU.search(page)
    assert menu, "no download menu"
    items = re.findall(
        r'<a href="([^"]+)".*?<span class="btn__text-container">([^<]+)</span>', menu.group(0), re.DOTALL
    )
    return {html.unescape(text): html.unescape(href) for href, text in items}


def test_the_download_menu_offers_the_book_and_the_data_instead_of_printing_the_page():
    theme = [
        {"type": "link", "url": "../_sources/x.ipynb", "text": ".ipynb", "label": "download-notebook-button"},
        {"type": "link", "url": "../_sources/x.md", "text": ".md", "label": "download-source-button"},
        {"type": "javascript", "javascript": "window.print()", "text": ".pdf", "label": "download-pdf-button"},
    ]
    menu = downloads.download_menu(theme, lambda name, _: f"../{name}", chapter=True)
    assert [b["url"] for b in menu] == ["../_sources/x.ipynb", "../western-route-army.pdf", "../wra-data.zip"]
    assert not any(b["type"] == "javascript" for b in menu)
    assert "notebook" in menu[0]["text"] and "PDF" in menu[1]["text"]
    page = downloads.download_menu(theme[1:], lambda name, _: name, chapter=False)
    assert [b["label"] for b in page] == ["download-book-pdf-button", "download-data-button"]


def test_the_menus_pdf_is_the_one_make_pdf_prints():
    source = (paths.ROOT / "tools" / "pdf.py").read_text(encoding="utf-8")
    assert f'PDF_NAME = "{downloads.BOOK_PDF}"' in source


@pytest.mark.book
@pytest.mark.parametrize("stem", [*CHAPTERS, "book/index", "book/glossary"])
def test_every_pages_download_menu_leads_to_files_that_exist(html_dir, stem):
    path = html_dir / f"{stem}.html"
    page = path.read_text(encoding="utf-8")
    assert "window.print()" not in page
    menu = _menu(page)
    assert "The whole book (PDF)" in menu and "All the data (wra-data.zip)" in menu, menu
    if stem in CHAPTERS:
        assert "This chapter as a notebook (.ipynb)" in menu, menu
    for text, href in menu.items():
        assert (path.parent / href).resolve().is_file(), f"{stem}: {text} leads to {href}, which is not there"


@pytest.mark.book
@pytest.mark.parametrize("stem", CHAPTERS)
def test_the_executed_notebook_has_its_outputs_and_plotlys_json(html_dir, stem):
    nb = nbformat.read(_download(html_dir, stem), as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.get("execution_count") for c in code), f"{stem}: not every cell was executed"
    setup = [c for c in code if "wra.setup(" in c.source]
    assert setup and all(re.search(r"^wra\.setup\(\)$", c.source, re.MULTILINE) for c in setup)
    assert not any("{download}" in c.source for c in nb.cells), "the build's Downloads block is in the notebook"
    plots = _plotly_outputs(nb)
    assert bool(plots) == _page_has_chart(html_dir, stem), f"{stem}: the page's charts and the download's differ"
    for output in plots:
        assert set(output["data"]) == {plotly_html.PLOTLY_MIME}


@pytest.mark.book
@pytest.mark.parametrize("stem", CHAPTERS)
def test_the_executed_download_runs_in_an_empty_folder(html_dir, stem, tmp_path):
    """As a reader runs it: the downloaded file alone in a folder; the package installed."""
    target = tmp_path / f"{stem.rsplit('/', 1)[-1]}.ipynb"
    target.write_bytes(_download(html_dir, stem).read_bytes())
    env_before = os.environ.get(paths.ENV_DATA)
    if stem.endswith("03_troop_strength"):
        # this one reads the data archive, unzipped, through WRA_DATA
        with zipfile.ZipFile(html_dir / "wra-data.zip") as archive:
            archive.extractall(tmp_path / "unzipped")
        os.environ[paths.ENV_DATA] = str(tmp_path / "unzipped" / "wra-data")
    try:
        nb = nbformat.read(target, as_version=4)
        NotebookClient(
            nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
        ).execute()
    finally:
        if env_before is None:
            os.environ.pop(paths.ENV_DATA, None)
        else:
            os.environ[paths.ENV_DATA] = env_before
    bad = [
        f"cell {i}: {o.get('ename') or o.get('name')}: {(o.get('text') or o.get('evalue') or '')[-300:]}"
        for i, cell in enumerate(nb.cells)
        for o in cell.get("outputs", [])
        if o.output_type == "error" or (o.output_type == "stream" and o.name == "stderr")
    ]
    assert not bad, "\n".join(bad)
    plots = _plotly_outputs(nb)
    assert bool(plots) == _page_has_chart(html_dir, stem), f"{stem}: the page's charts and the download's differ"
    assert all(plotly_html.PLOTLY_MIME in o["data"] for o in plots)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "unzipped") == [target.name], "it wrote files"
