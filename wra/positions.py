"""The historiography as data: positions (``data/positions.csv``) and their readings.

A *position* is one claim about why the Western Route Army went west and was
destroyed, held by someone at some date, with a short verbatim excerpt as it
was retrieved (``excerpt_zh``), the page where it was read (``source``) and
two grades: of the copy read (``grade``) and, where it differs, of the
document behind it (``document_grade``). *Readings* (``data/readings.csv``)
record where a position reads a pairing of the record differently from the
codebook; :mod:`wra.sensitivity` recomputes the chapter's counts under them.

This module builds the tables the chapter *The debate* shows and the words
its prose glues. Nothing here draws.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

import pandas as pd

from wra import schema, tables
from wra import directives as wd

GRADE_WORDS = {"H": "H (official text)", "M": "M (scholarly or memoir)", "L": "L (popular or partisan copy)"}


def date_text(row: Mapping) -> str:
    """The date of a position as the prose gives it: the first part of ``when_en``, or the year."""
    when = row.get("when_en")
    if isinstance(when, str) and when.strip():
        return re.split(r"[,;(]", when)[0].strip()
    return str(int(row["year"]))


def short_holder(row: Mapping) -> str:
    """``Xu Xiangqian (1984)``: the holder's name before the first comma, with the year."""
    from wra.sensitivity import _short_holder

    return _short_holder(row)


def grade_text(row: Mapping) -> str:
    """``copy L; document H``: the grades, the document's only where one is given."""
    text = f"copy {row['grade']}"
    doc = row.get("document_grade")
    if isinstance(doc, str) and doc:
        text += f"; document {doc}"
    return text


def positions_table(positions: pd.DataFrame, cite: Callable[[Mapping], str]) -> pd.DataFrame:
    """One row per position, for :func:`wra.tables.show`.

    Columns: ``Who, when`` (holder in English and Chinese, and the date),
    ``Claim, and in their words`` (the claim in our words, the verbatim
    excerpt with its English gloss, and the evidence it rests on), ``Read in``
    (citation, grades and caveat). Three columns, so the table reads on a phone.
    """
    rows = []
    for row in positions.sort_values(["year", "id"], kind="stable").to_dict("records"):
        who = tables.Html(f"<b>{_esc(row['id'])}</b> {_esc(row['holder_en'])} "
                          f'<span class="zh" lang="zh">{_esc(row["holder_zh"])}</span>'
                          f'<span class="gloss">{_esc(row.get("when_en") or row["year"])}</span>')
        claim = tables.Html(f"{_esc(row['claim_en'])}"
                            f'<span class="zh" lang="zh" style="display:block;margin-top:0.3rem">'
                            f'{_esc(row["excerpt_zh"])}</span>'
                            f'<span class="gloss">{_esc(row["excerpt_en"])}</span>'
                            f'<span class="gloss">Rests on: {_esc(row["evidence_en"])}</span>')
        caveat = row.get("caveat_en")
        read = tables.Html(f'<span class="cite">{_esc(cite(row))}</span>'
                           f'<span class="gloss">Grade: {_esc(grade_text(row))}.'
                           + (f" {_esc(caveat)}" if isinstance(caveat, str) and caveat else "")
                           + "</span>")
        rows.append({"Who, when": who, "Claim, and in their words": claim, "Read in": read})
    return pd.DataFrame(rows, columns=["Who, when", "Claim, and in their words", "Read in"])


def _esc(value) -> str:
    import html

    return html.escape(str(value))


def readings_table(assessments: pd.DataFrame, readings: pd.DataFrame, positions: pd.DataFrame,
                   directives: pd.DataFrame, actions: pd.DataFrame) -> pd.DataFrame:
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
        pairing = tables.Html(
            f"<b>{_esc(did)}</b> {_esc(wd.first_clause(d.loc[did, 'summary_en'], 70))}"
            f'<span class="gloss"><b>{_esc(aid)}</b> {_esc(wd.first_clause(a.loc[aid, "summary_en"], 70))}</span>')
        codebook = tables.Html(f'<span class="verdict">{_esc(wd.VERDICT_LABEL[b["verdict"]])}</span>'
                               f'<span class="gloss">{_esc(wd.rule_label(b))}</span>')
        parts = []
        for _, r in readings[(readings["directive_id"] == did) & (readings["action_id"] == aid)].iterrows():
            holder = short_holder(by_id.loc[r["position_id"]])
            parts.append(f"<li><b>{_esc(holder)}</b>: {_esc(wd.VERDICT_LABEL[r['verdict']])} "
                         f"({_esc(wd.rule_label(r))}). {_esc(r['rationale_en'])}</li>")
        rows.append({"Pairing": pairing, "Codebook": codebook,
                     "Readings": tables.Html('<ul class="wra-done">' + "".join(parts) + "</ul>")})
    return pd.DataFrame(rows, columns=["Pairing", "Codebook", "Readings"])


def chapter_numbers(positions: pd.DataFrame, readings: pd.DataFrame) -> dict[str, object]:
    """Every number and date the chapter's prose states, keyed ``hist_...``.

    Per position ``P``: ``hist_P_year``, ``hist_P_date`` (:func:`date_text`)
    and ``hist_P_holder`` (:func:`short_holder`); counts of positions, of
    positions per camp and per grade of the copy read, of readings, of the
    pairings and positions they concern; the years of the first and last
    position.
    """
    out: dict[str, object] = {
        "hist_n_positions": int(len(positions)),
        "hist_n_readings": int(len(readings)),
        "hist_n_read_pairings": int(len(set(zip(readings["directive_id"], readings["action_id"])))),
        "hist_n_reading_positions": int(readings["position_id"].nunique()),
        "hist_first_year": int(positions["year"].min()),
        "hist_last_year": int(positions["year"].max()),
    }
    for camp in schema.CAMP:
        out[f"hist_n_{camp}"] = int((positions["camp"] == camp).sum())
    for grade in schema.CONFIDENCE:
        out[f"hist_n_grade_{grade}"] = int((positions["grade"] == grade).sum())
    out["hist_n_documents_via_copies"] = int(positions["document_grade"].notna().sum())
    for row in positions.to_dict("records"):
        pid = row["id"]
        out[f"hist_{pid}_year"] = int(row["year"])
        out[f"hist_{pid}_date"] = date_text(row)
        out[f"hist_{pid}_holder"] = short_holder(row)
    return out


def excerpts_in(memo: str, positions: pd.DataFrame) -> list[str]:
    """The ids of positions whose excerpt is *not* verbatim in ``memo`` (the research memo's text)."""
    return [row["id"] for row in positions.to_dict("records") if row["excerpt_zh"] not in memo]
