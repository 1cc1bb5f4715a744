"""The record screened, second pass: the bibliography and links, names that look alike, the order
of dates, and oversize cells (wra.record.check, wra.record.screen). Figures written in Chinese are
in tests/test_numerals.py.

Each broken case is the valid fixture with ONE declared edit, as in tests/test_check.py, and
lists every problem expected, as its ``path:line: column:`` prefix and a key phrase.
"""

from __future__ import annotations

import pytest

from tests.test_check import BIB, A, D, G, P, S, assert_problems, make_copy, run_cli
from wra.record import screen
from wra.record.check import MAX_CELL_CHARS, check, validate
from wra.record.schema import COLUMNS

GLOSSARY_ROW = ",Zhāng Guótāo,Zhang Guotao,person,A second row.,wra_article,part 1\n"

# case, file, old, new, [(prefix, phrase), ...]
CASES = [
    # --- the bibliography, screened as strictly as the tables
    (
        "bib_javascript_url",
        BIB,
        b"url = {https://example.org/wra-article}",
        b"url = {javascript:alert(1)}",
        [(f"{BIB}:7: url:", "a link must start with http:// or https://; 'javascript:alert(1)' has scheme")],
    ),
    (
        "bib_javascript_url_with_spaces_and_case",
        BIB,
        b"url = {https://example.org/wra-article}",
        b"url = { JavaScript:alert(document.cookie) }",
        [(f"{BIB}:7: url:", "has scheme 'JavaScript:'")],
    ),
    ("bib_data_url", BIB, b"https://example.org/wra-article", b"data:text/html,<b>x</b>", [(f"{BIB}:7: url:", "")]),
    ("bib_relative_url", BIB, b"https://example.org/wra-article", b"../../etc/passwd", [(f"{BIB}:7: url:", "")]),
    (
        "bib_url_with_credentials",
        BIB,
        b"https://example.org/wra-article",
        b"https://example.org@evil.example/x",
        [(f"{BIB}:7: url:", "must not carry a user name or password")],
    ),
    (
        "bib_bad_doi",
        BIB,
        b"  year = {2020},\n}",
        b"  year = {2020},\n  doi = {javascript:alert(1)},\n}",
        [(f"{BIB}:31: doi:", "not a DOI: 'javascript:alert(1)'")],
    ),
    (
        "bib_rlo_in_title",
        BIB,
        "title = {西路军的方向（测试用）}".encode(),
        "title = {西路军的\u202e方向（测试用）}".encode(),
        [(f"{BIB}:5: title:", "U+202E (RIGHT-TO-LEFT OVERRIDE) at character 16 of the line")],
    ),
    (
        "bib_nul_in_howpublished",
        BIB,
        b"  year = {2020},\n}",
        b"  year = {2020},\n  howpublished = {a\x00b},\n}",
        [(f"{BIB}:31: howpublished:", "U+0000")],
    ),
    (
        "bib_escape_in_author",
        BIB,
        b"author = {Fixture, Author}",
        b"author = {Fixture, \x1b[2JAuthor}",
        [(f"{BIB}:4: author:", "U+001B")],
    ),
    (
        "bib_hangul_filler_in_note",
        BIB,
        b"title = {Fixture gazetteer",
        "title = {\u3164".encode(),
        [(f"{BIB}:29: title:", "U+3164 (HANGUL FILLER)")],
    ),
    # --- a URL column in data/ is held to the same rules (see test_a_url_column_in_the_tables_*)
    # --- names and keys that look alike
    (
        "variation_selector_in_a_second_key",
        G,
        b"part 1\n\xe9\x99\x88",  # the end of the first row, then the second row's 陈
        ("part 1\n张国焘\ufe00" + GLOSSARY_ROW + "陈").encode(),
        [(f"{G}:3: term_zh:", "variation selector U+FE00 (VARIATION SELECTOR-1) at character 4")],
    ),
    (
        "compatibility_ideograph_in_a_key",
        G,
        "陈昌浩,Chén".encode(),
        "西\uf937军,Chén".encode(),
        [(f"{G}:3: term_zh:", "CJK compatibility ideograph U+F937 at character 2, which shows as 路 (U+8DEF)")],
    ),
    (
        "hangul_filler_as_a_name",
        G,
        b",Zhang Guotao,",
        ",\u3164,".encode(),
        [(f"{G}:2: english:", "invisible character U+3164 (HANGUL FILLER) at character 1")],
    ),
    ("halfwidth_filler_in_a_place", P, b",Gulang,", ",Gu\uffa0lang,".encode(), [(f"{P}:3: name_en:", "U+FFA0")]),
    (
        "decomposed_pinyin",
        G,
        "Zhāng Guótāo".encode(),
        "Zha\u0304ng Guótāo".encode(),
        [(f"{G}:2: pinyin:", "not in Unicode normal form NFC: U+0304 (COMBINING MACRON) at character 4")],
    ),
    (
        "space_around_a_key",
        G,
        "陈昌浩,Chén".encode(),
        " 陈昌浩,Chén".encode(),
        [(f"{G}:3: term_zh:", "starts or ends")],
    ),
    (
        "nothing_visible_in_a_summary",
        D,
        b"Told the army to hold its ground around Yongchang and Shandan.",
        "\u0301".encode(),
        [(f"{D}:5: summary_en:", "must not be blank: it holds nothing a reader can see")],
    ),
    # --- chronology: dates within the campaign's bounds, rows in date order
    (
        "action_of_the_army_before_the_crossing",
        A,
        b"A05,1937-01-04,day",
        b"A05,1936-07-08,day",
        [
            (
                f"{A}:6: date:",
                "date 1936-07-08 is before the crossing of the Yellow River (1936-10-24): an action of wra_committee",
            )
        ],
    ),
    ("action_of_another_army_before_the_crossing", A, b"A01,1936-10-24,day", b"A01,1936-09-24,day", []),
    (
        "strength_figure_before_the_crossing",
        S,
        b"S01,1936-11-11,day",
        b"S01,1936-08-11,day",
        [
            (
                f"{S}:2: date:",
                "date 1936-08-11 is before the crossing of the Yellow River (1936-10-24): a strength figure",
            )
        ],
    ),
    ("strength_figure_of_the_crossings_month", S, b"S01,1936-11-11,day", b"S01,1936-10-01,month", []),
    (
        "directive_to_the_force_west_of_the_river_before_the_crossing",
        D,
        b"D02,1936-11-08,day",
        b"D02,1936-10-08,day",
        [(f"{D}:3: date:", "a directive to river_west_force dates from the crossing on")],
    ),
    (
        "rows_out_of_date_order",
        D,
        b"D03,1936-12-01,month",
        b"D03,1936-11-01,month",
        [(f"{D}:5: date:", "date 1936-11-01 comes after line 3's 1936-11-08: the rows stand in date order")],
    ),
    # --- an oversize cell
    (
        "megabyte_cell",
        A,
        b"Destroyed at Gaotai.",
        b"x" * 1_000_000,
        [(f"{A}:8: summary_en:", f"cell of 1,000,000 characters, over the limit of {MAX_CELL_CHARS:,}")],
    ),
    (
        "oversize_cell_over_several_lines",
        D,
        b"Told the army to hold its ground around Yongchang and Shandan.",
        b'"' + b"y\n" * 6000 + b'"',
        [(f"{D}:5: summary_en:", "cell of 12,000 characters")],
    ),
]


@pytest.mark.parametrize("file, old, new, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_broken_copy(tmp_path, file, old, new, expected):
    assert_problems(make_copy(tmp_path, file, old, new), expected)


def test_a_key_that_folds_to_another_is_refused(tmp_path):
    """第５军 (a full-width digit) is a term of its own to Python, and the same term to a reader."""
    root = make_copy(tmp_path)
    glossary = root / G
    lines = glossary.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace("张国焘", "第5军", 1)
    lines[2] = lines[2].replace("陈昌浩", "第５军", 1)
    glossary.write_text("".join(lines), encoding="utf-8")
    assert [str(p) for p in check(root)] == [
        f"{G}:3: term_zh: duplicate term_zh '第５军': the same as '第5军' on line 2 once case, width, "
        "spaces and invisible characters are set aside"
    ]


def test_a_url_column_in_the_tables_is_held_to_the_same_rules(tmp_path, monkeypatch):
    """Any column named url, *_url or doi, in any table: a table gaining one is screened at once."""
    monkeypatch.setitem(COLUMNS, "places", (*COLUMNS["places"], "source_url"))
    root = make_copy(tmp_path)
    places = root / P
    lines = places.read_text(encoding="utf-8").splitlines()
    links = [
        "source_url",
        "https://example.org/gulang",
        "javascript:alert(1)",
        "http://x.example/a b",
        "ftp://x.example/",
    ]
    links += [""] * len(lines)
    places.write_text("\n".join(f"{line},{link}" for line, link in zip(lines, links)) + "\n", encoding="utf-8")
    problems = [str(p) for p in check(root)]
    assert problems == [
        f"{P}:3: source_url: a link must start with http:// or https://; "
        "'javascript:alert(1)' has scheme 'javascript:'",
        f"{P}:4: source_url: not a URL: 'http://x.example/a b' holds a space or an invisible character",
        f"{P}:5: source_url: a link must start with http:// or https://; 'ftp://x.example/' has scheme 'ftp:'",
    ]


@pytest.mark.parametrize(
    "url, ok",
    [
        ("https://example.org/a?b=c#d", True),
        ("http://39.103.169.235/p/42901fee968b", True),
        ("HTTPS://EXAMPLE.ORG/", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("vbscript:msgbox", False),
        ("data:text/html;base64,PHNjcmlwdD4=", False),
        ("//example.org/protocol-relative", False),
        ("/relative/path", False),
        ("https://", False),
        ("https://user:pw@example.org/", False),
        ("https://example.org/\u202e", False),
        ("https://example.org/\x00", False),
        ("https://[::1/", False),
    ],
)
def test_only_absolute_http_links_pass(url, ok):
    assert (screen.url_problem(url) is None) is ok, screen.url_problem(url)


@pytest.mark.parametrize(
    "doi, ok",
    [("10.1000/xyz123", True), ("10.1093/acprof:oso/9780199", True), ("doi:10.1000/x", False), ("javascript:x", False)],
)
def test_a_doi_is_a_bare_doi(doi, ok):
    assert (screen.doi_problem(doi) is None) is ok


@pytest.mark.parametrize(
    "text, seen",
    [
        ("Gulang", True),
        ("古浪", True),
        ("·", True),
        ("\u3164", False),
        ("\u115f\u1160", False),
        ("\uffa0 ", False),
        ("\u2800", False),
        ("\u0301", False),
        ("  \u3000", False),
        ("", False),
    ],
)
def test_not_blank_means_something_a_reader_sees(text, seen):
    assert screen.visible(text) is seen


def test_fold_sets_aside_what_a_reader_cannot_see():
    assert screen.fold("张国焘\ufe00") == screen.fold("张国焘") == screen.fold(" 张国焘\u3164 ")
    assert screen.fold("ＷＲＡ") == screen.fold("wra") == screen.fold("W R A".replace(" ", ""))
    assert screen.fold("Gulang  Pass") == screen.fold("gulang pass")
    assert screen.fold("张国焘") != screen.fold("張國燾")  # another spelling is another key


def test_the_bibliography_check_names_file_line_and_field_on_the_command_line(tmp_path):
    root = make_copy(tmp_path, BIB, b"url = {https://example.org/wra-article}", b"url = {javascript:alert(1)}")
    proc = run_cli(str(root))
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0] == (
        f"{BIB}:7: url: a link must start with http:// or https://; 'javascript:alert(1)' has scheme 'javascript:'"
    )
    assert "Traceback" not in proc.stderr


def test_an_oversize_cell_is_named_on_the_command_line_without_a_traceback(tmp_path):
    root = make_copy(tmp_path, A, b"Destroyed at Gaotai.", b"x" * 1_000_000)
    proc = run_cli(str(root))
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0].startswith(f"{A}:8: summary_en: cell of 1,000,000 characters")
    assert "field larger than field limit" not in proc.stdout and "Traceback" not in proc.stderr


def test_the_csv_field_limit_is_left_as_it_was(tmp_path):
    import csv

    before = csv.field_size_limit()
    validate(make_copy(tmp_path, A, b"Destroyed at Gaotai.", b"x" * 200_000))
    assert csv.field_size_limit() == before
