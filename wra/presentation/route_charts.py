"""The route map of the march, after Minard: the route as a band on a map, the dates below.

One plotly figure (:func:`figure`) draws the whole route, from the crossing of
the Yellow River to Xingxingxia on the Xinjiang border. The band follows the
route on longitude/latitude; its width is the strength of the branch
(:func:`wra.analysis.route.widths`), its colour the direction of each segment
(west or east). Sourced figures are dots on the band, labelled with the figure
and its date; everything between them is interpolated, and the hover text
says so. Around the band: place names (English and Chinese), other towns for
context, provinces, rivers and modern borders, a km scale bar, a width key, a
locator (where the map lies in China) and an inset that enlarges the battles
around Gaotai, Nijiayingzi and Shiwo. A panel below shares the longitude axis
and plots the date at each place, as Minard's temperature panel does, with the
stays and the milestones.

Plotly keeps no label clear of another by itself, so the labels are placed
here, as on a printed map (:class:`Placer`), in the pixels of the chart as drawn
at each width (:class:`Frame`; text extents are estimated from the house
font). The laptop drawing is the figure's own; the phone drawing (a taller map,
fewer labels, a smaller inset and locator) is its phone patch
(:func:`wra.presentation.figures.on_phone`), every label being a named
annotation.

Geography comes from :mod:`wra.presentation.geo` (shipped, offline), drawn with
plain ``go.Scatter`` traces on longitude/latitude axes: no tiles, no geo
traces, so the book's partial plotly.js bundle draws it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from wra.analysis import route
from wra.presentation import charts, figures, geo, style
from wra.presentation.style import COLORS
from wra.record import sources
from wra.record.names import place_label, short_place_label

#: band width, in degrees of latitude per man (22,000 men -> 0.3 degrees)
DEG_PER_MAN = 0.30 / 22000
#: thinnest band drawn, as a share of the scale's 1,000 men, so a few hundred men still show
MIN_MEN = 300
#: the box the inset enlarges (lon_min, lon_max, lat_min, lat_max): Linze, Gaotai, Nijiayingzi, Shiwo
#: (widened east and west to the inset's own aspect)
ZOOM = (99.62, 100.52, 38.56, 39.47)
#: the inset draws the band at this fraction of the main map's scale
ZOOM_SCALE = 1 / 3
#: men shown by the width key
KEY_MEN = 10000
WATER = COLORS["water"]
#: the title when the caller states no finding (see :func:`wra.analysis.route.finding`)
TITLE = "The march as a band: width is strength, colour is direction"
#: the subtitle under a finding
SUBTITLE = "The march as a band (width: strength; colour: direction), and the date at each place below"
ROUTE_MARGIN = (0.7, 0.9, 0.6, 0.55)  # west, east, south, north, degrees
#: the time panel's axis title, on a laptop and on a phone
TIME_AXIS = "west ← the same east-west position as on the map above → east"
TIME_AXIS_PHONE = "west ← as on the map above → east"
INSET_TITLE = "the box, enlarged<br>(band at a third of the width)"
INSET_TITLE_PHONE = "the box, enlarged"
#: legend entries, and their shorter names on a phone
LEGEND = {
    "staying": ("staying at a place", "staying"),
    "provinces": ("province border (modern)", "province border"),
    "border": ("national border (modern)", "national border"),
}
#: the places the chapter's overview names: labelled first, and always
NAMED_PLACES = frozenset(
    {
        "hubaokou", "jingyuan", "gulang", "yongchang", "shandan", "linze_fuyi", "gaotai", "nijiayingzi",
        "liyuankou", "shiwo", "anxi", "xingxingxia",
    }
)  # fmt: skip
#: the places a phone names (the ends, the long stays, the turn; the hover text names every place)
PHONE_PLACES = frozenset({"hubaokou", "gulang", "shandan", "gaotai", "nijiayingzi", "shiwo", "anxi", "xingxingxia"})
#: geographic labels a phone leaves out (the caption names them)
PHONE_GEO_DROP = ("region",)
#: text sizes (CSS px) on a laptop and on a phone
SIZES = {
    "wide": dict(place=11, figure=10.5, town=10, note=10.5, geo=10.5, province=11.5, time=10, inset=10),
    "phone": dict(place=10.5, figure=10, town=10, note=10, geo=10, province=10.5, time=10, inset=10),
}
#: average advance of a Latin character of the house font (DejaVu Sans) as a share of the font
#: size, a little over its mean so an estimate errs wide; a Chinese character is one em
LATIN_EM = 0.6


def _k(lat: float) -> float:
    """Horizontal stretch that makes a degree of longitude as long as a degree of latitude."""
    return math.cos(math.radians(lat))


# --------------------------------------------------------------------------
# the band and the map's geometry
# --------------------------------------------------------------------------


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
    """Every polygon of the band: one per segment plus a round joint at each end.

    Columns: branch, kind (segment | joint), direction, polygon, men0, men1,
    basis0, basis1, label. Draw in order (main branch first).
    """
    rows = []
    for branch in stop_widths["branch"].drop_duplicates():
        s = stop_widths[stop_widths["branch"] == branch].reset_index(drop=True)
        g = seg[seg["branch"] == branch].reset_index(drop=True)
        for i, sg in g.iterrows():
            a, b = s.iloc[i], s.iloc[i + 1]
            ends = (a["value_leave"], b["value_arrive"], a["basis_leave"], b["basis_arrive"])
            polygon = band_polygon(*sg[["lon0", "lat0", "lon1", "lat1"]], *(width_deg(m, scale) for m in ends[:2]))
            label = f"{sg['from_en']} {sg['from_zh']} → {sg['to_en']} {sg['to_zh']}"
            rows.append((branch, "segment", sg["direction"], polygon, *ends, label))
            for stop, side in ((b, "arrive"), (a, "leave")):
                men, basis = stop[f"value_{side}"], stop[f"basis_{side}"]
                joint = disk(stop["lon"], stop["lat"], width_deg(men, scale))
                label = f"{stop['name_en']} {stop['name_zh']}"
                rows.append((branch, "joint", sg["direction"], joint, men, men, basis, basis, label))
    return pd.DataFrame(rows, columns="branch kind direction polygon men0 men1 basis0 basis1 label".split())


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


def _inside(lon, lat, box) -> bool:
    return box[0] <= lon <= box[1] and box[2] <= lat <= box[3]


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


# --------------------------------------------------------------------------
# where things sit at one width, in pixels
# --------------------------------------------------------------------------

Box = tuple[float, float, float, float]  # x0, y0, x1, y1: CSS pixels from the figure's top left


def text_size(text: str, size: float) -> tuple[float, float]:
    """Estimated (width, height) in pixels of a label (:func:`wra.presentation.figures.text_size` at the
    map's measure: :data:`LATIN_EM` a Latin character, one em a Chinese one, a pixel around)."""
    return figures.text_size(text, size, em=LATIN_EM, wide=1.0, pad=1.0)


def overlap(a: Box, b: Box) -> float:
    """Overlap area of two boxes (0 if apart)."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _grow(box: Box, by: float) -> Box:
    return (box[0] - by, box[1] - by, box[2] + by, box[3] + by)


@dataclass(frozen=True)
class Frame:
    """Where the chart's parts sit at one width, in CSS pixels from the figure's top left.

    The map (longitude ``lon`` x latitude ``lat``) fills the width above the
    time panel (``dates`` from top to bottom); both share the longitude axis.
    ``map_dom``, ``time_dom`` are y domains, ``inset`` and ``locator``
    (x0, x1, y0, y1) domains, ``key_at`` the top right corner of the width key
    and the scale bar, in paper fractions; ``zoom`` is the box the inset shows.
    """

    name: str
    width: int
    height: int
    margin: dict
    lon: tuple[float, float]
    lat: tuple[float, float]
    dates: tuple[pd.Timestamp, pd.Timestamp]
    map_dom: tuple[float, float]
    time_dom: tuple[float, float]
    inset: tuple[float, float, float, float]
    locator: tuple[float, float, float, float]
    zoom: tuple[float, float, float, float]
    key_at: tuple[float, float] = (1.0, 1.0)

    @property
    def phone(self) -> bool:
        return self.name == style.PHONE.name

    @property
    def sizes(self) -> dict:
        return SIZES[self.name]

    @property
    def plot_h(self) -> float:
        return self.height - self.margin["t"] - self.margin["b"]

    def box(self, xdom, ydom) -> Box:
        """The pixels of a part given by its x and y domains."""
        plot_w = self.width - self.margin["l"] - self.margin["r"]
        x0, x1 = (self.margin["l"] + d * plot_w for d in xdom)
        y1, y0 = (self.margin["t"] + (1 - d) * self.plot_h for d in ydom)
        return (x0, y0, x1, y1)

    @property
    def map_box(self) -> Box:
        return self.box((0, 1), self.map_dom)

    @property
    def time_box(self) -> Box:
        return self.box((0, 1), self.time_dom)

    @property
    def inset_box(self) -> Box:
        return self.box(self.inset[:2], self.inset[2:])

    @property
    def locator_box(self) -> Box:
        return self.box(self.locator[:2], self.locator[2:])

    @staticmethod
    def _to_px(box: Box, xr, yr, x, y, down: bool = False) -> tuple[float, float]:
        """Pixels of (x, y) in a part showing the ranges ``xr`` and ``yr`` (y up, or ``down``)."""
        fx, fy = (x - xr[0]) / (xr[1] - xr[0]), (y - yr[0]) / (yr[1] - yr[0])
        py = box[1] + fy * (box[3] - box[1]) if down else box[3] - fy * (box[3] - box[1])
        return box[0] + fx * (box[2] - box[0]), py

    def map_px(self, lon, lat) -> tuple[float, float]:
        return self._to_px(self.map_box, self.lon, self.lat, lon, lat)

    def inset_px(self, lon, lat) -> tuple[float, float]:
        return self._to_px(self.inset_box, self.zoom[:2], self.zoom[2:], lon, lat)

    def time_px(self, lon, when) -> tuple[float, float]:
        days = (pd.Timestamp(when) - self.dates[0]) / pd.Timedelta(days=1)
        return self._to_px(self.time_box, self.lon, (0, (self.dates[1] - self.dates[0]).days), lon, days, down=True)

    def map_lonlat(self, px, py) -> tuple[float, float]:
        x0, y0, x1, y1 = self.map_box
        return (
            self.lon[0] + (px - x0) / (x1 - x0) * (self.lon[1] - self.lon[0]),
            self.lat[0] + (y1 - py) / (y1 - y0) * (self.lat[1] - self.lat[0]),
        )

    def px_per_lat(self) -> float:
        box = self.map_box
        return (box[3] - box[1]) / (self.lat[1] - self.lat[0])


def frame(width: style.Width, title: str, subtitle: str | None, box, dates, zoom=ZOOM) -> Frame:
    """The chart's :class:`Frame` at ``width``: the map at its true aspect over the time panel.

    On a laptop the map shows more latitude south of the route than the route
    needs, room for the inset in the south-west corner below the Left
    Detachment's thread; the locator, with the width key and the scale bar under
    it, takes the empty north-east corner. On a phone the map is too small for
    both: the inset and the locator stand in a row of their own under it, the
    key and the scale bar in the map's north-east corner. The inset shows the
    zoom box widened to its own aspect, which leaves its labels room beside the
    band.
    """
    phone = width is style.PHONE
    top = figures.title_room(title, subtitle, width)
    pad = 4
    if phone:
        margin, time_h, gap, row_h, row_gap = dict(l=40, r=8, t=top, b=118), 250, 34, 150, 26
        lat = (max(geo.BBOX[2], box[2] - 0.35), min(geo.BBOX[3], box[3] + 0.35))
    else:
        margin, time_h, gap, row_h, row_gap = dict(l=70, r=12, t=top, b=92), 260, 36, 0, 0
        lat = (max(geo.BBOX[2], box[2] - 0.9), box[3])
    plot_w = width.width - margin["l"] - margin["r"]
    map_h = plot_w * (lat[1] - lat[0]) / ((box[1] - box[0]) * _k((box[2] + box[3]) / 2))
    height = round(top + map_h + row_gap + row_h + gap + time_h + margin["b"])
    plot_h = height - top - margin["b"]
    map_dom = (1 - map_h / plot_h, 1.0)
    loc_w = 84 if phone else 136
    loc_h = loc_w * 39 / (64 * _k(35))
    if phone:
        row = ((time_h + gap) / plot_h, (time_h + gap + row_h) / plot_h)
        inset_h, inset_w = row_h, plot_w * 0.58
        inset = (0.0, inset_w / plot_w, *row)
        locator = (1 - loc_w / plot_w, 1.0, row[1] - loc_h / plot_h, row[1])
        key_at = (1 - pad / plot_w, 1.0)
    else:
        inset_h, inset_w = map_h * 0.5, plot_w * 0.42
        across = (pad / plot_w, (pad + inset_w) / plot_w)
        inset = (*across, map_dom[0] + pad / plot_h, map_dom[0] + (pad + inset_h) / plot_h)
        locator = (1 - (pad + loc_w) / plot_w, 1 - pad / plot_w, 1 - (pad + loc_h) / plot_h, 1 - pad / plot_h)
        key_at = (locator[1], locator[2])
    # a little more latitude gives the names at the box's edges room (Gaotai at its top, Shiwo at its foot)
    lat0, lat1 = (zoom[2] - 0.1, zoom[3] + 0.06) if phone else (zoom[2] - 0.1, zoom[3])
    half = inset_w / (inset_h / (lat1 - lat0) * _k((lat0 + lat1) / 2)) / 2
    middle = (zoom[0] + zoom[1]) / 2
    return Frame(
        name=width.name,
        width=width.width,
        height=height,
        margin=margin,
        lon=(box[0], box[1]),
        lat=lat,
        dates=dates,
        map_dom=map_dom,
        time_dom=(0.0, time_h / plot_h),
        inset=inset,
        locator=locator,
        zoom=(min(zoom[0], middle - half), max(zoom[1], middle + half), lat0, lat1),
        key_at=key_at,
    )


# --------------------------------------------------------------------------
# label placement
# --------------------------------------------------------------------------

#: where a label may go around its point: (dx, dy) in pixels (dy up), xanchor, yanchor; near
#: first, then farther with a leader line (never at 45°: plotly.js draws no leader that meets
#: a label's corner exactly diagonally)
SPOTS = [
    (0, 6, "center", "bottom"),
    (0, -6, "center", "top"),
    (7, 0, "left", "middle"),
    (-7, 0, "right", "middle"),
    (5, 4, "left", "bottom"),
    (5, -4, "left", "top"),
    (-5, 4, "right", "bottom"),
    (-5, -4, "right", "top"),
]
_CORNERS = [("left" if sx > 0 else "right", "bottom" if sy > 0 else "top", sx, sy) for sx in (1, -1) for sy in (1, -1)]
FAR = [(dx * 3.2, dy * 3.2, ha, va) for dx, dy, ha, va in SPOTS]
FARTHER = [
    *((dx * 6, dy * 6, ha, va) for dx, dy, ha, va in SPOTS),
    *((sx * 36, sy * 18, ha, va) for ha, va, sx, sy in _CORNERS),
    *((dx * 9, dy * 9, ha, va) for dx, dy, ha, va in SPOTS),
    *((sx * 60, sy * 40, ha, va) for ha, va, sx, sy in _CORNERS),
    *((dx * 13, dy * 13, ha, va) for dx, dy, ha, va in SPOTS),
]
#: pixels kept free left and right of a label (so two labels on a line never read as one)
GAP = 6


@dataclass
class Spot:
    """Where a label went: its text, anchor, offset (dy up), whether a leader points to it, its box."""

    text: str
    dx: float
    dy: float
    xanchor: str
    yanchor: str
    leader: bool
    box: Box


@dataclass
class Item:
    """A label to place: its point (pixels), its texts (alternatives, e.g. one line and two), its size,
    whether it must show, how far from its point it may go (0 near, 1 a little off, 2 farther), its
    rank (placed before every label of a higher rank) and the share of it that may cover the band."""

    key: str
    px: float
    py: float
    texts: list[str]
    size: float
    must: bool = True
    far: int = 2
    rank: int = 0
    soft: float = 0.12


def label_box(px: float, py: float, w: float, h: float, dx: float, dy: float, xanchor: str, yanchor: str) -> Box:
    """The box of a ``w`` x ``h`` label anchored ``(dx, dy)`` pixels (dy up) from ``(px, py)``."""
    x = px + dx - {"left": 0, "center": w / 2, "right": w}[xanchor]
    y = py - dy - {"top": 0, "middle": h / 2, "bottom": h}[yanchor]
    return (x, y, x + w, y + h)


def band_mask(shape: tuple[int, int], stop_widths: pd.DataFrame, to_px, px_per_deg: float, scale: float):
    """The pixels the band covers (a boolean array of ``shape``: rows, columns): each stretch as wide
    as it is at each end, with round ends (the joints)."""
    mask = np.zeros(shape, dtype=bool)
    for branch in stop_widths["branch"].drop_duplicates():
        s = stop_widths[stop_widths["branch"] == branch].reset_index(drop=True)
        for i in range(len(s) - 1):
            a, b = s.iloc[i], s.iloc[i + 1]
            p0, p1 = np.array(to_px(a["lon"], a["lat"])), np.array(to_px(b["lon"], b["lat"]))
            r0, r1 = (max(1.5, 0.5 * px_per_deg * width_deg(m, scale)) for m in (a["value_leave"], b["value_arrive"]))
            lo = np.clip(np.floor(np.minimum(p0, p1) - max(r0, r1) - 1), 0, None).astype(int)
            hi = np.clip(np.ceil(np.maximum(p0, p1) + max(r0, r1) + 1), 0, [shape[1], shape[0]]).astype(int)
            if (hi <= lo).any():
                continue
            ys, xs = np.mgrid[lo[1] : hi[1], lo[0] : hi[0]] + 0.5
            d = p1 - p0
            t = np.clip(((xs - p0[0]) * d[0] + (ys - p0[1]) * d[1]) / (d @ d or 1.0), 0, 1)
            near = np.hypot(xs - p0[0] - t * d[0], ys - p0[1] - t * d[1]) <= r0 + t * (r1 - r0)
            mask[lo[1] : hi[1], lo[0] : hi[0]] |= near
    return mask


class Placer:
    """Greedy label placement in pixels, as a cartographer places names.

    ``frame`` is the box labels stay inside. What they should not cover is hard
    (another label, a point, a note, the inset: :meth:`block`) or soft (the
    pixels of ``soft``, a boolean array: the band, which a label with a halo may
    cross a little). A spot is free when it covers nothing hard and no more of
    the band than the item's ``soft`` share; a leader line may cross nothing
    hard, and little of the band, either. :meth:`place_all` places the
    label with the fewest free spots first (one with none waits: it will take a
    leader line), at the free spot that takes least from the labels still to
    place; a label that must show and finds no free spot takes the least
    crowded one.
    """

    def __init__(self, frame: Box, obstacles=(), soft: np.ndarray | None = None):
        self.frame = frame
        self.boxes = np.empty((0, 4))
        self.point = np.empty(0, dtype=bool)
        for b in obstacles:
            self.block(b)
        self.mask = np.zeros((1, 1), dtype=bool) if soft is None else soft
        self.soft = np.pad(self.mask.cumsum(0).cumsum(1), ((1, 0), (1, 0)))

    def block(self, box: Box, point: bool = False) -> None:
        self.boxes = np.vstack([self.boxes, np.asarray(box, dtype=float)[None, :]])
        self.point = np.append(self.point, point)

    def block_points(self, points, radius: float = 3.0) -> None:
        for px, py in points:
            self.block((px - radius, py - radius, px + radius, py + radius), point=True)

    def _own(self, at) -> np.ndarray:
        """The blocked point at ``at`` (a label's own point, which it may touch)."""
        b = self.boxes
        return self.point & (b[:, 0] <= at[0]) & (at[0] <= b[:, 2]) & (b[:, 1] <= at[1]) & (at[1] <= b[:, 3])

    def crowd(self, box: Box, own=None) -> tuple[float, float]:
        """The area of ``box`` over hard obstacles (or out of the frame), and over soft pixels."""
        f, b = self.frame, self.boxes
        outside = max(0, f[0] - box[0]) + max(0, box[2] - f[2]) + max(0, f[1] - box[1]) + max(0, box[3] - f[3])
        w = np.clip(np.minimum(b[:, 2], box[2]) - np.maximum(b[:, 0], box[0]), 0, None)
        h = np.clip(np.minimum(b[:, 3], box[3]) - np.maximum(b[:, 1], box[1]), 0, None)
        hard = ~self._own(own) if own is not None else np.ones(len(b), dtype=bool)
        rows, cols = self.soft.shape
        x0, x1 = (int(np.clip(round(v), 0, cols - 1)) for v in (box[0], box[2]))
        y0, y1 = (int(np.clip(round(v), 0, rows - 1)) for v in (box[1], box[3]))
        c = self.soft
        soft = c[y1, x1] - c[y0, x1] - c[y1, x0] + c[y0, x0]
        return float((w * h)[hard].sum()) + 100 * outside, float(soft)

    def crossed(self, a, b, step: float = 3.0) -> tuple[float, float]:
        """How much a leader line from ``a`` (its point) to ``b`` crosses hard obstacles, and soft pixels
        (a leader across the band weighs about as much as a label over a stretch of it)."""
        t = np.linspace(0, 1, max(3, int(math.dist(a, b) / step)))[1:-1, None]
        pts = np.asarray(a) + t * (np.asarray(b) - np.asarray(a))
        box = self.boxes[~self._own(a)]
        inside = (box[None, :, 0] <= pts[:, None, 0]) & (pts[:, None, 0] <= box[None, :, 2])
        inside &= (box[None, :, 1] <= pts[:, None, 1]) & (pts[:, None, 1] <= box[None, :, 3])
        rows, cols = self.mask.shape
        on_band = self.mask[np.clip(pts[:, 1].astype(int), 0, rows - 1), np.clip(pts[:, 0].astype(int), 0, cols - 1)]
        # the first steps leave the label's own point, which may sit on the band
        return float(inside.any(axis=1).sum()) * step * step, max(0.0, float(on_band.sum()) - 3) * step * 10

    def _rings(self, item: Item):
        """Each ring of spots around the item's point: per spot and text, the area over hard obstacles,
        the share over soft ones (1: as much as the item allows), the spot, and a cost of both."""
        for ring, leader in [(SPOTS, False), (FAR, True), (FARTHER, True)][: 1 + item.far]:
            out = []
            for dx, dy, ha, va in ring:
                for text in item.texts:
                    w, h = text_size(text, item.size)
                    box = label_box(item.px, item.py, w, h, dx, dy, ha, va)
                    hard, soft = self.crowd((box[0] - GAP, box[1] - 1, box[2] + GAP, box[3] + 1), (item.px, item.py))
                    if leader:
                        cross_hard, cross_soft = self.crossed((item.px, item.py), (item.px + dx, item.py - dy))
                        hard, soft = hard + cross_hard, soft + cross_soft
                    share = soft / (w * h) / (item.soft or 1e-9)
                    out.append((hard, share, Spot(text, dx, dy, ha, va, leader, box), 3 * hard + soft))
            yield out

    @staticmethod
    def _free(ring) -> list:
        return [c for c in ring if c[0] == 0 and c[1] <= 1]

    def free_near(self, item: Item) -> tuple[int, list[Box]]:
        """How many spots near a label's point are free, and the boxes of the free spots of the nearest
        ring that has any (what placing another label may take from it)."""
        near = None
        for ring in self._rings(item):
            free = [c[2].box for c in self._free(ring)]
            near = len(free) if near is None else near
            if free:
                return near, free
        return 0, []

    def place(self, item: Item, others: list[list[Box]] = ()) -> Spot | None:
        """Place one label: at the free spot of the nearest ring that takes least of the ``others``
        (the free spots of the labels still to place) and covers least of the band."""

        def cost(c):
            box = _grow(c[2].box, GAP)
            taken = sum(sum(1 for b in boxes if overlap(box, b)) / len(boxes) for boxes in others if boxes)
            return 3 * c[1] + taken

        fallback = None
        for ring in self._rings(item):
            free = self._free(ring)
            if free:
                spot = min(free, key=cost)[2]
                break
            # none free: the spot covering least (a pixel of a label or a point as three of the band)
            least = min(ring, key=lambda c: c[3])
            if fallback is None or least[3] < fallback[3]:
                fallback = least
        else:
            if not item.must or fallback is None:
                return None
            spot = fallback[2]
        self.block(spot.box)
        return spot

    def place_all(self, items: list[Item]) -> dict[str, Spot | None]:
        """Place every item: those that must show first, then by rank, then the one with the fewest free
        spots (one with none waits)."""
        out: dict[str, Spot | None] = {}
        left = list(items)
        while left:
            free = {i.key: self.free_near(i) for i in left}
            must = [i for i in left if i.must] or left
            item = min(must, key=lambda i: (i.rank, not free[i.key][0], free[i.key][0], left.index(i)))
            left.remove(item)
            out[item.key] = self.place(item, [free[i.key][1] for i in left])
        return out


# --------------------------------------------------------------------------
# every label at one width
# --------------------------------------------------------------------------


def _note(x, y, xref: str, yref: str, text: str, size: float, color: str = COLORS["ink"], **kw) -> dict:
    """A plotly annotation: text at a point, no arrow unless asked."""
    return dict(x=x, y=y, xref=xref, yref=yref, text=text, font=dict(size=size, color=color), showarrow=False, **kw)


def _annotation(spot: Spot, x, y, xref: str, yref: str, size: float, color: str = COLORS["ink"], halo=True) -> dict:
    """The annotation of a placed label, on a halo, with a leader line if it stands off its point."""
    ann = _note(
        x, y, xref, yref, spot.text, size, color, xanchor=spot.xanchor, yanchor=spot.yanchor, align=spot.xanchor
    )
    ann.update(borderpad=1, bgcolor=style.rgba("paper", 0.88) if halo else None)
    if spot.leader:
        ann.update(showarrow=True, ax=spot.dx, ay=-spot.dy, arrowhead=0, arrowwidth=1, arrowcolor=COLORS["muted"])
        ann.update(standoff=3, xshift=0, yshift=0)
    else:
        ann.update(xshift=spot.dx, yshift=spot.dy)
    return ann


def _names(row, phone: bool) -> list[str]:
    """A place's label in one line and in two (narrower); on a phone its short name."""
    name = short_place_label(row) if phone else place_label(row)
    return [charts.plotly_text(name), charts.plotly_text(charts.stack_name(name)).replace("\n", "<br>")]


def _groups(rows: pd.DataFrame, at, px: float = 12.0) -> list[tuple[str, float, float, list]]:
    """Places closer than ``px`` on screen share one label (e.g. Hubaokou and Jingyuan, 8 km apart):
    (name, lon, lat, rows) per label, named after its first place."""
    groups: list[tuple[str, float, float, list, tuple]] = []
    for _, s in rows.iterrows():
        where = at(s["lon"], s["lat"])
        hit = next((g for g in groups if math.dist(g[4], where) < px), None)
        if hit:
            hit[3].append(s)
        else:
            groups.append((s["place_id"], s["lon"], s["lat"], [s], where))
    return [g[:4] for g in groups]


def _group_texts(members: list, phone: bool) -> list[str]:
    names = [_names(m, phone) for m in members]
    return names[0] if len(names) == 1 else [" / ".join(n[0] for n in names), " /<br>".join(n[0] for n in names)]


def _mark_groups(marks: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """Sourced figures at one spot of the band share a label, one line each."""
    keys = marks["lon"].round(2).astype(str) + "/" + marks["lat"].round(2).astype(str)
    return [(grp["id"].iloc[0], grp) for _, grp in marks.groupby(keys, sort=False)]


def _mark_text(grp: pd.DataFrame) -> str:
    return "<br>".join(f"<i>{charts.plotly_text(r['text'])} ({r['date']:%-d %b})</i>" for _, r in grp.iterrows())


def _branch_ends(marks: pd.DataFrame) -> set:
    """The first and last figure of each branch (on a phone, the figures always labelled)."""
    ends = set()
    for _, unit in marks.sort_values("date").groupby("unit"):
        ends |= {unit["id"].iloc[0], unit["id"].iloc[-1]}
    return ends


@dataclass
class Labels:
    """Every label of the chart at one width (annotation name -> annotation, None where it is not
    shown), and what else moves with the width: the towns named, the width key, the scale bar."""

    annotations: dict[str, dict | None] = field(default_factory=dict)
    towns: list[str] = field(default_factory=list)
    key: dict = field(default_factory=dict)
    bar: dict = field(default_factory=dict)
    zoom_box: Box = (0, 0, 0, 0)


def _furniture(f: Frame, box, out: Labels) -> list[Box]:
    """The inset's caption (above the inset), the scale bar and the width key (under the locator,
    flush right): their annotations, and the boxes they take with the inset's and the locator's."""
    s = f.sizes
    th = s["note"] * figures.LINE_EM
    caption = INSET_TITLE_PHONE if f.phone else INSET_TITLE
    ix0, iy0, _, _ = f.inset_box
    w, h = text_size(caption, s["note"])
    out.annotations["inset-title"] = _note(
        f.inset[0], f.inset[3], "paper", "paper", caption, s["note"], xanchor="left", yanchor="bottom",
        yshift=2, align="left", bgcolor=style.rgba("paper", 0.88), borderpad=1,
    )  # fmt: skip
    zx0, zy1 = f.map_px(f.zoom[0], f.zoom[2])
    zx1, zy0 = f.map_px(f.zoom[1], f.zoom[3])
    out.zoom_box = (zx0, zy0, zx1, zy1)

    lx1, ly1, _, _ = f.box((f.key_at[0], 1), (0, f.key_at[1]))
    half = 0.5 * width_deg(KEY_MEN) * f.px_per_lat()
    key_h = max(2 * half, th)
    key_y, bar_y = ly1 + 10 + key_h / 2, ly1 + 20 + key_h
    bar = scale_bar(box, where=(0, (f.map_lonlat(lx1, bar_y)[1] - box[2]) / (box[3] - box[2])))
    bar_px = f.map_px(box[0] + bar["dlon"], bar["lat"])[0] - f.map_px(box[0], bar["lat"])[0]
    km_text = f"{bar['km']:,} km"
    km_w, _ = text_size(km_text, s["note"])
    bx0 = lx1 - 6 - km_w / 2 - bar_px
    bar.update(lon=f.map_lonlat(bx0, bar_y)[0], height=5 / f.px_per_lat())
    out.bar = bar
    for name, frac, text in (("scale-0", 0.0, "0"), ("scale-km", 1.0, km_text)):
        x = bar["lon"] + frac * bar["dlon"]
        out.annotations[name] = _note(x, bar["lat"], "x", "y", text, s["note"], yanchor="top", yshift=-2)
    key_text = f"{KEY_MEN:,} men" if f.phone else f"band width of {KEY_MEN:,} men"
    kw, _ = text_size(key_text, s["note"])
    band_px = 28 if f.phone else 40
    kx0 = lx1 - 6 - kw - 4 - band_px
    (lon0, lat), (lon1, _) = f.map_lonlat(kx0, key_y), f.map_lonlat(kx0 + band_px, key_y)
    out.key = dict(lon0=lon0, lon1=lon1, lat=lat)
    out.annotations["key"] = _note(lon1, lat, "x", "y", key_text, s["note"], xanchor="left", xshift=4)
    return [
        _grow(f.inset_box, 3),
        _grow(f.locator_box, 3),
        (ix0 - 2, iy0 - h - 4, ix0 + w + 2, iy0),
        (min(kx0, bx0 - 8) - 3, key_y - key_h / 2 - 3, lx1, bar_y + 4 + th),
    ]


#: geographic labels that name an area, not a line: they may move a little to stay clear of the band
#: (they are placed after the route's names)
AREAS = ("province", "region")


def _text_squares(text: str, size: float, degrees: float, cx: float, cy: float) -> list[Box]:
    """The room a label centred at (cx, cy) takes: its box, or for a slanted label squares along its
    line (its bounding box would claim the empty corners)."""
    w, h = text_size(text, size)
    if not degrees:
        return [(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)]
    n, a = max(1, math.ceil(w / h)), math.radians(degrees)
    at = [
        (cx + (i - (n - 1) / 2) * w / n * math.cos(a), cy - (i - (n - 1) / 2) * w / n * math.sin(a)) for i in range(n)
    ]
    return [(x - h / 2, y - h / 2, x + h / 2, y + h / 2) for x, y in at]


def _geo_labels(f: Frame, box, placer: Placer, out: Labels, kinds) -> None:
    """The labels of ``kinds`` of :data:`wra.presentation.geo.LABELS`, blocked in ``placer``. A
    river's stays on its line, a range's may slide along its line; either is left out where it would
    cover something. An area's name may move a little, or to another of its places (``also``), and
    stand in two lines, to stay clear of the labels and the band, or is left out. A phone leaves out
    :data:`PHONE_GEO_DROP`."""
    s = f.sizes
    styles = {
        "river": (s["geo"], WATER, "<i>{}</i>"),
        "range": (s["geo"], COLORS["guide"], "<i>{}</i>"),
        "region": (s["geo"], COLORS["guide"], "{}"),
        "province": (s["province"], COLORS["guide"], "<b>{}</b>"),
    }
    for lab in (lab for lab in geo.LABELS if lab.kind in kinds):
        name = f"geo:{lab.text}"
        out.annotations[name] = None
        if not _inside(lab.lon, lab.lat, box) or _inside(lab.lon, lab.lat, f.zoom):
            continue
        if f.phone and lab.kind in PHONE_GEO_DROP:
            continue
        size, color, markup = styles[lab.kind]
        texts = [markup.format(charts.plotly_text(lab.text))]
        a = math.radians(lab.rotation)
        if lab.kind in AREAS:
            texts.append(markup.format(charts.plotly_text(charts.stack_name(lab.text)).replace("\n", "<br>")))
            moves = sorted(
                ((x, y) for x in range(-120, 121, 20) for y in range(-60, 61, 10)), key=lambda d: math.hypot(*d)
            )
        elif lab.kind == "range":  # placed by hand, indicatively: it may slide along its line
            moves = [(t * math.cos(a), -t * math.sin(a)) for t in (0, 15, -15, 30, -30)]
        else:
            moves = [(0, 0)]
        zoom = _grow(out.zoom_box, 2)
        anchors = [(x, y) for x, y in [(lab.lon, lab.lat), *lab.also] if _inside(x, y, (*f.lon, *f.lat))]
        for (x, y), (dx, dy), text in itertools.product(anchors, moves, texts):
            px, py = f.map_px(x, y)
            squares = _text_squares(text, size, lab.rotation, px + dx, py + dy)
            crowds = [placer.crowd(_grow(b, 2)) for b in squares]
            if any(c[0] for c in crowds):
                continue
            if any(c[1] for c in crowds) if lab.kind in AREAS else any(overlap(b, zoom) for b in squares):
                continue
            out.annotations[name] = _note(
                x, y, "x", "y", text, size, color, textangle=-lab.rotation, xshift=dx, yshift=-dy
            )
            for b in squares:
                placer.block(b)
            break


def _route_labels(f: Frame, placer: Placer, labels, marks, at, refs, sizes, prefix: str, out: Labels, inset=False):
    """Label the places on the route and the figures on the band: a figure at a named place joins the
    place's label. On a laptop a place the chapter does not name is left to its hover text where no
    spot is free for it (in the inset every place is named); a phone names :data:`PHONE_PLACES` and
    the first and last figure of each branch, and the others where they fit (none in the inset)."""
    placer.block_points([at(x, y) for x, y in zip(labels["lon"], labels["lat"])], 3.5)
    placer.block_points([at(x, y) for x, y in zip(marks["lon"], marks["lat"])], 4.5)
    groups = _groups(labels[labels["place_id"].isin(PHONE_PLACES)] if f.phone else labels, at, 12)
    ends = _branch_ends(marks) if f.phone else set(marks["id"])
    items, places, points, attached = [], [], {}, {}
    soft = 0.05 if inset else 0.12  # the inset's band is thin: a label there keeps off it
    for name, grp in _mark_groups(marks):
        lon, lat = grp["lon"].iloc[0], grp["lat"].iloc[0]
        key = bool(ends & set(grp["id"]))
        out.annotations[f"{prefix}figure:{name}"] = None
        host = next((g for g in groups if math.dist(at(g[1], g[2]), at(lon, lat)) < 4), None)
        if f.phone and inset:
            continue
        if host is not None and key:  # on a phone, only the branch's first or last figure
            attached.setdefault(host[0], []).append(grp[grp["id"].isin(ends)])
            continue
        points[f"{prefix}figure:{name}"] = (lon, lat)
        far = 2 if key else 1
        items.append(Item(f"{prefix}figure:{name}", *at(lon, lat), [_mark_text(grp)], sizes[1], key, far, soft=soft))
    for name, lon, lat, members in groups:
        extra = "<br>".join(_mark_text(g) for g in attached.get(name, []))
        texts = [f"{t}<br>{extra}" if extra else t for t in _group_texts(members, f.phone)]
        key = inset or any(m["place_id"] in NAMED_PLACES for m in members) or bool(extra)
        points[f"{prefix}place:{name}"] = (lon, lat)
        item = Item(f"{prefix}place:{name}", *at(lon, lat), texts, sizes[0], key, 2 if key else 1, 1 - key, soft)
        places.append(item)
    items = places + items
    for key, spot in placer.place_all(items).items():
        size = next(i.size for i in items if i.key == key)
        out.annotations[key] = spot and _annotation(spot, *points[key], *refs, size)


def _map_labels(f: Frame, stop_widths, marks, places, box, placer: Placer, out: Labels) -> None:
    """On the map outside the zoom box: place names and figures, then the names of provinces and
    regions, then (on a laptop) other towns, where free."""
    s = f.sizes

    def ok(lon, lat):
        return _inside(lon, lat, box) and not _inside(lon, lat, f.zoom)

    labels = _place_labels(stop_widths)
    labels = labels[[ok(x, y) for x, y in zip(labels["lon"], labels["lat"])]]
    marks = marks[[ok(x, y) for x, y in zip(marks["lon"], marks["lat"])]]
    _route_labels(f, placer, labels, marks, f.map_px, ("x", "y"), (s["place"], s["figure"]), "", out)
    _geo_labels(f, box, placer, out, AREAS)
    ctx = context_places(places, stop_widths, box) if places is not None else places
    for _, c in ctx.iterrows() if ctx is not None else []:
        name = f"town:{c['place_id']}"
        item = Item(name, *f.map_px(c["lon"], c["lat"]), _names(c, False), s["town"], must=False, far=0, soft=0)
        spot = None if f.phone or not ok(c["lon"], c["lat"]) else placer.place(item)
        out.annotations[name] = spot and _annotation(
            spot, c["lon"], c["lat"], "x", "y", s["town"], COLORS["muted"], False
        )
        if spot:
            out.towns.append(c["place_id"])


def _inset_labels(f: Frame, stop_widths, marks, out: Labels) -> None:
    """The places and figures inside the zoom box, in the inset."""
    zoom, size = f.zoom, f.sizes["inset"]
    ppd = (f.inset_box[3] - f.inset_box[1]) / (zoom[3] - zoom[2])
    band = band_mask((f.height, f.width), stop_widths, f.inset_px, ppd, DEG_PER_MAN * ZOOM_SCALE)
    placer = Placer(_grow(f.inset_box, -3), soft=band)
    labels = _place_labels(stop_widths)
    labels = labels[[_inside(x, y, zoom) for x, y in zip(labels["lon"], labels["lat"])]]
    marks = marks[[_inside(x, y, zoom) for x, y in zip(marks["lon"], marks["lat"])]]
    _route_labels(f, placer, labels, marks, f.inset_px, ("x3", "y3"), (size, size), "inset-", out, inset=True)


def _time_labels(f: Frame, stop_widths, seg, events, out: Labels) -> None:
    """Milestones at either end of their dotted line (where the data leaves room), then 'place date' at
    each stop where free."""
    size = f.sizes["time"]
    placer = Placer(_grow(f.time_box, -2))
    placer.block_points([f.time_px(r["lon"], r["arrive"]) for _, r in stop_widths.iterrows()], 4)
    for _, r in stop_widths.iterrows():
        (x, y0), (_, y1) = f.time_px(r["lon"], r["arrive"]), f.time_px(r["lon"], r["leave"])
        placer.block((x - 3, y0 - 3, x + 3, y1 + 3))
    for _, g in seg.iterrows():
        p0, p1 = np.array(f.time_px(g["lon0"], g["date0"])), np.array(f.time_px(g["lon1"], g["date1"]))
        placer.block_points([p0 + t * (p1 - p0) for t in np.linspace(0, 1, max(2, int(math.dist(p0, p1) / 5) + 1))])
    x0, _, x1, _ = f.time_box
    # one label per run of milestones less than four days apart, at the run's first date
    for i, (when, label) in enumerate(charts.merge_close_events(events, days=4, sep=" / ").itertuples(index=False)):
        _, py = f.time_px(f.lon[0], when)
        options = []
        for text in (charts.plotly_text(label), charts.plotly_text(label).replace(" / ", " /<br>")):
            w, h = text_size(text, size)
            for px, ha in ((x0 + 3, "left"), (x1 - 3, "right")):
                for dy, va in ((1, "bottom"), (-1, "top")):
                    b = label_box(px, py, w, h, 0, dy, ha, va)
                    options.append((sum(placer.crowd(b)), text, ha, dy, va, b))
        _, text, ha, dy, va, b = min(options, key=lambda o: o[0])
        placer.block(b)
        out.annotations[f"milestone:{i}"] = _note(
            int(ha == "right"), when, "x2 domain", "y2", text, size, COLORS["muted"], xanchor=ha, yanchor=va,
            xshift=3 if ha == "left" else -3, yshift=dy, align=ha,
        )  # fmt: skip
    for i, r in stop_widths.reset_index(drop=True).iterrows():
        if r["inherited"]:
            continue
        text = charts.plotly_text(f"{str(r['name_en']).split(' (')[0]} {r['arrive']:%-d %b}")
        spot = placer.place(Item("", *f.time_px(r["lon"], r["arrive"]), [text], size, must=False, far=0))
        out.annotations[f"stop:{i}"] = spot and _annotation(spot, r["lon"], r["arrive"], "x2", "y2", size)


def labels_at(f: Frame, stop_widths, seg, figs, places, events, box) -> Labels:
    """Every label of the chart as drawn in ``f``."""
    out = Labels()
    taken = _furniture(f, box, out)
    # a label may cross the band, or the zoom box's corner, a little; never cover them
    band = band_mask((f.height, f.width), stop_widths, f.map_px, f.px_per_lat(), DEG_PER_MAN)
    zx0, zy0, zx1, zy1 = (round(v) for v in out.zoom_box)
    band[zy0:zy1, zx0:zx1] = True
    placer = Placer(_grow(f.map_box, -2), taken, soft=band)
    _geo_labels(f, box, placer, out, ("river", "range"))
    marks = sourced_marks(stop_widths, figs)
    _map_labels(f, stop_widths, marks, places, box, placer, out)
    _inset_labels(f, stop_widths, marks, out)
    _time_labels(f, stop_widths, seg, events, out)
    return out


# --------------------------------------------------------------------------
# the figure
# --------------------------------------------------------------------------


def _fmt_men(value, basis) -> str:
    if value is None or not np.isfinite(value):
        return "no figure"
    word = {"sourced": "sourced", "interpolated": "interpolated", "held": "held from the nearest figure"}
    return f"{value:,.0f} ({word.get(basis, basis)})"


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


def _stay(a, b) -> str:
    return f"{a:%d %b %Y}" + (f" – {b:%d %b %Y}" if b > a else "")


def _place_hover(r, stop_widths: pd.DataFrame) -> str:
    here = stop_widths[stop_widths["place_id"] == r["place_id"]]
    return charts.hover_html(
        f"{r['name_en']} {r['name_zh']} ({r['name_pinyin']})",
        {
            "dates": ", ".join(_stay(a, b) for a, b in here[["arrive", "leave"]].itertuples(index=False)),
            "actions": ", ".join(x for x in here["action_ids"] if x),
            "position": f"{r['lat']:.2f}°N {r['lon']:.2f}°E",
        },
    )


def _lines(lines) -> dict:
    """Many lines (or polygons) as one trace's x and y, separated by gaps."""
    xs: list = []
    ys: list = []
    for line in lines:
        xs += [*line[:, 0], None]
        ys += [*line[:, 1], None]
    return dict(x=xs, y=ys)


def _guide(xy: dict, color: str, width: float, axes: dict, fill: str | None = None, **kw) -> go.Scatter:
    """A line (or filled shape) drawn only for orientation: no hover, no legend entry."""
    filled = dict(fill="toself", fillcolor=fill) if fill else {}
    return go.Scatter(
        **xy, mode="lines", line=dict(color=color, width=width), hoverinfo="skip", showlegend=False,
        **filled, **axes, **kw,
    )  # fmt: skip


def _box_xy(box) -> dict:
    """A box (lon_min, lon_max, lat_min, lat_max) as a closed line's x and y."""
    return dict(x=[box[0], box[1], box[1], box[0], box[0]], y=[box[2], box[2], box[3], box[3], box[2]])


def _key_xy(key: dict) -> dict:
    w = width_deg(KEY_MEN)
    poly = band_polygon(key["lon0"], key["lat"], key["lon1"], key["lat"], w, w)
    return dict(x=list(poly[:, 0]), y=list(poly[:, 1]))


def _bar_xy(bar: dict) -> dict[str, dict]:
    """The scale bar's two halves (black, white)."""
    lon, lat, dlon, h = bar["lon"], bar["lat"], bar["dlon"], bar["height"]
    return {
        name: _box_xy((lon + a * dlon, lon + (a + 0.5) * dlon, lat, lat + h))
        for name, a in (("scale bar", 0), ("scale bar half", 0.5))
    }


def _add_geography(fig: go.Figure) -> None:
    layers = geo.load()
    styles = {
        "rivers": ("river", dict(color=WATER, width=1)),
        "provinces": (LEGEND["provinces"][0], dict(color=COLORS["guide"], width=0.8, dash="dash")),
        "border": (LEGEND["border"][0], dict(color=COLORS["muted"], width=1, dash="dashdot")),
    }
    for layer, (name, line) in styles.items():
        fig.add_scatter(**_lines(layers[layer]), mode="lines", line=line, name=name, hoverinfo="skip", legendrank=600)


def _add_band(fig: go.Figure, stop_widths, seg, scale: float, axes: dict, legend: bool) -> None:
    """The band: the round joints of each colour in one trace, then one trace per segment (its hover
    gives the strength at each end)."""
    pieces = band_pieces(stop_widths, seg, scale)
    for (_, direction), part in pieces.groupby(["branch", "direction"], sort=False):
        color = COLORS.get(direction, COLORS["guide"])
        fig.add_trace(_guide(_lines(part.loc[part["kind"] == "joint", "polygon"]), color, 0, axes, fill=color))
    order = {b: i for i, b in enumerate(stop_widths["branch"].drop_duplicates())}
    segments = pieces[pieces["kind"] == "segment"].sort_values("branch", key=lambda b: b.map(order), kind="stable")
    shown = set()
    for _, p in segments.iterrows():
        color = COLORS.get(p["direction"], COLORS["guide"])
        name = {"west": "marching west", "east": "marching east"}.get(p["direction"], "no direction")
        hover = {
            "unit": route.BRANCH_LABELS.get(p["branch"], p["branch"]),
            "strength leaving": _fmt_men(p["men0"], p["basis0"]),
            "strength arriving": _fmt_men(p["men1"], p["basis1"]),
        }
        fig.add_scatter(
            x=p["polygon"][:, 0], y=p["polygon"][:, 1], mode="lines", fill="toself", fillcolor=color,
            line=dict(width=0, color=color), name=name, legendgroup=name, showlegend=legend and name not in shown,
            legendrank=100 if p["direction"] == "west" else 110, hoveron="fills", hoverinfo="text",
            text=charts.hover_html(p["label"], hover), **axes,
        )  # fmt: skip
        shown.add(name)


def _add_points(fig: go.Figure, stop_widths, marks, cite, axes: dict, inset: bool) -> None:
    """The places on the route (hover: dates, actions, position) and the sourced figures (hover: the
    figure, its source and grade, the other figures for its date)."""
    rows = _place_labels(stop_widths)
    fig.add_scatter(
        x=rows["lon"], y=rows["lat"], mode="markers", marker=dict(size=5, color=COLORS["ink"]),
        hovertext=[_place_hover(r, stop_widths) for _, r in rows.iterrows()], hoverinfo="text",
        name="place on the route" + (" (inset)" if inset else ""), showlegend=False, **axes,
    )  # fmt: skip
    fig.add_scatter(
        x=marks["lon"], y=marks["lat"], mode="markers",
        marker=dict(size=7 if inset else 8, color=COLORS["ink"], line=dict(color=COLORS["paper"], width=1)),
        hovertext=[_mark_hover(m, cite) for _, m in marks.iterrows()], hoverinfo="text",
        name="sourced figure" + (" (inset)" if inset else ""), legendrank=200, showlegend=not inset, **axes,
    )  # fmt: skip


def _add_inset(fig: go.Figure, stop_widths, seg, marks, cite) -> None:
    """The zoom box enlarged (axes x3/y3): rivers, the band at :data:`ZOOM_SCALE` of its width, the
    places and figures (the inset's axes show those in its box), on a ground of its own."""
    axes = dict(xaxis="x3", yaxis="y3")
    b = geo.BBOX
    fig.add_trace(_guide(_box_xy(b), COLORS["paper"], 0, axes, fill=COLORS["paper"], name="inset ground"))
    fig.add_trace(_guide(_lines(geo.load()["rivers"]), WATER, 1, axes))
    _add_band(fig, stop_widths, seg, DEG_PER_MAN * ZOOM_SCALE, axes, legend=False)
    _add_points(fig, stop_widths, marks, cite, axes, inset=True)


def _add_locator(fig: go.Figure, box) -> None:
    """Where the map lies in China (axes x4/y4; modern borders, Natural Earth)."""
    axes = dict(xaxis="x4", yaxis="y4")
    outlines = geo.locator()
    fig.add_trace(_guide(_box_xy((72, 136, 16, 55)), COLORS["guide"], 0.6, axes, fill=COLORS["paper"]))
    fig.add_trace(_guide(_lines(outlines["others"]), COLORS["guide"], 0.5, axes))
    fig.add_trace(_guide(_lines(outlines["china"]), COLORS["muted"], 0.6, axes, fill=COLORS["land"]))
    fig.add_scatter(
        **_box_xy(box), mode="lines", line=dict(color=COLORS["ink"], width=1.5), hoverinfo="text",
        hovertext="the map's area, in China (today's borders)", name="locator", showlegend=False, **axes,
    )  # fmt: skip
    fig.add_annotation(name="locator-china", **_note(112, 32, "x4", "y4", "<i>China 中国</i>", 10))


def _add_time_panel(fig: go.Figure, stop_widths, seg, events) -> None:
    """The date at each place (lines: segments, bars: stays, dots: arrivals) and the milestones, dotted."""
    axes = dict(xaxis="x2", yaxis="y2")
    for _, g in seg.iterrows():
        fig.add_scatter(
            x=[g["lon0"], g["lon1"]], y=[g["date0"], g["date1"]], mode="lines", showlegend=False,
            line=dict(color=COLORS.get(g["direction"], COLORS["guide"]), width=3 if g["branch"] == route.MAIN else 2),
            hoverinfo="text", text=charts.hover_html(f"{g['from_en']} → {g['to_en']}", {
                "dates": f"{g['date0']:%d %b %Y} – {g['date1']:%d %b %Y}",
                "distance": f"{g['km']:,.0f} km (great circle)",
            }), **axes,
        )  # fmt: skip
    stays = stop_widths[stop_widths["leave"] > stop_widths["arrive"]]
    fig.add_scatter(
        x=[v for lon in stays["lon"] for v in (lon, lon, None)],
        y=[v for _, r in stays.iterrows() for v in (r["arrive"], r["leave"], None)],
        mode="lines", line=dict(color=COLORS["ink"], width=3.5), name=LEGEND["staying"][0], legendrank=500,
        hoverinfo="skip", **axes,
    )  # fmt: skip
    fig.add_scatter(
        x=stop_widths["lon"], y=stop_widths["arrive"], mode="markers", marker=dict(size=5, color=COLORS["ink"]),
        hovertext=[charts.hover_html(f"{r['name_en']} {r['name_zh']}", {"there": _stay(r["arrive"], r["leave"])})
                   for _, r in stop_widths.iterrows()],
        hoverinfo="text", name="stop", showlegend=False, **axes,
    )  # fmt: skip
    for _, e in events.iterrows() if events is not None else []:
        fig.add_shape(
            type="line", xref="x2 domain", x0=0, x1=1, yref="y2", y0=e["date"], y1=e["date"], layer="below",
            line=dict(color=COLORS["guide"], dash="dot", width=1), name=f"milestone {e['label']}",
        )  # fmt: skip


def _layout(f: Frame, mid_lat: float) -> dict:
    """Size, margins, legend and axes of the chart as drawn in ``f``."""
    hidden = dict(showticklabels=False, showgrid=False, ticks="", zeroline=False)
    framed = dict(showline=True, mirror=True, linecolor=COLORS["guide"], linewidth=1)
    small = dict(**hidden, visible=False, fixedrange=True)
    inset = dict(**hidden, showline=True, mirror=True, linecolor=COLORS["ink"], linewidth=1, fixedrange=True)
    months = pd.date_range(f.dates[0] + pd.offsets.MonthBegin(1), f.dates[1], freq="MS")
    if f.phone:
        ticks = [f"{m:%b}<br>{m:%Y}" if i == 0 or m.month == 1 else f"{m:%b}" for i, m in enumerate(months)]
    else:
        ticks = [f"{m:%b %Y}" for m in months]
    zoom = f.zoom
    return dict(
        width=f.width,
        height=f.height,
        margin=dict(f.margin),
        showlegend=True,
        hovermode="closest",
        legend=dict(
            orientation="h", x=0, xanchor="left", y=-(40 if f.phone else 44) / f.plot_h, yanchor="top",
            font=dict(size=11 if f.phone else 12), itemwidth=30, tracegroupgap=0,
        ),
        xaxis=dict(domain=[0, 1], anchor="y", range=list(f.lon), **hidden, **framed),
        yaxis=dict(
            domain=list(f.map_dom), anchor="x", range=list(f.lat), scaleanchor="x", scaleratio=1 / _k(mid_lat),
            constrain="range", **hidden, **framed,
        ),
        xaxis2=dict(
            domain=[0, 1], anchor="y2", matches="x", title=dict(text=TIME_AXIS_PHONE if f.phone else TIME_AXIS,
            standoff=6), **hidden, showline=True, linecolor=COLORS["ink"],
        ),
        yaxis2=dict(
            domain=list(f.time_dom), anchor="x2", type="date", range=[f.dates[1], f.dates[0]], tickvals=list(months),
            ticktext=ticks, tickfont=dict(size=11 if f.phone else 12), showgrid=True, automargin=False,
        ),
        xaxis3=dict(domain=list(f.inset[:2]), anchor="y3", range=list(zoom[:2]), **inset),
        yaxis3=dict(
            domain=list(f.inset[2:]), anchor="x3", range=list(zoom[2:]), scaleanchor="x3",
            scaleratio=1 / _k((zoom[2] + zoom[3]) / 2), constrain="domain", **inset,
        ),
        xaxis4=dict(domain=list(f.locator[:2]), anchor="y4", range=[72, 136], constrain="domain", **small),
        yaxis4=dict(
            domain=list(f.locator[2:]), anchor="x4", range=[16, 55], scaleanchor="x4", scaleratio=1 / _k(35),
            constrain="domain", **small,
        ),
    )  # fmt: skip


def figure(
    stop_widths: pd.DataFrame,
    seg: pd.DataFrame,
    figs: pd.DataFrame,
    places: pd.DataFrame | None = None,
    cite: Callable[[dict], str] | None = None,
    events: pd.DataFrame | None = None,
    title: str | None = None,
    zoom=ZOOM,
) -> go.Figure:
    """The route map (the band with its figures and places, the inset, the locator) over the date at
    each place: one plotly figure, with its phone drawing.

    ``stop_widths`` and ``seg`` are :func:`wra.analysis.route.widths` and
    :func:`~wra.analysis.route.segments`; ``figs`` the figures behind the width
    (:func:`~wra.analysis.route.band_figures`); ``places`` the record's places
    (the towns the route does not pass are shown for context); ``cite`` the
    citation of a figure (for its hover text); ``events`` (date, label) the
    milestones dotted across the time panel; ``title`` the finding
    (:func:`wra.analysis.route.finding`); ``zoom`` the box the inset enlarges.
    Hover a stretch of the band, a dot, a place or a stretch of the time panel
    for details.
    """
    cite = cite or sources.cite
    box = extent(stop_widths)
    dates = (stop_widths["arrive"].min() - pd.Timedelta(days=6), stop_widths["leave"].max() + pd.Timedelta(days=6))
    head, sub = (title, SUBTITLE) if title else (TITLE, None)
    wide, phone = (frame(w, head, sub, box, dates, zoom) for w in (style.WIDE, style.PHONE))
    at = {f.name: labels_at(f, stop_widths, seg, figs, places, events, box) for f in (wide, phone)}
    marks = sourced_marks(stop_widths, figs)
    map_axes = dict(xaxis="x", yaxis="y")

    fig = go.Figure()
    _add_geography(fig)
    _add_band(fig, stop_widths, seg, DEG_PER_MAN, map_axes, legend=True)
    fig.add_scatter(
        **_box_xy(wide.zoom), mode="lines", line=dict(color=COLORS["ink"], width=1), name="zoom box",
        hoverinfo="text", hovertext="this box is enlarged in the inset", showlegend=False,
    )  # fmt: skip
    fig.add_trace(_guide(_key_xy(at["wide"].key), COLORS["guide"], 0, map_axes, fill=COLORS["guide"], name="width key"))
    for name, xy in _bar_xy(at["wide"].bar).items():
        fill = COLORS["ink"] if name == "scale bar" else COLORS["paper"]
        fig.add_trace(_guide(xy, COLORS["ink"], 0.8, map_axes, fill=fill, name=name))
    if places is not None:
        ctx = context_places(places, stop_widths, box)
        ctx = ctx[ctx["place_id"].isin(at["wide"].towns)]
        fig.add_scatter(
            x=ctx["lon"], y=ctx["lat"], mode="markers", marker=dict(symbol="square", size=5, color=COLORS["muted"]),
            hovertext=[charts.plotly_text(place_label(r)) for _, r in ctx.iterrows()], hoverinfo="text",
            name="other town", legendrank=400,
        )  # fmt: skip
    _add_points(fig, stop_widths, marks, cite, map_axes, inset=False)
    _add_inset(fig, stop_widths, seg, marks, cite)
    _add_locator(fig, box)
    _add_time_panel(fig, stop_widths, seg, events)

    # every label is a named annotation; one drawn only on a phone is hidden on a laptop
    names = list(dict.fromkeys([*at["wide"].annotations, *at["phone"].annotations]))
    for name in names:
        ann = at["wide"].annotations.get(name) or {**(at["phone"].annotations.get(name) or {}), "visible": False}
        if ann:
            fig.add_annotation(name=name, **{k: v for k, v in ann.items() if v is not None})
    mid_lat = (box[2] + box[3]) / 2
    fig.update_layout(**_layout(wide, mid_lat))
    figures.set_title(fig, head, sub)

    on_phone = {name: at["phone"].annotations.get(name) for name in names}
    on_phone = {
        k: v and {**{a: b for a, b in v.items() if b is not None}, "visible": True} for k, v in on_phone.items()
    }
    traces: dict[str, dict | None] = {
        "other town": None,
        "width key": _key_xy(at["phone"].key),
        "zoom box": _box_xy(phone.zoom),
        **_bar_xy(at["phone"].bar),
        **{wide_name: dict(name=short) for wide_name, short in LEGEND.values()},
    }
    return figures.on_phone(
        fig, _layout(phone, mid_lat), annotations={**on_phone, "locator-china": None}, traces=traces
    )
