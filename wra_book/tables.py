"""The book's tables in the built pages: sortable and filterable long tables, linked citations.

* A page holding a book table (``class="wra-table"``, written by
  :mod:`wra.presentation.tables`) gets ``wra-tables.css`` (the scroll cue of a
  table wider than its frame, and print) and ``wra-tables.js`` (the cue's text).
* A page holding a long table (``data-wra-long``) also gets the vendored
  DataTables library (``wra_book/vendor/datatables/``, see its README), which
  ``wra-tables.js`` asks to make each such table sortable and filterable, and
  the record's names with their matcher (:mod:`wra_book.find`), so the filter
  finds a name typed in Chinese, pinyin or English. Other pages load none of
  it. (Jupyter Book adds every file under ``_static/`` to every page, so these
  files live here and are copied into the site.)
* A citation's link ``href="#wra-cite-KEY"`` (:data:`wra.presentation.tables.CITE_HREF`)
  is pointed at the entry for ``KEY`` in the bibliography (sphinxcontrib-bibtex's
  ``{bibliography}``), from whichever page it is on. A key that no bibliography
  lists is a warning (an error with ``-W``).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from sphinx.util import logging

from wra.presentation.tables import CITE_HREF
from wra_book import find, pages

logger = logging.getLogger(__name__)

VERSION = "3.1.2"
HERE = Path(__file__).parent
VENDOR = HERE / "vendor" / "datatables"
STATIC = HERE / "static"
#: where the files land in the site, under _static/
TARGET = "wra/tables"
DATATABLES_JS = f"{TARGET}/dataTables.min.js"
DATATABLES_CSS = f"{TARGET}/dataTables.dataTables.min.css"
TABLES_JS = f"{TARGET}/wra-tables.js"
TABLES_CSS = f"{TARGET}/wra-tables.css"

BOOK_TABLE = 'class="wra-table"'
LONG_TABLE = "data-wra-long"
CITE_LINK = re.compile(r'(?:class="wra-cite" )?href="' + re.escape(CITE_HREF) + r'([^"]+)"')


def bibliography_targets(env) -> dict[str, tuple[str, str]]:
    """Each bibliography key the book lists: (the page listing it, its entry's anchor)."""
    try:
        domain = env.get_domain("cite")
    except Exception:  # sphinxcontrib-bibtex not loaded
        return {}
    out: dict[str, tuple[str, str]] = {}
    for key, value in domain.bibliographies.items():
        for citation_key, node in value.citation_nodes.items():
            if node["ids"] and citation_key not in out:
                out[citation_key] = (key.docname, node["ids"][0])
    return out


def link_citations(body: str, targets: dict[str, tuple[str, str]], url, pagename: str) -> str:
    """Point each ``href="#wra-cite-KEY"`` at KEY's entry; ``url(docname)`` is the page's address."""

    def point(match: re.Match) -> str:
        key = html.unescape(match.group(1))
        if key not in targets:
            logger.warning("%s: no bibliography entry for the cited key %r", pagename, key, type="wra", subtype="cite")
            return match.group(0)
        docname, anchor = targets[key]
        # the class only marked the link for this rewrite: dropped, the long tables stay light
        return f'href="{html.escape(url(docname), quote=True)}#{html.escape(anchor, quote=True)}"'

    return CITE_LINK.sub(point, body)


def _page_context(app, pagename, templatename, context, doctree):
    body = context.get("body", "")
    if CITE_HREF in body:
        targets = bibliography_targets(app.env)
        context["body"] = body = link_citations(body, targets, lambda doc: context["pathto"](doc), pagename)
    if BOOK_TABLE not in body and "wra-table " not in body:
        return
    app.add_css_file(TABLES_CSS, priority=600)
    if LONG_TABLE in body:
        app.add_css_file(DATATABLES_CSS, priority=590)
        app.add_js_file(DATATABLES_JS, priority=590)
        find.add_to_page(app)
    app.add_js_file(TABLES_JS, priority=600)


def _copy(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / TARGET
    target.mkdir(parents=True, exist_ok=True)
    for source in (VENDOR / "dataTables.min.js", VENDOR / "dataTables.dataTables.min.css", VENDOR / "LICENSE.txt"):
        pages.copy_if_changed(source, target / source.name)
    for source in (STATIC / "wra-tables.js", STATIC / "wra-tables.css"):
        pages.copy_if_changed(source, target / source.name)


def setup(app):
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _copy)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
