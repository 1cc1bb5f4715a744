"""Troop strength with its uncertainty: bounds, wording, losses, guide lines.

A row of ``data/strength.csv`` is one figure as one source states it. The
source's wording fixes what the figure can mean (see ``qualifier`` in the
data contract):

=============  =====================  ==================  =================
qualifier      example                bounds (low, high)  :func:`describe`
=============  =====================  ==================  =================
``exact``      903 (roll call)        (903, 903)          "903"
``about``      约三千                 (3000, 3000)        "about 3,000"
``more_than``  一万八千余             (18000, None)       "at least 18,000"
``fewer_than`` 不到一万               (None, 10000)       "fewer than 10,000"
``range``      八九千                 (8000, 9000)        "between 8,000 and 9,000"
``fraction``   近半 (a share)         (None, 0.5)         "nearly half"
=============  =====================  ==================  =================

We read 余/多 as "at least" (the figure itself is a safe lower bound) and
不到/不足 as "fewer than" (a strict upper bound).

Everything here works row by row or on small frames and never averages two
sources: disputed figures stay separate rows, drawn side by side
(:func:`offsets`). Lines between figures are guides to the eye, always
labelled so: :func:`guide_line` joins point figures (or, when asked, the
stated numbers of one-sided figures, never ranges), choosing one figure per
date rather than a mean; :func:`headline_guide` joins the headline figures;
:func:`conflicts` lists the figures a guide contradicts.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

__all__ = [
    "CONFIDENCE_ALPHA",
    "GUIDE_LABEL",
    "KINDS",
    "Bounds",
    "best",
    "bounds",
    "chapter_numbers",
    "conflicts",
    "describe",
    "describe_share",
    "disputed",
    "face_value",
    "fraction_lost",
    "guide_at",
    "guide_line",
    "headline",
    "headline_guide",
    "headline_picks",
    "men_lost",
    "named_span",
    "offsets",
    "point_in_time",
    "select",
    "text_or_empty",
    "total_path",
]

#: the kinds of :class:`Bounds`, in the order legends list them
KINDS = ("exact", "about", "range", "lower", "upper")

_KIND_BY_QUALIFIER = {
    "exact": "exact",
    "about": "about",
    "more_than": "lower",
    "fewer_than": "upper",
    "range": "range",
}

#: marker opacity by confidence (H telegram/official, M article/memoir, L popular)
CONFIDENCE_ALPHA = {"H": 1.0, "M": 0.6, "L": 0.3}
_CONFIDENCE_RANK = {"H": 0, "M": 1, "L": 2}

#: how every chart and caption names the line drawn between figures
GUIDE_LABEL = "guide to the eye (joins the headline figures' stated numbers; not data)"


# --------------------------------------------------------------------------
# Bounds
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Bounds:
    """What a figure allows: ``low <= value <= high`` (``None`` = no bound).

    ``kind`` is one of :data:`KINDS` (or ``"unknown"`` for a derived quantity
    the figures cannot bound). ``strict_low``/``strict_high`` mark a bound the
    value cannot equal (不到一万: fewer than 10,000). ``share`` is true for a
    share 0..1 rather than a number of men.

    Unpacks as the triple ``low, high, kind = bounds(row)``.
    """

    low: float | None
    high: float | None
    kind: str
    strict_low: bool = False
    strict_high: bool = False
    share: bool = False

    def __iter__(self) -> Iterator:
        return iter((self.low, self.high, self.kind))

    @property
    def point(self) -> float | None:
        """The figure itself for an exact or about figure, else ``None``."""
        return self.low if self.kind in ("exact", "about") else None


def _num(value) -> float | None:
    if value is None or value is pd.NA:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def text_or_empty(value) -> str:
    """A cell as text: missing (None, NA, NaN) becomes ""."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def bounds(row: Mapping | Bounds) -> Bounds:
    """The :class:`Bounds` a strength row's ``low``, ``high`` and ``qualifier`` allow.

    Raises ``ValueError`` when the numbers do not fit the qualifier (the data
    check enforces the same rules; this guards hand-made frames).
    """
    if isinstance(row, Bounds):
        return row
    low, high = _num(row.get("low")), _num(row.get("high"))
    qualifier = text_or_empty(row.get("qualifier"))
    ident = text_or_empty(row.get("id")) or "row"
    if low is None and high is None:
        raise ValueError(f"{ident}: neither low nor high is given")
    if low is not None and high is not None and low > high:
        raise ValueError(f"{ident}: low {low} > high {high}")
    if qualifier == "fraction":
        if low is not None and high is not None:
            kind = "about" if low == high else "range"
        else:
            kind = "lower" if high is None else "upper"
        return Bounds(low, high, kind, strict_high=kind == "upper", share=True)
    if qualifier not in _KIND_BY_QUALIFIER:
        raise ValueError(f"{ident}: unknown qualifier {qualifier!r}")
    kind = _KIND_BY_QUALIFIER[qualifier]
    want = {
        "exact": (True, True),
        "about": (True, True),
        "range": (True, True),
        "lower": (True, False),
        "upper": (False, True),
    }[kind]
    if (low is not None, high is not None) != want:
        raise ValueError(f"{ident}: qualifier {qualifier} does not fit low={low}, high={high}")
    if kind in ("exact", "about") and low != high:
        raise ValueError(f"{ident}: qualifier {qualifier} needs low = high")
    return Bounds(low, high, kind, strict_high=kind == "upper")


# --------------------------------------------------------------------------
# Words
# --------------------------------------------------------------------------

_SHARE_WORDS = {
    Fraction(1, 1): "all",
    Fraction(3, 4): "three quarters",
    Fraction(2, 3): "two thirds",
    Fraction(1, 2): "half",
    Fraction(1, 3): "a third",
    Fraction(1, 4): "a quarter",
}


def _count(value: float) -> str:
    return f"{value:,.0f}"


def _share_word(value: float) -> str:
    """ "half", "a third" ... for the shares sources use (0.333 is a third), else a percentage."""
    for frac, word in _SHARE_WORDS.items():
        if abs(value - float(frac)) < 0.005:
            return word
    return f"{value:.0%}"


def _pct(value: float, rounding: str) -> str:
    """A share as a whole percentage, rounded so the bound stays true."""
    scaled = value * 100
    if rounding == "down":
        scaled = math.floor(scaled + 1e-9)
    elif rounding == "up":
        scaled = math.ceil(scaled - 1e-9)
    else:
        scaled = round(scaled)
    return f"{scaled:.0f}%"


def describe(row: Mapping | Bounds) -> str:
    """An English phrase that says what the figure says and no more.

    "903", "about 3,000", "at least 18,000", "fewer than 10,000",
    "between 8,000 and 9,000"; for a share of another figure (qualifier
    ``fraction``) "nearly half" (the wording has 近), "less than half",
    "more than a third", "between a third and a half". A derived share
    (e.g. from :func:`fraction_lost`) is worded by :func:`describe_share`.
    """
    b = bounds(row)
    if b.share:
        if not isinstance(row, Bounds):
            return _describe_fraction_row(b, row)
        return describe_share(b)
    low, high = b.low, b.high
    if b.kind == "exact":
        return _count(low)
    if b.kind == "about":
        return f"about {_count(low)}"
    if b.kind == "range":
        return f"between {_count(low)} and {_count(high)}"
    if b.kind == "lower":
        return f"{'more than' if b.strict_low else 'at least'} {_count(low)}"
    if b.kind == "upper":
        return f"{'fewer than' if b.strict_high else 'at most'} {_count(high)}"
    return "not bounded by these figures"


def _describe_fraction_row(b: Bounds, row: Mapping) -> str:
    wording = text_or_empty(row.get("quote_zh")) + text_or_empty(row.get("wording_zh"))
    if b.kind == "upper":
        prefix = "nearly" if "近" in wording else "less than"
        return f"{prefix} {_share_word(b.high)}"
    if b.kind == "lower":
        return f"more than {_share_word(b.low)}"
    if b.kind == "about":
        word = _share_word(b.low)
        return word if word == "all" else f"about {word}"

    def article(value: float) -> str:
        word = _share_word(value)
        return "a half" if word == "half" else word

    return f"between {article(b.low)} and {article(b.high)}"


def describe_share(b: Bounds) -> str:
    """Words for a derived share, in whole percent rounded to keep the bound true.

    A lower bound rounds down ("more than 44%" for 0.4444), an upper bound up.
    """
    if b.kind == "unknown" or (b.low is None and b.high is None):
        return "not bounded by these figures"
    if b.kind in ("exact", "about"):
        text = _pct(b.low, "nearest")
        return text if b.kind == "exact" else f"about {text}"
    if b.kind == "range":
        return f"between {_pct(b.low, 'down')} and {_pct(b.high, 'up')}"
    if b.kind == "lower":
        return f"{'more than' if b.strict_low else 'at least'} {_pct(b.low, 'down')}"
    return f"{'less than' if b.strict_high else 'at most'} {_pct(b.high, 'up')}"


# --------------------------------------------------------------------------
# Losses between two figures
# --------------------------------------------------------------------------


def _combine(low, high, strict_low, strict_high, s: Bounds, e: Bounds, share: bool) -> Bounds:
    if low is None and high is None:
        return Bounds(None, None, "unknown", share=share)
    if low is not None and high is not None:
        if s.point is not None and e.point is not None:
            kind = "exact" if s.kind == e.kind == "exact" else "about"
            return Bounds(low, low, kind, share=share)
        return Bounds(low, high, "range", strict_low, strict_high, share)
    if low is not None:
        return Bounds(low, None, "lower", strict_low=strict_low, share=share)
    return Bounds(None, high, "upper", strict_high=strict_high, share=share)


def _counts(start, end) -> tuple[Bounds, Bounds]:
    s, e = bounds(start), bounds(end)
    if s.share or e.share:
        raise ValueError("losses are computed between numbers of men, not shares")
    return s, e


def fraction_lost(start: Mapping | Bounds, end: Mapping | Bounds) -> Bounds:
    """The share of ``start`` no longer there at ``end``, as far as the bounds allow.

    With the start ``S`` in ``[s.low, s.high]`` and the end ``E`` in
    ``[e.low, e.high]``, the share lost ``1 - E/S`` is

    * at least ``1 - e.high / s.low`` (the *conservative* figure: the
      smallest loss the two figures allow), defined only when the end has an
      upper bound and the start a lower one;
    * at most ``1 - e.low / s.high``, defined only when the end has a lower
      bound and the start an upper one.

    Example: from "at least 18,000" to "fewer than 10,000" the share lost is
    *more than* ``1 - 10000/18000`` (44.4%), with no upper bound (returned as
    kind ``lower``, ``strict_low`` true because 不到 is strict). Two point
    figures give a point (``exact`` only if both are exact, else ``about``).
    When neither bound exists (e.g. both figures are lower bounds) the kind is
    ``unknown``: the figures alone cannot say how much was lost. A lower
    bound of zero or less, or an upper bound of one, says nothing and is
    dropped.
    """
    s, e = _counts(start, end)
    low = high = None
    strict_low = strict_high = False
    if e.high is not None and s.low:
        low = 1 - e.high / s.low
        strict_low = e.strict_high or s.strict_low
        if low <= 0 and not (s.point is not None and e.point is not None):
            low = None
    if e.low is not None and s.high:
        high = 1 - e.low / s.high
        strict_high = e.strict_low or s.strict_high
        if high >= 1:
            high = None
    return _combine(low, high, strict_low, strict_high, s, e, share=True)


def men_lost(start: Mapping | Bounds, end: Mapping | Bounds) -> Bounds:
    """The number of men no longer there at ``end``: at least ``s.low - e.high``,
    at most ``s.high - e.low`` (each only when both ends exist)."""
    s, e = _counts(start, end)
    low = high = None
    strict_low = strict_high = False
    if e.high is not None and s.low is not None:
        low = s.low - e.high
        strict_low = e.strict_high or s.strict_low
        if low <= 0 and not (s.point is not None and e.point is not None):
            low = None
    if e.low is not None and s.high is not None:
        high = s.high - e.low
        strict_high = e.strict_low or s.strict_high
    return _combine(low, high, strict_low, strict_high, s, e, share=False)


# --------------------------------------------------------------------------
# Frames
# --------------------------------------------------------------------------


def select(strength: pd.DataFrame, *, side=None, units=None, measures=None) -> pd.DataFrame:
    """Rows of ``strength`` by side, unit(s) and measure(s) (``None`` = any)."""
    keep = pd.Series(True, index=strength.index)
    if side is not None:
        keep &= strength["side"] == side
    if units is not None:
        keep &= strength["unit"].isin([units] if isinstance(units, str) else list(units))
    if measures is not None:
        keep &= strength["measure"].isin([measures] if isinstance(measures, str) else list(measures))
    return strength[keep]


def total_path(strength: pd.DataFrame) -> pd.DataFrame:
    """The army's figures end to end: the WRA's strength, then the Left
    Detachment's strength and arrivals (what was left of the army as a body
    after the split at Shiwo 石窝), sorted by date."""
    wra = select(strength, side="red", units="wra", measures="strength")
    left = select(strength, side="red", units="left_detachment", measures=("strength", "reached"))
    out = pd.concat([wra, left])
    return out.sort_values(["date", "unit", "id"], kind="stable")


#: a figure whose date_end lies further than this after its date covers a span
#: (e.g. "killed over the whole campaign") and is not drawn at a point in time
SPAN_LIMIT_DAYS = 45


def point_in_time(frame: pd.DataFrame, limit_days: int = SPAN_LIMIT_DAYS) -> pd.Series:
    """True for a figure that belongs at its date on a time axis: no ``date_end``,
    or one at most ``limit_days`` after ``date``."""
    if "date_end" not in frame.columns:
        return pd.Series(True, index=frame.index)
    span = frame["date_end"] - frame["date"]
    return frame["date_end"].isna() | (span <= pd.Timedelta(days=limit_days))


def disputed(frame: pd.DataFrame, keys=("unit", "measure", "date")) -> pd.Series:
    """True for a row that shares unit, measure and date with a row from another source."""
    sources = frame.groupby(list(keys), dropna=False)["source"].transform("nunique")
    return sources > 1


def offsets(frame: pd.DataFrame, step_days: float = 3.0, keys=("unit", "measure", "date")) -> pd.Series:
    """Horizontal offsets (``Timedelta``) that set figures sharing ``keys``
    (by default: unit, measure and date) side by side, ordered by unit, source
    and id and centred on the date; a lone figure gets zero."""
    out = pd.Series(pd.Timedelta(0), index=frame.index)
    if frame.empty:
        return out
    for _, group in frame.groupby(list(keys), dropna=False, sort=False):
        if len(group) < 2:
            continue
        ordered = group.sort_values(["unit", "source", "id"], kind="stable")
        n = len(ordered)
        for i, idx in enumerate(ordered.index):
            out[idx] = pd.Timedelta(days=(i - (n - 1) / 2) * step_days)
    return out


def face_value(row: Mapping | Bounds) -> float | None:
    """The number a figure states: the figure itself (exact, about), its bound
    (18,000 for 一万八千余, 10,000 for 不到一万), or ``None`` for a range."""
    b = bounds(row)
    if b.kind in ("exact", "about", "lower"):
        return b.low
    if b.kind == "upper":
        return b.high
    return None


POINT_KINDS = ("exact", "about")


def guide_line(frame: pd.DataFrame, min_confidence: str = "M", kinds=POINT_KINDS) -> pd.DataFrame:
    """Points for a line *to guide the eye*: never data, never a computed value.

    By default built only from point figures (exact or about) with confidence
    ``min_confidence`` or better; ``kinds`` may admit one-sided figures, whose
    stated number (:func:`face_value`) is then used, but never a range. Where
    several figures share a date the line passes through one of them, not
    their mean: the most confident, and among equally confident ones the
    lower median. Columns: date, value, id (the row a point comes from),
    sorted by date.
    """
    cols = ["date", "value", "id"]
    if frame.empty:
        return pd.DataFrame(columns=cols)
    limit = _CONFIDENCE_RANK[min_confidence]
    kind = pd.Series([bounds(r).kind for _, r in frame.iterrows()], index=frame.index)
    rank = frame["confidence"].map(_CONFIDENCE_RANK)
    points = frame[kind.isin([k for k in kinds if k != "range"]) & (rank <= limit)].copy()
    if points.empty:
        return pd.DataFrame(columns=cols)
    points["_rank"] = points["confidence"].map(_CONFIDENCE_RANK)
    points["_value"] = [face_value(r) for _, r in points.iterrows()]
    rows = []
    for date, group in points.groupby("date", sort=True):
        top = group[group["_rank"] == group["_rank"].min()].sort_values(["_value", "id"], kind="stable")
        pick = top.iloc[(len(top) - 1) // 2]
        rows.append({"date": date, "value": float(pick["_value"]), "id": pick["id"]})
    return pd.DataFrame(rows, columns=cols).reset_index(drop=True)


def guide_at(guide: pd.DataFrame, dates) -> pd.Series:
    """Where the guide line is drawn at ``dates`` (straight on a log scale
    between its points; NaN outside its span). For checking the guide against
    the figures only: these values are not data."""
    dates = pd.Series(pd.to_datetime(dates))
    if len(guide) < 2:
        return pd.Series(float("nan"), index=dates.index)
    x = guide["date"].astype("int64").to_numpy(dtype=float)
    y = np.log(guide["value"].to_numpy(dtype=float))
    at = dates.astype("int64").to_numpy(dtype=float)
    out = np.exp(np.interp(at, x, y))
    out[(at < x[0]) | (at > x[-1])] = np.nan
    return pd.Series(out, index=dates.index)


def conflicts(guide: pd.DataFrame, rows: pd.DataFrame, min_confidence: str = "M") -> pd.DataFrame:
    """The figures (range or one-sided, confidence ``min_confidence`` or
    better) whose bounds exclude where the guide line runs at their date.

    A guide through point figures can contradict what another figure allows
    (e.g. pass below an "at least"); this lists such figures, with the
    column ``guide`` (the line's height at that date). The figures the guide
    is drawn through are not checked against it, and a guide that touches a
    bound does not contradict it."""
    limit = _CONFIDENCE_RANK[min_confidence]
    rows = rows[rows["confidence"].map(_CONFIDENCE_RANK) <= limit]
    if rows.empty or len(guide) < 2:  # no line drawn: nothing it contradicts
        return rows.iloc[0:0].assign(guide=pd.Series(dtype=float))
    at = guide_at(guide, rows["date"]).to_numpy()
    bad = []
    for (idx, row), g in zip(rows.iterrows(), at):
        b = bounds(row)
        if b.kind in POINT_KINDS or np.isnan(g) or row["id"] in set(guide["id"]):
            continue
        # touching a bound (to rounding) is not contradicting it
        too_low = b.low is not None and g < b.low and not math.isclose(g, b.low, rel_tol=1e-9)
        too_high = b.high is not None and g > b.high and not math.isclose(g, b.high, rel_tol=1e-9)
        if too_low or too_high:
            bad.append((idx, g))
    out = rows.loc[[i for i, _ in bad]].copy()
    out["guide"] = [g for _, g in bad]
    return out


_KIND_ORDER = {k: i for i, k in enumerate(KINDS)}


def independent(rows: pd.DataFrame) -> pd.Series:
    """True for a row that is not a copy of another row among ``rows`` (``copy_of``).

    Copies are not independent witnesses: wherever the book counts how many
    sources agree, a text and its copy count once. Frames without a
    ``copy_of`` column have no copies.
    """
    if "copy_of" not in rows.columns:
        return pd.Series(True, index=rows.index)
    copies = rows["copy_of"].astype("string").fillna("")
    return ~(copies.ne("") & copies.isin(set(rows["id"].astype(str))))


def best(rows: pd.DataFrame) -> pd.Series:
    """One representative row, chosen by rule (never an average): the most
    confident; then the figure the most independent sources state alike
    (same qualifier, low and high; a copy counts with its original, once);
    then exact before about before ranges and bounds; then the lowest id."""
    if rows.empty:
        raise ValueError("no rows to choose from")
    key = pd.Series(
        [(str(q), _num(lo), _num(hi)) for q, lo, hi in zip(rows["qualifier"], rows["low"], rows["high"])],
        index=rows.index,
    )
    support = key[independent(rows)].value_counts()
    ranked = rows.assign(
        _rank=rows["confidence"].map(_CONFIDENCE_RANK),
        _support=-key.map(support).fillna(0),
        _kind=[_KIND_ORDER.get(bounds(r).kind, 9) for _, r in rows.iterrows()],
    )
    pick = ranked.sort_values(["_rank", "_support", "_kind", "id"], kind="stable").iloc[0]
    return pick.drop(["_rank", "_support", "_kind"])


def _has_quote(frame: pd.DataFrame) -> pd.Series:
    return frame["quote_zh"].fillna("").astype(str).str.strip() != ""


def headline(strength: pd.DataFrame, split_date=None) -> dict[str, pd.DataFrame]:
    """The headline path of the whole army, selected by rule from the data.

    * ``crossing``: the earliest-dated figures for the WRA's strength;
    * ``article``: the WRA strength figures the article itself states (rows
      with a ``quote_zh``), by date; for this article 一万八千余 and 不到一万;
    * ``split`` (only with ``split_date``): the WRA strength figures dated
      on the day the army split into detachments;
    * ``arrival``: every figure for the Left Detachment's men reaching
      Xinjiang (measure ``reached``), one per source.

    Each value is a frame of rows (possibly several sources); see
    :func:`headline_picks` for one row per step.
    """
    wra = select(strength, side="red", units="wra", measures="strength").sort_values(["date", "id"])
    arrival = select(strength, side="red", units="left_detachment", measures="reached")
    crossing = wra[wra["date"] == wra["date"].min()] if not wra.empty else wra
    out = {"crossing": crossing, "article": wra[_has_quote(wra)]}
    if split_date is not None:
        out["split"] = wra[wra["date"] == pd.Timestamp(split_date)]
    out["arrival"] = arrival.sort_values(["date", "id"])
    return out


def headline_picks(strength: pd.DataFrame, split_date=None) -> pd.DataFrame:
    """One row per headline step, by date, with a ``step`` column (crossing,
    article, split, arrival): :func:`best` of the crossing figures, each of
    the article's figures, :func:`best` of the figures at the split, and
    :func:`best` of the arrival figures (the same rule as every other step: a
    popular page's exact count does not outrank a better-graded bound)."""
    head = headline(strength, split_date)
    picks = []
    if not head["crossing"].empty:
        picks.append(best(head["crossing"]).to_frame().T.assign(step="crossing"))
    if not head["article"].empty:
        picks.append(head["article"].assign(step="article"))
    if not head.get("split", pd.DataFrame()).empty:
        picks.append(best(head["split"]).to_frame().T.assign(step="split"))
    arrival = head["arrival"]
    if not arrival.empty:
        picks.append(best(arrival).to_frame().T.assign(step="arrival"))
    if not picks:
        return pd.DataFrame(columns=[*strength.columns, "step"])
    out = pd.concat(picks, ignore_index=True)
    out = out.astype({c: strength[c].dtype for c in strength.columns})
    return out.sort_values("date", kind="stable").reset_index(drop=True)


def headline_guide(strength: pd.DataFrame, split_date=None) -> pd.DataFrame:
    """The guide to the eye for the whole army: joins the stated numbers
    (:func:`face_value`) of the headline figures, in date order."""
    return guide_line(headline_picks(strength, split_date), min_confidence="L", kinds=KINDS)


def named_span(rows: pd.DataFrame) -> tuple[float, float]:
    """The smallest and largest numbers the rows name (their lows and highs).

    This is the spread of what the sources say, not a bound on the truth:
    "sources give figures from 300 to 500"."""
    values = pd.concat([rows["low"], rows["high"]]).dropna()
    if values.empty:
        raise ValueError("no figures in these rows")
    return float(values.min()), float(values.max())


def _same_figure(rows: pd.DataFrame, row: Mapping) -> pd.Series:
    """Rows stating the same figure as ``row`` (same qualifier, low and high)."""
    key = (str(row["qualifier"]), _num(row["low"]), _num(row["high"]))
    return pd.Series(
        [(str(q), _num(lo), _num(hi)) == key for q, lo, hi in zip(rows["qualifier"], rows["low"], rows["high"])],
        index=rows.index,
    )


def _span_text(lo: float, hi: float) -> str:
    return f"{lo:,.0f}" if lo == hi else f"{lo:,.0f} to {hi:,.0f}"


#: how an end of a span is worded, by the qualifier of the row that names it
_LOW_END = {
    "fewer_than": "fewer than {n}",
    "about": "about {n}",
    "exact": "{n}",
    "range": "{n}",
    "more_than": "at least {n}",
}
_HIGH_END = {
    "more_than": "at least {n}",
    "exact": "{n}",
    "about": "about {n}",
    "range": "{n}",
    "fewer_than": "fewer than {n}",
}


def span_words(rows: pd.DataFrame) -> str:
    """The spread of what ``rows`` say, each end in the words of a source that names it.

    The low end is the smallest number any row names; of the rows naming it,
    the one that says least is worded ("fewer than", then "about", exact, a
    range's end, "at least"). The high end is the largest number named; of
    the rows naming it, the one that says most ("at least" first). So
    二千多 … 3000多 reads "from at least 2,000 to at least 3,000", never
    "2,000 to 3,000", which would cap what the sources say.
    """
    lo, hi = named_span(rows)
    if lo == hi and len(rows) == 1:
        return describe(rows.iloc[0])

    def end(value, order):
        named = rows[(rows["low"] == value) | (rows["high"] == value)]
        qualifiers = [q for q in order if q in set(named["qualifier"])]
        return order[qualifiers[0]].format(n=_count(value))

    return f"from {end(lo, _LOW_END)} to {end(hi, _HIGH_END)}"


#: vague wordings the data dictionary codes as a range ("how wording becomes numbers"), with a gloss
CODED_WORDS = {"数百": "several hundred", "数千": "several thousand"}


def coded_word(row) -> str | None:
    """The vague word a row's figure was coded from (数百 -> 200-900), or None when a source gives it."""
    if row.get("qualifier") != "range":
        return None
    text = f"{text_or_empty(row.get('quote_zh'))}{text_or_empty(row.get('wording_zh'))}"
    return next((w for w in CODED_WORDS if w in text), None)


def coded_ends(rows: pd.DataFrame) -> str:
    """What an end of :func:`span_words` owes to the book's coding rather than to a source: "the 200
    and the 900 are the book's coding of 数百 ('several hundred', S122), not figures a source gives";
    empty when every end is a figure some source gives."""
    lo, hi = named_span(rows)
    notes = []
    for value in dict.fromkeys((lo, hi)):
        if value is None:
            continue
        named = rows[(rows["low"] == value) | (rows["high"] == value)]
        words = [coded_word(r) for _, r in named.iterrows()]
        if named.empty or not all(words):
            continue
        notes.append((value, words[0], ", ".join(named["id"])))
    if not notes:
        return ""
    values = " and the ".join(_count(v) for v, _, _ in notes)
    word, ids = notes[0][1], notes[0][2]
    noun = "figures" if len(notes) > 1 else "a figure"
    verb = "are" if len(notes) > 1 else "is"
    return f"the {values} {verb} the book's coding of {word} ('{CODED_WORDS[word]}', {ids}), not {noun} a source gives"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _first_clause(text) -> str:
    text = text_or_empty(text).strip()
    for sep in (";", ". "):
        text = text.split(sep)[0]
    return text.rstrip(".")


#: other figures within this many days of one of the article's figures count as its witnesses
WITNESS_DAYS = 15


def _figure_list(rows: pd.DataFrame) -> str:
    """``about 14,000 (graded L), at least 10,000 (graded M)``: figures in their words, by date."""
    return ", ".join(
        f"{describe(r)} (graded {r['confidence']})" for _, r in rows.sort_values(["date", "id"]).iterrows()
    )


def finding(strength: pd.DataFrame, split_date=None) -> str:
    """The strength chapter's answer in one sentence, in the sources' own words.

    "Of at least 21,800 who crossed the Yellow River, at least 400 reached
    Xinjiang": the best crossing figure and the best-graded arrival figure
    (:func:`headline_picks`), each worded by :func:`describe`, so a lower
    bound stays "at least". The charts' titles and the captions say it.
    """
    picks = headline_picks(strength, split_date).set_index("step", drop=False)
    if "crossing" not in picks.index or "arrival" not in picks.index:
        raise ValueError("no crossing or no arrival figure: the strength record has no headline path")
    crossing, arrival = picks.loc["crossing"], picks.loc["arrival"]
    return f"Of {describe(crossing)} who crossed the Yellow River, {describe(arrival)} reached Xinjiang"


def finding_note(strength: pd.DataFrame) -> str:
    """What qualifies :func:`finding`: the spread of every arrival figure,
    "arrival figures run from 200 to 900"."""
    return f"arrival figures run {span_words(headline(strength)['arrival'])}"


ARMIES = ("fifth_army", "ninth_army", "thirtieth_army")
_ORDINAL = {"fifth_army": "5th", "ninth_army": "9th", "thirtieth_army": "30th"}


def falls(strength: pd.DataFrame, units=ARMIES) -> list[tuple[str, pd.Series, pd.Series]]:
    """(unit, first, last) for each unit whose strength firmly fell: the
    :func:`best` figure of its first date and of its last date, where the
    last one's upper bound lies below the first one's lower bound (so the
    fall holds whatever the true numbers within the bounds)."""
    out = []
    for unit in units:
        rows = select(strength, side="red", units=unit, measures="strength")
        rows = rows[point_in_time(rows)]
        if rows["date"].nunique() < 2:
            continue
        first = best(rows[rows["date"] == rows["date"].min()])
        last = best(rows[rows["date"] == rows["date"].max()])
        start, end = bounds(first), bounds(last)
        if start.low is not None and end.high is not None and end.high < start.low:
            out.append((unit, first, last))
    return out


def units_finding(strength: pd.DataFrame) -> str:
    """The per-army chart's answer: "The 9th Army fell from at least 6,500 to
    fewer than 1,000 men, the 30th from about 7,000 to about 2,000" (each
    figure in its source's words, by :func:`falls`)."""
    found = falls(strength)
    if not found:
        return "No army's figures show a firm fall"
    parts = [
        f"the {_ORDINAL.get(unit, unit)}{' Army' if i == 0 else ''} "
        f"from {describe(first)} to {describe(last)}{' men' if i == 0 else ''}"
        for i, (unit, first, last) in enumerate(found)
    ]
    head = parts[0].replace(" from ", " fell from ", 1)
    return (head[0].upper() + head[1:] + "".join(f", {p}" for p in parts[1:])).strip()


def chapter_numbers(strength: pd.DataFrame, split_date=None) -> dict[str, object]:
    """Every number and figure the troop-strength chapter states, from the data.

    Keys start with ``str_``; values are ints or English phrases built by
    :func:`describe`/:func:`describe_share`, so prose glued from them keeps
    each figure's bounds. Losses between steps of the headline path use
    :func:`fraction_lost` (the smallest loss the two figures allow).
    """
    out: dict[str, object] = {}
    kinds = pd.Series(
        [
            "share" if q == "fraction" else bounds(r).kind
            for q, (_, r) in zip(strength["qualifier"], strength.iterrows())
        ],
        index=strength.index,
    )
    out["str_n_figures"] = len(strength)
    out["str_n_sources"] = int(strength["source"].nunique())
    out["str_n_wra"] = int((strength["unit"] == "wra").sum())
    for kind in ("lower", "upper", "range", "share"):
        out[f"str_n_{kind}"] = int((kinds == kind).sum())
    out["str_n_point"] = int(kinds.isin(POINT_KINDS).sum())
    out["str_n_span"] = int((~point_in_time(strength)).sum())
    out["str_n_ma"] = int((strength["side"] == "ma").sum())

    head = headline(strength, split_date)
    picks = headline_picks(strength, split_date).set_index("step", drop=False)
    crossing = picks.loc["crossing"]
    same = _same_figure(head["crossing"], crossing)
    out["str_cross_text"] = describe(crossing)
    own = independent(head["crossing"])
    out["str_cross_n"] = int(own.sum())
    out["str_cross_n_same"] = int((same & own).sum())
    out["str_cross_n_copies"] = int((~own).sum())
    others = sorted({describe(r) for _, r in head["crossing"][~same].iterrows()})
    out["str_cross_others"] = " and ".join(others) if others else "no other figure"
    article = picks[picks["step"] == "article"]
    for name, (_, row) in zip(("dec", "jan"), article.iterrows()):
        out[f"str_{name}_text"] = describe(row)
        out[f"str_{name}_zh"] = text_or_empty(row["quote_zh"])
        out[f"str_{name}_month"] = row["date"].strftime("%B %Y")
    dec, jan = article.iloc[0], article.iloc[1]
    wra_strength = select(strength, side="red", units="wra", measures="strength")
    near_dec = wra_strength[
        (wra_strength["id"] != dec["id"])
        & ((wra_strength["date"] - dec["date"]).abs() <= pd.Timedelta(days=WITNESS_DAYS))
    ]
    out["str_dec_n_others"] = len(near_dec)
    after = wra_strength[
        (wra_strength["id"] != jan["id"])
        & (wra_strength["date"] >= jan["date"])
        & (wra_strength["date"] <= jan["date"] + pd.Timedelta(days=WITNESS_DAYS))
    ]
    jb = bounds(jan)
    # a boolean array, not a list: an empty list would select no columns, not no rows
    against = after[
        np.array(
            [
                (b := bounds(r)).low is not None and jb.high is not None and b.low >= jb.high
                for _, r in after.iterrows()
            ],
            dtype=bool,
        )
    ]
    agree = after.drop(against.index)
    out["str_jan_n_others"] = len(after)
    out["str_jan_n_against"] = len(against)
    out["str_jan_against"] = _figure_list(against) or "none"
    out["str_jan_agree"] = _figure_list(agree) or "none"

    lost = fraction_lost(crossing, dec)
    out["str_lost_cross_dec"] = describe_share(lost)
    out["str_face_cross_dec_men"] = int(face_value(crossing) - face_value(dec))
    out["str_face_cross_dec_share"] = _pct(1 - face_value(dec) / face_value(crossing), "nearest")
    out["str_lost_dec_jan"] = describe_share(fraction_lost(dec, jan))
    out["str_men_dec_jan"] = describe(men_lost(dec, jan))
    out["str_lost_cross_jan"] = describe_share(fraction_lost(crossing, jan))

    if "split" in head and not head["split"].empty:
        out["str_split_span"] = span_words(head["split"])
        out["str_split_n"] = len(head["split"])
        out["str_split_n_independent"] = int(independent(head["split"]).sum())
        words = list(dict.fromkeys(describe(r) for _, r in head["split"].sort_values(["low", "high", "id"]).iterrows()))
        out["str_split_words"] = ", ".join(words[:-1]) + f" and {words[-1]}" if len(words) > 1 else words[0]
        out["str_lost_jan_split"] = describe_share(fraction_lost(jan, picks.loc["split"]))

    arrival = head["arrival"]
    exact = arrival[arrival["qualifier"] == "exact"]
    out["str_arrive_n"] = len(arrival)
    out["str_arrive_n_sources"] = int(arrival["source"].nunique())
    out["str_arrive_exact"] = " and ".join(f"{v:,.0f}" for v in sorted(exact["low"].unique()))
    out["str_arrive_exact_words"] = " and ".join(
        f"{r['low']:,.0f} ({_lower_first(_first_clause(r.get('comment_en'))) or 'no comment'})"
        for _, r in exact.sort_values(["low", "id"]).iterrows()
    )
    out["str_arrive_exact_grades"] = "".join(sorted(set(exact["confidence"])))
    out["str_arrive_span"] = span_words(arrival)
    note = coded_ends(arrival)
    out["str_arrive_span_note"] = f"{note[:1].upper()}{note[1:]}." if note else ""
    shares = [(fraction_lost(crossing, r), r) for _, r in arrival.iterrows()]
    bounded = [(b, r) for b, r in shares if b.low is not None]
    out["str_arrive_n_unbounded"] = int(len(shares) - len(bounded))
    if bounded:
        weakest, weakest_row = min(bounded, key=lambda pair: pair[0].low)
        out["str_lost_cross_arrive_min"] = describe_share(
            Bounds(weakest.low, None, "lower", strict_low=weakest.strict_low, share=True)
        )
        out["str_lost_cross_arrive_min_figure"] = describe(weakest_row)
        word = coded_word(weakest_row)
        out["str_lost_cross_arrive_min_note"] = (
            f"That bound rests on the book's coding of {word} ('{CODED_WORDS[word]}') as at most "
            f"{_count(weakest_row['high'])}, not on a figure a source gives."
            if word
            else ""
        )
    returned = select(strength, side="red", units="wra", measures="reached")
    if not returned.empty:
        row = best(returned)
        out["str_returned_text"] = describe(row)
        out["str_returned_zh"] = text_or_empty(row["quote_zh"]) or text_or_empty(row["wording_zh"])
    arrive_pick = picks.loc["arrival"]
    out["str_arrive_pick"] = describe(arrive_pick)
    out["str_arrive_pick_grade"] = str(arrive_pick["confidence"])
    same_pick = _same_figure(arrival, arrive_pick) & independent(arrival)
    out["str_arrive_pick_n"] = int(same_pick.sum())
    out["str_finding"] = finding(strength, split_date)
    out["str_finding_note"] = finding_note(strength)
    out["str_units_finding"] = units_finding(strength)
    out["str_lost_cross_arrive_pick"] = describe_share(
        Bounds(fraction_lost(crossing, arrive_pick).low, None, "lower", share=True)
    )
    return out
