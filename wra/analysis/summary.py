"""What the record holds: counts, its spread over time, and its sources.

Used by the record chapter (``notebooks/01_record.md``). Functions take the
tables (as returned by :func:`wra.record.data.load_all`) and return data frames
and numbers; the chapter's charts are :mod:`wra.presentation.summary_charts`,
its tables :mod:`wra.presentation.summary_tables`.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from wra.analysis.directives import id_numbers
from wra.record import schema, sources

# The article and the works it cites, by the kind of witness they are.
# Every other key is an external source, graded in the tables (H/M/L).
PERSPECTIVE = {
    "article": "the article: a scholarly argument with a thesis",
    "compilation": "official documentary compilation (Party or army editors)",
    "memoir": "memoir, or a study of one",
    "digest": "journal digest (views the article disputes)",
    "external": "other published accounts (graded H/M/L)",
}

# The article itself is recognised from the data (wra.record.sources.article_key).
SOURCE_PERSPECTIVE = {
    "mao_nianpu_1993": "compilation",
    "mao_junshi_wenji_1": "compilation",
    "mao_xuanji_1": "compilation",
    "peng_zishu_1981": "memoir",
    "yu_jinan_1982": "memoir",
    "renda_xiandaishi_1992": "digest",
}

# Lanes of the monthly chart: issuer groups for directives, then the army's actions.
LANES = {
    "central": "中央 Party centre: directives",
    "zhang_guotao": "张国焘 Zhang Guotao: directives",
    "army": "西路军领导 Army leadership: directives",
    "actions": "西路军 The army: actions",
}

ROW_TABLES = ("directives", "actions", "assessments", "strength", "places")


def perspective(key: str, article: str | None = None) -> str:
    if key == article:
        return "article"
    return SOURCE_PERSPECTIVE.get(key, "external")


def _article(tables: Mapping[str, pd.DataFrame]) -> str:
    return sources.article_key(*(tables[t] for t in ROW_TABLES))


def chapter_numbers(tables: Mapping[str, pd.DataFrame]) -> dict[str, object]:
    """Every number the record chapter's prose quotes, from the data (keys start ``rec_``).

    Row counts per table, how much of the record rests on the article, and
    the busiest months (:func:`busiest_months` of :func:`monthly`).
    """
    out: dict[str, object] = {f"n_{name}": len(tables[name]) for name in ROW_TABLES}
    keyed = [tables[t] for t in ("directives", "actions", "strength")]
    rows = sum(len(t) for t in keyed)
    article = _article(tables)
    via_article = sum(int(((t["source"] == article) | (t["via"] == article)).sum()) for t in keyed)
    quoted = sum(int(t["quote_zh"].fillna("").str.len().gt(0).sum()) for t in keyed)
    used = set()
    for name in ROW_TABLES:
        used |= set(tables[name]["source"].dropna())
        if "via" in tables[name]:
            used |= set(tables[name]["via"].dropna())
    d = tables["directives"]
    out.update(
        n_directives_from_article=int(((d["source"] == article) | (d["via"] == article)).sum()),
        n_dated_rows=rows,
        n_rows_from_article=via_article,
        n_quotations=quoted,
        n_sources_used=len(used - {""}),
        n_red_figures=int((tables["strength"]["side"] == "red").sum()),
        n_ma_figures=int((tables["strength"]["side"] == "ma").sum()),
        busiest_months=busiest_months(monthly(tables)),
        monthly_finding=monthly_finding(monthly(tables)),
        **id_numbers(d),
    )
    return {f"rec_{key}": value for key, value in out.items()}


def monthly(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Directives (by issuer group) and actions per calendar month: month, lane, count."""
    directives = tables["directives"].assign(lane=tables["directives"]["issuer"].map(schema.ISSUER_GROUP))
    actions = tables["actions"].assign(lane="actions")
    both = pd.concat([directives[["date", "lane"]], actions[["date", "lane"]]], ignore_index=True)
    both["month"] = both["date"].dt.to_period("M").dt.to_timestamp()
    months = pd.date_range(both["month"].min(), both["month"].max(), freq="MS")
    grid = pd.MultiIndex.from_product([months, list(LANES)], names=["month", "lane"])
    counted = both.groupby(["month", "lane"]).size().reindex(grid, fill_value=0)
    return counted.rename("count").reset_index()


def busiest_months(table: pd.DataFrame, k: int = 2) -> str:
    """The ``k`` months with the most rows, in date order, e.g. 'October and November 1936'."""
    totals = table.groupby("month")["count"].sum()
    top = sorted(totals.sort_values(ascending=False, kind="stable").index[:k])
    names = [pd.Timestamp(m).strftime("%B %Y") for m in top]
    if len({pd.Timestamp(m).year for m in top}) == 1:
        names = [pd.Timestamp(m).strftime("%B") for m in top[:-1]] + [names[-1]]
    return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]


def source_profile(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per source key: work, perspective, rows citing it, rows read through it, tables."""
    cites: dict[str, dict] = {}
    for name in ("directives", "actions", "assessments", "strength", "places"):
        frame = tables[name]
        for key, n in frame["source"].value_counts().items():
            entry = cites.setdefault(key, {"rows": 0, "via_rows": 0, "tables": set()})
            entry["rows"] += int(n)
            entry["tables"].add(name)
        if "via" in frame:
            for key, n in frame["via"].dropna().loc[lambda v: v != ""].value_counts().items():
                entry = cites.setdefault(key, {"rows": 0, "via_rows": 0, "tables": set()})
                entry["via_rows"] += int(n)
                entry["tables"].add(name)
    order = {k: i for i, k in enumerate(PERSPECTIVE)}
    article = _article(tables)
    out = pd.DataFrame(
        [
            {
                "source": key,
                "work": sources.short_label(key),
                "perspective": PERSPECTIVE[perspective(key, article)],
                "rows": v["rows"],
                "via_rows": v["via_rows"],
                "tables": ", ".join(t for t in ROW_TABLES if t in v["tables"]),
                "_order": order[perspective(key, article)],
            }
            for key, v in cites.items()
        ]
    )
    out = out.sort_values(["_order", "rows", "source"], ascending=[True, False, True], kind="stable")
    return out.drop(columns="_order").reset_index(drop=True)


def _kinds(profile: pd.DataFrame) -> list[str]:
    """The perspective code of each row of a source profile (from its label)."""
    codes = {label: code for code, label in PERSPECTIVE.items()}
    return [codes[label] for label in profile["perspective"]]


def perspective_summary(profile: pd.DataFrame) -> pd.DataFrame:
    """Rows per perspective (directives, actions, strength and places rows citing each kind)."""
    kinds = profile.assign(kind=_kinds(profile))
    out = kinds.groupby("kind", sort=False).agg(sources=("source", "size"), rows=("rows", "sum"))
    out.index = [PERSPECTIVE[k] for k in out.index]
    return out.reset_index(names="perspective")


def monthly_finding(table: pd.DataFrame, k: int = 2) -> str:
    """The monthly chart's answer: where the record is densest and how much of it
    lies there, "Densest in October and November 1936: 62 of the 110 directives and actions"."""
    totals = table.groupby("month")["count"].sum()
    top = totals.sort_values(ascending=False, kind="stable").iloc[:k]
    return f"Densest in {busiest_months(table, k)}: {int(top.sum())} of the {int(totals.sum())} directives and actions"
