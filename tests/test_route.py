"""The route chapter's package code: route building, distances, band widths, geometry, charts.

Every test builds its own small frames (typed like :func:`wra.record.data.load`
output), so none depends on the book's data.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import wra
from wra.analysis import route
from wra.presentation import geo, plotly_html, route_charts
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


def test_matplotlib_map_and_time_panel_share_longitude(built):
    wra.setup()
    _, st, seg = built
    figs = route.band_figures(FIGS)
    w = route.widths(st, figs)
    fig = route_charts.figure_mpl(w, seg, figs, places=PLACES)
    try:
        ax, axt = fig.axes[0], fig.axes[-1]
        assert ax.get_xlim() == axt.get_xlim()
        assert axt.yaxis_inverted()
        n_band = sum(
            1
            for p in ax.patches
            if p.get_facecolor()[:3] == matplotlib.colors.to_rgb(wra.presentation.style.COLORS["west"])
        )
        assert n_band >= (seg["direction"] == "west").sum()
        texts = {t.get_text() for t in ax.texts}
        assert any("Anxi 安西" in t for t in texts)
        assert any("≥21,800" in t for t in texts)
    finally:
        plt.close(fig)


def test_plotly_figure_uses_only_scatter_and_explains_itself(built):
    wra.setup()
    _, st, seg = built
    figs = route.band_figures(FIGS)
    w = route.widths(st, figs)
    fig = route_charts.figure_plotly(w, seg, figs, places=PLACES, cite=lambda row: f"{row['source']}, {row['pages']}")
    plotly_html.check_traces(fig)
    assert {t.type for t in fig.data} == {"scatter"}
    marks = next(t for t in fig.data if t.name == "sourced figure")
    assert any("at least 21,800" in h and "interpolated" not in h for h in marks.hovertext)
    bands = [t for t in fig.data if t.name == "marching west" and t.hoverinfo == "text"]
    assert bands and any("interpolated" in t.text for t in bands)
    assert fig.layout.yaxis.scaleanchor == "x"


def test_matplotlib_map_has_no_graticule_a_scale_bar_and_a_locator(built):
    wra.setup()
    _, st, seg = built
    figs = route.band_figures(FIGS)
    w = route.widths(st, figs)
    fig = route_charts.figure_mpl(w, seg, figs, places=PLACES, title="From A: to B")
    try:
        ax, axt = fig.axes[0], fig.axes[-1]
        fig.canvas.draw()
        # no longitude or latitude: no ticks or tick labels on the map or along the time panel's longitude
        assert len(ax.get_xticks()) == 0 and len(ax.get_yticks()) == 0
        assert not [t for t in ax.get_xticklabels() + ax.get_yticklabels() if t.get_text()]
        assert not [t for t in axt.get_xticklabels() if t.get_text() and t.get_visible()]
        assert not ax.xaxis._major_tick_kw.get("gridOn", False) and not ax.get_ylabel()
        # a km scale bar whose length is true at its latitude
        bar = next(p for p in ax.patches if p.get_gid() == "scalebar")
        half = next(p for p in ax.patches if p.get_gid() == "scalebar-half")
        lat = bar.get_y()
        km = route.haversine_km(lat, bar.get_x(), lat, half.get_x() + half.get_width())
        label = next(t.get_text() for t in ax.texts if t.get_text().endswith(" km"))
        assert km == pytest.approx(float(label.split()[0].replace(",", "")), rel=1e-3)
        # a locator: China's outline with the map's box on it
        locator = next(a for a in ax.child_axes if a.get_gid() == "locator")
        box = route_charts.extent(w)
        frames = [p for p in locator.patches if isinstance(p, matplotlib.patches.Rectangle) and not p.get_fill()]
        assert any(
            r.get_x() == pytest.approx(box[0]) and r.get_width() == pytest.approx(box[1] - box[0]) for r in frames
        )
        assert len(locator.patches) > 1  # China's outline and the box
        assert ax.get_title(loc="left") == "From A:\nto B"
    finally:
        plt.close(fig)


def test_nice_km_and_km_to_lon():
    assert [route_charts.nice_km(x) for x in (970, 480, 120, 3)] == [100, 50, 20, 1]
    assert route_charts.km_to_lon(111.19, 0.0) == pytest.approx(1.0, rel=1e-3)
    assert route_charts.km_to_lon(111.19, 60.0) == pytest.approx(2.0, rel=1e-3)


def test_plotly_map_opens_on_the_corridor_with_the_inset_and_no_graticule(built):
    wra.setup()
    _, st, seg = built
    figs = route.band_figures(FIGS)
    w = route.widths(st, figs)
    fig = route_charts.figure_plotly(w, seg, figs, places=PLACES, cite=lambda row: row["source"], title="A: B")
    layout = fig.layout
    # opens on the main band (crossing to split), not on the whole route
    main = w[w["branch"] == route.MAIN]
    x0, x1 = layout.xaxis.range
    y0, y1 = layout.yaxis.range
    assert x0 <= main["lon"].min() and main["lon"].max() <= x1
    assert y0 <= main["lat"].min() and main["lat"].max() <= y1
    assert x0 > w["lon"].min()  # the Left Detachment's far end is off the first view ...
    assert any("double-click" in (a.text or "") for a in layout.annotations)  # ... and the reader is told
    # no longitude or latitude on the map or the time panel's shared axis
    for axis in (layout.xaxis, layout.yaxis, layout.xaxis2):
        assert axis.showticklabels is False and axis.showgrid is False
    # the inset keeps the Gaotai-Nijiayingzi-Shiwo box, with hover on its band
    assert tuple(layout.xaxis3.range) == route_charts.ZOOM[:2] and tuple(layout.yaxis3.range) == route_charts.ZOOM[2:]
    inset = [t for t in fig.data if t.xaxis == "x3"]
    assert any(t.hoverinfo == "text" and "strength leaving" in str(t.text) for t in inset if t.fill == "toself")
    assert any("Nijiayingzi" in " ".join(t.text or ()) for t in inset if t.mode == "markers+text")
    # a scale bar and a locator
    assert any(s.name == "scalebar" for s in layout.shapes)
    assert any(a.text.endswith(" km") for a in layout.annotations if a.text)
    assert any(t.name == "locator" and t.xaxis == "x4" for t in fig.data)
    assert "A:<br>B" in layout.title.text


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
