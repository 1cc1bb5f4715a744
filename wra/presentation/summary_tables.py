"""The record chapter's tables: every directive, action, place and source, with its citation.

Each function takes a table as :func:`wra.record.data.load` returns it and
gives the frame :func:`wra.presentation.tables.show` draws: a reader's
headers, vocabulary codes spelled out, quotations with their gloss, a short
citation per row linked to the bibliography.
"""

from __future__ import annotations

import pandas as pd

from wra.presentation.charts import date_label
from wra.presentation.tables import cite_cells, cite_row_html, zh_with_gloss
from wra.record import schema
from wra.record.names import place_label


def _dates(frame: pd.DataFrame) -> list[str]:
    return [date_label(d, p) for d, p in zip(frame["date"], frame["date_precision"], strict=True)]


def _direction(code: object) -> str:
    return schema.DIRECTION[code].split(",")[0] if isinstance(code, str) and code in schema.DIRECTION else ""


def directives_table(directives: pd.DataFrame) -> pd.DataFrame:
    """Id, date (``c.`` when approximate, month alone when only the month is known), issuer,
    recipient, direction and citation of every directive."""
    return pd.DataFrame(
        {
            "Directive": directives["id"].to_list(),
            "Date": _dates(directives) if "date_precision" in directives else directives["date"].to_list(),
            "Issued by": directives["issuer"].map(schema.ISSUER).to_list(),
            "To": directives["recipient"].map(schema.RECIPIENT).to_list(),
            "Pointed": [_direction(d) for d in directives["direction"]],
            "Source": cite_cells(directives),
        }
    )


def actions_table(actions: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """Id, date, who, what kind, where (:func:`wra.record.names.place_label`), direction,
    quotation with gloss and citation of every action."""
    names = {row["place_id"]: place_label(row) for row in places.to_dict("records")}
    return pd.DataFrame(
        {
            "Action": actions["id"].to_list(),
            "Date": _dates(actions) if "date_precision" in actions else actions["date"].to_list(),
            "Who": actions["actor"].map(schema.ACTOR).to_list(),
            "What kind": [schema.KIND.get(k, k) for k in actions["kind"]],
            "Where": [names[p] if isinstance(p, str) and p else "" for p in actions["place_id"]],
            "Direction": [_direction(d) for d in actions["direction"]],
            "What happened": [
                zh_with_gloss(q, s) for q, s in zip(actions["quote_zh"], actions["summary_en"], strict=True)
            ],
            "Source": cite_cells(actions),
        }
    )


def places_table(places: pd.DataFrame) -> pd.DataFrame:
    """Every place with its names, coordinates, how precise they are, and their citation."""
    return pd.DataFrame(
        {
            "Place": [place_label(r) for r in places.to_dict("records")],
            "Pinyin": places["name_pinyin"].to_list(),
            "Latitude (°N)": places["lat"].map(lambda v: f"{v:.2f}").to_list(),
            "Longitude (°E)": places["lon"].map(lambda v: f"{v:.2f}").to_list(),
            "Located by": [schema.COORD_PRECISION.get(p, p) for p in places["coord_precision"]],
            "Within (km)": places["uncertainty_km"].to_list(),
            "Source": cite_cells(places),
        }
    )


def sources_table(profile: pd.DataFrame) -> pd.DataFrame:
    """:func:`wra.analysis.summary.source_profile` for a reader: each source by its short
    citation (linked to the bibliography), its kind of witness, and the rows resting on it."""
    return pd.DataFrame(
        {
            "Source": [cite_row_html({"source": key, "pages": ""}) for key in profile["source"]],
            "Kind of witness": profile["perspective"].to_list(),
            "Rows citing it": profile["rows"].to_list(),
            "Rows read through it": profile["via_rows"].to_list(),
            "Tables": profile["tables"].to_list(),
        }
    )


def perspective_table(summary: pd.DataFrame) -> pd.DataFrame:
    """:func:`wra.analysis.summary.perspective_summary` with a reader's headers."""
    return summary.rename(columns={"perspective": "Kind of witness", "sources": "Sources", "rows": "Rows"})
