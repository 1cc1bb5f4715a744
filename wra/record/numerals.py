"""Figures stated in Chinese wording, and whether a row's numbers agree with them.

:func:`figures` reads the figures a wording states, each as a :class:`Figure`
with the bounds the wording gives (the data dictionary's table "How wording
becomes numbers", data/README.md):

>>> [f.describe() for f in figures("西路军也减至一万八千余人")]
['more than 18,000 (一万八千余)']
>>> [f.describe() for f in figures("1937年1月底全军仅剩八九千人")]
['8,000 to 9,000 (八九千)']

Numbers are Chinese numerals (二万一千八百, 两千, 千), Arabic ones (21800,
21,800, 2.1万, 12万), or both in one number (1万8千, 2.18万), full-width digits
included; traditional and financial forms read as their everyday ones (二萬一千八百,
贰万贰仟, 壹佰: :func:`standard`). Qualifier words: 余, 多,
以上, 超过 (more than); 不到, 不足, 不满, 近 (fewer than); 约, 左右 (about);
八九千, 五、六千, 七万至十万 (a range); 数千, 数百 (several: 2-9 of the unit);
近半, 过半, 大部, 一半, 三分之一, 超过三分之一, 全军覆没 (shares). A number
that names a unit or a date (五军, 39团, 1937年, 二马) is not a figure, nor a
count of guns (枪百余).

:func:`contradiction` returns the figures a wording states when none of them
(nor, for a wording that adds parts, their sum) agrees with a row's ``low``,
``high`` and ``qualifier``; ``wra check`` refuses such a row.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
_ZH = "〇零一二两三四五六七八九十百千万"
#: Arabic digits, with thousands separators (21,800) or a decimal point (2.18), or Chinese numerals,
#: in any mix: one number is a run of them (1万8千, 2.18万, 二万一千八百)
_ARABIC = r"(?<![0-9.])[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+(?:\.[0-9]+)?"
_NUMBER = rf"(?:{_ARABIC}|[{_ZH}])+"
_ONE_DIGIT = "一二三四五六七八九"

#: traditional forms and the financial numerals (大写数字) of banknotes and accounts, as their everyday forms
# (餘, the traditional 余 "odd", too: pages in traditional characters write 一萬一千餘人)
ALWAYS_NUMERALS = {"萬": "万", "兩": "两", "仟": "千", "佰": "百", "餘": "余"}
FINANCIAL = {
    "壹": "一",
    "贰": "二",
    "貳": "二",
    "叁": "三",
    "參": "三",
    "肆": "四",
    "伍": "五",
    "陆": "六",
    "陸": "六",
    "柒": "七",
    "捌": "八",
    "玖": "九",
    "拾": "十",
}
#: words in which a financial numeral's character is not a number (队伍 troops, 陆军 army, 收拾 tidy up)
NOT_NUMERAL_WORDS = (
    "队伍", "隊伍", "部伍", "行伍", "入伍", "退伍", "落伍", "伍长",
    "陆军", "陸軍", "陆续", "陸續", "陆路", "陸路", "大陆", "大陸", "登陆", "登陸", "着陆", "水陆", "陆地",
    "收拾", "拾起", "拾得", "拾取",
    "參加", "參謀", "參與", "參戰",
)  # fmt: skip

#: a number followed by one of these names a unit, a date or a count of things, not men
NOT_MEN_AFTER = set("年月日号时团旅师军营连排路个支部战马枪方佛")
#: a number after one of these is an ordinal or a count of guns
NOT_MEN_BEFORE = set("第枪")

FEWER = ("不到", "不足", "不满", "未满", "将近", "近")
MORE_BEFORE = ("超过", "多达")
ABOUT_BEFORE = ("大约", "约")
MORE_AFTER = ("以上", "有余", "余", "多")
ABOUT_AFTER = ("左右", "上下")

SHARES = (  # (pattern, low, high); checked before numbers, longest first
    (r"全军覆没|全部覆没|全军覆灭", 1.0, 1.0),
    (r"近半", None, 0.5),
    (r"过半|大半|多半|大部", 0.5, None),
    (r"一半|半数", 0.5, 0.5),
)
FRACTION = re.compile(rf"(超过|逾|过)?([{_ONE_DIGIT}十]+)分之([{_ONE_DIGIT}十]+)")
SEVERAL = re.compile(r"数([十百千万])")
PAIR = re.compile(rf"([{_ONE_DIGIT}])、?([{_ONE_DIGIT}])([十百千万])")
SPAN = re.compile(rf"({_NUMBER})\s*(?:至|到|~|-|–)\s*({_NUMBER})")
SINGLE = re.compile(_NUMBER)


@dataclass(frozen=True)
class Figure:
    """One figure a wording states: its words, qualifier and bounds (``None``: open)."""

    text: str
    qualifier: str  # about, more_than, fewer_than, range, fraction
    low: float | None
    high: float | None

    def describe(self) -> str:
        def n(x: float) -> str:
            return f"{x:,.0f}" if self.qualifier != "fraction" else f"{x:.3g}"

        words = {
            "about": lambda: f"about {n(self.low)}",
            "more_than": lambda: f"more than {n(self.low)}",
            "fewer_than": lambda: f"fewer than {n(self.high)}",
            "range": lambda: f"{n(self.low)} to {n(self.high)}",
            "fraction": lambda: (
                "a share "
                + (
                    f"of {n(self.low)}"
                    if self.low == self.high
                    else f"over {n(self.low)}"
                    if self.high is None
                    else f"under {n(self.high)}"
                )
            ),
        }[self.qualifier]()
        return f"{words} ({self.text})"


def standard(text: str) -> str:
    """``text`` with traditional and financial numerals in their everyday forms, character for
    character (贰万贰仟 -> 二万二千, 二萬 -> 二万), so positions in it are positions in ``text``.

    萬, 兩, 仟 and 佰 always change. A financial digit (壹 ... 玖) or 拾 changes only next to another
    numeral (贰万, 壹拾) and outside the words of :data:`NOT_NUMERAL_WORDS` (队伍千余人 is a thousand-odd
    troops, not five thousand).
    """
    chars = [ALWAYS_NUMERALS.get(c, c) for c in text]
    numeral = set(_ZH) | set(FINANCIAL) | set("0123456789")
    for i, char in enumerate(chars):
        if char not in FINANCIAL:
            continue
        before = chars[i - 1] if i else ""
        after = chars[i + 1] if i + 1 < len(chars) else ""
        if before not in numeral and after not in numeral:
            continue
        if any(w in (before + char, char + after) for w in NOT_NUMERAL_WORDS):
            continue
        chars[i] = FINANCIAL[char]
    return "".join(chars)


_TOKEN = re.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?|.")


def zh_value(text: str) -> float:
    """The value of a number in Chinese numerals, Arabic digits or both (二万一千八百, 21800, 21,800,
    2.18万, 1万8千); traditional and financial forms are read by :func:`figures` through :func:`standard`."""
    total, section, digit = 0.0, 0.0, None
    for token in _TOKEN.findall(standard(text)):
        if token[0].isascii() and token[0].isdigit():
            digit = float(token.replace(",", ""))
        elif token in DIGITS:
            digit = DIGITS[token]
        elif token in UNITS:
            section += (1 if digit is None else digit) * UNITS[token]
            digit = None
        elif token == "万":
            section += digit or 0
            total += (section or 1) * 10000
            section, digit = 0, None
    return float(round(total + section + (digit or 0), 6))


def _masked(text: str, span: tuple[int, int]) -> str:
    return text[: span[0]] + "□" * (span[1] - span[0]) + text[span[1] :]


def _shown(shown: str, match: re.Match, group: int = 0) -> str:
    """The words ``match`` (found in the :func:`standard` text) covers, as the wording writes them."""
    return shown[match.start(group) : match.end(group)]


def _shares(text: str, shown: str) -> tuple[list[Figure], str]:
    found = []
    for match in FRACTION.finditer(text):
        value = round(zh_value(match[3]) / zh_value(match[2]), 3)
        found.append(Figure(_shown(shown, match), "fraction", value, None if match[1] else value))
        text = _masked(text, match.span())
    for pattern, low, high in SHARES:
        for match in re.finditer(pattern, text):
            found.append(Figure(_shown(shown, match), "fraction", low, high))
            text = _masked(text, match.span())
    return found, text


def _counts_men(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    return before not in NOT_MEN_BEFORE and after not in NOT_MEN_AFTER


def _ranges(text: str, shown: str) -> tuple[list[Figure], str]:
    found = []
    for match in SEVERAL.finditer(text):
        unit = zh_value(match[1])
        found.append(Figure(_shown(shown, match), "range", 2 * unit, 9 * unit))
        text = _masked(text, match.span())
    for match in PAIR.finditer(text):
        a, b = DIGITS[match[1]], DIGITS[match[2]]
        if b == a + 1 and _counts_men(text, *match.span()):
            unit = zh_value(match[3])
            found.append(Figure(_shown(shown, match), "range", a * unit, b * unit))
        text = _masked(text, match.span())
    for match in SPAN.finditer(text):
        found.append(Figure(_shown(shown, match), "range", zh_value(match[1]), zh_value(match[2])))
        text = _masked(text, match.span())
    return found, text


def _single(text: str, shown: str, match: re.Match) -> Figure | None:
    start, end = match.span()
    if not _counts_men(text, start, end) or match[0] == "一":
        return None
    value = zh_value(match[0])
    number = _shown(shown, match)
    raw = text[end : end + 3]
    tail = raw.lstrip("人名")
    skipped = end + len(raw) - len(tail)
    head = text[max(0, start - 2) : start]

    def after(word: str) -> str:  # the qualifier as the wording writes it (餘, not the 余 it reads as)
        return shown[skipped : skipped + len(word)]

    def before(word: str) -> str:
        return shown[start - len(word) : start]

    if tail.startswith(MORE_AFTER) or head.endswith(MORE_BEFORE):
        return Figure(number + after(_word(tail, MORE_AFTER)), "more_than", value, None)
    if head.endswith(FEWER):
        return Figure(before(_word_end(head, FEWER)) + number, "fewer_than", None, value)
    return Figure(
        before(_word_end(head, ABOUT_BEFORE)) + number + after(_word(tail, ABOUT_AFTER)), "about", value, value
    )


def _word(tail: str, words: tuple[str, ...]) -> str:
    return next((w for w in words if tail.startswith(w)), "")


def _word_end(head: str, words: tuple[str, ...]) -> str:
    return next((w for w in words if head.endswith(w)), "")


def figures(wording: str) -> list[Figure]:
    """Every figure of men (or share of men) ``wording`` states, in the order shares, ranges, numbers."""
    if not isinstance(wording, str) or not wording.strip():
        return []
    shown = unicodedata.normalize("NFKC", wording)
    text = standard(shown)
    shares, text = _shares(text, shown)
    ranges, text = _ranges(text, shown)
    singles = [f for f in (_single(text, shown, m) for m in SINGLE.finditer(text)) if f is not None]
    return shares + ranges + singles


def _same(a: float | None, b: float | None) -> bool:
    missing_a = a is None or (isinstance(a, float) and math.isnan(a))
    missing_b = b is None or (isinstance(b, float) and math.isnan(b))
    if missing_a or missing_b:
        return missing_a and missing_b
    return math.isclose(a, b, rel_tol=0, abs_tol=1e-3)


def agrees(figure: Figure, low: float | None, high: float | None, qualifier: str) -> bool:
    """True if a row's ``low``, ``high`` and ``qualifier`` code ``figure`` as the data dictionary says."""
    allowed = ("about", "exact") if figure.qualifier == "about" else (figure.qualifier,)
    return qualifier in allowed and _same(low, figure.low) and _same(high, figure.high)


def _sums(found: list[Figure]) -> list[Figure]:
    """A wording that adds parts (二百多步兵百余骑兵) states their sum too."""
    out = []
    for qualifier in ("more_than", "about"):
        parts = [f for f in found if f.qualifier == qualifier]
        if len(parts) > 1:
            total = sum(f.low for f in parts)
            out.append(
                Figure(" + ".join(f.text for f in parts), qualifier, total, total if qualifier == "about" else None)
            )
    return out


def contradiction(wording: str, low: float | None, high: float | None, qualifier: str) -> list[Figure]:
    """The figures ``wording`` states if none of them agrees with the row; [] if one does or none is stated."""
    found = figures(wording)
    if any(agrees(f, low, high, qualifier) for f in found + _sums(found)):
        return []
    return found
