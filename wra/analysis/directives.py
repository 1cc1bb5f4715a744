"""Directives against actions: did the army go where it was ordered?

The analysis behind the chapter *Directives and actions*. It joins the three
tables of the record:

* ``directives`` (one row per order, who issued it, where it pointed),
* ``actions`` (one row per thing the army or one of its units did),
* ``assessments`` (one row per pairing of a directive with an action that
  answered it, with a verdict),

and derives from them

* :func:`pairings`: the long join, one row per assessment (plus one row per
  directive that nobody assessed);
* :func:`directive_verdicts`: one row per directive with an overall verdict
  (:func:`overall_verdict` states the rule) and whether its evidence rests on
  the article alone;
* :func:`verdict_counts` / :func:`verdict_shares`: directives per issuer group
  and verdict;
* :func:`counts_table`, :func:`verdict_glossary`: plain-text tables for the
  chapter (its central table, with HTML cells, is
  :func:`wra.presentation.directives_tables.directive_table`);
* :func:`position_series` / :func:`position_at`: where the army was, as the
  longitude of the places it took or held;
* :data:`DIRECTION_DX`: which way each direction points in longitude.

Charts live in :mod:`wra.presentation.directives_charts`, HTML tables in
:mod:`wra.presentation.directives_tables`. Nothing here imports matplotlib
or plotly or builds HTML.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from wra.record import schema

# --------------------------------------------------------------------------
# Vocabulary-derived constants
# --------------------------------------------------------------------------

#: sign of the change in longitude a direction asks for (west = longitude falls)
DIRECTION_DX: dict[str, int] = {"west": -1, "east": 1, "north": 0, "hold": 0, "none": 0}

#: verdicts in the order the chapter lists them, then directives nobody assessed
VERDICT_ORDER: tuple[str, ...] = tuple(schema.VERDICT)
UNASSESSED = "unassessed"
VERDICT_LABEL: dict[str, str] = {**schema.VERDICT, UNASSESSED: "not assessed"}

#: what each verdict of assessments.csv means (labels from wra.record.schema.VERDICT)
VERDICT_MEANING: dict[str, str] = {
    "complied": "The army (or the unit addressed) did what the order asked, in the direction it pointed.",
    "partly": "It did part of what was asked: reached one of the named places but not the others, "
    "or obeyed in one respect and not in another.",
    "deviated": "It did something else, usually by going another way than the order pointed.",
    "not_carried_out": "Nothing was done about the order: it was dropped or countermanded, so no action answers it.",
    "overtaken": "Events made the order moot before it could be obeyed or disobeyed.",
    "superseded": "A later order from the same or a higher authority replaced it before it could be "
    "carried out; the later order is named.",
    "not_an_order": "A question, an approval, a meeting's conclusion not sent to the army, advice left to "
    "the army's judgement, or (in some readings) a concession to a fact already made.",
    "self_issued": "The army leadership's own decision; the army carrying it out shows nothing about "
    "whose orders it obeyed.",
    "no_evidence": "The pairing shows nothing about obedience: the answering event does not bear on what the "
    "order asked, or the answer is words (a request for orders, a reply that agrees) rather than a deed.",
}

#: verdicts that test whether an order was followed; the rest are counted apart
TESTED: tuple[str, ...] = schema.TESTED_VERDICTS
#: verdicts counted apart, in the order that decides a directive whose pairings are all apart
APART: tuple[str, ...] = ("not_an_order", "self_issued", "superseded", "overtaken", "no_evidence")
#: recipients that are the army or its forerunners (the three front armies included)
ARMY_RECIPIENTS: tuple[str, ...] = schema.ARMY_RECIPIENTS

#: issuer groups in the chapter's order
GROUP_ORDER: tuple[str, ...] = tuple(schema.ISSUER_GROUPS)

#: action kinds that put the army (or one of its units) at a place (a decision: where it was taken)
POSITION_KINDS: tuple[str, ...] = ("move", "capture", "battle", "loss", "decision")
#: actors whose actions say nothing about where the Western Route Army was
NOT_THE_ARMY: tuple[str, ...] = ("west_relief_army", "central", "zhang_guotao")


# --------------------------------------------------------------------------
# Provenance: the article's key and "rests on the article"
# --------------------------------------------------------------------------


def rests_on(frame: pd.DataFrame, key: str, source: str = "source", via: str = "via") -> pd.Series:
    """True where a row's evidence is ``key``: cited from it, or read through it (``via``)."""
    src = frame[source].astype("string").fillna("")
    through = frame[via].astype("string").fillna("") if via in frame else pd.Series("", index=frame.index)
    return ((src == key) | (through == key)).astype(bool)


# --------------------------------------------------------------------------
# Pairing
# --------------------------------------------------------------------------

_PROVENANCE = ("source", "pages", "note", "via")


def with_groups(directives: pd.DataFrame) -> pd.DataFrame:
    """``directives`` with an ``issuer_group`` column (central / zhang_guotao / army)."""
    out = directives.copy()
    out["issuer_group"] = out["issuer"].map(schema.ISSUER_GROUP)
    unknown = out.loc[out["issuer_group"].isna(), "issuer"].unique().tolist()
    if unknown:
        raise KeyError(f"issuer(s) without a group: {unknown}")
    return out


def pairings(directives: pd.DataFrame, assessments: pd.DataFrame, actions: pd.DataFrame) -> pd.DataFrame:
    """Directives joined to the actions that answered them, via ``assessments``.

    One row per assessment, plus one row (``verdict`` = :data:`UNASSESSED`)
    for each directive no assessment mentions. Directive columns are prefixed
    ``directive_``, action columns ``action_``, the assessment's provenance
    ``assessment_``; ``directive_id``, ``action_id``, ``verdict``,
    ``rationale_en`` and ``issuer_group`` keep their names. Rows are ordered by
    directive date and id, then action date and id (a not-carried-out row,
    with no action, last).
    """
    d = with_groups(directives).rename(columns={"id": "directive_id"})
    d = d.rename(
        columns={
            c: f"directive_{c}" for c in d.columns if c not in ("directive_id", "issuer", "recipient", "issuer_group")
        }
    )
    a = actions.rename(columns={"id": "action_id"})
    a = a.rename(columns={c: f"action_{c}" for c in a.columns if c not in ("action_id", "actor", "kind", "place_id")})
    v = assessments.rename(columns={c: f"assessment_{c}" for c in _PROVENANCE})

    unknown = set(v["directive_id"]) - set(d["directive_id"])
    if unknown:
        raise KeyError(f"assessments name unknown directives: {sorted(unknown)}")
    named = set(v["action_id"].dropna()) - set(a["action_id"])
    if named:
        raise KeyError(f"assessments name unknown actions: {sorted(named)}")

    out = d.merge(v, on="directive_id", how="left", validate="one_to_many")
    out = out.merge(a, on="action_id", how="left", validate="many_to_one")
    out["verdict"] = out["verdict"].fillna(UNASSESSED).astype("string")
    return out.sort_values(
        ["directive_date", "directive_id", "action_date", "action_id"], na_position="last", kind="stable"
    ).reset_index(drop=True)


def overall_verdict(verdicts: Iterable[str]) -> str:
    """One verdict for a directive from the verdicts of its pairings.

    * no verdict at all: :data:`UNASSESSED`;
    * all pairings agree: that verdict;
    * the pairings that test the order (:data:`TESTED`) decide when there are
      any; the others (:data:`APART`: superseded, overtaken, not an order, the
      army's own decision, no evidence) are then left aside;
    * tested pairings that disagree, at least one ``complied`` or ``partly``:
      ``partly`` (part of the order was carried out, part not);
    * otherwise the first of ``deviated``, ``not_carried_out`` present (the
      army did something else before it did nothing);
    * with no tested pairing, the first of :data:`APART` present.
    """
    present = [v for v in verdicts if isinstance(v, str) and v and v != UNASSESSED]
    if not present:
        return UNASSESSED
    unknown = set(present) - set(schema.VERDICT)
    if unknown:
        raise KeyError(f"unknown verdict(s): {sorted(unknown)}")
    kinds = set(present)
    if len(kinds) == 1:
        return present[0]
    tested = kinds & set(TESTED)
    if not tested:
        return next(v for v in APART if v in kinds)
    if len(tested) == 1:
        return tested.pop()
    if tested & {"complied", "partly"}:
        return "partly"
    for verdict in ("deviated", "not_carried_out"):
        if verdict in tested:
            return verdict
    raise AssertionError("unreachable")  # pragma: no cover


def confirmed(frame: pd.DataFrame, column: str = "confirmed_in") -> pd.Series:
    """True where a directive's wording was confirmed in a second copy (``confirmed_in`` filled)."""
    if column not in frame:
        return pd.Series(False, index=frame.index)
    return frame[column].astype("string").fillna("").str.strip().ne("").astype(bool)


def _witness(group: pd.DataFrame, article: str) -> tuple[bool, bool, bool]:
    """For one directive's pairings: (its row rests on ``article``, it has a second copy,
    everything about it rests on the article alone: row, every pairing and answering action,
    and no second copy)."""
    first = group.iloc[[0]]
    d_ok = bool(rests_on(first, article, "directive_source", "directive_via").iloc[0])
    second = bool(confirmed(first, "directive_confirmed_in").iloc[0])
    assessed = group[group["verdict"] != UNASSESSED]
    v_ok = bool(rests_on(assessed, article, "assessment_source", "assessment_via").all())
    acted = group[group["action_id"].notna()]
    a_ok = bool(rests_on(acted, article, "action_source", "action_via").all())
    return d_ok, second, d_ok and not second and v_ok and a_ok and len(assessed) > 0


def directive_verdicts(pairs: pd.DataFrame, article: str | None = None) -> pd.DataFrame:
    """One row per directive (date order): its overall verdict and how its evidence stands.

    Columns: ``directive_id``, ``date``, ``issuer``, ``issuer_group``,
    ``recipient``, ``direction``, ``n_actions`` (distinct answering actions),
    ``verdicts`` (the pairings' verdicts, in pairing order), ``verdict``
    (:func:`overall_verdict`), and, when ``article`` is given,
    ``directive_rests_on_article`` (the directive row cites ``article`` or
    was read through it), ``confirmed`` (its wording was confirmed in a
    second copy, ``confirmed_in``) and
    ``article_only``: True when the directive row and every one of its
    assessment rows and answering action rows rest on ``article`` (cite it
    or were read through it) and no second copy confirms the directive.
    """
    rows = []
    for directive_id, group in pairs.groupby("directive_id", sort=False):
        first = group.iloc[0]
        verdicts = [v for v in group["verdict"] if v != UNASSESSED]
        row = {
            "directive_id": directive_id,
            "date": first["directive_date"],
            "issuer": first["issuer"],
            "issuer_group": first["issuer_group"],
            "recipient": first["recipient"],
            "direction": first["directive_direction"],
            "n_actions": int(group["action_id"].dropna().nunique()),
            "verdicts": tuple(verdicts),
            "verdict": overall_verdict(verdicts),
        }
        if article is not None:
            row["directive_rests_on_article"], row["confirmed"], row["article_only"] = _witness(group, article)
        rows.append(row)
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    return out.sort_values(["date", "directive_id"], kind="stable").reset_index(drop=True)


def verdict_counts(verdicts: pd.DataFrame, by: str = "issuer_group", total: bool = True) -> pd.DataFrame:
    """Directives per ``by`` (rows) and overall verdict (columns), with totals.

    Every verdict of :data:`wra.record.schema.VERDICT` is a column even when zero;
    ``unassessed`` is a column only if some directive has no assessment. For
    ``by="issuer_group"`` the rows follow :data:`wra.record.schema.ISSUER_GROUPS`
    (groups with no directive show zeros); for ``by="direction"`` they follow
    :data:`wra.record.schema.DIRECTION` (directions present only). ``total`` adds a ``total`` column
    and a ``total`` row.
    """
    columns = list(VERDICT_ORDER)
    if (verdicts["verdict"] == UNASSESSED).any():
        columns.append(UNASSESSED)
    table = pd.crosstab(verdicts[by], verdicts["verdict"]).reindex(columns=columns, fill_value=0)
    if by == "issuer_group":
        table = table.reindex(list(GROUP_ORDER), fill_value=0)
    elif by == "direction":
        table = table.reindex([d for d in schema.DIRECTION if d in set(table.index)])
    table = table.astype(int)
    table.columns.name = "verdict"
    table.index.name = by
    if total:
        table["total"] = table.sum(axis=1)
        table.loc["total"] = table.sum(axis=0)
    return table


def verdict_shares(counts: pd.DataFrame) -> pd.DataFrame:
    """Each count of :func:`verdict_counts` (with totals) as a share of its row's total."""
    if "total" not in counts:
        raise KeyError("verdict_shares needs the 'total' column of verdict_counts(total=True)")
    body = counts.drop(columns="total")
    return body.div(counts["total"].where(counts["total"] > 0), axis=0)


# --------------------------------------------------------------------------
# Tables of counts and verdicts (plain text; HTML cells are built in wra.presentation)
# --------------------------------------------------------------------------


def rule_label(row: Mapping) -> str:
    """The codebook rule of one pairing, in words: ``superseded by D10``, ``did part of it``."""
    rule = row.get("rule")
    if not isinstance(rule, str) or not rule:
        return ""
    text = RULE_SHORT.get(rule, rule.replace("_", " "))
    by = row.get("superseded_by")
    if rule == "superseded" and isinstance(by, str) and by:
        text += f" by {by}"
    return text


#: the codebook rules as the central table names them
RULE_SHORT: dict[str, str] = {
    "did_as_ordered": "did as ordered",
    "did_part": "did part of it",
    "went_another_way": "went another way",
    "argued_against": "argued against it",
    "asked_for_orders": "asked for orders",
    "agreed_in_words": "agreed in words",
    "left_undone": "left undone",
    "overtaken_by_events": "overtaken by events",
    "superseded": "superseded",
    "not_an_order": "not an order",
    "ratified": "ratified a fact already made",
    "self_issued": "the army's own decision",
    "no_evidence": "no evidence",
}


def verdict_glossary() -> pd.DataFrame:
    """The verdicts with their labels (:data:`wra.record.schema.VERDICT`) and meanings, for the chapter."""
    return pd.DataFrame(
        {"Verdict": [schema.VERDICT[v] for v in VERDICT_ORDER], "Meaning": [VERDICT_MEANING[v] for v in VERDICT_ORDER]}
    )


def counts_table(counts: pd.DataFrame) -> pd.DataFrame:
    """:func:`verdict_counts` with readable row and column labels, for :func:`wra.presentation.tables.show`."""
    by = counts.index.name
    rows = {
        "issuer_group": schema.ISSUER_GROUPS,
        "direction": {k: v.split(",")[0] for k, v in schema.DIRECTION.items()},
    }.get(by, {})
    # verdicts counted apart that no directive here received are left out, to keep the table narrow
    empty = [c for c in counts.columns if c in APART and not counts[c].any()]
    out = counts.drop(columns=empty).rename(index={**rows, "total": "All"}, columns={**COUNT_LABEL, "total": "total"})
    out.index.name = {"issuer_group": "Issued by", "direction": "Pointed"}.get(by, by)
    out.columns.name = None
    return out.reset_index()


#: short column labels of the counts tables
COUNT_LABEL: dict[str, str] = {
    "complied": "complied",
    "partly": "partly",
    "deviated": "deviated",
    "not_carried_out": "not carried out",
    "overtaken": "overtaken",
    "superseded": "superseded",
    "not_an_order": "not an order",
    "self_issued": "own decision",
    "no_evidence": "no evidence",
    UNASSESSED: "not assessed",
}


#: verdicts that count as the order being followed at least in part
FOLLOWED: tuple[str, ...] = ("complied", "partly")


def key_numbers(verdicts: pd.DataFrame, assessments: pd.DataFrame, article: str) -> dict[str, int]:
    """The counts the chapter quotes, by name (for myst-nb ``glue``).

    ``verdicts`` is :func:`directive_verdicts` (with ``article``), so each
    directive counts once whatever the number of its pairings. Keys:

    * ``n_directives``, ``n_assessments``, ``n_pairs_with_action``;
    * per issuer group ``g`` (central, zhang_guotao, army): ``n_g`` and
      ``n_g_<verdict>`` for every verdict and ``unassessed``, and
      ``n_g_followed`` (complied or partly);
    * per group and direction ``d``: ``n_g_<d>``, ``n_g_<d>_followed``,
      ``n_g_<d>_<verdict>``;
    * ``n_directives_external`` (directive rows that neither cite the article
      nor were read through it) and, of those, ``n_central_west_external``;
    * ``n_assess_article`` (assessment rows citing the article or read
      through it), ``n_assess_external``, and ``n_directives_article_only``
      (directives whose row, assessments and answering actions all rest on
      the article, with no second copy);
    * ``n_directives_confirmed`` (directives with a second copy of their
      wording), ``n_directives_confirmed_article`` (of the rows from the
      article) and ``n_directives_wording_article_only`` (rows from the
      article with no second copy: wording known only through the article).
    """
    out: dict[str, int] = {
        "n_directives": len(verdicts),
        "n_assessments": len(assessments),
        "n_pairs_with_action": int(assessments["action_id"].notna().sum()),
    }
    verdict_names = [*VERDICT_ORDER, UNASSESSED]
    for group in GROUP_ORDER:
        sel = verdicts[verdicts["issuer_group"] == group]
        out[f"n_{group}"] = len(sel)
        for verdict in verdict_names:
            out[f"n_{group}_{verdict}"] = int((sel["verdict"] == verdict).sum())
        out[f"n_{group}_followed"] = int(sel["verdict"].isin(FOLLOWED).sum())
        for direction in schema.DIRECTION:
            dsel = sel[sel["direction"] == direction]
            out[f"n_{group}_{direction}"] = len(dsel)
            out[f"n_{group}_{direction}_followed"] = int(dsel["verdict"].isin(FOLLOWED).sum())
            for verdict in verdict_names:
                out[f"n_{group}_{direction}_{verdict}"] = int((dsel["verdict"] == verdict).sum())
    for group in GROUP_ORDER:
        sel = verdicts[verdicts["issuer_group"] == group]
        out[f"n_{group}_tested"] = int(sel["verdict"].isin(TESTED).sum())
        out[f"n_{group}_apart"] = int(sel["verdict"].isin(APART).sum())
        for direction in schema.DIRECTION:
            dsel = sel[sel["direction"] == direction]
            out[f"n_{group}_{direction}_tested"] = int(dsel["verdict"].isin(TESTED).sum())
    on_article = verdicts.get("directive_rests_on_article")
    if on_article is None:
        raise KeyError("key_numbers needs directive_verdicts(..., article=...)")
    external = verdicts[~on_article.astype(bool)]
    out["n_directives_external"] = len(external)
    out["n_central_west_external"] = int(
        ((external["issuer_group"] == "central") & (external["direction"] == "west")).sum()
    )
    assess_on_article = rests_on(assessments, article)
    out["n_assess_article"] = int(assess_on_article.sum())
    out["n_assess_external"] = int((~assess_on_article).sum())
    out["n_directives_article_only"] = int(verdicts["article_only"].astype(bool).sum())
    second = verdicts["confirmed"].astype(bool)
    out["n_directives_confirmed"] = int(second.sum())
    out["n_directives_confirmed_article"] = int((second & on_article.astype(bool)).sum())
    out["n_directives_wording_article_only"] = int((on_article.astype(bool) & ~second).sum())
    return out


# --------------------------------------------------------------------------
# Where the army was
# --------------------------------------------------------------------------


def position_series(
    actions: pd.DataFrame,
    places: pd.DataFrame,
    kinds: Iterable[str] = POSITION_KINDS,
    exclude_actors: Iterable[str] = NOT_THE_ARMY,
) -> pd.DataFrame:
    """The army's sourced positions: actions at a known place, in date order.

    Keeps actions whose ``kind`` is in ``kinds`` (by default the ones that put
    a unit at a place: move, capture, battle, loss, and decision, where it was taken), whose actor is not in
    ``exclude_actors`` (the relief army, the centre, Zhang Guotao) and whose
    ``place_id`` is set; joins ``places`` for coordinates and names. Columns:
    ``action_id``, ``date``, ``date_precision``, ``date_end``, ``actor``,
    ``kind``, ``direction``, ``place_id``, ``name_en``, ``name_zh``,
    ``name_pinyin``, ``lon``, ``lat``, ``quote_zh``, ``summary_en`` and the
    action's provenance. Sorted by date, then action id.
    """
    kinds, exclude_actors = list(kinds), list(exclude_actors)
    sel = actions[actions["kind"].isin(kinds) & ~actions["actor"].isin(exclude_actors) & actions["place_id"].notna()]
    sel = sel.rename(columns={"id": "action_id"})
    missing = set(sel["place_id"]) - set(places["place_id"])
    if missing:
        raise KeyError(f"actions name unknown places: {sorted(missing)}")
    cols = ["place_id", "name_en", "name_zh", "name_pinyin", "lon", "lat"]
    out = sel.merge(places[cols], on="place_id", how="left", validate="many_to_one")
    keep = [*"action_id date date_precision date_end actor kind direction".split(), *cols]
    keep += ["quote_zh", "summary_en", *_PROVENANCE]
    keep = [c for c in dict.fromkeys(keep) if c in out]
    return out[keep].sort_values(["date", "action_id"], kind="stable").reset_index(drop=True)


def position_at(series: pd.DataFrame, dates: Iterable) -> pd.Series:
    """The army's longitude on each of ``dates``: the last sourced position on or before it.

    A date before the first sourced position takes the first one (the army
    had not yet been placed by the record). Returns a float Series aligned
    with ``dates``.
    """
    dates = pd.to_datetime(pd.Series(list(dates)))
    if series.empty:
        return pd.Series(float("nan"), index=dates.index, dtype=float)
    s = series.sort_values(["date", "action_id"], kind="stable")
    idx = s["date"].searchsorted(dates, side="right") - 1
    idx = idx.clip(min=0)
    return pd.Series(s["lon"].to_numpy(dtype=float)[idx], index=dates.index, dtype=float)


# --------------------------------------------------------------------------
# Facts the chapter's prose states, read off the record
# --------------------------------------------------------------------------


def day_text(date: pd.Timestamp, precision: str | None = "day", year: bool = True) -> str:
    """A date as prose: ``3 November 1936``, ``about 1 November 1936``, ``November 1936``."""
    if precision == "month":
        return date.strftime("%B %Y")
    text = date.strftime("%-d %B %Y" if year else "%-d %B")
    return f"about {text}" if precision == "approx" else text


def westward_turn(
    verdicts: pd.DataFrame, directives: pd.DataFrame, actions: pd.DataFrame, article: str
) -> dict[str, object]:
    """Who first pointed the army west, read off the record.

    * ``zhang_first``: Zhang Guotao's first westward order (any date);
    * ``central_first``: the centre's first westward directive that the
      article reports (cites it or was read through it);
    * ``request``: the army leaders' last westward proposal before
      ``central_first`` (what that directive answered);
    * ``zhang_next``: Zhang's first westward order after ``central_first``.

    Each value is the directive's or action's row (a Series); ``days_to_zhang_next``
    counts the days from ``central_first`` to ``zhang_next``.
    """
    d = directives.set_index("id", drop=False)
    west = verdicts[verdicts["direction"] == "west"]
    zhang = west[west["issuer_group"] == "zhang_guotao"]
    central = west[(west["issuer_group"] == "central") & west["directive_rests_on_article"]]
    first = d.loc[central.iloc[0]["directive_id"]]
    asks = actions[
        actions["kind"].isin(("proposal", "reply"))
        & (actions["direction"] == "west")
        & (actions["date"] < first["date"])
        & ~actions["actor"].isin(NOT_THE_ARMY)
    ].sort_values(["date", "id"])
    later = zhang[zhang["date"] > first["date"]]
    out = {
        "zhang_first": d.loc[zhang.iloc[0]["directive_id"]],
        "central_first": first,
        "request": asks.iloc[-1] if len(asks) else None,
        "zhang_next": d.loc[later.iloc[0]["directive_id"]] if len(later) else None,
    }
    out["days_to_zhang_next"] = (
        int((out["zhang_next"]["date"] - first["date"]).days) if out["zhang_next"] is not None else None
    )
    return out


def directions_after(verdicts: pd.DataFrame, date, group: str = "central") -> dict[str, int]:
    """How many of ``group``'s directives issued after ``date`` point each way (every direction a key)."""
    sel = verdicts[(verdicts["issuer_group"] == group) & (verdicts["date"] > pd.Timestamp(date))]
    counts = sel["direction"].value_counts()
    return {d: int(counts.get(d, 0)) for d in schema.DIRECTION}


def rule_glossary() -> pd.DataFrame:
    """The codebook's rules, for the chapter: rule, the verdict it gives, whether that verdict
    tests the order, and the rule's deciding condition in short (data/README.md states it in full)."""
    rows = []
    for rule, condition in schema.RULE.items():
        verdict = schema.RULE_VERDICT[rule]
        rows.append(
            {
                "Rule": RULE_SHORT[rule],
                "Deciding condition": condition[:1].upper() + condition[1:] + ".",
                "Verdict": schema.VERDICT[verdict],
                "Counted": "tests the order" if verdict in TESTED else "counted apart",
            }
        )
    return pd.DataFrame(rows)


def recipient_words(recipient: str) -> str:
    """A recipient as prose after "to": ``the Fourth Front Army``, ``the three front armies``, ``Zhang Guotao``."""
    label = schema.RECIPIENT[recipient]
    if label.startswith("the ") or recipient in ("zhang_guotao", "peng_dehuai"):
        return label
    return "the " + label


# --------------------------------------------------------------------------
# The directives' ids: where the run of numbers breaks
# --------------------------------------------------------------------------

_ID = re.compile(r"^([A-Za-z]+)(\d+)$")


def _words(items: Sequence[str]) -> str:
    items = list(items)
    if not items:
        return "none"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def id_gaps(frame: pd.DataFrame, column: str = "id") -> list[str]:
    """The ids missing from the run of ``frame``'s ids (``D01`` … ``D44``), in order.

    The ids are a letter prefix and a zero-padded number, never reused
    (``data/README.md``): a missing number is a withdrawn row.
    """
    parsed = [_ID.match(str(v)) for v in frame[column]]
    if not parsed or not all(parsed):
        bad = [str(v) for v, m in zip(frame[column], parsed, strict=True) if not m]
        raise ValueError(f"ids not of the form letter(s) + number: {bad}")
    prefixes = {m.group(1) for m in parsed}
    if len(prefixes) != 1:
        raise ValueError(f"ids with several prefixes: {sorted(prefixes)}")
    prefix = prefixes.pop()
    width = max(len(m.group(2)) for m in parsed)
    numbers = {int(m.group(2)) for m in parsed}
    return [f"{prefix}{n:0{width}d}" for n in range(min(numbers), max(numbers) + 1) if n not in numbers]


def late_ids(frame: pd.DataFrame, column: str = "id") -> list[str]:
    """Ids given after the table was made: in date order (the file's order), each id whose
    number is above that of a row standing after it (``D43``, ``D44``)."""
    numbers = [int(_ID.match(str(v)).group(2)) for v in frame[column]]
    later_min = []
    low = float("inf")
    for n in reversed(numbers):
        later_min.append(low)
        low = min(low, n)
    later_min.reverse()
    return [str(v) for v, n, m in zip(frame[column], numbers, later_min, strict=True) if n > m]


def id_numbers(directives: pd.DataFrame) -> dict[str, object]:
    """What the chapters say about the directives' ids: the first and last, the ids
    missing (:func:`id_gaps`) and those added later (:func:`late_ids`), as words."""
    ordered = sorted(directives["id"].astype(str), key=lambda v: int(_ID.match(v).group(2)))
    gaps = id_gaps(directives)
    return {
        "id_first": ordered[0],
        "id_last": ordered[-1],
        "n_id_gaps": len(gaps),
        "id_gaps": _words(gaps),
        "id_late": _words(sorted(late_ids(directives), key=lambda v: int(_ID.match(v).group(2)))),
    }


# --------------------------------------------------------------------------
# The chapter's answer: verdicts by issuer and by direction, as small multiples
# --------------------------------------------------------------------------

#: the rows of the small multiples: by issuer group, and the Party centre's directives by direction
PANEL_ROWS: dict[str, str] = {"issuer": "By issuer", "direction": "The Party centre's directives, by direction"}


def verdict_panels(verdicts: pd.DataFrame) -> pd.DataFrame:
    """The counts the chapter's first figure draws, one panel per issuer group and one per
    direction of the Party centre's directives (each directive once, its overall verdict).

    Columns: ``row`` (a key of :data:`PANEL_ROWS`), ``panel`` (issuer group or direction
    code), ``panel_label``, ``panel_total`` (directives in the panel), ``verdict``,
    ``verdict_label``, ``n``, ``followed`` (the verdict counts as followed) and ``tested``
    (the verdict tests the order). Panels follow :data:`GROUP_ORDER` and the directions
    of :data:`wra.record.schema.DIRECTION` (those present); within a row, the verdicts
    any of its panels received, in :data:`VERDICT_ORDER` (``unassessed`` last).
    """
    rows = []
    central = verdicts[verdicts["issuer_group"] == "central"]
    for row, counts, labels in (
        ("issuer", verdict_counts(verdicts, by="issuer_group", total=False), schema.ISSUER_GROUPS),
        (
            "direction",
            verdict_counts(central, by="direction", total=False),
            {k: v.split(",")[0].split(" (")[0] for k, v in schema.DIRECTION.items()},
        ),
    ):
        used = [v for v in counts.columns if counts[v].sum() > 0]
        for panel, counts_row in counts.iterrows():
            total = int(counts_row.sum())
            for verdict in used:
                rows.append(
                    {
                        "row": row,
                        "panel": panel,
                        "panel_label": labels.get(panel, panel),
                        "panel_total": total,
                        "verdict": verdict,
                        "verdict_label": VERDICT_LABEL[verdict],
                        "n": int(counts_row[verdict]),
                        "followed": verdict in FOLLOWED,
                        "tested": verdict in TESTED,
                    }
                )
    return pd.DataFrame(rows)


def verdict_finding(panels: pd.DataFrame) -> str:
    """The first figure's finding, in words from :func:`verdict_panels`: of the directives
    whose verdict tests them, how many each issuer's were followed at least in part."""
    issuers = panels[panels["row"] == "issuer"]
    parts = []
    for panel in GROUP_ORDER:
        own = issuers[(issuers["panel"] == panel) & issuers["tested"]]
        if panel == "army" or own.empty or own["n"].sum() == 0:
            continue
        followed = int(own.loc[own["followed"], "n"].sum())
        name = "the Party centre's" if panel == "central" else f"{schema.ISSUER_GROUPS[panel]}'s"
        parts.append(f"{followed} of {name} {int(own['n'].sum())}")
    if not parts:
        return "No order's verdict tests it"
    return f"The army followed at least in part {' and '.join(parts)} orders whose verdict tests them"
