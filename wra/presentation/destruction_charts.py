"""Charts of the chapter *Why the army was destroyed*: each one plotly figure, its title the finding.

* :func:`ma_forces`: the Ma forces' figures, the totals for the campaign beside
  the figures dated to an engagement or a day, each drawn as what it says (the
  marks of chapter 03, :mod:`wra.presentation.strength_charts`), Ma-side
  accounts in their own colour, the army's headline figures as a guide;
* :func:`force_ratio`: one row per pair of a Red and a Ma figure of one
  engagement, the ratio as the interval their bounds allow, an open end drawn
  open (an arrow to the edge), never one number where the sources give two;
* :func:`losses`: one row per loss figure per source, grouped by engagement,
  each drawn as what it says, across the page;
* :func:`timeline`: where the army stood still, the centre's orders by
  direction with the east-west reversals, and the chances sources name, on
  one time axis.

The analysis (:mod:`wra.analysis.destruction`) words every title; nothing here
counts. Chapter 02's chart of orders against moves is reused as it is
(:func:`wra.presentation.directives_charts.ordered_vs_moved`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import pandas as pd
import plotly.graph_objects as go

from wra.analysis import destruction as de
from wra.analysis import strength as st
from wra.presentation import charts, figures, style
from wra.presentation import strength_charts as sc
from wra.presentation.style import COLORS
from wra.record import schema

__all__ = ["force_ratio", "losses", "ma_forces", "timeline"]

#: an account from the Ma side (green: no other category in these charts is green)
MA_SIDE = COLORS["north"]
#: the Ma forces' figures from other works, and their losses
MA = COLORS["ma"]
#: the army, its figures and its losses
RED = COLORS["red"]
SMALL = style.MIN_FONT
#: the time axes of the chapter
SPAN = (pd.Timestamp("1936-10-10"), pd.Timestamp("1937-05-05"))
#: the units of the totals panel, in order, with their names on the axis (English over Chinese)
TOTAL_UNITS = {
    "ma_forces": "all<br>forces",
    "ma_bufang": "Ma<br>Bufang<br>马步芳",
    "ma_buqing": "Ma<br>Buqing<br>马步青",
    "ma_militia": "militia<br>民团",
}


def _cite_default():
    from wra.record.sources import cite

    return cite


def _new_figure(title: str, subtitle: str, **frame) -> tuple[go.Figure, dict[str, sc.Frame]]:
    """An empty figure with its title (the finding) and subtitle, and its frames at each width."""
    fig = go.Figure()
    figures.set_title(fig, title, subtitle)
    return fig, sc.chart_frames(title, subtitle, **frame)


def _ma_side_set(ma_side: Iterable[str]) -> frozenset[str]:
    return frozenset(ma_side)


# --------------------------------------------------------------------------
# The Ma forces
# --------------------------------------------------------------------------

MA_SUBTITLE = "Every strength figure for the Ma forces as its source states it; log scale"
#: the army's guide named on the chart (chapter 03's guide through its headline figures)
GUIDE_NAME = "the army, for scale<br>(chapter 03's guide)"
#: the room a label of one or two lines takes on the log axis, as a factor
_LABEL_FACTOR = 2.4
#: at the laptop width: the time panel's share of the plot, and the left margin (the y axis's labels)
TIME_SHARE = 0.7
WIDE_LEFT = 80


def _colour_by_account(ma_side: frozenset[str]):
    def colour(row) -> str:
        return MA_SIDE if row["source"] in ma_side else MA

    return colour


def _guide_value(guide: pd.DataFrame, date) -> float | None:
    if guide.empty or not guide["date"].min() <= date <= guide["date"].max():
        return None
    return float(st.guide_at(guide, [date]).iloc[0])


def _keep_inside(fig, name: str, x, text: str, plots: Mapping[str, float]) -> None:
    """Shift the centred label ``name`` at date ``x`` so it stays inside the time panel at each width
    (``plots``: the panel's width in pixels)."""
    half = sc.text_px(text, SMALL) / 2 + 2
    for width, px in plots.items():
        centre = sc.span_share(x, SPAN) * px
        shift = round(max(0.0, half - centre) - max(0.0, centre + half - px))
        if width == "wide":
            fig.update_annotations(dict(xshift=shift), selector=dict(name=name))
        else:
            figures.on_phone(fig, annotations={name: dict(xshift=shift)})


def _figure_labels(fig, rows: pd.DataFrame, xs, engagements: pd.DataFrame, guide, lo: float, plots) -> None:
    """Each engagement's name over its figures (or under them where the army's guide runs just above
    and there is room below); a figure of no engagement named by its unit, under it."""
    names = engagements.set_index("id")
    rows = rows.assign(_x=list(xs), _group=rows["engagement_id"].fillna(rows["id"]))
    for group, part in rows.groupby("_group", sort=False):
        ends = [(st.bounds(r), sc.arrow_tip(st.bounds(r))) for _, r in part.iterrows()]
        values = [v for b, tip in ends for v in (b.low, b.high, tip) if v]
        top, bottom = max(values), min(values)
        x = part["_x"].iloc[0] + (part["_x"].iloc[-1] - part["_x"].iloc[0]) / 2
        if group in names.index:
            near = _guide_value(guide, x)
            above = near is None or not top <= near <= top * _LABEL_FACTOR or bottom / _LABEL_FACTOR < lo
            text = charts.plotly_text(names.loc[group, "name_en"]).replace(" and ", " and<br>")
        else:
            above = False
            text = charts.plotly_text(sc.unit_label(part["unit"].iloc[0]).split(" (")[0])
        place = dict(yanchor="bottom", yshift=3) if above else dict(yanchor="top", yshift=-4)
        name = f"label:{group}"
        sc.note(fig, x, math.log10(top if above else bottom), text, colour=COLORS["muted"], name=name, **place)
        _keep_inside(fig, name, x, text, plots)


def _total_slots(totals: pd.DataFrame) -> tuple[pd.DataFrame, list[float]]:
    """The totals, ordered by :data:`TOTAL_UNITS` and size, each at its unit's slot (one per unit),
    spread a little so figures of one unit stand side by side."""
    order = {u: i for i, u in enumerate(TOTAL_UNITS)}
    rows = totals.assign(_u=totals["unit"].map(order)).sort_values(["_u", "low", "id"], kind="stable")
    xs: list[float] = []
    for _, part in rows.groupby("_u", sort=False):
        n = len(part)
        xs += [part["_u"].iloc[0] + (k - (n - 1) / 2) * 0.2 for k in range(n)]
    return rows.drop(columns="_u"), xs


def ma_forces(
    strength: pd.DataFrame,
    engagements: pd.DataFrame,
    ma_side: Iterable[str] = (),
    *,
    cite=None,
    step_days: float = 3.0,
) -> go.Figure:
    """The Ma forces over time: the figures dated to an engagement or a day on a time axis, each
    engagement named by its figures, beside the totals for the campaign
    (:func:`wra.analysis.destruction.ma_totals`) in a panel of their own, by unit. Marks as in
    chapter 03: a tick with an arrow up is a lower bound, a bar a range, a hollow dot an "about"
    figure; opacity gives the grade. Figures from Ma-side accounts are green, from other works grey.
    The dashed red line is chapter 03's guide through the army's headline figures, for scale. Hover a
    figure for its words, wording, source and grade. The title is
    :func:`wra.analysis.destruction.ma_finding`.

    On a phone the totals stand under the time axis, each panel the full width, and the key in one column.
    """
    cite = cite or _cite_default()
    ma_side = _ma_side_set(ma_side)
    colour = _colour_by_account(ma_side)
    title = de.ma_finding(strength, engagements, ma_side)
    fig, frames = _new_figure(title, MA_SUBTITLE)

    totals, dated = de.ma_totals(strength), de.ma_dated(strength)
    dated = dated[st.point_in_time(dated)].sort_values(["date", "id"], kind="stable")
    drawn = pd.concat([totals, dated])
    lo, hi = sc.y_range(drawn)
    guide = st.headline_guide(strength)
    if not guide.empty:
        lo = min(lo, guide["value"].min() / 1.25)
    axis = sc.log_axis(lo, hi, sc.log_ticks(lo, hi))

    # the dated figures (axis 1), the army's guide behind them, named on its longest stretch
    if not guide.empty:
        line = dict(color=RED, dash="dash", width=1.3)
        fig.add_scatter(x=guide["date"], y=guide["value"], mode="lines", name="army-guide", line=line, hoverinfo="skip")
        gaps = guide["date"].diff().dt.days.fillna(0)
        k = int(gaps.idxmax()) if len(guide) > 1 else 0
        a, b = guide.iloc[max(k - 1, 0)], guide.iloc[k]
        at = a["date"] + (b["date"] - a["date"]) / 2
        place = dict(xanchor="left", yanchor="bottom", align="left", xshift=6, yshift=4)
        sc.note(fig, at, math.log10(_guide_value(guide, at)), GUIDE_NAME, colour=RED, name="guide-label", **place)
        # on a phone the panel ends too soon after it: the name goes under the line, to its left
        phone = dict(xanchor="right", yanchor="top", align="right", xshift=-4, yshift=-6)
        figures.on_phone(fig, annotations={"guide-label": phone})
    xs_dated = dated["date"] + st.offsets(dated, step_days=step_days, keys=("date",))
    sc.marks(fig, dated, xs_dated, cite, name="dated", colour=colour)
    plots = {"wide": TIME_SHARE * (style.WIDE.width - WIDE_LEFT - frames["wide"].right), "phone": frames["phone"].plot}
    _figure_labels(fig, dated, xs_dated, engagements, guide, lo, plots)
    fig.update_layout(
        xaxis=dict(range=list(SPAN), dtick="M1", tickformat="%b<br>%Y", anchor="y"),
        yaxis=dict(**axis, anchor="x", title=dict(text=sc.Y_TITLE)),
    )
    head = dict(xanchor="left", yanchor="bottom", yshift=6)
    sc.note(fig, 0, 1, "<b>Dated to an engagement or a day</b>", "", "xy", 12, name="panel-title", **head)

    # the totals, by unit (axis 2), on the same scale
    rows, xs = _total_slots(totals)
    sc.marks(fig, rows, xs, cite, axis="2", name="totals", colour=colour)
    fig.update_layout(
        xaxis2=dict(
            range=[-0.6, len(TOTAL_UNITS) - 0.4],
            tickvals=list(range(len(TOTAL_UNITS))),
            ticktext=list(TOTAL_UNITS.values()),
            tickangle=0,
            tickfont=dict(size=11),
            showgrid=False,
            anchor="y2",
        ),
        yaxis2=dict(**axis, anchor="x2"),
    )
    sc.note(fig, 0, 1, "<b>In all</b>", "2", "xy", 12, name="panel-title", **head)

    # the key (axis 3): the colours of the accounts, then the marks drawn
    kinds = {st.bounds(r).kind for _, r in drawn.iterrows()}
    entries = [("colour:north", "Ma-side account"), ("colour:ma", "other works"), *sc.key_entries(kinds, True)]
    key_rows = sc.draw_key(fig, entries, "3", frames, cols={"wide": 3, "phone": 1})

    # the panels: side by side at the laptop width, stacked on a phone
    header = 26
    for name, frame in frames.items():
        if name == "wide":
            blocks = [(None, header), ("main", 380), (None, 58), ("key", key_rows[name] * 21)]
        else:
            blocks = [(None, header), ("main", 300), (None, 46 + header), ("totals", 220), (None, 58)]
            blocks.append(("key", key_rows[name] * 21))
        domains, plot = sc.stack(blocks)
        bottom = 20
        left = WIDE_LEFT if name == "wide" else frame.left
        patch: dict = {
            "height": round(frame.top + plot + bottom),
            "margin": dict(l=left, r=frame.right, b=bottom),
            "yaxis3": dict(domain=domains["key"]),
        }
        if name == "wide":
            patch.update(
                xaxis=dict(domain=[0.0, TIME_SHARE]),
                yaxis=dict(domain=domains["main"]),
                xaxis2=dict(domain=[TIME_SHARE + 0.04, 1.0]),
                yaxis2=dict(domain=domains["main"], showticklabels=False),
            )
        else:
            y_title = dict(title=sc.PHONE_Y_TITLE)
            patch.update(
                xaxis=dict(domain=[0.0, 1.0]),
                yaxis=dict(domain=domains["main"], **y_title),
                xaxis2=dict(domain=[0.0, 1.0]),
                yaxis2=dict(domain=domains["totals"], showticklabels=True, **y_title),
            )
        sc.per_width(fig, name, patch)
    fig.update_layout(showlegend=False, hovermode="closest")
    return fig


# --------------------------------------------------------------------------
# Rows across the page: the force ratio and the losses
# --------------------------------------------------------------------------

#: a row of a chart of rows, in pixels at each width (on a phone its label stands over it), and a
#: group's heading, in rows
ROW_PX = {"wide": 22, "phone": 30}
HEAD_ROWS = 1.4
#: the size of the rows' labels at each width
LABEL_FONT = {"wide": 11, "phone": 10}
#: a one-sided bound's arrow spans this factor on a log axis (as in chapter 03)
ARROW_FACTOR = sc.ARROW_FACTOR
_COMPACT = {"exact": "{lo}", "about": "c. {lo}", "range": "{lo}–{hi}", "lower": "≥{lo}", "upper": "<{hi}"}


def compact(row: Mapping) -> str:
    """A figure in a few characters: ``6,000``, ``c. 6,000``, ``8,000–9,000``, ``≥6,000`` (at least, 余),
    ``<20,000`` (fewer than, 不到 or 近)."""
    b = st.bounds(row)
    if b.share:
        return st.describe(row)
    number = "{:,.0f}".format
    upper = "<{hi}" if b.strict_high else "≤{hi}"
    form = upper if b.kind == "upper" else _COMPACT[b.kind]
    return form.format(lo=number(b.low) if b.low is not None else "", hi=number(b.high) if b.high is not None else "")


def _day_span(row: Mapping) -> str:
    start, end = row["date"], row.get("date_end")
    if end is None or pd.isna(end) or end == start:
        return f"{start.day} {start:%b %Y}"
    if end.month == start.month:
        return f"{start.day}–{end.day} {start:%b %Y}"
    return f"{start.day} {start:%b} – {end.day} {end:%b %Y}"


def _heading(engagement: Mapping) -> dict:
    return dict(name=f"{engagement['name_en']} {engagement['name_zh']}", date=_day_span(engagement))


def _log_range(values: Iterable[float], room: float = 2.5, include: Iterable[float] = ()) -> tuple[float, float]:
    finite = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v)) and v > 0]
    finite += list(include)
    if not finite:
        raise ValueError("nothing to draw: every end is open")
    return min(finite) / room, max(finite) * room


def _across_axis(lo: float, hi: float, title: str, form: str) -> dict:
    """The log axis across a chart of rows, ``lo`` to ``hi``, its 1-2-5 ticks written by ``form``."""
    ticks = sc.log_ticks(lo, hi)
    return dict(
        type="log",
        range=[math.log10(lo), math.log10(hi)],
        tickvals=ticks,
        ticktext=[form.format(t) for t in ticks],
        title=dict(text=title),
    )


def _rows_layout(
    fig: go.Figure,
    groups: list[tuple[dict, list[dict]]],
    frames: Mapping[str, sc.Frame],
    x_axis: dict,
    key_rows: Mapping[str, int],
) -> dict[str, float]:
    """Lay out rows grouped under headings, top to bottom, on the y axis in row units, and under the
    plot its x axis, then the key (axis y2, ``key_rows`` rows at each width). Each group is (its
    heading as ``dict(name=..., date=...)``, its rows); each row's label (``row["label"]``, in
    ``row["colour"]``) stands in the left margin at the laptop width, and over its row on a phone,
    where the rows use the whole width. Returns each row's y by ``row["key"]``; sets the heights and
    margins of each width."""
    ys: dict[str, float] = {}
    y = 0.0
    headings = []
    for heading, rows in groups:
        headings.append((y + HEAD_ROWS / 2, heading))
        y += HEAD_ROWS
        for row in rows:
            ys[row["key"]] = y + 0.5
            y += 1
    total = y
    labels = [(ys[r["key"]], r) for _, rows in groups for r in rows]
    left = round(max((sc.text_px(r["label"], LABEL_FONT["wide"]) for _, r in labels), default=0)) + 16
    phone_label = dict(x=0, xanchor="left", xshift=0, yanchor="bottom", yshift=4, font=dict(size=LABEL_FONT["phone"]))
    for yy, row in labels:
        fig.add_annotation(
            x=0,
            xref="x domain",
            y=yy,
            yref="y",
            text=charts.plotly_text(row["label"]),
            showarrow=False,
            xanchor="right",
            xshift=-8,
            font=dict(size=LABEL_FONT["wide"], color=row.get("colour", COLORS["ink"])),
            name="row-label",
        )
    figures.on_phone(fig, annotations={"row-label": phone_label})
    for i, (yy, heading) in enumerate(headings):
        name = charts.plotly_text(heading["name"])
        date = charts.plotly_text(heading["date"])
        fig.add_annotation(
            x=0,
            xref="x domain",
            y=yy,
            yref="y",
            text=f"<b>{name}</b>  {date}",
            showarrow=False,
            xanchor="left",
            xshift=-(left - 6),
            font=dict(size=12),
            bgcolor=COLORS["paper"],
            name=f"heading:{i}",
        )
        # on a phone a long heading takes two lines: the name over the date
        long = sc.text_px(f"{heading['name']}  {heading['date']}", 12) > frames["phone"].plot
        text = f"<b>{name}</b><br>{date}" if long else f"<b>{name}</b>  {date}"
        figures.on_phone(fig, annotations={f"heading:{i}": dict(xshift=0, text=text, align="left")})
    for width, frame in frames.items():
        blocks = [("rows", total * ROW_PX[width]), (None, 58), ("key", key_rows[width] * _KEY_ROW)]
        domains, plot = sc.stack(blocks)
        layout = {
            "height": round(frame.top + plot + 12),
            "margin": dict(l=left if width == "wide" else frame.right, r=frame.right + 8, b=12),
            "yaxis": dict(domain=domains["rows"]),
            "yaxis2": dict(domain=domains["key"]),
        }
        sc.per_width(fig, width, layout)
    fig.update_layout(
        xaxis=dict(**x_axis, anchor="y"),
        yaxis=dict(range=[total, 0], visible=False, fixedrange=True, anchor="x"),
        showlegend=False,
        hovermode="closest",
    )
    return ys


#: a row of a key under a chart of rows, in pixels
_KEY_ROW = 20


def _row_key(fig, entries: list[tuple[str, dict, str]], frames, cols: Mapping[str, int]) -> dict[str, int]:
    """A key under a chart of rows, on the hidden axes x2/y2: each entry (name, a scatter's marks as
    ``dict(x=offsets in 14 px steps, symbol=..., line=...)``, words) a mark and its words, in
    ``cols[width]`` columns; returns the rows it takes at each width."""
    rows = {w: math.ceil(len(entries) / cols[w]) for w in frames}
    widest = max(max(mark["x"]) for _, mark, _ in entries)
    for i, (kind, mark, words) in enumerate(entries):
        spots = {}
        for width, frame in frames.items():
            per = rows[width]
            col, row = divmod(i, per)
            spots[width] = (col / cols[width], 14 / frame.plot, per - row - 0.5)
        x0, step, y = spots["wide"]
        offsets = mark["x"]
        colour = mark.get("colour", COLORS["ink"])
        symbols = mark["symbol"]
        marker = dict(
            symbol=symbols,
            size=[10 if s.startswith("arrow") else 11 for s in symbols],
            color=colour,
            line=dict(color=colour, width=[0 if s.startswith("arrow") else 2 for s in symbols]),
            opacity=mark.get("opacity"),
        )
        fig.add_scatter(
            x=[x0 + o * step for o in offsets],
            y=[y] * len(offsets),
            mode="lines+markers" if mark.get("line") else "markers",
            marker=marker,
            line=dict(color=colour, **(mark.get("line") or {})),
            xaxis="x2",
            yaxis="y2",
            name=f"key:{kind}",
            hoverinfo="skip",
            showlegend=False,
            cliponaxis=False,
        )
        at = x0 + (widest + 1.2) * step
        fig.add_annotation(
            x=at,
            y=y,
            xref="x2",
            yref="y2",
            text=charts.plotly_text(words),
            showarrow=False,
            xanchor="left",
            font=dict(size=11),
            name=f"key-label:{kind}",
        )
        px0, pstep, py = spots["phone"]
        figures.on_phone(
            fig,
            traces={f"key:{kind}": dict(x=[px0 + o * pstep for o in offsets], y=[py] * len(offsets))},
            annotations={f"key-label:{kind}": dict(x=px0 + (widest + 1.2) * pstep, y=py, font=dict(size=10))},
        )
    hidden = dict(visible=False, fixedrange=True)
    fig.update_layout(
        xaxis2=dict(range=[0, 1], anchor="y2", **hidden), yaxis2=dict(range=[0, rows["wide"]], anchor="x2", **hidden)
    )
    figures.on_phone(fig, dict(yaxis2=dict(range=[0, rows["phone"]])))
    return rows


RATIO_SUBTITLE = "Ma men per Red man that each pair of figures allows; log scale"
RATIO_TITLE = "Ma men per Red man (log scale)"
#: the ratio's marks: an interval's line, an open end's dotted line
_SOLID = dict(width=2.4)
_OPEN = dict(width=1.6, dash="dot")
RATIO_KEY = [
    ("point", dict(x=[1], symbol=["circle-open"]), 'one value (hollow: a figure is "about")'),
    ("closed", dict(x=[0, 2], symbol=["line-ns", "line-ns"], line=_SOLID), "bounded on both sides"),
    ("open", dict(x=[0, 2], symbol=["line-ns", "arrow-right"], line=_OPEN), "open: the figures set no bound"),
]


def _pair_hover(pair: Mapping, red: Mapping, ma: Mapping, cite) -> str:
    from wra.presentation.destruction_tables import ratio_text

    return charts.hover_html(
        f"{pair['name_en']}: {pair['ma_id']} and {pair['red_id']}",
        {
            "Ma men per Red man": ratio_text(pair["ratio_low"], pair["ratio_high"]),
            "Ma figure": f"{ma['id']}, {st.describe(ma)} ({cite(ma)}, grade {ma['confidence']})",
            "Red figure": f"{red['id']}, {st.describe(red)} ({cite(red)}, grade {red['confidence']})",
        },
    )


def _open(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _interval(fig, y: float, low, high, edges, *, colour: str, opacity: float, hover: str, about: bool, name: str):
    """One interval across the page at row ``y``: a dot for one value (hollow when a figure is "about"),
    a solid line between ticks for two, and for an open end a dotted line to the axis's edge (``edges``:
    its two ends, as values) ending in an arrow. The trace is named ``name:`` and its shape (point,
    closed, open-above, open-below, unbounded)."""
    lo_open, hi_open = _open(low), _open(high)
    common = dict(hovertext=hover, hoverinfo="text", opacity=opacity, showlegend=False, cliponaxis=False)
    if not lo_open and not hi_open and abs(high - low) < 1e-9:
        marker = dict(
            symbol="circle-open" if about else "circle", size=10, color=colour, line=dict(color=colour, width=2)
        )
        fig.add_scatter(x=[low], y=[y], mode="markers", marker=marker, name=f"{name}:point", **common)
        return
    xs = [edges[0] if lo_open else low, edges[1] if hi_open else high]
    symbols = ["arrow-left" if lo_open else "line-ns", "arrow-right" if hi_open else "line-ns"]
    marker = dict(
        symbol=symbols,
        size=[10 if s.startswith("arrow") else 12 for s in symbols],
        color=colour,
        line=dict(color=colour, width=[0 if s.startswith("arrow") else 2 for s in symbols]),
    )
    line = dict(color=colour, **(_OPEN if lo_open or hi_open else _SOLID))
    shape = {(False, False): "closed", (True, False): "open-below", (False, True): "open-above"}.get(
        (lo_open, hi_open), "unbounded"
    )
    fig.add_scatter(x=xs, y=[y, y], mode="lines+markers", marker=marker, line=line, name=f"{name}:{shape}", **common)


def force_ratio(pairs: pd.DataFrame, strength: pd.DataFrame, engagements: pd.DataFrame, *, cite=None) -> go.Figure:
    """The force ratio, one row per pair of figures (:func:`wra.analysis.destruction.force_ratio`),
    grouped by engagement in date order: each row labelled with its two figures (:func:`compact`) and
    drawn as the interval they allow (:func:`_interval`); a dashed line marks as many Ma men as Red.
    Opacity gives the weaker figure's grade. Hover a row for both figures, their sources and grades.
    The title is :func:`wra.analysis.destruction.ratio_finding`. On a phone the key stands in one column."""
    cite = cite or _cite_default()
    by_id = strength.set_index("id", drop=False)
    title = de.ratio_finding(pairs)
    fig, frames = _new_figure(title, RATIO_SUBTITLE)
    lo, hi = _log_range([*pairs["ratio_low"], *pairs["ratio_high"]], include=[1.0])
    events = engagements.set_index("id", drop=False)
    groups = []
    for eid, part in pairs.groupby("engagement_id", sort=False):
        rows = []
        for p in part.to_dict("records"):
            red, ma = by_id.loc[p["red_id"]].to_dict(), by_id.loc[p["ma_id"]].to_dict()
            label = f"Ma {compact(ma)} / Red {compact(red)}"
            rows.append(dict(key=f"{p['ma_id']}/{p['red_id']}", label=label, pair=p, red=red, ma=ma))
        groups.append((_heading(events.loc[eid]), rows))
    key_rows = _row_key(fig, RATIO_KEY, frames, cols={"wide": 1, "phone": 1})
    ys = _rows_layout(fig, groups, frames, _across_axis(lo, hi, RATIO_TITLE, "{:g}"), key_rows)
    fig.add_shape(
        type="line",
        x0=1,
        x1=1,
        y0=0,
        y1=1,
        xref="x",
        yref="y domain",
        line=dict(color=COLORS["muted"], dash="dash", width=1),
        layer="below",
    )
    place = dict(xanchor="left", yanchor="bottom", xshift=3, yshift=2)
    sc.note(fig, 0, 1, "as many Ma as Red", domain="y", colour=COLORS["muted"], name="parity", **place)
    figures.room_above(fig, 18)
    for _, rows in groups:
        for r in rows:
            p, red, ma = r["pair"], r["red"], r["ma"]
            opacity = min(st.CONFIDENCE_ALPHA[red["confidence"]], st.CONFIDENCE_ALPHA[ma["confidence"]])
            about = "about" in (red["qualifier"], ma["qualifier"])
            _interval(
                fig,
                ys[r["key"]],
                p["ratio_low"],
                p["ratio_high"],
                (lo, hi),
                colour=COLORS["ink"],
                opacity=opacity,
                hover=_pair_hover(p, red, ma, cite),
                about=about,
                name=f"pair:{r['key']}",
            )
    return fig


LOSS_SUBTITLE = (
    "Men lost, killed or captured in each engagement, one row per figure per source, each drawn as what "
    "it says; log scale"
)
LOSS_TITLE = "men (log scale)"
SIDE_COLOURS = {"red": RED, "ma": MA}
SIDE_KEY = {"red": "the army's losses", "ma": "the Ma forces' losses"}
_MEASURE_WORD = {"loss": "lost", "killed": "killed", "captured": "captured"}
#: the marks of chapter 03 turned across the page: ticks stand upright, arrows point along the axis
_ACROSS = {"line-ew": "line-ns", "arrow-up": "arrow-right", "arrow-down": "arrow-left"}
_KIND_KEY = {
    "exact": dict(x=[1], symbol=["circle"]),
    "about": dict(x=[1], symbol=["circle-open"]),
    "range": dict(x=[0, 2], symbol=["line-ns", "line-ns"], line=dict(width=2.2)),
    "lower": dict(x=[0, 1.6], symbol=["line-ns", "arrow-right"], line=dict(width=2.2)),
    "upper": dict(x=[0.4, 2], symbol=["arrow-left", "line-ns"], line=dict(width=2.2)),
}


def loss_kind(row: Mapping) -> str | None:
    """What a loss row (:func:`wra.analysis.destruction.losses`, in men) says: the kind of its source's
    figure, or for a share of another figure the kind its bounds in men allow; None where a share has
    no bound in men."""
    low, high = (None if _open(v) else v for v in (row["low"], row["high"]))
    if row["qualifier"] != "fraction":
        return st.bounds(row).kind
    if low is None and high is None:
        return None
    if low is not None and high is not None:
        return "about" if low == high else "range"
    return "lower" if high is None else "upper"


def across(kind: str, y: float, low, high) -> tuple[list, list, list, list]:
    """A figure's mark across the page at row ``y``: chapter 03's glyph (:func:`strength_charts._glyph`)
    with its axes swapped; x, y, symbols, sizes."""
    b = st.Bounds(low, high, kind)
    xs, values, symbols, sizes = sc.glyph(kind, y, low, high, sc.arrow_tip(b))
    return values, xs, [_ACROSS.get(s, s) for s in symbols], sizes


def _loss_hover(r: Mapping, row: Mapping, cite) -> str:
    return charts.hover_html(
        f"{r['id']}: {schema.UNIT.get(r['unit'], r['unit'])}, {schema.MEASURE[r['measure']]}",
        {
            "Figure": st.describe(row),
            "In men": ""
            if r["qualifier"] != "fraction"
            else ("not bounded: the share's base is not a number" if loss_kind(r) is None else compact_men(r)),
            "Chinese wording": st.text_or_empty(row.get("quote_zh")) or st.text_or_empty(row.get("wording_zh")),
            "Source": cite(row) + ("; a Ma-side account" if r["ma_side_account"] else ""),
            "Confidence": f"{r['confidence']} ({schema.CONFIDENCE.get(r['confidence'], '')})",
        },
    )


def compact_men(r: Mapping) -> str:
    """A loss row's bounds in men, in a few characters (:func:`compact` of its kind)."""
    kind = loss_kind(r)
    low, high = (None if _open(v) else v for v in (r["low"], r["high"]))
    number = "{:,.0f}".format
    if kind in ("exact", "about"):
        return ("c. " if kind == "about" else "") + number(low)
    if kind == "range":
        return f"{number(low)}–{number(high)}"
    return f"≥{number(low)}" if kind == "lower" else f"≤{number(high)}"


def losses(loss_rows: pd.DataFrame, strength: pd.DataFrame, engagements: pd.DataFrame, *, cite=None) -> go.Figure:
    """Losses by engagement (:func:`wra.analysis.destruction.losses`), one row per figure per source,
    grouped by engagement in date order, the army's first: each figure drawn as what it says (the marks
    of chapter 03 turned across the page: a tick with an arrow to the right is "at least"), in red for
    the army's losses and grey for the Ma forces'; opacity gives the grade. A share of another figure
    is drawn in men where the bounds allow it, else only named. Each row is labelled with its id, what
    it counts and its figure, and "Ma side" for a Ma-side account. Hover a figure for its words,
    wording, source and grade. The title is :func:`wra.analysis.destruction.loss_finding`."""
    cite = cite or _cite_default()
    by_id = strength.set_index("id", drop=False)
    title = de.loss_finding(loss_rows)
    fig, frames = _new_figure(title, LOSS_SUBTITLE)
    events = engagements.set_index("id", drop=False)
    side_order = {side: i for i, side in enumerate(SIDE_COLOURS)}
    groups, kinds = [], set()
    for eid, part in loss_rows.groupby("engagement_id", sort=False):
        part = part.assign(_s=part["side"].map(side_order)).sort_values(["_s", "id"], kind="stable")
        rows = []
        for r in part.to_dict("records"):
            row = by_id.loc[r["id"]].to_dict()
            kind = loss_kind(r)
            kinds.add(kind)
            words = compact(row)
            if r["qualifier"] == "fraction":
                words += f" ({compact_men(r)})" if kind is not None else " (no number)"
            label = f"{r['id']} {_MEASURE_WORD[r['measure']]} {words}" + (" · Ma side" if r["ma_side_account"] else "")
            colour = SIDE_COLOURS[r["side"]]
            rows.append(dict(key=r["id"], label=label, colour=colour, loss=r, row=row, kind=kind))
        groups.append((_heading(events.loc[eid]), rows))
    ends = [v for r in loss_rows.to_dict("records") for v in (r["low"], r["high"])]
    tips = [r["low"] * ARROW_FACTOR for r in loss_rows.to_dict("records") if loss_kind(r) == "lower"]
    lo, hi = _log_range([*ends, *tips], room=1.6)
    entries = [
        (f"side:{side}", dict(x=[1], symbol=["circle"], colour=c), SIDE_KEY[side]) for side, c in SIDE_COLOURS.items()
    ]
    entries += [(k, _KIND_KEY[k], sc.KIND_LABELS[k]) for k in st.KINDS if k in kinds]
    alphas = [st.CONFIDENCE_ALPHA[c] for c in "HML"]
    entries.append(("confidence", dict(x=[0, 1, 2], symbol=["circle"] * 3, opacity=alphas), sc.CONFIDENCE_KEY))
    key_rows = _row_key(fig, entries, frames, cols={"wide": 3, "phone": 1})
    ys = _rows_layout(fig, groups, frames, _across_axis(lo, hi, LOSS_TITLE, "{:,.0f}"), key_rows)
    sparse = [t for t in sc.log_ticks(lo, hi) if f"{t:g}"[0] in "15"]
    figures.on_phone(fig, dict(xaxis=dict(tickvals=sparse, ticktext=[f"{t:,.0f}" for t in sparse])))
    for _, rows in groups:
        for r in rows:
            if r["kind"] is None:
                continue
            low, high = (None if _open(v) else v for v in (r["loss"]["low"], r["loss"]["high"]))
            x, y, symbols, sizes = across(r["kind"], ys[r["key"]], low, high)
            hover = _loss_hover(r["loss"], r["row"], cite)
            trace = sc.mark_trace(
                x,
                y,
                symbols,
                sizes,
                r["colour"],
                f"loss:{r['key']}:{r['kind']}",
                opacity=st.CONFIDENCE_ALPHA.get(r["loss"]["confidence"], 1.0),
                hovertext=[hover if v is not None else None for v in x],
                hoverinfo="text",
            )
            fig.add_trace(trace)
    return fig


# --------------------------------------------------------------------------
# Halts, the centre's orders and the chances named, on one time axis
# --------------------------------------------------------------------------

TIMELINE_SUBTITLE = (
    "Where the army stood still (chapter 04's route), the centre's orders to it by direction, and the "
    "chances sources name (filled) or doubt (hollow)"
)
#: the time axis of the timeline: from before the crossing to the last order
TIMELINE_SPAN = (pd.Timestamp("1936-10-15"), pd.Timestamp("1937-04-05"))
#: the lanes of the orders' panel, top to bottom
LANES = ("north", "east", "hold", "west")
#: a stretch stood still: the days the record shows the army there, and the days until it is next seen elsewhere
HALT_SEEN = style.rgba("hold", 0.55)
HALT_UNTIL = style.rgba("hold", 0.22)
HALT_BAND = style.rgba("hold", 0.16)
REVERSAL = COLORS["accent"]
#: the chances' lanes are laid out at the phone's scale: pixels a chance and its id take
_CHANCE_PX = 34


def _halt_names(row: Mapping, places: pd.DataFrame) -> list[str]:
    names = places.set_index("place_id")["name_en"].to_dict()
    return [names.get(p, p).split(" (")[0] for p in row["places"].split(", ")]


def _halt_label(row: Mapping, places: pd.DataFrame) -> str:
    """A stretch's name on the chart: its first place, and its last if it has several."""
    names = _halt_names(row, places)
    return names[0] if len(names) == 1 else f"{names[0]}–{names[-1]}"


def _halt_days(row: Mapping) -> str:
    """The days stood still as bounds: "36–39 days" (seen there, until seen elsewhere), "7 days"."""
    moved = row["days_until_moved"]
    same = _open(moved) or int(moved) == row["days_seen"]
    return f"{row['days_seen']}" + ("" if same else f"–{int(moved)}") + " days"


def _halts_panel(fig, lanes: list[tuple[str, pd.DataFrame]], places: pd.DataFrame, plots: Mapping[str, float]) -> None:
    """The stretches stood still (axis 3), one lane per radius: a bar over the days the record shows the
    army there, a fainter bar on to the day it is next seen elsewhere, named over the bar where the name
    fits (``plots``: the plot's width in pixels at each width)."""
    span_days = (TIMELINE_SPAN[1] - TIMELINE_SPAN[0]).days
    for y, (lane, frame) in enumerate(lanes):
        starts = [*frame["arrive"].iloc[1:], TIMELINE_SPAN[1]]
        for row, room_until in zip(frame.to_dict("records"), starts):
            label = _halt_label(row, places)
            seen = _day_span({"date": row["arrive"], "date_end": row["last_seen"]})
            hover = charts.hover_html(
                f"Stood still: {', '.join(_halt_names(row, places))}",
                {
                    "Seen there": f"{row['days_seen']} days, {seen}",
                    "Next seen elsewhere": ""
                    if pd.isna(row["next_seen"])
                    else f"{row['next_seen']:%-d %b %Y} ({_halt_days(row)})",
                    "Actions": row["action_ids"],
                },
            )
            ends = [row["arrive"], row["last_seen"]]
            fig.add_scatter(
                x=[ends[0], ends[0] + (ends[1] - ends[0]) / 2, ends[1]],
                y=[y] * 3,
                mode="lines",
                line=dict(color=HALT_SEEN, width=9),
                xaxis="x3",
                yaxis="y3",
                name=f"halt:{lane}",
                hovertext=[hover] * 3,
                hoverinfo="text",
                showlegend=False,
            )
            if not pd.isna(row["next_seen"]):
                fig.add_scatter(
                    x=[row["last_seen"], row["next_seen"]],
                    y=[y, y],
                    mode="lines",
                    line=dict(color=HALT_UNTIL, width=9),
                    xaxis="x3",
                    yaxis="y3",
                    name=f"halt-until:{lane}",
                    hoverinfo="skip",
                    showlegend=False,
                )
            # named over the bar where the name fits before the next bar (else its days, else only in the hover)
            texts = {}
            for width, px in plots.items():
                bar = (room_until - row["arrive"]).days / span_days * px - 8
                # two lines only under the second lane's bars (over the first there is room for one)
                options = (f"{label} {_halt_days(row)}", f"{label}\n{_halt_days(row)}" if y else "", label)
                fits = [t for t in options if t and sc.text_px(t, SMALL) <= bar]
                texts[width] = charts.plotly_text(fits[0]).replace("\n", "<br>") if fits else None
            if texts["wide"] is None and texts["phone"] is None:
                continue
            name = f"halt-label:{lane}:{row['anchor']}"
            # the first lane's names over its bars, the second's under them
            side = dict(yanchor="bottom", yshift=6) if y == 0 else dict(yanchor="top", yshift=-6)
            place = dict(xanchor="left", align="left", name=name, **side)
            sc.note(fig, row["arrive"], y, texts["wide"] or "", "3", **place)
            figures.on_phone(fig, annotations={name: dict(text=texts["phone"]) if texts["phone"] else None})
    fig.update_layout(
        yaxis3=dict(
            range=[len(lanes) - 1 + 1.3, -0.7],
            tickvals=list(range(len(lanes))),
            ticktext=[lane for lane, _ in lanes],
            showgrid=False,
            fixedrange=True,
            anchor="x3",
        ),
        xaxis3=dict(range=list(TIMELINE_SPAN), showticklabels=False, anchor="y3", matches="x"),
    )


def _orders_panel(fig, orders: pd.DataFrame, reversals: pd.DataFrame, cite) -> None:
    """The centre's orders (axis 2): a square per order in its direction's lane and colour, a grey line
    through them in order, each east-west reversal a thick line numbered at its middle."""
    from wra.presentation.directives_charts import directive_hover

    lane = {d: i for i, d in enumerate(LANES)}
    ys = [lane[d] for d in orders["direction"]]
    fig.add_scatter(
        x=orders["date"],
        y=ys,
        mode="lines",
        line=dict(color=COLORS["guide"], width=1),
        xaxis="x2",
        yaxis="y2",
        name="order-sequence",
        hoverinfo="skip",
        showlegend=False,
    )
    at = dict(zip(orders["id"], zip(orders["date"], ys)))
    for n, r in enumerate(reversals.to_dict("records"), start=1):
        (x0, y0), (x1, y1) = at[r["from_id"]], at[r["to_id"]]
        fig.add_scatter(
            x=[x0, x1],
            y=[y0, y1],
            mode="lines",
            line=dict(color=REVERSAL, width=3.5),
            xaxis="x2",
            yaxis="y2",
            name="reversal",
            hoverinfo="skip",
            showlegend=False,
        )
        mid = x0 + (x1 - x0) / 2
        sc.note(
            fig,
            mid,
            (y0 + y1) / 2,
            f"<b>{n}</b>",
            "2",
            colour=REVERSAL,
            size=11,
            xshift=-8,
            name="reversal-number",
            bgcolor=COLORS["paper"],
        )
    # on a phone the reversals stand too close to be numbered: the title counts them
    figures.on_phone(fig, annotations={"reversal-number": None})
    for direction in LANES:
        part = orders[orders["direction"] == direction]
        if part.empty:
            continue
        hover = [
            directive_hover(
                {**r, "directive_id": r["id"], "quote_zh": st.text_or_empty(r.get("quote_zh")) or None, "cite": cite(r)}
            )
            for r in part.to_dict("records")
        ]
        colour = COLORS[direction]
        fig.add_scatter(
            x=part["date"],
            y=[lane[direction]] * len(part),
            mode="markers",
            marker=dict(symbol="square", size=10, color=colour, line=dict(color=COLORS["ink"], width=1)),
            xaxis="x2",
            yaxis="y2",
            name=f"orders:{direction}",
            hovertext=hover,
            hoverinfo="text",
            showlegend=False,
        )
    fig.update_layout(
        yaxis2=dict(
            range=[len(LANES) - 0.5, -0.5],
            tickvals=list(range(len(LANES))),
            ticktext=list(LANES),
            showgrid=True,
            fixedrange=True,
            anchor="x2",
        ),
        xaxis2=dict(range=list(TIMELINE_SPAN), showticklabels=False, anchor="y2", matches="x"),
    )


def chance_lanes(windows: pd.DataFrame, px_per_day: float, item_px: float = _CHANCE_PX) -> list[int]:
    """A lane for each window so that none overprints another: a window takes its span (or ``item_px``
    pixels for its mark and id, whichever is longer) at ``px_per_day``; lanes fill from the top."""
    ends: list[float] = []
    lanes = []
    for r in windows.to_dict("records"):
        at = (r["date"] - TIMELINE_SPAN[0]).days * px_per_day
        end = r.get("date_end")
        spans = not pd.isna(end) and end > r["date"]
        # a window with a span has its id before it, else after it
        start = at - item_px if spans else at - 6
        stop = (end - TIMELINE_SPAN[0]).days * px_per_day + 6 if spans else at + item_px
        lane = next((i for i, e in enumerate(ends) if e <= start), len(ends))
        if lane == len(ends):
            ends.append(stop)
        else:
            ends[lane] = stop
        lanes.append(lane)
    return lanes


def _chances_panel(fig, windows: pd.DataFrame, against: pd.DataFrame, lanes: list[int], cite) -> int:
    """The chances named or doubted (axis 1): a dot at each window's first date (filled for a chance,
    hollow for a doubt), a line over its span, its id after it; returns the lanes used."""
    near = against.set_index("id")
    for r, lane in zip(windows.to_dict("records"), lanes):
        a = near.loc[r["id"]]
        ma = (
            f"{int(a['n_ma'])} within {de.WINDOW_DAYS} days, the largest at least {a['ma_largest_low']:,.0f}"
            if a["n_ma"]
            else f"none dated within {de.WINDOW_DAYS} days"
        )
        hover = charts.hover_html(
            f"{r['id']}: {'a chance' if r['stance'] == 'chance' else 'doubted'}, {_day_span(r)}",
            {
                "Named by": r["named_by_en"],
                "Claim": r["claim_en"],
                "Ma figures": ma,
                "Source": cite(r) + f" (grade {r['confidence']})",
            },
        )
        colour = COLORS["east"] if r["kind"] == "turn_east" else COLORS["orange"]
        end = r.get("date_end")
        spans = not pd.isna(end) and end > r["date"]
        if spans:
            fig.add_scatter(
                x=[r["date"], end],
                y=[lane, lane],
                mode="lines",
                line=dict(color=colour, width=2),
                name=f"span:{r['id']}",
                hoverinfo="skip",
                showlegend=False,
            )
        fig.add_scatter(
            x=[r["date"]],
            y=[lane],
            mode="markers+text",
            marker=dict(
                symbol="circle" if r["stance"] == "chance" else "circle-open",
                size=10,
                color=colour,
                line=dict(color=colour, width=2),
            ),
            text=[r["id"]],
            textposition="middle left" if spans else "middle right",
            textfont=dict(size=SMALL, color=COLORS["muted"]),
            name=f"window:{r['stance']}",
            hovertext=[hover],
            hoverinfo="text",
            showlegend=False,
            cliponaxis=False,
        )
    used = max(lanes) + 1 if lanes else 1
    fig.update_layout(
        yaxis=dict(range=[used - 0.4, -0.6], visible=False, fixedrange=True, anchor="x"),
        xaxis=dict(range=list(TIMELINE_SPAN), dtick="M1", tickformat="%b<br>%Y", anchor="y"),
    )
    return used


def timeline(
    orders: pd.DataFrame,
    windows: pd.DataFrame,
    halts_place: pd.DataFrame,
    halts_belt: pd.DataFrame,
    places: pd.DataFrame,
    against: pd.DataFrame,
    *,
    cite=None,
) -> go.Figure:
    """Three panels on one time axis: where the army stood still (:func:`wra.analysis.destruction.halts`,
    within 20 km of a place and within a 100 km belt), the centre's orders by direction with each
    east-west reversal (:func:`wra.analysis.destruction.reversals_in_halts`) drawn thick and numbered,
    and the chances sources name or doubt. The halts within 20 km are shaded behind every panel. Hover a
    halt, an order or a chance for its detail (a chance: who named it, the claim, the Ma figures dated
    near it). The title is :func:`wra.analysis.destruction.timeline_finding`."""
    cite = cite or _cite_default()
    title = de.timeline_finding(orders, windows, halts_place)
    fig, frames = _new_figure(title, TIMELINE_SUBTITLE, phone_left=52)
    windows = windows.sort_values(["date", "id"], kind="stable").reset_index(drop=True)
    span_days = (TIMELINE_SPAN[1] - TIMELINE_SPAN[0]).days
    lanes = chance_lanes(windows, frames["phone"].plot / span_days)
    n_lanes = max(lanes) + 1 if lanes else 1
    # the stretches within 20 km shaded behind the orders and the chances (filled traces, drawn first)
    for axis, (y0, y1) in (("", (-0.6, n_lanes - 0.4)), ("2", (-0.5, len(LANES) - 0.5))):
        for row in halts_place.to_dict("records"):
            a, b = row["arrive"], row["last_seen"]
            fig.add_scatter(
                x=[a, a, b, b, a],
                y=[y0, y1, y1, y0, y0],
                mode="lines",
                fill="toself",
                fillcolor=HALT_BAND,
                line=dict(width=0),
                xaxis=f"x{axis}",
                yaxis=f"y{axis}",
                name="halt-band",
                hoverinfo="skip",
                showlegend=False,
            )
    _chances_panel(fig, windows, against, lanes, cite)
    _orders_panel(fig, orders, de.reversals_in_halts(orders, halts_place), cite)
    halt_lanes = [(f"{de.PLACE_RADIUS_KM:.0f} km", halts_place), (f"{de.BELT_RADIUS_KM:.0f} km", halts_belt)]
    _halts_panel(fig, halt_lanes, places, {w: f.plot - 8 for w, f in frames.items()})
    titles = (
        ("3", "Where the army stood still (within 20 km of a place, or a 100 km belt)"),
        ("2", "The centre's orders to the army, by direction"),
        ("", "Chances to turn east or break out, named (filled) or doubted (hollow)"),
    )
    # each panel's title, on a phone in as many lines as it needs
    chars = int(frames["phone"].plot / (11 * figures.TITLE_EM))  # bold
    for axis, text in titles:
        name = f"panel-title:{axis or '1'}"
        place = dict(xanchor="left", yanchor="bottom", yshift=4, align="left", name=name)
        sc.note(fig, 0, 1, f"<b>{charts.plotly_text(text)}</b>", axis, "xy", 11, **place)
        lines = "<br>".join(f"<b>{charts.plotly_text(line)}</b>" for line in charts.wrap(text, chars))
        figures.on_phone(fig, annotations={name: dict(text=lines)})
    for width, frame in frames.items():
        title_px = 2 * 15 + 4 if width == "phone" else 18
        blocks = [
            (None, title_px),
            ("halts", 96),
            (None, title_px + 8),
            ("orders", len(LANES) * 24),
            (None, title_px + 8),
            ("chances", n_lanes * 20 + 8),
        ]
        domains, plot = sc.stack(blocks)
        layout = {
            "height": round(frame.top + plot + 50),
            "margin": dict(l=frame.left, r=frame.right + 8, b=50),
            "yaxis3": dict(domain=domains["halts"]),
            "yaxis2": dict(domain=domains["orders"]),
            "yaxis": dict(domain=domains["chances"]),
        }
        sc.per_width(fig, width, layout)
    fig.update_layout(showlegend=False, hovermode="closest")
    return fig
