"""Chinese wording and its numbers (wra.record.numerals), on the forms the record uses and on the record itself."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.test_check import S, assert_problems, make_copy
from wra.record import data, numerals

N = None


@pytest.mark.parametrize(
    "wording, qualifier, low, high",
    [
        ("西路军也减至一万八千余人", "more_than", 18000, N),
        ("人数二万一千八百", "about", 21800, 21800),
        ("两万一千八百余人", "more_than", 21800, N),
        ("21800多名", "more_than", 21800, N),
        ("全军总数为21800余人", "more_than", 21800, N),
        ("１８０００余人", "more_than", 18000, N),  # full-width digits
        ("西路军2.1万余", "more_than", 21000, N),
        ("带领仅存的1.4万人东返", "about", 14000, 14000),
        ("马家军总兵力超过12万", "more_than", 120000, N),
        ("1937年1月底全军仅剩八九千人", "range", 8000, 9000),
        ("二马先后纠集八、九万", "range", 80000, 90000),
        ("红军共歼敌五、六千人", "range", 5000, 6000),
        ("人数只有三四百", "range", 300, 400),
        ("七万至十万", "range", 70000, 100000),
        ("数千名西路军干部、战士", "range", 2000, 9000),
        ("仅剩数百人", "range", 200, 900),
        ("我军亦损失近半", "fraction", N, 0.5),
        ("伤亡过半", "fraction", 0.5, N),
        ("援军中途遭敌阻击，大部伤亡", "fraction", 0.5, N),
        ("人数已减员一半", "fraction", 0.5, 0.5),
        ("兵力损失三分之一", "fraction", 0.333, 0.333),
        ("伤亡超过三分之一", "fraction", 0.333, N),
        ("终遭全军覆没", "fraction", 1, 1),
        ("西路军已剩下不到一万人了", "fewer_than", N, 10000),
        ("兵力已不足万人", "fewer_than", N, 10000),
        ("9军兵力已不足千人", "fewer_than", N, 1000),
        ("已不满3000人", "fewer_than", N, 3000),
        ("近两万", "fewer_than", N, 20000),
        ("三千多", "more_than", 3000, N),
        ("四百余人", "more_than", 400, N),
        ("伤亡千人左右", "about", 1000, 1000),
        ("约2000人", "about", 2000, 2000),
        ("约13000余骑", "more_than", 13000, N),  # 余 wins over 约
        ("马敌伤亡5000人以上", "more_than", 5000, N),
        ("共余903人", "about", 903, 903),
        ("九百零三人", "about", 903, 903),
        # traditional forms, as pages in traditional characters give them
        ("共有匪一萬一千餘人", "more_than", 11000, N),
        ("匪傷亡四百餘人", "more_than", 400, N),
        ("兩千餘人", "more_than", 2000, N),
    ],
)
def test_one_figure(wording, qualifier, low, high):
    found = numerals.figures(wording)
    assert len(found) == 1, [f.describe() for f in found]
    assert (found[0].qualifier, found[0].low, found[0].high) == (qualifier, low, high)


@pytest.mark.parametrize(
    "wording, stated",
    [
        ("39团、45团、骑兵团、特务营2800余人", ["more than 2,800 (2800余)"]),  # regiment numbers are not men
        ("马步芳新二军……2万余", ["more than 20,000 (2万余)"]),
        ("100师300旅600团等3000余", ["more than 3,000 (3000余)"]),
        ("现有人数九百多，枪五六百", ["more than 900 (九百多)"]),  # guns are not men
        ("张荣率一路，枪百余，彩号、妇女千余", ["more than 1,000 (千余)"]),
        ("五军三千英勇健儿", ["about 3,000 (三千)"]),
        ("1937年5月400余名", ["more than 400 (400余)"]),
        ("红军攻占古浪", []),
    ],
)
def test_numbers_that_are_not_men(wording, stated):
    assert [f.describe() for f in numerals.figures(wording)] == stated


def test_a_wording_that_adds_parts_agrees_with_their_sum():
    assert numerals.contradiction("九军余部二百多步兵百余骑兵", 300, None, "more_than") == []
    assert numerals.contradiction("九军余部二百多步兵百余骑兵", 400, None, "more_than")


@pytest.mark.parametrize(
    "low, high, qualifier, agrees",
    [
        (18000, N, "more_than", True),
        (17000, N, "more_than", False),  # the number
        (18000, 18000, "about", False),  # the qualifier
        (18000, 20000, "range", False),  # the bounds
    ],
)
def test_contradiction(low, high, qualifier, agrees):
    stated = numerals.contradiction("一万八千余", low, high, qualifier)
    assert (stated == []) is agrees
    if not agrees:
        assert [f.describe() for f in stated] == ["more than 18,000 (一万八千余)"]


def test_a_bare_number_may_be_coded_exact_or_about():
    assert numerals.contradiction("只剩427人", 427, 427, "exact") == []
    assert numerals.contradiction("只剩427人", 427, 427, "about") == []
    assert numerals.contradiction("只剩427人", 427, N, "more_than")


def _none(x):
    return None if pd.isna(x) else float(x)


def test_every_figure_in_the_record_states_a_figure_that_agrees_with_its_row():
    strength = data.load("strength")
    worded = 0
    for row in strength.to_dict("records"):
        for column in ("quote_zh", "wording_zh"):
            wording = row[column]
            if not isinstance(wording, str):
                continue
            worded += 1
            assert numerals.figures(wording), f"{row['id']} {column}: no figure found in {wording!r}"
            assert numerals.contradiction(wording, _none(row["low"]), _none(row["high"]), row["qualifier"]) == [], (
                f"{row['id']} {column} {wording!r} vs {row['qualifier']} {row['low']} {row['high']}"
            )
    assert worded > 100


def test_every_quotation_in_the_record_parses():
    for table in ("directives", "actions"):
        for quote in data.load(table)["quote_zh"].dropna():
            for figure in numerals.figures(quote):
                assert figure.qualifier in ("about", "more_than", "fewer_than", "range", "fraction")


# ---------------------------------------------------------------------------
# Mixed, traditional and financial numerals, in a check of the record
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "wording, qualifier, low, high, text",
    [
        ("全军总数为1万8千余人", "more_than", 18000, N, "1万8千余"),
        ("西路军2.18万人", "about", 21800, 21800, "2.18万"),
        ("共计21,800余人", "more_than", 21800, N, "21,800余"),
        ("二萬一千八百", "about", 21800, 21800, "二萬一千八百"),
        ("兩千多人", "more_than", 2000, N, "兩千多"),
        ("贰万贰仟", "about", 22000, 22000, "贰万贰仟"),
        ("貳萬貳仟餘人", "more_than", 22000, N, "貳萬貳仟餘"),  # 餘 reads as 余 and is shown as written
        ("壹佰伍拾人", "about", 150, 150, "壹佰伍拾"),
        ("叁仟余人", "more_than", 3000, N, "叁仟余"),
        ("不足壹萬", "fewer_than", N, 10000, "不足壹萬"),
        ("队伍千余人", "more_than", 1000, N, "千余"),  # 队伍 is troops, not five
        ("陆续到达四百余人", "more_than", 400, N, "四百余"),  # 陆续 is one after another, not six
        ("7万至10万", "range", 70000, 100000, "7万至10万"),
        ("捌玖仟人", "range", 8000, 9000, "捌玖仟"),
    ],
)
def test_mixed_traditional_and_financial_numerals(wording, qualifier, low, high, text):
    found = numerals.figures(wording)
    assert [(f.qualifier, f.low, f.high, f.text) for f in found] == [(qualifier, low, high, text)]


@pytest.mark.parametrize("wording", ["陆军第伍师", "收拾行装", "队伍出发", "参加战斗"])
def test_a_financial_numeral_character_in_a_word_is_no_figure(wording):
    assert numerals.figures(wording) == []


def test_standard_keeps_every_position():
    for text in ("贰万贰仟余人", "二萬一千八百", "队伍千余人", "壹拾"):
        assert len(numerals.standard(text)) == len(text)
    assert numerals.standard("贰万贰仟余人") == "二万二千余人"
    assert numerals.standard("队伍千余人") == "队伍千余人"


WORDED = "6500,6500,about,,,约六千五百人".encode()  # S04 of the fixture: its numbers and wording_zh

# case, new numbers and wording for S04, [(prefix, phrase), ...]: every problem ``wra check`` reports
CASES = [
    (
        "mixed_numerals_misread",
        S,
        WORDED,
        "8000,,more_than,,,全军总数为1万8千余人".encode(),
        [(f"{S}:4: wording_zh:", "'全军总数为1万8千余人' states more than 18,000 (1万8千余), but the row says")],
    ),
    (
        "traditional_wan_misread",
        S,
        WORDED,
        "1800,1800,about,,,二萬一千八百".encode(),
        [(f"{S}:4: wording_zh:", "states about 21,800 (二萬一千八百)")],
    ),
    (
        "financial_numerals_coded_as_ten_thousand",
        S,
        WORDED,
        "10000,10000,about,,,贰万贰仟".encode(),
        [(f"{S}:4: wording_zh:", "states about 22,000 (贰万贰仟)")],
    ),
    (
        "financial_numerals_coded_as_two_thousand",
        S,
        WORDED,
        "2000,2000,about,,,贰万贰仟".encode(),
        [
            (
                f"{S}:4: wording_zh:",
                "'贰万贰仟' states about 22,000 (贰万贰仟), but the row says qualifier about, low 2000",
            )
        ],
    ),
    (
        "financial_numerals_read_right",
        S,
        WORDED,
        "22000,22000,about,,,贰万贰仟".encode(),
        [],
    ),
    (
        "decimal_wan_read_right",
        S,
        WORDED,
        "21800,,more_than,,,2.18万余".encode(),
        [],
    ),
]


@pytest.mark.parametrize("file, old, new, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_check_reads_the_figure_the_wording_states(tmp_path, file, old, new, expected):
    """The issue's examples: each was accepted (or refused naming the wrong figure) before."""
    assert_problems(make_copy(tmp_path, file, old, new), expected)
