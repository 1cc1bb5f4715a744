"""Tables in the book: plain, responsive HTML that reads without JavaScript.

:func:`show` renders a data frame as an HTML table wrapped in a scrolling
container (styled by ``_static/wra.css``), so it reads on a laptop and stays
usable at phone width. Cells may hold HTML built by :func:`zh_with_gloss`,
:func:`cite_html` and :func:`cite_row_html`; everything else is escaped.

A long table (:data:`LONG` rows or more, or ``sortable=True``) is marked
``data-wra-long``: in the book, ``wra_book.tables`` then loads the vendored
DataTables library on its page, which makes it sortable and filterable (the
table itself, rows and cells, stays the HTML written here). A citation's
sources link to their entries in the bibliography: :func:`cite_row_html`
writes ``href="#wra-cite-KEY"``, which ``wra_book.tables`` points at the
bibliography page's entry.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

import pandas as pd

#: the link a citation's source carries until the book points it at the bibliography
CITE_HREF = "#wra-cite-"
#: a table with this many rows or more is sortable and filterable in the book
LONG = 12


class Html(str):
    """A cell value that is already HTML (not escaped again)."""


def _key_pattern(bib=None):
    from wra.record import sources

    keys = sorted(sources.entries() if bib is None else sources.entries(bib), key=len, reverse=True)
    return re.compile(r"(?<![\w/.-])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w/-])") if keys else None


def prose_html(text: object, bib=None) -> str:
    """Free text from the data, escaped, with each bibliography key it names (as in "an
    external source (rongwp_xi4) has …") shown as the source's short label, linked to its
    bibliography entry. Text that names no key is only escaped."""
    from wra.record import sources

    escaped = html.escape(str(text), quote=False)  # element content: quotes need no escaping
    pattern = _key_pattern(bib)
    if pattern is None:
        return escaped

    def link(match: re.Match) -> str:
        key = match.group(1)
        label = sources.short_label(key) if bib is None else sources.short_label(key, bib)
        return f'<a class="wra-cite" href="{CITE_HREF}{html.escape(key, quote=True)}">{html.escape(label)}</a>'

    return pattern.sub(link, escaped)


def prose_text(text: object, bib=None) -> str:
    """Free text from the data with each bibliography key it names replaced by the source's short label."""
    from wra.record import sources

    text = str(text)
    pattern = _key_pattern(bib)
    if pattern is None:
        return text
    label = sources.short_label if bib is None else (lambda k: sources.short_label(k, bib))
    return pattern.sub(lambda m: label(m.group(1)), text)


def zh_with_gloss(zh: object, gloss: object = None) -> Html:
    """A Chinese quotation with its English gloss underneath (sources the gloss names by key
    are shown by their label, linked: :func:`prose_html`)."""
    parts = []
    if isinstance(zh, str) and zh:
        parts.append(f'<span class="zh" lang="zh">{html.escape(zh)}</span>')
    if isinstance(gloss, str) and gloss:
        parts.append(f'<span class="gloss">{prose_html(gloss)}</span>')
    return Html("".join(parts))


def cite_html(text: str) -> Html:
    """A citation, styled as one."""
    return Html(f'<span class="cite">{html.escape(text)}</span>')


def cite_row_html(row, bib=None, link_via: bool = True) -> Html:
    """A row's short citation (:func:`wra.record.sources.cite_parts`), each source named in it
    a link to its bibliography entry (``href="#wra-cite-KEY"``, resolved by ``wra_book.tables``).
    ``link_via=False`` links the source only (the work it was read through stays text: the
    long tables of chapter 02 would otherwise carry a link to the article in nearly every cell)."""
    from wra.record import sources

    parts = sources.cite_parts(row) if bib is None else sources.cite_parts(row, bib)
    out = []
    for i, (text, key) in enumerate(parts):
        if key is None or (i > 0 and not link_via):
            out.append(html.escape(text))
        else:
            out.append(f'<a class="wra-cite" href="{CITE_HREF}{html.escape(key, quote=True)}">{html.escape(text)}</a>')
    return Html(f'<span class="cite">{"".join(out)}</span>')


def cite_cell(row, cite=None, link_via: bool = True) -> Html:
    """One row's citation cell: linked (:func:`cite_row_html`), or the text of ``cite(row)`` when given."""
    return cite_row_html(row, link_via=link_via) if cite is None else cite_html(cite(row))


def cite_cells(frame: pd.DataFrame, cite=None) -> list[Html]:
    """Each row's citation as a table cell (:func:`cite_cell`)."""
    return [cite_cell(row, cite) for row in frame.to_dict("records")]


def _cell(value) -> tuple[str, str]:
    if isinstance(value, Html):
        return str(value), ""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "", ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d"), "num"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
        return text, "num"
    return prose_html(value), ""


#: the most columns a stacked table names (``_static/wra.css`` has a rule for each)
STACK_COLUMNS = 6


def _css_string(text: object) -> str:
    """``text`` as a CSS string: quoted, its backslashes, quotes and line ends escaped."""
    escaped = str(text).replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\a ")
    return f"'{escaped}'"


def to_html(
    frame: pd.DataFrame,
    caption: str | None = None,
    columns: Iterable[str] | None = None,
    sortable: bool | None = None,
    stack: bool = False,
) -> str:
    """The table's HTML; ``sortable`` (default: :data:`LONG` rows or more) marks it ``data-wra-long``;
    ``stack`` marks it ``wra-stack`` and names its columns once, in the custom properties ``--c1``,
    ``--c2``, ... (up to :data:`STACK_COLUMNS`): on a phone ``_static/wra.css`` then sets each row as a
    block, each cell under its column's name, instead of a table to scroll sideways."""
    frame = frame if columns is None else frame[list(columns)]
    if sortable is None:
        sortable = len(frame) >= LONG
    if stack and len(frame.columns) > STACK_COLUMNS:
        raise ValueError(f"a stacked table names at most {STACK_COLUMNS} columns, not {len(frame.columns)}")
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns)
    rows = []
    for record in frame.itertuples(index=False, name=None):
        cells = []
        for value in record:
            text, cls = _cell(value)
            cells.append(f'<td class="{cls}">{text}</td>' if cls else f"<td>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    names = ""
    if stack:
        css = ";".join(f"--c{i}:{_css_string(c)}" for i, c in enumerate(frame.columns, start=1))
        names = f' style="{html.escape(css)}"'
    return (
        # pst-scrollable-table-container: the theme gives a frame that scrolls a tab stop
        '<div class="wra-table-wrap pst-scrollable-table-container">'
        f'<table class="wra-table{" wra-stack" if stack else ""}"{names}'
        f"{' data-wra-long' if sortable else ''}>"
        f"{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def show(
    frame: pd.DataFrame,
    caption: str | None = None,
    columns: Iterable[str] | None = None,
    sortable: bool | None = None,
    stack: bool = False,
):
    """Display ``frame`` as a book table (an IPython HTML object); see :func:`to_html`."""
    from IPython.display import HTML

    return HTML(to_html(frame, caption, columns, sortable, stack))
