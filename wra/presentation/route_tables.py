"""The route chapter's table of the figures behind the band's width, with HTML citations.

The figures and the rule that picks one per date are
:func:`wra.analysis.route.band_figures`.
"""

from __future__ import annotations

import pandas as pd

from wra.analysis import route
from wra.presentation.tables import cite_cells
from wra.record import schema


def figures_table(figs: pd.DataFrame, cite=None) -> pd.DataFrame:
    """Every figure considered for the band: its row in ``strength.csv``, unit, date, what it
    counts, the figure in words (:func:`wra.analysis.route.phrase`), grade, whether it is
    drawn, the other figures of its date, and its citation (``cite`` when given, else the
    short citation linked to the bibliography)."""
    return pd.DataFrame(
        {
            "Figure": figs["id"].to_list(),
            "Unit": figs["unit"].map(route.BRANCH_SHORT).to_list(),
            "Date": figs["date"].to_list(),
            "Counts": [schema.MEASURE.get(m, m) for m in figs["measure"]],
            "Men": [route.phrase(r) for _, r in figs.iterrows()],
            "Grade": figs["confidence"].to_list(),
            "Drawn": ["yes" if c else "" for c in figs["chosen"]],
            "Other figures that date": figs["alternatives"].to_list(),
            "Source": cite_cells(figs, cite),
        }
    )


#: the reader's headers of :func:`wra.analysis.route.segment_table`
SEGMENT_HEADERS = {
    "unit": "Unit",
    "from": "From",
    "to": "To",
    "left": "Left",
    "reached": "Reached",
    "days": "Days",
    "km": "Km",
    "direction": "Heading",
    "strength leaving": "Strength leaving",
    "strength arriving": "Strength arriving",
    "actions": "Actions",
}


def segment_table(stop_widths: pd.DataFrame, seg: pd.DataFrame, figs: pd.DataFrame | None = None) -> pd.DataFrame:
    """:func:`wra.analysis.route.segment_table` with a reader's headers."""
    return route.segment_table(stop_widths, seg, figs).rename(columns=SEGMENT_HEADERS)
