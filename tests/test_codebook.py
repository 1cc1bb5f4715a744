"""The verdict codebook as `wra check` enforces it, on the valid fixture and broken copies.

The valid fixture (tests/fixtures/valid) applies every rule of the codebook
once at least; each broken case below is that fixture with ONE declared edit,
in the pattern of tests/test_check.py, and lists every problem it must cause
as ``path:line: column:`` and a key phrase.

Line numbers in the fixture: assessments.csv rows 2-13 (D01/A01 on 2, D04/A04
on 5, D02/A05 argued_against on 7, D01/A03 superseded by D04 on 8, D04/A03
on 9, D05/A05 not_an_order on 10, D06/A04 self_issued on 12); directives.csv
D05 (a question) on line 7, D06 (Chen Changhao's decision) on line 8;
strength.csv S07 (a copy of S08) on line 8; readings.csv and positions.csv
have one row each, on line 2.
"""

from __future__ import annotations

import pytest

from tests.test_check import VALID, make_copy
from wra.record import schema
from wra.record.check import check, validate

D, A, AS, S = "data/directives.csv", "data/actions.csv", "data/assessments.csv", "data/strength.csv"
PO, RE = "data/positions.csv", "data/readings.csv"

SELF_ISSUED_ROW = b"D06,A04,self_issued,The army carried out its own decision.,wra_article,part 3,,,self_issued,"
QUESTION_ROW = b"D05,A05,not_an_order,A question: the leaders answered it.,wra_article,part 3,,,not_an_order,"

# case, file, old, new, [(prefix, phrase), ...]
CASES = [
    (
        "unknown_rule",
        AS,
        b"560,,,went_another_way",
        b"560,,,disobeyed",
        [(f"{AS}:5: rule:", "unknown rule; expected one of: did_as_ordered")],
    ),
    (
        "rule_does_not_give_verdict",
        AS,
        b"D04,A04,deviated",
        b"D04,A04,complied",
        [(f"{AS}:5: verdict:", "verdict complied does not follow from rule went_another_way")],
    ),
    (
        "superseded_without_by",
        AS,
        b"superseded,D04",
        b"superseded,",
        [(f"{AS}:8: superseded_by:", "rule superseded needs superseded_by")],
    ),
    (
        "by_without_superseded",
        AS,
        b"overtaken_by_events,",
        b"overtaken_by_events,D05",
        [(f"{AS}:9: superseded_by:", "superseded_by is only for rule superseded (rule is overtaken_by_events)")],
    ),
    (
        "superseded_by_unknown",
        AS,
        b"superseded,D04",
        b"superseded,D09",
        [(f"{AS}:8: superseded_by:", "unknown superseded_by 'D09': not in data/directives.csv")],
    ),
    (
        "superseded_by_self",
        AS,
        b"superseded,D04",
        b"superseded,D01",
        [(f"{AS}:8: superseded_by:", "superseded_by D01 is the directive itself")],
    ),
    (
        "superseded_by_an_earlier_order",
        D,
        b"1937-01-05",
        b"1936-10-01",
        [
            (f"{AS}:8: superseded_by:", "superseded_by D04 (1936-10-01) is not later than D01 (1936-10-30)"),
            # and D04 (east), now older than D02 (west), is tested after D02 by A04 and A06
            (f"{AS}:5: verdict:", "but D02 (1936-11-08), a later order of the same or a higher authority, points west"),
            (f"{AS}:14: verdict:", "supersession runs both ways, so this pairing takes rule superseded by D02"),
            # an order to the WRA before the crossing is refused on its own (wra.record.check._chronology)
            (f"{D}:6: date:", "date 1936-10-01 is before the crossing of the Yellow River (1936-10-24)"),
        ],
    ),
    (
        "superseded_by_a_lower_authority",
        D,
        b"military_commission,wra,east",
        b"zhang_guotao,wra,east",
        [
            (
                f"{AS}:8: superseded_by:",
                "issued by zhang_guotao, a lower authority than D01's issuer military_commission",
            )
        ],
    ),
    (
        "self_issued_for_the_centre",
        D,
        b"chen_changhao,wra,west,decision",
        b"military_commission,wra,west,decision",
        [
            (
                f"{AS}:12: rule:",
                "rule self_issued is for the army leadership's own decisions; D06 was issued by military_commission",
            ),
            (f"{D}:8: kind:", "kind decision is for the army leadership's own decisions"),
        ],
    ),
    (
        "army_decision_counted_as_obeyed",
        AS,
        SELF_ISSUED_ROW,
        SELF_ISSUED_ROW.replace(b"self_issued,The", b"complied,The").replace(b",,,self_issued,", b",,,did_as_ordered,"),
        [
            (
                f"{AS}:12: rule:",
                "D06 is the army leadership's own decision (issuer chen_changhao): its pairings take "
                "rule self_issued, not did_as_ordered",
            )
        ],
    ),
    (
        "not_an_order_for_an_order",
        D,
        b",none,question,",
        b",none,order,",
        [(f"{AS}:10: rule:", "rule not_an_order, but D05 is of kind order")],
    ),
    (
        "question_counted_as_obeyed",
        AS,
        QUESTION_ROW,
        QUESTION_ROW.replace(b"not_an_order,A", b"complied,A").replace(b",,,not_an_order,", b",,,did_as_ordered,"),
        [
            (
                f"{AS}:10: rule:",
                "D05 is a question, not an order: its pairings take rule not_an_order, not did_as_ordered",
            )
        ],
    ),
    (
        "argued_against_with_a_deed",
        A,
        b",proposal,,west,",
        b",move,,west,",
        [(f"{AS}:7: rule:", "rule argued_against needs a proposal or a reply; A05 is a move")],
    ),
    (
        "decision_issued_by_the_centre",
        D,
        b"central_committee,wra,none,question",
        b"central_committee,wra,none,decision",
        [
            (f"{D}:7: kind:", "got kind decision, issuer central_committee"),
            (f"{AS}:10: rule:", "rule not_an_order, but D05 is of kind decision"),
        ],
    ),
    (
        "reading_of_an_unknown_position",
        RE,
        b"P01,D01",
        b"P02,D01",
        [(f"{RE}:2: position_id:", "unknown position_id 'P02': not in data/positions.csv")],
    ),
    (
        "reading_of_an_unassessed_pairing",
        RE,
        b"P01,D01,A02",
        b"P01,D03,A02",
        [(f"{RE}:2: action_id:", "no assessment pairs D03 with A02")],
    ),
    (
        "reading_rule_does_not_give_verdict",
        RE,
        b"did_as_ordered,complied",
        b"did_as_ordered,partly",
        [(f"{RE}:2: verdict:", "verdict partly does not follow from rule did_as_ordered")],
    ),
    ("reading_unknown_rule", RE, b"did_as_ordered,complied", b"obeyed,complied", [(f"{RE}:2: rule:", "unknown rule")]),
    (
        "reading_self_issued_for_the_centre",
        RE,
        b"did_as_ordered,complied",
        b"self_issued,self_issued",
        [
            (
                f"{RE}:2: rule:",
                "rule self_issued is for the army leadership's own decisions; D01 was issued by military_commission",
            )
        ],
    ),
    (
        "reading_superseded_without_by",
        RE,
        b"did_as_ordered,complied,",
        b"superseded,superseded,",
        [(f"{RE}:2: superseded_by:", "rule superseded needs superseded_by")],
    ),
    (
        "copy_of_unknown_row",
        S,
        b",,S08,,\n",
        b",,S09,,\n",
        [(f"{S}:8: copy_of:", "unknown copy_of 'S09': not in data/strength.csv")],
    ),
    ("copy_of_itself", S, b",,S08,,\n", b",,S07,,\n", [(f"{S}:8: copy_of:", "copy_of S07 is the row itself")]),
    (
        "copy_states_another_figure",
        S,
        b",,3000,fewer_than,,,",
        b",,4000,fewer_than,,,",
        [
            (f"{S}:8: copy_of:", "copy_of S08, but S08 states another figure (fewer_than empty-4000)"),
            # and S08's own words (不到三千人) no longer agree with its figure
            (f"{S}:9: wording_zh:", "states fewer than 3,000 (不到三千)"),
        ],
    ),
    (
        "excerpt_too_long",
        PO,
        "西路军自始至终".encode(),
        ("西路军自始至终" + "长" * 70).encode(),
        [(f"{PO}:2: excerpt_zh:", "excerpt_zh must be at most 80 characters")],
    ),
    ("unknown_camp", PO, b",xu_memoir,", b",xu_camp,", [(f"{PO}:2: camp:", "unknown camp")]),
    ("unknown_grade", PO, b"xu_memoir_1988,530,M,", b"xu_memoir_1988,530,B,", [(f"{PO}:2: grade:", "unknown grade")]),
    (
        "year_out_of_range",
        PO,
        b",1988,1988 (fixture),",
        b",1888,1888 (fixture),",
        [(f"{PO}:2: year:", "year must lie within 1936..2030")],
    ),
    (
        "position_source_unknown",
        PO,
        b"xu_memoir_1988,530",
        b"xu_memoirs,530",
        [(f"{PO}:2: source:", "unknown source 'xu_memoirs': not in references.bib")],
    ),
]


def test_the_valid_fixture_applies_every_rule():
    frames = validate(VALID).frames
    assert validate(VALID).problems == []
    assert set(frames["assessments"]["rule"]) == set(schema.RULE)
    # every verdict follows from its rule, in the fixture as the codebook says
    for rule, verdict in zip(frames["assessments"]["rule"], frames["assessments"]["verdict"]):
        assert schema.RULE_VERDICT[rule] == verdict


def test_every_rule_is_documented_in_the_data_dictionary():
    from wra.record import paths

    readme = (paths.DATA / "README.md").read_text(encoding="utf-8")
    for rule in schema.RULE:
        assert f"`{rule}`" in readme, rule
    for kind in schema.DIRECTIVE_KIND:
        assert f"`{kind}`" in readme, kind


@pytest.mark.parametrize("file, old, new, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_broken_codebook(tmp_path, file, old, new, expected):
    root = make_copy(tmp_path, file, old, new)
    problems = sorted(str(p) for p in check(root))
    assert len(problems) == len(expected), "\n".join(problems)
    for prefix, phrase in expected:
        match = [p for p in problems if p.startswith(prefix + " ")]
        assert match, f"no problem at {prefix}:\n" + "\n".join(problems)
        assert any(phrase in p for p in match), "\n".join(match)


def test_the_project_data_keep_the_codebook():
    """The book's own data: every superseded pairing names a later order of the same or a higher authority."""
    from wra.record import data

    directives = data.load("directives").set_index("id")
    assessments = data.load("assessments")
    superseded = assessments[assessments["rule"] == "superseded"]
    assert len(superseded) >= 5
    for row in superseded.itertuples():
        old, new = directives.loc[row.directive_id], directives.loc[row.superseded_by]
        assert new["date"] > old["date"]
        rank = schema.AUTHORITY_RANK
        assert rank[schema.ISSUER_GROUP[new["issuer"]]] >= rank[schema.ISSUER_GROUP[old["issuer"]]]
    army = directives[directives["issuer"].map(schema.ISSUER_GROUP) == "army"].index
    assert (assessments.loc[assessments["directive_id"].isin(army), "rule"] == "self_issued").all()
