"""Chart helpers shared by every chapter: dates, event markers, hover text.

Chart functions elsewhere in the package take data frames and return figures
(matplotlib ``Figure`` or plotly ``go.Figure``); they use these helpers so the
chapters look and read alike.
"""

from __future__ import annotations

import html
import textwrap
import unicodedata
from collections.abc import Iterable, Mapping

import pandas as pd

from wra.style import COLORS

# The span the book's time axes show.
CAMPAIGN = (pd.Timestamp("1936-09-01"), pd.Timestamp("1937-05-15"))


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


def month_axis(ax, start: pd.Timestamp = CAMPAIGN[0], end: pd.Timestamp = CAMPAIGN[1]) -> None:
    """A matplotlib date axis with a tick each month, labelled 'Oct 1936'."""
    import matplotlib.dates as mdates

    ax.set_xlim(start, end)
    ax.xaxis.set_major_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))


def label_levels(dates: pd.Series, min_gap_days: float = 12, levels: int = 2) -> list[int]:
    """A level per date so that labels closer than ``min_gap_days`` alternate (0, 1, 0, ...)."""
    out, previous, level = [], None, 0
    for date in pd.to_datetime(dates):
        if previous is not None and (date - previous).days < min_gap_days:
            level = (level + 1) % levels
        else:
            level = 0
        out.append(level)
        previous = date
    return out


def mark_events_mpl(ax, events: pd.DataFrame, y: float = 1.0, label_col: str = "label") -> None:
    """Dotted vertical lines at each event's date, labelled along the top of the axes.

    Labels of events that fall close together are staggered so they do not overlap.
    """
    transform = ax.get_xaxis_transform()
    events = events.sort_values("date")
    for level, (_, event) in zip(label_levels(events["date"]), events.iterrows()):
        ax.axvline(event["date"], color=COLORS["guide"], linestyle=":", linewidth=0.9, zorder=0)
        ax.text(
            event["date"],
            y - 0.32 * level,
            f" {event[label_col]}",
            transform=transform,
            rotation=90,
            va="top",
            ha="right",
            fontsize=7.5,
            color=COLORS["ink"],
        )


def mark_events_plotly(fig, events: pd.DataFrame, label_col: str = "label", row=None, col=None) -> None:
    """Dotted vertical lines with labels at each event's date on a plotly figure."""
    events = events.sort_values("date")
    for level, (_, event) in zip(label_levels(events["date"]), events.iterrows()):
        kwargs = {} if row is None else {"row": row, "col": col}
        fig.add_vline(
            x=event["date"].timestamp() * 1000,
            line=dict(color=COLORS["guide"], dash="dot", width=1),
            annotation=dict(
                text=str(event[label_col]), textangle=-90, font=dict(size=10), yanchor="top", yshift=-90 * level
            ),
            annotation_position="top left",
            **kwargs,
        )


def legend_once(handles: Iterable) -> list:
    """Drop repeated legend labels (matplotlib), keeping the first of each."""
    seen, unique = set(), []
    for handle, label in handles:
        if label not in seen:
            seen.add(label)
            unique.append((handle, label))
    return unique
