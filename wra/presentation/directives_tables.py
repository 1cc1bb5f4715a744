"""The central table of the chapter *Directives and actions*, with HTML cells.

:func:`directive_table` gives one row per directive: who gave it, the
Chinese quotation with its gloss and citation, what was done about it and
the verdict. Cells are :class:`wra.presentation.tables.Html`, for
:func:`wra.presentation.tables.show`. The analysis behind it (pairings,
verdicts) is :mod:`wra.analysis.directives`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping

import pandas as pd

from wra.analysis.directives import UNASSESSED, VERDICT_LABEL, directive_verdicts, overall_verdict, rule_label
from wra.presentation.charts import date_label
from wra.presentation.tables import Html, cite_cell, prose_html, zh_with_gloss
from wra.record import schema
from wra.record.names import short_place_label


def _esc(value: object) -> str:
    """Text for an element's content: &, < and > escaped (quotes need no escaping outside attributes)."""
    return html.escape(str(value), quote=False)


def _span_label(row: Mapping) -> str:
    text = date_label(row["action_date"], row.get("action_date_precision"))
    end = row.get("action_date_end")
    if end is not None and not pd.isna(end):
        text += f" to {end.strftime('%Y-%m-%d')}"
    return text


def first_clause(text: str, limit: int = 110) -> str:
    """The first sentence (or clause before a semicolon) of ``text``, cut to ``limit`` characters."""
    text = " ".join(str(text).split())
    match = re.search(r"(?<=[.;])\s", text)
    head = text[: match.start()].rstrip(".;") if match else text.rstrip(".")
    if len(head) > limit:
        head = head[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return head


def action_label(row: Mapping, place_names: Mapping[str, str] | None = None) -> str:
    """``Western Route Army, capture, Gulang 古浪``: who did what where (from prefixed pairing columns)."""
    parts = [schema.ACTOR[row["actor"]], schema.KIND[row["kind"]].split(" (")[0]]
    place = row.get("place_id")
    if isinstance(place, str) and place:
        parts.append((place_names or {}).get(place, place))
    return ", ".join(parts)


def done_cell(
    group: pd.DataFrame,
    cite: Callable[[Mapping], str] | None = None,
    place_names: Mapping[str, str] | None = None,
    shown: dict[str, str] | None = None,
) -> Html:
    """The "what was done" cell of one directive: its answering actions in date order.

    Each action: its id and date, who did what where (:func:`action_label`),
    the first clause of its English summary (the whole summary is in the table of
    actions of the chapter *The record*; an action answering several directives is
    not repeated in full in every row, which kept the page under its weight), and
    its citation; when the directive's pairings disagree, each
    action also shows its own verdict. A directive with no answering action
    says so. ``shown`` (action id -> directive id) names the actions an earlier
    row already gave in full: those are given by id, date and label only, with
    the row to look in; the cell adds the actions it gives in full.
    """
    acted = group[group["action_id"].notna()].sort_values(["action_date", "action_id"], kind="stable")
    mixed = group.loc[group["verdict"] != UNASSESSED, "verdict"].nunique() > 1
    items = []
    for _, row in acted.drop_duplicates("action_id").iterrows():
        arow = {k[len("action_") :]: row[k] for k in row.index if k.startswith("action_")}
        verdict = f' <span class="verdict">[{_esc(VERDICT_LABEL[row["verdict"]])}]</span>' if mixed else ""
        aid = str(row["action_id"])
        head = f"<li><b>{_esc(aid)}</b> {_esc(_span_label(row))}: {_esc(action_label(row, place_names))}{verdict}"
        earlier = (shown or {}).get(aid)
        if earlier and earlier != row["directive_id"]:
            items.append(f'{head}<span class="gloss">As given under {_esc(earlier)}.</span></li>')
            continue
        if shown is not None:
            shown.setdefault(aid, str(row["directive_id"]))
        summary = str(row["action_summary_en"])
        items.append(
            f'{head}<span class="gloss">{prose_html(first_clause(summary))}</span>'
            f"{cite_cell(arow, cite, link_via=False)}</li>"
        )
    if not items:
        nothing = "No answering action in the record." if (group["verdict"] == UNASSESSED).all() else "Nothing done."
        return Html(f"<em>{_esc(nothing)}</em>")
    return Html('<ul class="wra-done">' + "".join(items) + "</ul>")


def verdict_cell(group: pd.DataFrame, verdict: str) -> Html:
    """The verdict, bold, then each pairing's action, rule (:func:`wra.analysis.directives.rule_label`)
    and rationale underneath."""
    parts = [f'<span class="verdict">{_esc(VERDICT_LABEL[verdict])}</span>']
    seen = set()
    for _, row in group[group["verdict"] != UNASSESSED].iterrows():
        text = row.get("rationale_en")
        if not isinstance(text, str) or text in seen:
            continue
        seen.add(text)
        action = row.get("action_id")
        head = f"{action}, " if isinstance(action, str) and action else ""
        rule = rule_label(row)
        head = f"<b>{_esc(head + rule)}</b>: " if (head or rule) else ""
        parts.append(f'<span class="gloss">{head}{prose_html(text)}</span>')
    return Html("".join(parts))


def directive_table(
    pairs: pd.DataFrame,
    cite: Callable[[Mapping], str] | None = None,
    article: str | None = None,
    places: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The chapter's central table: one row per directive, in date order.

    Four columns, so that the table fits a book page and scrolls on a phone:
    ``Directive`` (id, date, issuer → recipient; when ``article`` is given, a
    directive whose row, assessments and answering actions all rest on it is
    flagged "article only", as :func:`wra.analysis.directives.directive_verdicts`
    decides; a directive that is not an order is flagged with its kind),
    ``Order and source`` (Chinese quotation with English gloss, then the
    directive's citation: by ``cite`` when given, e.g. :func:`wra.record.sources.cite`, else
    linked to the bibliography, :func:`wra.presentation.tables.cite_row_html`),
    ``What was done`` (:func:`done_cell`; place names from ``places`` when
    given) and ``Verdict`` (:func:`verdict_cell`, the overall verdict of
    :func:`wra.analysis.directives.overall_verdict`).
    """
    place_names = (
        {r["place_id"]: short_place_label(r) for r in places.to_dict("records")} if places is not None else None
    )
    article_only: set = set()
    if article is not None:
        verdicts = directive_verdicts(pairs, article=article)
        article_only = set(verdicts.loc[verdicts["article_only"].astype(bool), "directive_id"])
    rows = []
    shown: dict[str, str] = {}
    ordered = pairs.sort_values(["directive_date", "directive_id"], kind="stable")
    for directive_id, group in ordered.groupby("directive_id", sort=False):
        first = group.iloc[0]
        drow = {k[len("directive_") :]: first[k] for k in first.index if k.startswith("directive_")}
        quote = first["directive_quote_zh"]
        quote = quote if isinstance(quote, str) and quote else None
        when = date_label(first["directive_date"], first["directive_date_precision"])
        kind = first.get("directive_kind")
        flag = f'<br><span class="verdict">{_esc(kind)}</span>' if isinstance(kind, str) and kind != "order" else ""
        if directive_id in article_only:
            flag += '<br><span class="verdict">article only</span>'
        rows.append(
            {
                "_date": first["directive_date"],
                "_id": directive_id,
                "Directive": Html(
                    f"<b>{_esc(directive_id)}</b> {_esc(when)}<br>"
                    f"{_esc(schema.ISSUER[first['issuer']])} → {_esc(schema.RECIPIENT[first['recipient']])}{flag}"
                ),
                "Order and source": Html(
                    str(zh_with_gloss(quote, first["directive_summary_en"])) + cite_cell(drow, cite, link_via=False)
                ),
                "What was done": done_cell(group, cite, place_names, shown),
                "Verdict": verdict_cell(group, overall_verdict(group["verdict"])),
            }
        )
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    out = out.sort_values(["_date", "_id"], kind="stable").drop(columns=["_date", "_id"])
    return out.reset_index(drop=True)
