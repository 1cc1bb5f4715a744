"""Bounds, wording, losses and charts of troop strength (wra.analysis.strength), on small fixtures."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pandas as pd
import pytest

import wra
from wra.analysis import strength as st
from wra.presentation import charts, figures, style
from wra.presentation import strength_charts as sc
from wra.presentation import strength_tables as stt

COLUMNS = [
    "id",
    "date",
    "date_precision",
    "date_end",
    "side",
    "unit",
    "measure",
    "low",
    "high",
    "qualifier",
    "base_id",
    "quote_zh",
    "wording_zh",
    "source",
    "pages",
    "confidence",
    "note",
    "via",
    "comment_en",
]


def row(
    id,
    date,
    unit,
    low,
    high,
    qualifier,
    source="art",
    confidence="M",
    measure="strength",
    side="red",
    quote="",
    wording="",
    base_id=None,
):
    return {
        "id": id,
        "date": pd.Timestamp(date),
        "date_precision": "day",
        "date_end": pd.NaT,
        "side": side,
        "unit": unit,
        "measure": measure,
        "low": np.nan if low is None else float(low),
        "high": np.nan if high is None else float(high),
        "qualifier": qualifier,
        "base_id": base_id,
        "quote_zh": quote or None,
        "wording_zh": wording or None,
        "source": source,
        "pages": "part 2",
        "confidence": confidence,
        "note": pd.NA,
        "via": None,
        "comment_en": None,
    }


def frame(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=COLUMNS)


@pytest.fixture
def campaign() -> pd.DataFrame:
    """A small made-up campaign with every qualifier and a dispute."""
    return frame(
        row("S01", "1936-11-10", "wra", 21800, None, "more_than", source="a", wording="21800余"),
        row("S02", "1936-11-13", "wra", 22000, 22000, "about", source="g", confidence="H"),
        row("S03", "1936-12-15", "wra", 18000, None, "more_than", quote="一万八千余"),
        row("S04", "1937-01-21", "wra", None, 10000, "fewer_than", quote="不到一万"),
        row("S05", "1937-01-21", "wra", 14000, 14000, "about", source="n", confidence="L"),
        row("S06", "1937-01-31", "wra", 8000, 9000, "range", source="w"),
        row("S07", "1937-04-23", "left_detachment", 903, 903, "exact", source="p", confidence="H"),
        row("S08", "1937-04-30", "left_detachment", 437, 437, "exact", source="v", measure="reached"),
        row("S09", "1937-04-30", "left_detachment", None, 500, "fewer_than", source="f", measure="reached"),
        row("S10", "1937-04-30", "left_detachment", 300, 400, "range", source="c", confidence="L", measure="reached"),
        row("S11", "1936-11-18", "ninth_army", None, 0.5, "fraction", measure="loss", quote="近半", base_id="S12"),
        row("S12", "1936-11-14", "ninth_army", 6000, None, "more_than", source="j"),
        row("S13", "1937-01-20", "fifth_army", 3000, 3000, "about", quote="三千"),
        row("S14", "1936-12-01", "ma_forces", 70000, None, "more_than", side="ma", source="a", measure="strength"),
        row("S15", "1937-03-14", "right_detachment", 700, None, "more_than", source="s"),
        row("S16", "1937-03-14", "right_detachment", 500, 500, "about", source="t"),
    )


@pytest.fixture
def events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": pd.to_datetime(["1936-10-25", "1937-01-20", "1937-03-14"]),
            "label": ["Crossing 虎豹口", "Gaotai 高台", "Shiwo 石窝"],
        }
    )


# -- bounds ---------------------------------------------------------------


def test_bounds_by_qualifier(campaign):
    by_id = campaign.set_index("id", drop=False)
    assert tuple(st.bounds(by_id.loc["S03"])) == (18000, None, "lower")
    assert tuple(st.bounds(by_id.loc["S04"])) == (None, 10000, "upper")
    assert tuple(st.bounds(by_id.loc["S06"])) == (8000, 9000, "range")
    assert tuple(st.bounds(by_id.loc["S07"])) == (903, 903, "exact")
    assert tuple(st.bounds(by_id.loc["S13"])) == (3000, 3000, "about")
    share = st.bounds(by_id.loc["S11"])
    assert (share.low, share.high, share.kind, share.share) == (None, 0.5, "upper", True)


def test_bounds_strictness_follows_the_wording():
    # 不到一万 excludes 10,000 itself; 一万八千余 includes 18,000 (we read 余 as "at least").
    assert st.bounds(row("x", "1937-01-01", "wra", None, 10000, "fewer_than")).strict_high
    assert not st.bounds(row("x", "1937-01-01", "wra", 18000, None, "more_than")).strict_low


@pytest.mark.parametrize(
    "low, high, qualifier",
    [
        (18000, 19000, "more_than"),  # more_than may not have a high
        (None, None, "about"),
        (100, 200, "exact"),  # exact needs low == high
        (9000, 8000, "range"),
        (5, 5, "roughly"),
    ],
)
def test_bounds_reject_figures_that_do_not_fit_the_qualifier(low, high, qualifier):
    with pytest.raises(ValueError):
        st.bounds(row("x", "1937-01-01", "wra", low, high, qualifier))


# -- words ----------------------------------------------------------------


def test_describe_respects_the_bounds(campaign):
    words = dict(zip(campaign["id"], [st.describe(r) for _, r in campaign.iterrows()]))
    assert words["S03"] == "at least 18,000"
    assert words["S04"] == "fewer than 10,000"
    assert words["S06"] == "between 8,000 and 9,000"
    assert words["S13"] == "about 3,000"
    assert words["S07"] == "903"
    assert words["S11"] == "nearly half"


def test_describe_fraction_without_near_is_less_than():
    assert (
        st.describe(row("x", "1937-01-01", "wra", None, 1 / 3, "fraction", wording="不到三分之一"))
        == "less than a third"
    )
    assert st.describe(row("x", "1937-01-01", "wra", 0.5, None, "fraction")) == "more than half"
    assert st.describe(row("x", "1937-01-01", "wra", 0.25, 0.5, "fraction")) == "between a quarter and a half"


def test_describe_share_rounds_so_the_bound_stays_true():
    assert st.describe_share(st.Bounds(0.4449, None, "lower", strict_low=True, share=True)) == "more than 44%"
    assert st.describe_share(st.Bounds(None, 0.9601, "upper", share=True)) == "at most 97%"
    assert st.describe_share(st.Bounds(None, None, "unknown", share=True)) == "not bounded by these figures"


# -- losses ---------------------------------------------------------------


def test_fraction_lost_from_lower_to_upper_bound_is_a_strict_lower_bound(campaign):
    by_id = campaign.set_index("id", drop=False)
    lost = st.fraction_lost(by_id.loc["S03"], by_id.loc["S04"])
    assert lost.kind == "lower" and lost.strict_low and lost.high is None
    assert lost.low == pytest.approx(1 - 10000 / 18000)
    assert st.describe_share(lost) == "more than 44%"
    men = st.men_lost(by_id.loc["S03"], by_id.loc["S04"])
    assert (men.low, men.high, men.kind) == (8000, None, "lower")
    assert st.describe(men) == "more than 8,000"


def test_fraction_lost_between_two_lower_bounds_is_unknown(campaign):
    by_id = campaign.set_index("id", drop=False)
    lost = st.fraction_lost(by_id.loc["S01"], by_id.loc["S03"])
    assert lost.kind == "unknown" and lost.low is None and lost.high is None


def test_fraction_lost_between_points_and_ranges(campaign):
    by_id = campaign.set_index("id", drop=False)
    about = st.fraction_lost(by_id.loc["S02"], by_id.loc["S08"])  # about 22,000 -> exactly 437
    assert about.kind == "about" and about.low == pytest.approx(1 - 437 / 22000) == about.high
    exact = st.fraction_lost(by_id.loc["S07"], by_id.loc["S08"])  # 903 -> 437, both exact
    assert exact.kind == "exact" and exact.low == pytest.approx(1 - 437 / 903)
    spread = st.fraction_lost(by_id.loc["S02"], by_id.loc["S06"])  # about 22,000 -> 8,000-9,000
    assert spread.kind == "range"
    assert spread.low == pytest.approx(1 - 9000 / 22000) and spread.high == pytest.approx(1 - 8000 / 22000)
    # an upper-bounded start cannot bound the loss from below
    capped = st.fraction_lost(by_id.loc["S04"], by_id.loc["S08"])
    assert capped.kind == "upper" and capped.low is None
    assert capped.high == pytest.approx(1 - 437 / 10000)


def test_fraction_lost_refuses_shares(campaign):
    by_id = campaign.set_index("id", drop=False)
    with pytest.raises(ValueError):
        st.fraction_lost(by_id.loc["S12"], by_id.loc["S11"])


# -- frames ---------------------------------------------------------------


def test_offsets_set_disputed_figures_side_by_side(campaign):
    off = st.offsets(campaign, step_days=2.0)
    by_id = dict(zip(campaign["id"], off))
    # three sources for the arrival, centred on the date, ordered by source (c, f, v)
    assert by_id["S10"] == pd.Timedelta(days=-2)
    assert by_id["S09"] == pd.Timedelta(0)
    assert by_id["S08"] == pd.Timedelta(days=2)
    # two sources on 1937-01-21
    assert {by_id["S04"], by_id["S05"]} == {pd.Timedelta(days=-1), pd.Timedelta(days=1)}
    assert by_id["S03"] == pd.Timedelta(0)
    flags = dict(zip(campaign["id"], st.disputed(campaign)))
    assert flags["S08"] and flags["S04"] and not flags["S03"] and not flags["S07"]


def test_guide_line_uses_only_confident_point_figures(campaign):
    guide = st.guide_line(st.total_path(campaign))
    # S05 (about 14,000) is a point but confidence L; bounds and ranges never enter.
    assert guide["id"].tolist() == ["S02", "S07", "S08"]
    assert guide["value"].tolist() == [22000, 903, 437]
    assert guide["date"].is_monotonic_increasing
    with_low = st.guide_line(st.total_path(campaign), min_confidence="L")
    assert "S05" in with_low["id"].tolist() and "S10" not in with_low["id"].tolist()


def test_guide_line_picks_a_figure_not_a_mean():
    rows = frame(
        row("S1", "1937-03-14", "wra", 2000, 2000, "about", source="a"),
        row("S2", "1937-03-14", "wra", 3000, 3000, "about", source="b"),
        row("S3", "1937-03-14", "wra", 2500, 2500, "about", source="c", confidence="H"),
        row("S4", "1937-03-20", "wra", 2000, 2000, "about", source="a"),
        row("S5", "1937-03-20", "wra", 3000, 3000, "about", source="b"),
    )
    guide = st.guide_line(rows)
    assert guide["id"].tolist() == ["S3", "S4"]  # the H figure; then the lower of two equals


def test_headline_and_named_span(campaign):
    head = st.headline(campaign)
    assert head["crossing"]["id"].tolist() == ["S01"]
    assert head["article"]["id"].tolist() == ["S03", "S04"]
    assert sorted(head["arrival"]["id"]) == ["S08", "S09", "S10"]
    assert st.named_span(head["arrival"]) == (300, 500)
    assert st.best(head["arrival"])["id"] == "S08"  # M beats L; exact beats a bound


def test_best_prefers_confidence_then_the_figure_most_sources_state():
    rows = frame(
        row("S1", "1936-10-24", "wra", 21000, 21000, "about", source="a"),
        row("S2", "1936-10-24", "wra", 21800, None, "more_than", source="b"),
        row("S3", "1936-10-24", "wra", 21800, None, "more_than", source="c"),
        row("S4", "1936-10-24", "wra", 25000, 25000, "exact", source="d", confidence="L"),
    )
    assert st.best(rows)["id"] == "S2"
    assert st.best(rows[rows["id"] != "S3"])["id"] == "S1"  # no majority: exact/about before a bound


def test_headline_picks_and_guide_join_the_stated_numbers(campaign):
    picks = st.headline_picks(campaign)
    assert picks["step"].tolist() == ["crossing", "article", "article", "arrival"]
    assert picks["id"].tolist() == ["S01", "S03", "S04", "S08"]
    assert picks["date"].dtype == campaign["date"].dtype
    guide = st.headline_guide(campaign)
    assert guide["value"].tolist() == [21800, 18000, 10000, 437]
    assert [st.face_value(r) for _, r in picks.iterrows()] == [21800, 18000, 10000, 437]
    assert st.face_value(campaign.set_index("id").loc["S06"]) is None  # a range has no single number


def test_conflicts_find_figures_a_point_only_guide_contradicts(campaign):
    points = st.guide_line(st.total_path(campaign))  # 22,000 (13 Nov) -> 903 (23 Apr) -> 437
    bad = st.conflicts(points, st.select(campaign, units="wra"))
    # in mid-December the line runs below the article's "at least 18,000"
    assert "S03" in bad["id"].tolist()
    assert bad.set_index("id").loc["S03", "guide"] < 18000
    # the 8,000-9,000 range at the end of January lies above the line too
    assert "S06" in bad["id"].tolist()
    # "fewer than 10,000" is respected; point figures are never "conflicts"
    assert "S04" not in bad["id"].tolist() and "S02" not in bad["id"].tolist()
    at = st.guide_at(points, ["1936-11-13", "1937-04-23", "1936-10-01"])
    assert at.iloc[0] == pytest.approx(22000) and at.iloc[1] == pytest.approx(903) and np.isnan(at.iloc[2])


def test_point_in_time_leaves_out_whole_campaign_totals(campaign):
    rows = campaign.copy()
    rows.loc[rows["id"] == "S14", "date_end"] = pd.Timestamp("1937-05-01")
    rows.loc[rows["id"] == "S01", "date_end"] = pd.Timestamp("1936-11-20")
    keep = dict(zip(rows["id"], st.point_in_time(rows)))
    assert not keep["S14"] and keep["S01"] and keep["S03"]


def test_table_sorted_by_date_with_words_and_citations(campaign):
    wra_rows = st.select(campaign, units="wra")
    out = stt.table(wra_rows, cite=lambda r: f"{r['source']}, {r['pages']}")
    assert list(out["Figure"]) == [
        "at least 21,800",
        "about 22,000",
        "at least 18,000",
        "fewer than 10,000",
        "about 14,000",
        "between 8,000 and 9,000",
    ]
    assert "一万八千余" in str(out.loc[2, "Chinese wording"])
    assert "a, part 2" in str(out.loc[0, "Source"])


# -- charts ---------------------------------------------------------------
#
# Each chart is one plotly figure; what the book shows is that figure drawn for a
# width and a theme (figures.variant), so the tests read the figure and its drawings.

ZOOM = [("Late April", "1937-04-20", "1937-05-02")]


def _cite(row):
    return f"cite:{row['source']}"


def _total(campaign, events, **kw):
    wra.setup()
    return sc.figure_total(campaign, events, cite=_cite, **kw)


def _units(data, events):
    wra.setup()
    return sc.figure_units(data, events, cite=_cite)


def _mark_of(fig, figure_id):
    """(trace, points) of the figure ``figure_id``: the points whose hover names it."""
    for trace in fig.data:
        points = [i for i, h in enumerate(trace.hovertext or []) if h and h.startswith(f"<b>{figure_id}:")]
        if points:
            return trace, points
    raise AssertionError(f"{figure_id} is not drawn")


def _notes(fig, name=None):
    return [a for a in fig.layout.annotations if name is None or (a.name or "").startswith(name)]


def _drawn_extent(rows):
    values = pd.concat([rows["low"], rows["high"]]).dropna()
    return float(values.min()), float(values.max())


def _palette_colours():
    from wra.presentation.figures import _rgb

    colours = {c.lower() for c in style.COLORS.values()}
    rgbs = {_rgb(c) for c in style.COLORS.values()}
    return colours, rgbs


def _colours(value, key=""):
    """Every colour string in a figure's JSON (values of keys that name a colour)."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k != "template":
                yield from _colours(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _colours(v, key)
    elif isinstance(value, str) and "color" in key.lower():
        yield value


def test_total_figure_states_its_finding_and_trims_its_log_axis(campaign, events):
    finding = st.finding(campaign)
    assert finding == "Of at least 21,800 who crossed the Yellow River, 437 reached Xinjiang"
    fig = _total(campaign, events)
    assert fig.layout.title.text == finding
    assert fig.layout.title.subtitle.text.endswith(st.finding_note(campaign))
    assert fig.layout.yaxis.type == "log"
    lo, hi = (10**v for v in fig.layout.yaxis.range)
    dmin, dmax = _drawn_extent(st.total_path(campaign))
    # the axis starts and ends near the data: no empty decade (the old axis ran 100 to 250,000)
    assert dmin / 2 <= lo < dmin and dmax < hi <= dmax * 2.5, (lo, hi, dmin, dmax)
    assert min(fig.layout.yaxis.tickvals) >= lo and max(fig.layout.yaxis.tickvals) <= hi
    assert fig.layout.yaxis.ticktext[0] == f"{fig.layout.yaxis.tickvals[0]:,.0f}"


def test_total_figure_draws_each_figure_as_what_it_says(campaign, events):
    fig = _total(campaign, events)
    # one mark per figure of the total path (wra + left detachment)
    drawn = {h.split(":")[0][3:] for t in fig.data for h in (t.hovertext or []) if h}
    assert drawn == set(st.total_path(campaign)["id"])
    # at least 18,000: a tick at 18,000, then an arrow up from it
    trace, (tick, tip) = _mark_of(fig, "S03")
    assert (trace.marker.symbol[tick], trace.marker.symbol[tip]) == ("line-ew", "arrow-up")
    assert trace.y[tick] == 18000 and trace.y[tip] > 18000
    # fewer than 10,000: a tick at 10,000 and an arrow down
    trace, (tick, tip) = _mark_of(fig, "S04")
    assert (trace.marker.symbol[tick], trace.marker.symbol[tip]) == ("line-ew", "arrow-down")
    assert trace.y[tick] == 10000 and trace.y[tip] < 10000
    # a range: a bar from its low to its high; exact: a filled dot; about: a hollow one
    trace, points = _mark_of(fig, "S06")
    assert [trace.y[i] for i in points] == [8000, 9000] and "lines" in trace.mode
    trace, points = _mark_of(fig, "S07")
    assert trace.marker.symbol[points[0]] == "circle"
    trace, points = _mark_of(fig, "S02")
    assert trace.marker.symbol[points[0]] == "circle-open"
    # opacity is confidence: S02 is graded H, S05 L
    assert _mark_of(fig, "S02")[0].opacity == 1.0 and _mark_of(fig, "S05")[0].opacity == st.CONFIDENCE_ALPHA["L"]
    # hover: the figure's words, Chinese wording, citation and confidence
    hovers = " ".join(h for t in fig.data for h in (t.hovertext or []) if h)
    assert "一万八千余" in hovers and "cite:g" in hovers and "Confidence" in hovers and "at least 18,000" in hovers


def test_total_figure_names_its_series_guide_headline_and_milestones(campaign, events):
    fig = _total(campaign, events)
    # no legend: the series and the guide are named on the chart, in their colours
    assert fig.layout.showlegend is False
    wra_label, left_label = (_notes(fig, f"series:{u}")[0] for u in ("wra", "left_detachment"))
    assert "Western Route Army" in wra_label.text and wra_label.font.color == sc.SERIES_COLORS["wra"]
    assert "Left Detachment" in left_label.text and left_label.font.color == sc.SERIES_COLORS["left_detachment"]
    guide = [t for t in fig.data if t.name == st.GUIDE_LABEL]
    assert len(guide) == 1 and guide[0].line.dash == "dash" and list(guide[0].y) == [21800, 18000, 10000, 437]
    assert "guide to the eye, not data" in _notes(fig, "guide-label")[0].text
    # the headline figures, each with an arrow to its mark
    notes = _notes(fig, "headline-note")
    assert all(n.showarrow for n in notes) and len(notes) == 4
    texts = " ".join(n.text for n in notes)
    assert "at least 21,800<br>at the crossing" in texts and "at least 18,000" in texts
    assert "fewer than 10,000" in texts and "437 reached Xinjiang" in texts and "from 300 to fewer than 500" in texts
    # the milestones named above the axes, the English over the Chinese
    shown = [n.text.replace("<br>", " ") for n in _notes(fig, "milestone:")]
    assert shown == events["label"].tolist()
    assert all(n.yref == "y domain" and n.y == 1 and n.yanchor == "bottom" for n in _notes(fig, "milestone:"))
    assert len([s for s in fig.layout.shapes if s.line.dash == "dot"]) == len(events)
    # the key shows the marks the chart draws
    keys = {t.name for t in fig.data if (t.name or "").startswith("key:")}
    assert keys == {f"key:{k}" for k in ("exact", "about", "range", "lower", "upper", "confidence")}
    assert list(next(t for t in fig.data if t.name == "key:lower").marker.symbol[:2]) == ["line-ew", "arrow-up"]


def test_total_figure_zoom_panels_spread_a_window_and_name_each_source(campaign, events):
    fig = _total(campaign, events, zooms=ZOOM, tag=str.upper)
    # one slot per figure in the window, named by its source, in date then unit/source order
    assert list(fig.layout.xaxis2.ticktext) == ["P", "C", "F", "V"]
    assert fig.layout.yaxis2.type == "log" and fig.layout.xaxis2.tickangle == -90
    assert [n.text for n in _notes(fig, "zoom-title")] == ["<b>Late April</b>"]
    assert [n.text for n in _notes(fig, "zoom-date")] == ["23 Apr", "30"]
    on_zoom = {h.split(":")[0][3:] for t in fig.data if t.xaxis == "x2" for h in (t.hovertext or []) if h}
    assert on_zoom == {"S07", "S08", "S09", "S10"}
    # side by side under the main panel at the laptop width
    wide = figures.variant(fig, style.WIDE)["layout"]
    assert wide["yaxis2"]["domain"][1] < wide["yaxis4"]["domain"][0] < wide["yaxis"]["domain"][0]


def test_total_figure_on_a_phone_stacks_its_zooms_and_leaves_the_notes_to_the_hover(campaign, events):
    close = pd.concat(  # Gulang three weeks after the crossing: one row of names at 760 px, two at 360 px
        [events, pd.DataFrame({"date": [pd.Timestamp("1936-11-16")], "label": ["Gulang 古浪"]})]
    ).sort_values("date")
    zooms = [*ZOOM, ("Mid January", "1937-01-15", "1937-01-25")]
    fig = _total(campaign, close, zooms=zooms, tag=str.upper)
    wide, phone = (figures.variant(fig, w)["layout"] for w in (style.WIDE, style.PHONE))
    assert not [a for a in phone["annotations"] if a.get("name") == "headline-note"]
    assert len([a for a in wide["annotations"] if a.get("name") == "headline-note"]) == 4
    # the two zoom panels: side by side at 760 px, stacked at full width on a phone, under the key
    assert wide["xaxis2"]["domain"][1] < wide["xaxis3"]["domain"][0]
    assert phone["xaxis2"]["domain"] == phone["xaxis3"]["domain"] == [0.0, 1.0]
    assert phone["yaxis3"]["domain"][1] < phone["yaxis2"]["domain"][0] < phone["yaxis4"]["domain"][0]
    assert phone["height"] > wide["height"]
    # the milestones' names take two rows on a phone: more room above the plot
    meta = fig.layout.meta["wra"]
    assert meta["top_phone"] > meta["top"]
    shifts = {a["name"]: a["yshift"] for a in phone["annotations"] if a.get("name", "").startswith("milestone:")}
    assert len(set(shifts.values())) == 2


def test_units_figure_has_a_panel_per_army_and_the_ma_apart(campaign, events):
    fig = _units(campaign, events)
    titles = [n.text for n in _notes(fig, "panel-title")]
    assert titles == [
        "<b>5th Army</b>",
        "<b>9th Army</b>",
        "<b>30th Army</b>",
        "<b>Detachments after the split</b>",
        "<b>Other Red Army units</b>",
        "<b>Ma forces (context)</b>",
    ]
    # the Ma forces on the sixth panel, on a scale of their own
    trace, _ = _mark_of(fig, "S14")
    assert trace.yaxis == "y6" and trace.marker.color == style.COLORS["ma"]
    assert fig.layout.yaxis6.range != fig.layout.yaxis.range
    # a share is words at its date, in the colour of losses
    share = next(n for n in _notes(fig, "share:") if "S11" in n.hovertext)
    assert share.text == "loss: nearly half" and share.font.color == sc.LOSS_COLOR
    assert (share.xref, share.yref) == ("x2", "y2 domain")  # in the 9th Army's panel, at its foot
    # the detachments are named in their colours; no legend, a key of the marks drawn
    corner = {n.text: n.font.color for n in _notes(fig, "unit-label") if n.xref == "x4 domain"}
    assert corner == {
        "Left 左支队": sc.SERIES_COLORS["left_detachment"],
        "Right 右支队": sc.SERIES_COLORS["right_detachment"],
    }
    assert fig.layout.showlegend is False
    keys = {t.name for t in fig.data if (t.name or "").startswith("key:")}
    # (the fixture's only loss is a share, no count of men lost: no key entry for their colour)
    assert keys == {f"key:{k}" for k in ("exact", "about", "range", "lower", "upper", "confidence")}
    assert "1 Crossing 虎豹口" in _notes(fig, "milestone-key")[0].text


def test_units_figure_on_a_phone_stacks_its_panels_in_one_column(campaign, events):
    fig = _units(campaign, events)
    wide, phone = (figures.variant(fig, w)["layout"] for w in (style.WIDE, style.PHONE))
    axes = ["", "2", "3", "4", "5", "6"]
    # at 760 px: two rows of three
    assert len({tuple(wide[f"xaxis{a}"]["domain"]) for a in axes}) == 3
    assert len({tuple(wide[f"yaxis{a}"]["domain"]) for a in axes}) == 2
    # on a phone: one column, each panel the plot's full width, top to bottom in order, none overlapping
    assert all(phone[f"xaxis{a}"]["domain"] == [0, 1] for a in axes)
    tops = [phone[f"yaxis{a}"]["domain"] for a in axes]
    assert all(lower[1] < upper[0] for upper, lower in itertools.pairwise(tops))
    assert all(phone[f"xaxis{a}"]["showticklabels"] for a in axes)
    assert phone["height"] > 2 * wide["height"] * 0.8
    # the key under the last panel, in two columns
    assert phone["yaxis7"]["domain"][1] < tops[-1][0]
    drawn = figures.variant(fig, style.PHONE)["data"]
    assert len({round(t["x"][0], 3) for t in drawn if t.get("name", "").startswith("key:")}) == 2


@pytest.mark.parametrize("chart", ["total", "units"])
def test_no_text_under_10_px_and_every_colour_from_the_palette(campaign, events, chart):
    fig = _total(campaign, events, zooms=ZOOM, tag=str.upper) if chart == "total" else _units(campaign, events)
    hexes, rgbs = _palette_colours()
    dark = {c.lower() for c in style.DARK.values()} | {figures._rgb(c) for c in style.DARK.values()}
    for name, spec in figures.variants(fig).items():
        sizes = figures.font_sizes(spec)
        assert sizes and min(size for _, size in sizes) >= style.MIN_FONT, (name, min(sizes, key=lambda s: s[1]))
        for colour in _colours(spec):
            match = re.fullmatch(r"rgba?\((\d+,\d+,\d+)(,[\d.]+)?\)", colour.replace(" ", ""))
            known = (hexes | rgbs) if "light" in name else (dark | hexes | rgbs)
            assert colour.lower() in known or (match and match.group(1) in known), (name, colour)
    # the hover boxes fit a phone: no hover line much wider than 32 columns
    lines = [line for t in fig.data for h in (t.hovertext or []) if h for line in h.split("<br>")]
    assert lines and max(charts._width(re.sub(r"<[^>]+>", "", line)) for line in lines) <= 32 + len("Chinese wording: ")


def test_the_units_title_wraps_in_even_lines(campaign):
    # a long finding is wrapped at each width with no lone last word ("... fewer than 1,000" / "men,")
    later = pd.concat(
        [campaign, frame(row("S20", "1937-03-12", "ninth_army", None, 1000, "fewer_than", source="k"))],
        ignore_index=True,
    )
    fig = _units(later, None)
    for width in (style.WIDE, style.PHONE):
        text = figures.variant(fig, width)["layout"]["title"]["text"]
        heads = re.findall(r"<b>(.*?)</b>", text)
        assert " ".join(heads) == st.units_finding(later).replace(", ", ", ", 1)
        assert all(len(line.split()) > 1 for line in heads), heads


def test_merge_close_events_joins_labels_of_near_dates():
    events = pd.DataFrame(
        {
            "date": pd.to_datetime(["1937-03-12", "1937-01-20", "1937-03-14"]),
            "label": ["Liyuankou 梨园口", "Gaotai 高台", "Shiwo 石窝"],
        }
    )
    merged = charts.merge_close_events(events, days=4, sep=" / ")
    assert merged["label"].tolist() == ["Gaotai 高台", "Liyuankou 梨园口 / Shiwo 石窝"]
    assert merged["date"].tolist() == [pd.Timestamp("1937-01-20"), pd.Timestamp("1937-03-12")]


def test_units_finding_names_only_firm_falls(campaign):
    # the 9th Army: at least 6,000 on 14 Nov is its only date, so no fall; add a later upper bound
    later = pd.concat(
        [campaign, frame(row("S20", "1937-03-12", "ninth_army", None, 1000, "fewer_than", source="k"))],
        ignore_index=True,
    )
    assert st.units_finding(campaign) == "No army's figures show a firm fall"
    assert st.units_finding(later) == "The 9th Army fell from at least 6,000 to fewer than 1,000 men"
    # an upper bound above the first lower bound is no firm fall
    loose = pd.concat(
        [campaign, frame(row("S20", "1937-03-12", "ninth_army", None, 7000, "fewer_than", source="k"))],
        ignore_index=True,
    )
    assert st.falls(loose) == []
    fig = _units(later, None)
    assert fig.layout.title.text == st.units_finding(later)
    lo, hi = (10**v for v in fig.layout.yaxis.range)
    # trimmed to what the red panels draw, 300 (S10) to 6,000 (S12) and its arrow, with a band at the foot
    # for the shares written there; the old axis ran 50 to 300,000
    assert 300 / 3 <= lo < 300 / 1.25 and 6000 * 1.45 < hi <= 6000 * 1.45 * 2, (lo, hi)
    assert fig.layout.yaxis2.range == fig.layout.yaxis.range  # the Red Army panels share one scale


def test_finding_keeps_a_lower_bound_a_lower_bound(campaign):
    late = campaign[campaign["id"] != "S08"]  # without the exact 437, the best arrival figure is a bound
    assert st.finding(late).endswith("fewer than 500 reached Xinjiang")
    assert st.finding_note(campaign) == "arrival figures run from 300 to fewer than 500"
    with pytest.raises(ValueError, match="no crossing or no arrival"):
        st.finding(campaign[campaign["unit"] != "left_detachment"])


def test_describe_a_whole_share_is_all():
    assert st.describe(row("x", "1937-01-20", "fifth_army", 1.0, 1.0, "fraction", quote="全军覆没")) == "all"


def _with_split(campaign):
    return pd.concat(
        [
            campaign,
            frame(
                row("S20", "1937-03-14", "wra", 3000, None, "more_than", source="x"),
                row("S21", "1937-03-14", "wra", None, 3000, "fewer_than", source="y"),
                row("S22", "1937-03-14", "wra", 2000, None, "more_than", source="z", confidence="L"),
            ),
        ],
        ignore_index=True,
    )


def test_headline_with_split_adds_the_best_figure_of_that_day(campaign):
    data = _with_split(campaign)
    picks = st.headline_picks(data, split_date="1937-03-14")
    assert picks["step"].tolist() == ["crossing", "article", "article", "split", "arrival"]
    assert picks.loc[picks["step"] == "split", "id"].item() == "S20"  # tie on support: a floor before a ceiling
    guide = st.headline_guide(data, split_date="1937-03-14")
    assert guide["value"].tolist() == [21800, 18000, 10000, 3000, 437]
    # the guide touches "fewer than 3,000" at 3,000 on that day: touching is not contradicting
    assert "S21" not in st.conflicts(guide, st.total_path(data))["id"].tolist()


def test_chapter_numbers_come_from_the_rows(campaign):
    n = st.chapter_numbers(_with_split(campaign), split_date="1937-03-14")
    assert n["str_n_figures"] == 19 and n["str_n_share"] == 1 and n["str_n_span"] == 0
    assert n["str_cross_text"] == "at least 21,800" and n["str_cross_n"] == 1
    assert n["str_dec_text"] == "at least 18,000" and n["str_dec_zh"] == "一万八千余"
    assert n["str_jan_text"] == "fewer than 10,000"
    assert n["str_lost_cross_dec"] == "not bounded by these figures"
    assert n["str_face_cross_dec_men"] == 3800
    assert n["str_lost_dec_jan"] == "more than 44%" and n["str_men_dec_jan"] == "more than 8,000"
    assert n["str_lost_cross_jan"] == "more than 54%"
    assert n["str_split_span"] == "from at least 2,000 to at least 3,000" and n["str_split_n"] == 3
    assert n["str_split_words"] == "at least 2,000, at least 3,000 and fewer than 3,000"
    assert n["str_arrive_exact"] == "437" and n["str_arrive_span"] == "from 300 to fewer than 500"
    assert n["str_arrive_pick"] == "437" and n["str_arrive_pick_grade"] == "M"
    # the loosest arrival figure is "fewer than 500": more than 1 - 500/21,800 (97.7%) lost
    assert n["str_lost_cross_arrive_min"] == "more than 97%"
    assert n["str_lost_cross_arrive_min_figure"] == "fewer than 500"
    assert n["str_arrive_n_unbounded"] == 0
    assert all(k.startswith("str_") for k in n)


# -- words for a span, copies, disputed article figures (issue 12) ---------


def test_span_words_keep_what_each_end_says():
    rows = frame(
        row("S1", "1937-03-14", "wra", 2000, None, "more_than", source="a"),  # 二千多
        row("S2", "1937-03-14", "wra", 3000, None, "more_than", source="b"),  # 3000多
        row("S3", "1937-03-14", "wra", None, 3000, "fewer_than", source="c"),  # 不满3000
    )
    # never "2,000 to 3,000": a source says more than 3,000
    assert st.span_words(rows) == "from at least 2,000 to at least 3,000"
    assert st.span_words(rows[rows["id"] != "S2"]) == "from at least 2,000 to fewer than 3,000"
    assert st.span_words(rows.iloc[[0]]) == "at least 2,000"


def test_a_copy_counts_once_when_sources_are_counted():
    rows = frame(
        row("S1", "1937-03-14", "wra", 3000, None, "more_than", source="a"),
        row("S2", "1937-03-14", "wra", 3000, None, "more_than", source="b"),
        row("S3", "1937-03-14", "wra", None, 3000, "fewer_than", source="c"),
        row("S4", "1937-03-14", "wra", None, 3000, "fewer_than", source="d"),
    ).assign(copy_of=[None, "S1", None, None])
    assert st.independent(rows).tolist() == [True, False, True, True]
    # two independent sources say fewer than 3,000, one (with its copy) more than 3,000
    assert st.best(rows)["id"] == "S3"
    assert st.best(rows.assign(copy_of=None))["id"] == "S1"  # without the copy mark: a tie, floor first


def test_an_l_graded_exact_count_does_not_outrank_a_better_graded_bound():
    arrival = frame(
        row("S1", "1937-04-30", "left_detachment", 427, 427, "exact", source="a", confidence="L", measure="reached"),
        row("S2", "1937-05-01", "left_detachment", 400, None, "more_than", source="b", measure="reached"),
        row("S3", "1937-05-01", "left_detachment", 400, None, "more_than", source="c", measure="reached"),
    )
    crossing = frame(
        row("S0", "1936-10-24", "wra", 21800, None, "more_than", source="d"),
        row("S8", "1936-12-15", "wra", 18000, None, "more_than", quote="一万八千余"),
        row("S9", "1937-01-21", "wra", None, 10000, "fewer_than", quote="不到一万"),
    )
    picks = st.headline_picks(pd.concat([crossing, arrival], ignore_index=True))
    assert picks.set_index("step").loc["arrival", "id"] == "S2"


def test_chapter_numbers_name_the_figures_that_dispute_the_article(campaign):
    n = st.chapter_numbers(campaign)
    # after 不到一万 (21 January): about 14,000 (L) contradicts it; 8,000-9,000 agrees
    assert n["str_jan_n_against"] == 1 and n["str_jan_against"] == "about 14,000 (graded L)"
    assert n["str_jan_agree"] == "between 8,000 and 9,000 (graded M)"
    assert n["str_dec_n_others"] == 0


# ---------------------------------------------------------------------------
# Edges the mutation run found unguarded (see `make mutate`)
# ---------------------------------------------------------------------------


def test_point_in_time_keeps_a_span_of_exactly_the_limit(campaign):
    rows = campaign.copy()
    start = rows.loc[rows["id"] == "S01", "date"].item()
    rows.loc[rows["id"] == "S01", "date_end"] = start + pd.Timedelta(days=st.SPAN_LIMIT_DAYS)
    rows.loc[rows["id"] == "S03", "date_end"] = rows.loc[rows["id"] == "S03", "date"].item() + pd.Timedelta(
        days=st.SPAN_LIMIT_DAYS + 1
    )
    keep = dict(zip(rows["id"], st.point_in_time(rows)))
    assert keep["S01"] and not keep["S03"]
    assert not st.point_in_time(rows, limit_days=st.SPAN_LIMIT_DAYS - 1)[rows["id"] == "S01"].item()


def test_fraction_lost_drops_an_upper_bound_of_exactly_one():
    # from about 1,000 to "more than 0": the share lost is at most 1 - 0/1000 = 100%, which says nothing
    start = {"low": 1000.0, "high": 1000.0, "qualifier": "about"}
    end = {"low": 0.0, "high": None, "qualifier": "more_than"}
    lost = st.fraction_lost(start, end)
    assert lost.high is None
    assert lost.kind == "unknown"


def test_fraction_lost_keeps_an_upper_bound_just_below_one():
    lost = st.fraction_lost(
        {"low": 1000.0, "high": 1000.0, "qualifier": "about"}, {"low": 1.0, "high": None, "qualifier": "more_than"}
    )
    assert lost.kind == "upper" and lost.high == pytest.approx(0.999)


def test_conflicts_leave_out_figures_below_the_confidence_asked_for(campaign):
    points = st.guide_line(st.total_path(campaign))
    low_grade = campaign.copy()
    low_grade.loc[low_grade["id"] == "S03", "confidence"] = "L"  # the "at least 18,000" the guide passes under
    wra_rows = st.select(low_grade, units="wra")
    assert "S03" not in st.conflicts(points, wra_rows)["id"].tolist()
    assert "S03" not in st.conflicts(points, wra_rows, min_confidence="M")["id"].tolist()
    assert "S03" in st.conflicts(points, wra_rows, min_confidence="L")["id"].tolist()
    assert st.conflicts(points, wra_rows, min_confidence="H").empty  # only S02 is H, and it is a point


def test_coded_ends_say_when_an_end_is_the_books_coding_not_a_source():
    rows = frame(
        row("S1", "1937-05-01", "left_detachment", 400, None, "more_than", wording="400余"),
        row("S2", "1937-05-01", "left_detachment", 200, 900, "range", wording="仅剩数百人", measure="reached"),
    )
    # 数百 is coded 200-900 (data/README.md): both ends of the span are the coding, not figures
    assert st.span_words(rows) == "from 200 to 900"
    note = st.coded_ends(rows)
    assert "the 200 and the 900 are the book's coding of 数百" in note and "S2" in note
    # a range a source states (三四百) is no coding
    rows.loc[1, "wording_zh"] = "三四百"
    assert st.coded_ends(rows) == ""
    assert st.coded_word(rows.iloc[1]) is None
