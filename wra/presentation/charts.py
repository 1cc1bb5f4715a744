"""Chart helpers shared by every chapter: dates, event markers, hover text.

Each chapter's chart module names the span its time axes show ``SPAN``.

Chart functions elsewhere in the package take data frames and return figures
(matplotlib ``Figure`` or plotly ``go.Figure``); they use these helpers so the
chapters look and read alike.
"""

from __future__ import annotations

import html
import textwrap
import unicodedata
from collections.abc import Mapping

import pandas as pd

from wra.presentation.style import COLORS


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def wrap(text: str, width: int = 40) -> list[str]:
    """Wrap mixed English/Chinese text; a Chinese character counts as two columns."""
    text = " ".join(str(text).split())
    if not text:
        return []
    if not any(_is_wide(c) for c in text):
        return textwrap.wrap(text, width) or [text]
    lines, line, used = [], "", 0
    for char in text:
        cost = 2 if _is_wide(char) else 1
        if used + cost > width and line:
            lines.append(line)
            line, used = "", 0
        line += char
        used += cost
    if line:
        lines.append(line)
    return lines


def date_label(date: pd.Timestamp, precision: str | None = "day") -> str:
    """A date as the record knows it: ``1936-11-03``, ``c. 1936-11-03``, ``1936-11``."""
    if date is None or pd.isna(date):
        return ""
    if precision == "month":
        return date.strftime("%Y-%m")
    text = date.strftime("%Y-%m-%d")
    return f"c. {text}" if precision == "approx" else text


def plotly_text(value: object) -> str:
    """Text from the data for a plotly label, escaped: plotly reads ``<br>``, ``<b>`` or
    ``<a href>`` in any text as markup, and shows ``&lt;`` as ``<``."""
    return html.escape(str(value), quote=False)


def hover_html(title: str, fields: Mapping[str, object], width: int = 44) -> str:
    """Plotly hover text: a bold title, then one wrapped block per non-empty field."""
    parts = [f"<b>{html.escape(str(title))}</b>"]
    for label, value in fields.items():
        if value is None or (isinstance(value, float) and pd.isna(value)) or str(value) in ("", "<NA>", "nan"):
            continue
        lines = wrap(str(value), width)
        body = "<br>".join(html.escape(line) for line in lines)
        parts.append(f"<i>{html.escape(label)}</i>: {body}" if label else body)
    return "<br>".join(parts)


def month_axis(ax, start: pd.Timestamp, end: pd.Timestamp) -> None:
    """A matplotlib date axis from ``start`` to ``end`` with a tick each month, labelled 'Oct 1936'."""
    import matplotlib.dates as mdates

    ax.set_xlim(start, end)
    ax.xaxis.set_major_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))


def merge_close_events(events: pd.DataFrame, days: int = 12, sep: str = "\n") -> pd.DataFrame:
    """One label for milestones closer than ``days`` to the previous one.

    The merged label stands at the first one's date, the labels joined by
    ``sep`` ("Liyuankou 梨园口" and "Shiwo split 石窝" become one two-line
    label), so labels on a long time axis neither overprint nor spill into the
    data. Each milestone still gets its own line.
    """
    if events is None or events.empty:
        return events
    merged: list[dict] = []
    for _, event in events.sort_values("date", kind="stable").iterrows():
        if merged and (event["date"] - merged[-1]["last"]).days < days:
            merged[-1]["label"] += f"{sep}{event['label']}"
            merged[-1]["last"] = event["date"]
        else:
            merged.append({"date": event["date"], "label": str(event["label"]), "last": event["date"]})
    return pd.DataFrame(merged)[["date", "label"]]


def mark_events_mpl(ax, events: pd.DataFrame, labels: bool = True, y: float = 1.0) -> None:
    """A dotted vertical line at each event's date; labels along the top, merged where close."""
    transform = ax.get_xaxis_transform()
    for date in events["date"]:
        ax.axvline(date, color=COLORS["guide"], linestyle=":", linewidth=0.9, zorder=0)
    if not labels:
        return
    for _, event in merge_close_events(events).iterrows():
        ax.text(
            event["date"],
            y,
            f" {event['label']}",
            transform=transform,
            rotation=90,
            va="top",
            ha="right",
            fontsize=7.5,
            color=COLORS["ink"],
        )


def mark_events_plotly(fig, events: pd.DataFrame, labels: bool = True, row=None, col=None) -> None:
    """The same on a plotly figure (optionally in one subplot)."""
    kwargs = {} if row is None else {"row": row, "col": col}
    for date in events["date"]:
        fig.add_vline(x=date.timestamp() * 1000, line=dict(color=COLORS["guide"], dash="dot", width=1), **kwargs)
    if not labels:
        return
    shown = events.assign(label=events["label"].map(plotly_text))
    for _, event in merge_close_events(shown, sep="<br>").iterrows():
        fig.add_annotation(
            x=event["date"].timestamp() * 1000,
            y=1,
            yref="paper" if row is None else "y domain",
            text=str(event["label"]),
            textangle=-90,
            font=dict(size=10),
            xanchor="right",
            yanchor="top",
            showarrow=False,
            **kwargs,
        )
