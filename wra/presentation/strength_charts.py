"""Charts of troop strength: each figure drawn as what it says.

One visual grammar for every strength chart (static and interactive):

* an exact figure is a filled dot, an "about" figure a hollow dot;
* a range (八九千) is a vertical bar from low to high;
* a lower bound (余, 多: "at least") is a tick at the bound with an arrow
  pointing up; an upper bound (不到, 不足: "fewer than") a tick with an arrow
  pointing down (plotly: a triangle pointing the same way);
* confidence is opacity: H solid, M lighter, L faint;
* figures of the same unit and date from different sources stand side by
  side (:func:`wra.analysis.strength.offsets`), never merged; the zoom panels spell
  out the source of each;
* the only line between figures is the dashed grey guide to the eye
  (:func:`wra.analysis.strength.headline_guide`), labelled as such.

Figures that cover a long span (a whole-campaign total of killed or
captured, see :func:`wra.analysis.strength.point_in_time`) have no place on a time
axis and are left to the tables.

Functions take the strength table (and the milestones to mark) and return a
matplotlib ``Figure`` or a plotly ``go.Figure``.
"""

from __future__ import annotations

import math

import pandas as pd

from wra.analysis import strength as st
from wra.presentation import charts
from wra.presentation.style import COLORS
from wra.record import schema

__all__ = [
    "LOSS_COLOR",
    "SERIES_COLORS",
    "figure_total_mpl",
    "figure_total_plotly",
    "figure_units_mpl",
    "figure_units_plotly",
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

KIND_LABELS = {
    "exact": "exact figure",
    "about": "about (约, 左右)",
    "range": "between (a range, e.g. 八九千)",
    "lower": "at least (余, 多): lower bound",
    "upper": "fewer than (不到, 不足): upper bound",
}
PLOTLY_SYMBOL = {
    "exact": "circle",
    "about": "circle-open",
    "lower": "triangle-up",
    "upper": "triangle-down",
    "range": "line-ew-open",
}
CONFIDENCE_LABELS = {
    "H": "H: telegram or official compilation",
    "M": "M: party-history article or memoir",
    "L": "L: popular account",
}

# arrows for one-sided bounds span this factor on a log axis
_ARROW_FACTOR = 1.45
#: the span the chapter's time axes show
SPAN = (pd.Timestamp("1936-10-01"), pd.Timestamp("1937-05-20"))
ARMIES = ("fifth_army", "ninth_army", "thirtieth_army")
DETACHMENTS = ("left_detachment", "right_detachment", "centre_detachment")


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


def _mark_events(ax, events: pd.DataFrame, labels: bool = True) -> None:
    """Every milestone's dotted line; labels merged where dates are close."""
    charts.mark_events_mpl(ax, events, labels=labels)


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
# matplotlib
# --------------------------------------------------------------------------


def _bound_marker(up: bool):
    """A legend marker: a tick with an arrow pointing up (or down)."""
    from matplotlib.path import Path

    s = 1 if up else -1
    verts = [
        (-0.5, -0.5 * s),
        (0.5, -0.5 * s),
        (0, -0.5 * s),
        (0, 0.5 * s),
        (-0.3, 0.15 * s),
        (0, 0.5 * s),
        (0.3, 0.15 * s),
    ]
    codes = [Path.MOVETO, Path.LINETO, Path.MOVETO, Path.LINETO, Path.MOVETO, Path.LINETO, Path.LINETO]
    return Path(verts, codes)


def _draw_row(ax, row: pd.Series, x, color: str, gid_prefix: str = "fig") -> None:
    """Draw one figure as what it says (see the module docstring)."""
    from matplotlib.patches import FancyArrowPatch

    b = st.bounds(row)
    alpha = st.CONFIDENCE_ALPHA.get(row["confidence"], 1.0)
    gid = f"{gid_prefix}:{row['id']}"
    common = dict(color=color, alpha=alpha, zorder=3, linestyle="none")
    if b.kind in ("exact", "about"):
        face = color if b.kind == "exact" else "white"
        ax.plot(
            [x],
            [b.low],
            marker="o",
            markersize=6.5,
            markerfacecolor=face,
            markeredgecolor=color,
            markeredgewidth=1.6,
            gid=gid,
            **common,
        )
    elif b.kind == "range":
        ax.plot(
            [x, x],
            [b.low, b.high],
            color=color,
            alpha=alpha,
            linewidth=2.4,
            marker="_",
            markersize=9,
            markeredgewidth=2.0,
            solid_capstyle="butt",
            zorder=3,
            gid=gid,
        )
    else:
        value = b.low if b.kind == "lower" else b.high
        tip = value * _ARROW_FACTOR if b.kind == "lower" else value / _ARROW_FACTOR
        ax.plot([x], [value], marker="_", markersize=10, markeredgewidth=2.2, gid=gid, **common)
        arrow = FancyArrowPatch(
            (x, value),
            (x, tip),
            arrowstyle="-|>",
            mutation_scale=9,
            color=color,
            alpha=alpha,
            linewidth=1.6,
            zorder=3,
            shrinkA=0,
            shrinkB=0,
        )
        arrow.set_gid(f"arrow:{row['id']}" if gid_prefix == "fig" else f"{gid_prefix}-arrow:{row['id']}")
        ax.add_patch(arrow)


def _x(rows: pd.DataFrame, step_days: float, keys=("unit", "measure", "date")) -> pd.Series:
    return rows["date"] + st.offsets(rows, step_days=step_days, keys=keys)


def _log_axis(ax, lo: float, hi: float) -> None:
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    ax.set_yscale("log")
    ax.set_ylim(lo, hi)
    ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.yaxis.set_minor_formatter(NullFormatter())


def _extent(rows: pd.DataFrame) -> tuple[float, float]:
    values = pd.concat([rows["low"], rows["high"]]).dropna()
    return float(values.min()), float(values.max())


def _encoding_legend(kinds, confidences) -> list:
    from matplotlib.lines import Line2D

    ink = COLORS["ink"]
    handles = []
    for kind in st.KINDS:
        if kind not in kinds:
            continue
        if kind == "exact":
            h = Line2D([], [], marker="o", color=ink, linestyle="none")
        elif kind == "about":
            h = Line2D([], [], marker="o", markerfacecolor="white", markeredgecolor=ink, linestyle="none")
        elif kind == "range":
            h = Line2D([], [], marker="$|$", markersize=11, color=ink, linestyle="none")
        else:
            h = Line2D(
                [],
                [],
                marker=_bound_marker(kind == "lower"),
                markersize=11,
                markerfacecolor="none",
                markeredgecolor=ink,
                markeredgewidth=1.4,
                linestyle="none",
            )
        handles.append((h, KIND_LABELS[kind]))
    for conf in ("H", "M", "L"):
        if conf in confidences:
            handles.append(
                (
                    Line2D(
                        [], [], marker="s", markersize=8, color=ink, alpha=st.CONFIDENCE_ALPHA[conf], linestyle="none"
                    ),
                    CONFIDENCE_LABELS[conf],
                )
            )
    return handles


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


# where each headline note sits, in points from its figure (by order)
_NOTE_OFFSETS = {
    "crossing": (0, -40, "center", "top"),
    "article": ((4, -52, "left", "top"), (16, -42, "left", "top")),
    "split": (-40, -62, "right", "top"),
    "arrival": (-6, 95, "center", "bottom"),
}


def _note_offset(step: str, nth: int) -> tuple:
    spec = _NOTE_OFFSETS[step]
    return spec[min(nth, len(spec) - 1)] if isinstance(spec[0], tuple) else spec


def _notes_with_offsets(strength: pd.DataFrame, split_date=None):
    seen: dict[str, int] = {}
    for row, text in headline_notes(strength, split_date):
        nth = seen.get(row["step"], 0)
        seen[row["step"]] = nth + 1
        yield row, text, _note_offset(row["step"], nth)


def _annotate_headline(ax, strength: pd.DataFrame, positions: dict, split_date=None) -> None:
    for row, text, (dx, dy, ha, va) in _notes_with_offsets(strength, split_date):
        ax.annotate(
            text,
            xy=(positions.get(row["id"], row["date"]), st.face_value(row) or row["low"]),
            xytext=(dx, dy),
            textcoords="offset points",
            fontsize=8.5,
            color=COLORS["ink"],
            ha=ha,
            va=va,
            zorder=5,
            gid=f"note:{row['id']}",
            bbox=dict(boxstyle="round,pad=0.2", facecolor="white", edgecolor="none", alpha=0.85),
            arrowprops=dict(arrowstyle="-", color=COLORS["ink"], linewidth=0.6, shrinkB=5),
        )


def _zoom_panel(ax, rows: pd.DataFrame, title: str, tag) -> None:
    """Figures in a short window, one slot each, grouped by date, labelled by source."""
    rows = rows.sort_values(["date", "unit", "source", "id"], kind="stable")
    x, slot, last = [], -1, None
    date_groups: list[tuple[pd.Timestamp, int, int]] = []
    for _, row in rows.iterrows():
        slot += 1 if last is None or row["date"] == last else 2
        if last is None or row["date"] != last:
            date_groups.append((row["date"], slot, slot))
        else:
            date_groups[-1] = (date_groups[-1][0], date_groups[-1][1], slot)
        x.append(slot)
        last = row["date"]
    for pos, (_, row) in zip(x, rows.iterrows()):
        _draw_row(ax, row, pos, _color(row), gid_prefix="zoom")
    lo, hi = _extent(rows)
    _log_axis(ax, lo / 2.2, hi * 2.6)
    ax.set_xlim(-1, (x[-1] if x else 0) + 1)
    ax.set_xticks(x)
    ax.set_xticklabels([tag(k) for k in rows["source"]], rotation=90, fontsize=6.5)
    ax.tick_params(axis="x", length=2, pad=2)
    ax.grid(axis="x", visible=False)
    transform = ax.get_xaxis_transform()
    for date, first, last_slot in date_groups:
        ax.text(
            (first + last_slot) / 2,
            1.01,
            f"{date:%-d %b}",
            transform=transform,
            ha="center",
            va="bottom",
            fontsize=7.5,
            color=COLORS["ink"],
        )
        if first > 0:
            ax.axvline(first - 1, color=COLORS["grid"], linewidth=1.0, zorder=0)
    ax.set_title(title, fontsize=9.5, pad=14)


#: room left on a trimmed log axis beyond the data (arrow tips included), as a factor
_Y_ROOM = 1.25
SUBTITLE = "Each figure as its source states it; log scale"
SERIES_LABELS = {
    "wra": "Western Route Army 西路军",
    "left_detachment": "Left Detachment 左支队, after the split",
}


def y_range(rows: pd.DataFrame) -> tuple[float, float]:
    """The log axis's span: the smallest and largest number drawn (a one-sided
    bound's arrow tip included), with a little room; no empty decade."""
    values: list[float] = []
    for _, row in rows.iterrows():
        b = st.bounds(row)
        values += [v for v in (b.low, b.high) if v is not None]
        if b.kind == "lower":
            values.append(b.low * _ARROW_FACTOR)
        elif b.kind == "upper":
            values.append(b.high / _ARROW_FACTOR)
    if not values:
        raise ValueError("no figure to draw: the strength chart has no y range")
    return min(values) / _Y_ROOM, max(values) * _Y_ROOM


def log_ticks(lo: float, hi: float) -> list[float]:
    """1-2-5 ticks inside ``lo``..``hi``."""
    first, last = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    return [m * 10**e for e in range(first, last + 1) for m in (1, 2, 5) if lo <= m * 10**e <= hi]


def series_labels(rows: pd.DataFrame, xs: pd.Series) -> list[dict]:
    """Where each series is named on the chart itself (instead of a legend entry):
    the whole army above its highest figure before the article's December one,
    the Left Detachment under its first figure."""
    out = []
    for unit, text in SERIES_LABELS.items():
        part = rows[rows["unit"] == unit]
        if part.empty:
            continue
        if unit == "wra":
            first = part.iloc[0]
            top = max(v for v in (st.bounds(r).low or st.bounds(r).high for _, r in part.iterrows()) if v)
            out.append(dict(unit=unit, text=text, x=first["date"], y=top * _ARROW_FACTOR, ha="left", va="bottom"))
        else:
            # under the gap between the split and the arrival, near the axis's foot
            arrival = part[part["measure"] == "reached"]
            end = (arrival["date"].min() if not arrival.empty else part["date"].max()) - pd.Timedelta(days=8)
            low = min(v for v in (st.bounds(r).low or st.bounds(r).high for _, r in part.iterrows()) if v)
            out.append(dict(unit=unit, text=text.replace(", ", ",\n"), x=end, y=low, ha="right", va="bottom"))
    return out


def guide_label_at(guide: pd.DataFrame) -> tuple[pd.Timestamp, float] | None:
    """Where the guide line is named: the middle of its first stretch."""
    if len(guide) < 2:
        return None
    a, b = guide.iloc[0], guide.iloc[1]
    return a["date"] + (b["date"] - a["date"]) / 2, math.sqrt(a["value"] * b["value"])


def total_layout(strength: pd.DataFrame, split_date=None, step_days: float = 2.0) -> dict:
    """What the whole-army chart draws, for both libraries: the rows and their
    x positions, the guide, the trimmed y range and its ticks, the title (the
    chapter's finding, :func:`wra.analysis.strength.finding`) and where the
    series and the guide are named."""
    rows = st.total_path(strength)
    rows = rows[st.point_in_time(rows)]
    xs = _x(rows, step_days)
    lo, hi = y_range(rows)
    labels = series_labels(rows, xs)
    hi = max([hi, *(lab["y"] * 1.45 for lab in labels if lab["va"] == "bottom")])
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


def _kind_legend(kinds, confidences) -> list:
    """The key to the markers (one row): what each mark says, and opacity as confidence."""
    from matplotlib.lines import Line2D

    handles = [h for h in _encoding_legend(kinds, ()) if h[1] in KIND_LABELS.values()]
    if confidences:
        handles.append(
            (
                Line2D([], [], marker="s", markersize=8, color=COLORS["ink"], alpha=0.45, linestyle="none"),
                "opacity: confidence (H solid, M lighter, L faint)",
            )
        )
    return handles


def figure_total_mpl(
    strength: pd.DataFrame,
    events: pd.DataFrame | None = None,
    *,
    zooms=(),
    split_date=None,
    step_days: float = 2.0,
    tag=None,
):
    """The whole army's strength over time, on a log scale trimmed to the data (matplotlib).

    The title is the chapter's finding (:func:`total_layout`). Top: the WRA's
    own figures, then the Left Detachment's (strength, and men reaching
    Xinjiang), each series named on the chart, with the headline figures
    annotated and the milestones marked above the axes; the dashed grey
    guide joins the headline figures (with ``split_date``, also the figures at
    the split; see :func:`wra.analysis.strength.headline_picks`) and says what
    it is. A one-row key explains the marks. Below, one panel per ``zooms``
    entry ``(title, start, end)``: the figures in that window side by side,
    each labelled with its source (``tag(source_key)``, default
    :func:`source_tag`).
    """
    import matplotlib.pyplot as plt

    layout = total_layout(strength, split_date, step_days)
    rows, xs, guide = layout["rows"], layout["xs"], layout["guide"]
    zooms = list(zooms)
    if zooms:
        fig = plt.figure(figsize=(9.0, 10.4))
        grid = fig.add_gridspec(3, len(zooms), height_ratios=[3.4, 0.3, 2.1], hspace=0.32, wspace=0.2)
        ax = fig.add_subplot(grid[0, :])
        legend_ax = fig.add_subplot(grid[1, :])
        zoom_axes = [fig.add_subplot(grid[2, i]) for i in range(len(zooms))]
    else:
        fig = plt.figure(figsize=(9.0, 6.2))
        grid = fig.add_gridspec(2, 1, height_ratios=[3.4, 0.35], hspace=0.2)
        ax = fig.add_subplot(grid[0])
        legend_ax = fig.add_subplot(grid[1])
        zoom_axes = []
    charts.month_axis(ax, *SPAN)
    _log_axis(ax, *layout["y_range"])
    if events is not None:
        charts.mark_events_mpl(ax, events, above=True)
    if not guide.empty:
        ax.plot(
            guide["date"], guide["value"], linestyle="--", color=COLORS["guide"], linewidth=1.2, zorder=1, gid="guide"
        )
    if layout["guide_at"] is not None:
        x, y = layout["guide_at"]
        ax.annotate(
            "guide to the eye, not data",
            xy=(x, y),
            xytext=(0, -6),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=8.5,
            style="italic",
            color=COLORS["guide"],
            gid="label:guide",
        )
    for idx, row in rows.iterrows():
        _draw_row(ax, row, xs[idx], _color(row))
    for lab in layout["labels"]:
        ax.annotate(
            lab["text"],
            xy=(lab["x"], lab["y"]),
            xytext=(0, 4),
            textcoords="offset points",
            ha=lab["ha"],
            va=lab["va"],
            fontsize=10,
            fontweight="bold",
            color=SERIES_COLORS[lab["unit"]],
            gid=f"label:{lab['unit']}",
        )
    _annotate_headline(ax, strength, dict(zip(rows["id"], xs)), split_date)
    ax.set_ylabel("men (log scale)")
    ax.set_title(layout["title"], loc="left", fontsize=12.5, pad=44)
    ax.annotate(
        layout["subtitle"],
        xy=(0, 1),
        xycoords="axes fraction",
        xytext=(0, 30),
        textcoords="offset points",
        fontsize=9.5,
        color=COLORS["ink"],
        va="bottom",
        ha="left",
        gid="subtitle",
    )
    for zax, (title, start, end) in zip(zoom_axes, zooms):
        window = rows[(rows["date"] >= pd.Timestamp(start)) & (rows["date"] <= pd.Timestamp(end))]
        _zoom_panel(zax, window, title, tag or source_tag)
    if zoom_axes:
        zoom_axes[0].set_ylabel("men (log scale)")
    handles = _kind_legend({st.bounds(r).kind for _, r in rows.iterrows()}, set(rows["confidence"]))
    legend_ax.axis("off")
    legend_ax.legend(*zip(*handles), loc="center", ncol=3, fontsize=8.5, handletextpad=0.3, columnspacing=1.2)
    fig.subplots_adjust(bottom=0.1 if zooms else 0.03, top=0.9 if zooms else 0.85, left=0.09, right=0.98)
    return fig


UNITS_SUBTITLE = (
    "Strength by army and detachment, with the Ma forces for context; log scales (the Ma panel has its own)"
)


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
}


def _short_unit(unit: str) -> str:
    """A short unit name for labels inside a panel."""
    return _SHORT_UNIT.get(unit, _unit_label(unit).split(" (")[0])


def figure_units_mpl(strength: pd.DataFrame, events: pd.DataFrame | None = None, *, step_days: float = 3.0):
    """Strength per army and per detachment, small multiples (matplotlib).

    Red Army panels share one log scale; the Ma forces have their own panel
    and scale. Counts of men lost, killed or captured have their own colour;
    a share lost (e.g. 近半) is written at its date, since without a base it
    is no number of men. Milestones are labelled in the first panel and
    drawn as dotted lines in all.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    fig, axes = plt.subplots(2, 3, figsize=(10.5, 8.2), sharex=True)
    used_kinds, used_conf, used_units, has_loss = set(), set(), [], False
    ranges = units_y_ranges(strength)
    for n, (ax, (title, rows)) in enumerate(zip(axes.flat, _panels(strength))):
        rows = rows[st.point_in_time(rows)]
        is_ma = title.startswith("Ma")
        charts.month_axis(ax, *SPAN)
        _log_axis(ax, *ranges["ma" if is_ma else "red"])
        if events is not None:
            _mark_events(ax, events, labels=n == 0)
        ax.set_title(title, fontsize=10)
        counts = rows[rows["qualifier"] != "fraction"]
        xs = _x(counts, step_days, keys=("measure", "date"))
        label_units = title == "Other Red Army units"
        nth_on_date = counts.groupby("date").cumcount()
        for idx, row in counts.iterrows():
            loss = row["measure"] in LOSS_MEASURES
            has_loss |= loss
            _draw_row(ax, row, xs[idx], _color(row))
            if label_units:
                late = row["date"] > SPAN[0] + (SPAN[1] - SPAN[0]) * 0.6
                ax.annotate(
                    _short_unit(row["unit"]),
                    xy=(xs[idx], st.face_value(row) or row["low"]),
                    xytext=(-6 if late else 6, 7 * (-1) ** nth_on_date[idx]),
                    textcoords="offset points",
                    fontsize=6.5,
                    va="center",
                    ha="right" if late else "left",
                    color=COLORS["ink"],
                )
            used_kinds.add(st.bounds(row).kind)
            used_conf.add(row["confidence"])
            if not loss and row["unit"] not in used_units:
                used_units.append(row["unit"])
        shares = rows[rows["qualifier"] == "fraction"]
        for k, (_, row) in enumerate(shares.iterrows()):
            ax.annotate(
                f"{row['measure']}: {st.describe(row)}",
                xy=(row["date"], 0.03 + 0.075 * k),
                xycoords=("data", "axes fraction"),
                fontsize=7,
                color=LOSS_COLOR,
                ha="left",
                va="bottom",
                gid=f"fig:{row['id']}",
            )
        if rows.empty:
            ax.text(
                0.5,
                0.5,
                "no figure in the data",
                transform=ax.transAxes,
                ha="center",
                va="center",
                fontsize=8,
                color=COLORS["guide"],
            )
        for label in ax.get_xticklabels():
            label.set_fontsize(7.5)
    for ax in axes[:, 0]:
        ax.set_ylabel("men (log scale)")
    handles = [(Line2D([], [], marker="o", color=COLORS["red"], linestyle="none"), "Red Army unit, strength")]
    for u in DETACHMENTS:
        if u in used_units:
            handles.append((Line2D([], [], marker="o", color=SERIES_COLORS[u], linestyle="none"), _unit_label(u)))
    if (strength["side"] == "ma").any():
        handles.append((Line2D([], [], marker="o", color=COLORS["ma"], linestyle="none"), "Ma forces, strength"))
    if has_loss:
        handles.append(
            (
                Line2D([], [], marker="o", color=LOSS_COLOR, linestyle="none"),
                "men lost, killed or captured (either side)",
            )
        )
    handles += _encoding_legend(used_kinds, used_conf)
    fig.legend(*zip(*handles), loc="lower center", ncol=3, fontsize=7.5, bbox_to_anchor=(0.5, 0.0))
    fig.suptitle(st.units_finding(strength), fontweight="bold", fontsize=12.5, x=0.07, ha="left", y=0.985)
    fig.text(0.07, 0.945, UNITS_SUBTITLE, fontsize=9.5, ha="left", va="top", color=COLORS["ink"])
    fig.subplots_adjust(bottom=0.2, hspace=0.3, wspace=0.24, top=0.89, left=0.07, right=0.98)
    return fig


# --------------------------------------------------------------------------
# plotly
# --------------------------------------------------------------------------


def _plotly_rows(
    fig,
    rows: pd.DataFrame,
    xs: pd.Series,
    cite,
    name_of,
    group_of,
    row_col=None,
    shown: set | None = None,
    legend: bool = True,
) -> None:
    """Add one trace per (group, kind): symbols by kind, opacity by confidence.

    Without ``legend`` the traces have no legend entry of their own; they are
    grouped by their name, so a key entry of that name shows and hides them."""
    import plotly.graph_objects as go

    shown = set() if shown is None else shown
    kw = {} if row_col is None else {"row": row_col[0], "col": row_col[1]}
    rows = rows.assign(_x=xs, _kind=[st.bounds(r).kind for _, r in rows.iterrows()])
    groups = pd.Series([group_of(r) for _, r in rows.iterrows()], index=rows.index)
    for (_, kind), part in rows.groupby([groups, "_kind"], sort=False):
        name = name_of(part.iloc[0], kind)
        color = _color(part.iloc[0])
        opacity = [st.CONFIDENCE_ALPHA.get(c, 1.0) for c in part["confidence"]]
        hover = [_hover(r, cite) for _, r in part.iterrows()]
        entry = dict(name=name, legendgroup=name, showlegend=legend and name not in shown)
        shown.add(name)
        if kind == "range":
            xs_, ys_, hv = [], [], []
            for (_, r), h in zip(part.iterrows(), hover):
                xs_ += [r["_x"], r["_x"], None]
                ys_ += [r["low"], r["high"], None]
                hv += [h, h, None]
            fig.add_trace(
                go.Scatter(
                    x=xs_,
                    y=ys_,
                    mode="lines+markers",
                    hovertext=hv,
                    hoverinfo="text",
                    line=dict(color=color, width=3),
                    marker=dict(symbol=PLOTLY_SYMBOL[kind], size=10, color=color, line=dict(color=color, width=2)),
                    opacity=max(opacity),
                    **entry,
                ),
                **kw,
            )
            continue
        values = [st.face_value(r) for _, r in part.iterrows()]
        fig.add_trace(
            go.Scatter(
                x=part["_x"],
                y=values,
                mode="markers",
                hovertext=hover,
                hoverinfo="text",
                marker=dict(
                    symbol=PLOTLY_SYMBOL[kind], size=11, color=color, opacity=opacity, line=dict(color=color, width=2)
                ),
                **entry,
            ),
            **kw,
        )


def _log_ticks(values) -> dict:
    """Plotly tick settings for a log axis: plain numbers with thousands separators."""
    return dict(tickvals=list(values), ticktext=[f"{v:,.0f}" for v in values])


def _mark_events_plotly(fig, events: pd.DataFrame, labels: bool = True, row=None, col=None) -> None:
    charts.mark_events_plotly(fig, events, labels=labels, row=row, col=col)


def figure_total_plotly(
    strength: pd.DataFrame, events: pd.DataFrame | None = None, *, cite=None, split_date=None, step_days: float = 2.0
):
    """Interactive version of :func:`figure_total_mpl` (no zoom panels: zoom
    with the mouse), from the same :func:`total_layout`: the finding as title,
    the trimmed log axis, the series named on the chart, a legend that is only
    the key to the marks (click an entry to hide that kind of figure); hover
    shows each figure's words, Chinese wording, source and page, and
    confidence."""
    import plotly.graph_objects as go

    cite = cite or _cite_default()
    layout = total_layout(strength, split_date, step_days)
    rows, xs, guide = layout["rows"], layout["xs"], layout["guide"]
    fig = go.Figure()
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
    _plotly_rows(
        fig,
        rows,
        xs,
        cite,
        name_of=lambda r, kind: KIND_LABELS[kind],
        group_of=lambda r: r["unit"],
        legend=False,
    )
    # the key: one entry per kind of mark, in ink; clicking it hides that kind in every series
    kinds = [k for k in st.KINDS if k in {st.bounds(r).kind for _, r in rows.iterrows()}]
    for kind in kinds:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=KIND_LABELS[kind],
                legendgroup=KIND_LABELS[kind],
                marker=dict(symbol=PLOTLY_SYMBOL[kind], size=11, color=COLORS["ink"], line=dict(width=2)),
                hoverinfo="skip",
            )
        )
    positions = dict(zip(rows["id"], xs))
    for row, text, (dx, dy, *_) in _notes_with_offsets(strength, split_date):
        fig.add_annotation(
            x=positions.get(row["id"], row["date"]),
            y=math.log10(st.face_value(row) or row["low"]),
            text=charts.plotly_text(text).replace("\n", "<br>"),
            showarrow=True,
            arrowwidth=0.8,
            ax=dx * 1.6,
            ay=-dy * 1.2,
            font=dict(size=11),
            align="left",
            bgcolor="rgba(255,255,255,0.85)",
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
            name="series-label",
        )
    if layout["guide_at"] is not None:
        x, y = layout["guide_at"]
        fig.add_annotation(
            x=x,
            y=math.log10(y),
            text="<i>guide to the eye, not data</i>",
            showarrow=False,
            yanchor="top",
            yshift=-4,
            font=dict(size=11, color=COLORS["guide"]),
        )
    if events is not None:
        charts.mark_events_plotly(fig, events, above=True)
    lo, hi = layout["y_range"]
    fig.update_yaxes(
        type="log",
        title="men (log scale)",
        range=[math.log10(lo), math.log10(hi)],
        **_log_ticks(layout["ticks"]),
    )
    fig.update_xaxes(range=list(SPAN), dtick="M1", tickformat="%b<br>%Y")
    fig.update_layout(
        title=charts.plotly_title(layout["title"], layout["subtitle"]),
        height=760,
        legend=dict(orientation="h", x=0, y=-0.12, yanchor="top", font=dict(size=11)),
        hovermode="closest",
        # room for the title and, above the plot, the milestones (two staggered rows)
        margin=dict(t=charts.plotly_title_margin(layout["title"], layout["subtitle"], below=75), b=40),
    )
    return fig


def figure_units_plotly(
    strength: pd.DataFrame, events: pd.DataFrame | None = None, *, cite=None, step_days: float = 3.0
):
    """Interactive version of :func:`figure_units_mpl`; the legend names
    units, hover gives each figure's words, wording, source and confidence."""
    from plotly.subplots import make_subplots

    cite = cite or _cite_default()
    panels = _panels(strength)
    fig = make_subplots(
        rows=2,
        cols=3,
        shared_xaxes=True,
        subplot_titles=[t for t, _ in panels],
        vertical_spacing=0.1,
        horizontal_spacing=0.07,
    )
    shown: set = set()
    ranges = units_y_ranges(strength)
    for n, (title, rows) in enumerate(panels):
        r, c = n // 3 + 1, n % 3 + 1
        rows = rows[st.point_in_time(rows)]
        counts = rows[rows["qualifier"] != "fraction"]
        if not counts.empty:
            _plotly_rows(
                fig,
                counts,
                _x(counts, step_days),
                cite,
                name_of=lambda x, kind: (
                    "men lost, killed or captured" if x["measure"] in LOSS_MEASURES else _unit_label(x["unit"])
                ),
                group_of=lambda x: (x["unit"], x["measure"] in LOSS_MEASURES),
                row_col=(r, c),
                shown=shown,
            )
        axis = "" if n == 0 else str(n + 1)
        for k, (_, row) in enumerate(rows[rows["qualifier"] == "fraction"].iterrows()):
            fig.add_annotation(
                x=row["date"],
                y=0.04 + 0.09 * k,
                xref=f"x{axis}",
                yref=f"y{axis} domain",
                text=charts.plotly_text(f"{row['measure']}: {st.describe(row)}"),
                hovertext=_hover(row, cite),
                showarrow=False,
                xanchor="left",
                font=dict(size=10, color=LOSS_COLOR),
            )
        lo, hi = ranges["ma" if title.startswith("Ma") else "red"]
        fig.update_yaxes(
            type="log",
            row=r,
            col=c,
            range=[math.log10(lo), math.log10(hi)],
            **_log_ticks([t for t in log_ticks(lo, hi) if str(t)[0] in "15"]),
        )
        if events is not None:
            _mark_events_plotly(fig, events, labels=n == 0, row=r, col=c)
    fig.update_xaxes(range=list(SPAN), dtick="M2", tickformat="%b<br>%Y", tickangle=0)
    fig.update_layout(
        title=charts.plotly_title(st.units_finding(strength), UNITS_SUBTITLE),
        height=820,
        margin=dict(t=charts.plotly_title_margin(st.units_finding(strength), UNITS_SUBTITLE, below=30)),
        legend=dict(orientation="h", y=-0.08, font=dict(size=11)),
        hovermode="closest",
    )
    return fig
