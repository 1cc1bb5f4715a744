"""The route chapter's package code: route building, distances, band widths, geometry, charts.

Every test builds its own small frames (typed like :func:`wra.record.data.load`
output), so none depends on the book's data.
"""

import re

import numpy as np
import pandas as pd
import pytest

import wra
from wra.analysis import route
from wra.presentation import figures, geo, plotly_html, route_charts, style
from wra.record import names

# ---------------------------------------------------------------- fixtures

PLACES = pd.DataFrame(
    [
        ("lanzhou", "兰州", "Lánzhōu", "Lanzhou", 36.07, 103.82),
        ("wuwei", "凉州（武威）", "Liángzhōu", "Liangzhou (Wuwei)", 37.93, 102.63),
        ("hubaokou", "虎豹口", "Hǔbàokǒu", "Hubaokou", 36.52, 104.62),
        ("gulang", "古浪", "Gǔlàng", "Gulang", 37.47, 102.88),
        ("gaotai", "高台", "Gāotái", "Gaotai", 39.38, 99.82),
        ("nijiayingzi", "倪家营子", "Níjiāyíngzi", "Nijiayingzi", 38.95, 100.10),
        ("xidongbao", "西洞堡", "Xīdòngbǎo", "Xidongbao", 38.93, 100.30),
        ("shiwo", "石窝", "Shíwō", "Shiwo", 38.65, 99.75),
        ("anxi", "安西", "Ānxī", "Anxi", 40.52, 95.78),
        ("dihua", "迪化", "Díhuà", "Dihua", 43.82, 87.62),
        ("huining", "会宁", "Huìníng", "Huining", 35.70, 105.05),
    ],
    columns=["place_id", "name_zh", "name_pinyin", "name_en", "lat", "lon"],
)


def actions_frame(rows) -> pd.DataFrame:
    """rows: (id, date, date_end, actor, place_id)."""
    frame = pd.DataFrame(rows, columns=["id", "date", "date_end", "actor", "place_id"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["date_end"] = pd.to_datetime(frame["date_end"])
    frame["kind"] = "move"
    return frame


def strength_frame(rows) -> pd.DataFrame:
    """rows: (id, date, unit, measure, low, high, qualifier, confidence, source, pages)."""
    frame = pd.DataFrame(
        rows, columns=["id", "date", "unit", "measure", "low", "high", "qualifier", "confidence", "source", "pages"]
    )
    frame["date"] = pd.to_datetime(frame["date"])
    frame["low"] = frame["low"].astype(float)
    frame["high"] = frame["high"].astype(float)
    frame["side"] = "red"
    frame["date_precision"] = "day"
    frame["via"] = None
    frame["quote_zh"] = None
    frame["wording_zh"] = None
    return frame


MARCH = actions_frame(
    [
        ("A01", "1936-10-20", None, "fourth_front_army", "huining"),  # before the crossing
        ("A02", "1936-10-24", "1936-10-30", "thirtieth_army", "hubaokou"),
        ("A03", "1936-11-02", None, "wra_committee", None),  # no place
        ("A04", "1936-11-13", "1936-11-18", "ninth_army", "gulang"),
        ("A05", "1936-11-15", None, "wra", "gulang"),  # a disputed date for the same place
        ("A06", "1937-01-01", None, "fifth_army", "gaotai"),
        ("A07", "1937-01-21", None, "wra", "nijiayingzi"),
        ("A08", "1937-01-21", None, "wra", "xidongbao"),
        ("A09", "1937-01-21", None, "fifth_army", "nijiayingzi"),
        ("A10", "1937-01-28", "1937-03-01", "wra", "nijiayingzi"),  # a span with an excursion inside
        ("A11", "1937-02-21", None, "wra", "xidongbao"),
        ("A12", "1937-03-14", None, "wra_committee", "shiwo"),
        ("A13", "1937-03-15", None, "right_detachment", None),  # the split: first detachment action
        ("A14", "1937-03-20", None, "wra", "gaotai"),  # main route after the split
        ("A15", "1937-03-05", None, "west_relief_army", "lanzhou"),  # not the army
        ("A16", "1937-04-24", None, "left_detachment", "anxi"),
        ("A17", "1937-05-01", None, "left_detachment", "dihua"),  # beyond the map
    ]
)
BOX = (93.0, 108.0, 34.5, 43.0)


@pytest.fixture
def built():
    pts = route.route_points(MARCH, PLACES, since=route.crossing_date(MARCH, "hubaokou"), within=BOX)
    st = route.stops(pts)
    return pts, st, route.segments(st)


# ---------------------------------------------------------------- distance and direction


def test_haversine_lanzhou_to_wuwei_is_about_230_km():
    assert route.haversine_km(36.07, 103.82, 37.93, 102.63) == pytest.approx(230, abs=10)


def test_haversine_one_degree_of_latitude_and_symmetry():
    assert route.haversine_km(38.0, 100.0, 39.0, 100.0) == pytest.approx(111.2, abs=0.3)
    there = route.haversine_km(36.52, 104.62, 41.70, 95.00)
    back = route.haversine_km(41.70, 95.00, 36.52, 104.62)
    assert there == pytest.approx(back) and there > 900
    assert route.haversine_km(38.0, 100.0, 38.0, 100.0) == 0.0


def test_haversine_takes_arrays():
    d = route.haversine_km(
        np.array([36.07, 38.0]), np.array([103.82, 100.0]), np.array([37.93, 39.0]), np.array([102.63, 100.0])
    )
    assert d.shape == (2,) and d[1] == pytest.approx(111.2, abs=0.3)


def test_direction_is_west_when_longitude_decreases():
    assert route.direction(104.62, 102.88) == "west"
    assert route.direction(99.82, 100.10) == "east"
    assert route.direction(100.0, 100.0) == "none"


# ---------------------------------------------------------------- route


def test_route_starts_at_the_crossing_and_drops_what_is_not_on_it(built):
    pts, _, _ = built
    dropped = pts.attrs["dropped"].set_index("id")["reason"]
    assert dropped["A01"] == "before the start"
    assert dropped["A03"] == "no place"
    assert dropped["A13"] == "no place"
    assert dropped["A14"] == "main route after the split"
    assert dropped["A15"] == "actor outside the army"
    assert dropped["A17"] == "beyond the map"
    assert not set(dropped.index) & set(pts["action_id"])
    assert pts.attrs["split"] == pd.Timestamp("1937-03-15")


def test_route_is_ordered_by_date_whatever_the_input_order(built):
    _, st, _ = built
    shuffled = MARCH.sample(frac=1, random_state=3)
    again = route.stops(route.route_points(shuffled, PLACES, since="1936-10-24", within=BOX))
    pd.testing.assert_frame_equal(st, again)
    main = st[st["branch"] == route.MAIN]
    assert main["arrive"].is_monotonic_increasing


def test_a_span_puts_the_army_at_its_place_on_its_first_and_last_day(built):
    _, st, _ = built
    first = st.iloc[0]
    assert (first["place_id"], first["arrive"], first["leave"]) == (
        "hubaokou",
        pd.Timestamp("1936-10-24"),
        pd.Timestamp("1936-10-30"),
    )
    # the excursion to Xidongbao on 21 Feb lies inside the Nijiayingzi span: out and back
    main = st[st["branch"] == route.MAIN]["place_id"].tolist()
    assert main == [
        "hubaokou",
        "gulang",
        "gaotai",
        "nijiayingzi",
        "xidongbao",
        "nijiayingzi",
        "xidongbao",
        "nijiayingzi",
        "shiwo",
    ]


def test_disputed_dates_at_one_place_make_one_stop(built):
    _, st, _ = built
    gulang = st[st["place_id"] == "gulang"]
    assert len(gulang) == 1
    assert gulang["arrive"].iloc[0] == pd.Timestamp("1936-11-13")
    assert gulang["leave"].iloc[0] == pd.Timestamp("1936-11-18")
    assert gulang["action_ids"].iloc[0] == "A04, A05"


def test_one_day_at_two_places_is_one_excursion_not_a_zigzag(built):
    _, st, _ = built
    day = st[st["arrive"] == pd.Timestamp("1937-01-21")]
    # A07 and A09 (Nijiayingzi) stay together; A08 (Xidongbao) comes after them
    assert day["place_id"].tolist() == ["nijiayingzi", "xidongbao"]
    assert day["action_ids"].tolist() == ["A07, A09", "A08"]


def test_one_segment_per_consecutive_pair_and_branches_start_at_the_split(built):
    _, st, seg = built
    for branch, stops in st.groupby("branch"):
        assert (seg["branch"] == branch).sum() == len(stops) - 1
    left = st[st["branch"] == "left_detachment"]
    assert left["place_id"].tolist() == ["shiwo", "anxi"]
    assert left["inherited"].tolist() == [True, False]
    leg = seg[seg["branch"] == "left_detachment"].iloc[0]
    assert (leg["from_id"], leg["to_id"], leg["direction"]) == ("shiwo", "anxi", "west")
    assert leg["km"] == pytest.approx(route.haversine_km(38.65, 99.75, 40.52, 95.78))
    assert leg["days"] == (pd.Timestamp("1937-04-24") - pd.Timestamp("1937-03-14")).days


def test_segment_directions_follow_longitude(built):
    _, _, seg = built
    main = seg[seg["branch"] == route.MAIN]
    expected = np.where(main["lon1"] < main["lon0"], "west", "east")
    assert (main["direction"].to_numpy() == expected).all()
    back = main[(main["from_id"] == "gaotai") & (main["to_id"] == "nijiayingzi")]
    assert back["direction"].tolist() == ["east"]


def test_leg_table_adds_up_the_segments(built):
    _, st, seg = built
    legs = route.leg_table(st, seg).set_index("branch")
    main = seg[seg["branch"] == route.MAIN]
    assert legs.loc[route.MAIN, "km"] == pytest.approx(main["km"].sum())
    assert legs.loc[route.MAIN, "km_west"] + legs.loc[route.MAIN, "km_east"] == pytest.approx(main["km"].sum())
    assert legs.loc[route.MAIN, "days"] == (pd.Timestamp("1937-03-14") - pd.Timestamp("1936-10-24")).days


def test_position_at_is_at_a_stop_or_along_a_segment(built):
    _, st, _ = built
    assert route.position_at(st, route.MAIN, "1936-11-15") == (102.88, 37.47)
    lon, lat = route.position_at(st, "left_detachment", "1937-04-04")
    assert 95.78 < lon < 99.75 and 38.65 < lat < 40.52
    assert route.position_at(st, route.MAIN, "1936-01-01") is None


def stop_frame(rows) -> pd.DataFrame:
    """rows: (branch, arrive, leave, lon, lat), as :func:`route.stops` gives them."""
    frame = pd.DataFrame(rows, columns=["branch", "arrive", "leave", "lon", "lat"])
    frame["arrive"] = pd.to_datetime(frame["arrive"])
    frame["leave"] = pd.to_datetime(frame["leave"])
    return frame


STOPS = stop_frame(
    [
        ("wra", "1936-11-01", "1936-11-01", 104.0, 36.0),  # a one-day stop
        ("wra", "1936-11-11", "1936-11-20", 102.0, 38.0),  # a stay of ten days
        ("wra", "1936-11-30", "1936-11-30", 100.0, 39.0),
        ("left_detachment", "1936-11-05", "1936-11-05", 90.0, 40.0),
    ]
)


@pytest.mark.parametrize(
    "when, where",
    [
        ("1936-10-31", None),  # the day before the branch's first stop
        ("1936-11-01", (104.0, 36.0)),  # its first day, a one-day stop: there, not off the route
        ("1936-11-06", (103.0, 37.0)),  # halfway along the first segment (5 of 10 days)
        ("1936-11-11", (102.0, 38.0)),  # the day it arrives
        ("1936-11-15", (102.0, 38.0)),
        ("1936-11-20", (102.0, 38.0)),  # the day it leaves
        ("1936-11-25", (101.0, 38.5)),  # halfway along the second segment
        ("1936-11-30", (100.0, 39.0)),  # the last day
        ("1936-12-01", None),  # the day after
    ],
)
def test_position_at_on_every_boundary(when, where):
    """Both ends of a stop, and of a branch, count as the stop: a figure dated the day the army
    reached a place is drawn there (a ``<`` for a ``<=`` moved marks and dropped figures off the band)."""
    got = route.position_at(STOPS, "wra", when)
    assert got == (None if where is None else pytest.approx(where))


def test_position_at_reads_only_its_own_branch():
    assert route.position_at(STOPS, "left_detachment", "1936-11-05") == (90.0, 40.0)
    assert route.position_at(STOPS, "left_detachment", "1936-11-06") is None
    assert route.position_at(STOPS, "centre_detachment", "1936-11-05") is None


# ---------------------------------------------------------------- strength and width

FIGS = strength_frame(
    [
        ("S01", "1936-10-24", "wra", "strength", 21800, None, "more_than", "M", "web_a", "n.p."),
        ("S02", "1936-10-24", "wra", "strength", 21000, 21000, "about", "M", "web_b", "n.p."),
        ("S03", "1936-10-24", "wra", "strength", 21800, None, "more_than", "M", "web_c", "n.p."),
        ("S04", "1936-12-15", "wra", "strength", 18000, None, "more_than", "M", "article", "part 2"),
        ("S05", "1937-01-21", "wra", "strength", None, 10000, "fewer_than", "M", "article", "part 2"),
        ("S06", "1937-01-21", "wra", "strength", 14000, 14000, "about", "L", "popular", "n.p."),
        ("S07", "1937-01-31", "wra", "strength", 8000, 9000, "range", "M", "web_d", "n.p."),
        ("S08", "1937-02-15", "wra", "strength", None, 10000, "fewer_than", "L", "novel", "n.p."),
        ("S09", "1937-01-21", "wra", "loss", 0.5, 0.5, "fraction", "L", "popular", "n.p."),
        ("S10", "1937-03-01", "wra", "reached", 2000, 9000, "range", "M", "article", "part 2"),
        ("S11", "1937-03-14", "left_detachment", "strength", 1000, 1000, "about", "M", "web_e", "n.p."),
        ("S12", "1937-04-23", "left_detachment", "strength", 903, 903, "exact", "M", "web_f", "n.p."),
        ("S13", "1937-05-01", "left_detachment", "reached", 437, 437, "exact", "M", "web_g", "n.p."),
    ]
)


def test_bounds_are_drawn_at_the_bound_and_ranges_at_their_middle():
    f = route.figures(FIGS, "wra").set_index("id")
    assert f.loc["S01", "value"] == 21800  # 余: the lower bound itself
    assert f.loc["S05", "value"] == 10000  # 不到: the upper bound itself
    assert f.loc["S07", "value"] == 8500  # 八九千: the middle of the source's own range
    assert "S09" not in f.index  # a share is not drawn
    assert "S10" not in f.index  # men reaching home later are not the army's strength


def test_disputes_are_never_averaged_and_alternatives_are_listed():
    f = route.figures(FIGS, "wra")
    chosen = f[f["chosen"]]
    assert chosen["date"].is_unique
    first = f[f["date"] == pd.Timestamp("1936-10-24")]
    pick = first[first["chosen"]]
    assert len(pick) == 1 and pick["value"].iloc[0] in set(first["value"])
    # two sources say 21,800余, one says about 21,000: the figure most sources state wins
    assert pick["id"].iloc[0] == "S01"
    assert "S02: ~21,000" in pick["alternatives"].iloc[0]


def test_low_graded_figures_are_listed_but_not_drawn():
    f = route.figures(FIGS, "wra").set_index("id")
    assert f.loc["S05", "chosen"] and not f.loc["S06", "chosen"]  # M beats L on 21 Jan
    assert not f.loc["S08", "chosen"]  # a lone L figure is not drawn
    assert "S05: <10,000" in f.loc["S06", "alternatives"]


def test_interpolation_keeps_sourced_points_and_flags_the_rest():
    f = route.figures(FIGS, "wra")
    chosen = f[f["chosen"]]
    when = pd.to_datetime(
        ["1936-10-01", "1936-10-24", "1936-11-20", "1936-12-15", "1937-01-10", "1937-01-21", "1937-03-01"]
    )
    w = route.interpolate(chosen, when).set_index("date")
    assert w.loc["1936-10-24", "value"] == 21800 and not w.loc["1936-10-24", "interpolated"]
    assert w.loc["1936-12-15", "value"] == 18000 and w.loc["1936-12-15", "basis"] == "sourced"
    mid = w.loc["1937-01-10"]
    assert 10000 < mid["value"] < 18000 and mid["interpolated"] and mid["basis"] == "interpolated"
    # linear in time: 26 of the 37 days from 15 Dec to 21 Jan
    assert mid["value"] == pytest.approx(18000 + (10000 - 18000) * 26 / 37)
    assert w.loc["1936-10-01", "basis"] == "held" and w.loc["1936-10-01", "value"] == 21800
    assert w.loc["1937-03-01", "basis"] == "held" and w.loc["1937-03-01", "value"] == 8500


def test_interpolation_without_figures_gives_no_width():
    empty = route.figures(FIGS, "centre_detachment")
    w = route.interpolate(empty[empty["chosen"]], pd.to_datetime(["1937-03-20"]))
    assert w["value"].isna().all() and (w["basis"] == "none").all()


def test_widths_use_each_branchs_own_unit(built):
    _, st, _ = built
    w = route.widths(st, route.band_figures(FIGS))
    left = w[w["branch"] == "left_detachment"].set_index("place_id")
    assert left.loc["shiwo", "value_leave"] == 1000 and left.loc["shiwo", "basis_leave"] == "sourced"
    assert 903 > left.loc["anxi", "value_arrive"] > 437  # between 903 (23 Apr) and 437 (1 May)
    main = w[w["branch"] == route.MAIN]
    assert main["value_arrive"].max() <= 21800


def test_phrases_keep_the_uncertainty():
    f = route.figures(FIGS, "wra").set_index("id")
    assert route.phrase(f.loc["S01"]) == "at least 21,800"
    assert route.phrase(f.loc["S05"]) == "fewer than 10,000"
    assert route.short_phrase(f.loc["S01"]) == "≥21,800"
    assert route.short_phrase(f.loc["S07"]) == "8,000–9,000"


def test_chapter_gathers_the_route_and_every_number_the_prose_quotes(built):
    _, st, seg = built
    march = route.chapter(MARCH, PLACES, FIGS, within=BOX, turn="gaotai", fallback="nijiayingzi", border="anxi")
    pd.testing.assert_frame_equal(march.stops, st)
    pd.testing.assert_frame_equal(march.segments, seg)
    n = march.numbers
    assert all(key.startswith("route_") for key in n)
    drive = route.stretch(st, route.CROSSING, "gaotai")
    assert n["route_km_drive"] == round(drive["km"]) and n["route_days_drive"] == drive["days"]
    assert n["route_n_turns"] == 0 and n["route_turns"] == ""  # straight west to Gaotai
    assert n["route_km_back"] == round(route.stretch(st, "gaotai", "nijiayingzi")["km"])
    whole = route.stretch(st, route.CROSSING, "anxi", "left_detachment")
    assert n["route_km_whole"] == round(whole["km"]) and n["route_days_whole"] == whole["days"]
    # Dihua lies beyond the map, some 740 km on from Anxi in a straight line
    assert n["route_beyond"] == "Dihua 迪化"
    assert n["route_km_beyond"] == round(route.haversine_km(40.52, 95.78, 43.82, 87.62))
    assert 700 < n["route_km_beyond"] < 800
    assert n["route_str_start"] == "at least 21,800"
    # every chosen figure but S13 (at Dihua, after the left detachment's last stop) is drawn on the band,
    # S01 on the day of the crossing and S11 on the day of the split: the first days of their branches
    assert (n["route_n_figures"], n["route_n_chosen"], n["route_n_on_band"]) == (11, 7, 6)


# ---------------------------------------------------------------- geometry


def test_shipped_geometry_has_every_layer_with_its_licence():
    layers = geo.load()
    assert set(layers) == set(geo.LAYERS)
    assert all(len(layers[name]) > 0 for name in geo.LAYERS)
    src = geo.sources()
    assert src["rivers"]["licence"].startswith("LGPL")
    assert "public domain" in src["provinces"]["licence"]
    assert all(len(s["sha256"]) == 64 for s in src.values())
    assert (geo.GEOMETRY.parent / "LICENSES" / "LGPL-3.0.txt").exists()


def test_the_yellow_river_passes_lanzhou_jingyuan_and_zhongwei():
    pts = np.vstack(geo.load()["rivers"])
    for lat, lon in ((36.07, 103.82), (36.57, 104.68), (37.52, 105.18)):
        nearest = route.haversine_km(lat, lon, pts[:, 1], pts[:, 0]).min()
        assert nearest < 10, (lat, lon, nearest)


def test_geometry_lies_inside_its_box():
    b = geo.BBOX
    for lines in geo.load().values():
        pts = np.vstack(lines)
        assert pts[:, 0].min() >= b[0] and pts[:, 0].max() <= b[1]
        assert pts[:, 1].min() >= b[2] and pts[:, 1].max() <= b[3]


# ---------------------------------------------------------------- charts


def test_band_polygon_has_the_asked_width():
    poly = route_charts.band_polygon(100.0, 38.0, 102.0, 38.0, 0.2, 0.1)
    assert poly.shape == (5, 2)
    assert poly[0, 1] - poly[3, 1] == pytest.approx(0.2)  # start: 0.2 degrees across
    assert poly[1, 1] - poly[2, 1] == pytest.approx(0.1)  # end: 0.1 degrees across


def test_place_label_gives_english_then_chinese_with_an_old_name_kept():
    row = PLACES.set_index("place_id")
    assert names.place_label(row.loc["wuwei"]) == "Liangzhou (Wuwei) 凉州（武威）"


@pytest.fixture
def chart(built):
    """The route figure of the fixture, and its four drawings."""
    wra.setup()
    _, st, seg = built
    figs = route.band_figures(FIGS)
    w = route.widths(st, figs)
    events = pd.DataFrame({"date": pd.to_datetime(["1936-10-25", "1937-03-14"]), "label": ["Crossing 虎豹口", "Split"]})
    fig = route_charts.figure(
        w, seg, figs, places=PLACES, cite=lambda row: f"{row['source']}, {row['pages']}", events=events,
        title="From A to B: far",
    )  # fmt: skip
    return w, fig, figures.variants(fig)


def _axis(layout: dict, ref: str) -> dict:
    """The layout axis an annotation's ``xref``/``yref`` names ("x", "y2", "x3 domain")."""
    name = ref.split()[0]
    return layout[f"{name[0]}axis{name[1:]}"]


def _px(spec: dict, ref: str, value, letter: str) -> float:
    """Pixels (from the figure's top left) of a coordinate given in an annotation's reference."""
    layout = spec["layout"]
    m = layout["margin"]
    plot = (layout["width"] - m["l"] - m["r"]) if letter == "x" else (layout["height"] - m["t"] - m["b"])
    if ref == "paper":
        frac = value
    else:
        axis = _axis(layout, ref)
        dom = axis.get("domain", [0, 1])
        if ref.endswith("domain"):
            inner = value
        else:
            lo, hi = axis.get("range") or layout["xaxis"]["range"]  # x2 matches x
            if axis.get("type") == "date":
                lo, hi, value = (pd.Timestamp(v).value for v in (lo, hi, value))
            inner = (value - lo) / (hi - lo)
        frac = dom[0] + inner * (dom[1] - dom[0])
    return m["l"] + frac * plot if letter == "x" else m["t"] + (1 - frac) * plot


def _box(spec: dict, ann: dict) -> tuple:
    """The estimated box of an annotation as drawn (anchor, shift or leader)."""
    w, h = route_charts.text_size(ann["text"], ann["font"]["size"])
    px, py = _px(spec, ann["xref"], ann["x"], "x"), _px(spec, ann["yref"], ann["y"], "y")
    if ann.get("showarrow"):
        dx, dy = ann["ax"], -ann["ay"]
    else:
        dx, dy = ann.get("xshift", 0), ann.get("yshift", 0)
    xa, ya = ann.get("xanchor", "center"), ann.get("yanchor", "middle")
    return route_charts.label_box(px, py, w, h, dx, dy, "center" if xa == "auto" else xa, ya)


def _domain_box(spec: dict, n: int) -> tuple:
    layout = spec["layout"]
    xd, yd = layout[f"xaxis{n}"]["domain"], layout[f"yaxis{n}"]["domain"]
    x0, x1 = (_px(spec, "paper", v, "x") for v in xd)
    y1, y0 = (_px(spec, "paper", v, "y") for v in yd)
    return (x0, y0, x1, y1)


def _shown(spec: dict) -> list[dict]:
    return [a for a in spec["layout"]["annotations"] if a.get("visible", True)]


def test_route_figure_is_one_plotly_figure_with_hover_that_explains_itself(chart):
    _, fig, _ = chart
    plotly_html.check_traces(fig)
    assert {t.type for t in fig.data} == {"scatter"}
    marks = next(t for t in fig.data if t.name == "sourced figure")
    assert any("at least 21,800" in h and "web_a, n.p." in h for h in marks.hovertext)
    bands = [t for t in fig.data if t.name == "marching west" and t.hoverinfo == "text"]
    assert bands and any("interpolated" in t.text for t in bands)
    places = next(t for t in fig.data if t.name == "place on the route")
    assert any("Gulang" in h and "A04, A05" in h for h in places.hovertext)
    assert fig.layout.title.text == "From A to B: far"
    # the time panel shares the map's longitude axis and runs down in time
    assert fig.layout.xaxis2.matches == "x" and tuple(fig.layout.xaxis2.domain) == tuple(fig.layout.xaxis.domain)
    assert fig.layout.yaxis2.range[0] > fig.layout.yaxis2.range[1]


def test_the_whole_route_is_in_the_first_view_at_both_widths(chart):
    w, _, drawings = chart
    for name, spec in drawings.items():
        layout = spec["layout"]
        (x0, x1), (y0, y1) = layout["xaxis"]["range"], layout["yaxis"]["range"]
        # from the Yellow River to the Left Detachment's end, with no zoom to undo
        assert x0 < w["lon"].min() and w["lon"].max() < x1, name
        assert y0 < w["lat"].min() and w["lat"].max() < y1, name
        # the map's frame has the aspect of its ranges, so plotly.js widens neither range
        (px0, py0, px1, py1) = _domain_box(spec, "")
        ratio = (px1 - px0) / (py1 - py0) / ((x1 - x0) / (y1 - y0) / layout["yaxis"]["scaleratio"])
        assert ratio == pytest.approx(1, abs=0.02), name
        # no longitude or latitude on the map or along the time panel
        for axis in ("xaxis", "yaxis", "xaxis2"):
            assert layout[axis]["showticklabels"] is False and layout[axis]["showgrid"] is False


def test_no_label_is_cut_at_the_edges_or_covers_another(chart):
    _, _, drawings = chart
    for name, spec in drawings.items():
        layout = spec["layout"]
        placed = [a for a in _shown(spec) if not a.get("textangle")]
        boxes = [(a, _box(spec, a)) for a in placed]
        for a, b in boxes:
            assert b[0] >= -1 and b[2] <= layout["width"] + 1 and b[1] >= -1 and b[3] <= layout["height"] + 1, (
                name,
                a["text"],
            )
            if a["xref"] == "x":  # a label on the map stays inside it
                m = _domain_box(spec, "")
                assert m[0] - 1 <= b[0] and b[2] <= m[2] + 1 and m[1] - 1 <= b[1] and b[3] <= m[3] + 1, a["text"]
        for i, (a, b) in enumerate(boxes):
            for c, d in boxes[i + 1 :]:
                assert route_charts.overlap(b, d) < 2, (name, a["text"], c["text"])


def test_locator_and_inset_are_clear_of_every_label_and_note(chart):
    _, fig, drawings = chart
    assert any(t.name == "locator" and t.xaxis == "x4" for t in fig.data)
    for name, spec in drawings.items():
        inset, locator = _domain_box(spec, 3), _domain_box(spec, 4)
        assert route_charts.overlap(inset, locator) == 0, name
        for a in _shown(spec):
            if a["xref"] in ("x3", "x4") or a.get("textangle"):
                continue
            box = _box(spec, a)
            assert route_charts.overlap(box, inset) == 0, (name, a["text"])
            assert route_charts.overlap(box, locator) == 0, (name, a["text"])
        # the inset takes no more than a quarter of the map (on a phone it stands under the map)
        m = _domain_box(spec, "")
        area = (inset[2] - inset[0]) * (inset[3] - inset[1])
        assert area < 0.25 * (m[2] - m[0]) * (m[3] - m[1]) or route_charts.overlap(inset, m) == 0, name


def test_the_inset_enlarges_its_box_with_its_places_and_figures(chart):
    _, fig, drawings = chart
    layout = fig.layout
    x0, x1 = layout.xaxis3.range
    y0, y1 = layout.yaxis3.range
    zoom = route_charts.ZOOM
    assert x0 <= zoom[0] and zoom[1] <= x1 and y0 <= zoom[2] and zoom[3] <= y1
    inset = [t for t in fig.data if t.xaxis == "x3"]
    assert any(t.hoverinfo == "text" and "strength leaving" in str(t.text) for t in inset if t.fill == "toself")
    texts = [a["text"] for a in _shown(drawings["wide-light"]) if a["xref"] == "x3"]
    assert any("Nijiayingzi" in t for t in texts) and any("&lt;10,000 (21 Jan)" in t for t in texts)
    # the zoom box drawn on the map is the box the inset shows
    box = next(t for t in fig.data if t.name == "zoom box")
    assert (min(box.x), max(box.x)) == pytest.approx((x0, x1))


def test_strength_labels_and_province_names_are_on_the_map(chart):
    _, _, drawings = chart
    wide = " ".join(a["text"] for a in _shown(drawings["wide-light"]))
    for figure in ("≥21,800 (24 Oct)", "≥18,000 (15 Dec)", "&lt;10,000 (21 Jan)", "903 (23 Apr)"):
        assert figure in wide, figure
    for name, spec in drawings.items():
        # as read: a label in two lines reads as one
        shown = re.sub(r"<[^>]+>", "", " ".join(a["text"].replace("<br>", " ") for a in _shown(spec)))
        assert "Gansu 甘肃" in shown and "Qinghai 青海" in shown, name
        assert "≥21,800 (24 Oct)" in shown, name  # the first figure, on a phone too
        assert "Anxi" in shown and "Hubaokou" in shown, name


def test_a_scale_bar_true_at_its_latitude(chart):
    _, fig, _ = chart
    black = next(t for t in fig.data if t.name == "scale bar")
    white = next(t for t in fig.data if t.name == "scale bar half")
    lat = min(black.y)
    km = route.haversine_km(lat, min(black.x), lat, max(white.x))
    label = next(a.text for a in fig.layout.annotations if a.name == "scale-km")
    assert km == pytest.approx(float(label.split()[0].replace(",", "")), rel=1e-3)


def test_no_text_under_the_minimum_size_in_any_drawing(chart):
    _, _, drawings = chart
    for name, spec in drawings.items():
        sizes = figures.font_sizes(spec)
        assert sizes, name
        assert min(size for _, size in sizes) >= style.MIN_FONT, (name, min(sizes, key=lambda s: s[1]))


def test_the_phone_drawing_is_taller_with_fewer_labels_and_the_legend_below(chart):
    _, fig, drawings = chart
    phone_patch = fig.layout.meta["wra"]["phone"]
    assert phone_patch["traces"]["other town"] is None
    assert any(name.startswith("town:") and patch is None for name, patch in phone_patch["annotations"].items())
    wide, phone = drawings["wide-light"], drawings["phone-light"]
    assert phone["layout"]["width"] == style.PHONE.width
    assert phone["layout"]["height"] / phone["layout"]["width"] > wide["layout"]["height"] / wide["layout"]["width"]
    assert not any(t.get("name") == "other town" for t in phone["data"])
    assert len(_shown(phone)) < len(_shown(wide))
    assert phone["layout"]["legend"]["y"] < 0 and phone["layout"]["legend"]["orientation"] == "h"
    assert phone["layout"]["xaxis2"]["title"]["text"] == route_charts.TIME_AXIS_PHONE
    # the inset and a smaller locator in a row under the map, clear of its labels
    w_loc, p_loc = _domain_box(wide, 4), _domain_box(phone, 4)
    assert p_loc[2] - p_loc[0] < w_loc[2] - w_loc[0]
    phone_map = _domain_box(phone, "")
    for n in (3, 4):
        assert _domain_box(phone, n)[1] > phone_map[3], n


def test_dark_drawing_swaps_the_halos_and_the_band(chart):
    _, _, drawings = chart
    dark = drawings["wide-dark"]
    halos = {a.get("bgcolor") for a in dark["layout"]["annotations"] if a.get("bgcolor")}
    assert halos and all(h.startswith("rgba(20,24,30") for h in halos)
    fills = {t.get("fillcolor") for t in dark["data"] if t.get("name") == "marching west"}
    assert fills == {wra.presentation.style.DARK["west"]}


def test_placer_keeps_labels_apart_and_leaves_out_what_does_not_fit():
    placer = route_charts.Placer((0, 0, 220, 120))
    items = [route_charts.Item(f"p{i}", 60 + 40 * i, 60, [f"Place {i} 地名"], 11) for i in range(3)]
    spots = placer.place_all(items)
    boxes = [s.box for s in spots.values()]
    assert all(s is not None for s in spots.values())
    assert all(route_charts.overlap(a, b) == 0 for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    assert all(b[0] >= 0 and b[2] <= 200 and b[1] >= 0 and b[3] <= 100 for b in boxes)
    # a label that need not show finds no room in a full frame
    crowded = route_charts.Placer((0, 0, 40, 20), [(0, 0, 40, 20)])
    assert crowded.place(route_charts.Item("x", 20, 10, ["Name"], 11, must=False)) is None
    # a Chinese character is one em, a Latin one a little over half
    w_zh, _ = route_charts.text_size("高台", 10)
    w_en, _ = route_charts.text_size("Gaotai", 10)
    assert w_zh == pytest.approx(22) and 35 < w_en < 40


def test_nice_km_and_km_to_lon():
    assert [route_charts.nice_km(x) for x in (970, 480, 120, 3)] == [100, 50, 20, 1]
    assert route_charts.km_to_lon(111.19, 0.0) == pytest.approx(1.0, rel=1e-3)
    assert route_charts.km_to_lon(111.19, 60.0) == pytest.approx(2.0, rel=1e-3)


def test_route_finding_keeps_bounds_and_says_straight_lines():
    numbers = {
        "route_str_start": "at least 21,800",
        "route_str_left_end": "at least 400",
        "route_km_whole": 1339,
        "route_days_whole": 185,
    }
    assert route.finding(numbers) == (
        "From at least 21,800 men at the Yellow River to at least 400 at the Xinjiang border: "
        "1,339 km as the crow flies, in 185 days"
    )


def test_split_round_keeps_parts_adding_up_to_the_total():
    # 665.8 + 127.6 = 793.4: rounding each part apart gives 666 + 128 = 794, not 793
    assert route.split_round(793.42, [665.83, 127.59]) == (793, [666, 127])
    assert route.split_round(10.0, [5.0, 5.0]) == (10, [5, 5])
    total, parts = route.split_round(1339.5, [1000.25, 339.25])
    assert sum(parts) == total
