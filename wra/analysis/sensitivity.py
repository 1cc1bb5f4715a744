"""How far the headline figures of *Orders and marches* depend on the reading.

The chapter's central question, whose orders the army followed, is answered
with a few counts: the share of the Party centre's orders to the army that
were followed, the same for the orders pointing west and east, and the
orders of Zhang Guotao. Each count rests on verdicts, and verdicts rest on
readings. This module recomputes the counts under several readings, of two
kinds kept apart:

* **readings**: the **codebook** (``data/assessments.csv`` as it stands:
  non-orders, the army's own decisions, superseded orders and the like are
  counted apart, :data:`wra.analysis.directives.APART`; only
  :data:`wra.analysis.directives.TESTED` verdicts say whether an order was
  followed), and **each main position's reading**: the positions of one camp
  (``positions.csv``, :data:`wra.record.schema.CAMP`) read the record as one,
  their rows of ``data/readings.csv`` replacing the codebook's for the pairings
  they read. The range of a headline runs across these, so its ends are
  positions (or the codebook);
* **filters**: the codebook with some pairings left out, which is no
  historian's reading: the **source filter** (without the pairings that rest
  on the article alone: directive, action and assessment all cite it or were
  read through it, and no second copy confirms the directive) and **deeds
  only** (pairings answered by a proposal or a reply left out). They are shown
  apart from the range.

:func:`variants` lists them, :func:`headline` computes one variant's counts,
:func:`table` puts them side by side, :func:`spread` and :func:`range_text`
say how far apart the readings lie and :func:`filter_text` what the filters
give; :func:`spread_finding` says the range of the readings in a chart's title.
Nothing here draws.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from wra.analysis import directives as wd
from wra.record import schema

#: the columns a reading replaces in an assessment
READ_COLUMNS = ("rule", "verdict", "superseded_by", "rationale_en", "source", "pages", "note", "via")
#: action kinds that are words, not deeds
WORDS = ("proposal", "reply")


#: how the chapters name each camp's reading (the camps are :data:`wra.record.schema.CAMP`)
CAMP_SHORT: dict[str, str] = {
    "zhang_line": "the 1937 verdict and its defenders",
    "chen_changhao": "Chen Changhao's reports of 1937",
    "zhang_guotao": "Zhang Guotao's memoir",
    "xu_memoir": "Xu Xiangqian's memoir",
    "li_xiannian": "Li Xiannian's statement of 1983",
    "revision_1991": "the revisions of 1991",
    "scholarship": "later scholarship",
    "sun_article": "the article",
}
#: the kinds of variant, in the order the chapter shows them
KINDS = ("codebook", "position", "filter")


@dataclass(frozen=True)
class Variant:
    """One way of reading the record: an id, a label, its assessments, what kind of variant it is
    (:data:`KINDS`) and, for a position's reading, its camp and positions."""

    id: str
    label: str
    assessments: pd.DataFrame
    positions: tuple[str, ...] = ()
    kind: str = "codebook"
    camp: str = ""
    holders: str = ""


def apply_reading(assessments: pd.DataFrame, readings: pd.DataFrame, position_id: str | Iterable[str]) -> pd.DataFrame:
    """``assessments`` with the pairings the position(s) read replaced by their reading.

    ``position_id`` is one position or several (the positions of one camp); where two of them
    read the same pairing, the first row wins (``wra check`` refuses two different readings of
    one pairing within a camp)."""
    ids = [position_id] if isinstance(position_id, str) else list(position_id)
    mine = readings[readings["position_id"].isin(ids)].drop_duplicates(["directive_id", "action_id"])
    out = assessments.copy()
    key = list(zip(out["directive_id"], out["action_id"]))
    for _, row in mine.iterrows():
        match = [i for i, k in zip(out.index, key) if k == (row["directive_id"], row["action_id"])]
        if not match:
            raise KeyError(
                f"{row['position_id']} reads ({row['directive_id']}, {row['action_id']}), which no assessment pairs"
            )
        for column in READ_COLUMNS:
            if column in out.columns and column in row.index:
                out.loc[match, column] = row[column]
    return out


def rests_on_article_alone(pairs: pd.DataFrame, article: str) -> pd.Series:
    """True for a pairing whose directive, action and assessment all rest on ``article``, with no
    second copy of the directive's wording (``directive_confirmed_in``)."""
    d = wd.rests_on(pairs, article, "directive_source", "directive_via")
    if "directive_confirmed_in" in pairs:
        d = d & ~wd.confirmed(pairs, "directive_confirmed_in")
    s = wd.rests_on(pairs, article, "assessment_source", "assessment_via")
    acted = pairs["action_id"].notna()
    a = wd.rests_on(pairs, article, "action_source", "action_via") | ~acted
    return d & s & a & pairs["verdict"].ne(wd.UNASSESSED)


def _key(frame: pd.DataFrame) -> pd.Series:
    return frame["directive_id"].astype(str) + "|" + frame["action_id"].astype("string").fillna("")


def without_article_only(
    assessments: pd.DataFrame, directives: pd.DataFrame, actions: pd.DataFrame, article: str
) -> pd.DataFrame:
    """``assessments`` minus the pairings that rest on the article alone (the source filter)."""
    pairs = wd.pairings(directives, assessments, actions)
    alone = set(_key(pairs[rests_on_article_alone(pairs, article)]))
    return assessments[~_key(assessments).isin(alone)]


def deeds_only(assessments: pd.DataFrame, actions: pd.DataFrame) -> pd.DataFrame:
    """``assessments`` minus the pairings answered by words (a proposal or a reply)."""
    words = set(actions.loc[actions["kind"].isin(WORDS), "id"])
    return assessments[~assessments["action_id"].isin(words)]


def _short_holder(row: Mapping) -> str:
    name = str(row["holder_en"]).split(",")[0]
    if name.split(" ")[0] in ("Annotation", "Article"):  # not a person: "the annotation to ..."
        name = "the " + name[:1].lower() + name[1:]
    return f"{name} ({int(row['year'])})"


def _words(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def variants(
    directives: pd.DataFrame,
    actions: pd.DataFrame,
    assessments: pd.DataFrame,
    readings: pd.DataFrame,
    positions: pd.DataFrame,
    article: str,
) -> list[Variant]:
    """The readings the chapter compares: the codebook, each camp's reading, then the two filters.

    A camp's reading is the codebook with the rows of ``readings`` of every position of that camp
    in place of the codebook's (:func:`apply_reading`); its ``holders`` name the positions that read
    pairings. Camps without reading rows read the record as the codebook does and make no variant.
    Camps come in the order of :data:`wra.record.schema.CAMP`.
    """
    by_id = positions.set_index("id")
    out = [Variant("codebook", "under the codebook", assessments)]
    camp_of = {pid: by_id.at[pid, "camp"] for pid in readings["position_id"].unique()}
    for camp in schema.CAMP:
        pids = tuple(sorted(p for p, c in camp_of.items() if c == camp))
        if not pids:
            continue
        holders = _words(list(dict.fromkeys(_short_holder(by_id.loc[p]) for p in pids)))
        short = CAMP_SHORT.get(camp, camp)
        plural = short.startswith("the 1937") or short.endswith("reports of 1937") or short.startswith("the revisions")
        verb = "read" if plural else "reads"
        out.append(
            Variant(
                "reading_" + camp,
                f"as {short} {verb} the record",
                apply_reading(assessments, readings, pids),
                pids,
                kind="position",
                camp=camp,
                holders=holders,
            )
        )
    out += [
        Variant(
            "no_article_only",
            "the source filter: the codebook without the pairings that rest on the article alone",
            without_article_only(assessments, directives, actions, article),
            kind="filter",
        ),
        Variant(
            "deeds_only",
            "deeds only: the codebook without the pairings answered by words (proposals and replies)",
            deeds_only(assessments, actions),
            kind="filter",
        ),
    ]
    return out


def joined_label(rows: pd.DataFrame) -> str:
    """The labels of several readings as one phrase: "under the codebook and as Xu Xiangqian's memoir
    and Li Xiannian's statement of 1983 read the record"."""
    labels = list(dict.fromkeys(rows["label"]))
    kinds = dict(zip(rows["label"], rows["kind"])) if "kind" in rows else {}
    camps = [lbl for lbl in labels if kinds.get(lbl) == "position"]
    others = [lbl for lbl in labels if lbl not in camps]
    parts = list(others)
    if len(camps) == 1:
        parts.append(camps[0])
    elif camps:
        names = [re.sub(r"^as (.*) reads? the record$", r"\1", lbl) for lbl in camps]
        parts.append(f"as {_words(names)} read the record")
    return " and ".join(parts)


def _ratio(followed: int, tested: int) -> float | None:
    return followed / tested if tested else None


def headline(directives: pd.DataFrame, actions: pd.DataFrame, assessments: pd.DataFrame) -> dict[str, object]:
    """The chapter's headline counts under one set of assessments.

    Keys: ``central_tested``, ``central_followed`` (directives of the Party
    centre addressed to the army or its forerunners, :data:`wra.analysis.directives.ARMY_RECIPIENTS`,
    whose overall verdict tests the order, and of those the ones followed at
    least in part), ``central_apart``, and the same per direction
    (``west_``, ``east_``, ``north_``, ``hold_``); ``zhang_tested``,
    ``zhang_followed``; ``army_own`` (the army leadership's own decisions);
    ``share``, ``west_share``, ``east_share``, ``zhang_share`` (None when
    nothing was tested).
    """
    pairs = wd.pairings(directives, assessments, actions)
    v = wd.directive_verdicts(pairs)
    tested = v["verdict"].isin(wd.TESTED)
    followed = v["verdict"].isin(wd.FOLLOWED)
    apart = v["verdict"].isin(wd.APART)
    central = (v["issuer_group"] == "central") & v["recipient"].isin(wd.ARMY_RECIPIENTS)
    out: dict[str, object] = {
        "central_n": int(central.sum()),
        "central_tested": int((central & tested).sum()),
        "central_followed": int((central & followed).sum()),
        "central_apart": int((central & apart).sum()),
    }
    for d in ("west", "east", "north", "hold"):
        sel = central & (v["direction"] == d)
        out[f"{d}_n"] = int(sel.sum())
        out[f"{d}_tested"] = int((sel & tested).sum())
        out[f"{d}_followed"] = int((sel & followed).sum())
        out[f"{d}_apart"] = int((sel & apart).sum())
    zhang = v["issuer_group"] == "zhang_guotao"
    out["zhang_tested"] = int((zhang & tested).sum())
    out["zhang_followed"] = int((zhang & followed).sum())
    out["army_own"] = int((v["issuer_group"] == "army").sum())
    for prefix in ("", "west_", "east_", "zhang_"):
        name = prefix or "central_"
        out[f"{prefix}share"] = _ratio(out[f"{name}followed"], out[f"{name}tested"])
    return out


def table(directives: pd.DataFrame, actions: pd.DataFrame, readings: list[Variant]) -> pd.DataFrame:
    """One row per reading (:func:`variants`) with its :func:`headline` counts.

    Columns: ``id``, ``label``, ``kind`` (:data:`KINDS`), ``camp``, ``holders``, ``positions``
    (comma-joined ids), then every key of :func:`headline`.
    """
    return pd.DataFrame(
        [
            {
                "id": var.id,
                "label": var.label,
                "kind": var.kind,
                "camp": var.camp,
                "holders": var.holders,
                "positions": ", ".join(var.positions),
                **headline(directives, actions, var.assessments),
            }
            for var in readings
        ]
    )


def readings_only(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`table` that are readings (the codebook and the positions), not filters."""
    return frame[frame["kind"] != "filter"] if "kind" in frame else frame


def fraction_text(followed: int, tested: int) -> str:
    """``9 of 12 (75%)``: a share always with its counts; ``none tested`` when there is none."""
    if not tested:
        return "none tested"
    return f"{followed} of {tested} ({followed / tested:.0%})"


def spread(frame: pd.DataFrame, prefix: str = "") -> dict[str, object]:
    """The lowest and highest share of one headline across the variants.

    ``prefix`` picks the headline: ``""`` (the centre's orders to the army),
    ``"west_"``, ``"east_"``, ``"zhang_"``. Returns ``low`` and ``high``
    (:func:`fraction_text`), ``low_label`` and ``high_label`` (the variants'
    labels, joined when several share the extreme), ``n_variants`` and
    ``same`` (True when every variant gives the same share).
    """
    name = prefix or "central_"
    frame = readings_only(frame)
    shares = frame[f"{prefix}share"]
    ok = frame[shares.notna()]
    if ok.empty:
        return {
            "low": "none tested",
            "high": "none tested",
            "low_label": "",
            "high_label": "",
            "n_variants": len(frame),
            "same": True,
        }
    lo, hi = ok[f"{prefix}share"].min(), ok[f"{prefix}share"].max()

    def pick(value):
        rows = ok[ok[f"{prefix}share"] == value]
        first = rows.iloc[0]
        return fraction_text(int(first[f"{name}followed"]), int(first[f"{name}tested"])), joined_label(rows)

    low, low_label = pick(lo)
    high, high_label = pick(hi)
    return {
        "low": low,
        "high": high,
        "low_label": low_label,
        "high_label": high_label,
        "n_variants": len(frame),
        "same": bool(lo == hi),
    }


def range_text(frame: pd.DataFrame, prefix: str = "") -> str:
    """The spread of one headline across the readings, as a predicate with counts.

    ``lies between 12 of 20 (60%), as X reads the record, and 11 of 11
    (100%), under the codebook ...``; when every reading that tests any order
    gives the same share, ``is the same under every reading that tests any:
    6 of 6 or 7 of 7 (100%)``, naming how many readings test none.
    """
    frame = readings_only(frame)
    sp = spread(frame, prefix)
    name = prefix or "central_"
    ok = frame[frame[f"{prefix}share"].notna()]
    none = len(frame) - len(ok)
    if ok.empty:
        return "cannot be given: no reading tests any such order"
    if not sp["same"]:
        text = f"lies between {sp['low']}, {sp['low_label']}, and {sp['high']}, {sp['high_label']}"
    else:
        counts = sorted(
            {(int(f), int(t)) for f, t in zip(ok[f"{name}followed"], ok[f"{name}tested"])}, key=lambda ft: ft[1]
        )
        share = counts[0][0] / counts[0][1]
        text = (
            f"is the same under every reading that tests any: "
            f"{' or '.join(f'{f} of {t}' for f, t in counts)} ({share:.0%})"
        )
    if none:
        text += f" ({none} of the {len(frame)} readings test none)"
    return text


def filter_text(frame: pd.DataFrame, variant: str, prefix: str = "") -> str:
    """One filter's share of one headline (:func:`fraction_text`), by its id in :func:`table`."""
    name = prefix or "central_"
    row = frame.set_index("id").loc[variant]
    return fraction_text(int(row[f"{name}followed"]), int(row[f"{name}tested"]))


def _share_words(frame: pd.DataFrame, prefix: str, adjective: str) -> str | None:
    """How the orders of one direction fared across the readings that test any, in words
    (None when no reading tests any)."""
    shares = frame[f"{prefix}share"].dropna()
    if shares.empty:
        return None
    lo, hi = float(shares.min()), float(shares.max())
    if lo == hi == 1:
        return f"always all the {adjective} ones"
    if lo == hi == 0:
        return f"never {'an' if adjective[0] in 'aeiou' else 'a'} {adjective} one"
    if lo == hi:
        return f"always {lo:.0%} of the {adjective} ones"
    return f"{lo:.0%} to {hi:.0%} of the {adjective} ones"


def spread_finding(frame: pd.DataFrame) -> str:
    """The finding of the chapter's spread chart, in words from :func:`table`: the range of the
    share of the centre's orders to the army followed across the readings, then how the westward
    and eastward ones fared (a direction no reading tests is left out), e.g. "Across 6 readings
    the army followed 60% to 100% of the centre's orders: always all the westward ones, never an
    eastward one"."""
    frame = readings_only(frame)  # the filters are no historian's reading: shown apart
    shares = frame["share"].dropna()
    if shares.empty:
        return "No reading tests any of the centre's orders to the army"
    lo, hi = float(shares.min()), float(shares.max())
    share = f"{lo:.0%}" if lo == hi else f"{lo:.0%} to {hi:.0%}"
    across = f"Across {len(frame)} readings" if len(frame) > 1 else "Under the one reading"
    head = f"{across} the army followed {share} of the centre's orders"
    tails = [w for w in (_share_words(frame, "west_", "westward"), _share_words(frame, "east_", "eastward")) if w]
    return f"{head}: {', '.join(tails)}" if tails else head


def display(frame: pd.DataFrame) -> pd.DataFrame:
    """The sensitivity table as the chapter shows it: every share with its counts, the readings
    (codebook and positions, with the positions whose reading it is) before the filters."""
    kind = frame["kind"] if "kind" in frame else pd.Series("codebook", index=frame.index)
    holders = frame["holders"] if "holders" in frame else pd.Series("", index=frame.index)
    out = pd.DataFrame(
        {
            "Reading": [lbl[:1].upper() + lbl[1:] for lbl in frame["label"]],
            "Kind": [{"codebook": "the codebook", "position": "a position", "filter": "a filter"}[k] for k in kind],
            "Positions read": list(holders.fillna("")),
            "The centre's orders to the army": [
                fraction_text(f, t) for f, t in zip(frame["central_followed"], frame["central_tested"])
            ],
            "pointing west": [fraction_text(f, t) for f, t in zip(frame["west_followed"], frame["west_tested"])],
            "pointing east": [fraction_text(f, t) for f, t in zip(frame["east_followed"], frame["east_tested"])],
            "Counted apart": frame["central_apart"],
            "Zhang Guotao's orders": [
                fraction_text(f, t) for f, t in zip(frame["zhang_followed"], frame["zhang_tested"])
            ],
        }
    )
    return out


def pairing_readings(assessments: pd.DataFrame, readings: pd.DataFrame, positions: pd.DataFrame) -> pd.DataFrame:
    """The pairings some position reads differently: the codebook's rule and each position's.

    One row per pairing named in ``readings``; columns ``directive_id``,
    ``action_id``, ``codebook`` (verdict and rule), then one column per
    position that reads it (its verdict and rule), holders as headers.
    """
    by_id = positions.set_index("id")
    keys = list(dict.fromkeys(zip(readings["directive_id"], readings["action_id"])))
    base = assessments.set_index(["directive_id", "action_id"])
    rows = []
    for d, a in keys:
        b = base.loc[(d, a)]
        row = {"Pairing": f"{d} / {a}", "Codebook": f"{wd.VERDICT_LABEL[b['verdict']]} ({wd.rule_label(b)})"}
        for _, r in readings[(readings["directive_id"] == d) & (readings["action_id"] == a)].iterrows():
            row[_short_holder(by_id.loc[r["position_id"]])] = f"{wd.VERDICT_LABEL[r['verdict']]} ({wd.rule_label(r)})"
        rows.append(row)
    return pd.DataFrame(rows).fillna("")


assert set(wd.TESTED) | set(wd.APART) == set(schema.VERDICT)
