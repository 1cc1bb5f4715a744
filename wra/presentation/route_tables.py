"""The route chapter's table of the figures behind the band's width, with HTML citations.

The figures and the rule that picks one per date are
:func:`wra.analysis.route.band_figures`.
"""

from __future__ import annotations

import pandas as pd

from wra.analysis import route
from wra.presentation.tables import cite_cells


def figures_table(figs: pd.DataFrame, cite=None) -> pd.DataFrame:
    """Every figure considered for the band: id, unit, date, what it counts, the figure in
    words (:func:`wra.analysis.route.phrase`), grade, whether it is drawn, the other figures
    of its date, and its citation (``cite``, default :func:`wra.record.sources.cite`)."""
    shown = figs.assign(
        unit=figs["unit"].map(route.BRANCH_SHORT),
        figure=[route.phrase(r) for _, r in figs.iterrows()],
        drawn=["yes" if c else "" for c in figs["chosen"]],
        grade=figs["confidence"],
        source=cite_cells(figs, cite),
    ).rename(columns={"alternatives": "other figures that date", "measure": "counts"})
    return shown[["id", "unit", "date", "counts", "figure", "grade", "drawn", "other figures that date", "source"]]
