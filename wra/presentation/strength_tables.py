"""Tables of troop-strength figures for the book, with HTML cells.

The analysis behind them (bounds, wording, selection) is
:mod:`wra.analysis.strength`.
"""

from __future__ import annotations

import pandas as pd

from wra.analysis.strength import describe, text_or_empty
from wra.presentation.tables import cite_cell, zh_with_gloss
from wra.record import schema

COLUMNS = ("Date", "Unit", "Measure", "Figure", "Chinese wording", "Source", "Confidence", "Comment")


def table(frame: pd.DataFrame, cite=None) -> pd.DataFrame:
    """A reader's table of figures, sorted by date: what each source says,
    in its words, with citation and confidence.

    Columns: Date, Unit, Measure, Figure (:func:`wra.analysis.strength.describe`),
    Chinese wording, Source, Confidence, Comment. ``cite`` turns a row into a
    citation string (default: the short citation linked to the bibliography,
    :func:`wra.presentation.tables.cite_row_html`).
    """
    ordered = frame.sort_values(["date", "unit", "source", "id"], kind="stable")
    records = []
    for _, row in ordered.iterrows():
        zh = text_or_empty(row.get("quote_zh")) or text_or_empty(row.get("wording_zh"))
        precision = "" if row["date_precision"] == "day" else f" ({row['date_precision']})"
        records.append(
            {
                "Date": row["date"].strftime("%Y-%m-%d") + precision,
                "Unit": schema.UNIT.get(row["unit"], row["unit"]),
                "Measure": schema.MEASURE.get(row["measure"], row["measure"]),
                "Figure": describe(row),
                "Chinese wording": zh_with_gloss(zh) if zh else "",
                "Source": cite_cell(row, cite),
                "Confidence": row["confidence"],
                "Comment": text_or_empty(row.get("comment_en")),
            }
        )
    return pd.DataFrame.from_records(records, columns=list(COLUMNS))
