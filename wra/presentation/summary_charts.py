"""Charts of the record chapter: the record month by month.

The counts come from :func:`wra.analysis.summary.monthly`; each lane (the
directives of one issuer group, and the army's actions) has one colour.
"""

from __future__ import annotations

import pandas as pd

from wra.analysis.summary import LANES, monthly_finding
from wra.presentation import charts
from wra.presentation.style import COLORS, GROUP_COLORS

LANE_COLORS = {**GROUP_COLORS, "actions": COLORS["accent"]}
TITLE = "The record month by month: 指示 directives and 行动 actions"
Y_TITLE = "rows in the record"


def figure_monthly_mpl(table: pd.DataFrame):
    """Grouped bars per month, one colour per lane, labels in Chinese and English."""
    import matplotlib.pyplot as plt
    import numpy as np

    months = sorted(table["month"].unique())
    fig, ax = plt.subplots(figsize=(8.5, 4.2))
    width = 0.8 / len(LANES)
    x = np.arange(len(months))
    for i, (lane, label) in enumerate(LANES.items()):
        values = table[table["lane"] == lane].set_index("month").reindex(months)["count"].to_numpy()
        ax.bar(x + (i - (len(LANES) - 1) / 2) * width, values, width, label=label, color=LANE_COLORS[lane])
    ax.set_xticks(x, [pd.Timestamp(m).strftime("%b\n%Y") for m in months])
    ax.set_ylabel(Y_TITLE)
    ax.set_title(f"{monthly_finding(table)}\n", loc="left", fontsize=12)
    ax.text(0, 1.02, TITLE, transform=ax.transAxes, fontsize=9.5, ha="left", va="bottom")
    ax.legend(loc="upper right", fontsize=8.5)
    fig.tight_layout()
    return fig


def figure_monthly_plotly(table: pd.DataFrame):
    """The same, interactive: hover a bar for its month and count."""
    import plotly.graph_objects as go

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
        title=charts.plotly_title(monthly_finding(table), TITLE),
        yaxis_title=Y_TITLE,
        margin=dict(t=charts.plotly_title_margin(monthly_finding(table), TITLE)),
        xaxis=dict(dtick="M1", tickformat="%b<br>%Y"),
        height=460,
    )
    return fig
