"""Minard-style charts of the march: the route as a band on a map, dates below.

The band follows the route on longitude/latitude; its width is the strength
of the branch (:func:`wra.analysis.route.widths`), its colour the direction of each
segment (west or east, :data:`wra.presentation.style.COLORS`). Sourced figures are black
dots on the band; everything between them is interpolated, and the charts say
so. A panel below shares the longitude axis and plots the date at each place,
as Minard's temperature panel does.

Geography comes from :mod:`wra.presentation.geo` (shipped, offline). Plotly figures use
plain ``go.Scatter`` traces on longitude/latitude axes: no tiles, no geo
traces, so they draw with the book's partial plotly.js bundle.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd

from wra.analysis import route
from wra.presentation import charts, geo
from wra.presentation.style import COLORS
from wra.record.names import place_label

#: band width, in degrees of latitude per man (22,000 men -> 0.3 degrees)
DEG_PER_MAN = 0.30 / 22000
#: thinnest band drawn, as a share of the scale's 1,000 men, so a few hundred men still show
MIN_MEN = 300
#: the inset's box (lon_min, lon_max, lat_min, lat_max): Linze, Gaotai, Nijiayingzi, Shiwo
ZOOM = (99.62, 100.52, 38.56, 39.47)
#: the inset draws the band at this fraction of the main map's scale
ZOOM_SCALE = 1 / 3
#: men shown by the width key
KEY_MEN = 10000
WATER = COLORS.get("water", COLORS["guide"])
#: the title when the caller states no finding (see :func:`wra.analysis.route.finding`)
TITLE = "The march as a band: width is strength, colour is direction"
#: the subtitle under a finding
SUBTITLE = "The march as a band (width: strength; colour: direction), and the date at each place below"
ROUTE_MARGIN = (0.7, 0.9, 0.6, 0.55)  # west, east, south, north, degrees
CORRIDOR_MARGIN = (0.35, 0.45, 0.3, 0.35)


def _k(lat: float) -> float:
    """Horizontal stretch that makes a degree of longitude as long as a degree of latitude."""
    return math.cos(math.radians(lat))


def width_deg(men: float, scale: float = DEG_PER_MAN) -> float:
    """Band width in degrees of latitude for a strength (NaN or tiny -> the hairline of MIN_MEN)."""
    if men is None or not np.isfinite(men):
        return MIN_MEN * scale
    return max(MIN_MEN, men) * scale


def band_polygon(lon0, lat0, lon1, lat1, w0, w1) -> np.ndarray:
    """A quadrilateral around a segment, ``w0`` wide at the start and ``w1`` at the end.

    Widths are in degrees of latitude, measured at right angles to the
    segment on a locally isotropic plane, so the band looks even on an
    equal-aspect map. Returns a closed (5, 2) array of (lon, lat).
    """
    k = _k((lat0 + lat1) / 2)
    x0, x1 = lon0 * k, lon1 * k
    dx, dy = x1 - x0, lat1 - lat0
    norm = math.hypot(dx, dy) or 1.0
    nx, ny = -dy / norm, dx / norm
    pts = [
        (x0 + nx * w0 / 2, lat0 + ny * w0 / 2),
        (x1 + nx * w1 / 2, lat1 + ny * w1 / 2),
        (x1 - nx * w1 / 2, lat1 - ny * w1 / 2),
        (x0 - nx * w0 / 2, lat0 - ny * w0 / 2),
    ]
    pts.append(pts[0])
    return np.array([(x / k, y) for x, y in pts])


def disk(lon, lat, w, n: int = 24) -> np.ndarray:
    """A round joint ``w`` wide (degrees of latitude) at a stop, as a closed polygon."""
    k = _k(lat)
    t = np.linspace(0, 2 * np.pi, n + 1)
    return np.column_stack([lon + np.cos(t) * w / 2 / k, lat + np.sin(t) * w / 2])


def band_pieces(stop_widths: pd.DataFrame, seg: pd.DataFrame, scale: float = DEG_PER_MAN) -> pd.DataFrame:
    """Every polygon of the band: one per segment plus a joint per stop.

    Columns: branch, kind (segment | joint), direction, polygon, men0, men1,
    basis0, basis1, label. Draw in order (main branch first).
    """
    rows = []
    for branch in stop_widths["branch"].drop_duplicates():
        s = stop_widths[stop_widths["branch"] == branch].reset_index(drop=True)
        g = seg[seg["branch"] == branch].reset_index(drop=True)
        for i, sg in g.iterrows():
            a, b = s.iloc[i], s.iloc[i + 1]
            w0, w1 = width_deg(a["value_leave"], scale), width_deg(b["value_arrive"], scale)
            rows.append(
                {
                    "branch": branch,
                    "kind": "segment",
                    "direction": sg["direction"],
                    "polygon": band_polygon(sg["lon0"], sg["lat0"], sg["lon1"], sg["lat1"], w0, w1),
                    "men0": a["value_leave"],
                    "men1": b["value_arrive"],
                    "basis0": a["basis_leave"],
                    "basis1": b["basis_arrive"],
                    "label": f"{sg['from_en']} {sg['from_zh']} → {sg['to_en']} {sg['to_zh']}",
                }
            )
            rows.append(
                {
                    "branch": branch,
                    "kind": "joint",
                    "direction": sg["direction"],
                    "polygon": disk(b["lon"], b["lat"], w1),
                    "men0": b["value_arrive"],
                    "men1": b["value_arrive"],
                    "basis0": b["basis_arrive"],
                    "basis1": b["basis_arrive"],
                    "label": f"{b['name_en']} {b['name_zh']}",
                }
            )
            rows.append(
                {
                    "branch": branch,
                    "kind": "joint",
                    "direction": sg["direction"],
                    "polygon": disk(a["lon"], a["lat"], w0),
                    "men0": a["value_leave"],
                    "men1": a["value_leave"],
                    "basis0": a["basis_leave"],
                    "basis1": a["basis_leave"],
                    "label": f"{a['name_en']} {a['name_zh']}",
                }
            )
    return pd.DataFrame(
        rows, columns=["branch", "kind", "direction", "polygon", "men0", "men1", "basis0", "basis1", "label"]
    )


def sourced_marks(stop_frame: pd.DataFrame, figs: pd.DataFrame) -> pd.DataFrame:
    """Where each chosen figure sits on the band (figures dated off the route are left out)."""
    rows = []
    for _, f in figs[figs["chosen"]].iterrows():
        pos = route.position_at(stop_frame, f["unit"], f["date"])
        if pos is None:
            continue
        rows.append({**f.to_dict(), "lon": pos[0], "lat": pos[1]})
    cols = [*list(figs.columns), "lon", "lat"]
    return pd.DataFrame(rows, columns=cols)


def extent(stop_frame: pd.DataFrame, margin=ROUTE_MARGIN) -> tuple[float, float, float, float]:
    """(lon_min, lon_max, lat_min, lat_max) of the route plus a margin, inside the shipped geometry."""
    w, e, s, n = margin
    b = geo.BBOX
    return (
        max(b[0], stop_frame["lon"].min() - w),
        min(b[1], stop_frame["lon"].max() + e),
        max(b[2], stop_frame["lat"].min() - s),
        min(b[3], stop_frame["lat"].max() + n),
    )


def context_places(places: pd.DataFrame, stop_frame: pd.DataFrame, box) -> pd.DataFrame:
    """Places in places.csv inside the map that the route does not pass (towns for context)."""
    inside = places["lon"].between(box[0], box[1]) & places["lat"].between(box[2], box[3])
    return places[inside & ~places["place_id"].isin(stop_frame["place_id"])].reset_index(drop=True)


def _place_labels(stop_frame: pd.DataFrame) -> pd.DataFrame:
    """One label per place on the route, at its first visit."""
    return stop_frame.drop_duplicates("place_id").reset_index(drop=True)


# --------------------------------------------------------------------------
# matplotlib
# --------------------------------------------------------------------------


def _inside(lon, lat, box) -> bool:
    return box[0] <= lon <= box[1] and box[2] <= lat <= box[3]


def _geography_mpl(ax, box, labels: bool = True) -> None:
    layers = geo.load()
    styles = {
        "rivers": dict(color=WATER, lw=0.9, ls="-", zorder=1),
        "provinces": dict(color=COLORS["none"], lw=0.7, ls=(0, (4, 2)), zorder=1),
        "border": dict(color=COLORS["guide"], lw=0.9, ls=(0, (6, 2, 1, 2)), zorder=1),
    }
    for name, style in styles.items():
        for line in layers[name]:
            ax.plot(line[:, 0], line[:, 1], **style)
    if not labels:
        return
    for lab in geo.LABELS:
        if not _inside(lab.lon, lab.lat, box) or _inside(lab.lon, lab.lat, ZOOM):
            continue
        style = {
            "river": dict(color=WATER, style="italic", fontsize=7.5),
            "range": dict(color=COLORS["guide"], fontsize=8.5, style="italic"),
            "region": dict(color=COLORS["guide"], fontsize=8),
            "province": dict(color=COLORS["none"], fontsize=8.5, weight="bold"),
        }[lab.kind]
        ax.text(
            lab.lon,
            lab.lat,
            lab.text,
            rotation=lab.rotation,
            rotation_mode="anchor",
            ha="center",
            va="center",
            zorder=2,
            **style,
        )


def _band_mpl(ax, stop_widths, seg, scale) -> None:
    from matplotlib.patches import Polygon

    for _, p in band_pieces(stop_widths, seg, scale).iterrows():
        ax.add_patch(
            Polygon(
                p["polygon"],
                closed=True,
                facecolor=COLORS.get(p["direction"], COLORS["none"]),
                edgecolor="none",
                zorder=3 if p["branch"] == route.MAIN else 4,
            )
        )


#: where a label may go around its point: (dx, dy) in points, ha, va; near first, then farther with a leader
_SPOTS = [
    (0, 6, "center", "bottom"),
    (0, -6, "center", "top"),
    (6, 0, "left", "center"),
    (-6, 0, "right", "center"),
    (5, 5, "left", "bottom"),
    (5, -5, "left", "top"),
    (-5, 5, "right", "bottom"),
    (-5, -5, "right", "top"),
]
_FAR = [(dx * 3.2, dy * 3.2, ha, va) for dx, dy, ha, va in _SPOTS]
_FARTHER = (
    [(dx * 6, dy * 6, ha, va) for dx, dy, ha, va in _SPOTS]
    + [
        (sx * 28, sy * 14, "left" if sx > 0 else "right", "bottom" if sy > 0 else "top")
        for sx in (1, -1)
        for sy in (1, -1)
    ]
    + [(dx * 9, dy * 9, ha, va) for dx, dy, ha, va in _SPOTS]
)


class _Placer:
    """Greedy label placement on one axes: each label takes the first free spot around its point."""

    def __init__(self, ax, obstacles=()):
        self.ax = ax
        self.renderer = ax.figure.canvas.get_renderer()
        self.taken = list(obstacles)
        self.frame = ax.get_window_extent(self.renderer)

    def block_points(self, xs, ys, radius: float = 3.0) -> None:
        import matplotlib.dates as mdates
        from matplotlib.transforms import Bbox

        for x, y in zip(xs, ys):
            if isinstance(y, pd.Timestamp):
                y = mdates.date2num(y)
            px, py = self.ax.transData.transform((x, y))
            self.taken.append(Bbox.from_extents(px - radius, py - radius, px + radius, py + radius))

    def place(self, x, y, text, must: bool = True, far: bool = True, **kw):
        """Put ``text`` at the first free spot; if none is free, at the least crowded (or nowhere)."""
        spots = _SPOTS + (_FAR + _FARTHER if far else [])
        best = None
        for i, (dx, dy, ha, va) in enumerate(spots):
            leader = (
                dict(arrowstyle="-", lw=0.5, color=COLORS["guide"], shrinkA=0, shrinkB=2) if i >= len(_SPOTS) else None
            )
            # measured without its leader, which would always touch the point's own spot
            t = self.ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va, **kw)
            bb = t.get_window_extent(self.renderer).expanded(1.04, 1.08)
            t.remove()
            outside = (
                max(0, self.frame.x0 - bb.x0)
                + max(0, bb.x1 - self.frame.x1)
                + max(0, self.frame.y0 - bb.y0)
                + max(0, bb.y1 - self.frame.y1)
            )
            crowd = sum(_overlap(bb, o) for o in self.taken) + 50 * outside
            if best is None or crowd < best[0]:
                best = (crowd, dx, dy, ha, va, leader, bb)
            if crowd == 0:
                break
        if best[0] > 0 and not must:
            return None
        _, dx, dy, ha, va, leader, bb = best
        self.taken.append(bb)
        return self.ax.annotate(
            text, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va, arrowprops=leader, **kw
        )


def _overlap(a, b) -> float:
    """Overlap area of two display bboxes."""
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


_BOX = dict(boxstyle="round,pad=0.08", fc="white", ec="none", alpha=0.75)


def _merge_close(ax, labels: pd.DataFrame, px: float = 12.0) -> list[tuple[tuple[float, float], list[str]]]:
    """Places closer than ``px`` on screen share one label (e.g. Hubaokou and Jingyuan, 8 km apart)."""
    groups: list[tuple[tuple[float, float], list[str], np.ndarray]] = []
    for _, s in labels.iterrows():
        where = ax.transData.transform((s["lon"], s["lat"]))
        name = place_label(s)
        for _, names, at in groups:
            if np.hypot(*(where - at)) < px:
                names.append(name)
                break
        else:
            groups.append(((s["lon"], s["lat"]), [name], where))
    return [(xy, names) for xy, names, _ in groups]


def _block_band(placer: _Placer, stop_widths: pd.DataFrame, scale: float) -> None:
    """Mark the band as taken (sampled along each stretch), so grey town names stay off it."""
    ax = placer.ax
    px_per_deg = abs(ax.transData.transform((0, 1))[1] - ax.transData.transform((0, 0))[1])
    for branch in stop_widths["branch"].drop_duplicates():
        s = stop_widths[stop_widths["branch"] == branch].reset_index(drop=True)
        for i in range(len(s) - 1):
            a, b = s.iloc[i], s.iloc[i + 1]
            half = 0.5 * px_per_deg * max(width_deg(a["value_leave"], scale), width_deg(b["value_arrive"], scale))
            n = max(2, int(np.hypot(b["lon"] - a["lon"], b["lat"] - a["lat"]) / 0.05))
            t = np.linspace(0, 1, n)
            placer.block_points(
                a["lon"] + t * (b["lon"] - a["lon"]), a["lat"] + t * (b["lat"] - a["lat"]), radius=max(3.0, half)
            )


def _annotate_map(ax, stop_widths, marks, ctx, box, skip=None, fontsize=8, obstacles=(), scale=DEG_PER_MAN):
    """Place names, then sourced figures, then other towns, without overlaps."""

    def ok(lon, lat):
        return _inside(lon, lat, box) and not (skip and _inside(lon, lat, skip))

    placer = _Placer(ax, obstacles)
    labels = _place_labels(stop_widths)
    labels = labels[[ok(x, y) for x, y in zip(labels["lon"], labels["lat"])]]
    placer.block_points(labels["lon"], labels["lat"])
    if not marks.empty:
        placer.block_points(marks["lon"], marks["lat"])
    for (x, y), names in _merge_close(ax, labels):
        placer.place(x, y, " / ".join(names), fontsize=fontsize, color=COLORS["ink"], zorder=8, bbox=_BOX)
    if not marks.empty:
        ax.scatter(marks["lon"], marks["lat"], s=14, color=COLORS["ink"], edgecolor="white", linewidth=0.5, zorder=6)
        spots = marks.assign(_k=marks["lon"].round(2).astype(str) + "/" + marks["lat"].round(2).astype(str))
        for _, grp in spots.groupby("_k", sort=False):
            first = grp.iloc[0]
            text = "\n".join(f"{r['text']} ({r['date']:%-d %b})" for _, r in grp.iterrows())
            placer.place(
                first["lon"],
                first["lat"],
                text,
                fontsize=fontsize - 0.8,
                color=COLORS["ink"],
                zorder=7,
                linespacing=1.05,
                style="italic",
                bbox=_BOX,
            )
    if ctx is not None:
        _block_band(placer, stop_widths, scale)
        for _, c in ctx.iterrows():
            if not ok(c["lon"], c["lat"]):
                continue
            t = placer.place(
                c["lon"],
                c["lat"],
                place_label(c),
                must=False,
                far=False,
                fontsize=fontsize - 0.8,
                color=COLORS["guide"],
                zorder=2,
            )
            if t is not None:
                ax.scatter([c["lon"]], [c["lat"]], s=9, marker="s", color=COLORS["guide"], zorder=2)


def nice_km(span_km: float) -> int:
    """A round scale-bar length, about a fifth of ``span_km`` (10, 20, 50, 100, 200 ... km)."""
    target = max(span_km / 5, 1.0)
    exp = 10 ** math.floor(math.log10(target))
    return int(max(m * exp for m in (1, 2, 5) if m * exp <= target))


def km_to_lon(km: float, lat: float) -> float:
    """Degrees of longitude that ``km`` spans east-west at ``lat`` (true at that latitude)."""
    return math.degrees(km / (route.EARTH_RADIUS_KM * _k(lat)))


def scale_bar(box, where=(0.62, 0.7)) -> dict:
    """A km scale bar for a map of ``box``: its length (a round number of km), its
    start (lon, lat; ``where`` in fractions of the box) and its length in degrees of longitude."""
    lat = box[2] + where[1] * (box[3] - box[2])
    span = route.haversine_km(lat, box[0], lat, box[1])
    km = nice_km(span)
    lon = box[0] + where[0] * (box[1] - box[0])
    return dict(km=km, lon=lon, lat=lat, dlon=km_to_lon(km, lat))


def _scale_bar_mpl(ax, bar: dict, fontsize: float = 7.5, gid: str = "scalebar") -> None:
    """Draw :func:`scale_bar`: a black-and-white bar in two halves, 0, half and full km below."""
    from matplotlib.patches import Rectangle

    lon, lat, dlon, km = bar["lon"], bar["lat"], bar["dlon"], bar["km"]
    height = (ax.get_ylim()[1] - ax.get_ylim()[0]) * 0.012
    for i, face in enumerate((COLORS["ink"], "white")):
        patch = Rectangle(
            (lon + i * dlon / 2, lat), dlon / 2, height, facecolor=face, edgecolor=COLORS["ink"], lw=0.7, zorder=9
        )
        patch.set_gid(gid if i == 0 else f"{gid}-half")
        ax.add_patch(patch)
    for frac, text in ((0, "0"), (0.5, f"{km // 2:g}" if km % 2 == 0 else ""), (1, f"{km:,} km")):
        if text:
            ax.text(lon + frac * dlon, lat - height * 0.6, text, ha="center", va="top", fontsize=fontsize, zorder=9)


def _framed(ax, color: str, width: float) -> None:
    """A small map (inset, locator): no ticks or grid, white paper, a thin frame all round."""
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    ax.set_facecolor("white")
    for side in ax.spines.values():
        side.set_visible(True)
        side.set_color(color)
        side.set_linewidth(width)


def _locator_mpl(ax, box, bounds=(0.36, 0.70, 0.21, 0.29)):
    """A small inset showing where the map (``box``) lies in China (modern borders, Natural Earth)."""
    from matplotlib.patches import Polygon, Rectangle

    outlines = geo.locator()
    loc = ax.inset_axes(list(bounds))
    loc.set_gid("locator")
    for line in outlines["others"]:
        loc.plot(line[:, 0], line[:, 1], color=COLORS["none"], lw=0.5, zorder=1)
    for part in outlines["china"]:
        loc.add_patch(Polygon(part, closed=True, facecolor=COLORS["grid"], edgecolor=COLORS["guide"], lw=0.6))
    loc.add_patch(
        Rectangle((box[0], box[2]), box[1] - box[0], box[3] - box[2], fill=False, ec=COLORS["ink"], lw=1.2, zorder=3)
    )
    loc.text(112, 33, "China 中国", fontsize=7, ha="center", va="center", color=COLORS["ink"], style="italic")
    loc.set_xlim(72, 136)
    loc.set_ylim(16, 55)
    loc.set_aspect(1 / _k(35), adjustable="box", anchor="N")
    _framed(loc, COLORS["guide"], 0.6)
    return loc


def _no_axes(ax) -> None:
    """A map shows no longitude or latitude: no ticks, tick labels or grid; a plain frame."""
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for side in ax.spines.values():
        side.set_visible(True)
        side.set_color(COLORS["guide"])
        side.set_linewidth(0.8)


def _layout(box, width_in: float = 8.6, time_in: float = 3.0):
    """A figure whose map axes has the true aspect of the box, over a time panel of the same width."""
    import matplotlib.pyplot as plt

    left, right, top, gap, bottom = 0.85, 0.2, 0.4, 0.12, 0.55
    aw = width_in - left - right
    mh = aw * (box[3] - box[2]) / (box[1] - box[0]) / _k((box[2] + box[3]) / 2)
    height = top + mh + gap + time_in + bottom
    fig = plt.figure(figsize=(width_in, height))
    ax = fig.add_axes([left / width_in, (bottom + time_in + gap) / height, aw / width_in, mh / height])
    axt = fig.add_axes([left / width_in, bottom / height, aw / width_in, time_in / height], sharex=ax)
    return fig, ax, axt


def figure_mpl(
    stop_widths: pd.DataFrame,
    seg: pd.DataFrame,
    figs: pd.DataFrame,
    places: pd.DataFrame | None = None,
    title: str | None = None,
    zoom=ZOOM,
    events: pd.DataFrame | None = None,
):
    """The Minard map (top, with an inset on the corridor battles) and the date at each place (bottom).

    ``events`` (date, label), e.g. :func:`wra.analysis.events.milestones`, are drawn as
    dotted lines across the time panel.
    """
    import matplotlib.dates as mdates
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Polygon, Rectangle

    box = extent(stop_widths)
    fig, ax, axt = _layout(box)
    ax.set_xlim(box[0], box[1])
    ax.set_ylim(box[2], box[3])
    _geography_mpl(ax, box)
    _band_mpl(ax, stop_widths, seg, DEG_PER_MAN)
    ax.add_patch(
        Rectangle(
            (zoom[0], zoom[2]), zoom[1] - zoom[0], zoom[3] - zoom[2], fill=False, ec=COLORS["ink"], lw=0.8, zorder=9
        )
    )
    handles = [
        Patch(color=COLORS["west"], label="marching west"),
        Patch(color=COLORS["east"], label="marching east"),
        Line2D([], [], marker="o", ls="", color=COLORS["ink"], markersize=4, label="sourced figure"),
        Line2D([], [], color=WATER, lw=0.9, label="river"),
        Line2D([], [], color=COLORS["none"], lw=0.7, ls=(0, (4, 2)), label="province border (modern)"),
        Line2D([], [], color=COLORS["guide"], lw=0.9, ls=(0, (6, 2, 1, 2)), label="national border (modern)"),
    ]
    legend = ax.legend(
        handles=handles, loc="upper right", fontsize=7.5, ncol=2, frameon=True, framealpha=0.9, edgecolor="none"
    )
    ax.set_title("\n".join(line for line in charts.title_lines(title) if line) if title else TITLE, loc="left")

    # width key, under the legend
    kx, ky = box[1] - 3.4, box[3] - 1.05
    kw = width_deg(KEY_MEN)
    ax.add_patch(
        Polygon(band_polygon(kx, ky, kx + 0.9, ky, kw, kw), facecolor=COLORS["guide"], edgecolor="none", zorder=3)
    )
    key = ax.text(
        kx + 1.0,
        ky,
        f"{KEY_MEN:,} men; width interpolated\nbetween sourced figures (dots)",
        va="center",
        fontsize=7,
        color=COLORS["ink"],
    )

    bar = scale_bar(box, where=((kx - box[0]) / (box[1] - box[0]), (ky - 0.55 - box[2]) / (box[3] - box[2])))
    _scale_bar_mpl(ax, bar)
    locator = _locator_mpl(ax, box)

    inset = ax.inset_axes([0.01, 0.012, 0.36, 0.55])
    inset.set_title(
        "the box, enlarged (band at a third of the width)", fontsize=7, loc="left", fontweight="normal", pad=2
    )
    inset.set_xlim(zoom[0], zoom[1])
    inset.set_ylim(zoom[2], zoom[3])
    inset.set_aspect(1 / _k((zoom[2] + zoom[3]) / 2), adjustable="box", anchor="SW")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    frame = Rectangle((zoom[0], zoom[2]), zoom[1] - zoom[0], zoom[3] - zoom[2])
    obstacles = [
        legend.get_window_extent(renderer),
        key.get_window_extent(renderer),
        inset.get_tightbbox(renderer),
        locator.get_tightbbox(renderer),
        ax.transData.transform_bbox(frame.get_bbox()),
        ax.transData.transform_bbox(Rectangle((bar["lon"], bar["lat"] - 0.2), bar["dlon"] * 1.1, 0.3).get_bbox()),
    ]
    marks = sourced_marks(stop_widths, figs)
    in_zoom = np.array([_inside(x, y, zoom) for x, y in zip(marks["lon"], marks["lat"])], dtype=bool)
    ctx = context_places(places, stop_widths, box) if places is not None else None
    _annotate_map(ax, stop_widths, marks[~in_zoom], ctx, box, skip=zoom, obstacles=obstacles)
    _inset_mpl(inset, stop_widths, seg, marks[in_zoom], ctx, zoom)

    _time_panel_mpl(axt, stop_widths, seg, events)
    _no_axes(ax)
    axt.tick_params(axis="x", bottom=False, labelbottom=False)
    axt.grid(axis="x", visible=False)
    axt.set_xlabel("west ← the same east-west position as on the map above → east")
    axt.yaxis.set_major_locator(mdates.MonthLocator())
    axt.yaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    return fig


def _inset_mpl(ins, stop_widths, seg, marks, ctx, zoom) -> None:
    """The corridor battles, magnified, in the map's empty south-west corner."""
    ins.set_xlim(zoom[0], zoom[1])
    ins.set_ylim(zoom[2], zoom[3])
    ins.set_aspect(1 / _k((zoom[2] + zoom[3]) / 2), adjustable="box", anchor="SW")
    _geography_mpl(ins, zoom, labels=False)
    _band_mpl(ins, stop_widths, seg, DEG_PER_MAN * ZOOM_SCALE)
    _framed(ins, COLORS["ink"], 0.8)
    ins.figure.canvas.draw()
    _annotate_map(ins, stop_widths, marks, ctx, zoom, fontsize=7.2, scale=DEG_PER_MAN * ZOOM_SCALE)


def _event_labels(events: pd.DataFrame, days: int = 9) -> list[tuple[pd.Timestamp, str]]:
    """One label per run of events less than ``days`` apart (their labels joined), at the run's first date."""
    out: list[tuple[pd.Timestamp, str]] = []
    last = None
    for _, e in events.sort_values("date").iterrows():
        if last is not None and (e["date"] - last).days < days:
            out[-1] = (out[-1][0], f"{out[-1][1]} / {e['label']}")
        else:
            out.append((e["date"], str(e["label"])))
        last = e["date"]
    return out


def _time_panel_mpl(axt, stop_frame: pd.DataFrame, seg: pd.DataFrame, events: pd.DataFrame | None = None) -> None:
    if events is not None:
        for _, e in events.iterrows():
            axt.axhline(e["date"], color=COLORS["guide"], ls=":", lw=0.8, zorder=1)
        for when, label in _event_labels(events):
            axt.text(
                1.0,
                when,
                f" {label}",
                transform=axt.get_yaxis_transform(),
                fontsize=7,
                va="center",
                ha="left",
                color=COLORS["guide"],
                clip_on=False,
            )
    for _, g in seg.iterrows():
        axt.plot(
            [g["lon0"], g["lon1"]],
            [g["date0"], g["date1"]],
            color=COLORS.get(g["direction"], COLORS["none"]),
            lw=2.0 if g["branch"] == route.MAIN else 1.4,
            solid_capstyle="round",
            zorder=3,
        )
    for _, s in stop_frame.iterrows():
        if s["leave"] > s["arrive"]:
            axt.plot(
                [s["lon"], s["lon"]],
                [s["arrive"], s["leave"]],
                color=COLORS["ink"],
                lw=2.2,
                zorder=4,
                solid_capstyle="butt",
            )
    axt.scatter(stop_frame["lon"], stop_frame["arrive"], s=10, color=COLORS["ink"], zorder=5)
    axt.invert_yaxis()
    axt.set_ylabel("date")
    axt.plot([], [], color=COLORS["ink"], lw=2.2, label="staying (first to last dated action there)")
    legend = axt.legend(loc="lower right", fontsize=7.5)
    renderer = axt.figure.canvas.get_renderer()
    placer = _Placer(axt, [legend.get_window_extent(renderer)])
    placer.block_points(stop_frame["lon"], stop_frame["arrive"])
    for _, s in stop_frame.iterrows():
        if s["inherited"]:
            continue
        placer.place(
            s["lon"],
            s["arrive"],
            f"{s['name_en']} {s['arrive']:%-d %b}",
            must=False,
            far=False,
            fontsize=7.2,
            color=COLORS["ink"],
            zorder=6,
            bbox=_BOX,
        )


# --------------------------------------------------------------------------
# plotly
# --------------------------------------------------------------------------


def _plotly_labels(st: pd.DataFrame, stops_all: pd.DataFrame) -> list[str]:
    """Text per place for plotly, which cannot keep labels apart by itself.

    Places inside :data:`ZOOM` get no text; elsewhere the places named by
    more actions are labelled first, and a place too close to a labelled one
    is left to its hover text. Places within 0.12 degrees share one label.
    """
    weight = {
        pid: sum(len([x for x in ids.split(", ") if x]) for ids in grp["action_ids"])
        for pid, grp in stops_all.groupby("place_id")
    }
    order = sorted(range(len(st)), key=lambda i: (-weight.get(st["place_id"].iloc[i], 0), i))
    texts = [""] * len(st)
    shown: list[int] = []
    for i in order:
        r = st.iloc[i]
        if _inside(r["lon"], r["lat"], ZOOM):
            continue
        twin = [
            j for j in shown if abs(st["lon"].iloc[j] - r["lon"]) < 0.12 and abs(st["lat"].iloc[j] - r["lat"]) < 0.12
        ]
        if twin:
            texts[twin[0]] += " / " + charts.plotly_text(place_label(r))
            continue
        if any(abs(st["lon"].iloc[j] - r["lon"]) < 0.75 and abs(st["lat"].iloc[j] - r["lat"]) < 0.3 for j in shown):
            continue
        texts[i] = charts.plotly_text(place_label(r))
        shown.append(i)
    return texts


def _sparse(ctx: pd.DataFrame, stop_frame: pd.DataFrame) -> list[str]:
    """Names of other towns for plotly, left out where they would sit on a route label or another town's."""
    taken = list(zip(stop_frame["lon"], stop_frame["lat"]))
    out = []
    for _, r in ctx.iterrows():
        if _inside(r["lon"], r["lat"], ZOOM) or any(
            abs(x - r["lon"]) < 0.75 and abs(y - r["lat"]) < 0.3 for x, y in taken
        ):
            out.append("")
            continue
        out.append(charts.plotly_text(place_label(r)))
        taken.append((r["lon"], r["lat"]))
    return out


def _fmt_men(value, basis) -> str:
    if value is None or not np.isfinite(value):
        return "no figure"
    word = {"sourced": "sourced", "interpolated": "interpolated", "held": "held from the nearest figure"}
    return f"{value:,.0f} ({word.get(basis, basis)})"


def _band_plotly(fig, stop_widths, seg, scale, where: dict, legend: bool = True) -> None:
    """The band as filled polygons, hover on each stretch; ``where`` is ``dict(row=, col=)``
    or the axes of an inset (``dict(xaxis="x3", yaxis="y3")``)."""
    import plotly.graph_objects as go

    on_grid = "row" in where
    shown = set()
    for _, p in band_pieces(stop_widths, seg, scale).iterrows():
        color = COLORS.get(p["direction"], COLORS["none"])
        name = {"west": "marching west", "east": "marching east"}.get(p["direction"], "no direction")
        trace = go.Scatter(
            x=p["polygon"][:, 0],
            y=p["polygon"][:, 1],
            mode="lines",
            fill="toself",
            fillcolor=color,
            line=dict(width=0, color=color),
            name=name,
            legendgroup=name,
            showlegend=legend and name not in shown,
            hoverinfo="text" if p["kind"] == "segment" else "skip",
            hoveron="fills",
            text=charts.hover_html(
                p["label"],
                {
                    "unit": route.BRANCH_LABELS.get(p["branch"], p["branch"]),
                    "strength leaving": _fmt_men(p["men0"], p["basis0"]),
                    "strength arriving": _fmt_men(p["men1"], p["basis1"]),
                },
            )
            if p["kind"] == "segment"
            else None,
            **({} if on_grid else where),
        )
        fig.add_trace(trace, **(where if on_grid else {}))
        shown.add(name)


def corridor(stop_widths: pd.DataFrame, margin=CORRIDOR_MARGIN) -> tuple[float, float, float, float]:
    """The box the interactive map opens on: the main band (crossing to split) with a small margin."""
    return extent(stop_widths[stop_widths["branch"] == route.MAIN], margin)


def _inset_text_positions(labels: pd.DataFrame, near: float = 0.35) -> list[str]:
    """Plotly text positions for the inset's place names: right of the point, except for the
    western one of two places at about the same latitude, whose name goes above, out of the way."""
    out = []
    for _, r in labels.iterrows():
        east = labels[(labels["lon"] > r["lon"]) & (labels["lon"] - r["lon"] < near)]
        crowded = (abs(east["lat"] - r["lat"]) < 0.1).any()
        out.append("top center" if crowded else "middle right")
    return out


def _inset_plotly(fig, stop_widths, seg, figs, cite, zoom, map_domain) -> None:
    """The ``zoom`` box enlarged in the map's lower-left corner (axes x3/y3), the band at
    :data:`ZOOM_SCALE` of its width, with its places and sourced figures; the box outlined on the map."""
    import plotly.graph_objects as go

    axes = dict(xaxis="x3", yaxis="y3")
    height = (map_domain[1] - map_domain[0]) * 0.42
    y0 = map_domain[0] + 0.005
    # a white ground, so the map underneath does not show through the inset
    fig.add_trace(
        go.Scatter(
            x=[zoom[0] - 1, zoom[1] + 1, zoom[1] + 1, zoom[0] - 1, zoom[0] - 1],
            y=[zoom[2] - 1, zoom[2] - 1, zoom[3] + 1, zoom[3] + 1, zoom[2] - 1],
            fill="toself",
            fillcolor="white",
            mode="none",
            hoverinfo="skip",
            showlegend=False,
            **axes,
        )
    )
    for line in geo.load()["rivers"]:
        fig.add_trace(
            go.Scatter(
                x=line[:, 0],
                y=line[:, 1],
                mode="lines",
                line=dict(color=WATER, width=1),
                hoverinfo="skip",
                showlegend=False,
                **axes,
            )
        )
    _band_plotly(fig, stop_widths, seg, DEG_PER_MAN * ZOOM_SCALE, axes, legend=False)
    labels = _place_labels(stop_widths)
    inside = labels[[_inside(x, y, zoom) for x, y in zip(labels["lon"], labels["lat"])]]
    fig.add_trace(
        go.Scatter(
            x=inside["lon"],
            y=inside["lat"],
            mode="markers+text",
            marker=dict(size=5, color=COLORS["ink"]),
            text=[charts.plotly_text(place_label(r)) for _, r in inside.iterrows()],
            textposition=_inset_text_positions(inside),
            textfont=dict(size=10),
            hovertext=[charts.plotly_text(place_label(r)) for _, r in inside.iterrows()],
            hoverinfo="text",
            showlegend=False,
            **axes,
        )
    )
    marks = sourced_marks(stop_widths, figs)
    marks = marks[[_inside(x, y, zoom) for x, y in zip(marks["lon"], marks["lat"])]]
    if not marks.empty:
        fig.add_trace(
            go.Scatter(
                x=marks["lon"],
                y=marks["lat"],
                mode="markers",
                marker=dict(size=7, color=COLORS["ink"], line=dict(color="white", width=1)),
                hovertext=[_mark_hover(m, cite) for _, m in marks.iterrows()],
                hoverinfo="text",
                showlegend=False,
                **axes,
            )
        )
    box_style = dict(showticklabels=False, showgrid=False, ticks="", zeroline=False, showline=True, mirror=True)
    fig.update_layout(
        xaxis3=dict(domain=[0.0, 0.3], anchor="y3", range=[zoom[0], zoom[1]], linecolor=COLORS["ink"], **box_style),
        yaxis3=dict(
            domain=[y0, y0 + height],
            anchor="x3",
            range=[zoom[2], zoom[3]],
            scaleanchor="x3",
            scaleratio=1 / _k((zoom[2] + zoom[3]) / 2),
            constrain="range",
            linecolor=COLORS["ink"],
            **box_style,
        ),
    )
    fig.add_annotation(
        x=0,
        xref="x3 domain",
        y=1,
        yref="y3 domain",
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        text="the box, enlarged (band at a third of the width)",
        font=dict(size=10),
    )
    fig.add_shape(
        type="rect",
        x0=zoom[0],
        x1=zoom[1],
        y0=zoom[2],
        y1=zoom[3],
        line=dict(color=COLORS["ink"], width=1),
        xref="x",
        yref="y",
    )


def _locator_plotly(fig, box, map_domain) -> None:
    """Where the map lies in China (axes x4/y4, top right of the map; modern borders, Natural Earth)."""
    import plotly.graph_objects as go

    axes = dict(xaxis="x4", yaxis="y4")
    outlines = geo.locator()
    xs, ys = [], []
    for line in outlines["others"]:
        xs += [*line[:, 0], None]
        ys += [*line[:, 1], None]

    def outline(x, y, color: str, width: float, fill: str | None = None):
        """A line drawn only for orientation: no hover, no legend entry."""
        filled = dict(fill="toself", fillcolor=fill) if fill else {}
        return go.Scatter(
            x=x, y=y, mode="lines", line=dict(color=color, width=width),
            hoverinfo="skip", showlegend=False, **filled, **axes,
        )  # fmt: skip

    fig.add_trace(outline([72, 136, 136, 72, 72], [16, 16, 55, 55, 16], COLORS["guide"], 0.6, fill="white"))
    fig.add_trace(outline(xs, ys, COLORS["none"], 0.5))
    for part in outlines["china"]:
        fig.add_trace(outline(part[:, 0], part[:, 1], COLORS["guide"], 0.6, fill=COLORS["grid"]))
    fig.add_trace(
        go.Scatter(
            x=[box[0], box[1], box[1], box[0], box[0]],
            y=[box[2], box[2], box[3], box[3], box[2]],
            mode="lines",
            line=dict(color=COLORS["ink"], width=1.5),
            hoverinfo="text",
            hovertext="the map's area, in China (today's borders)",
            name="locator",
            showlegend=False,
            **axes,
        )
    )
    hidden = dict(showticklabels=False, showgrid=False, ticks="", zeroline=False, visible=False, fixedrange=True)
    top = map_domain[1]
    fig.update_layout(
        xaxis4=dict(
            domain=[0.8, 1.0], anchor="y4", range=[72, 136], constrain="domain", constraintoward="right", **hidden
        ),
        yaxis4=dict(
            domain=[top - (top - map_domain[0]) * 0.26, top],
            anchor="x4",
            range=[16, 55],
            scaleanchor="x4",
            scaleratio=1 / _k(35),
            constrain="domain",
            constraintoward="top",
            **hidden,
        ),
    )


def _mark_hover(m, cite) -> str:
    """Hover text of a sourced figure on the band: words, unit, date, value drawn, source and grade, the others."""
    return charts.hover_html(
        f"{m['id']}: {route.phrase(m)} men",
        {
            "unit": route.BRANCH_LABELS.get(m["unit"], m["unit"]),
            "date": f"{m['date']:%d %b %Y} ({m['date_precision']})",
            "drawn at": f"{m['value']:,.0f}",
            "source": f"{cite(m)} [{m['confidence']}]",
            "other figures": m["alternatives"],
        },
    )


def figure_plotly(
    stop_widths: pd.DataFrame,
    seg: pd.DataFrame,
    figs: pd.DataFrame,
    places: pd.DataFrame | None = None,
    cite: Callable[[dict], str] | None = None,
    events: pd.DataFrame | None = None,
    title: str | None = None,
    zoom=ZOOM,
):
    """The same chart in plotly: hover a stop, a segment or a sourced figure for details.

    It opens on the corridor (:func:`corridor`; double-click for the whole
    route), with the ``zoom`` box enlarged in an inset, a km scale bar, a
    locator (where the map lies in China) and no longitude or latitude axes.
    ``title`` states the finding (:func:`wra.analysis.route.finding`)."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    if cite is None:
        from wra.record.sources import cite
    box = extent(stop_widths)
    mid_lat = (box[2] + box[3]) / 2
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.62, 0.38], vertical_spacing=0.04)

    layers = geo.load()
    styles = {
        "rivers": dict(color=WATER, width=1),
        "provinces": dict(color=COLORS["none"], width=0.8, dash="dash"),
        "border": dict(color=COLORS["guide"], width=1, dash="dashdot"),
    }
    for name, style in styles.items():
        xs, ys = [], []
        for line in layers[name]:
            xs += [*list(line[:, 0]), None]
            ys += [*list(line[:, 1]), None]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                line=style,
                name=geo.LAYER_LABELS[name],
                hoverinfo="skip",
                legendgroup="geo",
                showlegend=True,
            ),
            row=1,
            col=1,
        )
    for lab in geo.LABELS:
        if box[0] <= lab.lon <= box[1] and box[2] <= lab.lat <= box[3]:
            fig.add_annotation(
                x=lab.lon,
                y=lab.lat,
                text=charts.plotly_text(lab.text),
                showarrow=False,
                textangle=-lab.rotation,
                font=dict(size=10, color=WATER if lab.kind == "river" else COLORS["guide"]),
                row=1,
                col=1,
            )

    _band_plotly(fig, stop_widths, seg, DEG_PER_MAN, dict(row=1, col=1))

    if places is not None:
        ctx = context_places(places, stop_widths, box)
        fig.add_trace(
            go.Scatter(
                x=ctx["lon"],
                y=ctx["lat"],
                mode="markers+text",
                marker=dict(symbol="square", size=6, color=COLORS["guide"]),
                text=_sparse(ctx, stop_widths),
                textposition="bottom right",
                hovertext=[charts.plotly_text(place_label(r)) for _, r in ctx.iterrows()],
                textfont=dict(size=10, color=COLORS["guide"]),
                name="other towns",
                hoverinfo="text",
            ),
            row=1,
            col=1,
        )

    st = _place_labels(stop_widths)
    hover = [
        charts.hover_html(
            f"{r['name_en']} {r['name_zh']} ({r['name_pinyin']})",
            {
                "dates": ", ".join(
                    f"{a:%d %b %Y}" + (f" – {b:%d %b %Y}" if b > a else "")
                    for a, b in stop_widths.loc[
                        stop_widths["place_id"] == r["place_id"], ["arrive", "leave"]
                    ].itertuples(index=False)
                ),
                "actions": ", ".join(
                    x for x in stop_widths.loc[stop_widths["place_id"] == r["place_id"], "action_ids"] if x
                ),
                "position": f"{r['lat']:.2f}°N {r['lon']:.2f}°E",
            },
        )
        for _, r in st.iterrows()
    ]
    fig.add_trace(
        go.Scatter(
            x=st["lon"],
            y=st["lat"],
            mode="markers+text",
            marker=dict(size=5, color=COLORS["ink"]),
            text=_plotly_labels(st, stop_widths),
            textposition="top center",
            textfont=dict(size=10),
            hovertext=hover,
            hoverinfo="text",
            name="places on the route",
        ),
        row=1,
        col=1,
    )

    marks = sourced_marks(stop_widths, figs)
    mh = [_mark_hover(m, cite) for _, m in marks.iterrows()]
    fig.add_trace(
        go.Scatter(
            x=marks["lon"],
            y=marks["lat"],
            mode="markers",
            marker=dict(size=8, color=COLORS["ink"], line=dict(color="white", width=1)),
            hovertext=mh,
            hoverinfo="text",
            name="sourced figure",
        ),
        row=1,
        col=1,
    )

    # time panel
    for _, g in seg.iterrows():
        color = COLORS.get(g["direction"], COLORS["none"])
        fig.add_trace(
            go.Scatter(
                x=[g["lon0"], g["lon1"]],
                y=[g["date0"], g["date1"]],
                mode="lines",
                line=dict(color=color, width=3 if g["branch"] == route.MAIN else 2),
                showlegend=False,
                hoverinfo="text",
                text=charts.hover_html(
                    f"{g['from_en']} → {g['to_en']}",
                    {
                        "dates": f"{g['date0']:%d %b %Y} – {g['date1']:%d %b %Y}",
                        "distance": f"{g['km']:,.0f} km (great circle)",
                    },
                ),
            ),
            row=2,
            col=1,
        )
    xs, ys = [], []
    for _, s in stop_widths.iterrows():
        xs += [s["lon"], s["lon"], None]
        ys += [s["arrive"], s["leave"], None]
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines+markers",
            line=dict(color=COLORS["ink"], width=3),
            marker=dict(size=4, color=COLORS["ink"]),
            name="staying",
            hoverinfo="skip",
        ),
        row=2,
        col=1,
    )
    if events is not None:
        for _, e in events.iterrows():
            fig.add_hline(
                y=e["date"].timestamp() * 1000, line=dict(color=COLORS["guide"], dash="dot", width=1), row=2, col=1
            )
        for when, label in _event_labels(events):
            fig.add_annotation(
                x=1.0,
                xref="x2 domain",
                y=when.timestamp() * 1000,
                yref="y2",
                text=label,
                showarrow=False,
                xanchor="right",
                yanchor="bottom",
                font=dict(size=10, color=COLORS["guide"]),
            )
    view = corridor(stop_widths)
    hidden = dict(showticklabels=False, showgrid=False, ticks="", zeroline=False, showline=True, mirror=True)
    fig.update_xaxes(range=[view[0], view[1]], linecolor=COLORS["guide"], **hidden, row=1, col=1)
    fig.update_xaxes(
        range=[view[0], view[1]],
        title_text="west ← as on the map above → east",
        showticklabels=False,
        showgrid=False,
        ticks="",
        row=2,
        col=1,
    )
    # equal-aspect map that keeps its frame: on a wide page it shows more longitude (the time
    # panel below shares the axis, so both show the same), on a narrow one more latitude. The
    # frame never shrinks, so the inset and the locator stay in its corners.
    fig.update_yaxes(
        range=[view[2], view[3]],
        scaleanchor="x",
        scaleratio=1 / _k(mid_lat),
        constrain="range",
        linecolor=COLORS["guide"],
        **hidden,
        row=1,
        col=1,
    )
    fig.update_yaxes(autorange="reversed", tickformat="%b %Y", row=2, col=1)
    map_domain = list(fig.layout.yaxis.domain)
    _inset_plotly(fig, stop_widths, seg, figs, cite, zoom, map_domain)
    _locator_plotly(fig, box, map_domain)
    bar = scale_bar(view, where=(0.42, 0.04))
    fig.add_shape(
        type="line",
        x0=bar["lon"],
        x1=bar["lon"] + bar["dlon"],
        y0=bar["lat"],
        y1=bar["lat"],
        line=dict(color=COLORS["ink"], width=4),
        name="scalebar",
        row=1,
        col=1,
    )
    fig.add_annotation(
        x=bar["lon"] + bar["dlon"] / 2,
        y=bar["lat"],
        text=f"{bar['km']:,} km",
        showarrow=False,
        yanchor="bottom",
        yshift=3,
        font=dict(size=11),
        row=1,
        col=1,
    )
    far = stop_widths[stop_widths["branch"] != route.MAIN]
    if not far.empty and far["lon"].min() < view[0]:
        end = far.sort_values("arrive").iloc[-1]
        fig.add_annotation(
            x=0.01,
            xref="x domain",
            y=0.99,
            yref="y domain",
            xanchor="left",
            yanchor="top",
            align="left",
            showarrow=False,
            text=(
                f"← {charts.plotly_text(route.BRANCH_LABELS.get(end['branch'], end['branch']))} marches on west "
                f"to {charts.plotly_text(place_label(end))}:<br>double-click the map for the whole route"
            ),
            font=dict(size=11, color=COLORS["ink"]),
            bgcolor="rgba(255,255,255,0.85)",
        )
    fig.update_layout(
        title=charts.plotly_title(title, SUBTITLE) if title else dict(text=TITLE, x=0.01, xanchor="left"),
        height=1000,
        legend=dict(orientation="h", y=-0.08),
        hovermode="closest",
        margin=dict(t=charts.plotly_title_margin(title, SUBTITLE) if title else 40, l=70),
    )
    return fig
