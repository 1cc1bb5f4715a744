"""What a reader downloads from the book.

* **A Downloads section at the end of each chapter** (every notebook, see
  :mod:`wra_book.notebooks`), appended as the notebook is read
  (:func:`downloads_block`): the chapter as an executed notebook, its source,
  the tables its front matter declares and the bibliography, the data
  dictionary, and the archive of all the data.
* **Each chapter as an executed notebook.** myst-nb writes every notebook it
  runs, with its outputs, to ``_build/jupyter_execute/``. When a chapter page
  is written, that notebook is cleaned for the reader (:func:`for_download`:
  the build's own additions removed) and copied beside the page's source in
  ``_sources/``, where the theme's download menu and the Downloads section
  link to it. It runs in an empty folder wherever the package is installed;
  the data is found as :mod:`wra.record.paths` says (the repository's
  ``data/``, or ``WRA_DATA``).
* **The page's download menu** (sphinx-book-theme's, in the article header)
  offers what a reader takes away: the chapter's executed notebook, the whole
  book as one PDF (``make book`` prints it beside the front page,
  ``tools/pdf.py``) and the data archive; not the theme's ".pdf", which ran
  ``window.print()`` on the page (:func:`download_menu`).
* **The data as one archive.** ``wra-data.zip`` at the root of the HTML
  output holds the CSV tables, ``references.bib`` and the data dictionary
  (``data/README.md``), in one folder ``wra-data/`` that ``WRA_DATA`` can
  name, with what makes it citable and reusable: ``datapackage.json`` (a
  Frictionless data package made from the data contract,
  :mod:`wra.record.datapackage`) and the ``bibliography.csv`` it links
  ``source`` and ``via`` to, ``CITATION.cff``, and the licence
  (``LICENSE.txt``, CC BY 4.0). Its comment and ``ABOUT.txt`` give the
  version (:mod:`wra_book.citation`). The archive is the same bytes for the
  same data (fixed timestamps).

Nothing is written outside the builder's output folder; never into ``data/``.
"""

from __future__ import annotations

import io
import json
import posixpath
import re
import zipfile
from pathlib import Path

import nbformat
import yaml
from sphinx.util import logging

from wra.record import datapackage, paths
from wra_book import citation, notebooks, pages

logger = logging.getLogger(__name__)

DATA_ARCHIVE = "wra-data.zip"
#: the whole book as one PDF, at the root of the HTML output (written by tools/pdf.py)
BOOK_PDF = "western-route-army.pdf"
ARCHIVE_FOLDER = "wra-data"
#: the markdown cell the build appends to each chapter (see :func:`downloads_block`)
BLOCK_MARKER = "downloads"
BUILD_SETUP_CALL = re.compile(r"^(\s*)wra\.setup\(inputs=\[[^\]]*\], digest=\"[0-9a-f]+\"\)[ \t]*$", re.MULTILINE)
DROP_METADATA = ("jupytext", "source_map")
ABOUT = """\
{title}: the book's data
{rule}

Version {version}, released {released}.

directives.csv, actions.csv, assessments.csv, strength.csv, places.csv,
glossary.csv, positions.csv, readings.csv
                  the record, one table a file (UTF-8 CSV)
references.bib    every source a row cites
bibliography.csv  every key of references.bib, for joining the tables' source and via
README.md         the data dictionary: every column, rule and convention
datapackage.json  the tables' contract as a Frictionless data package: types,
                  allowed values, primary and foreign keys. Check the tables with
                  `frictionless validate datapackage.json`
CITATION.cff      how to cite these data (Citation File Format)
LICENSE.txt       the licence: CC BY 4.0. Quotations from other works, cited
                  in the tables, remain their authors'.

To run the book's notebooks with this folder's data, install the project's
package (`pip install -e .` in a checkout of the project) and set

    export WRA_DATA=/path/to/wra-data

before starting Jupyter. The notebooks then read these files.

Where the project lives: {where}.
"""


def downloads_block(docname: str, inputs: list[str]) -> str:
    """Markdown appended to a chapter ``docname``: its notebook (executed, and as source) and its data.

    The executed notebook and the data archive are written while the page is
    written, after this block is read: plain HTML links point at them.
    """
    here = posixpath.dirname(docname)

    def rel(path: str) -> str:
        return posixpath.relpath(path, here or ".")

    name = posixpath.basename(docname)
    data_folder = paths.data_dir(".").as_posix()
    bib = paths.bib_path(".").as_posix()
    data = [f"{{download}}`{t}.csv <{rel(f'{data_folder}/{t}.csv')}>`" for t in inputs]
    data.append(f"{{download}}`{posixpath.basename(bib)} <{rel(bib)}>`")
    return (
        f'\n\n+++ {{"wra": "{BLOCK_MARKER}"}}\n\n## Downloads\n\n'
        ":::{container} wra-downloads\n"
        f'- **This chapter as a notebook, executed**, with every output: <a href="{rel(f"_sources/{docname}.ipynb")}" '
        f"download>{name}.ipynb</a>. It runs in Jupyter, in any folder, wherever the project's package is installed; "
        f"see {{doc}}`{rel('book/preface')}`, *How to rerun it*.\n"
        f"- Its source, a MyST Markdown text notebook (JupyterLab opens it with jupytext): "
        f"{{download}}`{name}.md <{name}.md>`.\n"
        "- The data it used: " + ", ".join(data) + f". Their columns are described in "
        f"{{doc}}`{rel(f'{data_folder}/README')}`.\n"
        "- All the data in one archive (every table, references.bib and the data dictionary): "
        f'<a href="{rel(DATA_ARCHIVE)}" download>{DATA_ARCHIVE}</a>.\n'
        ":::\n"
    )


def _source_read(app, docname, source):
    if not notebooks.is_notebook(app.config, docname):
        return
    try:
        inputs = notebooks.inputs(app.config, source[0])
    except (ValueError, yaml.YAMLError):
        return  # the front matter's error is reported by wra_book.inputs
    source[0] += downloads_block(docname, inputs)


def executed_notebook(outdir: Path | str, docname: str) -> Path:
    """Where myst-nb wrote the executed notebook of ``docname``."""
    from myst_nb.sphinx_ext import OUTPUT_FOLDER

    return Path(outdir).parent / OUTPUT_FOLDER / f"{docname}.ipynb"


def for_download(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The executed notebook as a reader gets it: outputs kept, the build's additions removed.

    * ``wra.setup(inputs=[...], digest="...")`` (the build's rewrite) is ``wra.setup()`` again;
    * the Downloads block the build appends is dropped;
    * myst-nb's and jupytext's bookkeeping (``source_map``, ``jupytext``) is dropped.
    """
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    for key in DROP_METADATA:
        nb.metadata.pop(key, None)
    cells = []
    for cell in nb.cells:
        if cell.get("metadata", {}).get("wra") == BLOCK_MARKER:
            continue
        if cell.cell_type == "code":
            cell.source = BUILD_SETUP_CALL.sub(lambda m: m.group(1) + "wra.setup()", cell.source)
        cells.append(cell)
    nb.cells = cells
    return nb


def has_outputs(nb: nbformat.NotebookNode) -> bool:
    """Whether any code cell of ``nb`` has an output."""
    return any(cell.get("outputs") for cell in nb.cells if cell.cell_type == "code")


def from_cache(cache_path: str | Path, nb: nbformat.NotebookNode, pagename: str) -> nbformat.NotebookNode | None:
    """``nb`` with the outputs of its run in the execution cache (None, with a warning, if there is none).

    When myst-nb takes a notebook from its cache it renders the cached outputs
    but writes the notebook it read, without them, to ``jupyter_execute/``
    (myst-nb 1.4: ``sphinx_.py`` writes ``notebook``, not the client's merged
    copy), so a chapter re-read from the cache would offer an empty download.
    """
    from jupyter_cache import get_cache

    try:
        _, merged = get_cache(str(cache_path)).merge_match_into_notebook(nb)
    except KeyError:
        merged = None
    if merged is None or not has_outputs(merged):
        logger.warning(
            f"the executed notebook of {pagename} has no outputs, and the execution cache has none: "
            "the chapter's .ipynb download would be empty",
            location=pagename,
            type="wra",
            subtype="downloads",
        )
        return None
    return merged


def _page_context(app, pagename, templatename, context, doctree):
    """Copy a chapter's executed notebook into ``_sources/`` and offer it in the download menu."""
    if app.builder.name not in ("html", "dirhtml") or not notebooks.is_notebook(app.config, pagename):
        return
    source = executed_notebook(app.outdir, pagename)
    if not source.exists():
        logger.warning(
            f"no executed notebook at {source}: the chapter's .ipynb download would be missing",
            location=pagename,
            type="wra",
            subtype="downloads",
        )
        return
    nb = nbformat.read(source, as_version=4)
    if not has_outputs(nb):
        nb = from_cache(app.env.mystnb_config.execution_cache_path, nb, pagename)
        if nb is None:
            return
    nb = for_download(nb)
    pages.write_if_changed(Path(app.outdir) / "_sources" / f"{pagename}.ipynb", nbformat.writes(nb) + "\n")
    # sphinx-book-theme's download menu lists ".ipynb" when this is set.
    context["ipynb_source"] = f"{pagename}.ipynb"


def download_menu(buttons: list[dict], pathto, chapter: bool) -> list[dict]:
    """The download menu's entries for a page, from sphinx-book-theme's ``buttons``.

    The chapter's executed notebook (``.ipynb``) stays, named for a reader; the
    theme's ".pdf" (``window.print()`` on the page) gives way to the book's PDF;
    the data archive is added. The page's MyST source is left to the chapter's
    Downloads block. Each entry says what it is, so it needs no tooltip (and
    the page stays light). ``pathto(name, 1)`` is a file's address from the page.
    """
    out = []
    for button in buttons:
        if chapter and button.get("label") == "download-notebook-button":
            out.append({**button, "text": "This chapter as a notebook (.ipynb)", "tooltip": None})
    out.append(
        {
            "type": "link",
            "url": pathto(BOOK_PDF, 1),
            "text": "The whole book (PDF)",
            "icon": "fas fa-file-pdf",
            "label": "download-book-pdf-button",
        }
    )
    out.append(
        {
            "type": "link",
            "url": pathto(DATA_ARCHIVE, 1),
            "text": f"All the data ({DATA_ARCHIVE})",
            "icon": "fas fa-file-zipper",
            "label": "download-data-button",
        }
    )
    return out


def _download_menu(app, pagename, templatename, context, doctree):
    for group in context.get("header_buttons") or []:
        if group.get("label") == "download-buttons":
            chapter = notebooks.is_notebook(app.config, pagename)
            group["buttons"] = download_menu(group["buttons"], context["pathto"], chapter)
            what = "the chapter, the book or the data" if chapter else "the book or the data"
            group["tooltip"] = f"Download {what}"


def archive_members(root: Path | str = paths.ROOT) -> list[tuple[str, Path | str]]:
    """(name in the archive, file or text) for the data archive, in a fixed order."""
    cff = citation.load(root)
    members: list[tuple[str, Path | str]] = [(f"{ARCHIVE_FOLDER}/ABOUT.txt", about(cff, citation.address(cff, root)))]
    members += [(f"{ARCHIVE_FOLDER}/{t}.csv", paths.table_path(t, root)) for t in paths.TABLES]
    members.append((f"{ARCHIVE_FOLDER}/references.bib", paths.bib_path(root)))
    members.append((f"{ARCHIVE_FOLDER}/README.md", Path(root) / "data" / "README.md"))
    package = datapackage.descriptor(citation.package_metadata(cff, citation.address(cff, root)))
    members.append((f"{ARCHIVE_FOLDER}/datapackage.json", json.dumps(package, ensure_ascii=False, indent=2) + "\n"))
    members.append(
        (f"{ARCHIVE_FOLDER}/{datapackage.BIBLIOGRAPHY_FILE}", datapackage.bibliography_csv(paths.bib_path(root)))
    )
    members.append((f"{ARCHIVE_FOLDER}/CITATION.cff", Path(root) / citation.CITATION_FILE))
    members.append((f"{ARCHIVE_FOLDER}/LICENSE.txt", Path(root) / citation.LICENCES[0].file))
    return members


def about(cff: dict, address: str) -> str:
    """The archive's ABOUT.txt: what each file is, the version, the licence, where the project lives."""
    title = cff["title"]
    where = address or "no public repository address yet"
    return ABOUT.format(
        title=title,
        rule="=" * len(title + ": the book's data"),
        version=cff["version"],
        released=citation.released_text(cff),
        where=where,
    )


def write_archive(target: Path | str, root: Path | str = paths.ROOT) -> Path:
    """Write the data archive; the same data gives the same bytes (and an unchanged archive is not
    written again)."""
    target = Path(target)
    buffer = io.BytesIO()
    members = archive_members(root)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        cff = citation.load(root)
        archive.comment = f"{cff['title']}: the book's data, version {cff['version']} ({cff['date-released']})".encode()
        for name, content in members:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            data = content.encode("utf-8") if isinstance(content, str) else Path(content).read_bytes()
            archive.writestr(info, data)
    pages.write_if_changed(target, buffer.getvalue())
    return target


def _build_finished(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    write_archive(Path(app.outdir) / DATA_ARCHIVE, Path(app.srcdir))


def setup(app):
    app.setup_extension("wra_book.notebooks")
    app.connect("source-read", _source_read)
    # Before sphinx-book-theme's header buttons (priority 501) read ``ipynb_source``.
    app.connect("html-page-context", _page_context, priority=500)
    # After sphinx-book-theme has filled the menu (priority 501).
    app.connect("html-page-context", _download_menu, priority=502)
    app.connect("build-finished", _build_finished)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
