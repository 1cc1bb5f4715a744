"""The errors of fact and citation found by reading the book against the record stay fixed.

Each test names the fault it guards against; all read the project's data.
"""

from __future__ import annotations

import pandas as pd
import pytest

from wra.analysis import events, route
from wra.analysis import strength as st
from wra.record import data


@pytest.fixture(scope="module")
def t() -> dict[str, pd.DataFrame]:
    return {
        name: data.load(name).set_index(data.load(name).columns[0], drop=False)
        for name in ("directives", "actions", "strength")
    }


def test_narrative_rows_cite_the_article_not_a_nearby_endnote(t):
    # the crossing, Zhang's moving of units, the Yitiaoshan line, the requests and the plan of November
    # are the article's own narrative: no endnote's compilation is cited for them
    for aid in ("A03", "A05", "A06", "A07", "A08", "A10"):
        row = t["actions"].loc[aid]
        assert row["source"] == "sun_huanzhen" and row["pages"].startswith("part "), aid
        assert pd.isna(row["note"]), aid
    d13 = data.load("assessments").set_index(["directive_id", "action_id"]).loc[("D13", "A05")]
    assert d13["source"] == "sun_huanzhen" and pd.isna(d13["note"])


def test_grades_and_units_claim_no_more_than_their_sources(t):
    s = t["strength"]
    assert s.loc["S119", "confidence"] == "L"  # a mirror of a wiki
    assert s.loc["S068", "unit"] == "relief_column"  # the article says only 援军
    assert "先后" in s.loc["S084", "comment_en"] and s.loc["S084", "date"] >= pd.Timestamp("1937-03-15")
    assert s.loc["S092", "copy_of"] == "S093"
    assert s.loc["S002", "copy_of"] == "S001" and s.loc["S036", "copy_of"] == "S001"


def test_odd_page_and_corrupt_place_names_are_flagged_not_translated(t):
    d = t["directives"]
    assert "p. 135" in d.loc["D02", "summary_en"] and "578-634" in d.loc["D02", "summary_en"]
    d11 = d.loc["D11", "summary_en"]
    for wrong in ("Tou Lutang", "Daying 大营磐", "Jingyanbao"):
        assert wrong not in d11
    for flagged in ("头卢塘", "芦塘", "大营盘", "眼井堡"):
        assert flagged in d11


def test_the_crossing_began_with_the_first_action_at_the_crossing_point(t):
    a = t["actions"]
    first = a[a["place_id"] == route.CROSSING].sort_values("date").iloc[0]
    assert route.crossing_date(a.reset_index(drop=True)) == first["date"] == pd.Timestamp("1936-10-24")
    # the article's crossing of the whole force began the next day; the crossing did not begin then
    assert a.loc["A03", "date"] > first["date"]


def test_zhangs_westward_order_came_before_the_centres(t):
    d = t["directives"]
    zhang = d[(d["issuer"] == "zhang_guotao") & (d["direction"] == "west")].sort_values("date")
    central = d[
        d["issuer"].isin(["central_committee", "military_commission", "politburo", "mao_zhou"])
        & (d["direction"] == "west")
    ].sort_values("date")
    assert zhang.iloc[0]["id"] == "D08" and zhang.iloc[0]["date"] < central.iloc[0]["date"]
    assert "A08" in d.loc["D16", "summary_en"]  # D16 answered the front leaders' own request


def test_the_split_span_does_not_cap_what_the_sources_say():
    strength = data.load("strength")
    split = events.milestones().set_index("place_id")["date"]["shiwo"]
    n = st.chapter_numbers(strength, split)
    head = st.headline(strength, split)["split"]
    top = head[head["low"] == head["low"].max()]
    if (top["qualifier"] == "more_than").any():
        assert n["str_split_span"].endswith(f"at least {top['low'].max():,.0f}")


def test_arrivals_are_picked_by_the_same_rule_as_the_route_map():
    strength = data.load("strength")
    n = st.chapter_numbers(strength, events.milestones().set_index("place_id")["date"]["shiwo"])
    figs = route.band_figures(strength)
    left = figs[(figs["unit"] == "left_detachment") & figs["chosen"]].sort_values("date").iloc[-1]
    assert n["str_arrive_pick"] == route.phrase(left)
    # the two exact numbers are low-grade pages, and say where each count was taken
    assert n["str_arrive_exact_grades"] == "L"
    assert "Xingxingxia" in n["str_arrive_exact_words"] and "Dihua" in n["str_arrive_exact_words"]


def test_the_january_figure_is_shown_as_disputed():
    strength = data.load("strength")
    n = st.chapter_numbers(strength, events.milestones().set_index("place_id")["date"]["shiwo"])
    assert n["str_jan_n_against"] >= 2 and "graded" in n["str_jan_against"]
