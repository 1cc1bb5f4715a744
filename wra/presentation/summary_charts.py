"""Charts of the record chapter: the record month by month.

The counts come from :func:`wra.analysis.summary.monthly`; each lane (the
directives of one issuer group, and the army's actions) has one colour.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from wra.analysis.summary import LANES, monthly_finding
from wra.presentation import figures
from wra.presentation.style import COLORS, GROUP_COLORS

LANE_COLORS = {**GROUP_COLORS, "actions": COLORS["accent"]}
SUBTITLE = "The record month by month: 指示 directives and 行动 actions"
Y_TITLE = "rows in the record"


def figure_monthly(table: pd.DataFrame) -> go.Figure:
    """Grouped bars per month, one colour per lane; hover a bar for its month and count."""
    fig = go.Figure()
    for lane, label in LANES.items():
        part = table[table["lane"] == lane]
        fig.add_bar(
            x=part["month"],
            y=part["count"],
            name=label,
            marker_color=LANE_COLORS[lane],
            customdata=["row" if n == 1 else "rows" for n in part["count"]],
            hovertemplate="%{x|%B %Y}: %{y} %{customdata}<extra>" + label + "</extra>",
        )
    fig.update_layout(
        barmode="group",
        yaxis_title=Y_TITLE,
        xaxis=dict(dtick="M1", tickformat="%b<br>%Y"),
        legend=dict(orientation="h", x=0, xanchor="left", y=-0.18, yanchor="top"),
        height=460,
    )
    figures.set_title(fig, monthly_finding(table), SUBTITLE)
    # on a phone the legend's four entries take two rows: a taller chart keeps the bars' height
    return figures.on_phone(fig, dict(height=520, legend=dict(y=-0.16)))
