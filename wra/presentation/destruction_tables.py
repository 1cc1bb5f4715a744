"""The tables of the chapter *Why the army was destroyed*, with HTML cells.

The rows and numbers behind them are :mod:`wra.analysis.destruction`; this
module only lays them out (citations linked, Chinese words with their
source's grade). Three or four columns each, so the tables read on a phone.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

from wra.analysis import strength as st
from wra.presentation.tables import Html, cite_row_html, prose_html
from wra.record import schema


def _esc(value) -> str:
    return prose_html(value) if value is not None and not (isinstance(value, float) and math.isnan(value)) else ""


def _zh(text) -> str:
    """Chinese words on a line of their own under the English."""
    if not (isinstance(text, str) and text):
        return ""
    return f'<span class="zh zh-line" lang="zh">{_esc(text)}</span>'


def _gloss(text) -> str:
    return f'<span class="gloss">{_esc(text)}</span>' if isinstance(text, str) and text else ""


def _day(ts) -> str:
    return "" if pd.isna(ts) else f"{ts.day} {ts:%b %Y}"


def _span(row) -> str:
    end = row.get("date_end")
    if end is None or pd.isna(end) or end == row["date"]:
        return _day(row["date"])
    return f"{_day(row['date'])} to {_day(end)}"


def _words(row) -> str:
    for column in ("quote_zh", "wording_zh", "excerpt_zh"):
        text = row.get(column)
        if isinstance(text, str) and text:
            return text
    return ""


def ratio_text(low, high) -> str:
    """A force ratio as the bounds allow: "2.0 to 3.3", "at least 2.0", "at most 3.3" or "open"."""
    has_low = low is not None and not (isinstance(low, float) and math.isnan(low))
    has_high = high is not None and not (isinstance(high, float) and math.isnan(high))
    if has_low and has_high:
        return f"{low:.1f}" if abs(low - high) < 0.05 else f"{low:.1f} to {high:.1f}"
    if has_low:
        return f"at least {low:.1f}"
    if has_high:
        return f"at most {high:.1f}"
    return "open"


def ma_figures(strength: pd.DataFrame, ma_side: Iterable[str], shown_elsewhere: Iterable[str] = ()) -> pd.DataFrame:
    """The Ma forces' figures by date: when, what (unit, measure, figure), in whose words, where read;
    without the rows ``shown_elsewhere`` names (the losses at an engagement, which the losses table holds)."""
    keys = set(ma_side)
    rows = []
    ma = strength[(strength["side"] == "ma") & ~strength["id"].isin(set(shown_elsewhere))]
    ma = ma.sort_values(["date", "id"], kind="stable")
    for row in ma.to_dict("records"):
        what = Html(
            f"<b>{_esc(row['id'])}</b> {_esc(schema.UNIT[row['unit']])}: {_esc(schema.MEASURE[row['measure']])}, "
            f"{_esc(st.describe(row))}"
            + (f" ({_esc(row['engagement_id'])})" if isinstance(row.get("engagement_id"), str) else "")
            + _zh(_words(row))
        )
        read = Html(
            str(cite_row_html(row, link_via=False))
            + _gloss(f"Grade {row['confidence']}" + ("; Ma-side account" if row["source"] in keys else ""))
        )
        rows.append({"When": _span(row), "Figure": what, "Read in": read})
    return pd.DataFrame(rows, columns=["When", "Figure", "Read in"])


def engagements(engagements: pd.DataFrame, coverage: pd.DataFrame, envelope: pd.DataFrame) -> pd.DataFrame:
    """One row per engagement: when and where, who fought, its figures and the force ratio they allow."""
    cov = coverage.set_index("engagement_id")
    env = envelope.set_index("engagement_id")
    rows = []
    for row in engagements.to_dict("records"):
        eid = row["id"]
        reds = ", ".join(schema.UNIT[u] for u in row["red_units"].split(schema.LIST_SEPARATOR))
        what = Html(
            f"<b>{_esc(eid)} {_esc(row['name_en'])}</b> {_zh(row['name_zh'])}"
            f"{_gloss(_span(row))}"
            f'<span class="gloss">Red: {_esc(reds)}. Ma: {_esc(row["ma_units_en"])}.</span>'
        )
        c = cov.loc[eid]
        ratio = ""
        if eid in env.index:
            e = env.loc[eid]
            ratio = (
                f"Ma men per Red man: {ratio_text(e['ratio_low'], e['ratio_high'])} "
                f"({int(e['n_pairs'])} pair{'s' if e['n_pairs'] != 1 else ''} of figures)"
            )
        figures = Html(
            f"{int(c['n_red'])} Red, {int(c['n_ma'])} Ma figure{'s' if c['n_ma'] != 1 else ''}"
            + (f'<span class="gloss">{_esc(ratio)}</span>' if ratio else "")
            + _gloss(row.get("comment_en"))
        )
        rows.append({"Engagement": what, "Figures": figures, "Read in": cite_row_html(row, link_via=False)})
    return pd.DataFrame(rows, columns=["Engagement", "Figures", "Read in"])


def ratio_pairs(pairs: pd.DataFrame) -> pd.DataFrame:
    """Each pair of a Red and a Ma figure of one engagement, and the ratio the pair allows."""
    rows = []
    for p in pairs.to_dict("records"):
        rows.append(
            {
                "Engagement": f"{p['engagement_id']} {p['name_en']}",
                "Red figure": f"{p['red_id']} ({p['red_confidence']})",
                "Ma figure": f"{p['ma_id']} ({p['ma_confidence']})",
                "Ma men per Red man": ratio_text(p["ratio_low"], p["ratio_high"]),
            }
        )
    return pd.DataFrame(rows, columns=["Engagement", "Red figure", "Ma figure", "Ma men per Red man"])


def losses(loss_rows: pd.DataFrame, strength: pd.DataFrame) -> pd.DataFrame:
    """Every loss figure of an engagement: the engagement, the figure in its words, where read."""
    by_id = strength.set_index("id")
    rows = []
    for r in loss_rows.to_dict("records"):
        row = by_id.loc[r["id"]].to_dict() | {"id": r["id"]}
        what = Html(
            f"<b>{_esc(r['id'])}</b> {_esc(schema.UNIT[r['unit']])}: "
            f"{_esc(schema.MEASURE[r['measure']])}, {_esc(st.describe(row))}" + _zh(_words(row))
        )
        read = Html(
            str(cite_row_html(row, link_via=False))
            + _gloss(f"Grade {r['confidence']}" + ("; Ma-side account" if r["ma_side_account"] else ""))
        )
        rows.append({"Engagement": f"{r['engagement_id']} {r['name_en']}", "Figure": what, "Read in": read})
    return pd.DataFrame(rows, columns=["Engagement", "Figure", "Read in"])


def orders(orders: pd.DataFrame, lags: pd.DataFrame) -> pd.DataFrame:
    """The centre's orders to the army with a direction, and the most days the army took to answer one."""
    lag = lags.set_index("directive_id") if not lags.empty else pd.DataFrame()
    rows = []
    for o in orders.to_dict("records"):
        answer = ""
        if o["id"] in getattr(lag, "index", []):
            a = lag.loc[o["id"]]
            answer = f"answered within {int(a['days_at_most'])} days ({a['reply_id']})"
        rows.append(
            {
                "Order": Html(f"<b>{_esc(o['id'])}</b> {_esc(_day(o['date']))}" + _gloss(schema.ISSUER[o["issuer"]])),
                "Direction": o["direction"],
                "What it said": Html(_esc(str(o["summary_en"]).split(". ")[0].rstrip(".") + ".") + _gloss(answer)),
            }
        )
    return pd.DataFrame(rows, columns=["Order", "Direction", "What it said"])


def halts(halt_frame: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """The stretches the army stood still, with the days as bounds."""
    names = places.set_index("place_id")["name_en"].to_dict()
    rows = []
    for h in halt_frame.to_dict("records"):
        where = ", ".join(names.get(p, p) for p in h["places"].split(", "))
        moved = h["days_until_moved"]
        until = "" if math.isnan(moved) or int(moved) == h["days_seen"] else f" to {int(moved)}"
        rows.append(
            {
                "Where": where,
                "When": f"{_day(h['arrive'])} to {_day(h['last_seen'])}",
                "Days stationary": f"{h['days_seen']}{until}",
                "Actions": h["action_ids"],
            }
        )
    return pd.DataFrame(rows, columns=["Where", "When", "Days stationary", "Actions"])


def halts_within(halt_frames: dict[str, pd.DataFrame], places: pd.DataFrame) -> pd.DataFrame:
    """The stretches stood still under each rule (``halt_frames``: the rule's words, e.g. "20 km", and its
    stretches), one table: :func:`halts` with the rule first."""
    parts = [halts(frame, places).assign(Within=within) for within, frame in halt_frames.items()]
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["Within"])
    return out[["Within", *[c for c in out.columns if c != "Within"]]]


def windows(windows: pd.DataFrame, against: pd.DataFrame) -> pd.DataFrame:
    """Each window: when, who names or doubts it, in whose words, and the Ma figures dated near it."""
    near = against.set_index("id")
    rows = []
    for w in windows.to_dict("records"):
        n = near.loc[w["id"]]
        ma = (
            f"Ma figures within the window's days: {n['ma_ids']} (largest lower bound {n['ma_largest_low']:,.0f})"
            if n["n_ma"]
            else "No Ma figure dated near it."
        )
        claim = Html(
            f"<b>{_esc(w['id'])}</b> {_esc(w['claim_en'])}"
            + _zh(_words(w))
            + _gloss(f"{'Named' if w['stance'] == 'chance' else 'Doubted'} by {w['named_by_en']}.")
            + _gloss(ma)
        )
        read = Html(str(cite_row_html(w, link_via=False)) + _gloss(f"Grade {w['confidence']}"))
        rows.append({"When": _span(w), "Chance": claim, "Read in": read})
    return pd.DataFrame(rows, columns=["When", "Chance", "Read in"])


def conditions(conditions: pd.DataFrame) -> pd.DataFrame:
    """The conditions by topic and date: what the source says (number or words), where read."""
    rows = []
    for c in conditions.to_dict("records"):
        number = ""
        if isinstance(c.get("qualifier"), str) and c["qualifier"]:
            number = f"{st.describe(c)} {c['measure_en']}"
        what = Html(
            f"<b>{_esc(c['id'])}</b> {_esc(c['summary_en'])}"
            + (f'<span class="gloss">{_esc(number)}</span>' if number else "")
            + _zh(_words(c))
        )
        read = Html(str(cite_row_html(c, link_via=False)) + _gloss(f"Grade {c['confidence']}"))
        rows.append({"Topic": c["topic"].replace("_", " "), "When": _span(c), "Evidence": what, "Read in": read})
    return pd.DataFrame(rows, columns=["Topic", "When", "Evidence", "Read in"])


def causes(table: pd.DataFrame) -> pd.DataFrame:
    """The causes against the evidence: the position and its claim, what the record shows, on how many works."""
    rows = []
    for r in table.to_dict("records"):
        who = Html(
            f"<b>{_esc(r['position_id'])}</b> {_esc(r['holder_en'])} ({r['year']})"
            + _gloss(f"{'Names' if r['holds'] == 'cause' else 'Denies'}: {r['cause_en']}")
        )
        base = "one work" if r["single_source"] else f"{r['n_sources']} works"
        shows = Html(
            _esc(r["shows"])
            + _gloss(f"Rests on {r['n_rows']} rows from {base}.")
            + _gloss(f"{'Cannot tell' if r['testable'] else 'Not testable here'}: {r['cannot']}")
        )
        rows.append({"Position": who, "Claim": r["claim_en"], "What the record shows": shows})
    return pd.DataFrame(rows, columns=["Position", "Claim", "What the record shows"])


def cause_summary(summary: pd.DataFrame) -> pd.DataFrame:
    """One row per cause: who names and who denies it, what the record can say of it, on how many works."""
    rows = []
    for r in summary.to_dict("records"):
        who = f"Named by {r['naming'] or 'none'}" + (f"; denied by {r['denying']}" if r["denying"] else "")
        rows.append(
            {
                "Cause": Html(f"<b>{_esc(r['cause_en'])}</b>" + _gloss(who)),
                "What the record can say": Html(
                    f"<b>{_esc(r['status'].replace('_', ' '))}</b>: {_esc(r['shows'])}"
                    + _gloss(f"Cannot tell: {r['cannot']}")
                ),
                "Works": r["n_sources"],
            }
        )
    return pd.DataFrame(rows, columns=["Cause", "What the record can say", "Works"])
