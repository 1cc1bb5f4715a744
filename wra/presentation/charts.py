"""Chart helpers shared by every chapter: wrapping, titles, dates, milestones, hover text.

Each chapter's chart module names the span its time axes show ``SPAN``.

Chart functions elsewhere in the package take data frames and return a plotly
``go.Figure``; they use these helpers so the chapters look and read alike.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Mapping

import pandas as pd


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


#: punctuation that may not start a line (it stays with the text before it)
_CLOSING = set("，。、；：！？」』）》〉】〕…,.;:!?)]}%’”")
#: punctuation that may not end a line (it goes with the text after it)
_OPENING = set("「『（《〈【〔([{‘“")


def _width(text: str) -> int:
    return sum(2 if _is_wide(c) else 1 for c in text)


def _tokens(text: str) -> list[tuple[str, bool]]:
    """(piece, space_before) pieces a line may break between: a Latin word whole,
    a CJK character alone; punctuation kept with the text it belongs to."""
    pieces: list[tuple[str, bool]] = []
    space = False
    for match in re.finditer(r"\s+|[^\s]", text):
        char = match.group()
        if char.isspace():
            space = True
            continue
        glue_left = (
            pieces
            and not space
            and (
                char in _CLOSING  # 河， stays together
                or pieces[-1][0][-1] in _OPENING  # 「三 stays together
                or not (_is_wide(char) or _is_wide(pieces[-1][0][-1]))  # a Latin word stays whole
            )
        )
        if glue_left:
            pieces[-1] = (pieces[-1][0] + char, pieces[-1][1])
        else:
            pieces.append((char, space))
        space = False
    return pieces


def wrap(text: str, width: int = 40) -> list[str]:
    """Wrap mixed English/Chinese text into lines of at most ``width`` columns
    (a Chinese character counts as two).

    Lines break at spaces and between Chinese characters, never inside a Latin
    word ("Jingning 靖宁" never becomes "Jin" / "gning 靖宁"); a Latin word longer
    than ``width`` stands alone on its line, longer than the rest. Closing
    punctuation (，。」) never starts a line and opening punctuation (「（) never
    ends one.
    """
    lines: list[str] = []
    line, used = "", 0
    for piece, space in _tokens(" ".join(str(text).split())):
        cost = _width(piece)
        gap = 1 if space and line else 0
        if line and used + gap + cost > width:
            lines.append(line)
            line, used, gap = "", 0, 0
        line += " " * gap + piece
        used += gap + cost
    if line:
        lines.append(line)
    return lines


def title_lines(title: str) -> tuple[str, str]:
    """A finding as a title in two lines, broken after its first colon, else after
    its first comma ("21,800" has none): two short lines fit a page, and a phone,
    better than one long one."""
    for sep in (": ", ", "):
        head, found, tail = title.partition(sep)
        if found and tail:
            return head + sep.rstrip(), tail
    return title, ""


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


def hover_html(title: str, fields: Mapping[str, object], width: int = 32) -> str:
    """Plotly hover text: a bold title, then one wrapped block per non-empty field, title and fields
    wrapped at ``width`` columns (narrow enough for a phone)."""
    parts = ["<br>".join(f"<b>{html.escape(line)}</b>" for line in wrap(str(title), width))]
    for label, value in fields.items():
        if value is None or (isinstance(value, float) and pd.isna(value)) or str(value) in ("", "<NA>", "nan"):
            continue
        lines = wrap(str(value), width)
        body = "<br>".join(html.escape(line) for line in lines)
        parts.append(f"<i>{html.escape(label)}</i>: {body}" if label else body)
    return "<br>".join(parts)


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


def stack_name(label: str) -> str:
    """ "Crossing 虎豹口" as two lines, the English over the Chinese (a narrower label)."""
    for i, char in enumerate(label):
        if _is_wide(char):
            return label[:i].rstrip() + "\n" + label[i:] if label[:i].strip() else label
    return label
