"""Troop strength at its edges (wra.analysis.strength): every window on its boundary, every
wording in full, every bound with its strictness.

These pin what the chapter states on a made-up campaign built to sit on each boundary the
analysis draws (a witness exactly 15 days from the article's figure and one 16 days off, a
figure exactly at the bound it is tested against), so that a ``<`` for a ``<=`` or a dropped
filter changes a number here even where the book's own data does not reach the edge. Part of
the mutation run (``make mutate``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from tests.test_strength import frame, row
from wra.analysis import strength as st
from wra.analysis.strength import Bounds

N = None


def campaign() -> pd.DataFrame:
    """A made-up record: a disputed crossing (with a copy), the article's two figures with
    witnesses on and just past the 15-day window, a split, four arrivals, the men who came back,
    a Ma figure, a loss over a span and a share."""
    rows = frame(
        row("S01", "1936-10-24", "wra", 21800, N, "more_than", source="a", wording="21800余"),
        row("S02", "1936-10-24", "wra", 21800, N, "more_than", source="b", wording="21800余"),  # copies S01
        row("S03", "1936-10-24", "wra", 22000, 22000, "about", source="c"),
        row("S04", "1936-10-24", "wra", 21000, 21000, "about", source="d", confidence="L"),
        row("S05", "1936-11-30", "wra", 20000, 20000, "about", source="e"),  # 15 days before December's
        row("S06", "1936-11-29", "wra", 19000, 19000, "about", source="f"),  # 16 days before
        row("S07", "1936-12-15", "wra", 18000, N, "more_than", quote="一万八千余"),
        row("S08", "1936-12-30", "wra", 17000, 17000, "about", source="g"),  # 15 days after
        row("S09", "1936-12-31", "wra", 16000, 16000, "about", source="h"),  # 16 days after
        row("S10", "1937-01-21", "wra", N, 10000, "fewer_than", quote="不到一万"),
        row("S11", "1937-01-21", "wra", 14000, 14000, "about", source="n", confidence="L"),  # same day, against
        row("S12", "1937-02-05", "wra", 10000, N, "more_than", source="w"),  # day 15, exactly at the bound
        row("S13", "1937-02-06", "wra", 9000, 9000, "about", source="x"),  # day 16
        row("S14", "1937-01-25", "wra", 8000, 9000, "range", source="y"),  # agrees
        row("S15", "1937-03-14", "wra", 3000, N, "more_than", source="s"),
        row("S16", "1937-03-14", "wra", N, 3000, "fewer_than", source="t"),
        row("S17", "1937-03-14", "wra", 2000, N, "more_than", source="u", confidence="L"),
        row("S18", "1937-04-30", "left_detachment", 437, 437, "exact", source="v", measure="reached"),
        row("S19", "1937-05-01", "left_detachment", 903, 903, "exact", source="p", measure="reached", confidence="H"),
        row("S20", "1937-04-30", "left_detachment", N, 500, "fewer_than", source="f2", measure="reached"),
        row("S21", "1937-04-30", "left_detachment", 400, N, "more_than", source="q", measure="reached"),
        row("S22", "1937-03-20", "wra", 2000, 9000, "range", quote="数千", measure="reached"),
        row("S23", "1936-11-01", "ma_forces", 70000, N, "more_than", side="ma", source="a"),
        row("S24", "1936-11-16", "ninth_army", 5000, N, "more_than", source="k", measure="loss"),
        row("S25", "1936-11-18", "ninth_army", N, 0.5, "fraction", measure="loss", quote="近半", base_id="S26"),
        row("S26", "1936-11-14", "ninth_army", 6000, N, "more_than", source="j"),
    )
    rows["copy_of"] = None
    rows.loc[rows["id"] == "S02", "copy_of"] = "S01"
    rows.loc[rows["id"] == "S24", "date_end"] = pd.Timestamp("1937-01-15")  # 60 days: a span
    rows.loc[rows["id"] == "S18", "comment_en"] = "Counted at Xingxingxia; a roll call. More text."
    rows.loc[rows["id"] == "S19", "comment_en"] = "Roll call at Dihua. Later."
    return rows


#: every number and phrase the chapter glues, on :func:`campaign`, each checked by hand:
EXPECTED = {
    "str_n_figures": 26,
    "str_n_sources": 22,  # "a" names two rows, the article four
    "str_n_wra": 18,
    "str_n_lower": 10,
    "str_n_upper": 3,
    "str_n_range": 2,
    "str_n_share": 1,
    "str_n_point": 10,
    "str_n_span": 1,  # S24, 60 days
    "str_n_ma": 1,
    # the crossing: S01 and its copy S02 count once, so "about 22,000" ties "at least 21,800" on
    # support and wins as the more precise figure; S04 is graded L
    "str_cross_text": "about 22,000",
    "str_cross_n": 3,
    "str_cross_n_same": 1,
    "str_cross_n_copies": 1,
    "str_cross_others": "about 21,000 and at least 21,800",
    "str_dec_text": "at least 18,000",
    "str_dec_zh": "一万八千余",
    "str_dec_month": "December 1936",
    "str_jan_text": "fewer than 10,000",
    "str_jan_zh": "不到一万",
    "str_jan_month": "January 1937",
    "str_dec_n_others": 2,  # S05 and S08, 15 days either side; not S06 and S09, 16 days off
    "str_jan_n_others": 3,  # S11 (the same day), S14, S12 (day 15); not S13 (day 16)
    "str_jan_n_against": 2,  # S11, and S12, whose "at least 10,000" meets "fewer than 10,000" at its bound
    "str_jan_against": "about 14,000 (graded L), at least 10,000 (graded M)",
    "str_jan_agree": "between 8,000 and 9,000 (graded M)",
    "str_lost_cross_dec": "at most 19%",  # 1 - 18,000/22,000 = 18.2%, an upper bound rounded up
    "str_face_cross_dec_men": 4000,
    "str_face_cross_dec_share": "18%",
    "str_lost_dec_jan": "more than 44%",  # 1 - 10,000/18,000, strict because 不到 is
    "str_men_dec_jan": "more than 8,000",
    "str_lost_cross_jan": "more than 54%",  # 1 - 10,000/22,000 = 54.5%
    "str_split_span": "from at least 2,000 to at least 3,000",
    "str_split_n": 3,
    "str_split_n_independent": 3,
    "str_split_words": "at least 2,000, at least 3,000 and fewer than 3,000",
    "str_lost_jan_split": "less than 70%",  # from fewer than 10,000 to at least 3,000 (S15, the split's pick)
    "str_arrive_n": 4,
    "str_arrive_n_sources": 4,
    "str_arrive_exact": "437 and 903",
    "str_arrive_exact_words": "437 (counted at Xingxingxia) and 903 (roll call at Dihua)",
    "str_arrive_exact_grades": "HM",
    "str_arrive_span": "from at least 400 to 903",
    "str_arrive_span_note": "",  # no end of the span is a word the book codes
    "str_arrive_n_unbounded": 1,  # "at least 400" bounds no loss from "about 22,000"
    "str_lost_cross_arrive_min": "at least 95%",  # 1 - 903/22,000 = 95.9%
    "str_lost_cross_arrive_min_figure": "903",
    "str_lost_cross_arrive_min_note": "",  # 903 is a source's count, not the book's coding of a word
    "str_returned_text": "between 2,000 and 9,000",
    "str_returned_zh": "数千",
    "str_arrive_pick": "903",  # graded H
    "str_arrive_pick_grade": "H",
    "str_arrive_pick_n": 1,
    "str_finding": "Of about 22,000 who crossed the Yellow River, 903 reached Xinjiang",
    "str_finding_note": "arrival figures run from at least 400 to 903",
    "str_units_finding": "No army's figures show a firm fall",
    "str_lost_cross_arrive_pick": "at least 95%",
}


def test_chapter_numbers_on_a_campaign_at_every_edge():
    assert st.chapter_numbers(campaign(), split_date="1937-03-14") == EXPECTED


@pytest.mark.parametrize(
    "move, key, value",
    [
        (("S05", "1936-11-29"), "str_dec_n_others", 1),  # 16 days before: out
        (("S08", "1936-12-31"), "str_dec_n_others", 1),  # 16 days after: out
        (("S12", "1937-02-06"), "str_jan_n_against", 1),  # day 16: out
        (("S11", "1937-01-20"), "str_jan_n_others", 2),  # the day before the article's figure: out
    ],
)
def test_the_witness_window_ends_at_15_days(move, key, value):
    rows = campaign()
    rows.loc[rows["id"] == move[0], "date"] = pd.Timestamp(move[1])
    assert st.chapter_numbers(rows, split_date="1937-03-14")[key] == value


def test_without_a_split_or_men_who_came_back_those_numbers_are_left_out():
    rows = campaign()
    n = st.chapter_numbers(rows[rows["id"] != "S22"])
    assert not any(k.startswith("str_split") for k in n) and "str_lost_jan_split" not in n
    assert "str_returned_text" not in n and "str_returned_zh" not in n


def test_a_figure_just_above_the_articles_bound_is_against_it_and_just_below_is_not():
    rows = campaign()
    rows.loc[rows["id"] == "S12", "low"] = 9999.0
    n = st.chapter_numbers(rows, split_date="1937-03-14")
    assert n["str_jan_n_against"] == 1
    assert n["str_jan_agree"] == "between 8,000 and 9,000 (graded M), at least 9,999 (graded M)"


def test_no_figure_against_or_agreeing_says_none():
    rows = campaign()
    rows = rows[~rows["id"].isin(["S11", "S12", "S14"])]
    n = st.chapter_numbers(rows, split_date="1937-03-14")
    assert (n["str_jan_n_others"], n["str_jan_against"], n["str_jan_agree"]) == (0, "none", "none")


def test_a_crossing_where_every_figure_agrees_has_no_other_figure():
    rows = campaign()
    rows = rows[~rows["id"].isin(["S01", "S02", "S04"])]
    assert st.chapter_numbers(rows)["str_cross_others"] == "no other figure"


def test_an_arrival_without_a_comment_says_so():
    rows = campaign()
    rows.loc[rows["id"] == "S18", "comment_en"] = None
    words = st.chapter_numbers(rows)["str_arrive_exact_words"]
    assert words == "437 (no comment) and 903 (roll call at Dihua)"


# ---------------------------------------------------------------------------
# Bounds, and the words for them
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "low, high, qualifier, expected",
    [
        (903, 903, "exact", Bounds(903, 903, "exact")),
        (3000, 3000, "about", Bounds(3000, 3000, "about")),
        (18000, N, "more_than", Bounds(18000, N, "lower")),
        (N, 10000, "fewer_than", Bounds(N, 10000, "upper", strict_high=True)),
        (8000, 9000, "range", Bounds(8000, 9000, "range")),
        (N, 0.5, "fraction", Bounds(N, 0.5, "upper", strict_high=True, share=True)),
        (0.5, N, "fraction", Bounds(0.5, N, "lower", share=True)),
        (0.5, 0.5, "fraction", Bounds(0.5, 0.5, "about", share=True)),
        (0.3, 0.5, "fraction", Bounds(0.3, 0.5, "range", share=True)),
    ],
)
def test_bounds_in_full(low, high, qualifier, expected):
    assert st.bounds(row("S1", "1937-01-01", "wra", low, high, qualifier)) == expected


@pytest.mark.parametrize(
    "low, high, qualifier, message",
    [
        (N, N, "about", "S9: neither low nor high is given"),
        (9, 8, "range", "S9: low 9.0 > high 8.0"),
        (8, 9, "roughly", "S9: unknown qualifier 'roughly'"),
        (8, 9, "more_than", "S9: qualifier more_than does not fit low=8.0, high=9.0"),
        (8, 9, "about", "S9: qualifier about needs low = high"),
        (8, 9, "exact", "S9: qualifier exact needs low = high"),
    ],
)
def test_bounds_refuse_a_row_that_does_not_fit_by_its_id(low, high, qualifier, message):
    with pytest.raises(ValueError) as caught:
        st.bounds(row("S9", "1937-01-01", "wra", low, high, qualifier))
    assert str(caught.value) == message


def test_a_row_without_an_id_is_named_row():
    with pytest.raises(ValueError) as caught:
        st.bounds({"low": None, "high": None, "qualifier": "about"})
    assert str(caught.value) == "row: neither low nor high is given"


@pytest.mark.parametrize(
    "b, words",
    [
        (Bounds(N, N, "unknown"), "not bounded by these figures"),
        (Bounds(N, N, "lower"), "not bounded by these figures"),
        (Bounds(0.25, 0.25, "exact"), "25%"),
        (Bounds(0.254, 0.254, "about"), "about 25%"),
        (Bounds(0.256, 0.256, "about"), "about 26%"),  # nearest
        (Bounds(0.444, 0.556, "range"), "between 44% and 56%"),  # low rounds down, high up
        (Bounds(0.29, 0.71, "range"), "between 29% and 71%"),  # 0.29 * 100 is 28.999...: still 29%
        (Bounds(0.444, N, "lower"), "at least 44%"),
        (Bounds(0.444, N, "lower", strict_low=True), "more than 44%"),
        (Bounds(0.29, N, "lower"), "at least 29%"),
        (Bounds(N, 0.181, "upper"), "at most 19%"),
        (Bounds(N, 0.181, "upper", strict_high=True), "less than 19%"),
        (Bounds(N, 0.57, "upper"), "at most 57%"),  # 0.57 * 100 is 56.99999...: still 57%
    ],
)
def test_describe_share_in_full(b, words):
    assert st.describe_share(b) == words


@pytest.mark.parametrize(
    "low, high, qualifier, quote, words",
    [
        (903, 903, "exact", "", "903"),
        (3000, 3000, "about", "", "about 3,000"),
        (8000, 9000, "range", "", "between 8,000 and 9,000"),
        (18000, N, "more_than", "", "at least 18,000"),
        (N, 10000, "fewer_than", "", "fewer than 10,000"),
        (N, 0.5, "fraction", "近半", "nearly half"),
        (N, 0.5, "fraction", "", "less than half"),
        (0.333, N, "fraction", "", "more than a third"),
        (0.5, 0.5, "fraction", "", "about half"),
        (1.0, 1.0, "fraction", "全军覆没", "all"),
        (0.333, 0.5, "fraction", "", "between a third and a half"),
        (0.25, 0.75, "fraction", "", "between a quarter and three quarters"),
        (0.2, 0.2, "fraction", "", "about 20%"),
    ],
)
def test_describe_in_full(low, high, qualifier, quote, words):
    assert st.describe(row("S1", "1937-01-01", "wra", low, high, qualifier, quote=quote)) == words


def test_describe_reads_near_in_an_external_wording_too():
    assert st.describe(row("S1", "1937-01-01", "wra", N, 0.5, "fraction", wording="伤亡近半")) == "nearly half"


def test_describe_of_bounds_a_share_in_percent_and_an_upper_bound_without_strictness():
    assert st.describe(Bounds(0.444, N, "lower", share=True)) == "at least 44%"
    assert st.describe(Bounds(N, 500, "upper")) == "at most 500"
    assert st.describe(Bounds(N, 500, "upper", strict_high=True)) == "fewer than 500"
    assert st.describe(Bounds(400, N, "lower", strict_low=True)) == "more than 400"
    assert st.describe(Bounds(N, N, "unknown")) == "not bounded by these figures"


# ---------------------------------------------------------------------------
# Losses between two figures
# ---------------------------------------------------------------------------


def b(low, high, qualifier):
    return {"low": low, "high": high, "qualifier": qualifier}


@pytest.mark.parametrize(
    "start, end, share, men",
    [
        # two exact counts: an exact loss
        (
            b(1000, 1000, "exact"),
            b(400, 400, "exact"),
            Bounds(0.6, 0.6, "exact", share=True),
            Bounds(600, 600, "exact"),
        ),
        # an exact and an about: about
        (
            b(1000, 1000, "exact"),
            b(400, 400, "about"),
            Bounds(0.6, 0.6, "about", share=True),
            Bounds(600, 600, "about"),
        ),
        # at least 18,000 to fewer than 10,000: a strict lower bound only
        (
            b(18000, N, "more_than"),
            b(N, 10000, "fewer_than"),
            Bounds(1 - 10000 / 18000, N, "lower", strict_low=True, share=True),
            Bounds(8000, N, "lower", strict_low=True),
        ),
        # about 22,000 to at least 18,000: an upper bound only
        (
            b(22000, 22000, "about"),
            b(18000, N, "more_than"),
            Bounds(N, 1 - 18000 / 22000, "upper", share=True),
            Bounds(N, 4000, "upper"),
        ),
        # a range to a range: a range, strict where a bound is
        (
            b(20000, 22000, "range"),
            b(8000, 9000, "range"),
            Bounds(1 - 9000 / 20000, 1 - 8000 / 22000, "range", share=True),
            Bounds(11000, 14000, "range"),
        ),
        (
            b(20000, 22000, "range"),
            b(N, 9000, "fewer_than"),
            Bounds(1 - 9000 / 20000, N, "lower", strict_low=True, share=True),
            Bounds(11000, N, "lower", strict_low=True),
        ),
        # two lower bounds bound nothing
        (
            b(18000, N, "more_than"),
            b(400, N, "more_than"),
            Bounds(N, N, "unknown", share=True),
            Bounds(N, N, "unknown"),
        ),
        # a rise: no loss to bound from below
        (
            b(1000, N, "more_than"),
            b(N, 2000, "fewer_than"),
            Bounds(N, N, "unknown", share=True),
            Bounds(N, N, "unknown"),
        ),
    ],
)
def test_losses_in_full(start, end, share, men):
    got = st.fraction_lost(start, end)
    assert (got.kind, got.strict_low, got.strict_high, got.share) == (
        share.kind,
        share.strict_low,
        share.strict_high,
        True,
    )
    assert got.low == pytest.approx(share.low) and got.high == pytest.approx(share.high)
    assert st.men_lost(start, end) == men


def test_strictness_of_a_range_of_losses_follows_each_end():
    # from "fewer than 22,000" (strict) to "more than"... the bound each strict end gives is strict
    start = Bounds(20000, 22000, "range", strict_high=True)
    end = Bounds(8000, 9000, "range", strict_low=True)
    share = st.fraction_lost(start, end)
    assert (share.kind, share.strict_low, share.strict_high) == ("range", False, True)
    men = st.men_lost(start, end)
    assert men == Bounds(11000, 14000, "range", False, True)


def test_a_share_is_no_count_of_men():
    with pytest.raises(ValueError, match=r"^losses are computed between numbers of men, not shares$"):
        st.men_lost(b(N, 0.5, "fraction"), b(400, 400, "exact"))
    with pytest.raises(ValueError, match=r"^losses are computed between numbers of men, not shares$"):
        st.fraction_lost(b(1000, 1000, "exact"), b(0.5, N, "fraction"))


def test_a_loss_of_exactly_nothing_between_two_points_is_kept():
    assert st.men_lost(b(400, 400, "exact"), b(400, 400, "exact")) == Bounds(0, 0, "exact")
    share = st.fraction_lost(b(400, 400, "about"), b(400, 400, "about"))
    assert (share.low, share.high, share.kind) == (0, 0, "about")


# ---------------------------------------------------------------------------
# Frames: selection, paths, offsets, guides, conflicts, the best figure
# ---------------------------------------------------------------------------


def test_select_by_side_unit_and_measure():
    rows = campaign()
    assert st.select(rows, side="ma")["id"].tolist() == ["S23"]
    assert st.select(rows, units="ninth_army")["id"].tolist() == ["S24", "S25", "S26"]
    assert st.select(rows, units=["ninth_army", "ma_forces"], measures="strength")["id"].tolist() == ["S23", "S26"]
    assert st.select(rows, side="red", measures=("loss",))["id"].tolist() == ["S24", "S25"]
    assert len(st.select(rows)) == len(rows)


def test_total_path_is_the_wras_strength_then_the_left_detachments():
    rows = campaign()
    ma_on_the_wra = row("S90", "1936-12-01", "wra", 5000, 5000, "about", side="ma", source="m")
    rows = pd.concat([rows, frame(ma_on_the_wra, row("S91", "1937-04-01", "left_detachment", 1000, 1000, "about"))])
    path = st.total_path(rows)
    assert path["id"].tolist() == [
        *["S01", "S02", "S03", "S04", "S06", "S05", "S07", "S08", "S09", "S10", "S11", "S14", "S12", "S13"],
        *["S15", "S16", "S17", "S91", "S18", "S20", "S21", "S19"],
    ]


def test_point_in_time_without_an_end_column_keeps_every_row():
    rows = campaign().drop(columns="date_end")
    kept = st.point_in_time(rows)
    assert kept.tolist() == [True] * len(rows) and kept.index.equals(rows.index)


def test_disputed_and_offsets_set_rival_figures_side_by_side():
    rows = campaign()
    crossing = rows["id"].isin(["S01", "S02", "S03", "S04"])
    assert st.disputed(rows)[crossing].all() and not st.disputed(rows)[rows["id"] == "S07"].any()
    off = st.offsets(rows)
    # ordered by unit, source, id and centred on the date: a, b, c, d at -4.5, -1.5, 1.5, 4.5 days
    assert [off[i].total_seconds() / 86400 for i in rows.index[crossing]] == [-4.5, -1.5, 1.5, 4.5]
    assert off[rows["id"] == "S07"].item() == pd.Timedelta(0)
    wider = st.offsets(rows, step_days=2.0)
    assert [wider[i].total_seconds() / 86400 for i in rows.index[crossing]] == [-3.0, -1.0, 1.0, 3.0]
    assert st.offsets(rows.iloc[0:0]).empty


def test_a_figure_without_a_unit_is_still_set_beside_its_rivals():
    rows = frame(
        row("S1", "1937-01-01", None, 100, 100, "about", source="a"),
        row("S2", "1937-01-01", None, 200, 200, "about", source="b"),
    )
    assert [o.days for o in st.offsets(rows)] == [-2, 1]  # -1.5 and 1.5 days, as whole days
    assert st.disputed(rows).tolist() == [True, True]


def test_guide_line_picks_the_most_confident_then_the_lower_median_never_a_mean():
    rows = frame(
        row("S1", "1937-01-01", "wra", 100, 100, "about", source="a"),
        row("S2", "1937-01-01", "wra", 300, 300, "about", source="b"),
        row("S3", "1937-01-01", "wra", 200, 200, "about", source="c"),
        row("S4", "1937-01-01", "wra", 400, 400, "about", source="d"),
        row("S5", "1937-01-02", "wra", 900, 900, "about", source="e", confidence="L"),
        row("S6", "1937-01-02", "wra", 500, 500, "about", source="f", confidence="H"),
        row("S7", "1937-01-02", "wra", 50, 50, "exact", source="g"),
        row("S8", "1936-12-31", "wra", 10, 20, "range", source="h"),
        row("S9", "1936-12-30", "wra", 70, N, "more_than", source="i"),
    )
    guide = st.guide_line(rows)
    assert guide.to_dict("records") == [
        {"date": pd.Timestamp("1937-01-01"), "value": 200.0, "id": "S3"},  # of 100 200 300 400: 200
        {"date": pd.Timestamp("1937-01-02"), "value": 500.0, "id": "S6"},  # H before M before L
    ]
    with_bounds = st.guide_line(rows, min_confidence="L", kinds=st.KINDS)
    assert with_bounds["id"].tolist() == ["S9", "S3", "S6"]  # a bound's stated number; a range never
    assert st.guide_line(rows, min_confidence="H")["id"].tolist() == ["S6"]
    assert list(st.guide_line(rows.iloc[0:0]).columns) == ["date", "value", "id"]
    assert list(st.guide_line(rows[rows["id"] == "S8"]).columns) == ["date", "value", "id"]


def test_guide_at_is_straight_on_a_log_scale_and_nothing_outside():
    guide = pd.DataFrame(
        {"date": pd.to_datetime(["1937-01-01", "1937-01-11", "1937-01-21"]), "value": [100.0, 400.0, 400.0]}
    )
    at = st.guide_at(guide, ["1936-12-31", "1937-01-01", "1937-01-06", "1937-01-21", "1937-01-22"])
    assert math.isnan(at[0]) and math.isnan(at[4])
    assert at[1] == pytest.approx(100) and at[2] == pytest.approx(200) and at[3] == pytest.approx(400)
    assert list(at.index) == [0, 1, 2, 3, 4]
    one = st.guide_at(guide.iloc[:1], ["1937-01-01"])
    assert math.isnan(one[0]) and one.dtype == float
    two = st.guide_at(guide.iloc[:2], ["1937-01-11"])
    assert two[0] == pytest.approx(400)


def test_conflicts_touching_is_not_contradicting_and_the_guides_own_figures_are_not_checked():
    guide = pd.DataFrame(
        {"date": pd.to_datetime(["1937-01-01", "1937-01-21"]), "value": [1000.0, 1000.0], "id": ["G1", "G2"]}
    )
    rows = frame(
        row("A", "1937-01-11", "wra", 1000, N, "more_than", source="a"),  # touches: fine
        row("B", "1937-01-11", "wra", N, 1000, "fewer_than", source="b"),  # touches: fine
        row("C", "1937-01-11", "wra", 1001, N, "more_than", source="c"),  # the guide runs below it
        row("D", "1937-01-11", "wra", N, 999, "fewer_than", source="d"),  # the guide runs above it
        row("E", "1937-01-11", "wra", 2000, 3000, "range", source="e"),  # below the range
        row("F", "1937-01-11", "wra", 5000, 5000, "about", source="f"),  # a point: never checked
        row("G1", "1937-01-01", "wra", 2000, N, "more_than", source="g"),  # the guide's own
        row("H", "1937-02-01", "wra", 5000, N, "more_than", source="h"),  # beyond the guide
    )
    out = st.conflicts(guide, rows)
    assert out["id"].tolist() == ["C", "D", "E"]
    assert out["guide"].tolist() == pytest.approx([1000.0, 1000.0, 1000.0])
    # a guide of one point draws no line, and so contradicts nothing (it used to flag every figure)
    no_line = st.conflicts(guide.iloc[:1], rows)
    assert no_line.empty and list(no_line.columns) == [*rows.columns, "guide"]
    assert st.conflicts(guide, rows.iloc[0:0]).empty


def test_best_ranks_confidence_then_support_then_precision_then_id():
    def pick(*rows):
        return st.best(frame(*rows))["id"]

    assert (
        pick(
            row("S2", "1937-01-01", "wra", 5, 5, "about", source="a", confidence="L"),
            row("S3", "1937-01-01", "wra", 9, N, "more_than", source="b", confidence="H"),
        )
        == "S3"
    )
    assert (
        pick(
            row("S1", "1937-01-01", "wra", 5, 5, "exact", source="a"),
            row("S2", "1937-01-01", "wra", 9, N, "more_than", source="b"),
            row("S3", "1937-01-01", "wra", 9, N, "more_than", source="c"),
        )
        == "S2"
    )
    assert (
        pick(
            row("S2", "1937-01-01", "wra", 9, N, "more_than", source="a"),
            row("S3", "1937-01-01", "wra", 5, 5, "about", source="b"),
            row("S4", "1937-01-01", "wra", 5, 6, "range", source="c"),
            row("S1", "1937-01-01", "wra", 5, 5, "exact", source="d"),
        )
        == "S1"
    )
    assert (
        pick(
            row("S2", "1937-01-01", "wra", 5, 6, "range", source="a"),
            row("S1", "1937-01-01", "wra", 5, 6, "range", source="b"),
        )
        == "S1"
    )
    chosen = st.best(frame(row("S1", "1937-01-01", "wra", 5, 5, "exact")))
    assert not {"_rank", "_support", "_kind"} & set(chosen.index)
    with pytest.raises(ValueError, match=r"^no rows to choose from$"):
        st.best(frame())


def test_independent_knows_a_copy_only_of_a_row_among_those_given():
    rows = campaign()
    assert st.independent(rows)[rows["id"] == "S02"].tolist() == [False]
    assert st.independent(rows[rows["id"] != "S01"])[rows["id"] == "S02"].tolist() == [True]
    assert st.independent(rows.drop(columns="copy_of")).all()


def test_headline_picks_one_per_step_and_none_without_figures():
    rows = campaign()
    picks = st.headline_picks(rows, split_date="1937-03-14")
    assert picks[["step", "id"]].values.tolist() == [
        ["crossing", "S03"],
        ["article", "S07"],
        ["article", "S10"],
        ["split", "S15"],
        ["arrival", "S19"],
    ]
    assert picks.index.tolist() == [0, 1, 2, 3, 4]
    assert picks["low"].dtype == rows["low"].dtype and picks["date"].dtype == rows["date"].dtype
    ma = rows.assign(side="ma")
    empty = st.headline_picks(ma)
    assert empty.empty and list(empty.columns) == [*rows.columns, "step"]
    assert st.headline(ma)["crossing"].empty


def test_headline_steps_hold_only_the_wras_strength_and_the_left_detachments_arrivals():
    rows = campaign()
    others = frame(
        row("S80", "1936-10-24", "wra", 9, 9, "about", side="ma", source="m"),
        row("S81", "1936-10-24", "wra", 9, 9, "about", source="m", measure="loss"),
        row("S82", "1937-05-01", "right_detachment", 9, 9, "about", source="m", measure="reached"),
        row("S83", "1937-05-01", "left_detachment", 9, 9, "about", side="ma", source="m", measure="reached"),
    )
    head = st.headline(pd.concat([rows, others], ignore_index=True), split_date="1937-03-14")
    assert head["crossing"]["id"].tolist() == ["S01", "S02", "S03", "S04"]
    assert head["article"]["id"].tolist() == ["S07", "S10"]
    assert head["split"]["id"].tolist() == ["S15", "S16", "S17"]
    assert head["arrival"]["id"].tolist() == ["S18", "S20", "S21", "S19"]
    assert "split" not in st.headline(rows)


def test_named_span_and_its_words():
    rows = campaign()
    assert st.named_span(rows[rows["id"].isin(["S14", "S12"])]) == (8000.0, 10000.0)
    with pytest.raises(ValueError, match=r"^no figures in these rows$"):
        st.named_span(rows.iloc[0:0])
    one = rows[rows["id"] == "S03"]
    assert st.span_words(one) == "about 22,000"
    two_alike = rows[rows["id"].isin(["S01", "S02"])]
    assert st.span_words(two_alike) == "from at least 21,800 to at least 21,800"


def test_falls_and_the_units_finding():
    rows = frame(
        row("S1", "1936-11-14", "ninth_army", 6500, N, "more_than", source="a"),
        row("S2", "1937-03-12", "ninth_army", N, 1000, "fewer_than", source="b"),
        row("S3", "1936-11-10", "thirtieth_army", 7000, 7000, "about", source="c"),
        row("S4", "1937-03-12", "thirtieth_army", 2000, 2000, "about", source="d"),
        row("S5", "1936-11-10", "fifth_army", 3000, 3000, "about", source="e"),
        row("S6", "1937-01-20", "fifth_army", 3000, 3000, "about", source="f"),  # no fall: equal
        row("S7", "1937-02-01", "fifth_army", 1000, 1000, "about", source="g", side="ma"),  # Ma's men: no fall
    )
    found = st.falls(rows)
    assert [(u, a["id"], z["id"]) for u, a, z in found] == [("ninth_army", "S1", "S2"), ("thirtieth_army", "S3", "S4")]
    assert st.units_finding(rows) == (
        "The 9th Army fell from at least 6,500 to fewer than 1,000 men, the 30th from about 7,000 to about 2,000"
    )
    assert st.units_finding(rows[rows["unit"] == "thirtieth_army"]) == (
        "The 30th Army fell from about 7,000 to about 2,000 men"
    )
    assert st.falls(rows, units=("fifth_army",)) == []
    other = rows.assign(unit=rows["unit"].replace({"ninth_army": "cavalry_division"}))
    assert st.units_finding(
        other,
    ).startswith("The 30th Army")
    assert [u for u, _, _ in st.falls(other, units=("cavalry_division",))] == ["cavalry_division"]


def test_a_unit_without_an_ordinal_is_named_by_its_code():
    rows = frame(
        row("S1", "1936-11-14", "cavalry_division", 2000, 2000, "about", source="a"),
        row("S2", "1937-03-12", "cavalry_division", 200, 200, "about", source="b"),
    )
    found = st.falls(rows, units=("cavalry_division",))
    assert len(found) == 1
    assert st.units_finding(rows.assign(unit="fifth_army")) == "The 5th Army fell from about 2,000 to about 200 men"


def test_the_finding_needs_a_crossing_and_an_arrival():
    rows = campaign()
    with pytest.raises(
        ValueError, match=r"^no crossing or no arrival figure: the strength record has no headline path$"
    ):
        st.finding(rows[rows["measure"] != "reached"])
    assert st.finding(rows, split_date="1937-03-14") == EXPECTED["str_finding"]


def test_text_helpers():
    assert st.text_or_empty(None) == "" and st.text_or_empty(pd.NA) == "" and st.text_or_empty(float("nan")) == ""
    assert st.text_or_empty(0) == "0" and st.text_or_empty("x") == "x"
    assert st._first_clause("Counted at Xingxingxia; a roll call.") == "Counted at Xingxingxia"
    assert st._first_clause("Roll call at Dihua. Later.") == "Roll call at Dihua"
    assert st._first_clause("  One clause only.  ") == "One clause only"
    assert st._first_clause(None) == ""
    assert st._first_clause("Counted by unit X.") == "Counted by unit X"
    assert st._lower_first("Roll call") == "roll call" and st._lower_first("") == ""
    assert st._span_text(400.0, 400.0) == "400" and st._span_text(400.0, 1500.0) == "400 to 1,500"
    assert st._num(pd.NA) is None and st._num("x") is None and st._num(float("nan")) is None and st._num("3") == 3.0
    assert np.isclose(st.face_value(b(8000, 9000, "range")) or -1, -1)


def test_three_armies_falling_are_listed_with_commas():
    rows = frame(
        row("S1", "1936-11-14", "ninth_army", 6500, N, "more_than", source="a"),
        row("S2", "1937-03-12", "ninth_army", N, 1000, "fewer_than", source="b"),
        row("S3", "1936-11-10", "thirtieth_army", 7000, 7000, "about", source="c"),
        row("S4", "1937-03-12", "thirtieth_army", 2000, 2000, "about", source="d"),
        row("S5", "1936-11-10", "fifth_army", 3000, 3000, "about", source="e"),
        row("S6", "1937-01-20", "fifth_army", 800, 800, "about", source="f"),
    )
    assert st.units_finding(rows) == (
        "The 5th Army fell from about 3,000 to about 800 men, the 9th from at least 6,500 to fewer than 1,000, "
        "the 30th from about 7,000 to about 2,000"
    )
