"""The march as a map: the route, its distances, and the width of a Minard band.

Charles Minard drew Napoleon's Russian campaign as a band whose width is the
army's strength. This module builds the same thing for the Western Route Army
from the book's tables; :mod:`wra.presentation.route_charts` draws it.

Route
    :func:`route_points` reads each action's ``place_id`` as where the unit
    was on the action's date. It keeps the actions of the army and its units
    (:data:`MAIN_ACTORS`) from the crossing (:func:`crossing_date`) to the
    split into detachments (:func:`split_date`), and after it those of each
    detachment (:data:`BRANCH_ACTORS`), one branch each. Actions without a
    place, by other actors (the Party centre, the West Relief Army) or at
    places beyond the map are dropped, with the reason recorded. A span
    (``date_end``) puts the unit at its place on its first *and* its last
    day, so an excursion inside a span is kept. Points are ordered by date;
    on one day the place the army is already at comes first and each other
    place once. :func:`stops` merges consecutive points at one place into a
    stop (arrive = first dated action there, leave = last), so a date the
    sources dispute widens the stop rather than moving it. Each detachment's
    branch starts from the main route's last stop. :func:`segments` makes
    one segment per consecutive pair of stops: great-circle distance
    (:func:`haversine_km`), days, and direction (``west`` when the longitude
    decreases). Distances are straight lines between places, so a lower
    bound on the ground covered.

Strength
    :func:`figures` lists the figures of a unit (shares such as 近半 are
    left out) and the one value each would be drawn at: the figure itself
    when exact or "about"; **the bound itself** for a bound (一万八千余 at
    18,000, 不到一万 at 10,000); the middle of a source's own range (八九千
    at 8,500). Figures of a unit on one date are one *dispute*; they are
    never averaged: :data:`RULE` picks one and the others stay in the table.
    :func:`interpolate` is linear in time between the chosen figures and
    flags every value that is not a sourced figure (``interpolated=True``);
    before the first and after the last figure the width is held constant
    (``basis="held"``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from wra.analysis import strength as strength_mod
from wra.record import sources
from wra.record.names import place_label

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)

#: actors whose actions place the army as a whole, up to the split
MAIN_ACTORS = (
    "fourth_front_army",
    "river_west_force",
    "wra",
    "wra_committee",
    "chen_changhao",
    "xu_xiangqian",
    "fifth_army",
    "ninth_army",
    "thirtieth_army",
    "cavalry_division",
)
#: branch name of the main route (also its strength unit)
MAIN = "wra"
#: the detachments formed at the split; each is a branch named after its unit
BRANCH_ACTORS = ("left_detachment", "right_detachment", "centre_detachment")
BRANCH_SHORT = {"wra": "WRA", "left_detachment": "Left", "right_detachment": "Right", "centre_detachment": "Centre"}
BRANCH_LABELS = {
    "wra": "Western Route Army 西路军",
    "left_detachment": "Left Detachment 左支队",
    "right_detachment": "Right Detachment 右支队",
    "centre_detachment": "Centre Detachment 中支队",
}

#: where the route starts: the crossing of the Yellow River
CROSSING = "hubaokou"
#: the stretches the chapter's prose measures: the drive west ends where the
#: army turned back (Gaotai), the fall back ends at Nijiayingzi, and the whole
#: way ends at the Xinjiang border (Xingxingxia), by way of the Left Detachment
TURN, FALLBACK, BORDER = "gaotai", "nijiayingzi", "xingxingxia"
#: figures of one unit dated this many days apart or less are one dispute
DISPUTE_DAYS = 0
#: the grades of figures the band is drawn through (L figures are listed, not drawn)
DRAWN_GRADES = ("H", "M")
#: measures that give a branch's strength: for the detachments, men reaching
#: their destination count as their strength on arrival; for the army as a
#: whole, "reached" counts men who got home long after, so it is not used
MEASURES = {MAIN: ("strength",), **{b: ("strength", "reached") for b in BRANCH_ACTORS}}
RULE = (
    "The band is drawn through figures graded H or M; figures graded L are listed, not drawn. "
    "Where several fall on one date, one is drawn, chosen by the book's rule for disputed "
    "figures (wra.analysis.strength.best): the most confident; then the figure the most sources state "
    "alike; then exact before about before ranges and bounds; then the lowest row id. Disputed "
    "figures are never averaged. A bound is drawn at the bound itself (at least 18,000 at "
    "18,000; fewer than 10,000 at 10,000), a source's own range at its middle."
)


# --------------------------------------------------------------------------
# Distance and direction
# --------------------------------------------------------------------------


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km between points in decimal degrees (arrays welcome)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(np.asarray(lon2, dtype=float) - np.asarray(lon1, dtype=float))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    d = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return float(d) if np.ndim(d) == 0 else d


def direction(lon_from: float, lon_to: float) -> str:
    """``west`` if the longitude decreases, ``east`` if it increases, else ``none``."""
    if lon_to < lon_from:
        return "west"
    if lon_to > lon_from:
        return "east"
    return "none"


# --------------------------------------------------------------------------
# Route
# --------------------------------------------------------------------------


def _branch_of(actor: str) -> str | None:
    if actor in BRANCH_ACTORS:
        return actor
    if actor in MAIN_ACTORS:
        return MAIN
    return None


def split_date(actions: pd.DataFrame) -> pd.Timestamp | None:
    """The first date on which any detachment acts (None if none ever does)."""
    rows = actions[actions["actor"].isin(BRANCH_ACTORS)]
    return None if rows.empty else rows["date"].min()


def crossing_date(actions: pd.DataFrame, place: str = CROSSING) -> pd.Timestamp | None:
    """The first date an action puts the army at the crossing (the route's start)."""
    rows = actions[(actions["place_id"] == place) & actions["actor"].isin(MAIN_ACTORS)]
    return None if rows.empty else rows["date"].min()


def _order_day(day: pd.DataFrame, current: str | None) -> pd.DataFrame:
    """Order one day's points: the place the army is already at first, then by first mention.

    The points of one place on one day stay together, so units acting at two
    places on the same day make one excursion, not a zigzag.
    """
    first = {}
    for i, (_, p) in enumerate(day.iterrows()):
        first.setdefault(p["place_id"], i)
    if current in first:
        first[current] = -1
    return (
        day.assign(_place_rank=day["place_id"].map(first))
        .sort_values(["_place_rank", "span_end", "action_id"], ascending=[True, False, True], kind="stable")
        .drop(columns="_place_rank")
    )


def route_points(
    actions: pd.DataFrame,
    places: pd.DataFrame,
    since: pd.Timestamp | str | None = None,
    within: tuple[float, float, float, float] | None = None,
) -> pd.DataFrame:
    """One row per (action, day it puts a unit at a place), in route order.

    ``place_id`` is read as where the unit was on the action's date (for a
    span: on its first and on its last day). Columns: branch, date, action_id,
    actor, kind, place_id, name_en, name_zh, name_pinyin, lat, lon, span_end
    (True for the last day of a span). Left out, with the reason in
    ``attrs["dropped"]``: actions without a place, by actors outside the army,
    before ``since``, on the main route after the split, or at places outside
    ``within`` = (lon_min, lon_max, lat_min, lat_max).
    """
    acts = actions.copy()
    acts["branch"] = acts["actor"].map(_branch_of)
    split = split_date(acts)
    lookup = places.set_index("place_id")
    reasons = pd.Series("", index=acts.index, dtype=object)

    def drop(mask, why):
        reasons[(reasons == "") & mask] = why

    drop(acts["place_id"].isna(), "no place")
    drop(acts["branch"].isna(), "actor outside the army")
    if since is not None:
        drop(acts["date"] < pd.Timestamp(since), "before the start")
    if split is not None:
        drop((acts["branch"] == MAIN) & (acts["date"] > split), "main route after the split")
    drop(~acts["place_id"].isin(lookup.index), "place not in places.csv")
    if within is not None:
        lon = acts["place_id"].map(lookup["lon"])
        lat = acts["place_id"].map(lookup["lat"])
        drop(~(lon.between(within[0], within[1]) & lat.between(within[2], within[3])), "beyond the map")
    dropped = acts.loc[reasons != "", ["id", "date", "actor", "place_id"]].assign(reason=reasons[reasons != ""])
    acts = acts[reasons == ""]

    starts = acts.assign(span_end=False)
    ends = acts[acts["date_end"].notna() & (acts["date_end"] > acts["date"])].copy()
    ends["date"] = ends["date_end"]
    ends["span_end"] = True
    pts = pd.concat([starts, ends], ignore_index=True)
    cols = ["place_id", "name_en", "name_zh", "name_pinyin", "lat", "lon"]
    pts = pts.merge(places[cols], on="place_id", how="left").rename(columns={"id": "action_id"})
    pts = pts.sort_values(["date", "span_end", "action_id"], ascending=[True, False, True], kind="stable")
    keep = "branch date action_id actor kind place_id name_en name_zh name_pinyin lat lon span_end".split()
    ordered = []
    for branch in (MAIN, *BRANCH_ACTORS):
        current = None
        for _, day in pts[pts["branch"] == branch].groupby("date", sort=True):
            day = _order_day(day, current)
            ordered.append(day[keep])
            current = day["place_id"].iloc[-1]
    out = pd.concat(ordered, ignore_index=True) if ordered else pts[keep].iloc[0:0]
    out.attrs["dropped"] = dropped.reset_index(drop=True)
    out.attrs["split"] = split
    return out


def stops(points: pd.DataFrame) -> pd.DataFrame:
    """Merge consecutive points at one place into stops, per branch.

    Columns: branch, seq, place_id, names, lat, lon, arrive, leave, action_ids
    (comma-joined, in order), inherited (True for a branch's first stop taken
    from the main route's last stop, where the detachments split).
    """
    by_branch: dict[str, list[dict]] = {}
    for branch in points["branch"].drop_duplicates():
        rows: list[dict] = []
        for _, p in points[points["branch"] == branch].iterrows():
            cur = rows[-1] if rows else None
            if cur is not None and p["place_id"] == cur["place_id"]:
                cur["leave"] = max(cur["leave"], p["date"])
                if p["action_id"] not in cur["_ids"]:
                    cur["_ids"].append(p["action_id"])
                continue
            rows.append(
                {
                    "branch": branch,
                    "place_id": p["place_id"],
                    "name_en": p["name_en"],
                    "name_zh": p["name_zh"],
                    "name_pinyin": p["name_pinyin"],
                    "lat": p["lat"],
                    "lon": p["lon"],
                    "arrive": p["date"],
                    "leave": p["date"],
                    "_ids": [p["action_id"]],
                    "inherited": False,
                }
            )
        by_branch[branch] = rows
    main = by_branch.get(MAIN)
    if main:
        last = main[-1]
        for branch, rows in by_branch.items():
            if branch == MAIN or rows[0]["place_id"] == last["place_id"]:
                continue
            when = min(last["leave"], rows[0]["arrive"])
            rows.insert(0, {**last, "branch": branch, "arrive": when, "leave": when, "_ids": [], "inherited": True})
    cols = "branch seq place_id name_en name_zh name_pinyin lat lon arrive leave action_ids inherited".split()
    records = [
        {**r, "seq": i, "action_ids": ", ".join(r["_ids"])} for rows in by_branch.values() for i, r in enumerate(rows)
    ]
    frame = pd.DataFrame(records, columns=cols)
    frame["arrive"] = pd.to_datetime(frame["arrive"])
    frame["leave"] = pd.to_datetime(frame["leave"])
    return frame


def segments(stop_frame: pd.DataFrame) -> pd.DataFrame:
    """One segment per consecutive pair of stops in each branch.

    Columns: branch, seq, from_id, to_id, from_en, to_en, from_zh, to_zh, lon0,
    lat0, lon1, lat1, date0 (left the first), date1 (reached the second), days,
    km, direction.
    """
    rows = []
    for branch in stop_frame["branch"].drop_duplicates():
        s = stop_frame[stop_frame["branch"] == branch].reset_index(drop=True)
        for i in range(len(s) - 1):
            a, b = s.iloc[i], s.iloc[i + 1]
            rows.append(
                {
                    "branch": branch,
                    "seq": i,
                    "from_id": a["place_id"],
                    "to_id": b["place_id"],
                    "from_en": a["name_en"],
                    "to_en": b["name_en"],
                    "from_zh": a["name_zh"],
                    "to_zh": b["name_zh"],
                    "lon0": a["lon"],
                    "lat0": a["lat"],
                    "lon1": b["lon"],
                    "lat1": b["lat"],
                    "date0": a["leave"],
                    "date1": b["arrive"],
                    "days": int((b["arrive"] - a["leave"]).days),
                    "km": haversine_km(a["lat"], a["lon"], b["lat"], b["lon"]),
                    "direction": direction(a["lon"], b["lon"]),
                }
            )
    cols = [
        "branch",
        "seq",
        "from_id",
        "to_id",
        "from_en",
        "to_en",
        "from_zh",
        "to_zh",
        "lon0",
        "lat0",
        "lon1",
        "lat1",
        "date0",
        "date1",
        "days",
        "km",
        "direction",
    ]
    return pd.DataFrame(rows, columns=cols)


def build(actions: pd.DataFrame, places: pd.DataFrame, since=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(stops, segments) of the whole route."""
    st = stops(route_points(actions, places, since=since))
    return st, segments(st)


def position_at(stop_frame: pd.DataFrame, branch: str, when) -> tuple[float, float] | None:
    """Where a branch was on a date: at a stop, or linearly in time along a segment.

    Returns (lon, lat), or None when the date lies outside the branch's dates.
    """
    when = pd.Timestamp(when)
    s = stop_frame[stop_frame["branch"] == branch].reset_index(drop=True)
    if s.empty or when < s["arrive"].iloc[0] or when > s["leave"].iloc[-1]:
        return None
    for i, row in s.iterrows():
        if row["arrive"] <= when <= row["leave"]:
            return float(row["lon"]), float(row["lat"])
        if i + 1 < len(s):
            nxt = s.iloc[i + 1]
            if row["leave"] < when < nxt["arrive"]:
                f = (when - row["leave"]) / (nxt["arrive"] - row["leave"])
                return (
                    float(row["lon"] + f * (nxt["lon"] - row["lon"])),
                    float(row["lat"] + f * (nxt["lat"] - row["lat"])),
                )
    return None


# --------------------------------------------------------------------------
# Strength figures and the band's width
# --------------------------------------------------------------------------


def article_key(frame: pd.DataFrame) -> str | None:
    """The article's bibliography key (see :func:`wra.record.sources.article_key`), or None."""
    try:
        return sources.article_key(frame)
    except ValueError:
        return None


def drawn_value(row) -> float:
    """The single number a figure is drawn at: the figure, its bound, or the middle of its range."""
    q, low, high = row["qualifier"], row["low"], row["high"]
    if q in ("exact", "about", "more_than"):
        return float(low)
    if q == "fewer_than":
        return float(high)
    if q == "range":
        return (float(low) + float(high)) / 2
    return float("nan")


def phrase(row) -> str:
    """A figure in words that keep its uncertainty ("at least 21,800", "fewer than 10,000"):
    the book's one wording, :func:`wra.analysis.strength.describe`."""
    return strength_mod.describe(row)


def short_phrase(row) -> str:
    """A compact chart label, worded as :func:`phrase`: '≥21,800' (at least), '<10,000' (fewer than),
    '~2,000' (about), '8,000–9,000', '903'."""
    q, low, high = row["qualifier"], row["low"], row["high"]
    if q == "exact":
        return f"{low:,.0f}"
    if q == "about":
        return f"~{low:,.0f}"
    if q == "more_than":
        return f"≥{low:,.0f}"
    if q == "fewer_than":
        return f"<{high:,.0f}"
    if q == "range":
        return f"{low:,.0f}–{high:,.0f}"
    return ""


def figures(
    strength: pd.DataFrame,
    units: Iterable[str] | str = MAIN,
    measures: Iterable[str] = ("strength",),
    article: str | None = None,
    drawn_grades: Iterable[str] = DRAWN_GRADES,
    dispute_days: int = DISPUTE_DAYS,
) -> pd.DataFrame:
    """Red figures of ``units`` (``measures``, no shares), each with the value it is drawn at.

    Adds: value, is_article, dispute (one number per group of figures of a
    unit dated at most ``dispute_days`` after the group's first), chosen (the
    one figure of each dispute drawn on the band, by :data:`RULE`; only
    grades in ``drawn_grades`` can be chosen), alternatives (the other figures
    of the dispute, e.g. "S074: ~14,000").
    """
    units = [units] if isinstance(units, str) else list(units)
    article = article if article is not None else article_key(strength)
    drawn_grades = tuple(drawn_grades)
    f = strength[
        (strength["side"] == "red")
        & strength["unit"].isin(units)
        & strength["measure"].isin(list(measures))
        & (strength["qualifier"] != "fraction")
    ].copy()
    f = f.sort_values(["unit", "date", "id"], kind="stable").reset_index(drop=True)
    f["value"] = [drawn_value(r) for _, r in f.iterrows()]
    f["is_article"] = (f["source"] == article) | (f["via"].fillna("") == (article or "\0"))
    f["text"] = [short_phrase(r) for _, r in f.iterrows()]
    dispute, group, start, unit = [], -1, None, None
    for _, r in f.iterrows():
        if r["unit"] != unit or start is None or (r["date"] - start).days > dispute_days:
            group, start, unit = group + 1, r["date"], r["unit"]
        dispute.append(group)
    f["dispute"] = dispute
    eligible = f[f["confidence"].isin(drawn_grades)]
    best = {strength_mod.best(group)["id"] for _, group in eligible.groupby("dispute", sort=False)}
    f["chosen"] = f["id"].isin(best)
    f["alternatives"] = [
        "; ".join(
            f"{o['id']}: {o['text']}" for _, o in f[(f["dispute"] == r["dispute"]) & (f["id"] != r["id"])].iterrows()
        )
        for _, r in f.iterrows()
    ]
    return f


def interpolate(chosen: pd.DataFrame, when) -> pd.DataFrame:
    """Strength at each date in ``when``, linear in time between the chosen figures.

    ``chosen`` needs columns date and value (one row per figure, e.g.
    ``figures(...)`` filtered on ``chosen``). Returns columns date, value,
    interpolated (False only on a sourced figure's own date), basis
    (sourced | interpolated | held | none) and id (the figure's row id where
    sourced). With no figures, value is NaN.
    """
    when = pd.to_datetime(pd.Series(list(when) if not isinstance(when, pd.Series) else when.to_list()))
    cols = ["date", "value"] + (["id"] if "id" in chosen.columns else [])
    pts = chosen[cols].dropna(subset=["date", "value"]).groupby("date", as_index=False).first()
    pts = pts.sort_values("date")
    if pts.empty:
        return pd.DataFrame({"date": when, "value": np.nan, "interpolated": True, "basis": "none", "id": None})
    x = pts["date"].astype("int64").to_numpy(dtype=float)
    y = pts["value"].to_numpy(dtype=float)
    t = when.astype("int64").to_numpy(dtype=float)
    value = np.interp(t, x, y)
    on_point = np.isin(t, x)
    basis = np.where(on_point, "sourced", np.where((t < x[0]) | (t > x[-1]), "held", "interpolated"))
    ids = pts.set_index(pts["date"].astype("int64"))["id"] if "id" in pts.columns else pd.Series(dtype=object)
    fig_id = [ids.get(int(ti)) if on else None for ti, on in zip(t, on_point)]
    return pd.DataFrame({"date": when, "value": value, "interpolated": ~on_point, "basis": basis, "id": fig_id})


def band_figures(strength: pd.DataFrame, article: str | None = None) -> pd.DataFrame:
    """:func:`figures` of every branch's unit with that branch's :data:`MEASURES`."""
    parts = [figures(strength, unit, measures=MEASURES[unit], article=article) for unit in (MAIN, *BRANCH_ACTORS)]
    return pd.concat(parts, ignore_index=True)


def widths(stop_frame: pd.DataFrame, figs: pd.DataFrame) -> pd.DataFrame:
    """The stops with strength on arrival and on leaving, from each branch's own unit.

    ``figs`` is :func:`band_figures` (or :func:`figures`) output. Adds
    value_arrive, basis_arrive, value_leave, basis_leave. A branch with no
    figure of its own gets NaN (drawn as a hairline, not a band).
    """
    out = stop_frame.copy()
    for col in ("value_arrive", "value_leave"):
        out[col] = np.nan
    for col in ("basis_arrive", "basis_leave"):
        out[col] = "none"
    for col in ("figure_arrive", "figure_leave"):
        out[col] = None
    for branch in out["branch"].drop_duplicates():
        sel = out["branch"] == branch
        chosen = figs[(figs["unit"] == branch) & figs["chosen"]]
        for end in ("arrive", "leave"):
            w = interpolate(chosen, out.loc[sel, end])
            out.loc[sel, f"value_{end}"] = w["value"].to_numpy()
            out.loc[sel, f"basis_{end}"] = w["basis"].to_numpy()
            out.loc[sel, f"figure_{end}"] = w["id"].to_numpy()
    return out


def leg_table(stop_frame: pd.DataFrame, seg: pd.DataFrame) -> pd.DataFrame:
    """Per branch: first and last stop, dates, days, km along the route (west and east), stops.

    The main route runs from its first arrival to its last day at its last
    stop (the split); a detachment from the split to its arrival at its last
    place.
    """
    rows = []
    for branch in stop_frame["branch"].drop_duplicates():
        s = stop_frame[stop_frame["branch"] == branch]
        g = seg[seg["branch"] == branch]
        start = s["arrive"].iloc[0]
        end = s["leave"].iloc[-1] if branch == MAIN else s["arrive"].iloc[-1]
        rows.append(
            {
                "branch": branch,
                "label": BRANCH_LABELS.get(branch, branch),
                "from": place_label(s.iloc[0]),
                "to": place_label(s.iloc[-1]),
                "start": start,
                "end": end,
                "days": int((end - start).days),
                "km": float(g["km"].sum()),
                "stops": len(s),
                "km_west": float(g.loc[g["direction"] == "west", "km"].sum()),
                "km_east": float(g.loc[g["direction"] == "east", "km"].sum()),
            }
        )
    return pd.DataFrame(rows)


def path(stop_frame: pd.DataFrame, branch: str = MAIN) -> pd.DataFrame:
    """The main route, then ``branch`` after the split (without repeating the split stop)."""
    main = stop_frame[stop_frame["branch"] == MAIN]
    if branch == MAIN:
        return main.reset_index(drop=True)
    rest = stop_frame[(stop_frame["branch"] == branch) & ~stop_frame["inherited"]]
    return pd.concat([main, rest], ignore_index=True)


def stretch(stop_frame: pd.DataFrame, from_id: str, to_id: str, branch: str = MAIN) -> dict:
    """Distance and time along the route from the first stop at ``from_id`` to the next at ``to_id``.

    Follows :func:`path` (main route, then ``branch``). Returns km (sum of
    great-circle legs), days (arrival to arrival), start, end, stops (how
    many stops the stretch passes, both ends included).
    """
    p = path(stop_frame, branch)
    starts = p.index[p["place_id"] == from_id]
    if starts.empty:
        raise KeyError(f"{from_id!r} is not on the route")
    i = starts[0]
    ends = p.index[(p["place_id"] == to_id) & (p.index > i)]
    if ends.empty:
        raise KeyError(f"{to_id!r} does not follow {from_id!r} on the route")
    j = ends[0]
    part = p.loc[i:j]
    km = float(
        haversine_km(
            part["lat"].to_numpy()[:-1],
            part["lon"].to_numpy()[:-1],
            part["lat"].to_numpy()[1:],
            part["lon"].to_numpy()[1:],
        ).sum()
    )
    return {
        "km": km,
        "days": int((p.loc[j, "arrive"] - p.loc[i, "arrive"]).days),
        "start": p.loc[i, "arrive"],
        "end": p.loc[j, "arrive"],
        "stops": int(j - i + 1),
    }


def strength_text(value: float, basis: str, figure: str | None = None, figs: pd.DataFrame | None = None) -> str:
    """A band width for a table: a sourced figure in its own words with its id, anything else
    rounded to the hundred and marked as interpolated (or held)."""
    if value is None or not np.isfinite(value):
        return "no figure"
    if basis == "sourced" and figure is not None and figs is not None:
        row = figs.set_index("id").loc[figure]
        return f"{short_phrase(row)} ({figure})"
    if basis == "sourced":
        return f"{value:,.0f}"
    return f"≈{round(value, -2):,.0f} ({'held' if basis == 'held' else 'interpolated'})"


def segment_table(stop_widths: pd.DataFrame, seg: pd.DataFrame, figs: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per segment for the book: from, to, dates, days, km, direction, band width at each end."""
    rows = []
    for branch in seg["branch"].drop_duplicates():
        s = stop_widths[stop_widths["branch"] == branch].reset_index(drop=True)
        for i, g in seg[seg["branch"] == branch].reset_index(drop=True).iterrows():
            a, b = s.iloc[i], s.iloc[i + 1]
            rows.append(
                {
                    "unit": BRANCH_SHORT.get(branch, branch),
                    "from": place_label(a),
                    "to": place_label(b),
                    "left": g["date0"],
                    "reached": g["date1"],
                    "days": int(g["days"]),
                    "km": round(float(g["km"])),
                    "direction": g["direction"],
                    "strength leaving": strength_text(a["value_leave"], a["basis_leave"], a["figure_leave"], figs),
                    "strength arriving": strength_text(b["value_arrive"], b["basis_arrive"], b["figure_arrive"], figs),
                    "actions": b["action_ids"],
                }
            )
    return pd.DataFrame(rows)


def _day(ts) -> str:
    return f"{pd.Timestamp(ts):%-d %B %Y}"


def _actor_words(row) -> str:
    from wra.record import schema

    return "the " + schema.ACTOR.get(row["actor"], row["actor"]).split(" (")[0]


def split_round(total: float, parts: list[float]) -> tuple[int, list[int]]:
    """``total`` and its ``parts`` rounded to whole numbers that still add up (largest remainder):
    665.8 and 127.6 of 793.4 become 666 and 127 of 793, not 666 and 128."""
    whole = round(total)
    floors = [int(np.floor(x)) for x in parts]
    short = whole - sum(floors)
    order = sorted(range(len(parts)), key=lambda i: parts[i] - floors[i], reverse=True)
    for i in order[: max(short, 0)]:
        floors[i] += 1
    return whole, floors


def chapter_numbers(
    actions: pd.DataFrame, points: pd.DataFrame, stop_frame: pd.DataFrame, seg: pd.DataFrame, figs: pd.DataFrame
) -> dict[str, object]:
    """Every number the route chapter's prose quotes, from the data (keys start ``route_``).

    ``points`` is :func:`route_points` output (its ``attrs["dropped"]`` is
    counted), ``figs`` :func:`band_figures` output. Strength is worded by
    :func:`phrase`, so a bound reads as a bound.
    """
    dropped = points.attrs.get("dropped", pd.DataFrame(columns=["id", "reason"]))
    legs = leg_table(stop_frame, seg).set_index("branch")
    main = legs.loc[MAIN]
    out: dict[str, object] = {
        "route_n_actions": len(actions),
        "route_n_on_route": int(points["action_id"].nunique()),
        "route_n_no_place": int((dropped["reason"] == "no place").sum()),
        "route_n_elsewhere": int((dropped["reason"] != "no place").sum()),
        "route_n_places": int(stop_frame["place_id"].nunique()),
        "route_n_stops_main": int(main["stops"]),
        "route_start": _day(main["start"]),
        "route_split": _day(main["end"]),
        "route_days_main": int(main["days"]),
    }
    km, (west, east) = split_round(main["km"], [main["km_west"], main["km_east"]])
    out.update(route_km_main=km, route_km_main_west=west, route_km_main_east=east)
    chosen = figs[figs["chosen"]]
    wra_figs = chosen[chosen["unit"] == MAIN].sort_values("date")
    if not wra_figs.empty:
        out["route_str_start"] = phrase(wra_figs.iloc[0])
        out["route_str_start_date"] = _day(wra_figs.iloc[0]["date"])
        at_split = wra_figs[wra_figs["date"] <= main["end"]].iloc[-1]
        out["route_str_split"] = phrase(at_split)
        out["route_str_split_date"] = _day(at_split["date"])
        # the widest figure the band draws, which need not be the first
        peak = wra_figs.loc[wra_figs.apply(drawn_value, axis=1).idxmax()]
        out["route_str_peak"] = phrase(peak)
        out["route_str_peak_date"] = _day(peak["date"])
        out["route_str_peak_id"] = str(peak["id"])
    for branch in BRANCH_ACTORS:
        if branch not in legs.index:
            continue
        leg = legs.loc[branch]
        key = branch.split("_")[0]
        out[f"route_km_{key}"] = round(leg["km"])
        out[f"route_days_{key}"] = int(leg["days"])
        out[f"route_end_{key}"] = _day(leg["end"])
        last = stop_frame[stop_frame["branch"] == branch].iloc[-1]
        out[f"route_place_end_{key}"] = place_label(last)
        # the first arrival the record dates at the branch's end, and the other dates it gives for arriving there
        there = actions[(actions["place_id"] == last["place_id"]) & (actions["date"] > leg["end"])]
        there = there[there["actor"].map(_branch_of) == branch].sort_values(["date", "id"])
        out[f"route_end_{key}_others"] = (
            " and ".join(f"{_day(r.date)} ({r.id})" for r in there.itertuples()) if len(there) else "none"
        )
        out[f"route_kmpd_{key}"] = float(round(leg["km"] / leg["days"], 1)) if leg["days"] else float("nan")
        bf = chosen[chosen["unit"] == branch].sort_values("date")
        if not bf.empty:
            out[f"route_str_{key}_start"] = phrase(bf.iloc[0])
            out[f"route_str_{key}_end"] = phrase(bf.iloc[-1])
            out[f"route_str_{key}_end_date"] = _day(bf.iloc[-1]["date"])
    main_stops = stop_frame[stop_frame["branch"] == MAIN]
    stay = (main_stops["leave"] - main_stops["arrive"]).dt.days
    longest = main_stops.loc[stay.idxmax()]
    out["route_longest_stay_place"] = place_label(longest)
    out["route_longest_stay_days"] = int(stay.max())
    # a stop stitches together the dated actions of whichever units the record names there
    ids = [i for i in str(longest["action_ids"]).split(", ") if i]
    by_id = actions.set_index("id")
    first, last = by_id.loc[ids[0]], by_id.loc[ids[-1]]
    out["route_longest_stay_first"] = f"{ids[0]}, {_actor_words(first)}, {_day(first['date'])}"
    out["route_longest_stay_last"] = f"{ids[-1]}, {_actor_words(last)}, {_day(last['date'])}"
    out["route_longest_stay_one_unit"] = "yes" if len({by_id.loc[i, "actor"] for i in ids}) == 1 else "no"
    drawn_units = set(stop_frame["branch"])
    considered = figs[figs["unit"].isin(drawn_units)]
    on_band = [
        position_at(stop_frame, r["unit"], r["date"]) is not None
        for _, r in considered[considered["chosen"]].iterrows()
    ]
    out["route_n_figures"] = len(considered)
    out["route_n_chosen"] = int(considered["chosen"].sum())
    out["route_n_on_band"] = int(sum(on_band))
    out["route_n_low_grade"] = int((~considered["confidence"].isin(DRAWN_GRADES)).sum())
    undrawn = [u for u in figs["unit"].drop_duplicates() if u not in drawn_units]
    out["route_undrawn"] = " and ".join(BRANCH_LABELS.get(u, u) for u in undrawn) or "none"
    return out


def stretch_numbers(
    stop_frame: pd.DataFrame, seg: pd.DataFrame, turn: str = TURN, fallback: str = FALLBACK, border: str = BORDER
) -> dict[str, object]:
    """The stretches the chapter describes (keys start ``route_``).

    The drive west from the crossing to ``turn`` (km, days) and the turns east
    on the way (how many, km, from where to where); the fall back from
    ``turn`` to ``fallback``; the whole way from the crossing to ``border`` by
    way of the Left Detachment.
    """
    drive = stretch(stop_frame, CROSSING, turn)
    turns = seg[(seg["branch"] == MAIN) & (seg["date1"] <= drive["end"]) & (seg["direction"] == "east")]
    back = stretch(stop_frame, turn, fallback)
    whole = stretch(stop_frame, CROSSING, border, "left_detachment")
    return {
        "route_n_turns": len(turns),
        "route_km_turns": round(turns["km"].sum()),
        "route_turns": ", ".join(f"{a} to {b}" for a, b in zip(turns["from_en"], turns["to_en"], strict=True)),
        "route_km_drive": round(drive["km"]),
        "route_days_drive": drive["days"],
        "route_km_back": round(back["km"]),
        "route_km_whole": round(whole["km"]),
        "route_days_whole": whole["days"],
    }


def beyond_numbers(points: pd.DataFrame, places: pd.DataFrame, stop_frame: pd.DataFrame) -> dict[str, object]:
    """Where the record goes beyond the map (keys start ``route_``): the places
    (``route_beyond``) and how far the farthest lies from the route's last stop,
    in a straight line (``route_km_beyond``)."""
    dropped = points.attrs["dropped"]
    beyond = dropped[dropped["reason"] == "beyond the map"]
    if beyond.empty:
        return {"route_beyond": "none", "route_km_beyond": 0}
    far = places.set_index("place_id").loc[beyond["place_id"].unique()]
    last = stop_frame.iloc[-1]
    km = haversine_km(last["lat"], last["lon"], far["lat"].to_numpy(), far["lon"].to_numpy())
    return {
        "route_beyond": ", ".join(place_label(r) for _, r in far.iterrows()),
        "route_km_beyond": round(float(np.max(km))),
    }


def finding(numbers: dict[str, object]) -> str:
    """The route chapter's answer in one line, from :func:`chapter` numbers: where
    the band starts and ends (a bound stays a bound) and how far and how long
    ("From at least 21,800 men at the Yellow River to at least 400 at the Xinjiang
    border: 1,339 km as the crow flies, in 185 days"). Straight-line km are a
    lower bound on the ground covered, and the words say so."""
    return (
        f"From {numbers['route_str_start']} men at the Yellow River to {numbers['route_str_left_end']} "
        f"at the Xinjiang border: {numbers['route_km_whole']:,} km as the crow flies, "
        f"in {numbers['route_days_whole']} days"
    )


@dataclass
class Chapter:
    """Everything the route chapter draws and quotes (see :func:`chapter`)."""

    points: pd.DataFrame
    stops: pd.DataFrame
    segments: pd.DataFrame
    figures: pd.DataFrame
    widths: pd.DataFrame
    numbers: dict[str, object] = field(default_factory=dict)


def chapter(
    actions: pd.DataFrame,
    places: pd.DataFrame,
    strength: pd.DataFrame,
    within: tuple[float, float, float, float] | None = None,
    **stretches: str,
) -> Chapter:
    """The route from the crossing (places outside ``within`` dropped), its
    stops, segments, band figures and widths, and every number the chapter
    quotes: :func:`chapter_numbers`, :func:`stretch_numbers` (``stretches``
    may name other places for ``turn``, ``fallback``, ``border``) and
    :func:`beyond_numbers`."""
    points = route_points(actions, places, since=crossing_date(actions), within=within)
    stop_frame = stops(points)
    seg = segments(stop_frame)
    figs = band_figures(strength)
    numbers = {
        **chapter_numbers(actions, points, stop_frame, seg, figs),
        **stretch_numbers(stop_frame, seg, **stretches),
        **beyond_numbers(points, places, stop_frame),
    }
    if {"route_str_start", "route_str_left_end", "route_km_whole", "route_days_whole"} <= numbers.keys():
        numbers["route_finding"] = finding(numbers)
    return Chapter(points, stop_frame, seg, figs, widths(stop_frame, figs), numbers)
