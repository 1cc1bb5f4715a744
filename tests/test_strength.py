"""Bounds, wording, losses and charts of troop strength (wra.analysis.strength), on small fixtures."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

import wra
from wra.analysis import strength as st
from wra.presentation import charts
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


def _marker_kinds(ax):
    return {line.get_gid() for line in ax.lines if line.get_gid()}


ZOOM = [("Late April", "1937-04-20", "1937-05-02")]


def test_total_figure_mpl_draws_each_kind_and_a_labelled_guide(campaign, events):
    wra.setup()
    fig = sc.figure_total_mpl(campaign, events, zooms=ZOOM, tag=str.upper)
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    gids = [a.get_gid() for a in ax.get_children() if a.get_gid()]
    # one artist per figure of the total path (wra + left detachment): 13 rows
    figure_gids = [g for g in gids if g.startswith("fig:")]
    assert sorted(figure_gids) == sorted(f"fig:{i}" for i in st.total_path(campaign)["id"])
    guide = [line for line in ax.lines if line.get_gid() == "guide"]
    assert len(guide) == 1 and guide[0].get_linestyle() == "--"
    assert list(guide[0].get_ydata()) == [21800, 18000, 10000, 437]
    # one legend, the key to the marks; the series and the guide are named on the chart itself
    legends = [a.get_legend() for a in fig.axes if a.get_legend()] + list(fig.legends)
    assert len(legends) == 1
    labels = [t.get_text() for t in legends[0].get_texts()]
    assert any("at least" in t for t in labels) and any("fewer than" in t for t in labels)
    assert not any("Western Route Army" in t or "Left Detachment" in t or "guide" in t for t in labels)
    named = {t.get_gid(): t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("label:")}
    assert "Western Route Army" in named["label:wra"] and "Left Detachment" in named["label:left_detachment"]
    assert "guide to the eye" in named["label:guide"]
    # the four headline figures are annotated with their words
    notes = [t.get_text() for t in ax.texts]
    assert any("at least 18,000" in t for t in notes)
    assert any("fewer than 10,000" in t for t in notes)
    assert any("437 reached Xinjiang" in t and "from 300 to fewer than 500" in t for t in notes)
    # the milestones are named above the axes, the English over the Chinese
    shown = [t.get_text().replace("\n", " ") for t in ax.texts]
    assert [t for t in shown if t in events["label"].tolist()] == events["label"].tolist()
    # the zoom panel: one slot per figure in the window, labelled by source, in date then unit/source order
    zoom = next(a for a in fig.axes if a.get_title() == "Late April")
    assert [t.get_text() for t in zoom.get_xticklabels()] == ["P", "C", "F", "V"]
    assert zoom.get_yscale() == "log"
    plt.close(fig)


def _drawn_extent(rows):
    values = pd.concat([rows["low"], rows["high"]]).dropna()
    return float(values.min()), float(values.max())


def test_total_figure_states_its_finding_and_trims_its_log_axis(campaign, events):
    wra.setup()
    finding = st.finding(campaign)
    assert finding == "Of at least 21,800 who crossed the Yellow River, 437 reached Xinjiang"
    fig = sc.figure_total_mpl(campaign, events)
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == finding
    lo, hi = ax.get_ylim()
    dmin, dmax = _drawn_extent(st.total_path(campaign))
    # the axis starts and ends near the data: no empty decade (the old axis ran 100 to 250,000)
    assert dmin / 2 <= lo < dmin and dmax < hi <= dmax * 2.5, (lo, hi, dmin, dmax)
    ticks = [t for t in ax.get_yticks() if lo <= t <= hi]
    assert min(ticks) >= dmin / 2 and max(ticks) <= dmax * 2.5
    plt.close(fig)
    pfig = sc.figure_total_plotly(campaign, events, cite=lambda r: r["source"])
    plo, phi = (10**v for v in pfig.layout.yaxis.range)
    assert dmin / 2 <= plo < dmin and dmax < phi <= dmax * 2.5
    assert "21,800" in pfig.layout.title.text and "437 reached Xinjiang" in pfig.layout.title.text
    # no legend entry per series: the legend is the key to the marks, the series are named on the chart
    entries = [t.name for t in pfig.data if t.showlegend is not False]
    assert entries and set(entries) <= set(sc.KIND_LABELS.values()), entries
    notes = " ".join(a.text for a in pfig.layout.annotations)
    assert "Western Route Army" in notes and "Left Detachment" in notes and "guide to the eye" in notes


def test_finding_keeps_a_lower_bound_a_lower_bound(campaign):
    late = campaign[campaign["id"] != "S08"]  # without the exact 437, the best arrival figure is a bound
    assert st.finding(late).endswith("fewer than 500 reached Xinjiang")
    assert st.finding_note(campaign) == "arrival figures run from 300 to fewer than 500"
    with pytest.raises(ValueError, match="no crossing or no arrival"):
        st.finding(campaign[campaign["unit"] != "left_detachment"])


def test_lower_bound_marker_points_up_upper_points_down(campaign, events):
    wra.setup()
    fig = sc.figure_total_mpl(campaign, events)
    ax = fig.axes[0]
    arrows = {a.get_gid(): a for a in ax.patches if (a.get_gid() or "").startswith("arrow:")}
    up = arrows["arrow:S03"]
    down = arrows["arrow:S04"]
    (_, y0), (_, y1) = up._posA_posB
    assert y1 > y0 == 18000
    (_, y0), (_, y1) = down._posA_posB
    assert y1 < y0 == 10000
    assert "arrow:S07" not in arrows
    plt.close(fig)


def test_total_figure_plotly_hover_has_wording_source_and_confidence(campaign, events):
    wra.setup()
    fig = sc.figure_total_plotly(campaign, events, cite=lambda r: f"cite:{r['source']}")
    assert isinstance(fig, go.Figure)
    assert fig.layout.yaxis.type == "log"
    hovers = " ".join(str(t) for trace in fig.data for t in (trace.hovertext or []))
    assert "一万八千余" in hovers and "cite:g" in hovers and "Confidence" in hovers
    assert "at least 18,000" in hovers
    guide = [t for t in fig.data if t.name == st.GUIDE_LABEL]
    assert len(guide) == 1 and guide[0].line.dash == "dash"
    symbols = {
        s
        for t in fig.data
        if t.marker is not None and t.marker.symbol is not None
        for s in np.atleast_1d(t.marker.symbol)
    }
    assert {"triangle-up", "triangle-down", "circle-open"} <= symbols
    assert len(fig.layout.shapes) >= len(events)


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


def test_units_figures_have_a_panel_per_army_and_the_ma_apart(campaign, events):
    wra.setup()
    fig = sc.figure_units_mpl(campaign, events)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert any("5th Army" in t for t in titles) and any("9th Army" in t for t in titles)
    assert any("Ma" in t for t in titles)
    ma_ax = next(ax for ax in fig.axes if "Ma" in ax.get_title())
    assert any(g == "fig:S14" for g in (a.get_gid() for a in ma_ax.get_children()))
    plt.close(fig)
    pfig = sc.figure_units_plotly(campaign, events, cite=lambda r: r["source"])
    names = {t.name for t in pfig.data}
    assert {"5th Army", "Right Detachment (右支队)"} <= names


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
    wra.setup()
    fig = sc.figure_units_mpl(later, None)
    assert fig._suptitle.get_text() == st.units_finding(later)
    red = [ax for ax in fig.axes if ax.get_title() and not ax.get_title().startswith("Ma")]
    lo, hi = red[0].get_ylim()
    # trimmed to what the red panels draw, 300 (S10) to 6,000 (S12) and its arrow; the old axis ran 50 to 300,000
    assert 300 / 2 <= lo < 300 and 6000 * 1.45 < hi <= 6000 * 1.45 * 2, (lo, hi)
    plt.close(fig)
    pfig = sc.figure_units_plotly(later, None, cite=lambda r: r["source"])
    assert "9th Army fell from at least 6,000" in pfig.layout.title.text


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
