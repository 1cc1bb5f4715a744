"""The verdict codebook's rules that span pairings: supersession both ways, words against deeds,
no contradiction between pairings, the army's own decisions tested, and second copies.

:func:`problems` is called by :func:`wra.record.check.validate` after its own codebook checks
(``superseded_by`` exists, is later and of the same or a higher authority; the issuer and kind
rules). It reports, each as a :class:`wra.record.check.Problem` naming file, line and column:

* **words are not deeds**: a rule that judges a deed (:data:`wra.record.schema.DEED_RULES`) may not
  answer with a proposal or a reply, and the two new word rules (``asked_for_orders``,
  ``agreed_in_words``) need one (``argued_against`` is checked by :mod:`wra.record.check`);
  in ``assessments.csv`` and ``readings.csv`` alike;
* **superseded before the act**: the order named in ``superseded_by`` is dated on or before the
  act it is said to have governed;
* **no contradiction**: once a pairing says directive D was superseded by S, no pairing may test D
  as in force (a verdict of :data:`wra.record.schema.TESTED_VERDICTS`) by an act dated after S;
  checked in the codebook and in every camp's reading (the codebook with the camp's readings in
  place of its own rows);
* **supersession runs both ways**: in the codebook, an order to the army pointing east or west is
  not tested by an act dated after a later order of the same or a higher authority, to the army,
  pointing the other way (:data:`wra.record.schema.OPPOSITE_DIRECTIONS`); that pairing takes rule
  ``superseded``;
* **the army's own decisions are tested**: every directive of the army leadership has a twin in
  ``actions.csv`` (a ``decision`` of the army leadership on the same date), and the twin is paired
  with an order of the centre or of Zhang Guotao issued on or before it;
* **one camp, one reading**: two positions of the same camp do not read one pairing differently;
* **second copies** (``directives.confirmed_in``): ``key:pages`` items separated by ``;``, each key
  in references.bib and not the row's own source, its ``via`` or the article, ``n.p.`` only for an
  @online or @misc work.

A row another check already refused (an unknown key, an earlier or lower ``superseded_by``) is
left to that check, so one mistake is reported once. Bad data never raises.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from wra.record import paths, schema

#: army leadership's actors (actions.csv) whose decisions are the twins of army directives
ARMY_ACTORS = ("wra_committee", "chen_changhao", "xu_xiangqian")
_CONFIRMED_ITEM = re.compile(r"^([^\s:;]+):\s*(\S.*)$")


def _day(value) -> str:
    return value.strftime("%Y-%m-%d") if isinstance(value, pd.Timestamp) and not pd.isna(value) else "?"


def _dated(value) -> bool:
    return isinstance(value, pd.Timestamp) and not pd.isna(value)


def _indexed(frames: Mapping[str, pd.DataFrame], complete: Mapping[str, bool], table: str) -> pd.DataFrame | None:
    """A complete table indexed by its id (first row of a duplicated id kept), or None."""
    if table not in frames or not complete.get(table):
        return None
    frame = frames[table].reset_index().set_index("id", drop=False)
    return frame[~frame.index.duplicated()]


class _Record:
    """The tables the checks read, and the relations between them."""

    def __init__(self, root: Path, frames, complete, bib):
        from wra.record.check import _rel

        self.rel = {t: _rel(paths.table_path(t, root), root) for t in paths.TABLES}
        self.frames = frames
        self.complete = complete
        self.bib = bib
        self.directives = _indexed(frames, complete, "directives")
        self.actions = _indexed(frames, complete, "actions")

    def group(self, did: str) -> str | None:
        return schema.ISSUER_GROUP.get(str(self.directives.at[did, "issuer"]))

    def rank(self, did: str) -> int | None:
        group = self.group(did)
        return schema.AUTHORITY_RANK.get(group) if group else None

    def valid_supersession(self, did, by) -> bool:
        """``by`` is a known directive, later than ``did``, of the same or a higher authority
        (what :mod:`wra.record.check` enforces; anything else it reports itself)."""
        d = self.directives
        if not (isinstance(did, str) and isinstance(by, str) and did in d.index and by in d.index and did != by):
            return False
        if not (_dated(d.at[did, "date"]) and _dated(d.at[by, "date"])) or d.at[by, "date"] <= d.at[did, "date"]:
            return False
        old, new = self.rank(did), self.rank(by)
        return old is not None and new is not None and new >= old

    def act_date(self, aid):
        if self.actions is None or not isinstance(aid, str) or aid not in self.actions.index:
            return None
        date = self.actions.at[aid, "date"]
        return date if _dated(date) else None


def _pairings(frame: pd.DataFrame, table: str, rel: str) -> list[dict]:
    """The rows of assessments or readings as plain dicts, with where they come from."""
    rows = []
    for line, row in frame.iterrows():
        item = {k: (None if not isinstance(v, str) and pd.isna(v) else v) for k, v in row.items()}
        item.update(_table=table, _rel=rel, _line=int(line))
        rows.append(item)
    return rows


def _problem(row: Mapping, column: str, message: str):
    from wra.record.check import Problem

    return Problem(row["_rel"], row["_line"], column, message)


# --------------------------------------------------------------------------
# Words and deeds
# --------------------------------------------------------------------------


def _words_and_deeds(rec: _Record, rows: Iterable[Mapping]) -> list:
    out = []
    if rec.actions is None:
        return out
    for row in rows:
        rule, aid, did = row.get("rule"), row.get("action_id"), row.get("directive_id")
        if not isinstance(aid, str) or aid not in rec.actions.index:
            continue
        known = isinstance(did, str) and did in rec.directives.index
        if row["_table"] == "assessments" and known and rec.directives.at[did, "kind"] in schema.NOT_ORDER_KINDS:
            continue  # a question, approval, ... takes rule not_an_order: wra.record.check says so
        kind = rec.actions.at[aid, "kind"]
        if rule in schema.DEED_RULES and kind in schema.WORD_KINDS:
            out.append(
                _problem(
                    row,
                    "rule",
                    f"rule {rule} judges a deed, but {aid} is a {kind} (words, not a deed): use "
                    f"argued_against, asked_for_orders or agreed_in_words",
                )
            )
        elif rule in schema.WORD_RULES and rule != "argued_against" and kind not in schema.WORD_KINDS:
            out.append(_problem(row, "rule", f"rule {rule} needs a proposal or a reply; {aid} is a {kind}"))
    return out


# --------------------------------------------------------------------------
# Supersession: before the act, no contradiction, both ways
# --------------------------------------------------------------------------


def _superseded_before_the_act(rec: _Record, rows: Iterable[Mapping]) -> list:
    out = []
    for row in rows:
        did, by, aid = row.get("directive_id"), row.get("superseded_by"), row.get("action_id")
        if row.get("rule") != "superseded" or not rec.valid_supersession(did, by):
            continue
        acted = rec.act_date(aid)
        later = rec.directives.at[by, "date"]
        if acted is not None and later > acted:
            out.append(
                _problem(
                    row,
                    "superseded_by",
                    f"superseded_by {by} is dated {_day(later)}, after {aid} ({_day(acted)}): an order that "
                    f"came after the act cannot have replaced {did} for it",
                )
            )
    return out


def _contradictions(rec: _Record, rows: list[Mapping], report: set[str] | None = None) -> list:
    """Pairings that test a directive as in force after a pairing says it was superseded.

    ``report``: the tables whose rows may be named (a reading is reported at its own rows)."""
    out = []
    cut: dict[str, tuple] = {}
    for row in rows:
        did, by = row.get("directive_id"), row.get("superseded_by")
        if row.get("rule") == "superseded" and rec.valid_supersession(did, by):
            date = rec.directives.at[by, "date"]
            if did not in cut or date < cut[did][0]:
                cut[did] = (date, by, row)
    for row in rows:
        did = row.get("directive_id")
        if did not in cut or row.get("verdict") not in schema.TESTED_VERDICTS:
            continue
        acted = rec.act_date(row.get("action_id"))
        date, by, where = cut[did]
        if acted is None or not acted > date:
            continue
        at = row if report is None or row["_table"] in report else where
        if report is not None and at["_table"] not in report:
            continue
        other = f"{where['_rel']} line {where['_line']}"
        out.append(
            _problem(
                at,
                "verdict" if at is row else "superseded_by",
                f"{did} is tested as in force by {row.get('action_id')} ({_day(acted)}; {row['_rel']} line "
                f"{row['_line']}), but {other} has it superseded by {by} on {_day(date)}: an order superseded "
                f"cannot be tested by a later act",
            )
        )
    return out


def _both_ways(rec: _Record, rows: Iterable[Mapping]) -> list:
    """In the codebook: a tested east or west order to the army, acted on after a later order of the
    same or a higher authority to the army pointing the other way."""
    out = []
    d = rec.directives
    orders = d[
        d["recipient"].isin(schema.ARMY_RECIPIENTS)
        & d["direction"].isin(list(schema.OPPOSITE_DIRECTIONS))
        & (d["kind"] == "order")
        & d["issuer"].map(schema.ISSUER_GROUP).isin(["central", "zhang_guotao"])
        & d["date"].notna()
    ]
    for row in rows:
        did = row.get("directive_id")
        if row.get("verdict") not in schema.TESTED_VERDICTS or did not in orders.index:
            continue
        acted = rec.act_date(row.get("action_id"))
        if acted is None:
            continue
        mine = orders.loc[did]
        rank = rec.rank(did)
        against = orders[
            (orders["direction"] == schema.OPPOSITE_DIRECTIONS[mine["direction"]])
            & (orders["date"] > mine["date"])
            & (orders["date"] < acted)
        ]
        against = [s for s in against.index if (rec.rank(s) or 0) >= (rank or 0)]
        if against:
            first = min(against, key=lambda s: orders.at[s, "date"])
            out.append(
                _problem(
                    row,
                    "verdict",
                    f"{did} ({mine['direction']}) is tested as in force by {row.get('action_id')} ({_day(acted)}), "
                    f"but {first} ({_day(orders.at[first, 'date'])}), a later order of the same or a higher "
                    f"authority, points {orders.at[first, 'direction']}: supersession runs both ways, so this "
                    f"pairing takes rule superseded by {first}",
                )
            )
    return out


# --------------------------------------------------------------------------
# The army's own decisions, tested against the order in force
# --------------------------------------------------------------------------


def _decisions_tested(rec: _Record, assessed: list[Mapping]) -> list:
    out = []
    d, a = rec.directives, rec.actions
    if a is None:
        return out
    twins = a[(a["kind"] == "decision") & a["actor"].isin(ARMY_ACTORS) & a["date"].notna()]
    tested_by = {}
    for row in assessed:
        did, aid = row.get("directive_id"), row.get("action_id")
        if isinstance(did, str) and did in d.index and isinstance(aid, str) and aid in twins.index:
            issued = d.at[did, "date"]  # a broken date is reported by the schema check, not here
            if rec.group(did) != "army" and (not _dated(issued) or issued <= twins.at[aid, "date"]):
                tested_by.setdefault(aid, []).append(did)
    rel_d, rel_a = rec.rel["directives"], rec.rel["actions"]
    for did, row in d.iterrows():
        if rec.group(did) != "army" or not _dated(row["date"]):
            continue
        mine = twins[twins["date"] == row["date"]]
        where = {"_rel": rel_d, "_line": int(row["line"])}
        if mine.empty:
            out.append(
                _problem(
                    where,
                    "id",
                    f"{did} is the army leadership's own decision: record it in {rel_a} too, as a decision of "
                    f"the army leadership dated {_day(row['date'])}, and pair it with the order in force then",
                )
            )
            continue
        if not any(aid in tested_by for aid in mine.index):
            aid = mine.index[0]
            out.append(
                _problem(
                    {"_rel": rel_a, "_line": int(mine.at[aid, "line"])},
                    "id",
                    f"{aid} is the decision {did} of the army leadership: pair it in {rec.rel['assessments']} with "
                    f"the order of the centre or of Zhang Guotao in force on {_day(row['date'])}",
                )
            )
    return out


# --------------------------------------------------------------------------
# One camp, one reading
# --------------------------------------------------------------------------


def _camps(rec: _Record) -> dict[str, str]:
    """position id -> camp (a position is its own camp when positions.csv cannot be read)."""
    positions = rec.frames.get("positions")
    if positions is None or not rec.complete.get("positions"):
        return {}
    return {str(p): str(c) for p, c in zip(positions["id"], positions["camp"]) if isinstance(p, str)}


def _one_reading_per_camp(rows: list[Mapping], camps: Mapping[str, str]) -> list:
    out = []
    seen: dict[tuple, Mapping] = {}
    for row in rows:
        camp = camps.get(row.get("position_id"), row.get("position_id"))
        key = (camp, row.get("directive_id"), row.get("action_id"))
        if key in seen:
            first = seen[key]
            if (first.get("rule"), first.get("verdict"), first.get("superseded_by")) != (
                row.get("rule"),
                row.get("verdict"),
                row.get("superseded_by"),
            ):
                out.append(
                    _problem(
                        row,
                        "verdict",
                        f"{row.get('position_id')} and {first.get('position_id')} (line {first['_line']}), both of "
                        f"camp {camp}, read {key[1]}/{key[2]} differently: a camp's positions make one reading",
                    )
                )
        else:
            seen[key] = row
    return out


def camp_readings(assessed: list[Mapping], readings: list[Mapping], camps: Mapping[str, str]) -> dict[str, list]:
    """Each camp's reading of the record: the codebook's pairings with the camp's readings in their place."""
    by_camp: dict[str, dict] = {}
    for row in readings:
        camp = camps.get(row.get("position_id"), row.get("position_id"))
        by_camp.setdefault(camp, {}).setdefault((row.get("directive_id"), row.get("action_id")), row)
    out = {}
    for camp, own in by_camp.items():
        out[camp] = [own.get((r.get("directive_id"), r.get("action_id")), r) for r in assessed]
    return out


# --------------------------------------------------------------------------
# Second copies
# --------------------------------------------------------------------------


def parse_confirmed(cell) -> list[tuple[str, str]] | None:
    """``'key:pages; key:pages'`` as ``[(key, pages), ...]``; None if the cell is malformed."""
    if not isinstance(cell, str) or not cell.strip():
        return []
    items = []
    for part in cell.split(";"):
        m = _CONFIRMED_ITEM.match(part.strip())
        if not m:
            return None
        items.append((m.group(1), m.group(2).strip()))
    return items


def _second_copies(rec: _Record, article: str | None) -> list:
    out = []
    d = rec.directives
    if "confirmed_in" not in d.columns:
        return out
    where = rec.rel["directives"]
    for _, row in d.iterrows():
        at = {"_rel": where, "_line": int(row["line"])}
        items = parse_confirmed(row["confirmed_in"])
        if items is None:
            out.append(
                _problem(
                    at,
                    "confirmed_in",
                    f"confirmed_in {row['confirmed_in']!r} is not a list of 'key:pages' items separated by ';'",
                )
            )
            continue
        for key, pages in items:
            if rec.bib is not None and key not in rec.bib:
                out.append(_problem(at, "confirmed_in", f"unknown key {key!r} in confirmed_in: not in references.bib"))
            elif key in (row.get("source"), row.get("via"), article):
                out.append(
                    _problem(
                        at,
                        "confirmed_in",
                        f"confirmed_in names {key!r}, which is the row's own source, its via or the article: "
                        f"a second copy is another work",
                    )
                )
            elif pages == schema.NO_PAGES and rec.bib is not None:
                kind = rec.bib[key].type.lower()
                if kind not in schema.UNPAGINATED_TYPES:
                    out.append(
                        _problem(
                            at,
                            "confirmed_in",
                            f"pages 'n.p.' is only for @online or @misc works; {key!r} is @{kind}: give a page",
                        )
                    )
    return out


# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------


def problems(root: Path, frames: Mapping[str, pd.DataFrame], complete: Mapping[str, bool], bib) -> list:
    """Every problem the rules above find in the tables at ``root`` (see the module's docstring)."""
    rec = _Record(Path(root), frames, complete, bib)
    if rec.directives is None or "assessments" not in frames or not complete.get("assessments"):
        return []
    assessed = _pairings(frames["assessments"], "assessments", rec.rel["assessments"])
    readings = []
    if "readings" in frames and complete.get("readings"):
        readings = _pairings(frames["readings"], "readings", rec.rel["readings"])
    out = []
    out += _words_and_deeds(rec, assessed + readings)
    out += _superseded_before_the_act(rec, assessed + readings)
    out += _contradictions(rec, assessed)
    out += _both_ways(rec, assessed)
    camps = _camps(rec)
    out += _one_reading_per_camp(readings, camps)
    for rows in camp_readings(assessed, readings, camps).values():
        out += _contradictions(rec, rows, report={"readings"})
    out += _decisions_tested(rec, assessed)
    article = None
    try:
        from wra.record.sources import article_key

        article = article_key(*(f for t, f in frames.items() if t in ("directives", "actions", "assessments")))
    except (ValueError, KeyError):
        pass
    out += _second_copies(rec, article)
    return sorted(set(out))
