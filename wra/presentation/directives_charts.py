"""Charts for the chapter *Directives and actions*.

* the chapter's **answer** (:func:`verdict_panels_mpl`): verdict counts as small
  multiples, one panel per issuer and one per direction of the centre's orders;
* **the readings** (:func:`spread_mpl`): the headline shares under each reading.

One figure in a static (matplotlib) and an interactive (plotly) form:

* **ordered versus moved** (:func:`ordered_vs_moved_mpl`,
  :func:`ordered_vs_moved_plotly`): the army's longitude over time (sourced
  positions as points, a step line between them as a guide to the eye) with
  each directive drawn where the army was when it was issued, as an arrow the
  way it pointed.

Functions take the data frames of :mod:`wra.record.data` and return a figure, so a
reader can restyle or reuse them. The layout functions
(:func:`ordered_vs_moved_layout`, :func:`dodge`) are pure and tested.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wra.analysis.directives import (
    DIRECTION_DX,
    GROUP_ORDER,
    PANEL_ROWS,
    VERDICT_LABEL,
    position_at,
    position_series,
)
from wra.presentation.charts import date_label, hover_html, plotly_text
from wra.presentation.style import COLORS, VERDICT_COLORS
from wra.record import schema
from wra.record.names import place_label, short_place_label

#: matplotlib / plotly marker of a directive, by issuer group
GROUP_MARKER = {"central": "s", "zhang_guotao": "D", "army": "p"}
GROUP_SYMBOL = {"central": "square", "zhang_guotao": "diamond", "army": "pentagon"}
#: marker of an action (one shape: actions have no issuer)
ACTION_MARKER, ACTION_SYMBOL = "o", "circle"
#: line style of a pairing, by verdict (not_carried_out has no action: a stub ending in a cross)
VERDICT_LINESTYLE = {"complied": "-", "partly": "--", "deviated": ":", "overtaken": "-.", "not_carried_out": "-"}
VERDICT_DASH = {
    "complied": "solid",
    "partly": "dash",
    "deviated": "dot",
    "overtaken": "dashdot",
    "not_carried_out": "solid",
}
VERDICT_WIDTH = {"complied": 1.6, "partly": 1.2, "deviated": 1.2, "overtaken": 1.0, "not_carried_out": 1.0}
# verdicts counted apart (superseded, overtaken, not an order, own decision, no evidence): grey lines
VERDICT_LINESTYLE.update({"superseded": "--", "not_an_order": ":", "self_issued": "-", "no_evidence": (0, (1, 4))})
VERDICT_DASH.update({"superseded": "dash", "not_an_order": "dot", "self_issued": "solid", "no_evidence": "1px,4px"})
VERDICT_WIDTH.update({"superseded": 1.0, "not_an_order": 1.0, "self_issued": 1.0, "no_evidence": 1.0})
#: line colour of a pairing, by verdict: ink for the verdicts that test an order, grey for those counted apart
VERDICT_COLOR = {v: (COLORS["ink"] if v in schema.TESTED_VERDICTS else COLORS["guide"]) for v in schema.VERDICT}

#: short legend labels of the directions and issuer groups
DIRECTION_SHORT = {"north": "north (Ningxia)", "east": "east", "west": "west", "hold": "hold", "none": "no direction"}
GROUP_SHORT = {"central": "Party centre", "zhang_guotao": "Zhang Guotao", "army": "army leadership"}

#: the span the chapter's time axes show by default (the directives run from
#: August 1936; the Left Detachment reached the Xinjiang border in late April 1937)
SPAN = (pd.Timestamp("1936-08-01"), pd.Timestamp("1937-05-01"))

Cite = Callable[[Mapping], str]


def _default_cite() -> Cite:
    from wra.record.sources import cite

    return cite


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None


# --------------------------------------------------------------------------
# Layout (pure)
# --------------------------------------------------------------------------

_EPOCH = pd.Timestamp("1970-01-01")


def to_days(dates) -> np.ndarray:
    """Dates as float days since 1970-01-01 (matplotlib's date numbers)."""
    stamps = pd.to_datetime(pd.Series(list(dates) if not isinstance(dates, pd.Series) else dates))
    return ((stamps - _EPOCH) / pd.Timedelta(days=1)).to_numpy(dtype=float)


@dataclass(frozen=True)
class TimeWarp:
    """A piecewise-linear time axis that stretches some windows of time.

    ``stretch`` holds ``(start, end, factor)`` windows (non-overlapping): a day
    inside a window takes ``factor`` times the width of a day outside. With no
    window the axis is linear. :meth:`forward` / :meth:`inverse` map float days
    (:func:`to_days`) to warped days and back, for
    ``ax.set_xscale("function", functions=(warp.forward, warp.inverse))``;
    calling the warp on dates gives warped days (plotly's x).
    """

    stretch: tuple[tuple[str, str, float], ...] = ()

    def __post_init__(self):
        # Validate and convert the windows once: matplotlib calls forward() on
        # every draw, thousands of times.
        object.__setattr__(self, "_cached_windows", self._compute_windows())

    def _windows(self) -> list[tuple[float, float, float]]:
        return self._cached_windows

    def _compute_windows(self) -> list[tuple[float, float, float]]:
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
        knots = [-1e7]
        for a, b, _ in self._windows():
            knots += [a, b]
        knots.append(1e7)
        knots = np.asarray(knots)
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

    def months(self, newline: str = "\n") -> tuple[list[float], list[str]]:
        """Month starts in the span as warped days, labelled with the year on the first and in January."""
        months = pd.date_range(self.start, self.end, freq="MS")
        labels = [
            m.strftime(f"%b{newline}%Y") if (i == 0 or m.month == 1) else m.strftime("%b") for i, m in enumerate(months)
        ]
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


@dataclass(frozen=True)
class LegendEntry:
    """One legend entry, drawn alike by matplotlib (:func:`_mpl_handles`) and plotly (:func:`_plotly_legend`).

    ``shape`` is a key of :data:`SHAPES` for a marker; ``line`` a verdict (its
    pairing line) or ``"guide"`` for a line.
    """

    label: str
    shape: str | None = None
    face: str = COLORS["ink"]
    edge: str = COLORS["ink"]
    line: str | None = None


#: marker shapes in both libraries: (matplotlib, plotly)
SHAPES = {
    "dot": ("o", "circle"),
    "action": (ACTION_MARKER, ACTION_SYMBOL),
    **{group: (GROUP_MARKER[group], GROUP_SYMBOL[group]) for group in GROUP_MARKER},
}


def legend_entries(
    directions: Sequence[str],
    groups: Sequence[str],
    verdicts: Sequence[str] = (),
    *,
    prefix: str = "",
    action: bool = False,
) -> list[LegendEntry]:
    """The legend of a chart: a filled dot per direction, an outlined marker per issuer group,
    the action marker (with ``action``), a line per verdict."""
    entries = [LegendEntry(prefix + DIRECTION_SHORT[d], "dot", COLORS[d], COLORS[d]) for d in directions]
    entries += [LegendEntry(f"order by {GROUP_SHORT[g]}", g, "white", COLORS["ink"]) for g in groups]
    if action:
        entries.append(LegendEntry("action", "action", COLORS["guide"], "white"))
    entries += [LegendEntry(VERDICT_LABEL[v], line=v) for v in verdicts]
    return entries


def _present(items: Sequence[str], *columns: pd.Series) -> list[str]:
    """``items`` (in their order) that occur in any of ``columns``."""
    seen = set().union(*(set(c) for c in columns))
    return [i for i in items if i in seen]


def _mpl_handles(entries: Sequence[LegendEntry], size: float) -> list:
    from matplotlib.lines import Line2D

    handles = []
    for e in entries:
        if e.line is None:
            handles.append(
                Line2D(
                    [],
                    [],
                    linestyle="",
                    marker=SHAPES[e.shape][0],
                    markersize=size,
                    markerfacecolor=e.face,
                    markeredgecolor=e.edge,
                    label=e.label,
                )
            )
        elif e.line == "guide":
            handles.append(Line2D([], [], color=COLORS["guide"], linewidth=1.3, label=e.label))
        else:
            stub = e.line == "not_carried_out"
            handles.append(
                Line2D(
                    [],
                    [],
                    color=VERDICT_COLOR[e.line],
                    linestyle=VERDICT_LINESTYLE[e.line],
                    linewidth=VERDICT_WIDTH[e.line],
                    marker="x" if stub else "",
                    markersize=6,
                    label=e.label,
                )
            )
    return handles


def _plotly_legend(fig, entries: Sequence[LegendEntry], size: float = 10) -> None:
    """Legend-only traces (``meta["role"]`` ``"legend"``)."""
    import plotly.graph_objects as go

    for e in entries:
        marker = line = None
        mode = "markers"
        if e.line is None:
            marker = dict(symbol=SHAPES[e.shape][1], size=size, color=e.face, line=dict(color=e.edge, width=1))
        elif e.line == "guide":
            mode, line = "lines", dict(color=COLORS["guide"], width=1.5)
        else:
            stub = e.line == "not_carried_out"
            mode = "lines+markers" if stub else "lines"
            marker = dict(symbol="x", size=8, color=COLORS["ink"]) if stub else None
            line = dict(color=VERDICT_COLOR[e.line], dash=VERDICT_DASH[e.line], width=VERDICT_WIDTH[e.line] + 0.4)
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode=mode,
                name=e.label,
                marker=marker,
                line=line,
                showlegend=True,
                hoverinfo="skip",
                meta={"role": "legend"},
            )
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


def _place_ticks(positions: pd.DataFrame, min_sep: float = 0.28) -> pd.DataFrame:
    """Places to name along the top axis: the most visited first, none closer than ``min_sep`` degrees."""
    if positions.empty:
        return positions.assign(n=pd.Series(dtype=int))
    counts = positions.groupby("place_id").size().rename("n")
    places = positions.drop_duplicates("place_id").join(counts, on="place_id")
    places = places.sort_values(["n", "date"], ascending=[False, True], kind="stable")
    keep: list[float] = []
    rows = []
    for idx, row in places.iterrows():
        if all(abs(row["lon"] - k) >= min_sep for k in keep):
            keep.append(row["lon"])
            rows.append(idx)
    return places.loc[rows].sort_values("lon")


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
    lons = list(pos["lon"]) + list(arrows["lon"]) + list(arrows["lon"] + arrows["dx"])
    return {"positions": pos, "arrows": arrows, "guide": guide, "segments": lon_segments(lons, gap=BREAK_DEGREES)}


def _ordered_vs_moved(directives, actions, places, axis: TimeAxis = ORDERS, arrow_length: float = 0.9) -> dict:
    """What both ordered-versus-moved figures draw: :func:`ordered_vs_moved_layout` (at least one
    segment) with its ``arrow_length``, the places named along the top, the month ticks, the time
    range (top to bottom) and the legend of the directives."""
    lay = ordered_vs_moved_layout(directives, position_series(actions, places), axis=axis, arrow_length=arrow_length)
    arrows = lay["arrows"]
    return {
        **lay,
        "arrow_length": arrow_length,
        "segments": lay["segments"] or [(0.0, 1.0)],
        "ticks": _place_ticks(lay["positions"]),
        "months": axis.months(),
        "range": [axis.at(axis.end) + 4, axis.at(axis.start) - 8],
        "legend": legend_entries(
            _present(schema.DIRECTION, arrows["direction"]),
            _present(GROUP_ORDER, arrows["issuer_group"]),
            prefix="ordered ",
        ),
    }


def ordered_vs_moved_mpl(
    directives: pd.DataFrame,
    actions: pd.DataFrame,
    places: pd.DataFrame,
    *,
    figsize: tuple[float, float] = (7.2, 9.6),
    **options,
):
    """Ordered versus moved (matplotlib Figure): longitude across (west on the left), time down;
    ``options`` are ``axis`` and ``arrow_length`` (see :func:`ordered_vs_moved_layout`).

    Sourced positions are points (gid ``position:<action id>``); the step line
    between them (gid ``guide``) is a guide to the eye. Each directive is a
    marker (gid ``directive:<id>``) at the army's longitude on its date,
    shaped by issuer group and coloured by direction, with an arrow for west
    (left) or east (right) and a bar for hold. Where no datum falls for
    several degrees of longitude the axis is broken into panels. Artists are
    drawn in every panel (gids repeat per panel); the first axes holds them all
    once for the part of the map it shows.
    """
    import matplotlib.pyplot as plt
    import matplotlib.ticker as mticker

    lay = _ordered_vs_moved(directives, actions, places, **options)
    pos, arrows, guide, segments, ticks = lay["positions"], lay["arrows"], lay["guide"], lay["segments"], lay["ticks"]
    arrow_length = lay["arrow_length"]
    widths = [hi - lo for lo, hi in segments]
    fig, axes = plt.subplots(
        1,
        len(segments),
        figsize=figsize,
        sharey=True,
        layout="constrained",
        gridspec_kw={"width_ratios": widths, "wspace": 0.02},
    )
    axes = list(np.atleast_1d(axes))
    yt, yl = lay["months"]
    for k, (ax, (lo, hi)) in enumerate(zip(axes, segments)):
        ax.plot(guide["lon"], guide["y"], color=COLORS["guide"], linewidth=1.3, zorder=1, gid="guide")
        for row in pos.itertuples():
            (p,) = ax.plot(
                [row.lon],
                [row.y],
                linestyle="",
                marker="o",
                markersize=5.5,
                markerfacecolor=COLORS["red"],
                markeredgecolor="white",
                markeredgewidth=0.6,
                zorder=3,
            )
            p.set_gid(f"position:{row.action_id}")
        for row in arrows.itertuples():
            if not (lo <= row.lon <= hi):
                continue
            colour = COLORS[row.direction]
            if row.direction in ("west", "east"):
                ax.annotate(
                    "",
                    xy=(row.lon + row.dx, row.y),
                    xytext=(row.lon, row.y),
                    arrowprops=dict(
                        arrowstyle="-|>", color=colour, linewidth=1.8, mutation_scale=12, shrinkA=0, shrinkB=0
                    ),
                    zorder=2,
                )
            elif row.direction == "hold":
                ax.plot(
                    [row.lon - arrow_length / 3, row.lon + arrow_length / 3],
                    [row.y, row.y],
                    color=colour,
                    linewidth=4,
                    solid_capstyle="butt",
                    zorder=2,
                )
            (m,) = ax.plot(
                [row.lon],
                [row.y],
                linestyle="",
                marker=GROUP_MARKER[row.issuer_group],
                markersize=8,
                markerfacecolor=colour,
                markeredgecolor=COLORS["ink"],
                markeredgewidth=0.8,
                zorder=4,
            )
            m.set_gid(f"directive:{row.directive_id}")
            side = -1 if row.dx > 0 else 1
            at = row.lon + arrow_length / 3 if row.direction == "hold" else row.lon  # clear of the bar
            ax.annotate(
                row.directive_id,
                (at, row.y),
                xytext=(side * 7, 0),
                textcoords="offset points",
                ha="left" if side > 0 else "right",
                va="center",
                fontsize=7.5,
                color=COLORS["ink"],
                zorder=5,
            )
        ax.set_xlim(lo, hi)
        ax.set_yticks(yt, yl)
        in_panel = ticks[(ticks["lon"] >= lo) & (ticks["lon"] <= hi)]
        top = ax.secondary_xaxis("top")
        top.set_xticks(
            list(in_panel["lon"]),
            [short_place_label(r) for r in in_panel.to_dict("records")],
            rotation=55,
            ha="left",
            rotation_mode="anchor",
            fontsize=8,
        )
        top.tick_params(length=3)
        ax.xaxis.set_major_locator(mticker.MultipleLocator(1 if hi - lo < 4 else 2))
        if k > 0:
            ax.spines["left"].set_visible(False)
            ax.tick_params(axis="y", left=False)
        if len(segments) > 1:
            # break marks on the inner edges
            kw = dict(transform=ax.transAxes, color=COLORS["ink"], clip_on=False, linewidth=0.9)
            if k < len(segments) - 1:
                ax.plot(
                    [1 - 0.012 * (sum(widths) / widths[k]) / 4, 1 + 0.012 * (sum(widths) / widths[k]) / 4],
                    [-0.012, 0.012],
                    **kw,
                )
            if k > 0:
                ax.plot(
                    [-0.012 * (sum(widths) / widths[k]) / 4, 0.012 * (sum(widths) / widths[k]) / 4],
                    [-0.012, 0.012],
                    **kw,
                )
    axes[0].set_ylim(*lay["range"])
    axes[int(np.argmax(widths))].set_xlabel("Longitude (°E): west ← → east")
    positions = [
        LegendEntry("army at a sourced place", "dot", COLORS["red"], "white"),
        LegendEntry("guide to the eye (held until next)", line="guide"),
    ]
    fig.legend(handles=_mpl_handles(positions + lay["legend"], size=7), loc="outside lower center", ncol=3, fontsize=8)
    return fig


def ordered_vs_moved_plotly(
    directives: pd.DataFrame,
    actions: pd.DataFrame,
    places: pd.DataFrame,
    *,
    cite: Cite | None = None,
    height: int = 820,
    **options,
):
    """Ordered versus moved (plotly go.Figure), with hover text on positions and directives;
    ``options`` as for :func:`ordered_vs_moved_mpl`.

    One panel (x axis) per longitude segment of :func:`ordered_vs_moved_layout`.
    Traces (``meta["role"]``): ``"guide"`` and ``"positions"`` (one each per
    panel), one ``"directive"`` trace per directive (in its panel), and
    legend-only traces. Arrows are layout annotations, hold bars layout shapes.
    """
    import plotly.graph_objects as go

    cite = cite or _default_cite()
    lay = _ordered_vs_moved(directives, actions, places, **options)
    pos, arrows, guide, segments, ticks = lay["positions"], lay["arrows"], lay["guide"], lay["segments"], lay["ticks"]
    arrow_length = lay["arrow_length"]
    total = sum(hi - lo for lo, hi in segments)
    gap = 0.02
    usable = 1 - gap * (len(segments) - 1)
    domains, left = [], 0.0
    for lo, hi in segments:
        w = usable * (hi - lo) / total
        domains.append((left, left + w))
        left += w + gap
    names = ["x" if i == 0 else f"x{i + 1}" for i in range(len(segments))]

    hover = []
    for row in pos.to_dict("records"):
        when = date_label(row["date"], row["date_precision"])
        hover.append(
            hover_html(
                f"{row['action_id']} · {when} · {place_label(row)} ({row['name_pinyin']})",
                {
                    "": _text(row["quote_zh"]),
                    "gloss": row["summary_en"],
                    "who": f"{schema.ACTOR[row['actor']]} ({schema.KIND[row['kind']]})",
                    "longitude": f"{row['lon']:.2f}°E",
                    "source": cite(row),
                },
            )
        )
    fig = go.Figure()
    for i, axis in enumerate(names):
        first = i == 0
        fig.add_trace(
            go.Scatter(
                x=guide["lon"],
                y=guide["y"],
                xaxis=axis,
                mode="lines",
                line=dict(color=COLORS["guide"], width=1.5),
                name="guide to the eye",
                showlegend=first,
                hoverinfo="skip",
                meta={"role": "guide"},
            )
        )
        fig.add_trace(
            go.Scatter(
                x=pos["lon"],
                y=pos["y"],
                xaxis=axis,
                mode="markers",
                name="army at a sourced place",
                showlegend=first,
                marker=dict(color=COLORS["red"], size=8, line=dict(color="white", width=1)),
                hovertext=hover,
                hoverinfo="text",
                meta={"role": "positions"},
            )
        )

    def panel(lon: float) -> int:
        for i, (lo, hi) in enumerate(segments):
            if lo <= lon <= hi:
                return i
        return 0

    for row in arrows.to_dict("records"):
        colour = COLORS[row["direction"]]
        axis = names[panel(row["lon"])]
        text = directive_hover({**row, "quote_zh": _text(row["quote_zh"]), "cite": cite(row)})
        fig.add_trace(
            go.Scatter(
                x=[row["lon"]],
                y=[row["y"]],
                xaxis=axis,
                mode="markers+text",
                showlegend=False,
                name=row["directive_id"],
                text=[row["directive_id"]],
                textposition="middle left" if row["dx"] > 0 else "middle right",
                textfont=dict(size=10),
                marker=dict(
                    symbol=GROUP_SYMBOL[row["issuer_group"]],
                    size=11,
                    color=colour,
                    line=dict(color=COLORS["ink"], width=1),
                ),
                hovertext=[text],
                hoverinfo="text",
                meta={"role": "directive", "id": row["directive_id"]},
            )
        )
        if row["direction"] in ("west", "east"):
            fig.add_annotation(
                x=row["lon"] + row["dx"],
                y=row["y"],
                ax=row["lon"],
                ay=row["y"],
                xref=axis,
                yref="y",
                axref=axis,
                ayref="y",
                showarrow=True,
                arrowhead=2,
                arrowsize=1.2,
                arrowwidth=2,
                arrowcolor=colour,
                text="",
                standoff=0,
                startstandoff=0,
            )
        elif row["direction"] == "hold":
            fig.add_shape(
                type="line",
                xref=axis,
                yref="y",
                x0=row["lon"] - arrow_length / 3,
                x1=row["lon"] + arrow_length / 3,
                y0=row["y"],
                y1=row["y"],
                line=dict(color=colour, width=4),
                layer="below",
            )
    _plotly_legend(fig, lay["legend"])

    yt, yl = lay["months"]
    layout = dict(
        height=height,
        hovermode="closest",
        yaxis=dict(range=lay["range"], tickvals=yt, ticktext=yl, zeroline=False),
        legend=dict(orientation="h", yanchor="top", y=-0.07, x=0, font=dict(size=11)),
        margin=dict(l=80, r=60, t=110, b=40),
    )
    for i, ((lo, hi), axis) in enumerate(zip(segments, names)):
        key = "xaxis" if i == 0 else f"xaxis{i + 1}"
        in_panel = ticks[(ticks["lon"] >= lo) & (ticks["lon"] <= hi)]
        layout[key] = dict(
            domain=list(domains[i]),
            range=[lo, hi],
            anchor="y",
            showgrid=True,
            title=dict(text="Longitude (°E): west ← → east") if i == len(segments) - 1 else None,
        )
        # place names along the top, on a twin axis of the same range
        top = f"xaxis{len(segments) + i + 1}"
        layout[top] = dict(
            domain=list(domains[i]),
            range=[lo, hi],
            overlaying=axis,
            side="top",
            anchor="y",
            tickvals=list(in_panel["lon"]),
            ticktext=[plotly_text(short_place_label(r)) for r in in_panel.to_dict("records")],
            tickangle=-50,
            showgrid=False,
            ticks="outside",
        )
        fig.add_trace(
            go.Scatter(
                x=[lo, hi],
                y=[None, None],
                xaxis=f"x{len(segments) + i + 1}",
                mode="markers",
                hoverinfo="skip",
                showlegend=False,
                meta={"role": "axis"},
            )
        )
    fig.update_layout(**layout)
    return fig


# --------------------------------------------------------------------------
# The spread of the headline across readings
# --------------------------------------------------------------------------

#: the headlines the spread chart shows: (prefix in wra.analysis.sensitivity.headline, label, colour key)
SPREAD_ROWS = (
    ("", "all the centre's orders to the army", "ink"),
    ("west_", "pointing west", "west"),
    ("east_", "pointing east", "east"),
)


def spread_mpl(frame: pd.DataFrame, figsize: tuple[float, float] | None = None):
    """The share of the centre's orders followed under each reading (matplotlib Figure).

    ``frame`` is :func:`wra.analysis.sensitivity.table`. One row per reading, its label
    written above it; one marker per headline (all orders, west, east) at its
    share, labelled with its counts ("9 of 12"); a headline with nothing to
    test is left out of its row. Each marker has the ``gid``
    ``spread:<variant>:<headline>``.
    """
    import matplotlib.pyplot as plt

    n = len(frame)
    fig, ax = plt.subplots(figsize=figsize or (6.4, 0.95 * n + 1.0), layout="constrained")
    offsets = {"": 0.0, "west_": 0.16, "east_": -0.16}
    for i, row in enumerate(frame.itertuples()):
        y = n - 1 - i
        label = row.label[:1].upper() + row.label[1:]
        ax.text(-0.02, y + 0.34, label, fontsize=8.5, ha="left", va="bottom", color=COLORS["ink"])
        for prefix, name_, colour in SPREAD_ROWS:
            name = prefix or "central_"
            tested, followed = getattr(row, f"{name}tested"), getattr(row, f"{name}followed")
            if not tested:
                continue
            share = followed / tested
            (mark,) = ax.plot(
                [share],
                [y + offsets[prefix]],
                linestyle="",
                marker="o",
                markersize=7,
                color=COLORS[colour],
                label=name_,
            )
            mark.set_gid(f"spread:{row.id}:{prefix or 'all'}")
            ax.annotate(
                f"{followed} of {tested}",
                (share, y + offsets[prefix]),
                xytext=(6, 0),
                textcoords="offset points",
                va="center",
                ha="left",
                fontsize=8,
                color=COLORS[colour],
            )
    ax.set_yticks([])
    ax.set_xlim(-0.03, 1.2)
    ax.set_ylim(-0.5, n - 0.1)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["0%", "25%", "50%", "75%", "100%"])
    ax.set_xlabel("share followed at least in part, of the orders whose verdict tests them")
    ax.grid(axis="y", visible=False)
    ax.spines["left"].set_visible(False)
    handles, labels = ax.get_legend_handles_labels()
    seen = dict(zip(labels, handles))
    fig.legend(
        [seen[lbl] for _, lbl, _ in SPREAD_ROWS if lbl in seen],
        [lbl for _, lbl, _ in SPREAD_ROWS if lbl in seen],
        loc="outside lower center",
        ncol=3,
        fontsize=8.5,
    )
    return fig


# --------------------------------------------------------------------------
# The chapter's answer: verdicts by issuer and by direction (small multiples)
# --------------------------------------------------------------------------


def verdict_color(verdict: str) -> str:
    """A verdict's colour (:data:`wra.presentation.style.VERDICT_COLORS`): its own for the
    verdicts that test an order, grey for those counted apart."""
    return VERDICT_COLORS.get(verdict, VERDICT_COLORS["apart"])


def verdict_panels_mpl(panels: pd.DataFrame, title: str, figsize: tuple[float, float] | None = None):
    """Small multiples of verdict counts (matplotlib Figure): one panel per issuer group
    (upper row) and one per direction of the Party centre's directives (lower row).

    ``panels`` is :func:`wra.analysis.directives.verdict_panels`, ``title`` the finding
    (:func:`wra.analysis.directives.verdict_finding`). In each panel a horizontal bar per
    verdict, in the row's verdict order, labelled with its count; the panel's title names
    it and its number of directives. Each bar has the ``gid`` ``verdicts:<row>:<panel>:<verdict>``.
    """
    import matplotlib.pyplot as plt

    row_keys = [r for r in PANEL_ROWS if (panels["row"] == r).any()]
    widest = max(panels.loc[panels["row"] == r, "panel"].nunique() for r in row_keys)
    heights = [panels.loc[panels["row"] == r, "verdict"].nunique() + 1.6 for r in row_keys]
    fig = plt.figure(figsize=figsize or (2.05 * widest + 1.6, 0.36 * sum(heights) + 1.3), layout="constrained")
    subfigs = fig.subfigures(len(row_keys), 1, height_ratios=heights, hspace=0.05)
    subfigs = np.atleast_1d(subfigs)
    top = max(int(panels["n"].max()), 1)
    for sub, row in zip(subfigs, row_keys, strict=True):
        frame = panels[panels["row"] == row]
        order = list(dict.fromkeys(frame["verdict"]))
        panel_order = list(dict.fromkeys(frame["panel"]))
        axes = np.atleast_1d(sub.subplots(1, widest, sharey=True))
        for ax in axes[len(panel_order) :]:
            ax.set_visible(False)
        for i, (ax, panel) in enumerate(zip(axes, panel_order, strict=False)):
            own = frame[frame["panel"] == panel].set_index("verdict").reindex(order)
            y = np.arange(len(order))[::-1]
            for yy, verdict in zip(y, order, strict=True):
                n = int(own.loc[verdict, "n"])
                (bar,) = ax.barh([yy], [n], color=verdict_color(verdict), height=0.72)
                bar.set_gid(f"verdicts:{row}:{panel}:{verdict}")
                if n:
                    ax.text(n + top * 0.03, yy, str(n), va="center", ha="left", fontsize=9.5, color=COLORS["ink"])
            first = own.iloc[0]
            ax.set_title(
                f"{first['panel_label']} ({int(first['panel_total'])})", fontsize=10, loc="left", color=COLORS["ink"]
            )
            ax.set_xlim(0, top * 1.25)
            ax.set_xticks([])
            ax.grid(False)
            for side in ("top", "right", "bottom"):
                ax.spines[side].set_visible(False)
            if i == 0:
                ax.set_yticks(y, [own.loc[v, "verdict_label"] for v in order])
            ax.tick_params(axis="y", length=0, labelsize=9.5, labelleft=i == 0)
        sub.suptitle(PANEL_ROWS[row], x=0.01, ha="left", fontsize=10.5, fontweight="bold", color=COLORS["ink"])
    fig.suptitle(title, x=0.01, ha="left", fontsize=12, color=COLORS["ink"])
    return fig
