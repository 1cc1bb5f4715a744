"""Directives against actions at their edges (wra.analysis.directives): the chapter's panels and
finding in full, every rule of the overall verdict, ids, dates in words, where the army was on the
day it got there, and who counts as the army.

Small frames built here by hand (and the record of tests/test_directives.py); every expected
value below was worked out from the codebook, not read off the code. Part of the mutation run
(``make mutate``).
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests.test_directives import ART, action, assess, directive, frame
from tests.test_directives import pairs as pairs
from tests.test_directives import record as record
from wra.analysis import directives as wd
from wra.record import schema


def verdicts_frame(rows) -> pd.DataFrame:
    """rows: (directive_id, issuer_group, direction, verdict), as directive_verdicts gives them."""
    return pd.DataFrame(rows, columns=["directive_id", "issuer_group", "direction", "verdict"])


VERDICTS = verdicts_frame(
    [
        ("D1", "central", "north", "complied"),
        ("D2", "central", "north", "deviated"),
        ("D3", "central", "west", "partly"),
        ("D4", "central", "east", "not_carried_out"),
        ("D5", "central", "hold", "superseded"),
        ("D6", "central", "west", "unassessed"),
        ("Z1", "zhang_guotao", "west", "complied"),
        ("Z2", "zhang_guotao", "west", "deviated"),
        ("A1", "army", "west", "self_issued"),
    ]
)

LABEL = {
    "complied": "complied",
    "partly": "partly complied",
    "deviated": "deviated",
    "not_carried_out": "not carried out",
    "superseded": "superseded by a later order",
    "self_issued": "the army's own decision",
    "unassessed": "not assessed",
}
TESTED = {"complied", "partly", "deviated", "not_carried_out"}


def panel_rows(row, panels, used):
    """Expected rows of verdict_panels: ``panels`` is [(code, label, {verdict: n})]."""
    out = []
    for code, label, counts in panels:
        for verdict in used:
            out.append(
                {
                    "row": row,
                    "panel": code,
                    "panel_label": label,
                    "panel_total": sum(counts.values()),
                    "verdict": verdict,
                    "verdict_label": LABEL[verdict],
                    "n": counts.get(verdict, 0),
                    "followed": verdict in ("complied", "partly"),
                    "tested": verdict in TESTED,
                }
            )
    return out


def test_verdict_panels_in_full():
    issuer_used = ["complied", "partly", "deviated", "not_carried_out", "superseded", "self_issued", "unassessed"]
    direction_used = ["complied", "partly", "deviated", "not_carried_out", "superseded", "unassessed"]
    expected = pd.DataFrame(
        panel_rows(
            "issuer",
            [
                (
                    "central",
                    "Party centre",
                    {"complied": 1, "partly": 1, "deviated": 1, "not_carried_out": 1, "superseded": 1, "unassessed": 1},
                ),
                ("zhang_guotao", "Zhang Guotao", {"complied": 1, "deviated": 1}),
                ("army", "Army leadership in the field", {"self_issued": 1}),
            ],
            issuer_used,
        )
        + panel_rows(
            "direction",
            [
                ("north", "North", {"complied": 1, "deviated": 1}),
                ("east", "East", {"not_carried_out": 1}),
                ("west", "West", {"partly": 1, "unassessed": 1}),
                ("hold", "Hold", {"superseded": 1}),
            ],
            direction_used,
        )
    )
    pd.testing.assert_frame_equal(wd.verdict_panels(VERDICTS), expected)


def test_verdict_finding_counts_only_the_verdicts_that_test_an_order():
    panels = wd.verdict_panels(VERDICTS)
    assert wd.verdict_finding(panels) == (
        "The army followed at least in part 2 of the Party centre's 4 and 1 of Zhang Guotao's 2 orders "
        "whose verdict tests them"
    )
    only_apart = wd.verdict_panels(VERDICTS[VERDICTS["verdict"].isin(["superseded", "self_issued", "unassessed"])])
    assert wd.verdict_finding(only_apart) == "No order's verdict tests it"
    centre_only = wd.verdict_panels(VERDICTS[VERDICTS["issuer_group"] != "zhang_guotao"])
    assert wd.verdict_finding(centre_only) == (
        "The army followed at least in part 2 of the Party centre's 4 orders whose verdict tests them"
    )
    # the army's own decisions are never in the finding, even when they test as orders would
    army_tested = verdicts_frame([("A1", "army", "west", "complied"), ("Z1", "zhang_guotao", "west", "deviated")])
    assert wd.verdict_finding(wd.verdict_panels(army_tested)) == (
        "The army followed at least in part 0 of Zhang Guotao's 1 orders whose verdict tests them"
    )


def test_verdict_counts_by_direction_and_shares():
    counts = wd.verdict_counts(VERDICTS[VERDICTS["issuer_group"] == "central"], by="direction")
    assert list(counts.index) == ["north", "east", "west", "hold", "total"]
    assert counts.index.name == "direction" and counts.columns.name == "verdict"
    assert counts.loc["north", ["complied", "deviated", "total"]].tolist() == [1, 1, 2]
    assert counts.loc["total", "total"] == 6 and counts.loc["total", "unassessed"] == 1
    assert all(dtype.kind == "i" for dtype in counts.dtypes)
    shares = wd.verdict_shares(counts)
    assert shares.loc["north", "complied"] == 0.5 and shares.loc["east", "not_carried_out"] == 1.0
    assert "total" not in shares.columns
    with pytest.raises(KeyError, match="verdict_shares needs the 'total' column of verdict_counts\\(total=True\\)"):
        wd.verdict_shares(counts.drop(columns="total"))
    by_issuer = wd.verdict_counts(VERDICTS[VERDICTS["issuer_group"] == "army"], total=False)
    assert list(by_issuer.index) == ["central", "zhang_guotao", "army"]  # groups with nothing show zeros
    assert by_issuer.loc["central"].tolist() == [0] * len(by_issuer.columns)
    assert "unassessed" not in by_issuer.columns and "total" not in by_issuer.columns
    zero_total = wd.verdict_shares(wd.verdict_counts(VERDICTS[VERDICTS["issuer_group"] == "army"]))
    assert zero_total.loc["central"].isna().all()  # 0 of 0 is no share, not zero


def test_counts_table_in_full():
    table = wd.counts_table(wd.verdict_counts(VERDICTS))
    assert list(table.columns) == [
        "Issued by",
        "complied",
        "partly",
        "deviated",
        "not carried out",
        "superseded",
        "own decision",
        "not assessed",
        "total",
    ]
    assert table.values.tolist() == [
        ["Party centre", 1, 1, 1, 1, 1, 0, 1, 6],
        ["Zhang Guotao", 1, 0, 1, 0, 0, 0, 0, 2],
        ["Army leadership in the field", 0, 0, 0, 0, 0, 1, 0, 1],
        ["All", 2, 1, 2, 1, 1, 1, 1, 9],
    ]
    by_direction = wd.counts_table(wd.verdict_counts(VERDICTS, by="direction"))
    assert by_direction.columns[0] == "Pointed"
    assert by_direction["Pointed"].tolist() == ["North", "East", "West", "Hold", "All"]
    other = wd.verdict_counts(VERDICTS, by="directive_id")
    assert wd.counts_table(other).columns[0] == "directive_id"


@pytest.mark.parametrize(
    "verdicts, overall",
    [
        ([], "unassessed"),
        (["unassessed", ""], "unassessed"),
        (["deviated"], "deviated"),
        (["superseded", "superseded"], "superseded"),
        (["superseded", "no_evidence"], "superseded"),
        (["overtaken", "not_an_order", "self_issued"], "not_an_order"),
        (["no_evidence", "overtaken"], "overtaken"),
        (["complied", "superseded"], "complied"),  # the tested pairing decides
        (["not_carried_out", "overtaken"], "not_carried_out"),
        (["complied", "deviated"], "partly"),
        (["partly", "not_carried_out"], "partly"),
        (["complied", "partly"], "partly"),
        (["deviated", "not_carried_out"], "deviated"),
        (["not_carried_out", "deviated", "no_evidence"], "deviated"),
    ],
)
def test_overall_verdict_every_rule(verdicts, overall):
    assert wd.overall_verdict(verdicts) == overall


def test_overall_verdict_refuses_an_unknown_verdict():
    with pytest.raises(KeyError, match=r"unknown verdict\(s\): \['obeyed'\]"):
        wd.overall_verdict(["complied", "obeyed"])


def test_with_groups_and_an_issuer_without_one():
    d = frame(
        [directive("D1", "1936-11-01", "mao_zhou", "west"), directive("D2", "1936-11-02", "chen_changhao", "west")]
    )
    assert wd.with_groups(d)["issuer_group"].tolist() == ["central", "army"]
    with pytest.raises(KeyError, match=r"issuer\(s\) without a group: \['lenin'\]"):
        wd.with_groups(d.assign(issuer=["mao_zhou", "lenin"]))


def test_pairings_order_columns_and_unknown_keys(record):
    p = wd.pairings(record["directives"], record["assessments"], record["actions"])
    assert list(zip(p["directive_id"], p["action_id"].fillna("-"), p["verdict"])) == [
        ("D01", "A01", "complied"),  # A01 (25 October) before A02 (30 October), whatever the file order
        ("D01", "A02", "complied"),
        ("D03", "A03", "complied"),
        ("D04", "A03", "complied"),
        ("D04", "A06", "deviated"),
        ("D05", "-", "unassessed"),
        ("D02", "-", "not_carried_out"),
    ]
    assert p.index.tolist() == list(range(len(p)))
    for column in ("directive_date", "directive_source", "action_date", "action_source", "assessment_source"):
        assert column in p.columns
    for column in ("issuer", "recipient", "issuer_group", "actor", "kind", "place_id", "rationale_en"):
        assert column in p.columns
    with pytest.raises(KeyError, match=r"assessments name unknown directives: \['D99'\]"):
        wd.pairings(record["directives"], frame([assess("D99", "A01", "complied")], dates=()), record["actions"])
    with pytest.raises(KeyError, match=r"assessments name unknown actions: \['A99'\]"):
        wd.pairings(record["directives"], frame([assess("D01", "A99", "complied")], dates=()), record["actions"])


def test_directive_verdicts_in_full(pairs):
    v = wd.directive_verdicts(pairs, article=ART)
    assert v[["directive_id", "issuer_group", "n_actions", "verdicts", "verdict"]].values.tolist() == [
        ["D01", "central", 2, ("complied", "complied"), "complied"],
        ["D03", "zhang_guotao", 1, ("complied",), "complied"],
        ["D04", "army", 2, ("complied", "deviated"), "partly"],
        ["D05", "central", 0, (), "unassessed"],
        ["D02", "central", 0, ("not_carried_out",), "not_carried_out"],
    ]
    # D01 was read through the article, but one of its actions and one assessment cite a memoir
    assert v[["directive_id", "directive_rests_on_article", "article_only"]].values.tolist() == [
        ["D01", True, False],
        ["D03", False, False],
        ["D04", True, True],
        ["D05", True, False],  # nothing assessed: not resting on the article alone
        ["D02", True, True],
    ]
    assert list(v["date"]) == sorted(v["date"])
    assert "article_only" not in wd.directive_verdicts(pairs).columns
    assert wd.directive_verdicts(pairs.iloc[0:0]).empty


def test_an_assessment_or_action_read_through_the_article_rests_on_it(record):
    assessments = record["assessments"].copy()
    assessments.loc[1, ["source", "via"]] = ["xu_memoir_1988", ART]
    actions = record["actions"].copy()
    actions.loc[actions["id"] == "A01", ["source", "via"]] = ["xu_memoir_1988", ART]
    v = wd.directive_verdicts(wd.pairings(record["directives"], assessments, actions), article=ART)
    assert v.set_index("directive_id").loc["D01", "article_only"]


def test_rests_on_with_and_without_a_via_column():
    rows = pd.DataFrame({"source": ["a", "b", None, "c"], "via": ["x", "a", "a", None]})
    assert wd.rests_on(rows, "a").tolist() == [True, True, True, False]
    assert wd.rests_on(rows.drop(columns="via"), "a").tolist() == [True, False, False, False]
    assert wd.rests_on(rows.rename(columns={"via": "through"}), "a", via="through").tolist() == [
        True,
        True,
        True,
        False,
    ]


def test_key_numbers_in_part(pairs, record):
    v = wd.directive_verdicts(pairs, article=ART)
    n = wd.key_numbers(v, record["assessments"], ART)
    assert (n["n_directives"], n["n_assessments"], n["n_pairs_with_action"]) == (5, 6, 5)
    assert (n["n_central"], n["n_central_complied"], n["n_central_unassessed"], n["n_central_not_carried_out"]) == (
        3,
        1,
        1,
        1,
    )
    assert (n["n_central_followed"], n["n_central_tested"], n["n_central_apart"]) == (1, 2, 0)
    assert (n["n_central_north"], n["n_central_north_followed"], n["n_central_east_not_carried_out"]) == (1, 1, 1)
    assert (n["n_central_east_tested"], n["n_central_hold_tested"], n["n_central_hold_unassessed"]) == (1, 0, 1)
    assert (n["n_army"], n["n_army_partly"], n["n_army_followed"], n["n_army_west_partly"]) == (1, 1, 1, 1)
    assert (n["n_zhang_guotao"], n["n_zhang_guotao_west_complied"]) == (1, 1)
    assert (n["n_directives_external"], n["n_central_west_external"]) == (1, 0)
    assert (n["n_assess_article"], n["n_assess_external"], n["n_directives_article_only"]) == (5, 1, 2)
    with pytest.raises(KeyError, match=r"key_numbers needs directive_verdicts\(\.\.\., article=\.\.\.\)"):
        wd.key_numbers(wd.directive_verdicts(pairs), record["assessments"], ART)


def test_an_external_central_order_west_is_counted(pairs, record):
    v = wd.directive_verdicts(pairs, article=ART)
    v.loc[v["directive_id"] == "D05", ["direction", "directive_rests_on_article"]] = ["west", False]
    v.loc[v["directive_id"] == "D02", "directive_rests_on_article"] = False
    n = wd.key_numbers(v, record["assessments"], ART)
    assert (n["n_directives_external"], n["n_central_west_external"]) == (3, 1)


@pytest.mark.parametrize(
    "date, precision, year, words",
    [
        ("1936-11-03", "day", True, "3 November 1936"),
        ("1936-11-03", "approx", True, "about 3 November 1936"),
        ("1936-11-01", "month", True, "November 1936"),
        ("1936-11-03", "day", False, "3 November"),
        ("1936-11-03", "approx", False, "about 3 November"),
        ("1936-11-03", None, True, "3 November 1936"),
        ("1937-01-21", "day", True, "21 January 1937"),
    ],
)
def test_day_text(date, precision, year, words):
    assert wd.day_text(pd.Timestamp(date), precision, year=year) == words


def test_day_text_defaults_to_the_day_with_the_year():
    assert wd.day_text(pd.Timestamp("1936-12-24")) == "24 December 1936"


def test_ids_gaps_and_late_additions():
    d = pd.DataFrame({"id": ["D01", "D02", "D44", "D04", "D06", "D43", "D07"]})
    assert wd.id_gaps(d) == [f"D{n:02d}" for n in (3, 5, *range(8, 43))]
    assert wd.late_ids(d) == ["D44", "D43"]  # D06 stands before D07: in order
    numbers = wd.id_numbers(d)
    assert numbers["id_first"] == "D01" and numbers["id_last"] == "D44"
    assert numbers["n_id_gaps"] == 37 and numbers["id_gaps"].startswith("D03, D05, D08, ")
    assert numbers["id_gaps"].endswith(", D41 and D42")
    assert numbers["id_late"] == "D43 and D44"
    assert wd.id_gaps(pd.DataFrame({"n": ["A9", "A10", "A12"]}), column="n") == ["A11"]
    assert wd.late_ids(pd.DataFrame({"id": ["D01", "D02", "D03"]})) == []
    full = wd.id_numbers(pd.DataFrame({"id": ["D01", "D02"]}))
    assert (full["n_id_gaps"], full["id_gaps"], full["id_late"]) == (0, "none", "none")
    with pytest.raises(ValueError, match=r"ids not of the form letter\(s\) \+ number: \['7', 'D-1'\]"):
        wd.id_gaps(pd.DataFrame({"id": ["D01", "7", "D-1"]}))
    with pytest.raises(ValueError, match=r"ids with several prefixes: \['A', 'D'\]"):
        wd.id_gaps(pd.DataFrame({"id": ["D01", "A02"]}))
    with pytest.raises(ValueError, match="ids not of the form"):
        wd.id_gaps(pd.DataFrame({"id": []}))


def test_words_for_a_list():
    assert wd._words([]) == "none"
    assert wd._words(["D01"]) == "D01"
    assert wd._words(["D01", "D02"]) == "D01 and D02"
    assert wd._words(("D01", "D02", "D03")) == "D01, D02 and D03"


def test_rule_labels_glossary_and_recipients():
    assert wd.rule_label({"rule": "superseded", "superseded_by": "D10"}) == "superseded by D10"
    assert wd.rule_label({"rule": "superseded", "superseded_by": None}) == "superseded"
    assert wd.rule_label({"rule": "did_part", "superseded_by": "D10"}) == "did part of it"
    assert wd.rule_label({"rule": "a_new_rule"}) == "a new rule"
    assert wd.rule_label({"rule": None}) == "" and wd.rule_label({}) == "" and wd.rule_label({"rule": ""}) == ""
    glossary = wd.rule_glossary()
    assert list(glossary.columns) == ["Rule", "Deciding condition", "Verdict", "Counted"]
    assert glossary.iloc[0].tolist() == [
        "did as ordered",
        "Did what the order asked, while it was in force.",
        "complied",
        "tests the order",
    ]
    superseded = glossary[glossary["Rule"] == "superseded"].iloc[0]
    assert superseded["Verdict"] == "superseded by a later order" and superseded["Counted"] == "counted apart"
    assert len(glossary) == len(schema.RULE) == 13 and glossary["Rule"].is_unique
    assert wd.recipient_words("fourth_front_army") == "the Fourth Front Army"
    assert wd.recipient_words("red_army") == "the three front armies"
    assert wd.recipient_words("zhang_guotao") == "Zhang Guotao"
    assert wd.recipient_words("peng_dehuai") == "Peng Dehuai"
    assert wd.recipient_words("wra") == "the Western Route Army"


# ---------------------------------------------------------------------------
# Where the army was, and who counts as the army
# ---------------------------------------------------------------------------


def test_position_series_keeps_the_army_at_known_places_only(record):
    series = wd.position_series(record["actions"], record["places"])
    # A04 is a proposal, A05 has no place, A07 is the West Relief Army: none places the army
    assert series["action_id"].tolist() == ["A01", "A02", "A03", "A06"]
    assert series["lon"].tolist() == [104.68, 104.05, 102.89, 99.82]
    assert list(series.columns[:9]) == [
        "action_id",
        "date",
        "date_precision",
        "date_end",
        "actor",
        "kind",
        "direction",
        "place_id",
        "name_en",
    ]
    assert series.index.tolist() == [0, 1, 2, 3]
    everyone = wd.position_series(record["actions"], record["places"], exclude_actors=())
    assert everyone["action_id"].tolist() == ["A01", "A02", "A03", "A06", "A07"]
    with_proposals = wd.position_series(record["actions"], record["places"], kinds=("proposal",))
    assert with_proposals["action_id"].tolist() == ["A04"]


def test_position_series_refuses_an_unknown_place(record):
    with pytest.raises(KeyError, match=r"actions name unknown places: \['atlantis'\]"):
        wd.position_series(frame([action("A9", "1936-12-01", place="atlantis")]), record["places"])


def test_position_at_is_the_last_position_on_or_before_the_day(record):
    series = wd.position_series(record["actions"], record["places"])
    at = wd.position_at(series, ["1936-10-01", "1936-10-25", "1936-10-29", "1936-10-30", "1936-11-15", "1937-06-01"])
    # before the first position: the first; on the day of a position: that one (not the one before)
    assert at.tolist() == [104.68, 104.68, 104.68, 104.05, 102.89, 99.82]
    assert at.dtype == float and at.index.tolist() == [0, 1, 2, 3, 4, 5]
    empty = wd.position_at(series.iloc[0:0], ["1936-10-25"])
    assert empty.isna().all() and empty.dtype == float and len(empty) == 1


def test_the_westward_request_is_the_armys_own_not_anothers():
    """The army's last westward proposal before the centre's first westward order; a proposal by the
    West Relief Army or Zhang Guotao on the same day is not the army's request."""
    directives = frame(
        [
            directive("D01", "1936-10-30", "zhang_guotao", "west", source="x"),
            directive("D02", "1936-11-08", "central_committee", "west"),
            directive("D03", "1936-11-18", "zhang_guotao", "west", source="x"),
        ]
    )
    actions = frame(
        [
            action("A01", "1936-11-06", actor="wra_committee", kind="proposal"),
            action("A02", "1936-11-07", actor="west_relief_army", kind="proposal"),
            action("A03", "1936-11-07", actor="zhang_guotao", kind="reply"),
            action("A04", "1936-11-08", actor="wra_committee", kind="proposal"),  # the same day: not before
            action("A05", "1936-11-07", actor="wra", kind="move"),  # a deed, not a request
            action("A06", "1936-11-07", actor="wra", kind="reply", direction="east"),
        ]
    )
    assessments = frame([assess("D02", "A04", "complied")], dates=())
    verdicts = wd.directive_verdicts(wd.pairings(directives, assessments, actions), article=ART)
    turn = wd.westward_turn(verdicts, directives, actions, ART)
    assert turn["request"]["id"] == "A01"
    assert turn["zhang_first"]["id"] == "D01" and turn["central_first"]["id"] == "D02"
    assert turn["zhang_next"]["id"] == "D03" and turn["days_to_zhang_next"] == 10
    others_only = actions[actions["id"].isin(["A02", "A03", "A05", "A06"])]
    verdicts = wd.directive_verdicts(wd.pairings(directives, assessments.iloc[0:0], others_only), article=ART)
    assert wd.westward_turn(verdicts, directives, others_only, ART)["request"] is None


def test_a_reply_counts_as_a_request_and_an_order_of_the_same_day_is_not_the_next():
    directives = frame(
        [
            directive("D01", "1936-10-30", "zhang_guotao", "west", source="x"),
            directive("D02", "1936-11-08", "central_committee", "west"),
            directive("D03", "1936-11-08", "zhang_guotao", "west", source="x"),  # the same day: not "next"
            directive("D04", "1936-11-09", "zhang_guotao", "west", source="x"),
        ]
    )
    actions = frame([action("A01", "1936-11-07", actor="wra_committee", kind="reply")])
    assessments = frame([assess("D02", "A01", "complied")], dates=())
    verdicts = wd.directive_verdicts(wd.pairings(directives, assessments, actions), article=ART)
    turn = wd.westward_turn(verdicts, directives, actions, ART)
    assert turn["request"]["id"] == "A01"
    assert turn["zhang_next"]["id"] == "D04" and turn["days_to_zhang_next"] == 1


def test_directions_after_a_date_leave_that_day_out():
    verdicts = VERDICTS.assign(date=pd.to_datetime(["1936-11-01"] * 3 + ["1936-11-02"] * 6))
    assert wd.directions_after(verdicts, "1936-11-01") == {"north": 0, "east": 1, "west": 1, "hold": 1, "none": 0}
    assert wd.directions_after(verdicts, "1936-10-31")["north"] == 2
    assert wd.directions_after(verdicts, "1936-10-31", group="zhang_guotao")["west"] == 2


def test_ids_are_ordered_by_number_not_as_text():
    numbers = wd.id_numbers(pd.DataFrame({"id": ["D9", "D12", "D100", "D10", "D11"]}))
    assert (numbers["id_first"], numbers["id_last"]) == ("D9", "D100")
    assert numbers["id_late"] == "D12 and D100"


def test_a_panel_of_orders_with_no_direction_is_named_so():
    panels = wd.verdict_panels(verdicts_frame([("D1", "central", "none", "complied")]))
    assert panels.loc[panels["row"] == "direction", "panel_label"].tolist() == ["No direction"]


def test_a_missing_rule_has_no_label():
    assert wd.rule_label({"rule": float("nan")}) == ""
