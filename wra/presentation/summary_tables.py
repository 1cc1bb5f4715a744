"""The record chapter's tables: every directive, action and place, with its citation.

Each function takes a table as :func:`wra.record.data.load` returns it and
gives the frame :func:`wra.presentation.tables.show` draws: vocabulary codes
spelled out, quotations with their gloss, a citation per row.
"""

from __future__ import annotations

import pandas as pd

from wra.presentation.tables import cite_cells, zh_with_gloss
from wra.record import schema
from wra.record.names import place_label


def directives_table(directives: pd.DataFrame) -> pd.DataFrame:
    """Id, date, precision, issuer, recipient, direction and citation of every directive."""
    out = directives.assign(
        issuer=directives["issuer"].map(schema.ISSUER),
        recipient=directives["recipient"].map(schema.RECIPIENT),
        cited=cite_cells(directives),
    )
    return out[["id", "date", "date_precision", "issuer", "recipient", "direction", "cited"]]


def actions_table(actions: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """Id, date, actor, kind, place (:func:`wra.record.names.place_label`), direction,
    quotation with gloss and citation of every action."""
    names = {row["place_id"]: place_label(row) for row in places.to_dict("records")}
    out = actions.assign(
        actor=actions["actor"].map(schema.ACTOR),
        place=[names[p] if isinstance(p, str) and p else "" for p in actions["place_id"]],
        what=[zh_with_gloss(q, s) for q, s in zip(actions["quote_zh"], actions["summary_en"], strict=True)],
        cited=cite_cells(actions),
    )
    return out[["id", "date", "actor", "kind", "place", "direction", "what", "cited"]]


def places_table(places: pd.DataFrame) -> pd.DataFrame:
    """Every place with its names, coordinates, their precision and their citation."""
    out = places.assign(cited=cite_cells(places))
    columns = ["place_id", "name_zh", "name_pinyin", "name_en", "lat", "lon", "coord_precision", "uncertainty_km"]
    return out[[*columns, "cited"]]
