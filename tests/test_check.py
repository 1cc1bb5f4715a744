"""The validation layer: a valid fixture passes, each broken copy fails precisely.

Each broken case is the valid fixture (tests/fixtures/valid) with ONE declared
edit, applied in a temporary copy: ``(file, old, new)`` replaces the only
occurrence of ``old`` by ``new`` (``old=None``: the whole file becomes
``new``; ``new=None``: the file is deleted). The expected problems are listed
in full, each as its exact ``path:line: column:`` prefix and a key phrase of
the message.

Line numbers in the valid fixture (header = line 1): directives.csv has a
quoted newline in D02, so D02 spans lines 3-4, D03 is on line 5, D04 on 6.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from wra.record import paths
from wra.record.check import MAX_FILE_BYTES, Problem, check, validate
from wra.record.schema import COLUMNS

FIXTURES = Path(__file__).parent / "fixtures"
VALID = FIXTURES / "valid"

D, A, AS, S, P, BIB = (
    "data/directives.csv",
    "data/actions.csv",
    "data/assessments.csv",
    "data/strength.csv",
    "data/places.csv",
    "references.bib",
)
G = "data/glossary.csv"
EN, CO, WI, CA = "data/engagements.csv", "data/conditions.csv", "data/windows.csv", "data/causes.csv"

# case, file, old, new, [(prefix, phrase), ...]
CASES = [
    (
        "bad_utf8",
        D,
        b"Told the army",
        b"Told the \xff army",
        [(f"{D}:5: -:", "not valid UTF-8: byte(s) 0xff at byte offset")],
    ),
    ("bom", P, b"place_id,name_zh", b"\xef\xbb\xbfplace_id,name_zh", [(f"{P}:1: -:", "byte-order mark")]),
    (
        "unterminated_quote",
        A,
        b"Destroyed at Gaotai.",
        b'"Destroyed at Gaotai.',
        [(f"{A}:8: -:", "unterminated quoted field")],
    ),
    (
        "stray_quote",
        A,
        b'"Fought a costly battle at Gulang."',
        b'"Fought a costly battle" at Gulang.',
        [(f"{A}:4: -:", "broken CSV syntax")],
    ),
    (
        "unbalanced_quote_closed_later",
        P,
        b"Gulang,,37.47",
        b'"Gulang,,37.47',
        [(f"{P}:3: -:", "broken CSV syntax: ',' expected after '\"' (noticed on line 5;")],
    ),
    ("ragged_row", P, b"Gulang,,37.47", b"Gulang,37.47", [(f"{P}:3: -:", "row has 11 fields, the header has 12")]),
    (
        "ragged_row_after_multiline",
        D,
        b"Yongchang and Shandan.,",
        b"Yongchang, and Shandan.,",
        [(f"{D}:5: -:", "row has 15 fields, the header has 14")],
    ),
    (
        "missing_column",
        AS,
        b"verdict,rationale_en",
        b"verdikt,rationale_en",
        [
            (f"{AS}:1: verdikt:", "unknown column 'verdikt': not in the data dictionary"),
            (f"{AS}:1: verdict:", "missing required column"),
        ],
    ),
    (
        "duplicate_header",
        D,
        b"note,via,",
        b"note,note,",
        [(f"{D}:1: note:", "duplicate column name"), (f"{D}:1: via:", "missing required column")],
    ),
    ("empty_file", AS, None, b"", [(f"{AS}:1: -:", "empty file")]),
    ("missing_table", P, None, None, [(f"{P}:0: -:", "file missing")]),
    ("duplicate_id", S, b"\nS07,", b"\nS06,", [(f"{S}:8: id:", "duplicate id 'S06' (first on line 7)")]),
    ("bad_date_format", A, b"1937-04-26", b"1937/04/26", [(f"{A}:9: date:", "not an ISO date YYYY-MM-DD")]),
    ("impossible_date", D, b"1937-01-05", b"1937-02-30", [(f"{D}:6: date:", "no such calendar date")]),
    (
        "date_out_of_window",
        D,
        b"1936-10-30",
        b"1935-10-30",
        [(f"{D}:2: date:", "outside the campaign window 1936-06-01..1937-06-30")],
    ),
    (
        "date_end_before_date",
        A,
        b"1936-10-30",
        b"1936-10-20",
        [(f"{A}:2: date_end:", "date_end 1936-10-20 is before date 1936-10-24")],
    ),
    (
        "month_not_first",
        D,
        b"1936-12-01,month",
        b"1936-12-05,month",
        [(f"{D}:5: date:", "must be the 1st of the month")],
    ),
    (
        "unknown_issuer",
        D,
        b"mao_zhou",
        b"mao_zedong",
        [(f"{D}:5: issuer:", "unknown issuer; expected one of: central_committee")],
    ),
    (
        "unknown_direction",
        A,
        b",west,\xe5\x8f\xa4",
        b",southwest,\xe5\x8f\xa4",
        [(f"{A}:4: direction:", "unknown direction; expected one of")],
    ),
    ("unknown_verdict", AS, b"D04,A04,deviated", b"D04,A04,defied", [(f"{AS}:5: verdict:", "unknown verdict")]),
    (
        "low_gt_high",
        S,
        b"70000,100000",
        b"170000,100000",
        [(f"{S}:7: high:", "low 170000 is greater than high 100000")],
    ),
    ("negative_figure", S, b"400,,more_than", b"-400,,more_than", [(f"{S}:6: low:", "must not be negative")]),
    ("not_a_number", S, b"400,,more_than", b"400+,,more_than", [(f"{S}:6: low:", "not a plain number")]),
    (
        "no_figure",
        S,
        b"400,,more_than",
        b",,more_than",
        [
            (f"{S}:6: low:", "at least one of low and high"),
            (f"{S}:6: qualifier:", "qualifier more_than needs low only"),
        ],
    ),
    (
        "qualifier_mismatch",
        S,
        b"21800,,more_than",
        b"21800,,fewer_than",
        [(f"{S}:2: qualifier:", "qualifier fewer_than needs high only (low empty)")],
    ),
    (
        "exact_unequal",
        S,
        b"21800,21800,exact",
        b"21800,21900,exact",
        [(f"{S}:3: qualifier:", "qualifier exact needs low = high")],
    ),
    (
        "fraction_out_of_range",
        S,
        b",0.5,fraction",
        b",1.5,fraction",
        [(f"{S}:5: high:", "a fraction is a share within 0..1")],
    ),
    (
        "fractional_men",
        S,
        b"6500,6500,about",
        b"6500.5,6500.5,about",
        [(f"{S}:4: low:", "whole number"), (f"{S}:4: high:", "whole number")],
    ),
    (
        "unknown_base_id",
        S,
        b",S04,",
        b",S40,",
        [(f"{S}:5: base_id:", "unknown base_id 'S40': not in data/strength.csv")],
    ),
    ("bad_lat", P, b"39.38", b"93.38", [(f"{P}:4: lat:", "lat must be within 30..50")]),
    ("bad_lon", P, b"95.13", b"59.13", [(f"{P}:5: lon:", "lon must be within 80..110")]),
    (
        "bad_place_slug",
        P,
        b"\ngaotai,",
        b"\nGaotai,",
        [
            (f"{A}:8: place_id:", "unknown place_id 'gaotai'"),  # the row it named is gone
            (f"{P}:4: place_id:", "lowercase ascii slug"),
        ],
    ),
    (
        "unknown_place_id",
        A,
        b",gaotai,",
        b",gaotia,",
        [(f"{A}:8: place_id:", "unknown place_id 'gaotia': not in data/places.csv")],
    ),
    (
        "unknown_directive_id",
        AS,
        b"D04,A04",
        b"D09,A04",
        [(f"{AS}:5: directive_id:", "unknown directive_id 'D09': not in data/directives.csv")],
    ),
    (
        "unknown_action_id",
        AS,
        b"D04,A04",
        b"D04,A09",
        [(f"{AS}:5: action_id:", "unknown action_id 'A09': not in data/actions.csv")],
    ),
    (
        "action_missing",
        AS,
        b"D04,A04,deviated",
        b"D04,,deviated",
        [(f"{AS}:5: action_id:", "may be empty only when verdict is not_carried_out")],
    ),
    (
        "duplicate_pair",
        AS,
        b"D04,A04",
        b"D01,A01",
        [(f"{AS}:5: action_id:", "duplicate pair (directive_id D01, action_id A01); first on line 2")],
    ),
    (
        "unknown_source_key",
        P,
        b'gazetteer,n.p.,"A pass',
        b'gazeteer,n.p.,"A pass',
        [(f"{P}:5: source:", "unknown source 'gazeteer': not in references.bib")],
    ),
    (
        "unknown_via_key",
        S,
        b",7,wra_article,",
        b",7,wra_artcle,",
        [(f"{S}:3: via:", "unknown via 'wra_artcle': not in references.bib")],
    ),
    (
        "np_for_a_book",
        A,
        b"gazetteer,n.p.",
        b"xu_memoir_1988,n.p.",
        [(f"{A}:8: pages:", "only for @online or @misc works; 'xu_memoir_1988' is @book")],
    ),
    ("empty_pages", D, b"xu_memoir_1988,530,,", b"xu_memoir_1988,,,", [(f"{D}:5: pages:", "required value is empty")]),
    ("empty_source", AS, b"xu_memoir_1988,560", b",560", [(f"{AS}:5: source:", "required value is empty")]),
    (
        "note_out_of_range",
        S,
        b",7,wra_article,",
        b",31,wra_article,",
        [(f"{S}:3: note:", "note must be an endnote number 1..30")],
    ),
    ("note_not_integer", D, b",4,wra_article", b",(4),wra_article", [(f"{D}:2: note:", "not a whole number")]),
    ("note_without_via", S, b",7,wra_article,", b",7,,", [(f"{S}:3: via:", "set via to the article's key")]),
    (
        "quote_not_from_article",
        A,
        b"wra_article,part 2",
        b"wra_article,12",
        [(f"{A}:4: quote_zh:", "quote_zh is only for rows read from the article")],
    ),
    (
        "bib_unparsable",
        BIB,
        "title = {毛泽东年谱（1893—1949）},".encode(),
        "title = {毛泽东年谱（1893—1949）,".encode(),
        # pybtex notices the missing brace where the next entry starts
        [(f"{BIB}:20: -:", "BibTeX syntax error in line 20: '}' expected")],
    ),
    (
        "bib_duplicate_key",
        BIB,
        b"@misc{gazetteer,",
        b"@misc{gazetteer,\n  title = {Twice},\n}\n\n@misc{gazetteer,",
        [(f"{BIB}:32: -:", "duplicate bibliography key 'gazetteer' (first on line 28)")],
    ),
    ("bib_missing", BIB, None, None, [(f"{BIB}:0: -:", "file missing")]),
    (
        "bib_bad_utf8",
        BIB,
        b"Fixture gazetteer",
        b"Fixture \xc3(gazetteer",
        [(f"{BIB}:29: -:", "not valid UTF-8: byte(s) 0xc3 at byte offset")],
    ),
    # --- refused since issue 11: digits, controls, formulas, plausibility, empty tables
    (
        "fullwidth_digits_in_id",
        S,
        b"\nS07,",
        "\nS０７,".encode(),
        [(f"{S}:8: id:", "non-ASCII digit '０' (FULLWIDTH DIGIT ZERO): write digits as 0-9")],
    ),
    (
        "fullwidth_digits_in_number",
        S,
        b"21800,,more_than",
        "２１８００,,more_than".encode(),
        [(f"{S}:2: low:", "non-ASCII digit '２'")],
    ),
    (
        "arabic_indic_digit_in_note",
        D,
        b",4,wra_article",
        ",٤,wra_article".encode(),
        [(f"{D}:2: note:", "non-ASCII digit '٤' (ARABIC-INDIC DIGIT FOUR)")],
    ),
    ("fullwidth_digits_in_date", A, b"1937-04-26", "１９37-04-26".encode(), [(f"{A}:9: date:", "non-ASCII digit")]),
    (
        "fullwidth_digits_in_pages",
        D,
        b"xu_memoir_1988,530,,",
        "xu_memoir_1988,５30,,".encode(),
        [(f"{D}:5: pages:", "non-ASCII digit")],
    ),
    ("devanagari_digit_in_base_id", S, b",S04,", ",S0४,".encode(), [(f"{S}:5: base_id:", "non-ASCII digit")]),
    (
        "nul_in_text",
        A,
        b"Destroyed at Gaotai.",
        b"Destroyed\x00 at Gaotai.",
        [(f"{A}:8: summary_en:", "invisible or control character U+0000 (control character) at character 10")],
    ),
    ("tab_in_text", A, b"Destroyed at Gaotai.", b"Destroyed\tat Gaotai.", [(f"{A}:8: summary_en:", "U+0009")]),
    ("c1_control_in_text", D, b"Told the army", "Told\u0085the army".encode(), [(f"{D}:5: summary_en:", "U+0085")]),
    # ",不到三千人,," is S07's quote_zh (S08 repeats the words in wording_zh)
    (
        "escape_in_quote",
        S,
        ",不到三千人,,".encode(),
        ",不到\x1b[2J三千人,,".encode(),
        [(f"{S}:8: quote_zh:", "U+001B")],
    ),
    (
        "rlo_in_note",
        G,
        b"Political commissar",
        "\u202ePolitical commissar".encode(),
        [(f"{G}:3: note_en:", "U+202E (RIGHT-TO-LEFT OVERRIDE)")],
    ),
    (
        "bidi_isolate_in_name",
        P,
        b"Gulang,,37.47",
        "Gulang\u2067,,37.47".encode(),
        [(f"{P}:3: name_en:", "U+2067 (RIGHT-TO-LEFT ISOLATE)")],
    ),
    (
        "lrm_in_source",
        AS,
        b"xu_memoir_1988,560",
        "xu_memoir_1988\u200e,560".encode(),
        [(f"{AS}:5: source:", "U+200E (LEFT-TO-RIGHT MARK)")],
    ),
    # the assessments that pair A03 lose their action with it
    (
        "zero_width_space_in_id",
        A,
        b"\nA03,",
        "\nA0\u200b3,".encode(),
        [
            (f"{A}:8: id:", "U+200B (ZERO WIDTH SPACE)"),
            ("data/assessments.csv:8: action_id:", "unknown action_id 'A03'"),
            ("data/assessments.csv:9: action_id:", "unknown action_id 'A03'"),
        ],
    ),
    (
        "formula_in_text",
        A,
        b"Destroyed at Gaotai.",
        b'"=HYPERLINK(""http://x"",""y"")"',
        [(f"{A}:8: summary_en:", "starts with '=': a spreadsheet would run the cell as a formula")],
    ),
    ("formula_plus", P, b"Gulang,,37.47", b"+Gulang,,37.47", [(f"{P}:3: name_en:", "starts with '+'")]),
    (
        "formula_minus",
        S,
        b"Estimates vary widely.",
        b"-2+3 estimates vary.",
        [(f"{S}:7: comment_en:", "starts with '-'")],
    ),
    (
        "formula_at",
        AS,
        b"The army could not hold the towns.",
        b"@SUM(A1:A9)",
        [(f"{AS}:4: rationale_en:", "starts with '@'")],
    ),
    (
        "implausible_red_strength",
        S,
        b"21800,,more_than",
        b"21800000,,more_than",
        [(f"{S}:2: low:", "low 21800000 is outside the plausible range for red strength figures, 1..30,000 men")],
    ),
    (
        "implausible_ma_strength",
        S,
        b"70000,100000",
        b"70000,1000000",
        [(f"{S}:7: high:", "outside the plausible range for ma strength figures, 1..200,000 men")],
    ),
    (
        "zero_men",
        S,
        b"400,,more_than",
        b"0,,more_than",
        [(f"{S}:6: low:", "outside the plausible range for red reached figures")],
    ),
    (
        "implausible_uncertainty",
        P,
        b"town,5,",
        b"town,500,",
        [(f"{P}:5: uncertainty_km:", "uncertainty_km must be within 0..50 km")],
    ),
    (
        "number_contradicts_wording",
        S,
        b"21800,,more_than",
        b"17000,,more_than",
        [
            (
                f"{S}:2: quote_zh:",
                "quote_zh '两万一千八百余人' states more than 21,800 (两万一千八百余), but the row "
                "says qualifier more_than, low 17000, high empty",
            )
        ],
    ),
    (
        "qualifier_contradicts_wording",
        S,
        ",,3000,fewer_than,,不到三千人,,wra_article".encode(),  # S07's (S08 repeats its words)
        ",3000,3000,about,,不到三千人,,wra_article".encode(),
        [
            (f"{S}:8: quote_zh:", "states fewer than 3,000 (不到三千)"),
            # S07 is a copy of S08, which still says fewer than 3,000
            (f"{S}:8: copy_of:", "copy_of S08, but S08 states another figure"),
        ],
    ),
    (
        "share_contradicts_wording",
        S,
        b",0.5,fraction",
        b"0.5,,fraction",
        [(f"{S}:5: quote_zh:", "states a share under 0.5 (近半)")],
    ),
    (
        "range_contradicts_wording",
        S,
        b"70000,100000",
        b"70000,90000",
        [(f"{S}:7: wording_zh:", "states 70,000 to 100,000 (七万至十万)")],
    ),
    (
        "header_only_glossary",
        G,
        None,
        b"term_zh,pinyin,english,kind,note_en,source,pages\n",
        [(f"{G}:1: -:", "no rows: the table has a header only")],
    ),
    (
        "header_only_strength",
        S,
        None,
        b"id,date,date_precision,date_end,side,unit,measure,low,high,qualifier,base_id,quote_zh,wording_zh,"
        b"source,pages,confidence,note,via,comment_en,copy_of,engagement_id,phase\n",
        [(f"{S}:1: -:", "no rows")],
    ),
    # the record of the destruction (issue 20): engagements, their figures, conditions, windows, causes.
    # strength.csv: S03 (loss, line 4) and S04 (strength, line 5) are linked to E01 (Gulang, 16-18 November)
    (
        "unknown_engagement_id",
        S,
        b",E01,before",
        b",E09,before",
        [(f"{S}:4: engagement_id:", "unknown engagement_id 'E09': not in data/engagements.csv")],
    ),
    (
        "phase_without_engagement",
        S,
        b",E01,before",
        b",,before",
        [(f"{S}:4: phase:", "phase is only for a figure linked to an engagement")],
    ),
    (
        "linked_strength_without_phase",
        S,
        b",E01,before",
        b",E01,",
        [(f"{S}:4: phase:", "a strength figure linked to engagement E01 needs a phase")],
    ),
    (
        "phase_on_a_loss",
        S,
        b",E01,\n",
        b",E01,after\n",
        [(f"{S}:5: phase:", "phase (before, during, after) is for strength figures; measure is loss")],
    ),
    (
        "phase_contradicts_date",
        S,
        b",E01,before",
        b",E01,after",
        [(f"{S}:4: phase:", "phase after, but dated 1936-11-11, before E01 (1936-11-16 to 1936-11-18)")],
    ),
    (
        "figure_far_from_its_engagement",
        EN,
        b"1936-11-16,day,1936-11-18",
        b"1937-01-16,day,1937-01-18",
        [
            (f"{S}:4: engagement_id:", "dated 1936-11-11, 66 days from E01 (1937-01-16 to 1937-01-18)"),
            (f"{S}:5: engagement_id:", "dated 1936-11-18, 59 days from E01"),
        ],
    ),
    (
        "figure_32_days_from_its_engagement",
        EN,
        b"1936-11-16,day,1936-11-18",
        b"1936-12-13,day,1936-12-19",
        [(f"{S}:4: engagement_id:", "dated 1936-11-11, 32 days from E01 (1936-12-13 to 1936-12-19)")],
    ),
    (
        "unknown_red_unit",
        EN,
        b",ninth_army,",
        b",ninth_army;ma_forces,",
        [(f"{EN}:2: red_units:", "unknown Red unit 'ma_forces'")],
    ),
    (
        "unknown_action_in_list",
        EN,
        b",A02,",
        b",A02;A99,",
        [(f"{EN}:2: action_ids:", "unknown action 'A99': not in data/actions.csv")],
    ),
    (
        "malformed_action_list",
        EN,
        b",A02,",
        b",A02 A03,",
        [(f"{EN}:2: action_ids:", "action_ids must look like A19 or A29;A30")],
    ),
    (
        "engagement_unknown_place",
        EN,
        b",gulang,",
        b",guland,",
        [(f"{EN}:2: place_id:", "unknown place_id 'guland'")],
    ),
    (
        "condition_number_without_qualifier",
        CO,
        b"15,15,about",
        b"15,15,",
        [(f"{CO}:2: qualifier:", "a number (low or high) needs its qualifier")],
    ),
    (
        "condition_number_without_measure",
        CO,
        b"about,rounds per rifle",
        b"about,",
        [(f"{CO}:2: measure_en:", "a number needs measure_en")],
    ),
    (
        "condition_without_evidence",
        CO,
        ",古浪一战,,The battle".encode(),
        b",,,The battle",
        [(f"{CO}:3: excerpt_zh:", "a row without a number needs its evidence in words")],
    ),
    (
        "condition_unknown_topic",
        CO,
        b",ammunition,",
        b",ammo,",
        [(f"{CO}:2: topic:", "unknown topic; expected one of: ammunition, arms")],
    ),
    (
        "condition_about_not_equal",
        CO,
        b"15,15,about",
        b"15,16,about",
        [(f"{CO}:2: qualifier:", "qualifier about needs low = high")],
    ),
    (
        "condition_external_quote",
        CO,
        ",,每枪子弹十五发".encode(),
        ",每枪,每枪子弹十五发".encode(),
        [(f"{CO}:2: quote_zh:", "quote_zh is only for rows read from the article")],
    ),
    (
        "window_without_words",
        WI,
        "至三月，全军已不到三千人".encode(),
        b"",
        [(f"{WI}:2: excerpt_zh:", "a window needs the source's words")],
    ),
    (
        "window_unknown_directive",
        WI,
        b",D02,",
        b",D09,",
        [(f"{WI}:2: directive_id:", "unknown directive_id 'D09': not in data/directives.csv")],
    ),
    (
        "window_unknown_stance",
        WI,
        b",chance,",
        b",maybe,",
        [(f"{WI}:2: stance:", "unknown stance; expected one of: chance, doubt")],
    ),
    (
        "cause_unknown_position",
        CA,
        b"P01,zhang_line",
        b"P07,zhang_line",
        [(f"{CA}:2: position_id:", "unknown position_id 'P07': not in data/positions.csv")],
    ),
    (
        "cause_unknown_holds",
        CA,
        b",denies,",
        b",agrees,",
        [(f"{CA}:2: holds:", "unknown holds; expected one of: cause, denies")],
    ),
    (
        "cause_twice_for_one_position",
        CA,
        b"xu_memoir_1988,531\n",
        b"xu_memoir_1988,531\nP01,zhang_line,cause,Again.,directives.csv.,Again.,xu_memoir_1988,532\n",
        [(f"{CA}:3: cause:", "duplicate pair (position_id P01, cause zhang_line); first on line 2")],
    ),
]


def make_copy(tmp_path: Path, file: str | None = None, old: bytes | None = None, new: bytes | None = None) -> Path:
    """A copy of the valid fixture with one edit applied; returns its root."""
    root = tmp_path / "project"
    shutil.copytree(VALID, root)
    if file is None:
        return root
    target = root / file
    if new is None:
        target.unlink()
    elif old is None:
        target.write_bytes(new)
    else:
        data = target.read_bytes()
        assert data.count(old) == 1, f"edit target {old!r} must occur once in {file}"
        target.write_bytes(data.replace(old, new))
    return root


def test_valid_fixture_has_no_problems():
    assert check(VALID) == []


def test_valid_fixture_summary_and_frames():
    result = validate(VALID)
    assert result.summary() == "data OK: 12 tables, 50 rows, 4 sources"
    assert set(result.frames) == set(paths.TABLES)
    # frames are indexed by physical line; D02 holds a quoted newline
    assert list(result.frames["directives"].index) == [2, 3, 5, 6, 7, 8]
    assert "\n" in result.frames["directives"].loc[3, "summary_en"]


def test_valid_fixture_has_an_article_quoted_row():
    strength = validate(VALID).frames["strength"]
    row = strength[strength["id"] == "S02"].iloc[0]
    assert row["source"] == "mao_nianpu_1993"
    assert row["via"] == "wra_article"
    assert row["note"] == 7


def assert_problems(root: Path, expected: list[tuple[str, str]]) -> None:
    """``wra check`` on ``root`` finds exactly ``expected``, in order: each problem starts with its
    ``file:line: column:`` prefix and says its phrase."""
    problems = [str(p) for p in check(root)]
    assert len(problems) == len(expected), "\n".join(problems)
    for got, (prefix, phrase) in zip(problems, expected):
        assert got.startswith(prefix + " "), got
        assert phrase in got, got


@pytest.mark.parametrize("file, old, new, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_broken_copy(tmp_path, file, old, new, expected):
    assert_problems(make_copy(tmp_path, file, old, new), expected)


def test_a_figure_31_days_from_its_engagement_is_kept(tmp_path):
    # the boundary of LINK_DAYS: 31 days before the engagement's first day passes, 32 fails (above)
    root = make_copy(tmp_path, EN, b"1936-11-16,day,1936-11-18", b"1936-12-12,day,1936-12-19")
    assert check(root) == []


def test_a_figure_after_its_engagement_by_31_days_is_kept_and_by_32_refused(tmp_path):
    # S03 (a loss, 1936-11-18) after an engagement ending 31, then 32, days earlier; S04 (strength before,
    # 1936-11-11) is then after the engagement too, which its phase forbids
    phase = f"{S}:4: phase: phase before, but dated 1936-11-11, after E01"
    root = make_copy(tmp_path, EN, b"1936-11-16,day,1936-11-18", b"1936-10-10,day,1936-10-18")
    assert [str(p) for p in check(root)] == [f"{phase} (1936-10-10 to 1936-10-18)"]
    root = make_copy(tmp_path / "b", EN, b"1936-11-16,day,1936-11-18", b"1936-10-10,day,1936-10-17")
    assert [str(p) for p in check(root)] == [
        f"{phase} (1936-10-10 to 1936-10-17)",
        f"{S}:5: engagement_id: dated 1936-11-18, 32 days from E01 (1936-10-10 to 1936-10-17): "
        "link it to the right engagement",
    ]


def test_required_cases_are_covered():
    required = {
        "bad_utf8",
        "bom",
        "unterminated_quote",
        "ragged_row",
        "missing_column",
        "duplicate_id",
        "bad_date_format",
        "date_out_of_window",
        "date_end_before_date",
        "unknown_issuer",
        "unknown_direction",
        "low_gt_high",
        "negative_figure",
        "qualifier_mismatch",
        "fraction_out_of_range",
        "bad_lat",
        "unknown_place_id",
        "unknown_directive_id",
        "unknown_source_key",
        "empty_pages",
        "note_out_of_range",
        "bib_unparsable",
        "bib_duplicate_key",
        "empty_file",
    }
    assert required <= {c[0] for c in CASES}


def test_problem_str_and_order():
    p = Problem("data/places.csv", 4, "lat", "lat must be within 30..50")
    assert str(p) == "data/places.csv:4: lat: lat must be within 30..50"


def test_problems_sorted_by_path_then_line(tmp_path):
    root = make_copy(tmp_path)
    for file, old, new in [
        (S, b"70000,100000", b"170000,100000"),  # strength line 7
        (S, b"21800,,more_than", b"21800,,fewer_than"),  # strength line 2
        (D, b"mao_zhou", b"mao_zedong"),  # directives line 5
        (A, b"1937-04-26", b"1937/04/26"),  # actions line 9
    ]:
        f = root / file
        f.write_bytes(f.read_bytes().replace(old, new))
    problems = check(root)
    keys = [(p.path, p.line) for p in problems]
    assert keys == [(A, 9), (D, 5), (S, 2), (S, 7)]


def test_an_extra_column_is_refused_in_every_table(tmp_path):
    root = make_copy(tmp_path)
    for table in paths.TABLES:
        f = paths.table_path(table, root)
        lines = f.read_text(encoding="utf-8").splitlines()
        f.write_text(
            "\n".join([lines[0] + ",elevation_m"] + [line + ",1500" for line in lines[1:]]) + "\n", encoding="utf-8"
        )
    problems = [str(p) for p in check(root)]
    assert problems == [
        f"data/{t}.csv:1: elevation_m: unknown column 'elevation_m': not in the data dictionary "
        f"(data/README.md); the columns are {', '.join(COLUMNS[t])}"
        for t in sorted(paths.TABLES)
    ]


def test_a_symlinked_table_is_refused_without_showing_where_it_points(tmp_path):
    root = make_copy(tmp_path)
    outside = tmp_path / "elsewhere" / "strength.csv"
    outside.parent.mkdir()
    target = paths.table_path("strength", root)
    target.rename(outside)
    target.symlink_to(outside)
    proc = run_cli(str(root))
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0] == (
        f"{S}:0: -: is a symbolic link: replace it by the file itself (a link may point outside the project)"
    )
    assert str(tmp_path) not in proc.stdout.replace(str(root), "<root>")


def test_a_symlinked_data_folder_is_refused(tmp_path):
    root = make_copy(tmp_path)
    (root / "data").rename(tmp_path / "real-data")
    (root / "data").symlink_to(tmp_path / "real-data")
    problems = check(root)
    assert {p.path for p in problems} == {f"data/{t}.csv" for t in paths.TABLES}
    assert all("the folder data/ is a symbolic link" in p.message for p in problems)


@pytest.mark.parametrize("kind", ["fifo", "directory"])
def test_anything_but_a_regular_file_is_refused_unread(tmp_path, kind):
    root = make_copy(tmp_path)
    target = paths.table_path("glossary", root)
    target.unlink()
    os.mkfifo(target) if kind == "fifo" else target.mkdir()
    # a FIFO would block a reader for ever: the check must not open it
    assert [str(p) for p in check(root)] == ["data/glossary.csv:0: -: not a regular file"]


def test_an_oversized_file_is_refused_unread(tmp_path):
    root = make_copy(tmp_path)
    with open(paths.table_path("places", root), "ab") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    assert [str(p) for p in check(root)] == [
        f"{P}:0: -: file is {MAX_FILE_BYTES + 1:,} bytes, over the limit of {MAX_FILE_BYTES:,} "
        "(the record's files are a few dozen kB: is this the right file?)"
    ]


MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
proc = subprocess.run([sys.executable, "-m", "wra", "check", sys.argv[1]], capture_output=True, text=True)
seconds = time.perf_counter() - started
peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(proc.returncode, f"{seconds:.2f}", f"{peak_mb:.0f}")
print(proc.stdout)
"""


def test_a_50_mb_table_is_judged_in_seconds_and_little_memory(tmp_path):
    """Correctness of the size cap, not a benchmark: generous bounds, measured in a fresh process."""
    root = make_copy(tmp_path)
    path = paths.table_path("strength", root)
    body = path.read_bytes().splitlines(keepends=True)
    row = body[1]
    with open(path, "ab") as handle:
        for _ in range(50 * 2**20 // len(row) + 1):
            handle.write(row)
    assert path.stat().st_size >= 50 * 2**20
    proc = subprocess.run(
        [sys.executable, "-c", MEASURE, str(root)],
        capture_output=True,
        text=True,
        cwd=paths.ROOT,
        timeout=300,
        env=NO_ARTICLE,
    )
    head, output = proc.stdout.split("\n", 1)
    code, seconds, peak_mb = head.split()
    assert code == "1"
    assert output.startswith(f"{S}:0: -: file is "), output
    assert float(seconds) < 20, f"took {seconds} s"
    assert float(peak_mb) < 200, f"peak {peak_mb} MB"


def test_a_report_never_prints_control_or_bidi_characters(tmp_path):
    root = make_copy(tmp_path, P, b"place_id,name_zh", "place_id\u202e\x1b[31m,name_zh".encode())
    proc = run_cli(str(root))
    assert proc.returncode == 1
    assert "\u202e" not in proc.stdout and "\x1b" not in proc.stdout
    assert "place_id\\u202e\\u001b[31m" in proc.stdout


def test_crlf_line_endings_are_fine(tmp_path):
    root = make_copy(tmp_path)
    for table in paths.TABLES:
        f = paths.table_path(table, root)
        f.write_bytes(f.read_bytes().replace(b"\n", b"\r\n"))
    assert check(root) == []
    # and lines still count physical lines (D03 is on line 5)
    f = paths.table_path("directives", root)
    f.write_bytes(f.read_bytes().replace(b"mao_zhou", b"maozhou"))
    assert [str(p)[:30] for p in check(root)] == [f"{D}:5: issuer: unknown"[:30]]


def test_missing_directory_reports_every_file(tmp_path):
    problems = check(tmp_path / "nowhere")
    assert [str(p) for p in problems] == [
        f"{A}:0: -: file missing",
        f"{AS}:0: -: file missing",
        "data/causes.csv:0: -: file missing",
        "data/conditions.csv:0: -: file missing",
        f"{D}:0: -: file missing",
        "data/engagements.csv:0: -: file missing",
        "data/glossary.csv:0: -: file missing",
        f"{P}:0: -: file missing",
        "data/positions.csv:0: -: file missing",
        "data/readings.csv:0: -: file missing",
        f"{S}:0: -: file missing",
        "data/windows.csv:0: -: file missing",
        f"{BIB}:0: -: file missing",
    ]


def test_garbage_everywhere_never_raises(tmp_path):
    root = tmp_path / "garbage"
    (root / "data").mkdir(parents=True)
    for i, table in enumerate(paths.TABLES):
        junk = [
            b'\x00\x01,\n"',
            b"a,b\n1,2,3\n",
            b"id\nD01\n",
            b'"',
            b"\n\n\n",
            b"\xff\xfe",
            b"id\nP01\n",
            b"position_id,rule\nP01,obeyed\n",
            b"id,date\nE01,1936-13-01\n",
            b"id,topic\nC01,\x1b[31m\n",
            b"id,kind,stance\nW01,east,\n",
            b"position_id,cause,holds\nP99,everything,\n",
        ][i]
        paths.table_path(table, root).write_bytes(junk)
    paths.bib_path(root).write_bytes(b"@book{x, title = {")
    problems = check(root)  # must not raise
    assert problems and all(isinstance(p, Problem) for p in problems)
    assert {p.path for p in problems} == {f"data/{t}.csv" for t in paths.TABLES} | {BIB}


# ---------------------------------------------------------------------------
# The command line
# ---------------------------------------------------------------------------


#: the fixture's quotations are not in the real article: no quotation check here (see test_quotes.py)
NO_ARTICLE = {k: v for k, v in os.environ.items() if k != "WRA_ARTICLE"}


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """``python -m wra check ARGS`` from the project root; by default without the article."""
    return subprocess.run(
        [sys.executable, "-m", "wra", "check", *args],
        capture_output=True,
        text=True,
        cwd=paths.ROOT,
        timeout=120,
        env=NO_ARTICLE if env is None else env,
    )


def test_cli_valid_exits_0():
    proc = run_cli(str(VALID))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip() == "data OK: 12 tables, 50 rows, 4 sources"
    assert "Traceback" not in proc.stderr


def test_cli_broken_exits_1_and_prints_the_problem(tmp_path):
    root = make_copy(tmp_path, P, b"39.38", b"93.38")
    proc = run_cli(str(root))
    assert proc.returncode == 1
    out = proc.stdout.splitlines()
    assert out[0].startswith(f"{P}:4: lat: lat must be within 30..50")
    assert out[-1] == f"1 problem in {root}"
    assert "Traceback" not in proc.stderr


def test_cli_bad_bytes_no_traceback(tmp_path):
    root = make_copy(tmp_path, D, b"Told the army", b"Told the \xff army")
    proc = run_cli(str(root))
    assert proc.returncode == 1
    assert f"{D}:5: -: not valid UTF-8" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_cli_does_not_import_plotting_libraries(tmp_path):
    code = (
        f"import sys, runpy; sys.argv = ['wra', 'check', {str(VALID)!r}];\n"
        "try:\n    runpy.run_module('wra', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "bad = [m for m in ('matplotlib', 'plotly') if m in sys.modules]\n"
        "print('IMPORTED', bad)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=paths.ROOT, timeout=120)
    assert "IMPORTED []" in proc.stdout, proc.stdout + proc.stderr
