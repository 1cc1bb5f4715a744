"""The historiography as data: positions (``data/positions.csv``) and their readings.

A *position* is one claim about why the Western Route Army went west and was
destroyed, held by someone at some date, with a short verbatim excerpt as it
was retrieved (``excerpt_zh``), the page where it was read (``source``) and
two grades: of the copy read (``grade``) and, where it differs, of the
document behind it (``document_grade``). *Readings* (``data/readings.csv``)
record where a position reads a pairing of the record differently from the
codebook; :mod:`wra.analysis.sensitivity` recomputes the chapter's counts under them.

This module gives the words the chapter *The debate* glues; its tables, with
HTML cells, are :mod:`wra.presentation.positions_tables`. Nothing here draws.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from wra.record import schema

GRADE_WORDS = {"H": "H (official text)", "M": "M (scholarly or memoir)", "L": "L (popular or partisan copy)"}


def date_text(row: Mapping) -> str:
    """The date of a position as the prose gives it: the first part of ``when_en``, or the year."""
    when = row.get("when_en")
    if isinstance(when, str) and when.strip():
        return re.split(r"[,;(]", when)[0].strip()
    return str(int(row["year"]))


def short_holder(row: Mapping) -> str:
    """``Xu Xiangqian (1984)``: the holder's name before the first comma, with the year."""
    from wra.analysis.sensitivity import _short_holder

    return _short_holder(row)


def grade_text(row: Mapping) -> str:
    """``copy L; document H``: the grades, the document's only where one is given."""
    text = f"copy {row['grade']}"
    doc = row.get("document_grade")
    if isinstance(doc, str) and doc:
        text += f"; document {doc}"
    return text


def chapter_numbers(positions: pd.DataFrame, readings: pd.DataFrame) -> dict[str, object]:
    """Every number and date the chapter's prose states, keyed ``hist_...``.

    Per position ``P``: ``hist_P_year``, ``hist_P_date`` (:func:`date_text`)
    and ``hist_P_holder`` (:func:`short_holder`); counts of positions, of
    positions per camp and per grade of the copy read, of readings, of the
    pairings and positions they concern; the years of the first and last
    position.
    """
    out: dict[str, object] = {
        "hist_n_positions": len(positions),
        "hist_n_readings": len(readings),
        "hist_n_read_pairings": len(set(zip(readings["directive_id"], readings["action_id"]))),
        "hist_n_reading_positions": int(readings["position_id"].nunique()),
        "hist_n_camps": int(positions["camp"].nunique()),
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


def excerpts_in(memos: str | list[str], positions: pd.DataFrame) -> list[str]:
    """The ids of positions whose excerpt is *not* verbatim in any of ``memos`` (the research memos' texts)."""
    texts = [memos] if isinstance(memos, str) else list(memos)
    return [row["id"] for row in positions.to_dict("records") if not any(row["excerpt_zh"] in t for t in texts)]
