"""Charts of troop strength: each figure drawn as what it says.

One visual grammar for every strength chart:

* an exact figure is a filled dot, an "about" figure a hollow dot;
* a range (八九千) is a vertical bar from low to high, with a tick at each end;
* a lower bound (余, 多: "at least") is a tick at the bound with an arrow
  pointing up from it; an upper bound (不到, 不足: "fewer than") a tick with an
  arrow pointing down;
* confidence is opacity: H solid, M lighter, L faint;
* figures of the same unit and date from different sources stand side by
  side (:func:`wra.analysis.strength.offsets`), never merged; the zoom panels spell
  out the source of each;
* the only line between figures is the dashed grey guide to the eye
  (:func:`wra.analysis.strength.headline_guide`), labelled as such.

Figures that cover a long span (a whole-campaign total of killed or
captured, see :func:`wra.analysis.strength.point_in_time`) have no place on a time
axis and are left to the tables.

Each chart is one plotly figure (:mod:`wra.presentation.figures`):
:func:`figure_total` (the whole army, with zoom panels on the crowded
windows) and :func:`figure_units` (one small panel per army, the detachments,
other units and the Ma forces). Their panels are laid out in pixels for each
of the two widths (:data:`~wra.presentation.style.WIDE`,
:data:`~wra.presentation.style.PHONE`); on a phone the panels stack in one
column. The key to the marks is drawn with the marks themselves, on an axis of
its own, so it shows what the chart shows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from wra.analysis import strength as st
from wra.presentation import charts, figures, style
from wra.presentation.style import COLORS
from wra.record import schema

__all__ = [
    "LOSS_COLOR",
    "SERIES_COLORS",
    "figure_total",
    "figure_units",
    "source_tag",
]

#: colour per unit (from the house palette); other units fall back by side
SERIES_COLORS = {
    "wra": COLORS["red"],
    "left_detachment": COLORS["west"],
    "right_detachment": COLORS["east"],
    "centre_detachment": COLORS["north"],
    "fifth_army": COLORS["red"],
    "ninth_army": COLORS["red"],
    "thirtieth_army": COLORS["red"],
}
#: men lost, killed or captured (either side)
LOSS_COLOR = COLORS["accent"]
LOSS_MEASURES = ("loss", "killed", "captured")

#: the key's words for each kind of mark
KIND_LABELS = {
    "exact": "exact figure",
    "about": "about (约, 左右)",
    "range": "range (八九千)",
    "lower": "at least (余, 多)",
    "upper": "fewer than (不到, 不足)",
}
CONFIDENCE_KEY = "confidence H, M, L"
#: the marker each kind of figure is drawn with (a bound: a tick, then an arrow at its tip)
SYMBOLS = {
    "exact": ("circle",),
    "about": ("circle-open",),
    "range": ("line-ew", "line-ew"),
    "lower": ("line-ew", "arrow-up"),
    "upper": ("line-ew", "arrow-down"),
}

# arrows for one-sided bounds span this factor on a log axis
_ARROW_FACTOR = 1.45
#: the span the chapter's time axes show
SPAN = (pd.Timestamp("1936-10-01"), pd.Timestamp("1937-05-20"))
ARMIES = ("fifth_army", "ninth_army", "thirtieth_army")
DETACHMENTS = ("left_detachment", "right_detachment", "centre_detachment")
#: room left on a trimmed log axis beyond the data (arrow tips included), as a factor
_Y_ROOM = 1.25
SUBTITLE = "Each figure as its source states it; log scale"
UNITS_SUBTITLE = (
    "Strength by army and detachment, with the Ma forces for context; log scales (the Ma panel has its own)"
)
SERIES_LABELS = {
    "wra": "Western Route Army 西路军",
    "left_detachment": "Left Detachment 左支队, after the split",
}
Y_TITLE = "men (log scale)"
#: on a phone the axis title stands nearer its ticks, a size smaller: the plot keeps its width
_PHONE_Y_TITLE = dict(text=Y_TITLE, font=dict(size=11), standoff=3)
#: the smallest text of a chart (CSS px)
SMALL = style.MIN_FONT
#: one line of small text, in pixels
_LINE = 13


def _rgba(colour: str, alpha: float) -> str:
    """A palette colour with transparency (the dark theme swaps it like the colour itself)."""
    h = colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


#: the veil behind a note that crosses marks or lines
VEIL = _rgba(COLORS["paper"], 0.85)


def _color(row) -> str:
    if row["measure"] in LOSS_MEASURES:
        return LOSS_COLOR
    if row["side"] == "ma":
        return COLORS["ma"]
    return SERIES_COLORS.get(row["unit"], COLORS["red"])


def _cite_default():
    from wra.record.sources import cite

    return cite


def _unit_label(unit: str) -> str:
    return schema.UNIT.get(unit, unit.replace("_", " "))


def source_tag(key: str, width: int = 22) -> str:
    """A source's short label cut to ``width`` columns (a Chinese character is two)."""
    from wra.record.sources import short_label

    lines = charts.wrap(short_label(key), width)
    return lines[0] + ("…" if len(lines) > 1 else "")


def _hover(row: pd.Series, cite) -> str:
    zh = st.text_or_empty(row.get("quote_zh"))
    wording = f"{zh} (the article)" if zh else st.text_or_empty(row.get("wording_zh"))
    precision = "" if row["date_precision"] == "day" else f" ({row['date_precision']})"
    span = ""
    if "date_end" in row and not pd.isna(row["date_end"]):
        span = f" to {row['date_end']:%Y-%m-%d}"
    return charts.hover_html(
        f"{row['id']}: {_unit_label(row['unit'])}, {schema.MEASURE.get(row['measure'], row['measure'])}",
        {
            "Figure": st.describe(row),
            "Date": row["date"].strftime("%Y-%m-%d") + span + precision,
            "Chinese wording": wording,
            "Source": cite(row),
            "Confidence": f"{row['confidence']} ({schema.CONFIDENCE.get(row['confidence'], '')})",
            "Note": st.text_or_empty(row.get("comment_en")),
        },
    )


# --------------------------------------------------------------------------
# what the charts draw (no drawing here)
# --------------------------------------------------------------------------


def _x(rows: pd.DataFrame, step_days: float, keys=("unit", "measure", "date")) -> pd.Series:
    return rows["date"] + st.offsets(rows, step_days=step_days, keys=keys)


def _tip(b: st.Bounds) -> float | None:
    """Where a one-sided bound's arrow ends."""
    if b.kind == "lower":
        return b.low * _ARROW_FACTOR
    if b.kind == "upper":
        return b.high / _ARROW_FACTOR
    return None


def y_range(rows: pd.DataFrame) -> tuple[float, float]:
    """The log axis's span: the smallest and largest number drawn (a one-sided
    bound's arrow tip included), with a little room; no empty decade."""
    values: list[float] = []
    for _, row in rows.iterrows():
        b = st.bounds(row)
        values += [v for v in (b.low, b.high, _tip(b)) if v is not None]
    if not values:
        raise ValueError("no figure to draw: the strength chart has no y range")
    return min(values) / _Y_ROOM, max(values) * _Y_ROOM


def log_ticks(lo: float, hi: float) -> list[float]:
    """1-2-5 ticks inside ``lo``..``hi``."""
    first, last = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    return [m * 10**e for e in range(first, last + 1) for m in (1, 2, 5) if lo <= m * 10**e <= hi]


def series_labels(rows: pd.DataFrame) -> list[dict]:
    """Where each series is named on the chart itself (instead of a legend entry):
    the whole army above its highest figure, from its first date; the Left
    Detachment at the axis's foot, from some days before the split (on a phone, up to
    just before the arrival: ``phone``)."""
    out = []
    for unit, text in SERIES_LABELS.items():
        part = rows[rows["unit"] == unit]
        if part.empty:
            continue
        values = [v for v in (st.bounds(r).low or st.bounds(r).high for _, r in part.iterrows()) if v]
        if unit == "wra":
            out.append(
                dict(
                    unit=unit, text=text, x=part.iloc[0]["date"], y=max(values) * _ARROW_FACTOR, ha="left", va="bottom"
                )
            )
        else:
            arrival = part[part["measure"] == "reached"]
            end = (arrival["date"].min() if not arrival.empty else part["date"].max()) - pd.Timedelta(days=8)
            start = part["date"].min() - pd.Timedelta(days=18)
            phone = dict(x=end, xanchor="right", align="right")
            out.append(dict(unit=unit, text=text.replace(", ", ",\n"), x=start, y=min(values), ha="left", va="bottom"))
            out[-1]["phone"] = phone
    return out


def guide_label_at(guide: pd.DataFrame) -> tuple[pd.Timestamp, float] | None:
    """Where the guide line is named: the middle of its first stretch."""
    if len(guide) < 2:
        return None
    a, b = guide.iloc[0], guide.iloc[1]
    return a["date"] + (b["date"] - a["date"]) / 2, math.sqrt(a["value"] * b["value"])


def total_layout(strength: pd.DataFrame, split_date=None, step_days: float = 2.0) -> dict:
    """What the whole-army chart draws: the rows and their x positions, the
    guide, the trimmed y range and its ticks, the title (the chapter's finding,
    :func:`wra.analysis.strength.finding`) and where the series and the guide are named."""
    rows = st.total_path(strength)
    rows = rows[st.point_in_time(rows)]
    xs = _x(rows, step_days)
    lo, hi = y_range(rows)
    labels = series_labels(rows)
    hi = max([hi, *(lab["y"] * 1.45 for lab in labels if lab["va"] == "bottom" and lab["ha"] == "left")])
    guide = st.headline_guide(strength, split_date)
    return dict(
        rows=rows,
        xs=xs,
        guide=guide,
        y_range=(lo, hi),
        ticks=log_ticks(lo, hi),
        title=st.finding(strength, split_date),
        subtitle=f"{SUBTITLE}; {st.finding_note(strength)}",
        labels=labels,
        guide_at=guide_label_at(guide),
    )


def headline_notes(strength: pd.DataFrame, split_date=None) -> list[tuple[pd.Series, str]]:
    """(row to point at, text) for the headline figures, in date order."""
    head = st.headline(strength, split_date)
    notes = []
    for _, row in st.headline_picks(strength, split_date).iterrows():
        if row["step"] == "crossing":
            text = f"{st.describe(row)}\nat the crossing"
        elif row["step"] == "article":
            text = f"{st.describe(row)}\n(the article)"
        elif row["step"] == "split":
            # each end in a source's own words: "from at least 2,000 to at least 3,000"
            text = st.span_words(head["split"]).replace(" to ", " to\n", 1) + "\nby source, at the split"
        else:
            # the best-graded figure, by the same rule as every step (not a popular page's exact count)
            text = (
                f"{st.describe(row)} reached Xinjiang\n(best-graded figure; all\n"
                f"sources {st.span_words(head['arrival'])})"
            )
        notes.append((row, text))
    return notes


# where each headline note's text stands, in pixels from its figure (x right, y down), and its anchor
_NOTE_OFFSETS = {
    "crossing": ((10, 62, "center"),),
    "article": ((20, 64, "center"), (-20, 95, "center")),
    "split": ((-40, 70, "right"),),
    "arrival": ((-45, -12, "right"),),
}


def _note_offset(step: str, nth: int) -> tuple:
    spec = _NOTE_OFFSETS[step]
    return spec[min(nth, len(spec) - 1)]


def units_y_ranges(strength: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """The per-unit chart's two log scales, trimmed to what they draw: one shared by the
    Red Army panels, one for the Ma forces (shares, which are no number of men, left out)."""
    counts = strength[st.point_in_time(strength) & (strength["qualifier"] != "fraction")]
    red = counts[(counts["side"] == "red") & (counts["unit"] != "wra")]
    return {"red": y_range(red), "ma": y_range(counts[counts["side"] == "ma"])}


def _panels(strength: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The per-unit figure's panels: the three armies, the detachments, other
    Red Army units, and the Ma forces (every unit on side ma)."""
    red = strength[strength["side"] == "red"]
    panels = [(_unit_label(u), red[red["unit"] == u]) for u in ARMIES]
    panels.append(("Detachments after the split", red[red["unit"].isin(DETACHMENTS)]))
    other = red[~red["unit"].isin((*ARMIES, *DETACHMENTS, "wra"))]
    panels.append(("Other Red Army units", other))
    panels.append(("Ma forces (context)", strength[strength["side"] == "ma"]))
    return [(title, rows.sort_values(["date", "unit", "id"], kind="stable")) for title, rows in panels]


_SHORT_UNIT = {
    "womens_regiment": "Women's Regt",
    "cavalry_division": "Cavalry Div.",
    "hui_detachment": "Hui Det.",
    "west_relief_army": "West Relief Army",
    "relief_column": "Relief column",
    "left_detachment": "Left 左支队",
    "right_detachment": "Right 右支队",
    "centre_detachment": "Centre 中支队",
}


def _short_unit(unit: str) -> str:
    """A short unit name for labels inside a panel."""
    return _SHORT_UNIT.get(unit, _unit_label(unit).split(" (")[0])


# --------------------------------------------------------------------------
# geometry: panels placed in pixels, for each width
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Frame:
    """A chart's frame at one width: its side margins and the title's room above the plot."""

    width: style.Width
    left: int
    right: int
    top: int

    @property
    def plot(self) -> int:
        return self.width.width - self.left - self.right


def _frames(title: str, subtitle: str, phone_left: int = 64) -> dict[str, _Frame]:
    """The chart's frame at each width: the room :func:`wra.presentation.figures.variant` gives
    its title, the side margins (on a phone ``phone_left``: the y axis's labels, and no more)."""
    frames = {}
    for name, width, left, right in (("wide", style.WIDE, 64, 20), ("phone", style.PHONE, phone_left, 12)):
        _, pixels = figures._title_html(title, subtitle, width)
        frames[name] = _Frame(width, left, right, figures.TITLE_PAD + pixels + 14)
    return frames


def _stack(blocks: list[tuple[str | None, float]]) -> tuple[dict[str, list[float]], float]:
    """Vertical domains of named blocks (pixels, top to bottom; None: a gap), and the plot's height."""
    total = sum(px for _, px in blocks)
    out, y = {}, 0.0
    for name, px in blocks:
        if name is not None:
            out[name] = [round(1 - (y + px) / total, 4), round(1 - y / total, 4)]
        y += px
    return out, total


def _text_px(text: str, size: float) -> float:
    """About how wide a line of text is drawn (a Chinese character counts as two columns)."""
    lines = str(text).replace("<br>", "\n").split("\n")
    return max(charts._width(line) for line in lines) * size * figures.CHAR_EM


def _place(labels: list[tuple[float, str]], frame: _Frame, size: float = SMALL, gap: float = 8) -> list[tuple]:
    """Level labels above a time axis: for each (x as a share of the plot, text),
    its row (0 nearest the axis) and its shift in pixels to stay inside the chart."""
    rows: list[list[tuple[float, float]]] = []
    out = []
    for share, text in labels:
        w = _text_px(text, size) + 4
        centre = share * frame.plot
        left = min(max(centre - w / 2, -frame.left + 2), frame.plot + frame.right - w - 2)
        span = (left, left + w)
        row = next(
            (i for i, taken in enumerate(rows) if all(span[1] + gap <= a or span[0] >= b + gap for a, b in taken)),
            len(rows),
        )
        if row == len(rows):
            rows.append([])
        rows[row].append(span)
        out.append((row, round(left + w / 2 - centre)))
    return out


def _pack(items: list[str], columns: int, sep: str = ";  ") -> list[str]:
    """Items joined by ``sep`` into lines of at most ``columns``, never breaking an item."""
    lines: list[str] = []
    for item in items:
        if lines and charts._width(lines[-1] + sep + item) <= columns:
            lines[-1] += sep + item
        else:
            lines.append(item)
    return lines


def _share(date, span=SPAN) -> float:
    return (pd.Timestamp(date) - span[0]) / (span[1] - span[0])


# --------------------------------------------------------------------------
# marks
# --------------------------------------------------------------------------


def _glyph(kind: str, x, low, high, tip=None) -> tuple[list, list, list, list]:
    """x, y, symbol and size of one figure's mark (a bound: its tick, then its arrow's tip)."""
    if kind in ("exact", "about"):
        return [x], [low], list(SYMBOLS[kind]), [9]
    if kind == "range":
        return [x, x, None], [low, high, None], [*SYMBOLS[kind], "line-ew"], [9, 9, 0]
    value = low if kind == "lower" else high
    return [x, x, None], [value, tip, None], [*SYMBOLS[kind], "line-ew"], [11, 7, 0]


def _outline(symbols: list[str], colour: str) -> dict:
    """The marks' strokes: ticks and rings drawn 2 px wide, arrowheads filled."""
    return dict(color=colour, width=[0 if s.startswith("arrow") else 2 for s in symbols])


def _marks(fig: go.Figure, rows: pd.DataFrame, xs, cite, axis: str = "", name: str = "mark") -> None:
    """One trace per (colour, kind, confidence): each figure drawn as what it says, hover for its source."""
    if rows.empty:
        return
    rows = rows.assign(
        _x=list(xs),
        _kind=[st.bounds(r).kind for _, r in rows.iterrows()],
        _colour=[_color(r) for _, r in rows.iterrows()],
    )
    for (colour, kind, conf), part in rows.groupby(["_colour", "_kind", "confidence"], sort=False):
        x, y, symbol, size, hover = [], [], [], [], []
        for _, row in part.iterrows():
            b = st.bounds(row)
            gx, gy, gs, gz = _glyph(kind, row["_x"], b.low, b.high, _tip(b))
            text = _hover(row, cite)
            x += gx
            y += gy
            symbol += gs
            size += gz
            hover += [text if v is not None else None for v in gy]
        fig.add_trace(
            go.Scatter(
                x=x,
                y=y,
                mode="markers" if kind in ("exact", "about") else "lines+markers",
                name=f"{name}:{kind}",
                line=dict(color=colour, width=2.2),
                marker=dict(symbol=symbol, size=size, color=colour, line=_outline(symbol, colour)),
                opacity=st.CONFIDENCE_ALPHA.get(conf, 1.0),
                hovertext=hover,
                hoverinfo="text",
                showlegend=False,
                xaxis=f"x{axis}",
                yaxis=f"y{axis}",
            )
        )


def _key_entries(kinds, confidence: bool, extra: list[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """(entry, words) of a key: the kinds of mark the chart draws, in order; then the others."""
    out = [(k, KIND_LABELS[k]) for k in st.KINDS if k in kinds]
    if confidence:
        out.append(("confidence", CONFIDENCE_KEY))
    return out + list(extra)


def _key_cells(entries: list[tuple[str, str]], cols: int, frame: _Frame) -> tuple[list[tuple[float, float]], int]:
    """Where each key entry stands, (x as a share of the plot, row), filled column by column;
    a column starts where the one before it ends, or at its even share of the width; and the rows."""
    rows = math.ceil(len(entries) / cols)
    size = _KEY_FONT[frame.width.name]
    widths = [_key_text(entry) * _KEY_STEP + _text_px(words, size) + 16 for entry, words in entries]
    starts = [0.0]
    for c in range(1, cols):
        starts.append(max(starts[-1] + max(widths[(c - 1) * rows : c * rows]), c * frame.plot / cols))
    return [(starts[i // rows] / frame.plot, i % rows) for i in range(len(entries))], rows


#: a step of a key's entry, in pixels, and the size of its words at each width
_KEY_STEP = 11
_KEY_FONT = {"wide": 11, "phone": 10}


def _key_text(entry: str) -> float:
    """Where an entry's words start, in steps (after three dots for confidence, one mark else)."""
    return 4.2 if entry == "confidence" else 2.4


def _key(fig: go.Figure, entries: list[tuple[str, str]], axis: str, frames: dict, cols: dict) -> dict[str, int]:
    """The key to the marks, drawn with the marks themselves on the hidden axis ``axis``
    (``cols[width]`` columns); returns its rows at each width."""
    cells = {name: _key_cells(entries, cols[name], frame) for name, frame in frames.items()}
    phone_traces, phone_notes = {}, {}
    for i, (entry, words) in enumerate(entries):
        drawn = {}
        for name, frame in frames.items():
            (cx, row), rows = cells[name][0][i], cells[name][1]
            cy, step = rows - row - 0.5, _KEY_STEP / frame.plot
            if entry in SYMBOLS:
                tip = cy + 0.3 if entry == "lower" else cy - 0.3
                x, y, symbol, size = _glyph(entry, cx + step, cy - 0.3, cy + 0.3, tip)
            else:  # confidence (three dots), or a colour ("colour:<name>")
                n = 3 if entry == "confidence" else 1
                x, y, symbol, size = [cx + (k + 1) * step for k in range(n)], [cy] * n, ["circle"] * n, [9] * n
            drawn[name] = dict(x=x, y=y, label=(cx + _key_text(entry) * step, cy))
        colour = COLORS[entry.split(":", 1)[1]] if entry.startswith("colour:") else COLORS["ink"]
        opacity = [st.CONFIDENCE_ALPHA[c] for c in "HML"] if entry == "confidence" else 1
        fig.add_trace(
            go.Scatter(
                x=drawn["wide"]["x"],
                y=drawn["wide"]["y"],
                mode="lines+markers" if entry in ("range", "lower", "upper") else "markers",
                marker=dict(symbol=symbol, size=size, color=colour, opacity=opacity, line=_outline(symbol, colour)),
                line=dict(color=colour, width=2.2),
                name=f"key:{entry}",
                hoverinfo="skip",
                showlegend=False,
                xaxis=f"x{axis}",
                yaxis=f"y{axis}",
            )
        )
        x, y = drawn["wide"]["label"]
        fig.add_annotation(
            x=x, y=y, xref=f"x{axis}", yref=f"y{axis}", text=charts.plotly_text(words), showarrow=False,
            xanchor="left", font=dict(size=_KEY_FONT["wide"]), name=f"key-label:{entry}",
        )  # fmt: skip
        phone_traces[f"key:{entry}"] = dict(x=drawn["phone"]["x"], y=drawn["phone"]["y"])
        phone_notes[f"key-label:{entry}"] = dict(
            zip(("x", "y"), drawn["phone"]["label"]), font=dict(size=_KEY_FONT["phone"])
        )
    rows = {name: cells[name][1] for name in frames}
    hidden = dict(visible=False, fixedrange=True)
    fig.update_layout(
        {
            f"xaxis{axis}": dict(range=[0, 1], anchor=f"y{axis}", **hidden),
            f"yaxis{axis}": dict(range=[0, rows["wide"]], anchor=f"x{axis}", **hidden),
        }
    )
    figures.on_phone(
        fig, {f"yaxis{axis}": dict(range=[0, rows["phone"]])}, annotations=phone_notes, traces=phone_traces
    )
    return rows


def _log_axis(lo: float, hi: float, ticks=None) -> dict:
    """A log axis trimmed to ``lo``..``hi``, with plain numbers on its 1-2-5 ticks."""
    ticks = log_ticks(lo, hi) if ticks is None else ticks
    return dict(
        type="log",
        range=[math.log10(lo), math.log10(hi)],
        tickvals=list(ticks),
        ticktext=[f"{v:,.0f}" for v in ticks],
    )


def _milestone_lines(fig: go.Figure, events: pd.DataFrame, axis: str = "") -> None:
    for date in events["date"]:
        fig.add_shape(
            type="line",
            x0=date,
            x1=date,
            y0=0,
            y1=1,
            xref=f"x{axis}",
            yref=f"y{axis} domain",
            line=dict(color=COLORS["guide"], dash="dot", width=1),
            layer="below",
        )


def _milestone_groups(events: pd.DataFrame) -> pd.DataFrame:
    """Milestones less than 12 days apart named together, one line each."""
    return charts.merge_close_events(events.assign(label=events["label"].map(charts.plotly_text)), sep="<br>")


def _milestone_label(text: str) -> str:
    """A milestone's label as two lines: the English over the Chinese ("Crossing" / "虎豹口")."""
    return text if "<br>" in text else charts.stack_name(text).replace("\n", "<br>")


def _milestones_above(fig: go.Figure, events: pd.DataFrame, frames: dict) -> dict[str, int]:
    """Each milestone named above the plot, level, in as many rows as the width needs;
    returns the pixels the labels take at each width."""
    groups = _milestone_groups(events)
    labels = [(_share(d), _milestone_label(t)) for d, t in zip(groups["date"], groups["label"])]
    placed = {name: _place(labels, frame) for name, frame in frames.items()}
    row_px = 2 * _LINE + 4
    patches = {}
    for i, ((_, text), date) in enumerate(zip(labels, groups["date"])):
        (row, shift), (prow, pshift) = placed["wide"][i], placed["phone"][i]
        fig.add_annotation(
            x=date,
            y=1,
            xref="x",
            yref="y domain",
            text=text,
            showarrow=False,
            xanchor="center",
            yanchor="bottom",
            xshift=shift,
            yshift=4 + row * row_px,
            font=dict(size=SMALL),
            name=f"milestone:{i}",
        )
        patches[f"milestone:{i}"] = dict(xshift=pshift, yshift=4 + prow * row_px)
    figures.on_phone(fig, annotations=patches)
    return {name: (1 + max((r for r, _ in p), default=-1)) * row_px + 6 for name, p in placed.items()}


# --------------------------------------------------------------------------
# the whole army
# --------------------------------------------------------------------------


def _zoom_slots(rows: pd.DataFrame) -> tuple[pd.DataFrame, list[int], list[tuple[pd.Timestamp, int, int]]]:
    """A short window's figures one slot each, grouped by date with a free slot between dates."""
    rows = rows.sort_values(["date", "unit", "source", "id"], kind="stable")
    slots, groups, last, slot = [], [], None, -1
    for date in rows["date"]:
        slot += 1 if last is None or date == last else 2
        if last is None or date != last:
            groups.append((date, slot, slot))
        else:
            groups[-1] = (date, groups[-1][1], slot)
        slots.append(slot)
        last = date
    return rows, slots, groups


def _zoom(fig: go.Figure, rows: pd.DataFrame, title: str, axis: str, tag, cite) -> int:
    """One zoom panel on axes ``axis``: the window's figures side by side, each
    named by its source under it, their dates above; returns the longest source tag (columns)."""
    rows, slots, groups = _zoom_slots(rows)
    _marks(fig, rows, slots, cite, axis=axis, name=f"zoom{axis}")
    tags = [tag(k) for k in rows["source"]]
    lo, hi = y_range(rows) if not rows.empty else (100, 1000)
    fig.update_layout(
        {
            f"xaxis{axis}": dict(
                range=[-0.8, (slots[-1] if slots else 0) + 0.8],
                tickvals=slots,
                ticktext=[charts.plotly_text(t) for t in tags],
                tickangle=-90,
                tickfont=dict(size=SMALL),
                showgrid=False,
                ticks="outside",
                ticklen=3,
                anchor=f"y{axis}",
            ),
            f"yaxis{axis}": dict(**_log_axis(lo, hi), anchor=f"x{axis}"),
        }
    )
    month = None
    for date, first, last in groups:
        fig.add_annotation(
            x=(first + last) / 2,
            y=1,
            xref=f"x{axis}",
            yref=f"y{axis} domain",
            text=f"{date.day} {date:%b}" if date.month != month else f"{date.day}",
            showarrow=False,
            yanchor="bottom",
            yshift=1,
            font=dict(size=SMALL),
            name="zoom-date",
        )
        month = date.month
        if first > 0:
            fig.add_shape(
                type="line",
                x0=first - 1,
                x1=first - 1,
                y0=0,
                y1=1,
                xref=f"x{axis}",
                yref=f"y{axis} domain",
                line=dict(color=COLORS["grid"], width=1),
                layer="below",
            )
    fig.add_annotation(
        x=0,
        y=1,
        xref=f"x{axis} domain",
        yref=f"y{axis} domain",
        text=f"<b>{charts.plotly_text(title)}</b>",
        showarrow=False,
        xanchor="left",
        yanchor="bottom",
        yshift=_LINE + 6,
        font=dict(size=12),
        name="zoom-title",
    )
    return max((charts._width(t) for t in tags), default=0)


def figure_total(
    strength: pd.DataFrame,
    events: pd.DataFrame | None = None,
    *,
    zooms=(),
    split_date=None,
    cite=None,
    tag=None,
    step_days: float = 2.0,
) -> go.Figure:
    """The whole army's strength over time, on a log scale trimmed to the data.

    The title is the chapter's finding (:func:`total_layout`). Top: the WRA's
    own figures, then the Left Detachment's (strength, and men reaching
    Xinjiang), each series named on the chart, the headline figures annotated
    and the milestones named above the axes; the dashed grey guide joins the
    headline figures (with ``split_date``, also the figures at the split; see
    :func:`wra.analysis.strength.headline_picks`) and says what it is. A key
    explains the marks. Below, one panel per ``zooms`` entry ``(title, start,
    end)``: the figures in that window side by side, each named by its source
    (``tag(source_key)``, default :func:`source_tag`). Hover a figure for its
    words, Chinese wording, source and page, and confidence.

    On a phone the zoom panels stack under the key and the headline notes go
    (the title and the hover carry them).
    """
    cite = cite or _cite_default()
    tag = tag or source_tag
    layout = total_layout(strength, split_date, step_days)
    rows, xs, guide = layout["rows"], layout["xs"], layout["guide"]
    zooms = list(zooms)[:2]
    fig = go.Figure()
    figures.set_title(fig, layout["title"], layout["subtitle"])
    frames = _frames(layout["title"], layout["subtitle"])

    # the main panel
    if not guide.empty:
        fig.add_trace(
            go.Scatter(
                x=guide["date"],
                y=guide["value"],
                mode="lines",
                name=st.GUIDE_LABEL,
                line=dict(color=COLORS["guide"], dash="dash", width=1.3),
                hoverinfo="skip",
                showlegend=False,
            )
        )
    _marks(fig, rows, xs, cite)
    positions = dict(zip(rows["id"], xs))
    seen: dict[str, int] = {}
    for row, text in headline_notes(strength, split_date):
        nth = seen.get(row["step"], 0)
        seen[row["step"]] = nth + 1
        dx, dy, anchor = _note_offset(row["step"], nth)
        fig.add_annotation(
            x=positions.get(row["id"], row["date"]),
            y=math.log10(st.face_value(row) or row["low"]),
            text=charts.plotly_text(text).replace("\n", "<br>"),
            showarrow=True,
            arrowhead=0,
            arrowwidth=0.8,
            arrowcolor=COLORS["ink"],
            standoff=5,
            ax=dx,
            ay=dy,
            xanchor=anchor,
            align="left" if anchor != "right" else "right",
            font=dict(size=11),
            bgcolor=VEIL,
            name="headline-note",
        )
    for lab in layout["labels"]:
        fig.add_annotation(
            x=lab["x"],
            y=math.log10(lab["y"]),
            text=f"<b>{charts.plotly_text(lab['text'])}</b>".replace("\n", "<br>"),
            showarrow=False,
            xanchor=lab["ha"],
            yanchor=lab["va"],
            yshift=4,
            align=lab["ha"],
            font=dict(size=12, color=SERIES_COLORS[lab["unit"]]),
            name=f"series:{lab['unit']}",
        )
        if "phone" in lab:
            figures.on_phone(fig, annotations={f"series:{lab['unit']}": lab["phone"]})
    if layout["guide_at"] is not None:
        x, y = layout["guide_at"]
        fig.add_annotation(
            x=x,
            y=math.log10(y),
            text="<i>guide to the eye, not data</i>",
            showarrow=False,
            yanchor="top",
            yshift=-5,
            font=dict(size=11, color=COLORS["muted"]),
            name="guide-label",
        )
        # on a phone the middle of the first stretch is too near the axis: the label starts where the guide does
        figures.on_phone(fig, annotations={"guide-label": dict(x=guide["date"].iloc[0], xanchor="left")})
    above = {"wide": 0, "phone": 0}
    if events is not None and not events.empty:
        _milestone_lines(fig, events)
        above = _milestones_above(fig, events, frames)
    figures.room_above(fig, above["wide"], phone=above["phone"])
    fig.update_layout(
        xaxis=dict(range=list(SPAN), dtick="M1", tickformat="%b<br>%Y", anchor="y"),
        yaxis=dict(**_log_axis(*layout["y_range"], layout["ticks"]), title=dict(text=Y_TITLE), anchor="x"),
    )

    # the key, on axis 4
    kinds = {st.bounds(r).kind for _, r in rows.iterrows()}
    entries = _key_entries(kinds, confidence=True)
    key_rows = _key(fig, entries, "4", frames, cols={"wide": 3, "phone": 2})

    # the zoom panels, on axes 2 and 3
    longest = 0
    for n, (title, start, end) in enumerate(zooms):
        window = rows[(rows["date"] >= pd.Timestamp(start)) & (rows["date"] <= pd.Timestamp(end))]
        longest = max(longest, _zoom(fig, window, title, str(n + 2), tag, cite))
    labels_px = round(longest * SMALL * figures.CHAR_EM) + 12 if zooms else 0

    def blocks(width: str) -> list[tuple[str | None, float]]:
        key_px = key_rows[width] * 21
        main = {"wide": 400, "phone": 340}[width]
        out: list[tuple[str | None, float]] = [("main", main), (None, 46), ("key", key_px)]
        if not zooms:
            return out
        zoom = {"wide": 220, "phone": 170}[width]
        if width == "wide":
            return [*out, (None, 2 * _LINE + 24), ("zooms", zoom)]
        for n in range(len(zooms)):
            out += [(None, (labels_px + 8 if n else 0) + 2 * _LINE + 24), (f"zoom{n}", zoom)]
        return out

    bottom = labels_px + 30 if zooms else 40
    heights = {}
    for width, frame in frames.items():
        domains, plot = _stack(blocks(width))
        heights[width] = round(frame.top + above[width] + plot + bottom)
        patch = {
            "height": heights[width],
            "margin": dict(l=frame.left, r=frame.right, b=bottom),
            "yaxis": dict(domain=domains["main"], **({"title": _PHONE_Y_TITLE} if width == "phone" else {})),
            "yaxis4": dict(domain=domains["key"]),
        }
        for n in range(len(zooms)):
            axis = str(n + 2)
            if width == "wide":
                x0, x1 = (0.0, 0.45) if n == 0 else (0.56, 1.0)
                patch[f"xaxis{axis}"] = dict(domain=[x0, x1])
                patch[f"yaxis{axis}"] = dict(domain=domains["zooms"])
            else:
                patch[f"xaxis{axis}"] = dict(domain=[0.0, 1.0])
                patch[f"yaxis{axis}"] = dict(domain=domains[f"zoom{n}"], title=_PHONE_Y_TITLE)
        if width == "wide":
            if zooms:
                patch["yaxis2"]["title"] = dict(text=Y_TITLE)
            fig.update_layout(patch)
        else:
            figures.on_phone(fig, patch, annotations={"headline-note": None})
    fig.update_layout(showlegend=False, hovermode="closest")
    return fig


# --------------------------------------------------------------------------
# army by army
# --------------------------------------------------------------------------


def _unit_labels(fig: go.Figure, rows: pd.DataFrame, xs, axis: str) -> None:
    """Each figure of a panel of several small units named beside it (on its left late in the span)."""
    nth = rows.groupby("date").cumcount()
    for idx, row in rows[~rows["measure"].isin(LOSS_MEASURES)].iterrows():
        late = _share(row["date"]) > 0.62
        fig.add_annotation(
            x=xs[idx], y=math.log10(st.face_value(row) or st.bounds(row).low or st.bounds(row).high),
            xref=f"x{axis}", yref=f"y{axis}", text=charts.plotly_text(_short_unit(row["unit"])), showarrow=False,
            xanchor="right" if late else "left", xshift=-7 if late else 7, yshift=7 * (-1) ** int(nth[idx]),
            font=dict(size=SMALL, color=_color(row)), name="unit-label",
        )  # fmt: skip


def _corner_key(fig: go.Figure, units, axis: str) -> None:
    """The units of a panel named in their colours, one a line, in its top left corner."""
    for n, unit in enumerate(units):
        fig.add_annotation(
            x=0.02, y=1, xref=f"x{axis} domain", yref=f"y{axis} domain", text=charts.plotly_text(_short_unit(unit)),
            showarrow=False, xanchor="left", yanchor="top", yshift=-3 - n * _LINE,
            font=dict(size=SMALL, color=SERIES_COLORS[unit]), name="unit-label",
        )  # fmt: skip


def _panel(
    fig: go.Figure, n: int, title: str, rows: pd.DataFrame, ranges: dict, groups, events, cite, step_days, panel_px
):
    """Panel ``n`` of the per-unit chart (``panel_px`` wide at each width): its figures, the shares
    at their dates, its title, the milestones' lines and numbers; returns the counts it draws."""
    axis = "" if n == 0 else str(n + 1)
    rows = rows[st.point_in_time(rows)]
    counts = rows[rows["qualifier"] != "fraction"]
    xs = _x(counts, step_days, keys=("measure", "date"))
    _marks(fig, counts, xs, cite, axis=axis, name=f"panel{n + 1}")
    detachments = [u for u in DETACHMENTS if u in set(counts["unit"])]
    if title.startswith("Other"):
        _unit_labels(fig, counts, xs, axis)
    elif len(detachments) > 1:
        _corner_key(fig, detachments, axis)
    lo, hi = ranges["ma" if title.startswith("Ma") else "red"]
    # shares are written from their dates, stacked up from the panel's foot (a band kept free for them),
    # shifted left to stay inside the panel; in a panel of several units each names its unit first
    several = rows["unit"].nunique() > 1
    shift = dict.fromkeys(panel_px, 2)
    for _, row in rows[rows["qualifier"] == "fraction"].iterrows():
        lines = [f"{_short_unit(row['unit'])}," if several else "", f"{row['measure']}: {st.describe(row)}"]
        at = {}
        for name, px in panel_px.items():
            text = " ".join(lines).strip() if _text_px(" ".join(lines), SMALL) < px else "\n".join(lines).strip()
            x0 = _share(row["date"]) * px
            at[name] = dict(text=charts.plotly_text(text).replace("\n", "<br>"), yshift=shift[name])
            at[name]["xshift"] = round(min(0.0, px - x0 - _text_px(text, SMALL) - 4))
            shift[name] += (_LINE + 1) * (text.count("\n") + 1)
        fig.add_annotation(
            x=row["date"], y=0, xref=f"x{axis}", yref=f"y{axis} domain", hovertext=_hover(row, cite), showarrow=False,
            xanchor="left", yanchor="bottom", align="left", font=dict(size=SMALL, color=LOSS_COLOR),
            name=f"share:{row['id']}", **at["wide"],
        )  # fmt: skip
        figures.on_phone(fig, annotations={f"share:{row['id']}": at["phone"]})
    notes = [(0.5, 0.5, "no figure in the data", "middle", 0)] if rows.empty else []
    notes.append((0, 1, f"<b>{charts.plotly_text(title)}</b>", "bottom", _LINE + 3))
    for x, y, text, anchor, shift in notes:
        fig.add_annotation(
            x=x, y=y, xref=f"x{axis} domain", yref=f"y{axis} domain", text=text, showarrow=False,
            xanchor="left" if x == 0 else "center", yanchor=anchor, yshift=shift,
            font=dict(size=12 if shift else SMALL), name="panel-title" if shift else "empty",
        )  # fmt: skip
    if groups is not None:
        _milestone_lines(fig, events, axis)
        for i, date in enumerate(groups["date"]):
            fig.add_annotation(
                x=date, y=1, xref=f"x{axis}", yref=f"y{axis} domain", text=str(i + 1), showarrow=False,
                yanchor="bottom", yshift=1, font=dict(size=SMALL, color=COLORS["muted"]), name="milestone-number",
            )  # fmt: skip
    fig.update_layout(
        {
            f"xaxis{axis}": dict(range=list(SPAN), dtick="M2", tickformat="%b<br>%Y", anchor=f"y{axis}"),
            f"yaxis{axis}": dict(**_log_axis(lo, hi, [t for t in log_ticks(lo, hi) if str(t)[0] in "15"])),
        }
    )
    fig.update_layout({f"yaxis{axis}": dict(anchor=f"x{axis}")})
    return counts


#: the space between the per-unit chart's columns of panels, as a share of the plot's width
_GAP = 0.06


def figure_units(
    strength: pd.DataFrame, events: pd.DataFrame | None = None, *, cite=None, step_days: float = 3.0
) -> go.Figure:
    """Strength per army and per detachment, small multiples.

    The title is :func:`wra.analysis.strength.units_finding`. Red Army panels
    share one log scale; the Ma forces have their own panel and scale. Counts
    of men lost, killed or captured have their own colour; a share lost (e.g.
    近半) is written at its date, since without a base it is no number of men.
    Milestones are dotted lines numbered above each panel, named under the key.
    The key shows the marks the chart draws. Hover a figure for its words,
    wording, source and confidence. On a phone the panels stack in one column.
    """
    cite = cite or _cite_default()
    finding = st.units_finding(strength)
    fig = go.Figure()
    figures.set_title(fig, finding, UNITS_SUBTITLE)
    frames = _frames(finding, UNITS_SUBTITLE, phone_left=72)  # the Ma panel's "100,000"
    panels = _panels(strength)
    panel_px = {"wide": frames["wide"].plot * (1 - 2 * _GAP) / 3, "phone": frames["phone"].plot}
    ranges = units_y_ranges(strength)
    shares = strength[(strength["qualifier"] == "fraction") & (strength["side"] == "red")]
    if not shares.empty:  # a band at the foot of the Red Army panels for the shares written there
        ranges["red"] = (ranges["red"][0] / 2, ranges["red"][1])
    has_events = events is not None and not events.empty
    groups = _milestone_groups(events) if has_events else None
    drawn = pd.concat(
        [_panel(fig, n, *panel, ranges, groups, events, cite, step_days, panel_px) for n, panel in enumerate(panels)]
    )

    # the key, on axis 7: the marks drawn, men lost, and what the milestones' numbers stand for
    kinds = {st.bounds(r).kind for _, r in drawn.iterrows()}
    extra = [("colour:accent", "men lost")] if drawn["measure"].isin(LOSS_MEASURES).any() else []
    key_rows = _key(fig, _key_entries(kinds, not drawn.empty, extra), "7", frames, cols={"wide": 4, "phone": 2})
    lines = {"wide": 0, "phone": 0}
    if has_events:
        items = [f"{i + 1} {t.replace('<br>', ', ')}" for i, t in enumerate(groups["label"])]
        items = [f"Dotted lines: {items[0]}", *items[1:]]
        texts = {name: _pack(items, int(f.plot / (SMALL * figures.CHAR_EM))) for name, f in frames.items()}
        lines = {name: len(text) for name, text in texts.items()}
        fig.add_annotation(
            x=0, y=0, xref="x7 domain", yref="y7 domain", text="<br>".join(texts["wide"]), showarrow=False,
            xanchor="left", yanchor="top", align="left", font=dict(size=SMALL), name="milestone-key",
        )  # fmt: skip
        figures.on_phone(fig, annotations={"milestone-key": dict(text="<br>".join(texts["phone"]))})

    header, gap = 2 * _LINE + 8, _GAP
    for name, frame in frames.items():
        tail = [(None, 46), ("key", key_rows[name] * 21), (None, lines[name] * _LINE + 8)]
        if name == "wide":
            blocks = [(None, header), ("row0", 220), (None, 12 + header), ("row1", 220), *tail]
        else:
            blocks = [b for n in range(6) for b in ((None, header + (34 if n else 0)), (f"row{n}", 140))] + tail
        domains, plot = _stack(blocks)
        patch = {"height": round(frame.top + plot + 20), "margin": dict(l=frame.left, r=frame.right, b=20)}
        patch["yaxis7"] = dict(domain=domains["key"])
        for n in range(6):
            axis = "" if n == 0 else str(n + 1)
            if name == "wide":
                x0 = round((n % 3) * (1 + gap) / 3, 4)
                patch[f"xaxis{axis}"] = dict(domain=[x0, round(x0 + (1 - 2 * gap) / 3, 4)], showticklabels=n >= 3)
                patch[f"yaxis{axis}"] = dict(domain=domains[f"row{n // 3}"])
            else:
                patch[f"xaxis{axis}"] = dict(domain=[0, 1], showticklabels=True, dtick="M2", tickformat="%b %Y")
                patch[f"yaxis{axis}"] = dict(domain=domains[f"row{n}"])
        if name == "wide":
            fig.update_layout(patch)
        else:
            figures.on_phone(fig, patch)
    fig.update_layout(showlegend=False, hovermode="closest")
    return fig
