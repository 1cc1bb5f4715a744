"""The tables of the chapter *The debate*: the positions and the readings, with HTML cells.

The words and numbers behind them are :mod:`wra.analysis.positions`; the
readings' effect on the counts is :mod:`wra.analysis.sensitivity`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd

from wra.analysis.directives import VERDICT_LABEL, rule_label
from wra.analysis.positions import grade_text, short_holder
from wra.presentation.directives_tables import first_clause
from wra.presentation.tables import Html, prose_html, show
from wra.record import schema


def _esc(value) -> str:
    """Escaped text; a bibliography key in it reads as its source, linked (:func:`prose_html`)."""
    return prose_html(value)


def positions_table(positions: pd.DataFrame, cite: Callable[[Mapping], str]) -> pd.DataFrame:
    """One row per position, for :func:`wra.presentation.tables.show`.

    Columns: ``Who, when`` (holder in English and Chinese, and the date),
    ``Claim, and in their words`` (the claim in our words, the verbatim
    excerpt with its English gloss, and the evidence it rests on), ``Read in``
    (citation, grades and caveat). Three columns, so the table reads on a phone.
    """
    rows = []
    for row in positions.sort_values(["year", "id"], kind="stable").to_dict("records"):
        who = Html(
            f"<b>{_esc(row['id'])}</b> {_esc(row['holder_en'])} "
            f'<span class="zh" lang="zh">{_esc(row["holder_zh"])}</span>'
            f'<span class="gloss">{_esc(row.get("when_en") or row["year"])}</span>'
        )
        claim = Html(
            f"{_esc(row['claim_en'])}"
            f'<span class="zh" lang="zh" style="display:block;margin-top:0.3rem">'
            f"{_esc(row['excerpt_zh'])}</span>"
            f'<span class="gloss">{_esc(row["excerpt_en"])}</span>'
            f'<span class="gloss">Rests on: {_esc(row["evidence_en"])}</span>'
        )
        caveat = row.get("caveat_en")
        read = Html(
            f'<span class="cite">{_esc(cite(row))}</span>'
            f'<span class="gloss">Grade: {_esc(grade_text(row))}.'
            + (f" {_esc(caveat)}" if isinstance(caveat, str) and caveat else "")
            + "</span>"
        )
        rows.append({"Who, when": who, "Claim, and in their words": claim, "Read in": read})
    return pd.DataFrame(rows, columns=["Who, when", "Claim, and in their words", "Read in"])


def readings_table(
    assessments: pd.DataFrame,
    readings: pd.DataFrame,
    positions: pd.DataFrame,
    directives: pd.DataFrame,
    actions: pd.DataFrame,
) -> pd.DataFrame:
    """The pairings some position reads differently from the codebook, one row each.

    Columns: ``Pairing`` (ids and the first clause of each summary),
    ``Codebook`` (verdict, rule and rationale), ``Readings`` (each position's
    verdict and rule with its rationale, holder first).
    """
    d = directives.set_index("id")
    a = actions.set_index("id")
    by_id = positions.set_index("id")
    base = assessments.set_index(["directive_id", "action_id"])
    rows = []
    pairs = list(dict.fromkeys(zip(readings["directive_id"], readings["action_id"])))
    pairs.sort(key=lambda p: (d.loc[p[0], "date"], p[0], a.loc[p[1], "date"], p[1]))
    for did, aid in pairs:
        b = base.loc[(did, aid)]
        pairing = Html(
            f"<b>{_esc(did)}</b> {_esc(first_clause(d.loc[did, 'summary_en'], 70))}"
            f'<span class="gloss"><b>{_esc(aid)}</b> {_esc(first_clause(a.loc[aid, "summary_en"], 70))}</span>'
        )
        codebook = Html(
            f'<span class="verdict">{_esc(VERDICT_LABEL[b["verdict"]])}</span>'
            f'<span class="gloss">{_esc(rule_label(b))}</span>'
        )
        parts = []
        for _, r in readings[(readings["directive_id"] == did) & (readings["action_id"] == aid)].iterrows():
            holder = short_holder(by_id.loc[r["position_id"]])
            parts.append(
                f"<li><b>{_esc(holder)}</b>: {_esc(VERDICT_LABEL[r['verdict']])} "
                f"({_esc(rule_label(r))}). {_esc(r['rationale_en'])}</li>"
            )
        rows.append(
            {
                "Pairing": pairing,
                "Codebook": codebook,
                "Readings": Html('<ul class="wra-done">' + "".join(parts) + "</ul>"),
            }
        )
    return pd.DataFrame(rows, columns=["Pairing", "Codebook", "Readings"])


def camp(positions: pd.DataFrame, name: str, cite: Callable[[Mapping], str] | None = None):
    """The positions of one camp (:data:`wra.record.schema.CAMP`) as a book table, captioned with the camp."""
    if cite is None:
        from wra.record.sources import cite
    label = schema.CAMP[name]
    return show(positions_table(positions[positions["camp"] == name], cite), caption=label[:1].upper() + label[1:])
