"""Turning points of the campaign, for marking time axes.

A turning point is an action whose ``milestone`` column holds a short English
label (e.g. ``Gaotai``); the chart label adds the place's Chinese name from
``places.csv`` (``Gaotai 高台``). Marking an event is a data decision, made in
``data/actions.csv`` with the action's own provenance, not in chart code.
"""

from __future__ import annotations

import pandas as pd

from wra.record import data


def milestones(actions: pd.DataFrame | None = None, places: pd.DataFrame | None = None) -> pd.DataFrame:
    """Columns: date, label, name_zh, place_id, action_id; one row per milestone, by date."""
    actions = data.load("actions") if actions is None else actions
    places = data.load("places") if places is None else places
    if "milestone" not in actions.columns:
        raise KeyError("actions has no 'milestone' column")
    marked = actions[actions["milestone"].fillna("").astype(str).str.strip() != ""]
    names = places.set_index("place_id")["name_zh"]
    out = pd.DataFrame(
        {
            "date": marked["date"].values,
            "name_zh": [names.get(p, "") if isinstance(p, str) else "" for p in marked["place_id"]],
            "place_id": marked["place_id"].values,
            "action_id": marked["id"].values,
            "milestone": marked["milestone"].values,
        }
    )
    out["label"] = [f"{m} {z}".strip() for m, z in zip(out["milestone"], out["name_zh"])]
    return out.sort_values("date", kind="stable").reset_index(drop=True)[
        ["date", "label", "name_zh", "place_id", "action_id"]
    ]
