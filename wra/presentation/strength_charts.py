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

The marks' grammar and the helpers that lay panels out in pixels (:func:`marks`,
:func:`glyph`, :func:`mark_trace`, :func:`draw_key`, :func:`chart_frames`,
:func:`stack`, :func:`per_width`, :func:`note`) are public: chapter 06 draws
the Ma forces and the losses with them (:mod:`wra.presentation.destruction_charts`).
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
    "ARROW_FACTOR",
    "LOSS_COLOR",
    "SERIES_COLORS",
    "Frame",
    "chart_frames",
    "draw_key",
    "figure_total",
    "figure_units",
    "glyph",
    "key_entries",
    "log_axis",
    "mark_trace",
    "marks",
    "note",
    "per_width",
    "source_tag",
    "stack",
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
ARROW_FACTOR = 1.45
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
PHONE_Y_TITLE = dict(text=Y_TITLE, font=dict(size=11), standoff=3)
#: the smallest text of a chart (CSS px)
SMALL = style.MIN_FONT
#: one line of small text, in pixels
_LINE = 13


#: the box behind a note that crosses marks or lines: the chart's own background
VEIL = COLORS["paper"]
#: a headline note: a thin line from its words to its figure
_ARROW_NOTE = dict(
    showarrow=True, arrowhead=0, arrowwidth=0.8, arrowcolor=COLORS["ink"], standoff=5, font=dict(size=11), bgcolor=VEIL
)


def _color(row) -> str:
    if row["measure"] in LOSS_MEASURES:
        return LOSS_COLOR
    if row["side"] == "ma":
        return COLORS["ma"]
    return SERIES_COLORS.get(row["unit"], COLORS["red"])


def _cite_default():
    from wra.record.sources import cite

    return cite


def unit_label(unit: str) -> str:
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
        f"{row['id']}: {unit_label(row['unit'])}, {schema.MEASURE.get(row['measure'], row['measure'])}",
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


def arrow_tip(b: st.Bounds) -> float | None:
    """Where a one-sided bound's arrow ends."""
    if b.kind == "lower":
        return b.low * ARROW_FACTOR
    if b.kind == "upper":
        return b.high / ARROW_FACTOR
    return None


def y_range(rows: pd.DataFrame) -> tuple[float, float]:
    """The log axis's span: the smallest and largest number drawn (a one-sided
    bound's arrow tip included), with a little room; no empty decade."""
    values: list[float] = []
    for _, row in rows.iterrows():
        b = st.bounds(row)
        values += [v for v in (b.low, b.high, arrow_tip(b)) if v is not None]
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
        label = dict(unit=unit, text=text, ha="left", va="bottom")
        if unit == "wra":
            out.append(dict(label, x=part.iloc[0]["date"], y=max(values) * ARROW_FACTOR))
            continue
        arrival = part[part["measure"] == "reached"]
        end = (arrival["date"].min() if not arrival.empty else part["date"].max()) - pd.Timedelta(days=8)
        start = part["date"].min() - pd.Timedelta(days=18)
        phone = dict(x=end, xanchor="right", align="right")
        out.append(dict(label, text=text.replace(", ", ",\n"), x=start, y=min(values), phone=phone))
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
    hi = max([hi, *(lab["y"] * 1.45 for lab in labels if lab["unit"] == "wra")])  # room for the name above
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
    panels = [(unit_label(u), red[red["unit"] == u]) for u in ARMIES]
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
    return _SHORT_UNIT.get(unit, unit_label(unit).split(" (")[0])


# --------------------------------------------------------------------------
# geometry: panels placed in pixels, for each width
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Frame:
    """A chart's frame at one width: its side margins and the title's room above the plot."""

    width: style.Width
    left: int
    right: int
    top: int

    @property
    def plot(self) -> int:
        return self.width.width - self.left - self.right


def chart_frames(title: str, subtitle: str, phone_left: int = 64) -> dict[str, Frame]:
    """The chart's frame at each width: the room :func:`wra.presentation.figures.variant` gives
    its title, the side margins (on a phone ``phone_left``: the y axis's labels, and no more)."""
    frames = {}
    for name, width, left, right in (("wide", style.WIDE, 64, 20), ("phone", style.PHONE, phone_left, 12)):
        frames[name] = Frame(width, left, right, figures.title_room(title, subtitle, width))
    return frames


def stack(blocks: list[tuple[str | None, float]]) -> tuple[dict[str, list[float]], float]:
    """Vertical domains of named blocks (pixels, top to bottom; None: a gap), and the plot's height."""
    total = sum(px for _, px in blocks)
    out, y = {}, 0.0
    for name, px in blocks:
        if name is not None:
            out[name] = [round(1 - (y + px) / total, 4), round(1 - y / total, 4)]
        y += px
    return out, total


def per_width(fig: go.Figure, name: str, layout: dict, **phone) -> None:
    """``layout`` for the chart at the width ``name``: the figure's own at the laptop width, its phone patch else."""
    if name == "wide":
        fig.update_layout(layout)
    else:
        figures.on_phone(fig, layout, **phone)


def text_px(text: str, size: float) -> float:
    """About how wide a text's longest line is drawn (a Chinese character counts as two columns)."""
    return max(charts._width(line) for line in str(text).replace("<br>", "\n").split("\n")) * size * figures.CHAR_EM


def _place(labels: list[tuple[float, str]], frame: Frame, gap: float = 8) -> list[tuple[int, int]]:
    """Level labels above a time axis: for each (x as a share of the plot, text), its
    row (0 nearest the axis) and its shift in pixels to stay inside the chart."""
    rows: list[list[tuple[float, float]]] = []
    out = []
    for share, text in labels:
        w, centre = text_px(text, SMALL) + 4, share * frame.plot
        left = min(max(centre - w / 2, 2 - frame.left), frame.plot + frame.right - w - 2)
        free = [all(left + w + gap <= a or left >= b + gap for a, b in taken) for taken in rows]
        row = free.index(True) if True in free else len(rows)
        if row == len(rows):
            rows.append([])
        rows[row].append((left, left + w))
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


def span_share(date, span=SPAN) -> float:
    return (pd.Timestamp(date) - span[0]) / (span[1] - span[0])


def note(fig: go.Figure, x, y, text: str, axis: str = "", domain: str = "", size=SMALL, colour=None, **kw) -> None:
    """Text on the axes ``axis``, no arrow; ``domain`` names the coordinates ("x", "y", "xy")
    given as a share of the panel, not as data."""
    fig.add_annotation(
        x=x,
        y=y,
        xref=f"x{axis}" + (" domain" if "x" in domain else ""),
        yref=f"y{axis}" + (" domain" if "y" in domain else ""),
        text=text,
        showarrow=False,
        font=dict(size=size, **({"color": colour} if colour else {})),
        **kw,
    )


def _vline(fig: go.Figure, x, axis: str, colour: str, dash: str | None = None) -> None:
    line = dict(color=colour, width=1, **({"dash": dash} if dash else {}))
    fig.add_shape(
        type="line", x0=x, x1=x, y0=0, y1=1, xref=f"x{axis}", yref=f"y{axis} domain", line=line, layer="below"
    )


def log_axis(lo: float, hi: float, ticks=None) -> dict:
    """A log axis trimmed to ``lo``..``hi``, with plain numbers on its 1-2-5 ticks."""
    ticks = log_ticks(lo, hi) if ticks is None else ticks
    return dict(
        type="log", range=[math.log10(lo), math.log10(hi)], tickvals=ticks, ticktext=[f"{v:,.0f}" for v in ticks]
    )


# --------------------------------------------------------------------------
# marks, and the key to them
# --------------------------------------------------------------------------


def glyph(kind: str, x, low, high, tip=None) -> tuple[list, list, list, list]:
    """x, y, symbol and size of one figure's mark (a bound: its tick, then its arrow's tip)."""
    if kind in ("exact", "about"):
        return [x], [low], list(SYMBOLS[kind]), [9]
    if kind == "range":
        return [x, x, None], [low, high, None], [*SYMBOLS[kind], "line-ew"], [9, 9, 0]
    return [x, x, None], [low if kind == "lower" else high, tip, None], [*SYMBOLS[kind], "line-ew"], [11, 7, 0]


def mark_trace(x, y, symbol, size, colour, name, axis="", marker_opacity=None, **kw) -> go.Scatter:
    """Marks as :func:`glyph` gives them: ticks and rings stroked 2 px wide, arrowheads filled."""
    outline = dict(color=colour, width=[0 if s.startswith("arrow") else 2 for s in symbol])
    return go.Scatter(
        x=x,
        y=y,
        mode="lines+markers" if None in y else "markers",
        marker=dict(symbol=symbol, size=size, color=colour, line=outline, opacity=marker_opacity),
        line=dict(color=colour, width=2.2),
        name=name,
        showlegend=False,
        xaxis=f"x{axis}",
        yaxis=f"y{axis}",
        **kw,
    )


def marks(fig: go.Figure, rows: pd.DataFrame, xs, cite, axis: str = "", name: str = "mark", colour=None) -> None:
    """One trace per (colour, kind, confidence): each figure drawn as what it says, hover for its source;
    ``colour(row)`` gives a figure's colour (by default its unit's, or men lost)."""
    if rows.empty:
        return
    paint = colour or _color
    rows = rows.assign(_x=list(xs), _kind=[st.bounds(r).kind for _, r in rows.iterrows()])
    rows["_colour"] = [paint(r) for _, r in rows.iterrows()]
    for (colour, kind, conf), part in rows.groupby(["_colour", "_kind", "confidence"], sort=False):
        x, y, symbol, size, hover = [], [], [], [], []
        for _, row in part.iterrows():
            b = st.bounds(row)
            mark = glyph(kind, row["_x"], b.low, b.high, arrow_tip(b))
            for into, got in zip((x, y, symbol, size), mark):
                into += got
            hover += [_hover(row, cite) if v is not None else None for v in mark[1]]
        opacity = st.CONFIDENCE_ALPHA.get(conf, 1.0)
        mark = mark_trace(x, y, symbol, size, colour, f"{name}:{kind}", axis, opacity=opacity, hovertext=hover)
        fig.add_trace(mark.update(hoverinfo="text"))


def key_entries(kinds, confidence: bool, extra: list[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """(entry, words) of a key: the kinds of mark the chart draws, in order; then the others."""
    out = [(k, KIND_LABELS[k]) for k in st.KINDS if k in kinds]
    return out + ([("confidence", CONFIDENCE_KEY)] if confidence else []) + list(extra)


#: a step of a key's entry, in pixels, and the size of its words at each width
_KEY_STEP = 11
_KEY_FONT = {"wide": 11, "phone": 10}


def _key_text(entry: str) -> float:
    """Where an entry's words start, in steps (after three dots for confidence, one mark else)."""
    return 4.2 if entry == "confidence" else 2.4


def _key_cells(entries: list[tuple[str, str]], cols: int, frame: Frame) -> tuple[list[tuple[float, int]], int]:
    """Where each key entry stands, (x as a share of the plot, row), filled column by column;
    a column starts where the one before it ends, or at its even share of the width; and the rows."""
    rows, size = math.ceil(len(entries) / cols), _KEY_FONT[frame.width.name]
    widths = [_key_text(entry) * _KEY_STEP + text_px(words, size) + 16 for entry, words in entries]
    starts = [0.0]
    for c in range(1, cols):
        starts.append(max(starts[-1] + max(widths[(c - 1) * rows : c * rows]), c * frame.plot / cols))
    return [(starts[i // rows] / frame.plot, i % rows) for i in range(len(entries))], rows


def draw_key(fig: go.Figure, entries: list[tuple[str, str]], axis: str, frames: dict, cols: dict) -> dict[str, int]:
    """The key to the marks, drawn with the marks themselves on the hidden axis ``axis``
    (``cols[width]`` columns); returns its rows at each width."""
    cells = {name: _key_cells(entries, cols[name], frame) for name, frame in frames.items()}
    traces, notes = {}, {}
    for i, (entry, words) in enumerate(entries):
        drawn = {}
        for name, frame in frames.items():
            (cx, row), rows = cells[name][0][i], cells[name][1]
            cy, step = rows - row - 0.5, _KEY_STEP / frame.plot
            if entry in SYMBOLS:
                low = cy if entry in ("exact", "about") else cy - 0.3
                mark = glyph(entry, cx + step, low, cy + 0.3, cy + (0.3 if entry == "lower" else -0.3))
            else:  # confidence (three dots), or a colour ("colour:<name>")
                n = 3 if entry == "confidence" else 1
                mark = [cx + (k + 1) * step for k in range(n)], [cy] * n, ["circle"] * n, [9] * n
            drawn[name] = (mark, cx + _key_text(entry) * step, cy)
        (mark, x, y), phone = drawn["wide"], drawn["phone"]
        colour = COLORS[entry.split(":", 1)[1]] if entry.startswith("colour:") else COLORS["ink"]
        opacity = [st.CONFIDENCE_ALPHA[c] for c in "HML"] if entry == "confidence" else 1
        hidden = dict(hoverinfo="skip", cliponaxis=False)
        key = mark_trace(*mark, colour, f"key:{entry}", axis, marker_opacity=opacity, **hidden)
        fig.add_trace(key)
        note(
            fig,
            x,
            y,
            charts.plotly_text(words),
            axis,
            size=_KEY_FONT["wide"],
            xanchor="left",
            name=f"key-label:{entry}",
        )
        traces[f"key:{entry}"] = dict(x=phone[0][0], y=phone[0][1])
        notes[f"key-label:{entry}"] = dict(x=phone[1], y=phone[2], font=dict(size=_KEY_FONT["phone"]))
    rows = {name: cells[name][1] for name in frames}
    hidden = dict(visible=False, fixedrange=True)
    fig.update_layout(
        {
            f"xaxis{axis}": dict(range=[0, 1], anchor=f"y{axis}", **hidden),
            f"yaxis{axis}": dict(range=[0, rows["wide"]], anchor=f"x{axis}", **hidden),
        }
    )
    figures.on_phone(fig, {f"yaxis{axis}": dict(range=[0, rows["phone"]])}, annotations=notes, traces=traces)
    return rows


# --------------------------------------------------------------------------
# milestones
# --------------------------------------------------------------------------


def _milestone_groups(events: pd.DataFrame) -> pd.DataFrame:
    """Milestones less than 12 days apart named together, one line each."""
    return charts.merge_close_events(events.assign(label=events["label"].map(charts.plotly_text)), sep="<br>")


def _milestones_above(fig: go.Figure, events: pd.DataFrame, frames: dict) -> dict[str, int]:
    """Each milestone's dotted line, and its name above the plot, level, the English over
    the Chinese, in as many rows as the width needs; returns the pixels the names take."""
    for date in events["date"]:
        _vline(fig, date, "", COLORS["guide"], "dot")
    groups = _milestone_groups(events)
    labels = [
        (span_share(d), t if "<br>" in t else charts.stack_name(t).replace("\n", "<br>")) for d, t in groups.values
    ]
    placed = {name: _place(labels, frame) for name, frame in frames.items()}
    row_px = 2 * _LINE + 4
    for i, ((_, text), date) in enumerate(zip(labels, groups["date"])):
        (row, shift), (phone_row, phone_shift) = placed["wide"][i], placed["phone"][i]
        note(
            fig,
            date,
            1,
            text,
            domain="y",
            yanchor="bottom",
            xshift=shift,
            yshift=4 + row * row_px,
            name=f"milestone:{i}",
        )
        figures.on_phone(fig, annotations={f"milestone:{i}": dict(xshift=phone_shift, yshift=4 + phone_row * row_px)})
    return {name: (1 + max((r for r, _ in p), default=-1)) * row_px + 6 for name, p in placed.items()}


# --------------------------------------------------------------------------
# the whole army
# --------------------------------------------------------------------------


def _zoom_slots(rows: pd.DataFrame) -> tuple[pd.DataFrame, list[int], list[tuple[pd.Timestamp, int, int]]]:
    """A short window's figures one slot each, grouped by date with a free slot between dates."""
    rows = rows.sort_values(["date", "unit", "source", "id"], kind="stable")
    slots, groups, slot = [], [], -1
    for date in rows["date"]:
        same = bool(groups) and groups[-1][0] == date
        slot += 1 if same or not groups else 2
        groups[-1:] = [(date, groups[-1][1], slot)] if same else [*groups[-1:], (date, slot, slot)]
        slots.append(slot)
    return rows, slots, groups


def _zoom(fig: go.Figure, rows: pd.DataFrame, title: str, axis: str, tag, cite) -> int:
    """One zoom panel on axes ``axis``: the window's figures side by side, each
    named by its source under it, their dates above; returns the longest source tag (columns)."""
    rows, slots, groups = _zoom_slots(rows)
    marks(fig, rows, slots, cite, axis=axis, name=f"zoom{axis}")
    tags = [tag(k) for k in rows["source"]]
    fig.update_layout(
        {
            f"xaxis{axis}": dict(
                range=[-0.8, (slots[-1] if slots else 0) + 0.8],
                tickvals=slots,
                ticktext=[charts.plotly_text(t) for t in tags],
                tickangle=-90,
                tickfont=dict(size=SMALL),
                showgrid=False,
                ticklen=3,
                anchor=f"y{axis}",
            ),
            f"yaxis{axis}": dict(**log_axis(*(y_range(rows) if len(rows) else (100, 1000))), anchor=f"x{axis}"),
        }
    )
    for n, (date, first, last) in enumerate(groups):
        day = f"{date.day} {date:%b}" if n == 0 or date.month != groups[n - 1][0].month else str(date.day)
        note(fig, (first + last) / 2, 1, day, axis, "y", yanchor="bottom", yshift=1, name="zoom-date")
        if first > 0:
            _vline(fig, first - 1, axis, COLORS["grid"])
    text = f"<b>{charts.plotly_text(title)}</b>"
    note(fig, 0, 1, text, axis, "xy", 12, xanchor="left", yanchor="bottom", yshift=_LINE + 6, name="zoom-title")
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
    end)``, two at most: the figures in that window side by side, each named by
    its source (``tag(source_key)``, default :func:`source_tag`). Hover a figure
    for its words, Chinese wording, source and page, and confidence.

    On a phone the zoom panels stack under the key and the headline notes go
    (the title and the hover carry them).
    """
    cite, tag = cite or _cite_default(), tag or source_tag
    layout = total_layout(strength, split_date, step_days)
    rows, xs, guide = layout["rows"], layout["xs"], layout["guide"]
    zooms = list(zooms)[:2]
    fig = go.Figure()
    figures.set_title(fig, layout["title"], layout["subtitle"])
    frames = chart_frames(layout["title"], layout["subtitle"])

    # the main panel: the guide, the marks, the headline notes, the series' and the guide's names, the milestones
    if not guide.empty:
        line = dict(color=COLORS["guide"], dash="dash", width=1.3)
        fig.add_scatter(
            x=guide["date"], y=guide["value"], mode="lines", name=st.GUIDE_LABEL, line=line, hoverinfo="skip"
        )
    marks(fig, rows, xs, cite)
    positions, seen = dict(zip(rows["id"], xs)), []
    for row, text in headline_notes(strength, split_date):
        ax, ay, anchor = _note_offset(row["step"], seen.count(row["step"]))
        seen.append(row["step"])
        fig.add_annotation(
            x=positions.get(row["id"], row["date"]),
            y=math.log10(st.face_value(row) or row["low"]),
            text=charts.plotly_text(text).replace("\n", "<br>"),
            ax=ax,
            ay=ay,
            xanchor=anchor,
            align="right" if anchor == "right" else "left",
            name="headline-note",
            **_ARROW_NOTE,
        )
    for lab in layout["labels"]:
        text = f"<b>{charts.plotly_text(lab['text'])}</b>".replace("\n", "<br>")
        place = dict(xanchor=lab["ha"], yanchor=lab["va"], align=lab["ha"], yshift=4)
        name = f"series:{lab['unit']}"
        note(fig, lab["x"], math.log10(lab["y"]), text, size=12, colour=SERIES_COLORS[lab["unit"]], name=name, **place)
        figures.on_phone(fig, annotations={name: lab.get("phone", {})})
    if layout["guide_at"] is not None:
        x, y = layout["guide_at"]
        text = "<i>guide to the eye, not data</i>"
        note(fig, x, math.log10(y), text, size=11, colour=COLORS["muted"], yanchor="top", yshift=-5, name="guide-label")
        # on a phone the middle of the first stretch is too near the axis: the name starts where the guide
        # does, in two lines (clear of the figures of late January)
        phone = dict(x=guide["date"].iloc[0], xanchor="left", align="left", text=text.replace("eye, ", "eye,<br>"))
        figures.on_phone(fig, annotations={"guide-label": phone})
    above = {"wide": 0, "phone": 0}
    if events is not None and not events.empty:
        above = _milestones_above(fig, events, frames)
    figures.room_above(fig, above["wide"], phone=above["phone"])
    fig.update_layout(
        xaxis=dict(range=list(SPAN), dtick="M1", tickformat="%b<br>%Y", anchor="y"),
        yaxis=dict(**log_axis(*layout["y_range"], layout["ticks"]), title=dict(text=Y_TITLE), anchor="x"),
        showlegend=False,
        hovermode="closest",
    )

    # the key (axis 4) and the zoom panels (axes 2 and 3)
    kinds = {st.bounds(r).kind for _, r in rows.iterrows()}
    key_rows = draw_key(fig, key_entries(kinds, confidence=True), "4", frames, cols={"wide": 3, "phone": 2})
    longest = 0
    for n, (title, start, end) in enumerate(zooms):
        window = rows[(rows["date"] >= pd.Timestamp(start)) & (rows["date"] <= pd.Timestamp(end))]
        longest = max(longest, _zoom(fig, window, title, str(n + 2), tag, cite))
    tags_px = round(longest * SMALL * figures.CHAR_EM) + 12 if zooms else 0
    header = 2 * _LINE + 24  # a zoom panel's title and dates

    # the panels placed at each width: on a phone the zoom panels stack, each the plot's full width
    bottom = tags_px + 30 if zooms else 40
    for name, frame in frames.items():
        blocks = [("main", 400 if name == "wide" else 340), (None, 46), ("key", key_rows[name] * 21)]
        if zooms and name == "wide":
            blocks += [(None, header), ("zoom0", 220)]
        elif zooms:
            blocks += [
                b for n in range(len(zooms)) for b in ((None, header + (tags_px + 8 if n else 0)), (f"zoom{n}", 170))
            ]
        domains, plot = stack(blocks)
        y_title = {"title": dict(text=Y_TITLE) if name == "wide" else PHONE_Y_TITLE}
        patch = {
            "height": round(frame.top + above[name] + plot + bottom),
            "margin": dict(l=frame.left, r=frame.right, b=bottom),
            "yaxis": dict(domain=domains["main"], **({} if name == "wide" else y_title)),
            "yaxis4": dict(domain=domains["key"]),
        }
        for n in range(len(zooms)):
            x = ([0.0, 0.45], [0.56, 1.0])[n] if name == "wide" else [0.0, 1.0]
            patch[f"xaxis{n + 2}"] = dict(domain=x)
            patch[f"yaxis{n + 2}"] = dict(domain=domains["zoom0" if name == "wide" else f"zoom{n}"])
            if n == 0 or name == "phone":
                patch[f"yaxis{n + 2}"].update(y_title)
        per_width(fig, name, patch, annotations={"headline-note": None})
    return fig


# --------------------------------------------------------------------------
# army by army
# --------------------------------------------------------------------------


def _unit_labels(fig: go.Figure, rows: pd.DataFrame, xs, axis: str) -> None:
    """Each figure of a panel of several small units named beside it (on its left late in the span)."""
    nth = rows.groupby("date").cumcount()
    for idx, row in rows[~rows["measure"].isin(LOSS_MEASURES)].iterrows():
        late = span_share(row["date"]) > 0.62
        y = math.log10(st.face_value(row) or st.bounds(row).low or st.bounds(row).high)
        place = dict(xanchor="right" if late else "left", xshift=-7 if late else 7, yshift=7 * (-1) ** int(nth[idx]))
        text = charts.plotly_text(_short_unit(row["unit"]))
        note(fig, xs[idx], y, text, axis, colour=_color(row), name="unit-label", **place)


def _shares(fig: go.Figure, rows: pd.DataFrame, axis: str, cite, panel_px: dict) -> None:
    """Shares lost written from their dates, stacked up from the panel's foot (a band kept free
    for them), shifted left to stay in the panel, on one line if it fits the panel's width, else
    two; in a panel of several units each names its unit first."""
    several = rows["unit"].nunique() > 1
    shift = dict.fromkeys(panel_px, 2)
    for _, row in rows[rows["qualifier"] == "fraction"].iterrows():
        parts = [f"{_short_unit(row['unit'])}," if several else "", f"{row['measure']}: {st.describe(row)}"]
        at = {}
        for name, px in panel_px.items():
            text = " ".join(parts).strip() if text_px(" ".join(parts), SMALL) < px else "\n".join(parts).strip()
            xshift = round(min(0.0, px - span_share(row["date"]) * px - text_px(text, SMALL) - 4))
            at[name] = dict(text=charts.plotly_text(text).replace("\n", "<br>"), yshift=shift[name], xshift=xshift)
            shift[name] += (_LINE + 1) * (text.count("\n") + 1)
        place = dict(xanchor="left", yanchor="bottom", align="left", hovertext=_hover(row, cite))
        note(
            fig,
            row["date"],
            0,
            axis=axis,
            domain="y",
            colour=LOSS_COLOR,
            name=f"share:{row['id']}",
            **place,
            **at["wide"],
        )
        figures.on_phone(fig, annotations={f"share:{row['id']}": at["phone"]})


def _panel(fig: go.Figure, n: int, title: str, rows: pd.DataFrame, ranges, milestones, cite, step_days, panel_px):
    """Panel ``n`` of the per-unit chart (``panel_px`` wide at each width): its figures, the shares
    at their dates, its title, the ``milestones`` (numbered dates, every date) as numbered
    dotted lines; returns the counts it draws."""
    axis = "" if n == 0 else str(n + 1)
    rows = rows[st.point_in_time(rows)]
    counts = rows[rows["qualifier"] != "fraction"]
    xs = _x(counts, step_days, keys=("measure", "date"))
    marks(fig, counts, xs, cite, axis=axis, name=f"panel{n + 1}")
    detachments = [u for u in DETACHMENTS if u in set(counts["unit"])]
    if title.startswith("Other"):
        _unit_labels(fig, counts, xs, axis)
    elif len(detachments) > 1:  # the detachments named in their colours, in the top left corner
        for k, unit in enumerate(detachments):
            text, colour = charts.plotly_text(_short_unit(unit)), SERIES_COLORS[unit]
            place = dict(xanchor="left", yanchor="top", yshift=-3 - k * _LINE)
            note(fig, 0.02, 1, text, axis, "xy", colour=colour, name="unit-label", **place)
    _shares(fig, rows, axis, cite, panel_px)
    if rows.empty:
        note(fig, 0.5, 0.5, "no figure in the data", axis, "xy", colour=COLORS["muted"], name="empty")
    text = f"<b>{charts.plotly_text(title)}</b>"
    note(fig, 0, 1, text, axis, "xy", 12, xanchor="left", yanchor="bottom", yshift=_LINE + 3, name="panel-title")
    numbered, dates = milestones
    for i, date in enumerate(numbered):
        place = dict(yanchor="bottom", yshift=1, name="milestone-number")
        note(fig, date, 1, str(i + 1), axis, "y", colour=COLORS["muted"], **place)
    for date in dates:
        _vline(fig, date, axis, COLORS["guide"], "dot")
    lo, hi = ranges["ma" if title.startswith("Ma") else "red"]
    ticks = [t for t in log_ticks(lo, hi) if str(t)[0] in "15"]
    fig.update_layout(
        {
            f"xaxis{axis}": dict(range=list(SPAN), dtick="M2", tickformat="%b<br>%Y", anchor=f"y{axis}"),
            f"yaxis{axis}": dict(**log_axis(lo, hi, ticks), anchor=f"x{axis}"),
        }
    )
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
    frames = chart_frames(finding, UNITS_SUBTITLE, phone_left=72)  # room for the Ma panel's "100,000"
    panel_px = {"wide": frames["wide"].plot * (1 - 2 * _GAP) / 3, "phone": frames["phone"].plot}
    ranges = units_y_ranges(strength)
    if ((strength["qualifier"] == "fraction") & (strength["side"] == "red")).any():
        ranges["red"] = (ranges["red"][0] / 2, ranges["red"][1])  # a band at the foot for the shares written there
    groups = _milestone_groups(events) if events is not None and not events.empty else None
    milestones = ([], []) if groups is None else (list(groups["date"]), list(events["date"]))
    panels = [
        _panel(fig, n, *p, ranges, milestones, cite, step_days, panel_px) for n, p in enumerate(_panels(strength))
    ]
    drawn = pd.concat(panels)

    # the key, on axis 7: the marks drawn, men lost, and what the milestones' numbers stand for
    kinds = {st.bounds(r).kind for _, r in drawn.iterrows()}
    extra = [("colour:accent", "men lost")] if drawn["measure"].isin(LOSS_MEASURES).any() else []
    key_rows = draw_key(fig, key_entries(kinds, not drawn.empty, extra), "7", frames, cols={"wide": 4, "phone": 2})
    lines = {"wide": 0, "phone": 0}
    if groups is not None:
        items = [f"{i + 1} {t.replace('<br>', ', ')}" for i, t in enumerate(groups["label"])]
        items[0] = f"Dotted lines: {items[0]}"
        texts = {name: _pack(items, int(f.plot / (SMALL * figures.CHAR_EM))) for name, f in frames.items()}
        lines = {name: len(text) for name, text in texts.items()}
        place = dict(xanchor="left", yanchor="top", align="left", name="milestone-key")
        note(fig, 0, 0, "<br>".join(texts["wide"]), "7", "xy", **place)
        figures.on_phone(fig, annotations={"milestone-key": dict(text="<br>".join(texts["phone"]))})

    # the panels placed at each width: two rows of three at the laptop width, one column on a phone
    header = 2 * _LINE + 8  # a panel's title and the milestones' numbers
    for name, frame in frames.items():
        tail = [(None, 46), ("key", key_rows[name] * 21), (None, lines[name] * _LINE + 8)]
        if name == "wide":
            blocks = [(None, header), ("row0", 220), (None, 12 + header), ("row1", 220), *tail]
        else:
            blocks = [b for n in range(6) for b in ((None, header + (34 if n else 0)), (f"row{n}", 140))] + tail
        domains, plot = stack(blocks)
        patch = {"height": round(frame.top + plot + 20), "margin": dict(l=frame.left, r=frame.right, b=20)}
        patch["yaxis7"] = dict(domain=domains["key"])
        for n, axis in enumerate(("", "2", "3", "4", "5", "6")):
            if name == "wide":
                x0 = round((n % 3) * (1 + _GAP) / 3, 4)
                patch[f"xaxis{axis}"] = dict(domain=[x0, round(x0 + (1 - 2 * _GAP) / 3, 4)], showticklabels=n >= 3)
                patch[f"yaxis{axis}"] = dict(domain=domains[f"row{n // 3}"])
            else:
                patch[f"xaxis{axis}"] = dict(domain=[0, 1], showticklabels=True, dtick="M2", tickformat="%b %Y")
                patch[f"yaxis{axis}"] = dict(domain=domains[f"row{n}"])
        per_width(fig, name, patch)
    fig.update_layout(showlegend=False, hovermode="closest")
    return fig
