"""The codebook's rules across pairings (wra.record.codebook_check), on the valid fixture and broken copies.

Each case is the valid fixture (tests/fixtures/valid) with declared edits, in the pattern of
tests/test_codebook.py, and lists every problem the edits must cause as ``path:line: column:``
and a key phrase. Lines in the fixture: assessments.csv D01/A02 on 6, D02/A05 (argued_against) on
7, D01/A03 (superseded by D04, dated 1937-01-05) on 8, D04/A06 (the army decision D06 tested) on 14,
D03/A07 (agreed_in_words) on 15, D02/A08 (asked_for_orders) on 16; directives.csv D02 (a two-line
record) from 3, D03 on 5, D06 (Chen Changhao's decision) on 8; actions.csv A06 (D06 as an act) on 7;
readings.csv P01's reading of D01/A02 on 2.
"""

from __future__ import annotations

import pytest

from tests.test_check import make_copy
from wra.record import codebook_check, schema
from wra.record.check import check

D, A, AS, RE, PO = (
    "data/directives.csv",
    "data/actions.csv",
    "data/assessments.csv",
    "data/readings.csv",
    "data/positions.csv",
)

AGREED = b"D03,A07,no_evidence,A reply that agreed in words; no deed yet.,xu_memoir_1988,532,,,agreed_in_words,"

# case, [(file, old, new), ...], [(prefix, phrase), ...]
CASES = [
    (
        "a_reply_counted_as_a_deed",
        [(AS, AGREED, AGREED.replace(b"no_evidence,", b"complied,").replace(b"agreed_in_words", b"did_as_ordered"))],
        [(f"{AS}:15: rule:", "rule did_as_ordered judges a deed, but A07 is a reply (words, not a deed)")],
    ),
    (
        "a_request_for_orders_that_is_a_move",
        [(A, b",wra_committee,proposal,,none,", b",wra_committee,move,,none,")],
        [(f"{AS}:16: rule:", "rule asked_for_orders needs a proposal or a reply; A08 is a move")],
    ),
    (
        "superseded_by_an_order_that_came_after_the_act",
        [(A, b"A03,1937-01-20", b"A03,1937-01-02")],
        [
            (f"{AS}:8: superseded_by:", "superseded_by D04 is dated 1937-01-05, after A03 (1937-01-02)"),
            # (and the moved act now stands out of date order: wra.record.check._chronology)
            (f"{A}:8: date:", "date 1937-01-02 comes after line 7's 1937-01-07"),
        ],
    ),
    (
        "tested_as_in_force_after_it_was_superseded",
        [(A, b"A02,1936-11-16,approx,1936-11-18", b"A02,1937-01-10,approx,1937-01-12")],
        [
            (f"{AS}:6: verdict:", "D01 is tested as in force by A02 (1937-01-10"),
            # the same act also tests D02 (west) after D04 (east) ...
            (f"{AS}:3: verdict:", "supersession runs both ways, so this pairing takes rule superseded by D04"),
            # ... and the reading of D01/A02 contradicts the codebook's supersession of D01
            (f"{RE}:2: verdict:", "but data/assessments.csv line 8 has it superseded by D04 on 1937-01-05"),
            (f"{A}:5: date:", "date 1936-12-05 comes after line 4's 1937-01-10"),  # out of date order
        ],
    ),
    (
        "a_westward_order_tested_after_an_eastward_one",
        [(A, b"A05,1937-01-04", b"A05,1937-01-06")],
        [(f"{AS}:7: verdict:", "D02 (west) is tested as in force by A05 (1937-01-06), but D04 (1937-01-05)")],
    ),
    (
        "an_army_decision_not_recorded_as_an_act",
        [(A, b",chen_changhao,decision,", b",chen_changhao,move,")],
        [(f"{D}:8: id:", "D06 is the army leadership's own decision: record it in data/actions.csv too")],
    ),
    (
        "an_army_decision_tested_against_no_order",
        [(D, b"1937-01-05,approx", b"1937-01-08,approx")],
        [
            (f"{A}:7: id:", "A06 is the decision D06 of the army leadership: pair it in data/assessments.csv"),
            (f"{D}:7: date:", "date 1937-01-06 comes after line 6's 1937-01-08"),  # out of date order
        ],
    ),
    (
        "confirmed_in_not_a_list",
        [(D, b",xu_memoir_1988:531", b",xu_memoir_1988 531")],
        [(f"{D}:3: confirmed_in:", "is not a list of 'key:pages' items")],
    ),
    (
        "confirmed_in_an_unknown_work",
        [(D, b",xu_memoir_1988:531", b",xu_memoirs:531")],
        [(f"{D}:3: confirmed_in:", "unknown key 'xu_memoirs' in confirmed_in")],
    ),
    (
        "confirmed_in_the_row_itself",
        [(D, b"xu_memoir_1988,530,,,\n", b"xu_memoir_1988,530,,,xu_memoir_1988:1\n")],
        [(f"{D}:5: confirmed_in:", "which is the row's own source, its via or the article")],
    ),
    (
        "confirmed_in_the_article",
        [(D, b",xu_memoir_1988:531", b",wra_article:n.p.")],
        [(f"{D}:3: confirmed_in:", "names 'wra_article', which is the row's own source, its via or the article")],
    ),
    (
        "confirmed_in_a_book_without_a_page",
        [(D, b",xu_memoir_1988:531", b",mao_nianpu_1993:n.p.")],
        [(f"{D}:3: confirmed_in:", "pages 'n.p.' is only for @online or @misc works; 'mao_nianpu_1993' is @book")],
    ),
    (
        "two_positions_of_one_camp_read_a_pairing_two_ways",
        [
            (
                PO,
                None,
                "\nP02,Xu Xiangqian (letter),徐向前,1959,1959 (fixture),xu_memoir,The army obeyed.,His letter.,"
                "西路军自始至终是奉中央军委的命令、指示行动的,The WRA obeyed.,xu_memoir_1988,531,M,,\n".encode(),
            ),
            (RE, None, b"P02,D01,A02,did_part,partly,,Xu reads the move as ordered in part.,xu_memoir_1988,532,,\n"),
        ],
        [(f"{RE}:3: verdict:", "P02 and P01 (line 2), both of camp xu_memoir, read D01/A02 differently")],
    ),
]


def _copy(tmp_path, edits):
    root = make_copy(tmp_path)
    for file, old, new in edits:
        target = root / file
        data = target.read_bytes()
        if old is None:  # append a row
            target.write_bytes(data.rstrip(b"\n") + (new if new.startswith(b"\n") else b"\n" + new))
            continue
        assert data.count(old) == 1, f"edit target {old!r} must occur once in {file}"
        target.write_bytes(data.replace(old, new))
    return root


@pytest.mark.parametrize("edits, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_broken_pairings(tmp_path, edits, expected):
    problems = sorted(str(p) for p in check(_copy(tmp_path, edits)))
    assert len(problems) == len(expected), "\n".join(problems)
    for prefix, phrase in expected:
        match = [p for p in problems if p.startswith(prefix + " ")]
        assert match, f"no problem at {prefix}:\n" + "\n".join(problems)
        assert any(phrase in p for p in match), "\n".join(match)


def test_the_valid_fixture_tests_every_new_rule(tmp_path):
    assert check(_copy(tmp_path, [])) == []
    rules = set((tmp_path / "project" / AS).read_text(encoding="utf-8").split(","))
    assert {"asked_for_orders", "agreed_in_words"} <= rules


@pytest.mark.parametrize(
    "cell, parsed",
    [
        ("", []),
        (None, []),
        ("k:n.p.", [("k", "n.p.")]),
        ("k:12; j:ch. 20", [("k", "12"), ("j", "ch. 20")]),
        ("k 12", None),
        ("k:", None),
        ("k:1;;j:2", None),
    ],
)
def test_parse_confirmed(cell, parsed):
    assert codebook_check.parse_confirmed(cell) == parsed


def test_word_and_deed_rules_are_codebook_rules():
    assert set(schema.DEED_RULES) | set(schema.WORD_RULES) <= set(schema.RULE)
    assert {schema.RULE_VERDICT[r] for r in ("asked_for_orders", "agreed_in_words")} == {"no_evidence"}
    assert not set(schema.RULE_VERDICT[r] for r in schema.WORD_RULES) & {"complied", "partly"}


def test_the_project_data_keep_the_rules_across_pairings():
    """The book's own record: decisions tested, supersession both ways, no contradiction (no problem at all)."""
    from wra.record import paths
    from wra.record.check import validate

    result = validate(paths.ROOT)
    assert [p for p in result.problems] == []
    directives = result.frames["directives"].set_index("id")
    actions = result.frames["actions"]
    army = directives[directives["issuer"].map(schema.ISSUER_GROUP) == "army"]
    decisions = actions[actions["kind"] == "decision"]
    for did, row in army.iterrows():
        assert (decisions["date"] == row["date"]).any(), did
