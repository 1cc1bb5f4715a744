"""The chapter *Orders and marches* (``notebooks/02_directives_vs_actions.md``), read off the record.

:func:`chapter` joins the record (:mod:`wra.analysis.directives`), the
headline counts under each reading (:mod:`wra.analysis.sensitivity`) and
the crossing (:mod:`wra.analysis.route`), and states every number and
phrase the chapter's prose glues, keyed ``dv_...``. Nothing here draws.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from wra.analysis import directives as wd
from wra.analysis import route
from wra.analysis import sensitivity as se
from wra.record import schema, sources
from wra.record.names import short_place_label

#: the tables the chapter reads
TABLES = ("directives", "actions", "assessments", "places", "positions", "readings")
#: the place whose capture marks the turn after which the centre's orders point every way
YONGCHANG = "yongchang"
#: the position that is the article's own reading (its row in the sensitivity table)
ARTICLE_POSITION = "P18"


@dataclass
class Chapter:
    """What the chapter shows and quotes (see :func:`chapter`)."""

    article: str
    pairs: pd.DataFrame
    verdicts: pd.DataFrame
    spread: pd.DataFrame
    numbers: dict[str, object] = field(default_factory=dict)


def _record_numbers(verdicts: pd.DataFrame, assessments: pd.DataFrame, article: str) -> dict[str, object]:
    numbers = wd.key_numbers(verdicts, assessments, article)
    out: dict[str, object] = {f"dv_{key}": int(value) for key, value in numbers.items()}
    out["dv_n_central_west_article"] = numbers["n_central_west"] - numbers["n_central_west_external"]
    out["dv_n_rules"] = len(schema.RULE)
    return out


def _ids(directives: pd.DataFrame) -> dict[str, object]:
    """The directives' ids: first, last, missing and added later (:func:`wra.analysis.directives.id_numbers`)."""
    return {f"dv_{key}": value for key, value in wd.id_numbers(directives).items()}


def _westward_turn(verdicts, directives, actions, article) -> dict[str, object]:
    """Who first pointed the army west: Zhang's order of September, the centre's first westward
    order in the article and the request it answered, and Zhang's next westward order."""
    turn = wd.westward_turn(verdicts, directives, actions, article)
    out: dict[str, object] = {}
    for name in ("zhang_first", "central_first", "zhang_next"):
        row = turn[name]
        out[f"dv_{name}_id"] = row["id"]
        out[f"dv_{name}_date"] = wd.day_text(row["date"], row["date_precision"])
    out["dv_central_first_issuer"] = schema.ISSUER[turn["central_first"]["issuer"]]
    out["dv_request_id"] = turn["request"]["id"]
    out["dv_request_date"] = wd.day_text(turn["request"]["date"], turn["request"]["date_precision"])
    out["dv_days_central_to_zhang_west"] = turn["days_to_zhang_next"]
    return out


def _where_the_army_was(actions, places, span) -> dict[str, object]:
    """The sourced positions within ``span``: how many, the first and the last."""
    positions = wd.position_series(actions, places)
    shown = positions[(positions["date"] >= span[0]) & (positions["date"] < span[1])]
    return {
        "dv_n_positions": len(shown),
        "dv_first_place": short_place_label(shown.iloc[0]),
        "dv_first_lon": float(shown.iloc[0]["lon"]),
        "dv_last_place": short_place_label(shown.iloc[-1]),
        "dv_last_lon": float(shown.iloc[-1]["lon"]),
    }


def yongchang_taken(actions: pd.DataFrame) -> pd.Timestamp:
    """The day the army took Yongchang (its first capture there; NaT if the record has none)."""
    return actions[(actions["place_id"] == YONGCHANG) & (actions["kind"] == "capture")]["date"].min()


#: the directions the finding of the ordered-versus-moved figure counts, with their words
_POINTED = {"north": "north", "east": "east", "west": "west", "hold": "hold"}


def moved_finding(directives: pd.DataFrame, actions: pd.DataFrame, places: pd.DataFrame, span=None) -> str:
    """The finding of the ordered-versus-moved figure, in words read off the record.

    Whether the army's sourced positions (within ``span``, if given) went on
    west of where it stood when it took Yongchang, and which way the Party
    centre's directives issued after that day pointed (directions with none
    left out; directives with no direction are not counted), e.g. "After
    Yongchang 永昌 fell the army went on west: the centre's later orders said
    4 east, 4 west, 3 hold". Without a capture of Yongchang in the record, the
    march from the first to the last position against all the centre's orders.
    """
    positions = wd.position_series(actions, places)
    if span is not None:
        positions = positions[(positions["date"] >= span[0]) & (positions["date"] < span[1])]
    if positions.empty:
        return "No sourced position of the army"
    taken = yongchang_taken(actions)
    grouped = wd.with_groups(directives)
    last = float(positions.iloc[-1]["lon"])
    if pd.isna(taken):
        since = grouped["date"].min() - pd.Timedelta(days=1)
        start = positions.iloc[0]
        went = "went west" if last < start["lon"] else "did not go west"
        head = f"From {short_place_label(start)} the army {went}"
        whose = "the centre's orders"
    else:
        since = taken
        place = places.set_index("place_id").loc[YONGCHANG]
        at = float(wd.position_at(positions, [taken]).iloc[0])
        went = "went on west" if last < at else "went no further west"
        head = f"After {short_place_label(place)} fell the army {went}"
        whose = "the centre's later orders"
    counts = wd.directions_after(grouped, since)
    said = ", ".join(f"{counts[d]} {word}" for d, word in _POINTED.items() if counts[d])
    return f"{head}: {whose} said {said}" if said else f"{head}: {whose} gave no direction"


def _crossing_and_after(verdicts, actions) -> dict[str, object]:
    """The centre's northward orders to the army followed before the crossing began (its first
    action at the crossing point), which they were, and how the centre's directives point after
    Yongchang was taken."""
    central = (verdicts["issuer_group"] == "central") & verdicts["recipient"].isin(wd.ARMY_RECIPIENTS)
    followed = verdicts["verdict"].isin(wd.FOLLOWED)
    crossing = route.crossing_date(actions)
    north = verdicts[central & (verdicts["direction"] == "north") & followed]
    yongchang = yongchang_taken(actions)
    out: dict[str, object] = {
        "dv_crossing_date": wd.day_text(crossing),
        "dv_n_central_north_followed_before_crossing": int((north["date"] < crossing).sum()),
        "dv_north_followed_ids": ", ".join(north["directive_id"]),
        "dv_yongchang_date": wd.day_text(yongchang),
    }
    for direction, n in wd.directions_after(verdicts, yongchang).items():
        out[f"dv_after_yongchang_{direction}"] = n
    return out


def _eastward(verdicts, assessments) -> dict[str, object]:
    """The centre's eastward directives, whom they went to, and how the codebook judges them."""
    east = verdicts[(verdicts["issuer_group"] == "central") & (verdicts["direction"] == "east")]
    to_wra = east[east["recipient"] == "wra"]
    tested = to_wra[to_wra["verdict"].isin(wd.TESTED)]
    superseded = assessments[
        assessments["directive_id"].isin(to_wra["directive_id"]) & (assessments["rule"] == "superseded")
    ]
    superseded = superseded.groupby(["directive_id", "superseded_by"], sort=False)["action_id"].agg(
        lambda acts: " and ".join(acts)
    )
    return {
        "dv_n_east_all": len(east),
        "dv_n_east_wra": len(to_wra),
        "dv_east_wra_ids": ", ".join(to_wra["directive_id"]),
        "dv_east_others": "; ".join(
            f"{r.directive_id} ({wd.VERDICT_LABEL[r.verdict]}, to {wd.recipient_words(r.recipient)})"
            for r in east[east["recipient"] != "wra"].itertuples()
        ),
        "dv_n_east_wra_tested": len(tested),
        "dv_east_wra_tested": "; ".join(
            f"{r.directive_id} ({wd.VERDICT_LABEL[r.verdict]})" for r in tested.itertuples()
        )
        or "none",
        "dv_east_wra_superseded": "; ".join(f"{d} by {b} for {acts}" for (d, b), acts in superseded.items()) or "none",
    }


def _actors(names: list[str]) -> str:
    """Actors as prose: an organisation takes "the" (the WRA Military-Political Committee), a person not."""
    words = [n if n.split(" ")[0] in ("Chen", "Xu", "Zhang", "Zhu") else "the " + n for n in names]
    return " and ".join(words)


def _readings(spread: pd.DataFrame, directives, actions, assessments, article) -> dict[str, object]:
    """The headline counts under the codebook and the article's reading, their range across the
    readings, and what becomes of the centre's deviations without the article-only pairings."""

    def share(row, name: str) -> str:
        return se.fraction_text(int(row[f"{name}_followed"]), int(row[f"{name}_tested"]))

    codebook = spread.set_index("id").loc["codebook"]
    article_row = spread[spread["positions"].str.contains(ARTICLE_POSITION)].iloc[0]
    positions = spread[spread["kind"] == "position"]
    out: dict[str, object] = {
        "dv_head_central": share(codebook, "central"),
        "dv_head_central_apart": int(codebook["central_apart"]),
        "dv_head_central_n": int(codebook["central_n"]),
        "dv_head_west": share(codebook, "west"),
        "dv_head_east": share(codebook, "east"),
        "dv_head_north": share(codebook, "north"),
        "dv_head_north_apart": int(codebook["north_apart"]),
        "dv_head_north_n": int(codebook["north_n"]),
        "dv_head_zhang": share(codebook, "zhang"),
        "dv_n_readings": len(se.readings_only(spread)),
        "dv_n_position_readings": len(positions),
        "dv_n_filters": int((spread["kind"] == "filter").sum()),
        "dv_head_east_article": share(article_row, "east"),
        "dv_head_central_article": share(article_row, "central"),
        "dv_filter_article_central": se.filter_text(spread, "no_article_only"),
        "dv_filter_deeds_central": se.filter_text(spread, "deeds_only"),
        "dv_filter_article_east": se.filter_text(spread, "no_article_only", "east_"),
    }
    for prefix, name in (("", "central"), ("west_", "west"), ("east_", "east")):
        out[f"dv_range_{name}"] = se.range_text(spread, prefix)
    noart = se.without_article_only(assessments, directives, actions, article)
    noart_pairs = wd.pairings(directives, noart, actions)
    deviated = wd.directive_verdicts(noart_pairs)
    deviated = deviated[
        (deviated["issuer_group"] == "central")
        & deviated["recipient"].isin(wd.ARMY_RECIPIENTS)
        & (deviated["verdict"] == "deviated")
    ]
    who = {
        d: sorted(
            {
                schema.ACTOR[a]
                for a in noart_pairs.loc[
                    (noart_pairs["directive_id"] == d) & (noart_pairs["verdict"] == "deviated"), "actor"
                ]
            }
        )
        for d in deviated["directive_id"]
    }
    out["dv_noart_deviations"] = (
        "come down to none"
        if deviated.empty
        else f"come down to {len(deviated)}: " + "; ".join(f"{d}, by {_actors(w)}" for d, w in who.items())
    )
    return out


def _figure_and_headline(verdicts: pd.DataFrame) -> dict[str, object]:
    """What reconciles the first figure's title with the headline: the figure counts the centre's
    directives to any recipient, the headline only those to the army
    (:data:`wra.analysis.directives.ARMY_RECIPIENTS`)."""
    central = verdicts[verdicts["issuer_group"] == "central"]
    tested = central[central["verdict"].isin(wd.TESTED)]
    followed = tested["verdict"].isin(wd.FOLLOWED)
    others = tested[~tested["recipient"].isin(wd.ARMY_RECIPIENTS)]
    return {
        "dv_fig_central": se.fraction_text(int(followed.sum()), len(tested)),
        "dv_n_fig_not_army": len(others),
        "dv_fig_not_army": "; ".join(
            f"{r.directive_id} ({wd.VERDICT_LABEL[r.verdict]}, to {wd.recipient_words(r.recipient)})"
            for r in others.itertuples()
        )
        or "none",
    }


def _army_decisions(pairs: pd.DataFrame, directives: pd.DataFrame, actions: pd.DataFrame) -> dict[str, object]:
    """The army leadership's own decisions tested against the orders in force when they were taken:
    each decision's twin in actions.csv (same date, a decision of the army leadership) and the
    verdicts of its pairings with orders of the centre or of Zhang Guotao."""
    army = directives[directives["issuer"].map(schema.ISSUER_GROUP) == "army"]
    twins = actions[
        (actions["kind"] == "decision") & actions["actor"].isin(("wra_committee", "chen_changhao", "xu_xiangqian"))
    ]
    parts = []
    counts = {"tested": 0, "deviated": 0}
    for row in army.sort_values(["date", "id"]).itertuples():
        ids = set(twins.loc[twins["date"] == row.date, "id"])
        tested = pairs[pairs["action_id"].isin(ids) & (pairs["issuer_group"] != "army")]
        words = "; ".join(f"{t.directive_id} {wd.VERDICT_LABEL[t.verdict]}" for t in tested.itertuples())
        parts.append(f"{row.id} ({words})" if words else row.id)
        counts["tested"] += int(tested["verdict"].isin(wd.TESTED).any())
        counts["deviated"] += int((tested["verdict"] == "deviated").any())
    return {
        "dv_army_decisions_tested": "; ".join(parts),
        "dv_n_army_decisions_tested": counts["tested"],
        "dv_n_army_decisions_deviated": counts["deviated"],
    }


def chapter(tables: Mapping[str, pd.DataFrame], span: tuple) -> Chapter:
    """The record's pairings and verdicts, the headline counts under each reading
    (:func:`wra.analysis.sensitivity.table`) and every number the chapter quotes.

    ``tables`` holds :data:`TABLES` (as :func:`wra.record.data.load` gives them);
    ``span`` is the span of the chapter's time axes, within which the army's
    sourced positions are counted.
    """
    directives, actions, assessments = tables["directives"], tables["actions"], tables["assessments"]
    article = sources.article_key(directives, actions, assessments)
    pairs = wd.pairings(directives, assessments, actions)
    verdicts = wd.directive_verdicts(pairs, article=article)
    readings = se.variants(directives, actions, assessments, tables["readings"], tables["positions"], article)
    spread = se.table(directives, actions, readings)
    numbers = {
        **_record_numbers(verdicts, assessments, article),
        **_ids(directives),
        **_westward_turn(verdicts, directives, actions, article),
        **_where_the_army_was(actions, tables["places"], span),
        **_crossing_and_after(verdicts, actions),
        **_eastward(verdicts, assessments),
        **_readings(spread, directives, actions, assessments, article),
        **_figure_and_headline(verdicts),
        **_army_decisions(pairs, directives, actions),
    }
    return Chapter(article, pairs, verdicts, spread, numbers)
