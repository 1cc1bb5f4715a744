"""Directives against actions: pairing, verdicts, positions, and the chapter's three charts.

Everything runs on small frames built here by hand (typed as wra.record.data.load
types them), never on the project's data.
"""

from __future__ import annotations

import functools
import itertools
import re

import pandas as pd
import pytest

import wra
from wra.analysis import directives as wd
from wra.analysis import orders
from wra.analysis import sensitivity as se
from wra.presentation import charts, figures, style
from wra.presentation import directives_charts as dc
from wra.presentation import directives_tables as dt
from wra.record import names, paths, sources

FIXTURE_BIB = paths.ROOT / "tests" / "fixtures" / "valid" / "references.bib"
ART = "wra_article"


def fake_cite(row) -> str:
    return f"{row['source']}:{row['pages']}"


def frame(rows: list[dict], dates=("date", "date_end")) -> pd.DataFrame:
    out = pd.DataFrame(rows)
    for col in dates:
        if col in out:
            out[col] = pd.to_datetime(out[col])
    if "note" in out:
        out["note"] = out["note"].astype("Int64")
    return out


def directive(
    id_,
    date,
    issuer,
    direction,
    quote=None,
    summary=None,
    source=ART,
    pages="part 1",
    note=None,
    via=None,
    recipient="wra",
    precision="day",
):
    return dict(
        id=id_,
        date=date,
        date_precision=precision,
        issuer=issuer,
        recipient=recipient,
        direction=direction,
        quote_zh=quote,
        summary_en=summary or f"order {id_}",
        source=source,
        pages=pages,
        note=note,
        via=via,
    )


def action(
    id_,
    date,
    actor="wra",
    kind="move",
    place=None,
    direction="west",
    summary=None,
    source=ART,
    pages="part 2",
    via=None,
    date_end=None,
    quote=None,
    precision="day",
):
    return dict(
        id=id_,
        date=date,
        date_precision=precision,
        date_end=date_end,
        actor=actor,
        kind=kind,
        place_id=place,
        direction=direction,
        quote_zh=quote,
        summary_en=summary or f"did {id_}",
        source=source,
        pages=pages,
        note=None,
        via=via,
    )


def assess(d, a, verdict, source=ART, pages="part 2", via=None, rationale=None):
    return dict(
        directive_id=d,
        action_id=a,
        verdict=verdict,
        rationale_en=rationale or f"{d}/{a} {verdict}",
        source=source,
        pages=pages,
        note=None,
        via=via,
    )


@pytest.fixture
def record():
    directives = frame(
        [
            # central, north; answered by two actions (listed here out of date order)
            directive(
                "D01",
                "1936-10-24",
                "military_commission",
                "north",
                quote="三十军迅速渡河",
                summary="30th Army to cross fast",
                source="mao_nianpu_1993",
                pages="634",
                note=11,
                via=ART,
            ),
            # central, east; not carried out
            directive(
                "D02",
                "1936-12-24",
                "military_commission",
                "east",
                quote="西路军以东进为有利",
                summary="Going east is better",
            ),
            # Zhang Guotao, west; complied
            directive("D03", "1936-11-05", "zhang_guotao", "west", source="xu_memoir_1988", pages="530"),
            # army leadership, west; complied + deviated -> partly
            directive("D04", "1936-11-12", "wra_committee", "west"),
            # central, hold; nobody assessed it
            directive("D05", "1936-11-18", "mao_zhou", "hold"),
        ]
    )
    actions = frame(
        [
            action("A02", "1936-10-30", actor="thirtieth_army", place="yitiaoshan", direction="north"),
            action(
                "A01",
                "1936-10-25",
                actor="thirtieth_army",
                place="jingyuan",
                direction="north",
                source="xu_memoir_1988",
                pages="523",
                date_end="1936-10-28",
            ),
            action("A03", "1936-11-15", actor="ninth_army", kind="capture", place="gulang"),
            action("A04", "1936-11-20", actor="wra_committee", kind="proposal", place="suzhou"),  # not a position
            action("A05", "1936-11-18", actor="wra", kind="capture", place=None),  # no place
            action("A06", "1937-01-01", actor="fifth_army", kind="capture", place="gaotai"),
            action("A07", "1937-02-25", actor="west_relief_army", place="jingyuan", direction="east"),  # not the army
        ]
    )
    assessments = frame(
        [
            assess("D01", "A02", "complied"),
            assess("D01", "A01", "complied", source="xu_memoir_1988", pages="523"),
            assess("D02", None, "not_carried_out"),
            assess("D03", "A03", "complied"),
            assess("D04", "A03", "complied"),
            assess("D04", "A06", "deviated"),
        ],
        dates=(),
    )
    places = pd.DataFrame(
        {
            "place_id": ["jingyuan", "yitiaoshan", "gulang", "suzhou", "gaotai"],
            "name_zh": ["靖远", "一条山", "古浪", "肃州", "高台"],
            "name_pinyin": ["Jìngyuǎn", "Yītiáoshān", "Gǔlàng", "Sùzhōu", "Gāotái"],
            "name_en": ["Jingyuan", "Yitiaoshan", "Gulang", "Suzhou", "Gaotai"],
            "lon": [104.68, 104.05, 102.89, 98.51, 99.82],
            "lat": [36.57, 37.1, 37.47, 39.74, 39.38],
        }
    )
    return dict(directives=directives, actions=actions, assessments=assessments, places=places)


@pytest.fixture
def pairs(record):
    return wd.pairings(record["directives"], record["assessments"], record["actions"])


# --------------------------------------------------------------------------
# Pairing and verdicts
# --------------------------------------------------------------------------


def test_pairings_one_row_per_assessment_plus_unassessed(pairs):
    assert len(pairs) == 6 + 1
    d05 = pairs[pairs["directive_id"] == "D05"]
    assert list(d05["verdict"]) == [wd.UNASSESSED]
    assert d05["action_id"].isna().all()
    # directive date order, then action date order within a directive
    assert list(pairs["directive_id"].drop_duplicates()) == ["D01", "D03", "D04", "D05", "D02"]
    assert list(pairs.loc[pairs["directive_id"] == "D01", "action_id"]) == ["A01", "A02"]


def test_pairings_refuse_unknown_keys(record):
    bad = pd.concat([record["assessments"], frame([assess("D99", "A01", "complied")], dates=())])
    with pytest.raises(KeyError, match="D99"):
        wd.pairings(record["directives"], bad, record["actions"])
    bad = pd.concat([record["assessments"], frame([assess("D01", "A99", "complied")], dates=())])
    with pytest.raises(KeyError, match="A99"):
        wd.pairings(record["directives"], bad, record["actions"])


@pytest.mark.parametrize(
    "verdicts, expected",
    [
        ([], "unassessed"),
        (["complied", "complied"], "complied"),
        (["not_carried_out"], "not_carried_out"),
        (["complied", "deviated"], "partly"),
        (["partly", "overtaken"], "partly"),
        (["overtaken", "deviated"], "deviated"),
        (["overtaken", "not_carried_out"], "not_carried_out"),
    ],
)
def test_overall_verdict_rule(verdicts, expected):
    assert wd.overall_verdict(verdicts) == expected


def test_overall_verdict_rejects_unknown():
    with pytest.raises(KeyError):
        wd.overall_verdict(["obeyed"])


def test_directive_verdicts_one_row_each_and_article_only(pairs):
    dv = wd.directive_verdicts(pairs, article=ART)
    assert list(dv["directive_id"]) == ["D01", "D03", "D04", "D05", "D02"]
    by = dv.set_index("directive_id")
    assert by.loc["D01", "verdict"] == "complied" and by.loc["D01", "n_actions"] == 2
    assert by.loc["D02", "verdict"] == "not_carried_out" and by.loc["D02", "n_actions"] == 0
    assert by.loc["D04", "verdict"] == "partly"
    assert by.loc["D05", "verdict"] == wd.UNASSESSED
    # D01 rests on the article through `via`, but one of its actions and assessments cites Xu's memoir
    assert not by.loc["D01", "article_only"]
    # D02: directive and its single assessment both cite the article
    assert by.loc["D02", "article_only"]
    # D03: directive cites Xu's memoir
    assert not by.loc["D03", "article_only"]
    assert by.loc["D04", "article_only"]
    # nothing assessed, so nothing rests on the article
    assert not by.loc["D05", "article_only"]


def test_verdict_counts_not_carried_out_counts_once_and_groups_in_order(pairs):
    dv = wd.directive_verdicts(pairs)
    counts = wd.verdict_counts(dv)
    assert list(counts.index) == ["central", "zhang_guotao", "army", "total"]
    assert counts.loc["central", "not_carried_out"] == 1
    assert counts.loc["central", "complied"] == 1
    assert counts.loc["central", "unassessed"] == 1
    assert counts.loc["central", "total"] == 3
    assert counts.loc["zhang_guotao", "complied"] == 1
    assert counts.loc["army", "partly"] == 1
    assert counts.loc["total", "total"] == 5
    assert counts.loc["total", "deviated"] == 0  # every verdict is a column, even when zero


def test_verdict_counts_without_unassessed_has_no_such_column(pairs):
    dv = wd.directive_verdicts(pairs)
    counts = wd.verdict_counts(dv[dv["verdict"] != wd.UNASSESSED])
    assert wd.UNASSESSED not in counts.columns
    assert counts.loc["central", "total"] == 2


def test_verdict_shares_per_group(pairs):
    shares = wd.verdict_shares(wd.verdict_counts(wd.directive_verdicts(pairs)))
    assert shares.loc["central", "complied"] == pytest.approx(1 / 3)
    assert shares.loc["army", "partly"] == pytest.approx(1.0)
    assert shares.loc["total", "complied"] == pytest.approx(2 / 5)
    assert shares.drop(index="total").sum(axis=1).tolist() == pytest.approx([1.0, 1.0, 1.0])


def test_verdict_counts_by_direction(pairs):
    dv = wd.directive_verdicts(pairs)
    counts = wd.verdict_counts(dv[dv["issuer_group"] == "central"], by="direction")
    assert list(counts.index) == ["north", "east", "hold", "total"]  # vocabulary order, present only
    assert counts.loc["east", "not_carried_out"] == 1
    assert counts.loc["north", "complied"] == 1
    table = wd.counts_table(counts)
    assert list(table["Pointed"]) == ["North", "East", "Hold", "All"]


def test_key_numbers_count_each_directive_once(record, pairs):
    dv = wd.directive_verdicts(pairs, article=ART)
    n = wd.key_numbers(dv, record["assessments"], ART)
    assert n["n_directives"] == 5 and n["n_assessments"] == 6 and n["n_pairs_with_action"] == 5
    assert (n["n_central"], n["n_zhang_guotao"], n["n_army"]) == (3, 1, 1)
    assert n["n_central_complied"] == 1  # D01, though answered by two actions
    assert n["n_central_not_carried_out"] == 1  # D02, with no action
    assert n["n_central_unassessed"] == 1
    assert n["n_central_followed"] == 1 and n["n_army_followed"] == 1  # partly counts as followed
    assert n["n_central_east"] == 1 and n["n_central_east_followed"] == 0
    assert n["n_army_west_partly"] == 1
    assert n["n_directives_external"] == 1  # D03 (Xu's memoir); D01 cites the Nianpu but via the article
    assert n["n_central_west_external"] == 0
    assert n["n_assess_article"] == 5 and n["n_assess_external"] == 1
    assert n["n_directives_article_only"] == 2  # D02 and D04
    assert all(isinstance(v, int) for v in n.values())


def test_key_numbers_need_witness_columns(record, pairs):
    with pytest.raises(KeyError):
        wd.key_numbers(wd.directive_verdicts(pairs), record["assessments"], ART)


def test_article_key_is_found_from_part_pages(record):
    assert sources.article_key(record["directives"], record["actions"]) == ART
    other = record["actions"].assign(source="someone_else")
    with pytest.raises(ValueError, match="one article key"):
        sources.article_key(record["directives"], other)


# --------------------------------------------------------------------------
# The central table
# --------------------------------------------------------------------------


def test_directive_table_lists_answering_actions_in_date_order(record, pairs):
    table = dt.directive_table(pairs, cite=fake_cite)
    assert list(table.columns) == ["Directive", "Order and source", "What was done", "Verdict"]
    assert len(table) == 5
    first = table.iloc[0]
    assert "D01" in first["Directive"] and "1936-10-24" in first["Directive"]
    assert "Central Military Commission (中革军委) → Western Route Army" in first["Directive"]
    done = str(first["What was done"])
    assert done.index("A01") < done.index("A02")  # A01 (Oct 25) before A02 (Oct 30)
    assert "1936-10-25 to 1936-10-28" in done
    assert "30th Army, move, jingyuan" in done  # without places, the place id
    with_names = dt.directive_table(pairs, cite=fake_cite, places=record["places"]).iloc[0]["What was done"]
    assert "30th Army, move, Jingyuan 靖远" in with_names
    assert "xu_memoir_1988:523" in done  # the action's own citation
    order = first["Order and source"]
    assert "三十军迅速渡河" in order and "30th Army to cross fast" in order
    assert order.index("30th Army to cross fast") < order.index("mao_nianpu_1993:634")
    assert "complied" in first["Verdict"]


def test_directive_table_marks_mixed_and_empty_rows(pairs):
    table = dt.directive_table(pairs, cite=fake_cite).set_index(pd.Index(["D01", "D03", "D04", "D05", "D02"]))
    d04 = str(table.loc["D04", "What was done"])
    assert "[complied]" in d04 and "[deviated]" in d04
    assert "partly complied" in table.loc["D04", "Verdict"]
    assert "Nothing done" in table.loc["D02", "What was done"]
    assert "not carried out" in table.loc["D02", "Verdict"]
    assert "No answering action" in table.loc["D05", "What was done"]
    assert "not assessed" in table.loc["D05", "Verdict"]
    html = wra.presentation.tables.to_html(table)
    assert html.count("<tr>") == 6
    flagged = dt.directive_table(pairs, cite=fake_cite, article=ART)
    assert ["article only" in str(c) for c in flagged["Directive"]] == [False, False, True, False, True]
    assert "&lt;li&gt;" not in html  # HTML cells are not escaped twice


def test_directive_table_gives_an_action_in_full_once(pairs):
    """A03 answers D03 and D04: in full (summary and citation) under D03, the earlier; by name under D04."""
    table = dt.directive_table(pairs, cite=fake_cite).set_index(pd.Index(["D01", "D03", "D04", "D05", "D02"]))
    d03, d04 = str(table.loc["D03", "What was done"]), str(table.loc["D04", "What was done"])
    assert "A03" in d03 and "As given under" not in d03 and ":" in d03.split("A03", 1)[1]
    assert "A03" in d04 and "As given under D03." in d04
    # the action given by name keeps its date and what it was, but not its citation again
    a03 = d04.split("<li>")[1 if d04.index("A03") < d04.index("A06") else 2]
    assert "ninth_army" not in a03 and "9th Army, capture" in a03 and "cite" not in a03
    # no hover duplicates the summary: the whole of it is in chapter 01's table of actions
    assert "title=" not in d03 + d04


def test_date_label_keeps_precision():
    day = pd.Timestamp("1936-11-03")
    assert charts.date_label(day, "day") == "1936-11-03"
    assert charts.date_label(day, "approx") == "c. 1936-11-03"
    assert charts.date_label(pd.Timestamp("1936-12-01"), "month") == "1936-12"


# --------------------------------------------------------------------------
# Positions
# --------------------------------------------------------------------------


def test_position_series_drops_placeless_and_non_positions_and_orders_by_date(record):
    pos = wd.position_series(record["actions"], record["places"])
    # A05 has no place, A04 is a proposal, A07 is the relief army
    assert list(pos["action_id"]) == ["A01", "A02", "A03", "A06"]
    assert pos["date"].is_monotonic_increasing
    assert pos["lon"].tolist() == [104.68, 104.05, 102.89, 99.82]
    assert names.place_label(pos.iloc[2]) == "Gulang 古浪"


def test_position_series_refuses_unknown_place(record):
    actions = pd.concat([record["actions"], frame([action("A09", "1936-12-01", place="atlantis")])])
    with pytest.raises(KeyError, match="atlantis"):
        wd.position_series(actions, record["places"])


def test_position_at_takes_last_position_on_or_before(record):
    pos = wd.position_series(record["actions"], record["places"])
    got = wd.position_at(pos, ["1936-10-01", "1936-10-25", "1936-11-14", "1936-11-15", "1937-03-01"])
    assert got.tolist() == [104.68, 104.68, 104.05, 102.89, 99.82]


# --------------------------------------------------------------------------
# Timeline layout and figures
# --------------------------------------------------------------------------


def test_directive_arrows_point_by_direction_from_army_position(record):
    pos = wd.position_series(record["actions"], record["places"])
    arrows = dc.directive_arrows(record["directives"], pos, length=1.0).set_index("directive_id")
    assert arrows.loc["D02", "dx"] == 1.0  # east: longitude rises
    assert arrows.loc["D03", "dx"] == -1.0  # west: longitude falls
    assert arrows.loc["D01", "dx"] == 0.0 and arrows.loc["D05", "dx"] == 0.0
    assert arrows.loc["D03", "lon"] == 104.05  # Nov 5: last at Yitiaoshan
    assert arrows.loc["D02", "lon"] == 102.89  # Dec 24: last at Gulang


def _smallest_text(fig) -> float:
    """The smallest explicit font size in any of the chart's four drawings."""
    return min(size for spec in figures.variants(fig).values() for _, size in figures.font_sizes(spec))


def _with_yongchang(record, lon=101.97, later=()):
    """The record with Yongchang taken on 18 November 1936 (and ``later`` actions)."""
    places = pd.concat(
        [
            record["places"],
            pd.DataFrame(
                {
                    "place_id": ["yongchang"],
                    "name_zh": ["永昌"],
                    "name_pinyin": ["Yǒngchāng"],
                    "name_en": ["Yongchang"],
                    "lon": [lon],
                    "lat": [38.24],
                }
            ),
        ],
        ignore_index=True,
    )
    taken = action("A08", "1936-11-18", actor="wra", kind="capture", place="yongchang")
    actions = pd.concat([record["actions"], frame([taken, *later])], ignore_index=True)
    return {**record, "places": places, "actions": actions}


def test_moved_finding_says_where_the_army_went_after_yongchang_and_where_the_orders_pointed(record):
    rec = _with_yongchang(record)
    # after 18 November: D02 (centre, east); D05 of the same day is not later, D04 is the army's own
    assert orders.moved_finding(rec["directives"], rec["actions"], rec["places"]) == (
        "After Yongchang 永昌 fell the army went on west: the centre's later orders said 1 east"
    )
    # the last position east of Yongchang: no further west
    back = _with_yongchang(record, lon=99.0)
    assert "the army went no further west:" in orders.moved_finding(back["directives"], back["actions"], back["places"])
    # a span that ends before Gaotai: Yongchang itself is the last position
    span = (pd.Timestamp("1936-08-01"), pd.Timestamp("1936-12-01"))
    assert "went no further west" in orders.moved_finding(rec["directives"], rec["actions"], rec["places"], span)
    # no capture of Yongchang in the record: from the first position, against all the centre's orders
    assert orders.moved_finding(record["directives"], record["actions"], record["places"]) == (
        "From Jingyuan 靖远 the army went west: the centre's orders said 1 north, 1 east, 1 hold"
    )


def test_ordered_vs_moved_is_one_interactive_figure_with_its_finding_as_title(record):
    wra.setup()
    cite = functools.partial(sources.cite, bib=FIXTURE_BIB)
    fig = dc.ordered_vs_moved(record["directives"], record["actions"], record["places"], cite=cite)
    assert figures.is_interactive(fig)
    finding = orders.moved_finding(record["directives"], record["actions"], record["places"], dc.SPAN)
    assert fig.layout.title.text == finding and finding.startswith("From Jingyuan 靖远 the army went west:")
    positions = [t for t in fig.data if t.meta["role"] == "positions"]
    # Gaotai lies far west of the rest: two panels, each drawing every position (clipped to its range)
    assert len(positions) == 2 and {t.xaxis for t in positions} == {"x", "x2"}
    assert list(positions[0].x) == [104.68, 104.05, 102.89, 99.82]
    assert any("Gulang 古浪" in h for h in positions[0].hovertext)
    # each directive is drawn once, in the panel that holds the army's longitude on its date
    drawn = {t.meta["id"]: t for t in fig.data if t.meta["role"] == "directive"}
    assert sorted(drawn) == [f"D0{i}" for i in range(1, 6)]
    assert drawn["D02"].xaxis == "x2" and drawn["D02"].x[0] == 102.89
    assert "西路军以东进为有利" in drawn["D02"].hovertext[0]
    # one arrow per west or east directive, pointing the right way; hold is a bar, north a marker only
    arrows = {a.ax: a.x for a in fig.layout.annotations}
    assert len(fig.layout.annotations) == 3  # D02 east, D03 and D04 west
    assert arrows[102.89] > 102.89  # D02 east from Gulang
    assert len([s for s in fig.layout.shapes if s.xref != "paper"]) == 1  # D05 hold
    assert len([s for s in fig.layout.shapes if s.xref == "paper"]) == 2  # the break, on both edges
    # time runs down the page
    lo, hi = fig.layout.yaxis.range
    assert lo > hi


def test_ordered_vs_moved_names_only_the_places_the_text_names_on_a_phone(record):
    wra.setup()
    rec = _with_yongchang(record)
    fig = dc.ordered_vs_moved(rec["directives"], rec["actions"], rec["places"], cite=lambda row: "")

    def top_axes(spec):
        layout = spec["layout"]
        axes = [layout[k] for k in sorted(layout) if k.startswith("xaxis") and layout[k].get("side") == "top"]
        return [(name, axis.get("tickangle")) for axis in axes for name in axis.get("ticktext", [])]

    wide = top_axes(figures.variant(fig, style.WIDE))
    phone = top_axes(figures.variant(fig, style.PHONE))
    # wide: every place visited, slanted; phone: the first and last, Yongchang and Gaotai, level in two lines
    assert [name for name, _ in wide] == [
        "Gaotai 高台",
        "Yongchang 永昌",
        "Gulang 古浪",
        "Yitiaoshan 一条山",
        "Jingyuan 靖远",
    ]
    assert {angle for _, angle in wide} == {-45}
    assert [name for name, _ in phone] == ["Gaotai<br>高台", "Yongchang<br>永昌", "Jingyuan<br>靖远"]
    assert {angle for _, angle in phone} == {0}
    # the phone's legend is one list without group titles, its entries naming their group
    legend = [t for t in figures.variant(fig, style.PHONE)["data"] if t.get("meta", {}).get("role") == "legend"]
    assert [t["name"] for t in legend] == [
        "ordered north",
        "ordered east",
        "ordered west",
        "ordered hold",
        "by Party centre",
        "by Zhang Guotao",
        "by army leaders",
    ]
    assert not any(t.get("legendgrouptitle", {}).get("text") for t in legend)
    assert _smallest_text(fig) >= style.MIN_FONT


def test_time_warp_stretches_windows_and_inverts():
    warp = dc.TimeWarp((("1936-11-01", "1936-11-11", 3.0),))
    days = dc.to_days(["1936-10-01", "1936-11-01", "1936-11-11", "1936-12-01"])
    w = warp.forward(days)
    assert w[1] - w[0] == pytest.approx(31)  # linear before the window
    assert w[2] - w[1] == pytest.approx(30)  # ten days drawn three times as wide
    assert w[3] - w[2] == pytest.approx(20)
    assert warp.inverse(w) == pytest.approx(days)
    assert dc.TimeWarp().forward(days) == pytest.approx(days)  # no window: linear
    with pytest.raises(ValueError, match="overlap"):
        dc.TimeWarp((("1936-11-01", "1936-11-11", 2.0), ("1936-11-05", "1936-11-20", 2.0))).forward(days)


def test_dodge_pushes_apart_only_overlapping_spans():
    spans = [(103.5, 104.5), (103.9, 104.2), (100.5, 101.5), (103.0, 104.0), (104.6, 105.0)]
    y = dc.dodge([10.0, 10.0, 10.0, 10.5, 10.0], spans, min_sep=2.0)
    assert y[0] == 10.0
    assert y[1] == 12.0  # overlaps the first: pushed down
    assert y[2] == 10.0  # far away in x: stays
    assert y[3] == 14.0  # an arrow reaching into both: pushed past them
    assert y[4] == 10.0  # just clear of the first span


def test_lon_segments_break_where_no_datum_falls():
    got = dc.lon_segments([104.7, 95.0, 95.8, 99.8, 101.5, 103.0], gap=2.0, pad=0.5)
    assert got == [(94.5, 96.3), (99.3, 105.2)]
    assert dc.lon_segments([100.0, 101.0], gap=2.0, pad=0.5) == [(99.5, 101.5)]


def test_short_place_label_keeps_historical_name():
    row = {"name_en": "Liangzhou (Wuwei)", "name_zh": "凉州（武威）"}
    assert names.short_place_label(row) == "Liangzhou 凉州"


def test_first_clause_cuts_at_sentence_or_limit():
    assert dt.first_clause("Crossed the river. Then rested.") == "Crossed the river"
    assert dt.first_clause("Took Gulang; lost half.") == "Took Gulang"
    assert dt.first_clause("Near Ganzhou 甘州, e.g. the town") == "Near Ganzhou 甘州, e.g"
    long = "word " * 40
    cut = dt.first_clause(long, limit=30)
    assert cut.endswith("…") and len(cut) <= 31


def test_ordered_vs_moved_layout_breaks_axis_and_dodges(record):
    directives = pd.concat(
        [
            record["directives"],
            frame(
                [
                    directive("D06", "1936-11-18", "mao_zhou", "west"),  # same day and place as D05
                ]
            ),
        ],
        ignore_index=True,
    )
    positions = wd.position_series(record["actions"], record["places"])
    lay = dc.ordered_vs_moved_layout(directives, positions, arrow_length=0.5)
    arrows = lay["arrows"].set_index("directive_id")
    assert arrows.loc["D06", "y"] > arrows.loc["D05", "y"]
    assert arrows.loc["D05", "y_date"] == pd.Timestamp("1936-11-18")
    # Gaotai (99.82) lies more than BREAK_DEGREES west of Gulang (102.89) and of the arrows' tips
    assert len(lay["segments"]) == 2
    assert lay["segments"][0][0] < 99.82 < lay["segments"][0][1] < 102.0
    # the guide line has two points per sourced position
    assert len(lay["guide"]) == 2 * len(lay["positions"])


def test_every_verdict_has_a_meaning():
    assert list(wd.VERDICT_MEANING) == list(wra.record.schema.VERDICT)
    glossary = wd.verdict_glossary()
    assert list(glossary["Verdict"]) == list(wra.record.schema.VERDICT.values())
    assert glossary["Meaning"].str.len().min() > 20


# --------------------------------------------------------------------------
# The codebook's verdicts in the counts (issue 12)
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "verdicts, expected",
    [
        (["superseded", "complied"], "complied"),  # a superseded pairing does not make an order "partly"
        (["superseded", "deviated"], "deviated"),
        (["no_evidence", "superseded"], "superseded"),
        (["self_issued", "self_issued"], "self_issued"),
        (["not_an_order", "superseded"], "not_an_order"),
        (["overtaken", "partly", "superseded"], "partly"),
    ],
)
def test_overall_verdict_leaves_apart_the_verdicts_that_do_not_test_an_order(verdicts, expected):
    assert wd.overall_verdict(verdicts) == expected


def test_every_verdict_either_tests_an_order_or_is_counted_apart():
    assert set(wd.TESTED) | set(wd.APART) == set(wra.record.schema.VERDICT)
    assert not set(wd.TESTED) & set(wd.APART)
    assert set(wd.FOLLOWED) <= set(wd.TESTED)
    glossary = wd.rule_glossary()
    assert len(glossary) == len(wra.record.schema.RULE)
    assert set(glossary["Counted"]) == {"tests the order", "counted apart"}


def test_westward_turn_reads_who_pointed_west_first(record, pairs):
    directives = pd.concat(
        [
            record["directives"],
            frame(
                [
                    directive("D06", "1936-09-21", "zhang_guotao", "west"),
                    directive("D07", "1936-11-20", "military_commission", "west"),
                ]
            ),
        ],
        ignore_index=True,
    )
    actions = pd.concat(
        [
            record["actions"],
            frame(
                [
                    action("A08", "1936-11-01", actor="wra_committee", kind="proposal", direction="west"),
                    action("A09", "1936-11-19", actor="wra_committee", kind="proposal", direction="west"),
                ]
            ),
        ],
        ignore_index=True,
    )
    assessments = pd.concat(
        [
            record["assessments"],
            frame([assess("D07", "A06", "complied"), assess("D06", None, "not_carried_out")], dates=()),
        ]
    )
    v = wd.directive_verdicts(wd.pairings(directives, assessments, actions), article=ART)
    turn = wd.westward_turn(v, directives, actions, ART)
    assert turn["zhang_first"]["id"] == "D06"  # Zhang's September order, not the November one
    assert turn["central_first"]["id"] == "D07"
    assert turn["request"]["id"] == "A09"  # the army's last westward request before it
    assert turn["zhang_next"] is None and turn["days_to_zhang_next"] is None
    after = wd.directions_after(v, "1936-11-01")
    assert after["west"] == 1 and after["east"] == 1 and sum(after.values()) == 3


def test_verdict_cell_names_each_pairing_rule(pairs):
    row = pairs[pairs["directive_id"] == "D04"].assign(rule=["did_as_ordered", "went_another_way"], superseded_by=None)
    cell = str(dt.verdict_cell(row, "partly"))
    assert "A03, did as ordered" in cell and "A06, went another way" in cell
    sup = row.assign(rule="superseded", superseded_by="D09")
    assert "superseded by D09" in str(dt.verdict_cell(sup, "superseded"))


def _spread_table(west_followed: int = 2) -> pd.DataFrame:
    """Two readings as wra.analysis.sensitivity.table gives them (the columns the chart reads)."""
    table = pd.DataFrame(
        {
            "id": ["codebook", "reading_P01"],
            "label": ["the codebook", "as read by X (2009)"],
            "central_tested": [4, 5],
            "central_followed": [3, 2],
            "west_tested": [2, 2],
            "west_followed": [2, west_followed],
            "east_tested": [1, 0],
            "east_followed": [0, 0],
        }
    )
    for prefix in ("", "west_", "east_"):
        name = prefix or "central_"
        table[f"{prefix}share"] = [
            f / t if t else None for f, t in zip(table[f"{name}followed"], table[f"{name}tested"])
        ]
    return table


def test_spread_finding_says_the_range_and_how_each_direction_fared():
    assert se.spread_finding(_spread_table()) == (
        "Across 2 readings the army followed 40% to 75% of the centre's orders: "
        "always all the westward ones, never an eastward one"
    )
    assert se.spread_finding(_spread_table(west_followed=1)).endswith(
        ": 50% to 100% of the westward ones, never an eastward one"
    )
    one = _spread_table().iloc[:1].assign(west_tested=0, west_share=None)
    assert (
        se.spread_finding(one)
        == "Under the one reading the army followed 75% of the centre's orders: never an eastward one"
    )


def test_spread_chart_draws_one_marker_per_tested_headline():
    wra.setup()
    table = _spread_table()
    fig = dc.spread(table)
    assert not figures.is_interactive(fig)
    assert fig.layout.title.text == se.spread_finding(table)
    marks = {t.meta["headline"]: t for t in fig.data}
    assert {h: t.meta["readings"] for h, t in marks.items()} == {
        "all": ["codebook", "reading_P01"],
        "west_": ["codebook", "reading_P01"],
        "east_": ["codebook"],  # nothing to test under the second reading: left out
    }
    assert list(marks["all"].text) == ["3 of 4", "2 of 5"] and list(marks["all"].x) == [0.75, 0.4]
    # each reading's name stands above its markers, the readings one under the other
    names = {a.name: a.y for a in fig.layout.annotations}
    assert names["reading:codebook"] < marks["all"].y[0] < names["reading:reading_P01"] < marks["all"].y[1]


def test_spread_chart_wraps_the_readings_names_on_a_phone():
    wra.setup()
    long = "as read by " + ", ".join(f"Historian {n} (19{n}0)" for n in range(1, 7))
    table = _spread_table().assign(label=["the codebook", long])
    fig = dc.spread(table)
    wide, phone = (figures.variant(fig, w) for w in (style.WIDE, style.PHONE))

    def lines(spec):
        return {a["name"]: a["text"].count("<br>") + 1 for a in spec["layout"]["annotations"]}

    assert lines(wide)["reading:reading_P01"] < lines(phone)["reading:reading_P01"]
    # the markers move down with the wrapped name: they stay under it
    last = {a["name"]: a["y"] for a in phone["layout"]["annotations"]}["reading:reading_P01"]
    phone_all = next(t for t in phone["data"] if t["meta"]["headline"] == "all")
    assert phone_all["y"][1] > last + lines(phone)["reading:reading_P01"] * dc.SPREAD_LINE
    assert phone["layout"]["height"] > wide["layout"]["height"]
    assert _smallest_text(fig) >= style.MIN_FONT


def _verdicts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "issuer_group": ["central", "central", "central", "central", "zhang_guotao", "army"],
            "direction": ["west", "east", "east", "north", "west", "west"],
            "verdict": ["complied", "deviated", "superseded", "no_evidence", "not_carried_out", "self_issued"],
        }
    )


def test_verdict_panels_are_an_image_with_one_bar_per_verdict_received():
    wra.setup()
    panels = wd.verdict_panels(_verdicts())
    fig = dc.verdict_panels(panels, wd.verdict_finding(panels))
    assert not figures.is_interactive(fig)
    assert fig.layout.title.text == wd.verdict_finding(panels)
    got = {(t.meta["row"], t.meta["panel"], v): n for t in fig.data for v, n in zip(t.meta["verdicts"], t.x)}
    assert got == {(r.row, r.panel, r.verdict): r.n for r in panels.itertuples() if r.n}
    # wide: the panels of a row side by side; the row's verdicts named once, on its first panel
    spec = figures.variant(fig, style.WIDE)["layout"]
    direction = [fig.data.index(t) for t in fig.data if t.meta["row"] == "direction"]
    keys = ["xaxis" if i == 0 else f"xaxis{i + 1}" for i in direction]
    assert len({tuple(spec[k]["domain"]) for k in keys}) == len(direction) == 3
    shown = [spec["yaxis" if i == 0 else f"yaxis{i + 1}"].get("showticklabels") for i in direction]
    assert shown == [True, False, False]


def test_verdict_panels_stand_in_one_column_on_a_phone():
    wra.setup()
    panels = wd.verdict_panels(_verdicts())
    fig = dc.verdict_panels(panels, "title")
    spec = figures.variant(fig, style.PHONE)
    layout = spec["layout"]
    n = len(spec["data"])
    xs = {tuple(layout["xaxis" if i == 0 else f"xaxis{i + 1}"]["domain"]) for i in range(n)}
    ys = [layout["yaxis" if i == 0 else f"yaxis{i + 1}"]["domain"] for i in range(n)]
    assert len(xs) == 1  # one column
    assert all(below[1] < above[0] for above, below in itertools.pairwise(ys))  # stacked, none overlapping
    # each panel names its own verdicts, and only those it received
    for i, trace in enumerate(spec["data"]):
        axis = layout["yaxis" if i == 0 else f"yaxis{i + 1}"]
        assert axis["showticklabels"] is True
        assert len(axis["ticktext"]) == len(trace["x"]) == len(trace["y"])
    assert layout["height"] > figures.variant(fig, style.WIDE)["layout"]["height"]
    assert _smallest_text(fig) >= style.MIN_FONT


def test_panel_grid_gives_long_labels_two_lines_and_lists_only_what_a_panel_received():
    panels = wd.verdict_panels(_verdicts())
    wide = dc.panel_grid(panels, dc.WIDE_GRID)["panels"]
    phone = dc.panel_grid(panels, dc.PHONE_GRID)["panels"]
    assert list(wide[("direction", "east")]["y"]) == ["complied", "deviated", "superseded", "no_evidence"]
    assert list(phone[("direction", "east")]["y"]) == ["deviated", "superseded"]
    assert phone[("direction", "east")]["labels"]["superseded"] == ["superseded by a", "later order"]
    assert phone[("direction", "east")]["y"] == {"deviated": 0.5, "superseded": 1.75}
    assert phone[("direction", "east")]["slots"] == 2.5
    tops = [p["top"] for p in phone.values()]
    assert tops == sorted(tops)


def test_the_chapter_states_its_numbers_from_the_record():
    """orders.chapter on the book's own data: every key prefixed, each number traceable to the frames."""
    from wra.analysis import orders
    from wra.analysis import sensitivity as se
    from wra.record import data

    tables = {name: data.load(name) for name in orders.TABLES}
    span = (pd.Timestamp("1936-08-01"), pd.Timestamp("1937-05-01"))
    chapter = orders.chapter(tables, span=span)
    n = chapter.numbers
    assert all(key.startswith("dv_") for key in n)
    assert n["dv_n_directives"] == len(tables["directives"]) == len(chapter.verdicts)
    assert n["dv_n_assessments"] == len(tables["assessments"])
    codebook = chapter.spread.set_index("id").loc["codebook"]
    assert n["dv_head_central"] == se.fraction_text(int(codebook["central_followed"]), int(codebook["central_tested"]))
    positions = wd.position_series(tables["actions"], tables["places"])
    shown = positions[(positions["date"] >= span[0]) & (positions["date"] < span[1])]
    assert n["dv_n_positions"] == len(shown)
    assert n["dv_first_place"] == names.short_place_label(shown.iloc[0])
    east = chapter.verdicts[(chapter.verdicts["issuer_group"] == "central") & (chapter.verdicts["direction"] == "east")]
    assert n["dv_n_east_all"] == len(east)
    assert set(n["dv_east_wra_ids"].split(", ")) == set(east.loc[east["recipient"] == "wra", "directive_id"])
    # the range runs across the readings (codebook and positions); the filters stand apart
    assert n["dv_n_readings"] == int((chapter.spread["kind"] != "filter").sum())
    assert n["dv_n_readings"] + n["dv_n_filters"] == len(chapter.spread)
    assert n["dv_n_position_readings"] == int((chapter.spread["kind"] == "position").sum())
    # the deviations left without the article-only pairings count the same base as the headline: orders to the army
    for did in re.findall(r"D[0-9]+", n["dv_noart_deviations"]):
        assert tables["directives"].set_index("id").at[did, "recipient"] in wd.ARMY_RECIPIENTS, did
    # the figure's title and the headline count different bases, and the difference is named
    assert n["dv_n_fig_not_army"] == len(n["dv_fig_not_army"].split("; "))
    # every army decision is tested against an order of the centre or of Zhang Guotao
    assert n["dv_army_decisions_tested"].count("(") == n["dv_n_army"]


def test_the_range_of_the_headline_names_the_positions_at_its_ends():
    """The prose says the article's reading sets the floor and Xu's and Li's the top; the data must agree."""
    from wra.analysis import orders
    from wra.analysis import sensitivity as se
    from wra.record import data

    tables = {name: data.load(name) for name in orders.TABLES}
    chapter = orders.chapter(tables, span=(pd.Timestamp("1936-08-01"), pd.Timestamp("1937-05-01")))
    sp = se.spread(chapter.spread)
    assert sp["low_label"] == "as the article reads the record"
    assert "Xu Xiangqian's memoir" in sp["high_label"] and "Li Xiannian's statement" in sp["high_label"]
    # neither end is a filter, and the filters are named as such
    filters = chapter.spread[chapter.spread["kind"] == "filter"]
    assert not any(label in (sp["low_label"], sp["high_label"]) for label in filters["label"])
    assert filters.set_index("id").loc["no_article_only", "label"].startswith("the source filter")
