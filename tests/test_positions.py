"""The historiography as data: positions and readings (wra.analysis.positions, wra.analysis.sensitivity).

The positions' excerpts are checked against the research memo they come from
(not against the article); the sensitivity analysis runs on a small record
built here by hand.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests.shared_material import shared_file
from tests.test_directives import ART, action, assess, directive, frame
from wra.analysis import positions as po
from wra.analysis import sensitivity as se
from wra.presentation import positions_tables as pt
from wra.record import data, schema

#: the research memo the excerpts come from, in the project's shared folder (not in the repository)
MEMO = "research/historiography.md"


# --------------------------------------------------------------------------
# The project's positions
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def positions() -> pd.DataFrame:
    return data.load("positions")


def test_every_excerpt_is_verbatim_in_the_research_memo(positions):
    memo = shared_file(MEMO, "the research memo on the historiography").read_text(encoding="utf-8")
    assert po.excerpts_in(memo, positions) == []
    assert (positions["excerpt_zh"].str.len() <= 80).all()


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
        "侯培和",
        "孙焕臻",
    ):
        assert who in text, who
    years = dict(zip(positions["id"], positions["year"]))
    assert years["P01"] == 1937 and 2016 in set(positions["year"]) and 2022 in set(positions["year"])
    assert set(positions["camp"]) == set(schema.CAMP)


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
            "holder_en": ["Sun Huanzhen, the article", "Xu Xiangqian, memoir", "Li Xiannian, statement"],
            "year": [2009, 1984, 1983],
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


def test_variants_merge_positions_with_the_same_reading(record):
    vs = se.variants(
        record["directives"], record["actions"], record["assessments"], record["readings"], record["positions"], ART
    )
    ids = [v.id for v in vs]
    assert ids == ["codebook", "no_article_only", "deeds_only", "reading_P01", "reading_P02_P03"]
    merged = vs[-1]
    assert merged.positions == ("P02", "P03")
    assert merged.label == "as Xu Xiangqian (1984) and Li Xiannian (1983) read the record"
    assert vs[-2].label == "as Sun Huanzhen (2009) reads the record"


def test_table_and_spread_give_shares_with_their_counts(record):
    readings = se.variants(
        record["directives"], record["actions"], record["assessments"], record["readings"], record["positions"], ART
    )
    t = se.table(record["directives"], record["actions"], readings)
    by = t.set_index("id")
    # the article's reading: D03 becomes a concession (apart), D04 deviated by deed as well
    assert (by.loc["reading_P01", "central_tested"], by.loc["reading_P01", "central_followed"]) == (4, 2)
    # P02/P03 read the crossing as ordered: D01 complied
    assert (by.loc["reading_P02_P03", "central_followed"], by.loc["reading_P02_P03", "central_tested"]) == (4, 5)
    # words left out: D04's only tested pairing was a reply, so it is no longer tested
    assert by.loc["deeds_only", "east_tested"] == 0
    sp = se.spread(t)
    assert sp["low"] == "2 of 4 (50%)" and sp["low_label"] == "as Sun Huanzhen (2009) reads the record"
    assert sp["high"] == "1 of 1 (100%)"
    assert sp["high_label"] == "under the codebook without the pairings that rest on the article alone"
    assert se.range_text(t).startswith("lies between 2 of 4 (50%), as Sun Huanzhen (2009) reads the record, and 1 of 1")
    assert se.range_text(t, "west_").startswith("is the same under every reading that tests any")
    assert not sp["same"]
    shown = se.display(t)
    assert all(" of " in cell or cell == "none tested" for cell in shown["pointing east"])


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
