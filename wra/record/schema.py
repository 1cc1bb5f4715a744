"""The column contract of the tables (paths.TABLES), as pandera schemas and vocabularies.

Everything the rest of the package (and the data dictionary) needs to know
about a table lives here:

* the vocabularies, as module-level dicts ``code -> English label``
  (:data:`ISSUER`, :data:`DIRECTION`, :data:`VERDICT`, ...), plus
  :data:`ISSUER_GROUP` (issuer -> central / zhang_guotao / army);
* :data:`FIELDS`: per table, the columns in contract order, with kind
  (``str``, ``date``, ``float``, ``int``), whether a value is required, and an
  English description;
* :data:`RULES`: per table, the row rules that involve more than one column
  (``date_end >= date``, qualifier consistency, ...), each reported against
  one column;
* :data:`SCHEMAS`: one :class:`pandera.pandas.DataFrameSchema` per table,
  built from the two above. They validate *typed* frames, as produced by
  :func:`parse` (dates ``datetime64[ns]``, figures ``float64``, ``note``
  nullable ``Int64``, text pandas ``str``).

Cross-table rules (foreign keys, bibliography keys) need more than one table
and live in :mod:`wra.record.check`. This module imports neither matplotlib nor
plotly.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from wra.record import screen
from wra.record.paths import TABLES

# --------------------------------------------------------------------------
# Vocabularies (code -> English label)
# --------------------------------------------------------------------------

WINDOW = (_dt.date(1936, 6, 1), _dt.date(1937, 6, 30))
"""First and last day (inclusive) any date in the tables may take."""

CROSSING = _dt.date(1936, 10, 24)
"""The first day of the crossing of the Yellow River (the 30th Army's first regiment crossed that night).
The force west of the river, and every strength figure, date from it (data/README.md, "Dates")."""

#: actors and recipients that are the force west of the river: none can act or be addressed before the crossing
WEST_OF_THE_RIVER = (
    "river_west_force",
    "wra",
    "wra_committee",
    "left_detachment",
    "right_detachment",
    "centre_detachment",
)

#: tables whose rows stand in date order (rows of one date in the order the source tells them)
SORTED_BY_DATE = ("directives", "actions", "strength")

DATE_PRECISION = {
    "day": "exact day",
    "approx": "within a few days (early/mid/late month)",
    "month": "month only (dated the 1st)",
}

ISSUER = {
    "central_committee": "CCP Central Committee (中共中央)",
    "military_commission": "Central Military Commission (中革军委)",
    "politburo": "Politburo (中央政治局)",
    "mao_zhou": "Mao Zedong / Zhou Enlai telegrams",
    "zhang_guotao": "Zhang Guotao, acting on his own",
    "wra_committee": "WRA Military-Political Committee (西路军军政委员会)",
    "chen_changhao": "Chen Changhao (陈昌浩)",
    "xu_xiangqian": "Xu Xiangqian (徐向前)",
}

ISSUER_GROUPS = {
    "central": "Party centre",
    "zhang_guotao": "Zhang Guotao",
    "army": "Army leadership in the field",
}

ISSUER_GROUP = {
    "central_committee": "central",
    "military_commission": "central",
    "politburo": "central",
    "mao_zhou": "central",
    "zhang_guotao": "zhang_guotao",
    "wra_committee": "army",
    "chen_changhao": "army",
    "xu_xiangqian": "army",
}

RECIPIENT = {
    "fourth_front_army": "Fourth Front Army",
    "thirtieth_army": "30th Army",
    "river_west_force": "River-West Force (河西部队, before it was named)",
    "wra": "Western Route Army",
    "zhang_guotao": "Zhang Guotao",
    "peng_dehuai": "Peng Dehuai",
    "red_army": "the three front armies",
    "west_relief_army": "West Relief Army (援西军)",
}

DIRECTION = {
    "north": "North, to Ningxia (宁夏战役)",
    "east": "East, back toward Lanzhou / the east bank",
    "west": "West, toward Liangzhou / Ganzhou / Suzhou / Xinjiang",
    "hold": "Hold, stay and consolidate",
    "none": "No direction (tactics or organisation)",
}

ACTOR = {
    "fourth_front_army": "Fourth Front Army",
    "river_west_force": "River-West Force",
    "wra": "Western Route Army",
    "wra_committee": "WRA Military-Political Committee",
    "chen_changhao": "Chen Changhao",
    "xu_xiangqian": "Xu Xiangqian",
    "zhang_guotao": "Zhang Guotao",
    "fifth_army": "5th Army",
    "ninth_army": "9th Army",
    "thirtieth_army": "30th Army",
    "cavalry_division": "Cavalry Division",
    "left_detachment": "Left Detachment (左支队)",
    "right_detachment": "Right Detachment (右支队)",
    "centre_detachment": "Centre Detachment",
    "west_relief_army": "West Relief Army (援西军)",
    "central": "Party centre",
    "zhu_de": "Zhu De (朱德), Red Army commander-in-chief",
}

KIND = {
    "move": "move",
    "battle": "battle",
    "capture": "capture (took a place)",
    "loss": "loss (destroyed or defeated)",
    "proposal": "proposal",
    "reply": "reply",
    "decision": "decision",
}

VERDICT = {
    "complied": "complied",
    "partly": "partly complied",
    "deviated": "deviated",
    "not_carried_out": "not carried out",
    "overtaken": "overtaken by events",
    "superseded": "superseded by a later order",
    "not_an_order": "not an order",
    "self_issued": "the army's own decision",
    "no_evidence": "no evidence either way",
}

#: The verdict codebook (data/README.md states each rule with its deciding
#: conditions). Every assessment names the rule that decided its verdict.
RULE = {
    "did_as_ordered": "did what the order asked, while it was in force",
    "did_part": "did part of what it asked, or only part of the force did",
    "went_another_way": "acted against it while it was in force",
    "argued_against": "a proposal or reply pressed for what it did not allow",
    "asked_for_orders": "a request for orders (请示): words that leave the decision to the issuer",
    "agreed_in_words": "a reply or proposal that agreed in words: not yet a deed",
    "left_undone": "nothing was done while it was in force",
    "overtaken_by_events": "events made it moot before it could be carried out",
    "superseded": "a later order of the same or a higher authority replaced it",
    "not_an_order": "a question, approval, meeting's conclusion or advice, not an order",
    "ratified": "it granted what had already been decided or done",
    "self_issued": "the army leadership's own decision, carried out by the army itself",
    "no_evidence": "the answering event does not bear on what the directive asked",
}

#: rules that judge a deed: their answering action may not be a proposal or a reply (words)
DEED_RULES = ("did_as_ordered", "did_part", "went_another_way")
#: rules that judge words: their answering action must be a proposal or a reply
WORD_RULES = ("argued_against", "asked_for_orders", "agreed_in_words")
#: action kinds that are words, not deeds
WORD_KINDS = ("proposal", "reply")

#: the verdict each rule gives
RULE_VERDICT = {
    "did_as_ordered": "complied",
    "did_part": "partly",
    "went_another_way": "deviated",
    "argued_against": "deviated",
    "asked_for_orders": "no_evidence",
    "agreed_in_words": "no_evidence",
    "left_undone": "not_carried_out",
    "overtaken_by_events": "overtaken",
    "superseded": "superseded",
    "not_an_order": "not_an_order",
    "ratified": "not_an_order",
    "self_issued": "self_issued",
    "no_evidence": "no_evidence",
}

#: verdicts that test whether an order was followed (they enter compliance counts);
#: every other verdict is kept in the record and counted apart
TESTED_VERDICTS = ("complied", "partly", "deviated", "not_carried_out")

#: what a directive is, on its face
DIRECTIVE_KIND = {
    "order": "an order or instruction to do something",
    "question": "a question put to the recipients",
    "approval": "approval of a name or of what the recipients asked for",
    "conclusion": "a meeting's conclusion, not sent to the army",
    "advice": "advice left to the recipients' judgement, or an assessment that asks for no act",
    "warning": "a warning to a third party",
    "decision": "the army leadership's own decision",
}

#: directive kinds that are not orders (their pairings take rule not_an_order)
NOT_ORDER_KINDS = ("question", "approval", "conclusion", "advice", "warning")

#: rank of an issuer group: a directive may be superseded only by one of the same
#: or a higher rank (the centre's bodies are one rank: the article and the
#: compilations often say only 中央 for a Military Commission telegram)
AUTHORITY_RANK = {"central": 3, "zhang_guotao": 2, "army": 1}

#: historiographical positions (data/positions.csv), grouped as in the research memo
CAMP = {
    "zhang_line": "the 1937 verdict: Zhang Guotao's line, and its defenders",
    "chen_changhao": "Chen Changhao's reports of 1937: the army's commissar on its defeat",
    "zhang_guotao": "Zhang Guotao's memoir: the march west as his own plan",
    "xu_memoir": "Xu Xiangqian's memoir: the army obeyed, its tasks kept changing",
    "li_xiannian": "Li Xiannian's 1983 statement and its reception",
    "revision_1991": "the revisions of 1991: the annotation and Li Xiannian's letter",
    "scholarship": "archive-based and multi-causal scholarship since the 1980s",
    "sun_article": "the article: a defence of the 1937 verdict against the 1991 annotation",
}

#: the recipients that are the army or its forerunners (the three front armies included): the
#: orders the chapter's headline counts, and the orders whose supersession runs both ways
ARMY_RECIPIENTS = ("fourth_front_army", "thirtieth_army", "river_west_force", "wra", "red_army")
#: the directions that point opposite ways: a later order pointing the other way supersedes an earlier one
OPPOSITE_DIRECTIONS = {"east": "west", "west": "east"}

SIDE = {"red": "Red Army", "ma": "Ma forces"}

UNIT = {
    "wra": "Western Route Army",
    "fifth_army": "5th Army",
    "ninth_army": "9th Army",
    "thirtieth_army": "30th Army",
    "cavalry_division": "Cavalry Division",
    "womens_regiment": "Women's Independent Regiment",
    "hui_detachment": "Hui Detachment (回民支队)",
    "left_detachment": "Left Detachment (左支队)",
    "right_detachment": "Right Detachment (右支队)",
    "centre_detachment": "Centre Detachment",
    "ma_forces": "Ma forces as a whole (马家军)",
    "ma_bufang": "Ma Bufang's forces (马步芳部)",
    "ma_buqing": "Ma Buqing's forces (马步青部)",
    "ma_militia": "Ma militia (民团)",
    "west_relief_army": "West Relief Army (援西军)",
    "relief_column": "Relief force for Gaotai (援军; unnamed in the article)",
}

#: the Red Army's units (every unit but the Ma forces' ``ma_...`` codes)
RED_UNITS = tuple(u for u in UNIT if not u.startswith("ma_"))
#: the separator of a cell that lists several codes or ids (engagements.red_units, engagements.action_ids)
LIST_SEPARATOR = ";"

MEASURE = {
    "strength": "men present",
    "loss": "men lost",
    "killed": "killed",
    "captured": "captured",
    "reached": "men arriving",
}

QUALIFIER = {
    "exact": "exact figure",
    "about": "about (约, 左右)",
    "more_than": "more than (余, 多)",
    "fewer_than": "fewer than (不到, 不足)",
    "range": "range (八九千)",
    "fraction": "share of another figure (近半)",
}

CONFIDENCE = {
    "H": "high: telegram or official compilation",
    "M": "medium: party-history article or memoir",
    "L": "low: popular account",
}

COORD_PRECISION = {
    "county_seat": "county seat",
    "town": "town",
    "estimate": "estimate",
}

#: where a strength figure stands relative to the engagement it is linked to (strength.phase)
PHASE = {
    "before": "going into the engagement (the force engaged)",
    "during": "dated within the engagement (a siege or a stay under attack)",
    "after": "what was left after it",
}

#: what a row of conditions.csv is about
TOPIC = {
    "ammunition": "rounds per rifle, ammunition spent or lacking",
    "arms": "rifles and other weapons, and how many men had one",
    "clothing": "winter clothing and shoes",
    "cold": "temperatures and the winter",
    "supply": "food, medicine and supplies in general",
    "wounded": "the wounded and sick the army carried",
    "recruitment": "men who joined the army west of the river, or could not be won",
    "soviet_aid": "the Soviet arms and supplies promised by way of Xinjiang",
}

#: what kind of chance a row of windows.csv names
WINDOW_KIND = {
    "turn_east": "a chance to turn back east, toward the main Red Army",
    "break_out": "a chance to break out of an encirclement",
}

#: whether the source of a window row holds that the chance was real
STANCE = {
    "chance": "the source names it as a chance the army had",
    "doubt": "the source doubts or denies that it was a real chance",
}

#: the causes of the defeat that the positions of chapter 05 name (causes.csv)
CAUSE = {
    "zhang_line": "Zhang Guotao's line, not overcome",
    "command": "command in the field (Chen Changhao's and the leadership's decisions)",
    "changing_tasks": "tasks that kept changing at the centre",
    "long_halt": "the long halt in the corridor",
    "ma_forces": "the Ma forces: their numbers, cavalry and open ground",
    "local_hostility": "local ethnic feeling: a Hui population the army could not win",
    "winter_supply": "winter, clothing, ammunition and supply",
    "soviet_aid": "Soviet aid that did not come",
    "xian_incident": "the Xi'an Incident and the shifting situation",
    "missed_return": "chances to return east, declined or missed",
}

#: whether a position names a cause or denies it (causes.holds)
HOLDS = {
    "cause": "names it as a cause of the defeat",
    "denies": "denies that it was the cause",
}

GLOSSARY_KIND = {
    "person": "person",
    "organisation": "organisation",
    "unit": "military unit",
    "term": "term or geographical name (places with coordinates are in places.csv)",
}

#: entry types whose works may be cited with pages "n.p."
UNPAGINATED_TYPES = ("online", "misc")
NO_PAGES = "n.p."

# --------------------------------------------------------------------------
# Patterns
# --------------------------------------------------------------------------

# Digits are [0-9], never \d: \d (like str.isdigit and float()) also takes full-width
# and other scripts' digits, which look alike and sort, match and join differently.
ID_PATTERN = {
    "directives": r"^D[0-9]{2,}$",
    "actions": r"^A[0-9]{2,}$",
    "strength": r"^S[0-9]{2,}$",
    "positions": r"^P[0-9]{2,}$",
    "engagements": r"^E[0-9]{2,}$",
    "conditions": r"^C[0-9]{2,}$",
    "windows": r"^W[0-9]{2,}$",
}
PLACE_ID_PATTERN = r"^[a-z][a-z0-9]*(?:[_-][a-z0-9]+)*$"
ISO_DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
NUMBER_PATTERN = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$"
INTEGER_PATTERN = r"^[+-]?[0-9]+$"
BIB_KEY_PATTERN = r"^[^\s,{}()\"'#%~\\]+$"
ARTICLE_PART_PATTERN = r"^part [1-9]$"

#: Columns of free text (prose, names, quotations): any script's characters are
#: welcome there. Every other column holds codes, keys, dates, numbers or
#: locators, whose digits must be ASCII 0-9.
FREE_TEXT = frozenset(
    {
        "quote_zh",
        "wording_zh",
        "summary_en",
        "rationale_en",
        "comment_en",
        "note_en",
        "milestone",
        "term_zh",
        "pinyin",
        "english",
        "name_zh",
        "name_pinyin",
        "name_en",
        "modern_name_zh",
        # positions and readings (issue 12)
        "holder_en",
        "holder_zh",
        "when_en",
        "claim_en",
        "evidence_en",
        "excerpt_zh",
        "excerpt_en",
        "caveat_en",
        # engagements, conditions, windows, causes (issue 20)
        "ma_units_en",
        "measure_en",
        "named_by_en",
        "record_en",
    }
)

#: Keys: a row's id, the glossary's term, a place's slug, and the columns that name another row or a source.
#: Like the visible names below, they must be NFC, free of variation selectors and compatibility
#: ideographs, and unique once folded (wra.record.screen).
KEY_COLUMNS = frozenset(
    {"id", "term_zh", "place_id", "position_id", "directive_id", "action_id", "base_id", "copy_of", "superseded_by"}
    | {"source", "via"}
)
#: Names a reader sees as a label: of terms, places and the holders of positions.
NAME_COLUMNS = frozenset(
    {"term_zh", "pinyin", "english", "name_zh", "name_pinyin", "name_en", "modern_name_zh", "holder_en", "holder_zh"}
)


def is_url_column(name: str) -> bool:
    """A column of links (``url``, ``*_url``) or DOIs (``doi``): only http(s) links and bare DOIs pass."""
    return name in ("url", "doi") or name.endswith("_url")


#: Plausibility bounds: the largest count of men a strength figure may give, by
#: side and measure (data/README.md gives the reasons). Every count is at least 1.
PLAUSIBLE_MAX = {
    "red": {"strength": 30_000, "loss": 30_000, "killed": 30_000, "captured": 30_000, "reached": 30_000},
    "ma": {"strength": 200_000, "loss": 60_000, "killed": 60_000, "captured": 60_000, "reached": 200_000},
}
#: the largest radius of doubt a place may have
MAX_UNCERTAINTY_KM = 50

# --------------------------------------------------------------------------
# Fields
# --------------------------------------------------------------------------

KINDS = ("str", "date", "float", "int")


@dataclass(frozen=True)
class Field:
    """One column of a table: contract order, type, requiredness, checks."""

    name: str
    kind: str = "str"  # one of KINDS
    required: bool = True  # a value must be present in every row
    description: str = ""
    checks: tuple[pa.Check, ...] = ()
    unique: bool = False
    vocabulary: Mapping[str, str] | None = None

    @property
    def dtype(self):
        return {
            "str": "str",
            "date": "datetime64[ns]",
            "float": "float64",
            "int": "Int64",
        }[self.kind]


def _vocab(mapping: Mapping[str, str], what: str) -> pa.Check:
    return pa.Check.isin(
        list(mapping),
        error=f"unknown {what}; expected one of: {', '.join(mapping)}",
    )


def _pattern(pattern: str, what: str) -> pa.Check:
    return pa.Check.str_matches(pattern, error=f"{what}")


_LO, _HI = (pd.Timestamp(d) for d in WINDOW)
_IN_WINDOW = pa.Check.in_range(_LO, _HI, error=f"date outside the campaign window {WINDOW[0]}..{WINDOW[1]}")
_NON_NEGATIVE = pa.Check.ge(0, error="must not be negative")
_NOT_BLANK = pa.Check(
    lambda s: s.map(lambda v: not isinstance(v, str) or screen.visible(v)).astype(bool),
    element_wise=False,
    error="must not be blank: it holds nothing a reader can see",
)


def _date(name: str, description: str, required: bool = True) -> Field:
    return Field(name, "date", required, description, (_IN_WINDOW,))


def _vocab_field(name: str, mapping: Mapping[str, str], what: str, description: str, required: bool = True) -> Field:
    return Field(name, "str", required, description, (_vocab(mapping, what),), vocabulary=mapping)


def _id(table: str, description: str) -> Field:
    example = ID_PATTERN[table][1] + "01"
    return Field(
        "id",
        "str",
        True,
        description,
        (_pattern(ID_PATTERN[table], f"id must look like {example} ({ID_PATTERN[table][1]} and two or more digits)"),),
        unique=True,
    )


def _ref(name: str, table: str, description: str, required: bool = True) -> Field:
    example = ID_PATTERN[table][1] + "01"
    return Field(name, "str", required, description, (_pattern(ID_PATTERN[table], f"{name} must look like {example}"),))


_PLACE_SLUG = _pattern(PLACE_ID_PATTERN, "place_id must be a lowercase ascii slug like gulang")
_BIB_KEY = _pattern(BIB_KEY_PATTERN, "not a BibTeX key (no spaces, commas or braces)")

_DATE_PRECISION = _vocab_field(
    "date_precision", DATE_PRECISION, "date_precision", "How exact the date is: day, approx, month."
)

_PROVENANCE = (
    Field("source", "str", True, "Bibliography key of the work the datum comes from.", (_BIB_KEY,)),
    Field(
        "pages",
        "str",
        True,
        'Locator: "579", "610-611", "part 2" (the article), "n.p." (unpaginated web).',
        (_NOT_BLANK,),
    ),
    Field(
        "note",
        "int",
        False,
        "The article's endnote number (1..30), if any.",
        (pa.Check.in_range(1, 30, error="note must be an endnote number 1..30"),),
    ),
    Field(
        "via",
        "str",
        False,
        "Bibliography key of the work through which the datum was read "
        "(the article, when it quotes another work); empty when read directly.",
        (_BIB_KEY,),
    ),
)

_QUOTE = Field("quote_zh", "str", False, "Verbatim Chinese from the article (checked against it).")
#: source and pages, the row's grade, then the article's note and the work read through
_GRADED_PROVENANCE = (
    *_PROVENANCE[:2],
    _vocab_field("confidence", CONFIDENCE, "confidence", "H, M or L."),
    *_PROVENANCE[2:],
)

FIELDS: dict[str, tuple[Field, ...]] = {
    "directives": (
        _id("directives", "Directive id, D01, D02, ..."),
        _date("date", "Date issued (ISO; a month-only date uses the 1st)."),
        _DATE_PRECISION,
        _vocab_field("issuer", ISSUER, "issuer", "Who issued it."),
        _vocab_field("recipient", RECIPIENT, "recipient", "To whom it was addressed."),
        _vocab_field("direction", DIRECTION, "direction", "Where it pointed the army."),
        _vocab_field(
            "kind",
            DIRECTIVE_KIND,
            "directive kind",
            "What it is on its face: order, question, approval, conclusion, advice, "
            "warning, or the army's own decision.",
        ),
        _QUOTE,
        Field("summary_en", "str", True, "English summary.", (_NOT_BLANK,)),
        *_PROVENANCE,
        Field(
            "confirmed_in",
            "str",
            False,
            "Second copies of the directive's wording: 'key:pages' items of references.bib, "
            "separated by '; ' (wra.record.codebook_check checks them); empty when none was found.",
        ),
    ),
    "actions": (
        _id("actions", "Action id, A01, A02, ..."),
        _date("date", "Date (start of a span)."),
        _DATE_PRECISION,
        _date("date_end", "Last day of a span; empty unless a span.", required=False),
        _vocab_field("actor", ACTOR, "actor", "Who acted."),
        _vocab_field("kind", KIND, "kind", "What sort of action."),
        Field("place_id", "str", False, "Where (a key of places.csv), if known.", (_PLACE_SLUG,)),
        _vocab_field("direction", DIRECTION, "direction", "Which way the action went."),
        _QUOTE,
        Field("summary_en", "str", True, "English summary.", (_NOT_BLANK,)),
        *_PROVENANCE,
        Field(
            "milestone",
            "str",
            False,
            "Short English label if the action is a turning point marked on the "
            "book's time axes (e.g. Gaotai); empty otherwise.",
        ),
    ),
    "assessments": (
        _ref("directive_id", "directives", "The directive (key of directives.csv)."),
        _ref(
            "action_id",
            "actions",
            "The action that answered it (key of actions.csv); empty only when not carried out.",
            required=False,
        ),
        _vocab_field("verdict", VERDICT, "verdict", "How the action answered the directive."),
        _vocab_field("rule", RULE, "rule", "The codebook rule that decides the verdict."),
        _ref(
            "superseded_by",
            "directives",
            "For rule superseded: the later directive that replaced this one.",
            required=False,
        ),
        Field("rationale_en", "str", True, "Why this verdict.", (_NOT_BLANK,)),
        *_PROVENANCE,
    ),
    "strength": (
        _id("strength", "Figure id, S01, S02, ..."),
        _date("date", "Date the figure refers to."),
        _DATE_PRECISION,
        _date("date_end", "Last day, when the figure covers a span.", required=False),
        _vocab_field("side", SIDE, "side", "red or ma."),
        _vocab_field("unit", UNIT, "unit", "Which unit."),
        _vocab_field("measure", MEASURE, "measure", "What is counted."),
        Field("low", "float", False, "Lower bound (men, or a share 0..1 for fraction).", (_NON_NEGATIVE,)),
        Field("high", "float", False, "Upper bound (men, or a share 0..1 for fraction).", (_NON_NEGATIVE,)),
        _vocab_field("qualifier", QUALIFIER, "qualifier", "How the source words the figure."),
        _ref("base_id", "strength", "For a fraction: the strength row it is a share of.", required=False),
        _QUOTE,
        Field("wording_zh", "str", False, "Chinese wording of an external source (unchecked)."),
        *_GRADED_PROVENANCE,
        Field("comment_en", "str", False, "Free English note."),
        _ref(
            "copy_of",
            "strength",
            "The row whose text this row's source repeats (a copy): the two count as one witness.",
            required=False,
        ),
        _ref(
            "engagement_id",
            "engagements",
            "The engagement the figure belongs to (engagements.csv), if it is one engagement's figure.",
            required=False,
        ),
        _vocab_field(
            "phase",
            PHASE,
            "phase",
            "For a strength figure of an engagement: before, during or after it.",
            required=False,
        ),
    ),
    "places": (
        Field("place_id", "str", True, "Lowercase ascii slug, e.g. gulang.", (_PLACE_SLUG,), unique=True),
        Field("name_zh", "str", True, "Chinese name.", (_NOT_BLANK,)),
        Field("name_pinyin", "str", True, "Pinyin with tone marks.", (_NOT_BLANK,)),
        Field("name_en", "str", True, "Plain English name, e.g. Gulang.", (_NOT_BLANK,)),
        Field("modern_name_zh", "str", False, "Modern Chinese name, if different."),
        Field(
            "lat",
            "float",
            True,
            "Latitude, WGS84 decimal degrees.",
            (pa.Check.in_range(30, 50, error="lat must be within 30..50 for this theatre"),),
        ),
        Field(
            "lon",
            "float",
            True,
            "Longitude, WGS84 decimal degrees.",
            (pa.Check.in_range(80, 110, error="lon must be within 80..110 for this theatre"),),
        ),
        _vocab_field("coord_precision", COORD_PRECISION, "coord_precision", "county_seat, town or estimate."),
        Field(
            "uncertainty_km",
            "float",
            True,
            "Radius of doubt in km.",
            (
                pa.Check.in_range(
                    0, MAX_UNCERTAINTY_KM, error=f"uncertainty_km must be within 0..{MAX_UNCERTAINTY_KM} km"
                ),
            ),
        ),
        Field("source", "str", True, "Bibliography key of the coordinates' source.", (_BIB_KEY,)),
        Field("pages", "str", True, "Locator in that source.", (_NOT_BLANK,)),
        Field("note_en", "str", False, "Free English note."),
    ),
    "glossary": (
        Field("term_zh", "str", True, "The name or term in Chinese characters.", (_NOT_BLANK,), unique=True),
        Field("pinyin", "str", True, "Pinyin with tone marks.", (_NOT_BLANK,)),
        Field("english", "str", True, "English name or translation.", (_NOT_BLANK,)),
        _vocab_field("kind", GLOSSARY_KIND, "kind", "person, organisation, unit or term."),
        Field("note_en", "str", True, "One English sentence on who or what it is.", (_NOT_BLANK,)),
        Field("source", "str", True, "Bibliography key of a work naming it.", (_BIB_KEY,)),
        Field("pages", "str", True, "Locator in that source.", (_NOT_BLANK,)),
    ),
    "positions": (
        _id("positions", "Position id, P01, P02, ..."),
        Field("holder_en", "str", True, "Who holds the position, in English.", (_NOT_BLANK,)),
        Field("holder_zh", "str", True, "Who holds it, in Chinese.", (_NOT_BLANK,)),
        Field(
            "year",
            "int",
            True,
            "Year the position was stated or published.",
            (pa.Check.in_range(1936, 2030, error="year must lie within 1936..2030"),),
        ),
        Field("when_en", "str", False, "The date as precisely as the sources give it, with caveats."),
        _vocab_field("camp", CAMP, "camp", "Which line of argument it belongs to."),
        Field(
            "claim_en",
            "str",
            True,
            "What it claims about why the army went west and was destroyed (our words).",
            (_NOT_BLANK,),
        ),
        Field("evidence_en", "str", True, "What the claim rests on (our words).", (_NOT_BLANK,)),
        Field(
            "excerpt_zh",
            "str",
            True,
            "Short verbatim excerpt (at most 80 characters) as retrieved in the research memo "
            "on the historiography; not from the article, so not checked against it.",
            (_NOT_BLANK, pa.Check.str_length(max_value=80, error="excerpt_zh must be at most 80 characters")),
        ),
        Field("excerpt_en", "str", True, "English gloss of the excerpt.", (_NOT_BLANK,)),
        *_PROVENANCE[:2],
        _vocab_field("grade", CONFIDENCE, "grade", "Grade of the text as it was read (H, M, L)."),
        _vocab_field(
            "document_grade",
            CONFIDENCE,
            "grade",
            "Grade of the underlying document, where it differs from the copy read.",
            required=False,
        ),
        Field("caveat_en", "str", False, "What is uncertain about the text or its attribution."),
    ),
    "readings": (
        _ref("position_id", "positions", "The position whose reading this is (positions.csv)."),
        _ref("directive_id", "directives", "The directive (key of directives.csv)."),
        _ref("action_id", "actions", "The action (key of actions.csv); the pair is an assessed pairing."),
        _vocab_field("rule", RULE, "rule", "The codebook rule under this position's reading."),
        _vocab_field("verdict", VERDICT, "verdict", "The verdict under this position's reading."),
        _ref(
            "superseded_by",
            "directives",
            "For rule superseded: the later directive that replaced this one.",
            required=False,
        ),
        Field("rationale_en", "str", True, "How the position reads the pairing, and why.", (_NOT_BLANK,)),
        *_PROVENANCE,
    ),
    "engagements": (
        _id("engagements", "Engagement id, E01, E02, ..."),
        Field("name_en", "str", True, "Short English name, e.g. Gulang.", (_NOT_BLANK,)),
        Field("name_zh", "str", True, "Chinese name, e.g. 古浪战斗.", (_NOT_BLANK,)),
        _date("date", "First day of the engagement."),
        _DATE_PRECISION,
        _date("date_end", "Last day, when it lasted more than a day.", required=False),
        Field("place_id", "str", False, "Where (a key of places.csv), if the place is in the record.", (_PLACE_SLUG,)),
        Field(
            "red_units",
            "str",
            True,
            "The Red units engaged, as unit codes of strength.csv separated by ';'.",
            (_NOT_BLANK,),
        ),
        Field(
            "ma_units_en", "str", True, "The Ma formations the source names, in English with Chinese.", (_NOT_BLANK,)
        ),
        Field(
            "action_ids",
            "str",
            False,
            "The rows of actions.csv that record it, separated by ';'.",
            (_pattern(r"^A[0-9]{2,}(?:;A[0-9]{2,})*$", "action_ids must look like A19 or A29;A30"),),
        ),
        Field("summary_en", "str", True, "What happened, in our words.", (_NOT_BLANK,)),
        *_PROVENANCE,
        Field("comment_en", "str", False, "Other datings, and what the record lacks for it."),
    ),
    "conditions": (
        _id("conditions", "Condition id, C01, C02, ..."),
        _date("date", "Date the evidence refers to."),
        _DATE_PRECISION,
        _date("date_end", "Last day, when it covers a span.", required=False),
        _vocab_field("topic", TOPIC, "topic", "What it is about."),
        _vocab_field("unit", UNIT, "unit", "The Red unit concerned, if the source names one.", required=False),
        Field("low", "float", False, "Lower bound of the number, if the source gives one.", (_NON_NEGATIVE,)),
        Field("high", "float", False, "Upper bound of the number, if the source gives one.", (_NON_NEGATIVE,)),
        _vocab_field(
            "qualifier", QUALIFIER, "qualifier", "How the source words the number (as strength.csv).", required=False
        ),
        Field("measure_en", "str", False, "What the number counts, e.g. rounds per rifle."),
        _QUOTE,
        Field(
            "excerpt_zh",
            "str",
            False,
            "Short verbatim excerpt of an external source, as retrieved (not from the article).",
        ),
        Field("summary_en", "str", True, "What the evidence says, in our words.", (_NOT_BLANK,)),
        *_GRADED_PROVENANCE,
        Field("comment_en", "str", False, "Free English note."),
    ),
    "windows": (
        _id("windows", "Window id, W01, W02, ..."),
        _date("date", "When the chance opened, as the source dates it."),
        _DATE_PRECISION,
        _date("date_end", "When it closed, if the source says.", required=False),
        _vocab_field("kind", WINDOW_KIND, "window kind", "turn_east or break_out."),
        _vocab_field("stance", STANCE, "stance", "chance: the source names it a chance; doubt: it doubts it."),
        Field("place_id", "str", False, "Where the army was (a key of places.csv).", (_PLACE_SLUG,)),
        _ref(
            "directive_id",
            "directives",
            "The order or decision the chance turned on (directives.csv), if one.",
            required=False,
        ),
        Field("named_by_en", "str", True, "Who names (or doubts) the chance.", (_NOT_BLANK,)),
        Field("claim_en", "str", True, "What the source says the chance was, in our words.", (_NOT_BLANK,)),
        _QUOTE,
        Field("excerpt_zh", "str", False, "Short verbatim excerpt of an external source, as retrieved."),
        *_GRADED_PROVENANCE,
        Field("comment_en", "str", False, "Free English note."),
    ),
    "causes": (
        _ref("position_id", "positions", "The position (positions.csv) that names the cause."),
        _vocab_field("cause", CAUSE, "cause", "The cause it names or denies."),
        _vocab_field("holds", HOLDS, "holds", "cause (the position names it) or denies."),
        Field("claim_en", "str", True, "What the position claims about this cause, in our words.", (_NOT_BLANK,)),
        Field(
            "record_en",
            "str",
            True,
            "Which of the record's tables can test the claim, and how.",
            (_NOT_BLANK,),
        ),
        Field("rationale_en", "str", True, "Where the position names the cause.", (_NOT_BLANK,)),
        *_PROVENANCE[:2],
    ),
}

#: required columns of each table, in contract order
COLUMNS: dict[str, tuple[str, ...]] = {t: tuple(f.name for f in fields) for t, fields in FIELDS.items()}

#: columns whose values must be unique within a table (beyond single ids)
UNIQUE_TOGETHER: dict[str, tuple[str, ...]] = {
    "assessments": ("directive_id", "action_id"),
    "readings": ("position_id", "directive_id", "action_id"),
    "causes": ("position_id", "cause"),
}

# --------------------------------------------------------------------------
# Row rules (several columns of one row)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class RowRule:
    """A rule about one row that involves several columns.

    ``test(frame)`` returns a boolean Series, True where the row is fine.
    ``message`` is reported against ``column``; it may use ``{name}`` fields,
    filled from the failing row (empty values print as "empty").
    """

    name: str
    column: str
    message: str
    test: Callable[[pd.DataFrame], pd.Series]


def _present(s: pd.Series) -> pd.Series:
    return s.notna()


def _b(s: pd.Series) -> pd.Series:
    """Boolean Series with missing values as False."""
    return s.astype("boolean").fillna(False).astype(bool)


def _month_first(d: pd.DataFrame) -> pd.Series:
    return ~_b((d["date_precision"] == "month") & (d["date"].dt.day != 1))


def _span(d: pd.DataFrame) -> pd.Series:
    return ~_b(d["date_end"] < d["date"])


def _note_via(d: pd.DataFrame) -> pd.Series:
    return ~(_present(d["note"]) & ~_present(d["via"]))


def _quote_from_article(d: pd.DataFrame) -> pd.Series:
    from_article = _present(d["via"]) | _b(d["pages"].str.match(ARTICLE_PART_PATTERN))
    return ~(_present(d["quote_zh"]) & ~from_article)


_COMMON = (
    RowRule(
        "month_first",
        "date",
        "date_precision is month, so the date must be the 1st of the month; got {date}",
        _month_first,
    ),
    RowRule(
        "note_needs_via",
        "via",
        "a row with an article endnote (note {note}) was read through the article: set via to the article's key",
        _note_via,
    ),
)
_QUOTE_RULE = RowRule(
    "quote_from_article",
    "quote_zh",
    "quote_zh is only for rows read from the article: set via to the article's key, "
    "or cite the article itself with pages 'part N'",
    _quote_from_article,
)
_SPAN = RowRule("span_order", "date_end", "date_end {date_end} is before date {date}", _span)


def _qualifier(
    q: str, want_low: bool | None, want_high: bool | None, equal: bool = False
) -> Callable[[pd.DataFrame], pd.Series]:
    def test(d: pd.DataFrame) -> pd.Series:
        ok = pd.Series(True, index=d.index)
        if want_low is not None:
            ok &= _present(d["low"]) == want_low
        if want_high is not None:
            ok &= _present(d["high"]) == want_high
        if equal:
            ok &= _b(d["low"] == d["high"])
        return ok | ~_b(d["qualifier"] == q)

    return test


def _plausible(side: str, measure: str, col: str, limit: int) -> RowRule:
    def test(d: pd.DataFrame) -> pd.Series:
        counts = (d["side"] == side) & (d["measure"] == measure) & (d["qualifier"] != "fraction")
        # (a negative figure is refused by the column's own check)
        return ~_b(counts & (((d[col] >= 0) & (d[col] < 1)) | (d[col] > limit)))

    return RowRule(
        f"plausible_{side}_{measure}_{col}",
        col,
        f"{col} {{{col}}} is outside the plausible range for {side} {measure} figures, "
        f"1..{limit:,} men (plausibility bounds in data/README.md)",
        test,
    )


_PLAUSIBLE = tuple(
    _plausible(side, measure, col, limit)
    for side, limits in PLAUSIBLE_MAX.items()
    for measure, limit in limits.items()
    for col in ("low", "high")
)


def _whole(col: str) -> Callable[[pd.DataFrame], pd.Series]:
    def test(d: pd.DataFrame) -> pd.Series:
        bad = _present(d[col]) & ~_b(d["qualifier"] == "fraction") & (d[col] % 1 != 0)
        return ~_b(bad)

    return test


def _fraction(col: str) -> Callable[[pd.DataFrame], pd.Series]:
    def test(d: pd.DataFrame) -> pd.Series:
        return ~_b((d["qualifier"] == "fraction") & (d[col] > 1))

    return test


_QUANTITY = (
    RowRule(
        "low_or_high",
        "low",
        "at least one of low and high must be given",
        lambda d: _present(d["low"]) | _present(d["high"]),
    ),
    RowRule("low_le_high", "high", "low {low} is greater than high {high}", lambda d: ~_b(d["low"] > d["high"])),
    RowRule(
        "qualifier_exact",
        "qualifier",
        "qualifier exact needs low = high, both filled; got low {low}, high {high}",
        _qualifier("exact", True, True, equal=True),
    ),
    RowRule(
        "qualifier_about",
        "qualifier",
        "qualifier about needs low = high = the figure; got low {low}, high {high}",
        _qualifier("about", True, True, equal=True),
    ),
    RowRule(
        "qualifier_more_than",
        "qualifier",
        "qualifier more_than needs low only (high empty); got low {low}, high {high}",
        _qualifier("more_than", True, False),
    ),
    RowRule(
        "qualifier_fewer_than",
        "qualifier",
        "qualifier fewer_than needs high only (low empty); got low {low}, high {high}",
        _qualifier("fewer_than", False, True),
    ),
    RowRule(
        "qualifier_range",
        "qualifier",
        "qualifier range needs both low and high; got low {low}, high {high}",
        _qualifier("range", True, True),
    ),
    RowRule("fraction_low", "low", "a fraction is a share within 0..1; got low {low}", _fraction("low")),
    RowRule("fraction_high", "high", "a fraction is a share within 0..1; got high {high}", _fraction("high")),
    RowRule("whole_low", "low", "a count of men must be a whole number; got low {low}", _whole("low")),
    RowRule("whole_high", "high", "a count of men must be a whole number; got high {high}", _whole("high")),
)


def _rule_gives_verdict(d: pd.DataFrame) -> pd.Series:
    expected = d["rule"].map(RULE_VERDICT)
    known = _b(d["rule"].isin(list(RULE_VERDICT))) & _b(d["verdict"].isin(list(VERDICT)))
    return ~(known & ~_b(d["verdict"] == expected))


_CODEBOOK_RULES = (
    RowRule(
        "rule_gives_verdict",
        "verdict",
        "verdict {verdict} does not follow from rule {rule}: each rule gives one verdict "
        "(see the codebook in data/README.md)",
        _rule_gives_verdict,
    ),
    RowRule(
        "superseded_needs_by",
        "superseded_by",
        "rule superseded needs superseded_by: the id of the later directive that replaced it",
        lambda d: ~(_b(d["rule"] == "superseded") & ~_present(d["superseded_by"])),
    ),
    RowRule(
        "by_only_when_superseded",
        "superseded_by",
        "superseded_by is only for rule superseded (rule is {rule})",
        lambda d: ~(_present(d["superseded_by"]) & ~_b(d["rule"] == "superseded")),
    ),
    RowRule(
        "superseded_by_not_self",
        "superseded_by",
        "superseded_by {superseded_by} is the directive itself",
        lambda d: ~_b(d["superseded_by"] == d["directive_id"]),
    ),
)


def _decision_is_army(d: pd.DataFrame) -> pd.Series:
    army = [k for k, g in ISSUER_GROUP.items() if g == "army"]
    known = _b(d["kind"].isin(list(DIRECTIVE_KIND))) & _b(d["issuer"].isin(list(ISSUER)))
    return ~(known & (_b(d["kind"] == "decision") != _b(d["issuer"].isin(army))))


RULES: dict[str, tuple[RowRule, ...]] = {
    "directives": (
        *_COMMON,
        _QUOTE_RULE,
        RowRule(
            "decision_is_army",
            "kind",
            "kind decision is for the army leadership's own decisions and theirs only "
            "(issuer wra_committee, chen_changhao or xu_xiangqian); got kind {kind}, "
            "issuer {issuer}",
            _decision_is_army,
        ),
    ),
    "actions": (*_COMMON, _SPAN, _QUOTE_RULE),
    "assessments": (
        _COMMON[1],
        RowRule(
            "action_needed",
            "action_id",
            "action_id may be empty only when verdict is not_carried_out (verdict is {verdict})",
            lambda d: ~(~_present(d["action_id"]) & ~_b(d["verdict"] == "not_carried_out")),
        ),
        *_CODEBOOK_RULES,
    ),
    "strength": (
        *_COMMON,
        _SPAN,
        _QUOTE_RULE,
        *_QUANTITY,
        RowRule(
            "base_for_fraction",
            "base_id",
            "base_id is only for qualifier fraction (qualifier is {qualifier})",
            lambda d: ~(_present(d["base_id"]) & ~_b(d["qualifier"] == "fraction")),
        ),
        RowRule(
            "base_not_self", "base_id", "base_id {base_id} is the row itself", lambda d: ~_b(d["base_id"] == d["id"])
        ),
        RowRule(
            "copy_not_self", "copy_of", "copy_of {copy_of} is the row itself", lambda d: ~_b(d["copy_of"] == d["id"])
        ),
        *_PLAUSIBLE,
        RowRule(
            "phase_needs_engagement",
            "phase",
            "phase is only for a figure linked to an engagement (engagement_id is empty)",
            lambda d: ~(_present(d["phase"]) & ~_present(d["engagement_id"])),
        ),
        RowRule(
            "phase_for_strength",
            "phase",
            "phase (before, during, after) is for strength figures; measure is {measure}",
            lambda d: ~(_present(d["phase"]) & ~_b(d["measure"] == "strength")),
        ),
        RowRule(
            "strength_needs_phase",
            "phase",
            "a strength figure linked to engagement {engagement_id} needs a phase: before, during or after",
            lambda d: ~(_present(d["engagement_id"]) & _b(d["measure"] == "strength") & ~_present(d["phase"])),
        ),
    ),
    "places": (),
    "glossary": (),
    "positions": (),
    "readings": (_COMMON[1], *_CODEBOOK_RULES),
    "engagements": (*_COMMON, _SPAN),
    "conditions": (
        *_COMMON,
        _SPAN,
        _QUOTE_RULE,
        RowRule(
            "number_needs_qualifier",
            "qualifier",
            "a number (low or high) needs its qualifier, and a qualifier its number",
            lambda d: (_present(d["low"]) | _present(d["high"])) == _present(d["qualifier"]),
        ),
        RowRule(
            "number_needs_measure",
            "measure_en",
            "a number needs measure_en: what it counts (rounds per rifle, degrees below zero, ...)",
            lambda d: ~((_present(d["low"]) | _present(d["high"])) & ~_present(d["measure_en"])),
        ),
        RowRule(
            "evidence_needed",
            "excerpt_zh",
            "a row without a number needs its evidence in words: quote_zh (the article) or excerpt_zh",
            lambda d: _present(d["low"]) | _present(d["high"]) | _present(d["quote_zh"]) | _present(d["excerpt_zh"]),
        ),
        *_QUANTITY[1:-2],
    ),
    "windows": (
        *_COMMON,
        _SPAN,
        _QUOTE_RULE,
        RowRule(
            "words_needed",
            "excerpt_zh",
            "a window needs the source's words: quote_zh (the article) or excerpt_zh",
            lambda d: _present(d["quote_zh"]) | _present(d["excerpt_zh"]),
        ),
    ),
    "causes": (),
}

# --------------------------------------------------------------------------
# Schemas
# --------------------------------------------------------------------------


def _rule_check(rule: RowRule) -> pa.Check:
    return pa.Check(rule.test, name=rule.name, error=rule.message)


def _column(field: Field) -> pa.Column:
    return pa.Column(
        field.dtype,
        checks=list(field.checks),
        nullable=not field.required,
        unique=field.unique,
        report_duplicates="exclude_first",
        coerce=False,
        required=True,
        description=field.description or None,
        title=field.name,
    )


def _schema(table: str) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {f.name: _column(f) for f in FIELDS[table]},
        checks=[_rule_check(r) for r in RULES[table]],
        unique=list(UNIQUE_TOGETHER[table]) if table in UNIQUE_TOGETHER else None,
        report_duplicates="exclude_first",
        strict=False,
        name=table,
    )


assert set(PLAUSIBLE_MAX) == set(SIDE) and all(set(m) == set(MEASURE) for m in PLAUSIBLE_MAX.values())
assert set(ISSUER_GROUP) == set(ISSUER) and set(ISSUER_GROUP.values()) == set(ISSUER_GROUPS)
assert set(RULE) == set(RULE_VERDICT) and set(RULE_VERDICT.values()) == set(VERDICT)
assert set(AUTHORITY_RANK) == set(ISSUER_GROUPS) and set(NOT_ORDER_KINDS) < set(DIRECTIVE_KIND)
assert set(FIELDS) == set(TABLES)

SCHEMAS: dict[str, pa.DataFrameSchema] = {t: _schema(t) for t in TABLES}

# --------------------------------------------------------------------------
# Parsing raw strings into typed columns
# --------------------------------------------------------------------------

_ISO_DATE = re.compile(ISO_DATE_PATTERN)
_NUMBER = re.compile(NUMBER_PATTERN)
_INTEGER = re.compile(INTEGER_PATTERN)


@dataclass(frozen=True)
class ParseFailure:
    """A cell whose text is not of its column's kind."""

    index: object  # the frame's index label of the row
    column: str
    value: str
    message: str


def _parse_cell(kind: str, text: str):
    """Return (value, error message or None) for one non-empty cell."""
    if kind == "date":
        if not _ISO_DATE.match(text):
            return None, f"not an ISO date YYYY-MM-DD: {text!r}"
        try:
            return _dt.date.fromisoformat(text), None
        except ValueError:
            return None, f"no such calendar date: {text!r}"
    if kind == "float":
        if not _NUMBER.match(text):
            return None, f"not a plain number (digits, optional decimal point): {text!r}"
        return float(text), None
    if kind == "int":
        if not _INTEGER.match(text):
            return None, f"not a whole number: {text!r}"
        return int(text), None
    return text, None


def parse(table: str, raw: pd.DataFrame) -> tuple[pd.DataFrame, list[ParseFailure]]:
    """Turn a frame of raw strings (missing = None/NA) into the typed frame.

    Columns of the contract get their declared dtype; other columns stay
    ``str``. Cells that cannot be parsed become missing and are returned as
    :class:`ParseFailure` records. The index is kept.
    """
    kinds = {f.name: f.kind for f in FIELDS[table]}
    failures: list[ParseFailure] = []
    out = {}
    for col in raw.columns:
        kind = kinds.get(col, "str")
        values = []
        for idx, cell in raw[col].items():
            if cell is None or (not isinstance(cell, str) and pd.isna(cell)):
                values.append(None)
                continue
            value, err = _parse_cell(kind, cell)
            if err:
                failures.append(ParseFailure(idx, col, cell, err))
            values.append(value)
        if kind == "date":
            text = [v.isoformat() if v is not None else None for v in values]
            series = pd.Series(
                pd.to_datetime(pd.Series(text, dtype=object), format="%Y-%m-%d").astype("datetime64[ns]").to_numpy(),
                index=raw.index,
            )
        elif kind == "float":
            series = pd.Series(values, index=raw.index, dtype="float64")
        elif kind == "int":
            series = pd.Series(pd.array(values, dtype="Int64"), index=raw.index)
        else:
            series = pd.Series(pd.array(values, dtype="str"), index=raw.index)
        out[col] = series
    return pd.DataFrame(out, index=raw.index), failures
