"""Tables in the book: plain, responsive HTML, no JavaScript.

:func:`show` renders a data frame as an HTML table wrapped in a scrolling
container (styled by ``_static/wra.css``), so it reads on a laptop and stays
usable at phone width. Cells may hold HTML built by :func:`zh_with_gloss` and
:func:`cite_html`; everything else is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

import pandas as pd


class Html(str):
    """A cell value that is already HTML (not escaped again)."""


def zh_with_gloss(zh: object, gloss: object = None) -> Html:
    """A Chinese quotation with its English gloss underneath."""
    parts = []
    if isinstance(zh, str) and zh:
        parts.append(f'<span class="zh" lang="zh">{html.escape(zh)}</span>')
    if isinstance(gloss, str) and gloss:
        parts.append(f'<span class="gloss">{html.escape(gloss)}</span>')
    return Html("".join(parts))


def cite_html(text: str) -> Html:
    """A citation, styled as one."""
    return Html(f'<span class="cite">{html.escape(text)}</span>')


def cite_cells(frame: pd.DataFrame, cite=None) -> list[Html]:
    """Each row's citation (``cite``, default :func:`wra.record.sources.cite`) as a table cell."""
    if cite is None:
        from wra.record.sources import cite
    return [cite_html(cite(row)) for row in frame.to_dict("records")]


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
    return html.escape(str(value)), ""


def to_html(frame: pd.DataFrame, caption: str | None = None, columns: Iterable[str] | None = None) -> str:
    frame = frame if columns is None else frame[list(columns)]
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns)
    rows = []
    for record in frame.itertuples(index=False, name=None):
        cells = []
        for value in record:
            text, cls = _cell(value)
            cells.append(f'<td class="{cls}">{text}</td>' if cls else f"<td>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (
        '<div class="wra-table-wrap"><table class="wra-table">'
        f"{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def show(frame: pd.DataFrame, caption: str | None = None, columns: Iterable[str] | None = None):
    """Display ``frame`` as a book table (an IPython HTML object)."""
    from IPython.display import HTML

    return HTML(to_html(frame, caption, columns))
