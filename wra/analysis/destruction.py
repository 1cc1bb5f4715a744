"""The chapter *Why the army was destroyed* (``notebooks/06_destruction.md``), read off the record.

Six readings of the record, each a plain frame or dict (nothing here draws):

* **the force ratio** engagement by engagement (:func:`force_ratio`): every
  Red figure of an engagement paired with every Ma figure of it (strength
  ``before`` or ``during``), each pair an interval ``[Ma low / Red high,
  Ma high / Red low]`` from the figures' bounds, an open end ``None``; never
  one number where the sources give two;
* **losses by engagement** (:func:`losses`): every loss, killed or captured
  figure linked to an engagement, in men (a share of a base figure becomes
  men where both bounds allow);
* **the direction of the centre's orders** (:func:`central_orders`,
  :func:`direction_changes`): how often it changed and how often it swung
  between east and west, and how long the army took at most to answer
  (:func:`reply_lags`: the record dates no receipt of an order it also
  dates the sending of, so a reply's date bounds the delay from above);
* **halts** (:func:`halts`): the stretches the army stood still, computed
  from the route of chapter 04, as bounds (the days the record shows it
  there, and the days until it is next seen elsewhere);
* **windows** (:func:`windows_against_ma`): each chance a source names,
  set against the Ma figures dated near it;
* **causes against evidence** (:func:`cause_evidence`,
  :func:`causes_table`): one row per cause per position of chapter 05,
  with what the record shows for it and on how many sources that rests.

:func:`chapter_numbers` states every number the chapter glues, keyed ``des_``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise

import pandas as pd

from wra.analysis import route
from wra.analysis import strength as st
from wra.record import schema

#: recipients whose orders are orders to the army west of the river (or to the whole Red Army)
ARMY_RECIPIENTS = ("fourth_front_army", "thirtieth_army", "river_west_force", "wra", "red_army")
#: the directions an order can point the army (``none`` is left out)
COMPASS = ("east", "west", "hold", "north")
#: directions that are opposite: a change between them is a reversal
OPPOSITE = frozenset({("east", "west"), ("west", "east")})
#: the phases of a strength figure that count as the force engaged
ENGAGED = ("before", "during")
#: measures of men lost
LOSS_MEASURES = ("loss", "killed", "captured")
#: radius (km) within which the army counts as standing still around a place: a place and its
#: outposts (Xidongbao is 17 km from Nijiayingzi); and the radius of a belt (Yongchang-Shandan, 97 km)
PLACE_RADIUS_KM = 20.0
BELT_RADIUS_KM = 100.0
#: the shortest stretch counted as a halt (days the record shows the army there)
MIN_HALT_DAYS = 7
#: how far (days) from a window a Ma figure may be to stand against it
WINDOW_DAYS = 15
#: the army's own leadership (directives issued by it are its decisions)
ARMY_ISSUERS = tuple(k for k, g in schema.ISSUER_GROUP.items() if g == "army")
CENTRAL_ISSUERS = tuple(k for k, g in schema.ISSUER_GROUP.items() if g == "central")


# --------------------------------------------------------------------------
# Figures in men
# --------------------------------------------------------------------------


def men(row: Mapping, by_id: Mapping[str, Mapping] | None = None) -> tuple[float | None, float | None]:
    """The bounds, in men, of a strength row: its ``low`` and ``high``, or for a share
    (qualifier ``fraction``) the share times its ``base_id`` row where both bounds exist."""
    b = st.bounds(row)
    if not b.share:
        return b.low, b.high
    base_id = st.text_or_empty(row.get("base_id"))
    if not by_id or base_id not in by_id:
        return None, None
    base = st.bounds(by_id[base_id])
    low = b.low * base.low if b.low is not None and base.low is not None else None
    high = b.high * base.high if b.high is not None and base.high is not None else None
    return low, high


def ratio_interval(ma: tuple, red: tuple) -> tuple[float | None, float | None]:
    """The force ratio (Ma men per Red man) that two figures allow: ``(Ma low / Red high,
    Ma high / Red low)``; an end is ``None`` (open) when a bound it needs is missing or zero."""
    ma_low, ma_high = ma
    red_low, red_high = red
    low = ma_low / red_high if ma_low is not None and red_high else None
    high = ma_high / red_low if ma_high is not None and red_low else None
    return low, high


def _by_id(strength: pd.DataFrame) -> dict[str, dict]:
    return {r["id"]: r for r in strength.to_dict("records")}


def _linked(strength: pd.DataFrame, engagements: pd.DataFrame) -> pd.DataFrame:
    keep = strength["engagement_id"].isin(set(engagements["id"]))
    info = engagements[["id", "name_en", "name_zh", "date"]].rename(
        columns={"id": "engagement_id", "date": "engagement_date"}
    )
    return strength[keep].merge(info, on="engagement_id", how="left")


# --------------------------------------------------------------------------
# Force ratio
# --------------------------------------------------------------------------


def force_ratio(strength: pd.DataFrame, engagements: pd.DataFrame) -> pd.DataFrame:
    """One row per pair of a Red and a Ma strength figure of one engagement (phase before or during).

    Columns: engagement_id, name_en, name_zh, engagement_date, red_id, ma_id, red_low, red_high,
    ma_low, ma_high, ratio_low, ratio_high (``None``/NaN: open), red_source, ma_source, red_confidence,
    ma_confidence. Engagements with figures on one side only give no row.
    """
    linked = _linked(strength, engagements)
    engaged = linked[(linked["measure"] == "strength") & linked["phase"].isin(ENGAGED)]
    by_id = _by_id(strength)
    rows = []
    for eid, group in engaged.groupby("engagement_id", sort=False):
        reds = group[group["side"] == "red"].to_dict("records")
        mas = group[group["side"] == "ma"].to_dict("records")
        for red in reds:
            r = men(red, by_id)
            for ma in mas:
                m = men(ma, by_id)
                low, high = ratio_interval(m, r)
                rows.append(
                    {
                        "engagement_id": eid,
                        "name_en": red["name_en"],
                        "name_zh": red["name_zh"],
                        "engagement_date": red["engagement_date"],
                        "red_id": red["id"],
                        "ma_id": ma["id"],
                        "red_low": r[0],
                        "red_high": r[1],
                        "ma_low": m[0],
                        "ma_high": m[1],
                        "ratio_low": low,
                        "ratio_high": high,
                        "red_source": red["source"],
                        "ma_source": ma["source"],
                        "red_confidence": red["confidence"],
                        "ma_confidence": ma["confidence"],
                    }
                )
    cols = [
        "engagement_id",
        "name_en",
        "name_zh",
        "engagement_date",
        "red_id",
        "ma_id",
        "red_low",
        "red_high",
        "ma_low",
        "ma_high",
        "ratio_low",
        "ratio_high",
        "red_source",
        "ma_source",
        "red_confidence",
        "ma_confidence",
    ]
    out = pd.DataFrame(rows, columns=cols)
    for c in ("red_low", "red_high", "ma_low", "ma_high", "ratio_low", "ratio_high"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype("float64")
    return out.sort_values(["engagement_date", "engagement_id", "red_id", "ma_id"], kind="stable").reset_index(
        drop=True
    )


def ratio_envelope(pairs: pd.DataFrame) -> pd.DataFrame:
    """Per engagement, what all its pairs allow together: the lowest lower end and the highest upper
    end (NaN when any pair leaves that end open), the number of pairs, and how many pairs bound the
    ratio on both sides. Columns: engagement_id, name_en, engagement_date, n_pairs, n_closed,
    ratio_low, ratio_high, low_open, high_open."""
    rows = []
    for eid, g in pairs.groupby("engagement_id", sort=False):
        low_open = bool(g["ratio_low"].isna().any())
        high_open = bool(g["ratio_high"].isna().any())
        rows.append(
            {
                "engagement_id": eid,
                "name_en": g["name_en"].iloc[0],
                "engagement_date": g["engagement_date"].iloc[0],
                "n_pairs": len(g),
                "n_closed": int((g["ratio_low"].notna() & g["ratio_high"].notna()).sum()),
                "ratio_low": math.nan if low_open else float(g["ratio_low"].min()),
                "ratio_high": math.nan if high_open else float(g["ratio_high"].max()),
                "low_open": low_open,
                "high_open": high_open,
            }
        )
    cols = [
        "engagement_id",
        "name_en",
        "engagement_date",
        "n_pairs",
        "n_closed",
        "ratio_low",
        "ratio_high",
        "low_open",
        "high_open",
    ]
    return pd.DataFrame(rows, columns=cols)


def known_lower_bounds(pairs: pd.DataFrame) -> pd.Series:
    """The ratios' lower ends that some pair states (open ends left out), in pair order."""
    return pairs["ratio_low"].dropna()


# --------------------------------------------------------------------------
# Losses
# --------------------------------------------------------------------------


def losses(strength: pd.DataFrame, engagements: pd.DataFrame, ma_side: Iterable[str] = ()) -> pd.DataFrame:
    """Every loss, killed or captured figure linked to an engagement, one row per figure per source, in men.

    Columns: engagement_id, name_en, engagement_date, side, unit, measure, id, low, high (men; NaN
    where the figure does not bound it), qualifier, source, confidence, ma_side_account (the source
    is a Ma-side account: ``ma_side`` holds such bibliography keys).
    """
    linked = _linked(strength, engagements)
    lost = linked[linked["measure"].isin(LOSS_MEASURES)]
    by_id = _by_id(strength)
    ma_keys = set(ma_side)
    rows = []
    for r in lost.to_dict("records"):
        low, high = men(r, by_id)
        rows.append(
            {
                "engagement_id": r["engagement_id"],
                "name_en": r["name_en"],
                "engagement_date": r["engagement_date"],
                "side": r["side"],
                "unit": r["unit"],
                "measure": r["measure"],
                "id": r["id"],
                "low": low,
                "high": high,
                "qualifier": r["qualifier"],
                "source": r["source"],
                "confidence": r["confidence"],
                "ma_side_account": r["source"] in ma_keys,
            }
        )
    cols = [
        "engagement_id",
        "name_en",
        "engagement_date",
        "side",
        "unit",
        "measure",
        "id",
        "low",
        "high",
        "qualifier",
        "source",
        "confidence",
        "ma_side_account",
    ]
    out = pd.DataFrame(rows, columns=cols)
    out["low"] = pd.to_numeric(out["low"], errors="coerce").astype("float64")
    out["high"] = pd.to_numeric(out["high"], errors="coerce").astype("float64")
    return out.sort_values(["engagement_date", "engagement_id", "side", "id"], kind="stable").reset_index(drop=True)


def loss_summary(loss_rows: pd.DataFrame) -> pd.DataFrame:
    """Per engagement and side: how many loss figures, from how many sources, and the smallest and
    largest numbers they state (the spread of the claims, not a bound on the truth)."""
    rows = []
    for (eid, side), g in loss_rows.groupby(["engagement_id", "side"], sort=False):
        stated = pd.concat([g["low"], g["high"]]).dropna()
        rows.append(
            {
                "engagement_id": eid,
                "name_en": g["name_en"].iloc[0],
                "engagement_date": g["engagement_date"].iloc[0],
                "side": side,
                "n_figures": len(g),
                "n_sources": int(g["source"].nunique()),
                "smallest": float(stated.min()) if not stated.empty else math.nan,
                "largest": float(stated.max()) if not stated.empty else math.nan,
            }
        )
    cols = ["engagement_id", "name_en", "engagement_date", "side", "n_figures", "n_sources", "smallest", "largest"]
    return pd.DataFrame(rows, columns=cols)


def coverage(strength: pd.DataFrame, engagements: pd.DataFrame) -> pd.DataFrame:
    """Per engagement: how many figures each side has (any measure), and whether both sides have one."""
    linked = _linked(strength, engagements)
    counts = linked.groupby(["engagement_id", "side"]).size().unstack(fill_value=0)
    out = engagements[["id", "name_en", "name_zh", "date"]].rename(columns={"id": "engagement_id"}).copy()
    for side in schema.SIDE:
        col = counts[side] if side in counts.columns else pd.Series(dtype="int64")
        out[f"n_{side}"] = out["engagement_id"].map(col).fillna(0).astype(int)
    out["both_sides"] = (out["n_red"] > 0) & (out["n_ma"] > 0)
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------
# The centre's orders
# --------------------------------------------------------------------------


def central_orders(
    directives: pd.DataFrame,
    since=None,
    until=None,
    kinds: Iterable[str] = ("order",),
    recipients: Iterable[str] = ARMY_RECIPIENTS,
) -> pd.DataFrame:
    """The centre's orders to the army with a direction (east, west, hold, north), in date order
    (file order within a day): issuer group central, kind in ``kinds``, recipient in ``recipients``,
    dated from ``since`` to ``until`` (inclusive)."""
    d = directives
    keep = (
        d["issuer"].isin(CENTRAL_ISSUERS)
        & d["kind"].isin(list(kinds))
        & d["recipient"].isin(list(recipients))
        & d["direction"].isin(COMPASS)
    )
    if since is not None:
        keep &= d["date"] >= pd.Timestamp(since)
    if until is not None:
        keep &= d["date"] <= pd.Timestamp(until)
    out = d[keep].copy()
    out["_order"] = range(len(out))
    out = out.sort_values(["date", "_order"], kind="stable").drop(columns="_order")
    return out.reset_index(drop=True)


@dataclass(frozen=True)
class Changes:
    """How a sequence of directions changed: ``changes`` (consecutive pairs that differ) and
    ``reversals`` (east to west or west to east, holds and norths between them skipped), each a list
    of ``(from_id, to_id, from_direction, to_direction)``."""

    n_orders: int
    changes: tuple
    reversals: tuple

    @property
    def n_changes(self) -> int:
        return len(self.changes)

    @property
    def n_reversals(self) -> int:
        return len(self.reversals)


def direction_changes(orders: pd.DataFrame) -> Changes:
    """Count the changes of direction in ``orders`` (as :func:`central_orders` gives them).

    A *change* is two consecutive orders pointing different ways (west then hold is one). A
    *reversal* is a swing between east and west: consecutive orders in the sequence of east and west
    orders alone (the holds and norths between them skipped) that point opposite ways.
    """
    seq = list(zip(orders["id"], orders["direction"]))
    changes = tuple((a, b, da, db) for (a, da), (b, db) in pairwise(seq) if da != db)
    ew = [(i, d) for i, d in seq if d in ("east", "west")]
    reversals = tuple((a, b, da, db) for (a, da), (b, db) in pairwise(ew) if (da, db) in OPPOSITE)
    return Changes(len(seq), changes, reversals)


def reply_lags(
    orders: pd.DataFrame, actions: pd.DataFrame, assessments: pd.DataFrame, kinds=("reply", "proposal")
) -> pd.DataFrame:
    """For each order the army answered in words (an assessed pairing with an action of kind reply
    or proposal dated on or after it), the first answer and the days between: the most the telegram
    can have taken to arrive. Columns: directive_id, sent, direction, reply_id, replied, days_at_most."""
    acts = actions.set_index("id")
    rows = []
    for o in orders.to_dict("records"):
        pairs = assessments[assessments["directive_id"] == o["id"]]["action_id"].dropna()
        answers = acts.loc[[a for a in pairs if a in acts.index]]
        answers = answers[answers["kind"].isin(list(kinds)) & (answers["date"] >= o["date"])]
        if answers.empty:
            continue
        first = answers.sort_values("date", kind="stable").iloc[0]
        rows.append(
            {
                "directive_id": o["id"],
                "sent": o["date"],
                "direction": o["direction"],
                "reply_id": first.name,
                "replied": first["date"],
                "days_at_most": int((first["date"] - o["date"]).days),
            }
        )
    return pd.DataFrame(rows, columns=["directive_id", "sent", "direction", "reply_id", "replied", "days_at_most"])


def army_decisions(directives: pd.DataFrame, since=None) -> pd.DataFrame:
    """The army leadership's own decisions (issuers wra_committee, chen_changhao, xu_xiangqian) with a
    direction, from ``since``."""
    keep = directives["issuer"].isin(ARMY_ISSUERS) & directives["direction"].isin(COMPASS)
    if since is not None:
        keep &= directives["date"] >= pd.Timestamp(since)
    return directives[keep].reset_index(drop=True)


# --------------------------------------------------------------------------
# Halts
# --------------------------------------------------------------------------


def halts(stop_frame: pd.DataFrame, radius_km: float = PLACE_RADIUS_KM, min_days: int = MIN_HALT_DAYS) -> pd.DataFrame:
    """The stretches of the main route (chapter 04's stops, branch ``wra``) during which the army stayed
    within ``radius_km`` of the stretch's first place, and the record shows it there at least
    ``min_days`` days.

    Each stretch is anchored at its first stop and runs while the next stop lies within ``radius_km``
    of that anchor (a distance equal to the radius counts as within). Its length is given as bounds:
    ``days_seen`` from the first arrival to the last day an action puts the army there, and
    ``days_until_moved`` to the day it is first seen outside the stretch (NaN for the last stretch).
    Columns: anchor, places (joined by ", "), arrive, last_seen, next_seen, days_seen, days_until_moved,
    action_ids.
    """
    main = stop_frame[stop_frame["branch"] == route.MAIN].sort_values("seq").reset_index(drop=True)
    stretches: list[list[int]] = []
    i = 0
    while i < len(main):
        anchor = main.iloc[i]
        j = i + 1
        while j < len(main):
            nxt = main.iloc[j]
            if route.haversine_km(anchor["lat"], anchor["lon"], nxt["lat"], nxt["lon"]) > radius_km:
                break
            j += 1
        stretches.append(list(range(i, j)))
        i = j
    rows = []
    for k, idx in enumerate(stretches):
        part = main.iloc[idx]
        arrive, last = part["arrive"].min(), part["leave"].max()
        nxt = main.iloc[stretches[k + 1][0]]["arrive"] if k + 1 < len(stretches) else pd.NaT
        seen = int((last - arrive).days)
        if seen < min_days:
            continue
        places = list(dict.fromkeys(part["place_id"]))
        rows.append(
            {
                "anchor": part["place_id"].iloc[0],
                "places": ", ".join(places),
                "arrive": arrive,
                "last_seen": last,
                "next_seen": nxt,
                "days_seen": seen,
                "days_until_moved": float((nxt - arrive).days) if pd.notna(nxt) else math.nan,
                "action_ids": ", ".join(a for a in part["action_ids"] if a),
            }
        )
    cols = ["anchor", "places", "arrive", "last_seen", "next_seen", "days_seen", "days_until_moved", "action_ids"]
    return pd.DataFrame(rows, columns=cols)


def halt_at(halt_frame: pd.DataFrame, place_id: str) -> pd.Series | None:
    """The halt whose places include ``place_id`` (the first, if several), or None."""
    for _, row in halt_frame.iterrows():
        if place_id in row["places"].split(", "):
            return row
    return None


# --------------------------------------------------------------------------
# Windows against the Ma forces
# --------------------------------------------------------------------------


def windows_against_ma(windows: pd.DataFrame, strength: pd.DataFrame, days: int = WINDOW_DAYS) -> pd.DataFrame:
    """Each window with the Ma strength figures dated within ``days`` of its opening (inclusive):
    how many, from how many sources, the largest lower bound and whether any is open above.
    Columns: the window's id, date, kind, stance, directive_id, n_ma, n_ma_sources, ma_ids,
    ma_largest_low, ma_any_open."""
    ma = strength[(strength["side"] == "ma") & (strength["measure"] == "strength")]
    rows = []
    for w in windows.to_dict("records"):
        near = ma[(ma["date"] - w["date"]).abs() <= pd.Timedelta(days=days)]
        lows = near["low"].dropna()
        rows.append(
            {
                "id": w["id"],
                "date": w["date"],
                "kind": w["kind"],
                "stance": w["stance"],
                "directive_id": w.get("directive_id"),
                "n_ma": len(near),
                "n_ma_sources": int(near["source"].nunique()),
                "ma_ids": ", ".join(near["id"]),
                "ma_largest_low": float(lows.max()) if not lows.empty else math.nan,
                "ma_any_open": bool(near["high"].isna().any()),
            }
        )
    cols = [
        "id",
        "date",
        "kind",
        "stance",
        "directive_id",
        "n_ma",
        "n_ma_sources",
        "ma_ids",
        "ma_largest_low",
        "ma_any_open",
    ]
    return pd.DataFrame(rows, columns=cols)


# --------------------------------------------------------------------------
# Counting sources
# --------------------------------------------------------------------------


def n_sources(*frames: pd.DataFrame) -> int:
    """Distinct works the rows rest on: their ``source`` keys, and a ``via`` key for rows read through
    another work count as that work (the article's telegrams are one witness: the article). A row and
    its ``copy_of`` original count once (only the original's source is counted)."""
    keys: set[str] = set()
    for frame in frames:
        if frame is None or frame.empty:
            continue
        f = frame
        if "copy_of" in f.columns:
            f = f[f["copy_of"].isna()]
        via = f["via"] if "via" in f.columns else pd.Series(pd.NA, index=f.index)
        for source, through in zip(f["source"], via):
            keys.add(str(through) if isinstance(through, str) and through else str(source))
    return len(keys)


# --------------------------------------------------------------------------
# Causes against evidence
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """What the record shows for one cause: a sentence built from the record's numbers, how many
    rows and works it rests on, and what the record cannot tell."""

    cause: str
    shows: str
    n_rows: int
    n_sources: int
    cannot: str
    testable: bool = True
    #: works that give the cause's numbers (counts, days, men, rounds, degrees, tonnes)
    n_numeric_sources: int = 0


def _words(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _num(x: float) -> str:
    return f"{x:,.0f}" if x == int(x) else f"{x:,.1f}"


def _ratio_text(x: float) -> str:
    return f"{x:.1f}"


def cause_evidence(tables: Mapping[str, pd.DataFrame], ma_side: Iterable[str] = ()) -> dict[str, Evidence]:
    """The evidence the record holds for each cause of :data:`wra.record.schema.CAUSE`.

    ``tables`` holds directives, actions, assessments, places, strength, engagements, conditions and
    windows (as :func:`wra.record.data.load` gives them); ``ma_side`` the bibliography keys of
    Ma-side accounts.
    """
    d, a = tables["directives"], tables["actions"]
    s, e = tables["strength"], tables["engagements"]
    c, w = tables["conditions"], tables["windows"]
    crossing = route.crossing_date(a)
    out: dict[str, Evidence] = {}

    # Zhang Guotao's line: his orders to the army after the crossing, and the army's own westward decisions
    zhang = d[(d["issuer"] == "zhang_guotao") & (d["date"] >= crossing) & d["direction"].isin(COMPASS)]
    orders = central_orders(d, since=crossing)
    own = army_decisions(d, since=crossing)
    own_west = own[own["direction"] == "west"]
    out["zhang_line"] = Evidence(
        "zhang_line",
        f"After the crossing the record holds {_words(len(zhang), 'order')} of Zhang Guotao's to the army "
        f"({', '.join(zhang['id']) or 'none'}) against {_words(len(orders), 'order')} of the centre's; "
        f"{_words(len(own_west), 'decision')} to go west were the army leadership's own "
        f"({', '.join(own_west['id'])}).",
        len(zhang) + len(own_west),
        n_sources(zhang, own_west),
        "A 'line' is a judgement on motives and politics: the record counts orders and decisions, not "
        "whose thinking shaped them.",
        n_numeric_sources=n_sources(zhang, own_west),
    )

    ch = direction_changes(orders)
    out["changing_tasks"] = Evidence(
        "changing_tasks",
        f"The centre's {_words(ch.n_orders, 'order')} to the army with a direction after the crossing changed "
        f"direction {_words(ch.n_changes, 'time')} and swung between east and west {_words(ch.n_reversals, 'time')}.",
        ch.n_orders,
        n_sources(orders),
        "Whether steadier orders would have saved the army; the record holds orders as sent, not how the "
        "army read them.",
        n_numeric_sources=n_sources(orders),
    )

    st_frame, _ = route.build(a, tables["places"], since=crossing)
    belt = halts(st_frame, BELT_RADIUS_KM)
    near = halts(st_frame, PLACE_RADIUS_KM)
    yong, nijia = halt_at(belt, "yongchang"), halt_at(near, "nijiayingzi")
    parts, rows_used = [], []
    for label, h in (("around Yongchang 永昌 and Shandan 山丹", yong), ("around Nijiayingzi 倪家营子", nijia)):
        if h is None:
            continue
        until = "" if math.isnan(h["days_until_moved"]) else f" to {int(h['days_until_moved'])}"
        parts.append(f"{h['days_seen']}{until} days {label}")
        rows_used += [x.strip() for x in h["action_ids"].split(",") if x.strip()]
    halt_actions = a[a["id"].isin(rows_used)]
    out["long_halt"] = Evidence(
        "long_halt",
        "The army stood still " + " and ".join(parts) + " (from the days the record shows it there to the "
        "day it is next seen elsewhere).",
        len(halt_actions),
        n_sources(halt_actions),
        "What the halt cost, and whether the army could have moved: the record dates where it was, not "
        "what it could have done.",
        n_numeric_sources=n_sources(halt_actions),
    )

    ma = s[s["side"] == "ma"]
    ma_strength = ma[ma["measure"] == "strength"]
    from_ma = ma[ma["source"].isin(set(ma_side))]
    engaged_ma = ma_strength[ma_strength["engagement_id"].notna()]
    pairs = force_ratio(s, e)
    lows = known_lower_bounds(pairs)
    ratio = (
        f"; where both sides of an engagement have figures, the pairs that bound the ratio from below put "
        f"the Ma forces at no fewer than {_ratio_text(lows.min())} to {_ratio_text(lows.max())} men for each "
        f"Red man ({_words(len(lows), 'pair')} of {len(pairs)}; {int(pairs['ratio_high'].isna().sum())} open above)"
        if not lows.empty
        else ""
    )
    out["ma_forces"] = Evidence(
        "ma_forces",
        f"{_words(len(ma), 'figure')} for the Ma forces ({len(ma_strength)} of strength), "
        f"{_words(len(from_ma), 'figure')} from Ma-side accounts; the largest for one engagement is "
        f"{_num(engaged_ma['low'].max())} men ({engaged_ma.loc[engaged_ma['low'].idxmax(), 'id']}){ratio}.",
        len(ma),
        n_sources(ma),
        "Most Ma figures are lower bounds (余, 多), so a ratio is open above; no Ma figure was found for "
        "several engagements; cavalry and open ground are described, not counted.",
        n_numeric_sources=n_sources(ma),
    )

    rec = c[c["topic"] == "recruitment"]
    rec_n = rec[rec["low"].notna()]
    out["local_hostility"] = Evidence(
        "local_hostility",
        f"{_words(len(rec), 'row')} on recruitment; the only counts are "
        + " and ".join(f"{_num(v)} ({i}, grade {g})" for i, v, g in zip(rec_n["id"], rec_n["low"], rec_n["confidence"]))
        + ".",
        len(rec),
        n_sources(rec),
        "No count of the Hui population's recruits or of its hostility; the record holds what sources say, "
        "not what the population did.",
        n_numeric_sources=n_sources(rec_n),
    )

    ammo = c[(c["topic"] == "ammunition") & c["low"].notna()]
    cold = c[(c["topic"] == "cold") & c["low"].notna()]
    supply = c[c["topic"].isin(["ammunition", "arms", "clothing", "cold", "supply", "wounded"])]
    out["winter_supply"] = Evidence(
        "winter_supply",
        f"{_words(len(supply), 'row')} on ammunition, arms, clothing, cold, supply and the wounded; "
        f"rounds per rifle at the crossing from {_num(ammo['low'].min())} to {_num(ammo['high'].max())}; "
        "the cold: "
        + ", ".join(
            f"{st.describe(r)} below zero ({r['id']}, grade {r['confidence']})" for r in cold.to_dict("records")
        )
        + ".",
        len(supply),
        n_sources(supply),
        "How many men the cold, hunger or want of ammunition killed: no source in the record counts them.",
        n_numeric_sources=n_sources(supply[supply["low"].notna()]),
    )

    aid = c[c["topic"] == "soviet_aid"]
    tonnes = aid[aid["measure_en"].fillna("").str.contains("tonnes")]
    out["soviet_aid"] = Evidence(
        "soviet_aid",
        f"{_words(len(aid), 'row')} on the aid from 'afar', from {_day(aid['date'].min())} to "
        f"{_day(aid['date'].max())}"
        + (f"; the largest promise {_num(tonnes['low'].max())} tonnes" if not tonnes.empty else "")
        + "; no row records aid received.",
        len(aid),
        n_sources(aid),
        "Soviet intentions: the record holds what the centre and the army were told, not Moscow's decisions.",
        n_numeric_sources=n_sources(aid[aid["low"].notna()]),
    )

    xian = pd.Timestamp("1936-12-12")
    after = central_orders(d, since=xian, until=pd.Timestamp("1936-12-31"))
    dirs = ", ".join(f"{i} {dr}" for i, dr in zip(after["id"], after["direction"]))
    win_dec = w[(w["date"] >= xian) & (w["date"] <= pd.Timestamp("1936-12-31"))]
    out["xian_incident"] = Evidence(
        "xian_incident",
        f"Between the Xi'an Incident (12 December) and the year's end the centre sent "
        f"{_words(len(after), 'order')} to the army with a direction ({dirs}); "
        f"{_words(len(win_dec), 'row')} from {_words(n_sources(win_dec), 'source')} name or doubt a chance to "
        "turn east in those weeks.",
        len(after) + len(win_dec),
        n_sources(after, win_dec),
        "How far the Incident, rather than the Ma forces, decided the army's fate.",
        n_numeric_sources=n_sources(after),
    )

    chance, doubt = w[w["stance"] == "chance"], w[w["stance"] == "doubt"]
    out["missed_return"] = Evidence(
        "missed_return",
        f"{_words(len(chance), 'row')} from {_words(n_sources(chance), 'source')} name a chance to turn east or "
        f"break out; {_words(len(doubt), 'row')} from {_words(n_sources(doubt), 'source')} doubt one.",
        len(w),
        n_sources(w),
        "Whether a named chance was real: the record holds who named it, not what would have followed.",
        n_numeric_sources=0,
    )

    closing = w[w["directive_id"].isin(set(own["id"]))]
    out["command"] = Evidence(
        "command",
        f"{_words(len(own), 'decision')} of the army leadership's own with a direction after the crossing "
        f"({', '.join(own['id'])}); {_words(len(closing), 'named chance')} turned on one of them.",
        len(own),
        n_sources(own),
        "Whether other decisions would have saved the army: the record holds no test of a different command.",
        testable=False,
        n_numeric_sources=n_sources(own),
    )
    return out


#: causes whose claim the record cannot test: a judgement on a "line" (motives and politics) and what
#: other decisions in the field would have done
UNTESTABLE = frozenset({"zhang_line", "command"})
#: the fewest works whose numbers make a cause "measured"
MEASURED_SOURCES = 3
#: what the record can say of a cause, by the rules of :func:`cause_status`
STATUS = {
    "measured": "the record measures the condition the cause names, with numbers from at least three works",
    "described": "the record holds words, or numbers from fewer than three works",
    "not_testable": "the claim is a judgement or a counterfactual the record cannot test",
}


def cause_status(evidence: Evidence) -> str:
    """``not_testable`` for the causes in :data:`UNTESTABLE`; else ``measured`` when the cause's numbers come
    from at least :data:`MEASURED_SOURCES` works; else ``described``. A status says what the record can say
    of the condition, not whether the condition caused the defeat."""
    if evidence.cause in UNTESTABLE:
        return "not_testable"
    return "measured" if evidence.n_numeric_sources >= MEASURED_SOURCES else "described"


def cause_summary(table: pd.DataFrame, evidence: Mapping[str, Evidence]) -> pd.DataFrame:
    """One row per cause named in ``table`` (:func:`causes_table`): how many positions name it and deny it
    (their ids), what the record shows, on how many works, and its status (:func:`cause_status`).
    In the order of :data:`wra.record.schema.CAUSE`."""
    rows = []
    for cause in schema.CAUSE:
        g = table[table["cause"] == cause]
        if g.empty:
            continue
        ev = evidence[cause]
        rows.append(
            {
                "cause": cause,
                "cause_en": schema.CAUSE[cause],
                "n_naming": int((g["holds"] == "cause").sum()),
                "n_denying": int((g["holds"] == "denies").sum()),
                "naming": ", ".join(g.loc[g["holds"] == "cause", "position_id"]),
                "denying": ", ".join(g.loc[g["holds"] == "denies", "position_id"]),
                "shows": ev.shows,
                "n_rows": ev.n_rows,
                "n_sources": ev.n_sources,
                "n_numeric_sources": ev.n_numeric_sources,
                "status": cause_status(ev),
                "cannot": ev.cannot,
            }
        )
    return pd.DataFrame(rows)


def causes_table(causes: pd.DataFrame, positions: pd.DataFrame, evidence: Mapping[str, Evidence]) -> pd.DataFrame:
    """One row per cause per position: who holds it, whether it names or denies the cause, what it
    claims, what the record shows (:func:`cause_evidence`), on how many works that rests, whether
    that is a single work, and what the record cannot tell. In the order of positions.csv."""
    pos = positions.set_index("id")
    rows = []
    for r in causes.to_dict("records"):
        ev = evidence[r["cause"]]
        p = pos.loc[r["position_id"]]
        rows.append(
            {
                "position_id": r["position_id"],
                "holder_en": str(p["holder_en"]).split(",")[0],
                "year": int(p["year"]),
                "cause": r["cause"],
                "cause_en": schema.CAUSE[r["cause"]],
                "holds": r["holds"],
                "claim_en": r["claim_en"],
                "shows": ev.shows,
                "n_rows": ev.n_rows,
                "n_sources": ev.n_sources,
                "single_source": ev.n_sources == 1,
                "testable": ev.testable,
                "cannot": ev.cannot,
            }
        )
    out = pd.DataFrame(rows)
    order = {pid: i for i, pid in enumerate(positions["id"])}
    cause_order = {cause: i for i, cause in enumerate(schema.CAUSE)}
    out["_p"] = out["position_id"].map(order)
    out["_c"] = out["cause"].map(cause_order)
    return out.sort_values(["_p", "_c"], kind="stable").drop(columns=["_p", "_c"]).reset_index(drop=True)


# --------------------------------------------------------------------------
# What the charts say (their titles)
# --------------------------------------------------------------------------


def _ma_strength(strength: pd.DataFrame) -> pd.DataFrame:
    return strength[(strength["side"] == "ma") & (strength["measure"] == "strength")]


def ma_totals(strength: pd.DataFrame) -> pd.DataFrame:
    """The Ma forces' strength figures for a whole force over the campaign: linked to no engagement
    and dated only by the month (the sources give them as what was gathered, not as a day's count)."""
    ma = _ma_strength(strength)
    return ma[ma["engagement_id"].isna() & (ma["date_precision"] == "month")]


def ma_dated(strength: pd.DataFrame) -> pd.DataFrame:
    """The Ma forces' other strength figures: each linked to an engagement or dated closer than a month."""
    ma = _ma_strength(strength)
    return ma.drop(index=ma_totals(strength).index)


def _largest(rows: pd.DataFrame) -> pd.Series:
    """The row naming the largest number (its high, else its low)."""
    named = rows["high"].fillna(rows["low"])
    return rows.loc[named.idxmax()]


def ma_finding(strength: pd.DataFrame, engagements: pd.DataFrame, ma_side: Iterable[str] = ()) -> str:
    """The Ma forces in one sentence: the span of the figures for all of them (:func:`ma_totals`, unit
    ``ma_forces``), in the sources' words, and the largest figure against one engagement, with whether
    a Ma-side account gives it."""
    totals = ma_totals(strength)
    whole = totals[totals["unit"] == "ma_forces"]
    engaged = _ma_strength(strength)
    engaged = engaged[engaged["engagement_id"].isin(set(engagements["id"]))]
    if whole.empty or engaged.empty:
        raise ValueError("no Ma figure for the whole force or for an engagement: the chapter has no finding")
    top = _largest(engaged)
    name = engagements.set_index("id").loc[top["engagement_id"], "name_en"]
    who = " (a Ma-side account)" if top["source"] in set(ma_side) else ""
    return (
        f"Sources count the Ma forces {st.span_words(whole)} in all, and {st.describe(top)} against the army "
        f"at {name}{who}"
    )


def ratio_finding(pairs: pd.DataFrame) -> str:
    """The force ratio in one sentence: the floors the pairs of figures set (:func:`known_lower_bounds`),
    and how many pairs leave the ratio open below."""
    lows = known_lower_bounds(pairs)
    n, total = len(lows), len(pairs)
    if not n:
        return f"The force ratio: none of the {_words(total, 'pair')} of figures sets it a floor"
    span = (
        _ratio_text(lows.min())
        if lows.min() == lows.max()
        else f"{_ratio_text(lows.min())} to {_ratio_text(lows.max())}"
    )
    which = "The one pair" if n == 1 else f"The {n} pairs"
    verb = "sets" if n == 1 else "set"
    return (
        f"{which} of figures that {verb} the force ratio a floor put it at {span} Ma men for each Red man; "
        f"the other {total - n} leave it open below"
    )


def loss_finding(loss_rows: pd.DataFrame) -> str:
    """Losses in one sentence: at how many engagements both sides' losses are counted, and how many
    figures say only "at least" (:func:`losses` rows, in men)."""
    sides = loss_rows.groupby("engagement_id")["side"].nunique()
    lower = int((loss_rows["low"].notna() & loss_rows["high"].isna()).sum())
    return (
        f"Both sides' losses are counted at {int((sides > 1).sum())} of the {_words(len(sides), 'engagement')}, "
        f'and {lower} of the {len(loss_rows)} loss figures say only "at least"'
    )


def halt_on(date, halt_frame: pd.DataFrame) -> str | None:
    """The anchor of the halt (:func:`halts`) the army was in on ``date`` (from its arrival to the last
    day the record shows it there, both inclusive), or None."""
    for row in halt_frame.to_dict("records"):
        if row["arrive"] <= date <= row["last_seen"]:
            return row["anchor"]
    return None


def reversals_in_halts(orders: pd.DataFrame, halt_frame: pd.DataFrame) -> pd.DataFrame:
    """Each east-west reversal of ``orders`` (:func:`direction_changes`), dated by its later order, with
    the halt the army was in then (``halt``: an anchor, or None). Columns: from_id, to_id, from_direction,
    to_direction, from_date, date, halt."""
    dates = dict(zip(orders["id"], orders["date"]))
    rows = [
        {
            "from_id": a,
            "to_id": b,
            "from_direction": da,
            "to_direction": db,
            "from_date": dates[a],
            "date": dates[b],
            "halt": halt_on(dates[b], halt_frame),
        }
        for a, b, da, db in direction_changes(orders).reversals
    ]
    cols = ["from_id", "to_id", "from_direction", "to_direction", "from_date", "date", "halt"]
    out = pd.DataFrame(rows, columns=cols)
    out["halt"] = pd.Series([r["halt"] for r in rows], index=out.index, dtype="object")
    return out


def windows_in_halts(windows: pd.DataFrame, halt_frame: pd.DataFrame) -> pd.Series:
    """The halt each window opened in (an anchor, or None), by the window's first date."""
    return pd.Series([halt_on(d, halt_frame) for d in windows["date"]], index=windows.index, dtype="object")


def timeline_finding(orders: pd.DataFrame, windows: pd.DataFrame, halt_frame: pd.DataFrame) -> str:
    """How many of the centre's east-west reversals, and of the chances sources name, fell while the army
    stood still (in one of ``halt_frame``'s halts)."""
    rev = reversals_in_halts(orders, halt_frame)
    k, n = int(rev["halt"].notna().sum()), len(rev)
    chances = windows[windows["stance"] == "chance"]
    c = int(windows_in_halts(chances, halt_frame).notna().sum())
    first = f"All {n}" if k == n and n > 1 else f"{k} of the {n}"
    return (
        f"{first} of the centre's east–west reversals, and {c} of the {len(chances)} chances sources name, "
        "came while the army stood still"
    )


# --------------------------------------------------------------------------
# The chapter's numbers
# --------------------------------------------------------------------------

#: the tables the chapter reads
TABLES = (
    "directives",
    "actions",
    "assessments",
    "places",
    "strength",
    "positions",
    "engagements",
    "conditions",
    "windows",
    "causes",
)


def _day(ts) -> str:
    return f"{ts.day} {ts:%B %Y}"


def chapter_numbers(tables: Mapping[str, pd.DataFrame], ma_side: Iterable[str] = ()) -> dict[str, object]:
    """Every number and date the chapter's prose states, keyed ``des_...``.

    ``tables`` holds :data:`TABLES`; ``ma_side`` the bibliography keys of Ma-side accounts
    (:func:`wra.record.sources.ma_side`).
    """
    ma_side = set(ma_side)
    d, a, s, e = tables["directives"], tables["actions"], tables["strength"], tables["engagements"]
    c, w, causes = tables["conditions"], tables["windows"], tables["causes"]
    crossing = route.crossing_date(a)
    out: dict[str, object] = {"des_crossing": _day(crossing)}

    # the enemy
    ma = s[s["side"] == "ma"]
    ma_strength = ma[ma["measure"] == "strength"]
    ma_acc = ma[ma["source"].isin(ma_side)]
    engaged = ma_strength[ma_strength["engagement_id"].notna()]
    out.update(
        des_n_ma_figures=len(ma),
        des_n_ma_strength=len(ma_strength),
        des_n_ma_sources=n_sources(ma),
        des_n_ma_side_figures=len(ma_acc),
        des_n_ma_side_sources=int(ma_acc["source"].nunique()),
        des_n_ma_side_accounts=len(ma_side),
        des_ma_largest=f"{ma_strength['low'].max():,.0f}",
        des_ma_largest_id=str(ma_strength.loc[ma_strength["low"].idxmax(), "id"]),
        des_ma_largest_engaged=f"{engaged['low'].max():,.0f}",
        des_ma_largest_engaged_id=str(engaged.loc[engaged["low"].idxmax(), "id"]),
    )
    # the battles
    cov = coverage(s, e)
    out.update(
        des_n_engagements=len(e),
        des_n_engagement_figures=int(s["engagement_id"].notna().sum()),
        des_n_both_sides=int(cov["both_sides"].sum()),
        des_n_one_side=int((~cov["both_sides"] & ((cov["n_red"] > 0) | (cov["n_ma"] > 0))).sum()),
        des_n_no_figures=int(((cov["n_red"] == 0) & (cov["n_ma"] == 0)).sum()),
        des_no_ma_figure=", ".join(cov.loc[cov["n_ma"] == 0, "name_en"]),
    )
    pairs = force_ratio(s, e)
    env = ratio_envelope(pairs)
    lows = known_lower_bounds(pairs)
    out.update(
        des_n_ratio_pairs=len(pairs),
        des_n_ratio_engagements=len(env),
        des_n_ratio_open_above=int(pairs["ratio_high"].isna().sum()),
        des_n_ratio_closed=int((pairs["ratio_low"].notna() & pairs["ratio_high"].notna()).sum()),
        des_ratio_low_min=_ratio_text(lows.min()) if not lows.empty else "",
        des_ratio_low_max=_ratio_text(lows.max()) if not lows.empty else "",
    )
    for eid, name in (("gulang", "Gulang"), ("nijiayingzi", "Nijiayingzi"), ("gaotai", "Siege of Gaotai")):
        row = env[env["name_en"] == name]
        if row.empty:
            continue
        r = row.iloc[0]
        out[f"des_ratio_{eid}_low"] = "" if r["low_open"] else _ratio_text(r["ratio_low"])
        out[f"des_ratio_{eid}_high"] = "open" if r["high_open"] else _ratio_text(r["ratio_high"])
        out[f"des_ratio_{eid}_pairs"] = int(r["n_pairs"])
    out["des_ratio_finding"] = ratio_finding(pairs)
    out["des_ma_finding"] = ma_finding(s, e, ma_side)
    lost = losses(s, e, ma_side)
    out["des_loss_finding"] = loss_finding(lost)
    out.update(
        des_n_loss_figures=len(lost),
        des_n_loss_red=int((lost["side"] == "red").sum()),
        des_n_loss_ma=int((lost["side"] == "ma").sum()),
        des_n_loss_engagements=int(lost["engagement_id"].nunique()),
        des_n_loss_ma_side=int(lost["ma_side_account"].sum()),
    )
    # the centre's orders
    orders = central_orders(d, since=crossing)
    ch = direction_changes(orders)
    counts = orders["direction"].value_counts()
    out.update(
        des_n_orders=ch.n_orders,
        des_n_changes=ch.n_changes,
        des_n_reversals=ch.n_reversals,
        des_first_order=str(orders["id"].iloc[0]),
        des_last_order=str(orders["id"].iloc[-1]),
        **{f"des_n_orders_{k}": int(counts.get(k, 0)) for k in COMPASS},
    )
    lags = reply_lags(orders, a, tables["assessments"])
    out.update(
        des_n_lags=len(lags),
        des_lag_max=int(lags["days_at_most"].max()) if not lags.empty else 0,
        des_lag_min=int(lags["days_at_most"].min()) if not lags.empty else 0,
    )
    # halts
    st_frame, _ = route.build(a, tables["places"], since=crossing)
    belt, near = halts(st_frame, BELT_RADIUS_KM), halts(st_frame, PLACE_RADIUS_KM)
    out.update(des_place_radius=f"{PLACE_RADIUS_KM:.0f}", des_belt_radius=f"{BELT_RADIUS_KM:.0f}")
    out["des_min_halt_days"] = MIN_HALT_DAYS
    for key, frame, place in (
        ("yongchang", belt, "yongchang"),
        ("shandan", near, "shandan"),
        ("nijiayingzi", near, "nijiayingzi"),
        ("gaotai", near, "gaotai"),
    ):
        h = halt_at(frame, place)
        if h is None:
            continue
        out[f"des_halt_{key}_seen"] = int(h["days_seen"])
        out[f"des_halt_{key}_moved"] = "" if math.isnan(h["days_until_moved"]) else int(h["days_until_moved"])
        out[f"des_halt_{key}_from"] = _day(h["arrive"])
        out[f"des_halt_{key}_to"] = _day(h["last_seen"])
    out["des_n_halts_place"], out["des_n_halts_belt"] = len(near), len(belt)
    rev = reversals_in_halts(orders, near)
    chances = w[w["stance"] == "chance"]
    place_names = tables["places"].set_index("place_id")["name_en"]
    halted_at = list(dict.fromkeys(rev["halt"].dropna()))
    out.update(
        des_reversal_halt_places=" and ".join(str(place_names.get(a, a)).split(" (")[0] for a in halted_at),
        des_window_days=WINDOW_DAYS,
        des_n_reversals_halted=int(rev["halt"].notna().sum()),
        des_n_chances_halted=int(windows_in_halts(chances, near).notna().sum()),
        des_timeline_finding=timeline_finding(orders, w, near),
    )
    # windows and conditions
    out.update(
        des_n_windows=len(w),
        des_n_window_chance=int((w["stance"] == "chance").sum()),
        des_n_window_doubt=int((w["stance"] == "doubt").sum()),
        des_n_window_sources=n_sources(w),
        des_n_conditions=len(c),
        des_n_conditions_numbers=int(c["low"].notna().sum()),
        des_n_conditions_sources=n_sources(c),
    )
    for topic in schema.TOPIC:
        out[f"des_n_cond_{topic}"] = int((c["topic"] == topic).sum())
    # causes
    ev = cause_evidence(tables, ma_side)
    table = causes_table(causes, tables["positions"], ev)
    out.update(
        des_n_cause_rows=len(table),
        des_n_cause_positions=int(table["position_id"].nunique()),
        des_n_causes=int(table["cause"].nunique()),
        des_n_cause_denials=int((table["holds"] == "denies").sum()),
        des_n_single_source=int(table.loc[table["single_source"], "cause"].nunique()),
    )
    summary = cause_summary(table, ev)
    for cause, evd in ev.items():
        out[f"des_sources_{cause}"] = evd.n_sources
    for status in STATUS:
        chosen = summary[summary["status"] == status]
        out[f"des_n_{status}"] = len(chosen)
        out[f"des_{status}_causes"] = "; ".join(
            f"{r['cause_en']} ({r['n_sources']} works)" for r in chosen.to_dict("records")
        )
    out["des_measured_sources"] = MEASURED_SOURCES
    return out
