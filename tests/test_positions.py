"""The historiography as data: positions and readings (wra.analysis.positions, wra.analysis.sensitivity).

The positions' excerpts are checked against the research memo they come from
(not against the article); the sensitivity analysis runs on a small record
built here by hand.
"""

from __future__ import annotations

import os

import pandas as pd
import pytest

from tests.test_directives import ART, action, assess, directive, frame
from wra.analysis import positions as po
from wra.analysis import sensitivity as se
from wra.presentation import positions_tables as pt
from wra.record import data, paths, schema

#: the research memos the positions' excerpts come from: the first pass (shared) and the second (this repository)
MEMO = paths.SHARED / "research" / "historiography.md"
SECOND_MEMO = paths.ROOT / "research" / "second-pass.md"


# --------------------------------------------------------------------------
# The project's positions
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def positions() -> pd.DataFrame:
    return data.load("positions")


def test_every_excerpt_is_verbatim_in_the_research_memos(positions):
    if not MEMO.exists():  # the first pass's memo lives in ../shared, beside a checkout
        message = f"the first pass's research memo is not beside this checkout: {MEMO}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true runs every check; {message}")
        pytest.skip(message)
    assert SECOND_MEMO.exists(), f"the research memo is missing: {SECOND_MEMO}"
    memos = [m.read_text(encoding="utf-8") for m in (MEMO, SECOND_MEMO)]
    assert po.excerpts_in(memos, positions) == []
    assert (positions["excerpt_zh"].str.len() <= 80).all()
    # an excerpt in neither memo is refused
    bad = positions.head(1).assign(excerpt_zh="西路军从未存在")
    assert po.excerpts_in(memos, bad) == [bad.iloc[0]["id"]]


def test_every_position_source_of_the_second_pass_is_in_its_memo(positions):
    """The second pass's pages are recorded, with address and grade, in research/second-pass.md."""
    memo = SECOND_MEMO.read_text(encoding="utf-8")
    for pid in ("P21", "P22", "P23", "P24", "P25"):
        row = positions.set_index("id").loc[pid]
        assert f"`{row['source']}`" in memo, pid


def test_excerpts_are_not_named_as_quotations():
    # the shared quote checker checks every column whose name contains "quote" against the article;
    # the positions' excerpts come from other texts, so no column of theirs may be named so
    for table in ("positions", "readings"):
        assert not [c for c in schema.COLUMNS[table] if "quote" in c.lower()], table


def test_the_positions_the_issue_asks_for_are_there(positions):
    assert len(positions) >= 5
    text = " ".join(positions["holder_en"] + " " + positions["holder_zh"] + " " + positions["claim_en"])
    for who in (
        "Politburo",
        "《历史的回顾》",
        "Li Xiannian",
        "Deng Xiaoping",
        "Chen Yun",
        "second edition",
        "冯亚光",
        "董汉河",
        "孙焕臻",
        "张国焘《我的回忆》",
        "陈昌浩",
    ):
        assert who in text, who
    years = dict(zip(positions["id"], positions["year"]))
    assert years["P01"] == 1937 and 2016 in set(positions["year"])
    assert set(positions["camp"]) == set(schema.CAMP)
    # the survey's heading is not a position (withdrawn); the article is not dated by its web copy
    assert "P17" not in years and years["P18"] < 2009
    # Xu's "changing tasks" and Li's account of the causes, in their own words
    excerpts = " ".join(positions["excerpt_zh"])
    assert "步步以河东形势的暂时需要为转移" in excerpts and "停留了三个多月" in excerpts


def test_every_main_position_reads_the_record(positions):
    """Each camp reads at least one pairing, so each main position is a reading of its own."""
    readings = data.load("readings")
    camps = set(positions.set_index("id").loc[readings["position_id"], "camp"])
    assert camps == set(schema.CAMP)


def test_documents_known_through_copies_are_graded_both_ways(positions):
    official = positions[positions["document_grade"] == "H"]
    assert len(official) >= 5
    # no official document was read in an official text
    assert (official["grade"] != "H").all()


def test_chapter_numbers_and_dates(positions):
    readings = data.load("readings")
    n = po.chapter_numbers(positions, readings)
    assert n["hist_n_positions"] == len(positions)
    assert n["hist_P01_date"] == "31 March 1937" and n["hist_P01_year"] == 1937
    assert n["hist_n_grade_L"] + n["hist_n_grade_M"] + n["hist_n_grade_H"] == len(positions)
    assert n["hist_n_read_pairings"] <= n["hist_n_readings"]


# --------------------------------------------------------------------------
# Readings and the sensitivity of the headline, on a hand-made record
# --------------------------------------------------------------------------


@pytest.fixture
def record():
    directives = frame(
        [
            directive("D01", "1936-10-24", "military_commission", "north", recipient="fourth_front_army"),
            directive("D02", "1936-11-03", "military_commission", "west", recipient="river_west_force"),
            directive("D03", "1936-11-08", "military_commission", "west", recipient="river_west_force"),
            directive("D04", "1936-12-24", "military_commission", "east"),
            directive("D05", "1936-12-27", "military_commission", "west", source="ext", pages="n.p."),
            directive("D06", "1936-11-05", "zhang_guotao", "west", recipient="river_west_force"),
            directive("D07", "1936-11-12", "wra_committee", "west"),
            directive("D08", "1936-11-11", "mao_zhou", "none"),
        ]
    )
    actions = frame(
        [
            action("A01", "1936-10-25", place="hubaokou"),
            action("A02", "1936-11-01", kind="proposal"),
            action("A03", "1936-11-15", kind="capture", place="gulang"),
            action("A04", "1936-12-23", kind="reply"),
            action("A05", "1936-12-30", kind="capture", place="linze", source="ext", pages="n.p."),
            action("A06", "1936-11-12", kind="reply"),
        ]
    )
    rule_verdict = schema.RULE_VERDICT

    def a(d, act, rule, **kw):
        row = assess(d, act, rule_verdict[rule], **kw)
        row.update(rule=rule, superseded_by=None)
        return row

    rows = [
        a("D01", "A01", "went_another_way"),
        a("D02", "A02", "did_as_ordered"),
        a("D02", "A03", "did_as_ordered"),
        a("D03", "A03", "did_part"),
        a("D04", "A04", "argued_against"),
        a("D06", "A03", "did_as_ordered"),
        a("D07", "A03", "self_issued"),
        a("D08", "A06", "not_an_order"),
    ]
    sup = a("D04", "A05", "superseded", source="ext", pages="n.p.")
    sup["superseded_by"] = "D05"
    rows.append(sup)
    rows.append(a("D05", "A05", "did_as_ordered", source="ext", pages="n.p."))
    assessments = frame(rows, dates=())
    positions = pd.DataFrame(
        {
            "id": ["P01", "P02", "P03"],
            "holder_en": ["Sun Huanzhen, the article", "Chen Yun, chronicle", "Li Xiannian, statement"],
            "year": [1994, 1981, 1983],
            "camp": ["sun_article", "li_xiannian", "li_xiannian"],
        }
    )
    readings = pd.DataFrame(
        [
            dict(
                position_id="P01",
                directive_id="D03",
                action_id="A03",
                rule="ratified",
                verdict="not_an_order",
                superseded_by=None,
                rationale_en="a concession",
                source=ART,
                pages="part 1",
                note=None,
                via=None,
            ),
            dict(
                position_id="P01",
                directive_id="D04",
                action_id="A05",
                rule="went_another_way",
                verdict="deviated",
                superseded_by=None,
                rationale_en="defied",
                source=ART,
                pages="part 2",
                note=None,
                via=None,
            ),
            dict(
                position_id="P02",
                directive_id="D01",
                action_id="A01",
                rule="did_as_ordered",
                verdict="complied",
                superseded_by=None,
                rationale_en="ordered",
                source="memoir",
                pages="n.p.",
                note=None,
                via=None,
            ),
            dict(
                position_id="P03",
                directive_id="D01",
                action_id="A01",
                rule="did_as_ordered",
                verdict="complied",
                superseded_by=None,
                rationale_en="ordered too",
                source="statement",
                pages="n.p.",
                note=None,
                via=None,
            ),
        ]
    )
    return dict(directives=directives, actions=actions, assessments=assessments, positions=positions, readings=readings)


def test_headline_counts_only_tested_orders_to_the_army(record):
    h = se.headline(record["directives"], record["actions"], record["assessments"])
    # D01 deviated, D02 complied, D03 partly, D04 deviated (argued; A05 superseded), D05 complied;
    # D08 (a question) is apart; D06 is Zhang's, D07 the army's own
    assert (h["central_tested"], h["central_followed"], h["central_apart"]) == (5, 3, 1)
    assert (h["west_tested"], h["west_followed"]) == (3, 3)
    assert (h["east_tested"], h["east_followed"]) == (1, 0)
    assert (h["zhang_tested"], h["zhang_followed"]) == (1, 1)
    assert h["army_own"] == 1
    assert h["share"] == pytest.approx(3 / 5)


def test_apply_reading_replaces_only_the_pairings_read(record):
    read = se.apply_reading(record["assessments"], record["readings"], "P01")
    changed = read.merge(record["assessments"], on=["directive_id", "action_id"], suffixes=("", "_base"))
    diff = changed[changed["rule"] != changed["rule_base"]]
    assert sorted(zip(diff["directive_id"], diff["action_id"])) == [("D03", "A03"), ("D04", "A05")]
    assert len(read) == len(record["assessments"])
    with pytest.raises(KeyError, match="D01"):
        bad = record["readings"].assign(action_id="A09")
        se.apply_reading(record["assessments"], bad, "P02")


def test_variants_are_the_codebook_each_camp_and_the_filters_apart(record):
    vs = se.variants(
        record["directives"], record["actions"], record["assessments"], record["readings"], record["positions"], ART
    )
    assert [v.id for v in vs] == [
        "codebook",
        "reading_li_xiannian",
        "reading_sun_article",
        "no_article_only",
        "deeds_only",
    ]
    assert [v.kind for v in vs] == ["codebook", "position", "position", "filter", "filter"]
    camp = vs[1]
    assert camp.positions == ("P02", "P03") and camp.camp == "li_xiannian"
    assert camp.label == "as Li Xiannian's statement of 1983 reads the record"
    assert camp.holders == "Chen Yun (1981) and Li Xiannian (1983)"
    assert vs[2].label == "as the article reads the record"
    assert vs[3].label.startswith("the source filter")


def test_a_camp_reads_as_one(record):
    """Positions of one camp make one reading: their rows together replace the codebook's."""
    readings = record["readings"].copy()
    readings.loc[3, ["directive_id", "action_id", "rule", "verdict"]] = ["D02", "A03", "did_part", "partly"]
    read = se.apply_reading(record["assessments"], readings, ("P02", "P03"))
    got = dict(zip(zip(read["directive_id"], read["action_id"]), read["verdict"]))
    assert got[("D01", "A01")] == "complied" and got[("D02", "A03")] == "partly"


def test_table_and_spread_give_shares_with_their_counts(record):
    readings = se.variants(
        record["directives"], record["actions"], record["assessments"], record["readings"], record["positions"], ART
    )
    t = se.table(record["directives"], record["actions"], readings)
    by = t.set_index("id")
    # the article's reading: D03 becomes a concession (apart), D04 deviated by deed as well
    assert (by.loc["reading_sun_article", "central_tested"], by.loc["reading_sun_article", "central_followed"]) == (
        4,
        2,
    )
    # the camp of P02/P03 reads the crossing as ordered: D01 complied
    assert (by.loc["reading_li_xiannian", "central_followed"], by.loc["reading_li_xiannian", "central_tested"]) == (
        4,
        5,
    )
    # words left out: D04's only tested pairing was a reply, so it is no longer tested
    assert by.loc["deeds_only", "east_tested"] == 0
    sp = se.spread(t)
    # the range runs across the readings (codebook and positions), never a filter
    assert sp["low"] == "2 of 4 (50%)" and sp["low_label"] == "as the article reads the record"
    assert sp["high"] == "4 of 5 (80%)" and sp["high_label"] == "as Li Xiannian's statement of 1983 reads the record"
    assert sp["n_variants"] == 3
    assert se.range_text(t).startswith(
        "lies between 2 of 4 (50%), as the article reads the record, and 4 of 5 (80%), as Li Xiannian's"
    )
    # the source filter, shown apart, gives its own share
    assert se.filter_text(t, "no_article_only") == "1 of 1 (100%)"
    assert se.range_text(t, "west_").startswith("is the same under every reading that tests any")
    assert not sp["same"]
    shown = se.display(t)
    assert all(" of " in cell or cell == "none tested" for cell in shown["pointing east"])
    assert list(shown["Kind"]) == ["the codebook", "a position", "a position", "a filter", "a filter"]


def test_joined_label_names_several_camps_once():
    rows = pd.DataFrame(
        {
            "label": [
                "under the codebook",
                "as Xu Xiangqian's memoir reads the record",
                "as the article reads the record",
            ],
            "kind": ["codebook", "position", "position"],
        }
    )
    assert se.joined_label(rows) == "under the codebook and as Xu Xiangqian's memoir and the article read the record"


def test_without_article_only_drops_pairings_resting_on_the_article_alone(record):
    kept = se.without_article_only(record["assessments"], record["directives"], record["actions"], ART)
    # only the pairings whose directive, action or assessment cite another work remain
    assert sorted(zip(kept["directive_id"], kept["action_id"])) == [("D04", "A05"), ("D05", "A05")]


def test_fraction_text_never_gives_a_bare_percentage():
    assert se.fraction_text(3, 4) == "3 of 4 (75%)"
    assert se.fraction_text(0, 0) == "none tested"


def test_positions_table_has_three_columns_with_excerpt_gloss_and_grades(positions):
    table = pt.positions_table(positions.head(3), cite=lambda row: f"{row['source']}:{row['pages']}")
    assert list(table.columns) == ["Who, when", "Claim, and in their words", "Read in"]
    first = positions.sort_values(["year", "id"]).iloc[0]
    cell = str(table.iloc[0]["Claim, and in their words"])
    assert first["excerpt_zh"] in cell and "Rests on:" in cell
    assert f"copy {first['grade']}" in str(table.iloc[0]["Read in"])
