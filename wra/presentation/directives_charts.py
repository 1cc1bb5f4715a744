"""Charts for the chapter *Orders and marches* (``notebooks/02_directives_vs_actions.md``).

Three charts, each one plotly figure (see :mod:`wra.presentation.figures`):

* the chapter's **answer** (:func:`verdict_panels`): verdict counts as small
  multiples, one panel per issuer and one per direction of the centre's orders.
  Only ever an image; on a phone its panels stand in one column.
* **ordered versus moved** (:func:`ordered_vs_moved`): the army's longitude over
  time (sourced positions as points, a step line between them as a guide to the
  eye) with each directive drawn where the army was when it was issued, as an
  arrow the way it pointed. Interactive (hover a point for its words and source);
  on a phone the place names along the top are thinned to the places the
  chapter's text names, and stand level.
* **the readings** (:func:`spread`): the headline shares under each reading.
  Only ever an image; on a phone the readings' names wrap.

Each title states the chart's finding in words the analysis gives
(:func:`wra.analysis.directives.verdict_finding`,
:func:`wra.analysis.orders.moved_finding`,
:func:`wra.analysis.sensitivity.spread_finding`). The functions take the data
frames of :mod:`wra.record.data` and return a figure, so a reader can restyle
or reuse them. The layout functions (:func:`ordered_vs_moved_layout`,
:func:`dodge`, :func:`lon_segments`, :func:`panel_grid`, :func:`spread_rows`)
are pure and tested.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from wra.analysis.directives import (
    DIRECTION_DX,
    GROUP_ORDER,
    PANEL_ROWS,
    position_at,
    position_series,
)
from wra.analysis.orders import YONGCHANG, moved_finding
from wra.analysis.sensitivity import spread_finding
from wra.presentation import figures
from wra.presentation.charts import date_label, hover_html, plotly_text, stack_name, wrap
from wra.presentation.style import COLORS, PHONE, VERDICT_COLORS, WIDE
from wra.record import schema, sources
from wra.record.names import place_label, short_place_label

#: plotly marker of a directive, by issuer group, and its outline
GROUP_SYMBOL = {"central": "square", "zhang_guotao": "diamond", "army": "pentagon"}
OUTLINE = dict(color=COLORS["ink"], width=1)
#: short legend labels of the directions and issuer groups
DIRECTION_SHORT = {"north": "north (Ningxia)", "east": "east", "west": "west", "hold": "hold", "none": "no direction"}
GROUP_SHORT = {"central": "Party centre", "zhang_guotao": "Zhang Guotao", "army": "army leadership"}
#: the legend's entries in a phone's legend (one list, no group titles): each names its group
PHONE_LEGEND = {
    **{name: name for name in ("guide to the eye", "sourced position", "no direction")},
    **{DIRECTION_SHORT[d]: f"ordered {d}" for d in ("north", "east", "west", "hold")},
    **{name: f"by {name}" for name in ("Party centre", "Zhang Guotao")},
    "army leadership": "by army leaders",
}

#: the span the chapter's time axes show by default (the directives run from
#: August 1936; the Left Detachment reached the Xinjiang border in late April 1937)
SPAN = (pd.Timestamp("1936-08-01"), pd.Timestamp("1937-05-01"))

Cite = Callable[[Mapping], str]


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None


# --------------------------------------------------------------------------
# Layout (pure)
# --------------------------------------------------------------------------

_EPOCH = pd.Timestamp("1970-01-01")


def to_days(dates) -> np.ndarray:
    """Dates as float days since 1970-01-01."""
    stamps = pd.to_datetime(pd.Series(list(dates) if not isinstance(dates, pd.Series) else dates))
    return ((stamps - _EPOCH) / pd.Timedelta(days=1)).to_numpy(dtype=float)


@dataclass(frozen=True)
class TimeWarp:
    """A piecewise-linear time axis that stretches some windows of time.

    ``stretch`` holds ``(start, end, factor)`` windows (non-overlapping): a day
    inside a window takes ``factor`` times the width of a day outside. With no
    window the axis is linear. :meth:`forward` / :meth:`inverse` map float days
    (:func:`to_days`) to warped days and back; calling the warp on dates gives
    warped days (the chart's y).
    """

    stretch: tuple[tuple[str, str, float], ...] = ()

    def __post_init__(self):
        self._windows()  # refuse bad windows at once

    def _windows(self) -> list[tuple[float, float, float]]:
        out = []
        for start, end, factor in self.stretch:
            a, b = to_days([start, end])
            if not (b > a and factor > 0):
                raise ValueError(f"bad stretch window {(start, end, factor)!r}")
            out.append((a, b, float(factor)))
        out.sort()
        for (_, b, _), (a, _, _) in itertools.pairwise(out):
            if a < b:
                raise ValueError("stretch windows overlap")
        return out

    def forward(self, x):
        x = np.asarray(x, dtype=float)
        out = x.copy()
        for a, b, k in self._windows():
            out = out + (k - 1.0) * np.clip(x - a, 0.0, b - a)
        return out

    def inverse(self, w):
        w = np.asarray(w, dtype=float)
        knots = np.asarray([-1e7, *(day for a, b, _ in self._windows() for day in (a, b)), 1e7])
        return np.interp(w, self.forward(knots), knots)

    def __call__(self, dates) -> np.ndarray:
        return self.forward(to_days(dates))


@dataclass(frozen=True)
class TimeAxis:
    """A chart's time axis: the ``span`` it shows and how it stretches time (``warp``)."""

    span: tuple = SPAN
    warp: TimeWarp = TimeWarp()

    @property
    def start(self) -> pd.Timestamp:
        return pd.Timestamp(self.span[0])

    @property
    def end(self) -> pd.Timestamp:
        return pd.Timestamp(self.span[1])

    def __call__(self, dates) -> np.ndarray:
        """``dates`` as warped days (plotly's x, or y)."""
        return self.warp(dates)

    def at(self, date) -> float:
        """One date as warped days."""
        return float(self.warp([date])[0])

    def months(self) -> tuple[list[float], list[str]]:
        """Month starts in the span as warped days, labelled with the year on the first and in January."""
        months = pd.date_range(self.start, self.end, freq="MS")
        labels = [m.strftime("%b %Y" if (i == 0 or m.month == 1) else "%b") for i, m in enumerate(months)]
        return list(self.warp(months)), labels


def directive_hover(row: Mapping) -> str:
    """Hover text of one directive: quotation, gloss, source."""
    title = (
        f"{row['directive_id']} · {date_label(row['date'], row['date_precision'])} · "
        f"{schema.ISSUER[row['issuer']]} → {schema.RECIPIENT[row['recipient']]}"
    )
    return hover_html(
        title,
        {
            "": row["quote_zh"],
            "gloss": row["summary_en"],
            "direction": schema.DIRECTION[row["direction"]],
            "source": row["cite"],
        },
    )


ORDERS_STRETCH = TimeWarp(
    (
        ("1936-09-10", "1936-10-20", 2.0),
        ("1936-10-20", "1936-12-01", 8.0),
        ("1936-12-01", "1937-01-10", 3.0),
    )
)
#: the ordered-versus-moved figure's time axis
ORDERS = TimeAxis(SPAN, ORDERS_STRETCH)
#: directives whose markers, arrows and labels would overlap are drawn this many warped days apart
DODGE_DAYS = 11.0
#: the longitude axis is broken where no datum falls for this many degrees
BREAK_DEGREES = 2.0
#: the places the chapter's text names besides the first and last positions: on a phone the
#: top axis names only these (in this order, each kept if no place kept before stands too close)
NAMED_PLACES = (YONGCHANG, "gaotai", "nijiayingzi")
#: on a phone, the place names along the top stand at least this many degrees apart
PHONE_PLACE_SEP = 1.6


def dodge(y: Sequence[float], spans: Sequence[tuple[float, float]], min_sep: float) -> list[float]:
    """Push items apart along y so that two whose x ``spans`` overlap are ``min_sep`` apart.

    ``spans`` are ``(lo, hi)`` extents in x (a marker with its arrow and
    label). In order of ``y`` (ties in input order) each item keeps its ``y``
    unless an item already placed with an overlapping span is closer than
    ``min_sep``, in which case it moves down (to larger y) just far enough.
    Returns the new y, aligned with the input.
    """
    order = sorted(range(len(y)), key=lambda i: (y[i], i))
    placed: list[tuple[float, float, float]] = []
    out = [0.0] * len(y)
    for i in order:
        lo, hi = spans[i]
        yi = float(y[i])
        moved = True
        while moved:
            moved = False
            for plo, phi, py in placed:
                if lo < phi and plo < hi and abs(py - yi) < min_sep:
                    yi = py + min_sep
                    moved = True
        placed.append((float(lo), float(hi), yi))
        out[i] = yi
    return out


def lon_segments(lons: Sequence[float], gap: float = 2.0, pad: float = 0.4) -> list[tuple[float, float]]:
    """Ranges of longitude to draw, west to east: split wherever no datum falls for ``gap`` degrees."""
    values = sorted(float(v) for v in lons if pd.notna(v))
    if not values:
        return []
    segments, lo, hi = [], values[0], values[0]
    for v in values[1:]:
        if v - hi > gap:
            segments.append((lo - pad, hi + pad))
            lo = v
        hi = v
    segments.append((lo - pad, hi + pad))
    return segments


def _place_ticks(positions: pd.DataFrame, min_sep: float = 0.28, named: Sequence[str] | None = None) -> pd.DataFrame:
    """Places to name along the top axis, none closer than ``min_sep`` degrees to one kept before it:
    the most visited first, or only the places ``named`` (place ids), in that order."""
    if positions.empty:
        return positions.assign(n=pd.Series(dtype=int))
    counts = positions.groupby("place_id").size().rename("n")
    places = positions.drop_duplicates("place_id").join(counts, on="place_id")
    if named is None:
        places = places.sort_values(["n", "date"], ascending=[False, True], kind="stable")
    else:
        places = places.set_index("place_id", drop=False).reindex(
            [p for p in dict.fromkeys(named) if p in set(places["place_id"])]
        )
    keep: list[float] = []
    rows = []
    for idx, row in places.iterrows():
        if all(abs(row["lon"] - k) >= min_sep for k in keep):
            keep.append(row["lon"])
            rows.append(idx)
    return places.loc[rows].sort_values("lon").reset_index(drop=True)


def directive_arrows(
    directives: pd.DataFrame,
    positions: pd.DataFrame,
    span: tuple = SPAN,
    length: float = 0.9,
) -> pd.DataFrame:
    """Where each directive is drawn on the ordered-versus-moved figure.

    One row per directive dated within ``span``: ``lon`` (the army's longitude
    that day, :func:`wra.analysis.directives.position_at`), ``dx`` (``length`` times the
    direction's sign: negative = west), ``issuer_group``, in date order.
    """
    start, end = (pd.Timestamp(s) for s in span)
    d = directives[(directives["date"] >= start) & (directives["date"] < end)]
    d = d.sort_values(["date", "id"], kind="stable").rename(columns={"id": "directive_id"}).copy()
    d["issuer_group"] = d["issuer"].map(schema.ISSUER_GROUP)
    d["lon"] = position_at(positions, d["date"]).to_numpy()
    d["dx"] = d["direction"].map(DIRECTION_DX).astype(float) * length
    return d.reset_index(drop=True)


def ordered_vs_moved_layout(
    directives: pd.DataFrame,
    positions: pd.DataFrame,
    *,
    axis: TimeAxis = ORDERS,
    arrow_length: float = 0.9,
) -> dict:
    """Everything the ordered-versus-moved figure draws, from the directives and the army's
    sourced ``positions`` (:func:`wra.analysis.directives.position_series`).

    Returns ``positions`` (those within the ``axis``'s span, with ``y``:
    warped days), ``arrows``
    (:func:`directive_arrows` with ``y``: warped days, pushed apart by
    :func:`dodge` (:data:`DODGE_DAYS`) where markers at the same longitude
    would overlap, and ``y_date``, the date that ``y`` stands for), ``guide``
    (the step line, as ``lon`` and ``y``) and ``segments`` (the longitude
    ranges drawn, :func:`lon_segments` with a gap of :data:`BREAK_DEGREES`).
    """
    pos = positions[(positions["date"] >= axis.start) & (positions["date"] < axis.end)].reset_index(drop=True)
    pos["y"] = axis(pos["date"]) if len(pos) else []
    arrows = directive_arrows(directives, pos, span=axis.span, length=arrow_length)
    if len(arrows):
        raw = axis(arrows["date"])
        # each directive takes its marker, its arrow (or hold bar) and its label, on the side away from the arrow
        tip = arrows["lon"] + arrows["dx"]
        bar = (arrows["direction"] == "hold") * (arrow_length / 3)
        lo = pd.concat([arrows["lon"] - bar, tip], axis=1).min(axis=1) - 0.2
        hi = pd.concat([arrows["lon"] + bar, tip], axis=1).max(axis=1) + 0.2
        label = 0.45
        lo = lo.where(arrows["dx"] <= 0, lo - label)
        hi = hi.where(arrows["dx"] > 0, hi + label)
        arrows["y"] = dodge(list(raw), list(zip(lo, hi)), DODGE_DAYS)
        arrows["y_date"] = pd.to_datetime(axis.warp.inverse(arrows["y"].to_numpy()), unit="D")
    else:
        arrows["y"], arrows["y_date"] = [], []
    gx, gy = [], []
    rows = list(pos.itertuples())
    for i, row in enumerate(rows):
        nxt = rows[i + 1].y if i + 1 < len(rows) else max(axis.at(axis.end), row.y)
        gx += [row.lon, row.lon]
        gy += [row.y, nxt]
    guide = pd.DataFrame({"lon": gx, "y": gy})
    bars = arrows.loc[arrows["direction"] == "hold", "lon"]
    lons = list(pos["lon"]) + list(arrows["lon"]) + list(arrows["lon"] + arrows["dx"])
    lons += list(bars - arrow_length / 3) + list(bars + arrow_length / 3)
    return {"positions": pos, "arrows": arrows, "guide": guide, "segments": lon_segments(lons, gap=BREAK_DEGREES)}


#: what the ordered-versus-moved figure shows, beneath its finding
ORDERS_SUBTITLE = (
    "The army's longitude over time (red dots), with each directive where the army was on the day "
    "it was issued and an arrow the way it pointed"
)
LON_TITLE = "Longitude (°E): west ← → east"
#: the figure's height in CSS px, wide and on a phone (a phone's legend takes more rows)
ORDERS_HEIGHT = {"wide": 1020, "phone": 1080}
#: pixels above the plot for the place names: slanted (wide), level in two lines (phone)
PLACE_ROOM = {"wide": 96, "phone": 34}
#: the panels' gap, as a share of the plot's width
PANEL_GAP = 0.025
#: an arrow of a directive, from its marker (``ax``, ``ay``) the way it points
ARROW = dict(yref="y", ayref="y", showarrow=True, arrowhead=2, arrowsize=1.2, arrowwidth=2, text="", standoff=0)
#: a slash across the foot of a panel's edge where the longitude axis is broken (12 px high)
SLASH = dict(type="line", xref="paper", yref="paper", xsizemode="pixel", ysizemode="pixel", yanchor=0)
SLASH.update(x0=-3, x1=3, y0=-6, y1=6, line=dict(color=COLORS["ink"], width=1))


def _domains(segments: Sequence[tuple[float, float]], gap: float = PANEL_GAP) -> list[tuple[float, float]]:
    """Each longitude segment's share of the plot's width, in proportion to the degrees it spans."""
    total = sum(hi - lo for lo, hi in segments)
    usable = 1 - gap * (len(segments) - 1)
    domains, left = [], 0.0
    for lo, hi in segments:
        width = usable * (hi - lo) / total
        domains.append((left, min(1.0, left + width)))
        left += width + gap
    return domains


def _place_names(ticks: pd.DataFrame, lo: float, hi: float, level: bool) -> dict:
    """The top axis of one panel: a tick and a name at each place of ``ticks`` in [lo, hi]
    (English over Chinese when ``level``)."""
    shown = ticks[(ticks["lon"] >= lo) & (ticks["lon"] <= hi)].to_dict("records")
    names = [plotly_text(short_place_label(r)) for r in shown]
    if level:
        names = [stack_name(n).replace("\n", "<br>") for n in names]
    return dict(tickvals=[r["lon"] for r in shown], ticktext=names, tickangle=0 if level else -45)


def _position_hover(row: Mapping, cite: Cite) -> str:
    when = date_label(row["date"], row["date_precision"])
    return hover_html(
        f"{row['action_id']} · {when} · {place_label(row)} ({row['name_pinyin']})",
        {
            "": _text(row["quote_zh"]),
            "gloss": row["summary_en"],
            "who": f"{schema.ACTOR[row['actor']]} ({schema.KIND[row['kind']]})",
            "longitude": f"{row['lon']:.2f}°E",
            "source": cite(row),
        },
    )


def _legend(fig, directions: Sequence[str], groups: Sequence[str]) -> None:
    """Legend-only traces (``meta["role"]`` ``"legend"``): a dot per direction ordered, an outlined
    marker per issuer group, each group of entries under its title."""
    titles = {"direction": "ordered", "issuer": "issued by"}
    entries = [(DIRECTION_SHORT[d], "direction", "circle", COLORS[d]) for d in directions]
    entries += [(GROUP_SHORT[g], "issuer", GROUP_SYMBOL[g], COLORS["paper"]) for g in groups]
    only = dict(x=[None], y=[None], mode="markers", hoverinfo="skip", meta={"role": "legend"})  # nothing drawn
    for name, group, symbol, colour in entries:
        marker = dict(symbol=symbol, size=10, color=colour, line=OUTLINE)
        fig.add_scatter(
            name=name, legendgroup=group, legendgrouptitle_text=titles.pop(group, None), marker=marker, **only
        )


def ordered_vs_moved(
    directives: pd.DataFrame,
    actions: pd.DataFrame,
    places: pd.DataFrame,
    *,
    cite: Cite | None = None,
    axis: TimeAxis = ORDERS,
    arrow_length: float = 0.9,
) -> go.Figure:
    """Ordered versus moved: longitude across (west on the left), time down the page.

    Sourced positions are red dots; the step line between them is a guide to
    the eye. Each directive is a marker at the army's longitude on its date,
    shaped by issuer group and coloured by direction, with an arrow for west
    (left) or east (right) and a bar for hold. Where no datum falls for
    several degrees of longitude the axis is broken into panels
    (:func:`ordered_vs_moved_layout`, with ``axis`` and ``arrow_length``).
    Places are named along the top. The title is the finding of
    :func:`wra.analysis.orders.moved_finding`.

    Traces (``meta["role"]``): ``"guide"`` and ``"positions"`` (one each per
    panel, with hover text), one ``"directive"`` trace per directive (in its
    panel, with hover text), and legend-only traces. Arrows are annotations,
    hold bars shapes. On a phone (:func:`wra.presentation.figures.on_phone`) the
    top axis names only the first and last places and :data:`NAMED_PLACES`, level.
    """
    cite = cite or sources.cite
    lay = ordered_vs_moved_layout(directives, position_series(actions, places), axis=axis, arrow_length=arrow_length)
    pos, arrows, guide, segments = lay["positions"], lay["arrows"], lay["guide"], lay["segments"] or [(0.0, 1.0)]
    # the places named along the top; on a phone only the first and last positions and NAMED_PLACES
    named = [*pos["place_id"].iloc[[0, -1]], *NAMED_PLACES] if len(pos) else []
    ticks = {"wide": _place_ticks(pos), "phone": _place_ticks(pos, PHONE_PLACE_SEP, named=named)}
    domains = _domains(segments)
    n = len(segments)
    refs = ["x" if i == 0 else f"x{i + 1}" for i in range(n)]

    fig = go.Figure()
    # the army in every panel: the guide (a step line), then its sourced positions
    steps = dict(mode="lines", line=dict(color=COLORS["guide"], width=1.5), hoverinfo="skip", meta={"role": "guide"})
    dots = dict(mode="markers", marker=dict(color=COLORS["red"], size=8, line=dict(color=COLORS["paper"], width=1)))
    dots.update(hovertext=[_position_hover(row, cite) for row in pos.to_dict("records")], hoverinfo="text")
    for i, ref in enumerate(refs):
        army = dict(xaxis=ref, legendgroup="army", showlegend=i == 0)
        title = "the army" if i == 0 else None
        fig.add_scatter(
            x=guide["lon"], y=guide["y"], name="guide to the eye", legendgrouptitle_text=title, **steps, **army
        )
        fig.add_scatter(x=pos["lon"], y=pos["y"], name="sourced position", meta={"role": "positions"}, **dots, **army)

    def panel(lon: float) -> int:
        return next((i for i, (lo, hi) in enumerate(segments) if lo <= lon <= hi), 0)

    # each directive: a marker shaped by its issuer and coloured by its direction, with an arrow or a bar
    labels: dict[str, list] = {}
    point = dict(mode="markers", showlegend=False, hoverinfo="text")
    for row in arrows.to_dict("records"):
        colour = COLORS[row["direction"]]
        ref = refs[panel(row["lon"])]
        text = directive_hover({**row, "quote_zh": _text(row["quote_zh"]), "cite": cite(row)})
        # the id on the side away from the arrow, clear of a hold bar
        right = row["dx"] <= 0
        label_x = row["lon"] + (arrow_length / 3 if row["direction"] == "hold" else 0) * (1 if right else -1)
        marker = dict(symbol=GROUP_SYMBOL[row["issuer_group"]], size=11, color=colour, line=OUTLINE)
        where, meta = dict(x=[row["lon"]], y=[row["y"]], xaxis=ref), {"role": "directive", "id": row["directive_id"]}
        fig.add_scatter(**where, name=meta["id"], marker=marker, hovertext=[text], meta=meta, **point)
        side = "middle right" if right else "middle left"
        labels.setdefault(ref, []).append((label_x, row["y"], row["directive_id"], side))
        if row["direction"] in ("west", "east"):
            tip = dict(x=row["lon"] + row["dx"], y=row["y"], ax=row["lon"], ay=row["y"], xref=ref, axref=ref)
            fig.add_annotation(**tip, arrowcolor=colour, **ARROW)
        elif row["direction"] == "hold":
            bar = dict(x0=row["lon"] - arrow_length / 3, x1=row["lon"] + arrow_length / 3, y0=row["y"], y1=row["y"])
            fig.add_shape(type="line", xref=ref, yref="y", **bar, line=dict(color=colour, width=4), layer="between")
    # the ids, over the dots (traces draw in order); a clear marker keeps each off its directive's marker
    ids = dict(mode="markers+text", marker=dict(size=15, opacity=0), textfont=dict(size=10), cliponaxis=False)
    ids.update(showlegend=False, hoverinfo="skip", meta={"role": "ids"})
    for ref, rows in labels.items():
        x, y, text, where = zip(*rows)
        fig.add_scatter(x=x, y=y, xaxis=ref, text=text, textposition=where, **ids)
    present = set(arrows["direction"])
    groups = set(arrows["issuer_group"])
    _legend(fig, [d for d in schema.DIRECTION if d in present], [g for g in GROUP_ORDER if g in groups])

    yt, yl = axis.months()
    down = [axis.at(axis.end) + 4, axis.at(axis.start) - 8]  # time runs down the page
    widest = int(np.argmax([hi - lo for lo, hi in segments]))
    layout: dict = dict(
        height=ORDERS_HEIGHT["wide"],
        hovermode="closest",
        yaxis=dict(range=down, tickvals=yt, ticktext=yl, zeroline=False, showgrid=True),
        legend=dict(orientation="h", x=0, xanchor="left", y=-0.07, yanchor="top", font=dict(size=12)),
        margin=dict(l=84, r=40, b=40),
    )
    # on a phone the legend's entries flow in rows, each naming its group
    phone: dict = dict(
        height=ORDERS_HEIGHT["phone"],
        margin=dict(l=64, r=30),
        legend=dict(x=-0.2, y=-0.065, traceorder="normal", font=dict(size=11), entrywidth=116),
    )
    for i, ((lo, hi), ref) in enumerate(zip(segments, refs)):
        key, top = ("xaxis" if i == 0 else f"xaxis{i + 1}"), f"xaxis{n + i + 1}"
        span, base = hi - lo, dict(domain=list(domains[i]), range=[lo, hi], anchor="y", zeroline=False)
        title = dict(text=LON_TITLE, font=dict(size=13)) if i == widest else None
        layout[key] = dict(base, showgrid=True, dtick=1 if span < 8 else 2, tick0=0, title=title)
        # place names along the top, on a twin axis of the same range
        names = _place_names(ticks["wide"], lo, hi, level=False)
        layout[top] = dict(
            base, overlaying=ref, side="top", showgrid=False, ticks="outside", tickfont=dict(size=11), **names
        )
        phone[key] = dict(dtick=1 if span < 3 else 2)
        phone[top] = _place_names(ticks["phone"], lo, hi, level=True)
        # plotly.js draws an axis only if a trace uses it
        fig.add_scatter(x=[lo, hi], y=[None, None], xaxis=f"x{n + i + 1}", showlegend=False, meta={"role": "axis"})
    # the break in the longitude axis: a slash at each inner edge of a panel
    for (_, end), (start, _) in itertools.pairwise(domains):
        for x in (end, start):
            fig.add_shape(xanchor=x, **SLASH)
    fig.update_layout(**layout)
    figures.set_title(fig, moved_finding(directives, actions, places, axis.span), ORDERS_SUBTITLE)
    figures.room_above(fig, PLACE_ROOM["wide"], phone=PLACE_ROOM["phone"])
    names = {
        name: dict(name=short, legendgroup="", legendgrouptitle=dict(text="")) for name, short in PHONE_LEGEND.items()
    }
    return figures.on_phone(fig, phone, traces=names)


# --------------------------------------------------------------------------
# The spread of the headline across readings
# --------------------------------------------------------------------------

#: the headlines the spread chart shows: (prefix in wra.analysis.sensitivity.headline, label,
#: label in a phone's legend, colour key)
SPREAD_ROWS = (
    ("", "all the centre's orders to the army", "all orders", "ink"),
    ("west_", "pointing west", "west", "west"),
    ("east_", "pointing east", "east", "east"),
)
SPREAD_SUBTITLE = (
    "Share of the Party centre's orders to the army followed at least in part, of those whose verdict "
    "tests them, under each reading of the record"
)
#: one line of a reading's name, one headline's row, and the gap after a reading, in units of the y axis
SPREAD_LINE, SPREAD_MARK, SPREAD_GAP = 1.0, 0.9, 0.8
#: CSS pixels per unit of the y axis
SPREAD_UNIT = 18
#: pixels under the plot: the axis, its title and the legend (one row)
SPREAD_BELOW = 96


def spread_rows(frame: pd.DataFrame, chars: int) -> dict:
    """Where the spread chart draws each reading (pure): its name wrapped at ``chars`` columns,
    then one row per headline of :data:`SPREAD_ROWS` (left empty where it tests nothing).

    Returns ``labels`` (per reading: its name's ``lines`` and the ``y`` of its first line),
    ``marks`` (per headline prefix: ``y``, ``share``, ``text`` and ``reading`` of each
    marker drawn) and ``total`` (the units the readings take, top to bottom).
    """
    labels, marks = [], {row[0]: [] for row in SPREAD_ROWS}
    y = 0.0
    for row in frame.to_dict("records"):
        lines = wrap(row["label"][:1].upper() + row["label"][1:], chars)
        labels.append({"reading": row["id"], "lines": lines, "y": y})
        y += SPREAD_LINE * len(lines)
        for prefix in marks:
            tested, followed = (int(row[f"{prefix or 'central_'}{k}"]) for k in ("tested", "followed"))
            if tested:
                mark = {"y": y + SPREAD_MARK / 2, "share": followed / tested, "text": f"{followed} of {tested}"}
                marks[prefix].append({**mark, "reading": row["id"]})
            y += SPREAD_MARK
        y += SPREAD_GAP
    return {"labels": labels, "marks": marks, "total": y - SPREAD_GAP}


def spread(frame: pd.DataFrame) -> go.Figure:
    """The share of the centre's orders followed under each reading (only ever an image).

    ``frame`` is :func:`wra.analysis.sensitivity.table`. Each reading's name
    stands above its rows; one marker per headline (all orders, west, east) at
    its share, labelled with its counts ("9 of 12"); a headline with nothing
    to test is left out. One trace per headline (named by :data:`SPREAD_ROWS`,
    ``meta["role"]`` ``"spread"``), one annotation per reading
    (``reading:<id>``); on a phone the names wrap narrower and the rows move down
    with them. The title is :func:`wra.analysis.sensitivity.spread_finding`.
    """
    finding = spread_finding(frame)
    frames = figures.frames(finding, SPREAD_SUBTITLE, {"wide": (20, 20), "phone": (14, 14)})
    rows = {name: spread_rows(frame, figures.columns(f.width.width - 40, f.width.font)) for name, f in frames.items()}
    size = {name: f.size((rows[name]["total"] + 0.4) * SPREAD_UNIT, SPREAD_BELOW) for name, f in frames.items()}
    wide, phone = rows["wide"], rows["phone"]

    def names(at: dict) -> dict:  # each reading's name, above its rows
        return {
            f"reading:{n['reading']}": dict(y=n["y"], text="<br>".join(map(plotly_text, n["lines"])))
            for n in at["labels"]
        }

    fig = go.Figure()
    for prefix, label, _, colour in SPREAD_ROWS:
        marks = wide["marks"][prefix]
        fig.add_scatter(
            x=[m["share"] for m in marks],
            y=[m["y"] for m in marks],
            name=label,
            text=[m["text"] for m in marks],
            textfont=dict(size=12, color=COLORS[colour]),
            marker=dict(size=10, color=COLORS[colour]),
            meta={"role": "spread", "headline": prefix or "all", "readings": [m["reading"] for m in marks]},
        )
    fig.update_traces(mode="markers+text", textposition="middle right", cliponaxis=False, hoverinfo="skip")
    for name, note in names(wide).items():
        fig.add_annotation(name=name, x=0, **note)
    fig.update_annotations(xref="paper", xanchor="left", yref="y", yanchor="top", align="left", showarrow=False)
    shares, title = [0, 0.25, 0.5, 0.75, 1.0], dict(text="followed at least in part", font=dict(size=13))
    fig.update_layout(
        xaxis=dict(
            range=[-0.04, 1.2], tickvals=shares, ticktext=[f"{v:.0%}" for v in shares], title=title, zeroline=False
        ),
        yaxis=dict(range=[wide["total"] + 0.2, -0.2], visible=False),
        legend=dict(orientation="h", x=0, xanchor="left", yref="container", y=0, yanchor="bottom"),
        **size["wide"],
    )
    figures.set_title(fig, finding, SPREAD_SUBTITLE)
    layout = dict(
        yaxis=dict(range=[phone["total"] + 0.2, -0.2]), legend=dict(x=0, y=0, yanchor="bottom"), **size["phone"]
    )
    traces = {
        label: dict(y=[m["y"] for m in phone["marks"][prefix]], name=short) for prefix, label, short, _ in SPREAD_ROWS
    }
    figures.on_phone(fig, layout, annotations=names(phone), traces=traces)
    return figures.static_only(fig)


# --------------------------------------------------------------------------
# The chapter's answer: verdicts by issuer and by direction (small multiples)
# --------------------------------------------------------------------------


def verdict_color(verdict: str) -> str:
    """A verdict's colour (:data:`wra.presentation.style.VERDICT_COLORS`): its own for the
    verdicts that test an order, grey for those counted apart."""
    return VERDICT_COLORS.get(verdict, VERDICT_COLORS["apart"])


#: what the verdict panels show, beneath their finding
VERDICTS_SUBTITLE = (
    "Each directive once, by its overall verdict: blues followed, vermilion and orange not, greys counted apart"
)
#: the panels' horizontal gap, as a share of the plot's width
GRID_GAP = 0.035


@dataclass(frozen=True)
class PanelGrid:
    """How the verdict panels are laid out at one width.

    At most ``columns`` panels a line, a row of fewer panels spread over the
    whole width (every panel draws a count at the same length). ``compact``:
    each panel lists only the verdicts it received, under its own labels
    wrapped at ``label_chars``; else every panel of a row lists the row's
    verdicts and only the first of a line names them. ``label_px``: the room
    left of the plot for the labels; ``plot_px`` the plot's width (a panel's
    title wraps to its panel's width).
    """

    columns: int
    compact: bool
    label_px: int
    plot_px: int
    label_chars: int = 0


WIDE_GRID = PanelGrid(columns=5, compact=False, label_px=196, plot_px=WIDE.width - 228)
PHONE_GRID = PanelGrid(columns=1, compact=True, label_px=118, plot_px=PHONE.width - 150, label_chars=17)
#: CSS pixels of a bar's slot, a panel's title (and each further line of it), the heading of a
#: row of panels, the gap between lines of panels and between rows
SLOT, TITLE, TITLE_LINE, HEADING, GAP, ROW_GAP = 22, 26, 17, 24, 16, 24


def panel_grid(panels: pd.DataFrame, grid: PanelGrid) -> dict:
    """Where each verdict panel stands (pure).

    ``panels`` is :func:`wra.analysis.directives.verdict_panels`. Returns
    ``panels``: per ``(row, panel)`` its ``x`` (left and right, shares of the
    plot's width), ``top`` and ``bottom`` (pixels of its bars' area), ``labels``
    (verdict -> its label's lines), ``y`` (verdict -> the centre of its bar, in
    slots from the top; a label of two lines takes 1.5 slots), ``slots``,
    ``names`` (whether the panel shows its labels) and ``title`` (the panel's
    title, in lines that fit it); ``headings``: row -> the top of its heading;
    ``height``: pixels.
    """
    out, headings = {}, {}
    top = 0.0
    for r, row in enumerate(key for key in PANEL_ROWS if (panels["row"] == key).any()):
        top += ROW_GAP if r else 0
        headings[row] = top
        top += HEADING
        frame = panels[panels["row"] == row]
        order = list(dict.fromkeys(frame["verdict"]))
        names = list(dict.fromkeys(frame["panel"]))
        across = min(grid.columns, len(names))
        width = (1 - GRID_GAP * (across - 1)) / across
        chars = figures.columns(width * grid.plot_px, 13)
        for start in range(0, len(names), across):
            line = {}
            for column, panel in enumerate(names[start : start + across]):
                own = frame[frame["panel"] == panel].set_index("verdict")
                first = own.iloc[0]
                heading = wrap(f"{first['panel_label']} ({int(first['panel_total'])})", chars)
                shown = [v for v in order if own.loc[v, "n"] > 0] if grid.compact else order
                labels = {v: wrap(own.loc[v, "verdict_label"], grid.label_chars or 99) for v in shown}
                y, at = {}, 0.0
                for v in shown:
                    y[v] = at + (0.5 if len(labels[v]) == 1 else 0.75)
                    at += 1.0 if len(labels[v]) == 1 else 1.5
                x0 = column * (width + GRID_GAP)
                line[panel] = dict(
                    x=(x0, x0 + width), labels=labels, y=y, slots=at, names=grid.compact or column == 0, title=heading
                )
            top += TITLE + (GAP if start else 0) + TITLE_LINE * (max(len(p["title"]) for p in line.values()) - 1)
            for panel, spec in line.items():
                out[(row, panel)] = {**spec, "top": top, "bottom": top + spec["slots"] * SLOT}
            top += max(p["slots"] for p in line.values()) * SLOT
    return {"panels": out, "headings": headings, "height": top}


def _panel_layout(panels: pd.DataFrame, grid: PanelGrid) -> dict:
    """The layout of :func:`panel_grid` at one width: ``axes`` (axis key -> settings),
    ``notes`` (annotation name -> place), ``bars`` (trace name -> bar positions), ``height``
    (the plot's pixels) and the ``grid`` itself."""
    spec = panel_grid(panels, grid)
    total = spec["height"]
    # one count draws as long in every panel: the narrowest panel holds the largest count and a third
    narrowest = (1 - GRID_GAP * (grid.columns - 1)) / grid.columns
    most = max(int(panels["n"].max()), 1) * 1.3
    axes, notes, bars = {}, {}, {}
    for n, ((row, panel), place) in enumerate(spec["panels"].items()):
        suffix = "" if n == 0 else str(n + 1)
        y1, y0 = 1 - place["top"] / total, 1 - place["bottom"] / total
        ordered = list(place["y"])
        x0, x1 = place["x"]
        axes[f"xaxis{suffix}"] = dict(domain=[x0, x1], range=[0, most * (x1 - x0) / narrowest], anchor=f"y{suffix}")
        axes[f"yaxis{suffix}"] = dict(
            anchor=f"x{suffix}",
            domain=[max(0.0, y0), min(1.0, y1)],
            range=[place["slots"], 0],
            tickvals=[place["y"][v] for v in ordered],
            ticktext=["<br>".join(plotly_text(t) for t in place["labels"][v]) for v in ordered],
            showticklabels=place["names"],
        )
        notes[f"panel:{row}:{panel}"] = dict(x=x0, y=y1, text="<br>".join(plotly_text(t) for t in place["title"]))
        bars[f"{row}:{panel}"] = dict(y=[place["y"][v] for v in ordered])
    for row, top in spec["headings"].items():
        notes[f"row:{row}"] = dict(x=0, xshift=-grid.label_px, y=1 - top / total)
    return {"axes": axes, "notes": notes, "bars": bars, "height": total, "spec": spec}


def verdict_panels(panels: pd.DataFrame, title: str) -> go.Figure:
    """Small multiples of verdict counts: one panel per issuer group (the upper row) and one
    per direction of the Party centre's directives (the lower row); only ever an image.

    ``panels`` is :func:`wra.analysis.directives.verdict_panels`, ``title`` the finding
    (:func:`wra.analysis.directives.verdict_finding`). In each panel a horizontal bar per
    verdict the panel received, in the row's verdict order, coloured by
    :func:`verdict_color` and labelled with its count; the panel's title names it and its
    number of directives. One bar trace per panel, named ``<row>:<panel>``. On a phone
    (:data:`PHONE_GRID`) the panels stand in one column, each listing only its own verdicts.
    """
    wide, phone = _panel_layout(panels, WIDE_GRID), _panel_layout(panels, PHONE_GRID)
    margins = {"wide": (WIDE_GRID.label_px + 8, 24), "phone": (PHONE_GRID.label_px + 8, 24)}
    frames = figures.frames(title, VERDICTS_SUBTITLE, margins)
    above = 10  # pixels between the title and the first row's heading
    size = {name: frames[name].size(lay["height"], 12, above) for name, lay in (("wide", wide), ("phone", phone))}
    fig = go.Figure()
    for n, ((row, panel), place) in enumerate(wide["spec"]["panels"].items()):
        own = panels[(panels["row"] == row) & (panels["panel"] == panel)].set_index("verdict")
        shown = [v for v in place["y"] if own.loc[v, "n"] > 0]
        suffix = "" if n == 0 else str(n + 1)
        fig.add_bar(
            x=[int(own.loc[v, "n"]) for v in shown],
            y=[place["y"][v] for v in shown],
            xaxis=f"x{suffix}",
            yaxis=f"y{suffix}",
            name=f"{row}:{panel}",
            marker=dict(color=[verdict_color(v) for v in shown], line=dict(width=0)),
            text=[str(int(own.loc[v, "n"])) for v in shown],
            meta={"role": "verdicts", "row": row, "panel": panel, "verdicts": shown},
        )
        heading = dict(name=f"panel:{row}:{panel}", align="left", yanchor="bottom", yshift=4, font=dict(size=13))
        fig.add_annotation(wide["notes"][heading["name"]], **heading)
    for row in wide["spec"]["headings"]:
        text = f"<b>{plotly_text(PANEL_ROWS[row])}</b>"
        fig.add_annotation(wide["notes"][f"row:{row}"], name=f"row:{row}", text=text, yanchor="top", font=dict(size=14))
    fig.update_traces(orientation="h", width=0.72, textposition="outside", textfont=dict(size=12, color=COLORS["ink"]))
    fig.update_traces(cliponaxis=False, showlegend=False, hoverinfo="skip")
    fig.update_annotations(xref="paper", yref="paper", xanchor="left", showarrow=False)
    counts = dict(showgrid=False, zeroline=False, showline=False, ticks="", showticklabels=False)
    names = dict(showgrid=False, zeroline=False, ticks="", tickfont=dict(size=12))
    fig.update_layout({key: {**(counts if key[0] == "x" else names), **spec} for key, spec in wide["axes"].items()})
    fig.update_layout(**size["wide"])
    figures.set_title(fig, title, VERDICTS_SUBTITLE)
    figures.room_above(fig, above)
    figures.on_phone(fig, {**size["phone"], **phone["axes"]}, annotations=phone["notes"], traces=phone["bars"])
    return figures.static_only(fig)
