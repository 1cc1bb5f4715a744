"""The chapter on the destruction (wra.analysis.destruction): small hand-made records, then the project's own.

Each function is tested on frames built here, with the boundary cases its
docstring names (a distance equal to the radius, a figure exactly on the
window's edge, an order on the start date), and then on the record.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from wra.analysis import destruction as de
from wra.analysis import route
from wra.record import data, paths, sources

MEMO = paths.ROOT / "research" / "destruction-sources.md"
T = pd.Timestamp


def strength_rows(*rows: dict) -> pd.DataFrame:
    base = {
        "id": None,
        "date": T("1936-11-16"),
        "side": "red",
        "unit": "wra",
        "measure": "strength",
        "low": math.nan,
        "high": math.nan,
        "qualifier": "about",
        "base_id": None,
        "source": "src",
        "via": None,
        "confidence": "M",
        "copy_of": None,
        "engagement_id": None,
        "phase": None,
    }
    return pd.DataFrame([{**base, **r} for r in rows])


def engagements_rows(*rows: dict) -> pd.DataFrame:
    base = {"id": "E01", "name_en": "Gulang", "name_zh": "古浪战斗", "date": T("1936-11-16")}
    return pd.DataFrame([{**base, **r} for r in rows])


# --------------------------------------------------------------------------
# Figures in men, and the force ratio
# --------------------------------------------------------------------------


def test_men_reads_bounds_and_shares_of_a_base():
    rows = strength_rows(
        {"id": "S1", "low": 6000.0, "high": math.nan, "qualifier": "more_than"},
        {"id": "S2", "low": math.nan, "high": 0.5, "qualifier": "fraction", "base_id": "S3", "measure": "loss"},
        {"id": "S3", "low": 6000.0, "high": 6000.0, "qualifier": "about"},
        {"id": "S4", "low": 0.5, "high": 0.5, "qualifier": "fraction", "base_id": "S1", "measure": "loss"},
        {"id": "S5", "low": 0.5, "high": 0.5, "qualifier": "fraction", "measure": "loss"},
    )
    by_id = de._by_id(rows)
    assert de.men(by_id["S1"], by_id) == (6000.0, None)
    assert de.men(by_id["S2"], by_id) == (None, 3000.0)  # nearly half of about 6,000: at most 3,000
    assert de.men(by_id["S4"], by_id) == (3000.0, None)  # half of more than 6,000: at least 3,000
    assert de.men(by_id["S5"], by_id) == (None, None)  # a share with no base says nothing in men


@pytest.mark.parametrize(
    "ma, red, expected",
    [
        ((20000.0, 20000.0), (6000.0, 6000.0), (20000 / 6000, 20000 / 6000)),
        ((None, 20000.0), (6000.0, None), (None, 20000 / 6000)),  # 近两万 against 6,000余: at most 3.3
        ((10000.0, None), (None, 3000.0), (10000 / 3000, None)),  # 1万余 against 不到3000: at least 3.3
        ((10000.0, None), (8000.0, 9000.0), (10000 / 9000, None)),
        ((6000.0, 6000.0), (0.0, 3000.0), (2.0, None)),  # a zero lower bound leaves the top open
        ((None, None), (3000.0, 3000.0), (None, None)),
    ],
)
def test_ratio_interval_takes_each_end_from_the_opposite_bounds(ma, red, expected):
    low, high = de.ratio_interval(ma, red)
    assert (low is None) == (expected[0] is None) and (high is None) == (expected[1] is None)
    if low is not None:
        assert low == pytest.approx(expected[0])
    if high is not None:
        assert high == pytest.approx(expected[1])


def test_force_ratio_pairs_every_red_figure_with_every_ma_figure_of_the_engagement():
    strength = strength_rows(
        {"id": "R1", "low": 6000.0, "high": math.nan, "qualifier": "more_than", "engagement_id": "E01",
         "phase": "before"},
        {"id": "R2", "low": 6000.0, "high": 6000.0, "engagement_id": "E01", "phase": "during"},
        {"id": "R3", "low": 3000.0, "high": 3000.0, "engagement_id": "E01", "phase": "after"},  # left out: after
        {"id": "M1", "side": "ma", "unit": "ma_forces", "low": math.nan, "high": 20000.0, "qualifier": "fewer_than",
         "engagement_id": "E01", "phase": "before"},
        {"id": "M2", "side": "ma", "unit": "ma_forces", "low": 20000.0, "high": 20000.0, "engagement_id": "E01",
         "phase": "before"},
        {"id": "M3", "side": "ma", "unit": "ma_forces", "measure": "loss", "low": 2000.0, "high": math.nan,
         "qualifier": "more_than", "engagement_id": "E01"},  # a loss is not a force engaged
        {"id": "R4", "low": 800.0, "high": math.nan, "qualifier": "more_than", "engagement_id": "E02",
         "phase": "before"},  # E02 has no Ma figure: no pair
        {"id": "M4", "side": "ma", "unit": "ma_forces", "low": 70000.0, "high": math.nan, "qualifier": "more_than"},
    )  # fmt: skip
    engagements = engagements_rows({"id": "E01"}, {"id": "E02", "name_en": "Hongliuyuan", "date": T("1937-04-26")})
    pairs = de.force_ratio(strength, engagements)
    assert list(zip(pairs["red_id"], pairs["ma_id"])) == [("R1", "M1"), ("R1", "M2"), ("R2", "M1"), ("R2", "M2")]
    by = pairs.set_index(["red_id", "ma_id"])
    assert math.isnan(by.loc[("R1", "M2"), "ratio_low"]) and by.loc[("R1", "M2"), "ratio_high"] == pytest.approx(10 / 3)
    assert by.loc[("R2", "M2"), "ratio_low"] == pytest.approx(10 / 3)
    env = de.ratio_envelope(pairs).iloc[0]
    assert env["n_pairs"] == 4 and env["n_closed"] == 1
    assert env["low_open"] and not env["high_open"]
    assert math.isnan(env["ratio_low"]) and env["ratio_high"] == pytest.approx(10 / 3)
    assert list(de.known_lower_bounds(pairs)) == [pytest.approx(10 / 3)]


def test_losses_are_in_men_and_mark_ma_side_accounts():
    strength = strength_rows(
        {"id": "S1", "low": 6000.0, "high": 6000.0, "engagement_id": "E01", "phase": "before"},
        {"id": "S2", "measure": "loss", "low": math.nan, "high": 0.5, "qualifier": "fraction", "base_id": "S1",
         "engagement_id": "E01"},
        {"id": "S3", "side": "ma", "unit": "ma_forces", "measure": "killed", "low": 480.0, "high": math.nan,
         "qualifier": "more_than", "engagement_id": "E01", "source": "chen"},
        {"id": "S4", "measure": "loss", "low": 100.0, "high": math.nan, "qualifier": "more_than"},  # not linked
    )  # fmt: skip
    lost = de.losses(strength, engagements_rows({"id": "E01"}), ma_side={"chen"})
    assert list(lost["id"]) == ["S3", "S2"]  # ma before red, as sorted by side
    s2 = lost.set_index("id").loc["S2"]
    assert math.isnan(s2["low"]) and s2["high"] == 3000.0 and not s2["ma_side_account"]
    assert lost.set_index("id").loc["S3", "ma_side_account"]
    summary = de.loss_summary(lost).set_index("side")
    assert summary.loc["red", "n_figures"] == 1 and summary.loc["red", "largest"] == 3000.0
    assert summary.loc["ma", "smallest"] == 480.0


def test_coverage_counts_each_sides_figures():
    strength = strength_rows(
        {"id": "S1", "low": 1.0, "high": 1.0, "engagement_id": "E01", "phase": "before"},
        {"id": "S2", "side": "ma", "unit": "ma_forces", "low": 1.0, "high": 1.0, "engagement_id": "E01",
         "phase": "before"},
        {"id": "S3", "low": 1.0, "high": 1.0, "engagement_id": "E02", "phase": "before"},
    )  # fmt: skip
    cov = de.coverage(strength, engagements_rows({"id": "E01"}, {"id": "E02"}, {"id": "E03"})).set_index(
        "engagement_id"
    )
    assert list(cov["both_sides"]) == [True, False, False]
    assert (cov.loc["E02", "n_red"], cov.loc["E02", "n_ma"], cov.loc["E03", "n_red"]) == (1, 0, 0)


# --------------------------------------------------------------------------
# The centre's orders
# --------------------------------------------------------------------------


def directive_rows(*rows: tuple) -> pd.DataFrame:
    """(id, date, direction[, issuer, kind, recipient])"""
    out = []
    for r in rows:
        rid, date, direction, *rest = r
        issuer, kind, recipient = (rest + ["military_commission", "order", "wra"][len(rest) :])[:3]
        out.append(
            {
                "id": rid,
                "date": T(date),
                "direction": direction,
                "issuer": issuer,
                "kind": kind,
                "recipient": recipient,
                "source": "s",
                "via": None,
            }
        )
    return pd.DataFrame(out)


def test_central_orders_keep_the_centres_orders_to_the_army_from_the_start_date():
    d = directive_rows(
        ("D01", "1936-10-23", "north"),  # the day before: out
        ("D02", "1936-10-24", "north"),  # on the start date: in
        ("D03", "1936-10-25", "none"),  # no direction: out
        ("D04", "1936-10-26", "west", "zhang_guotao"),  # not the centre: out
        ("D05", "1936-10-27", "east", "politburo", "conclusion"),  # not an order: out
        ("D06", "1936-10-28", "west", "mao_zhou", "order", "peng_dehuai"),  # not to the army: out
        ("D07", "1936-10-28", "hold", "central_committee", "order", "red_army"),  # in
        ("D08", "1936-10-29", "west", "chen_changhao", "decision"),  # the army's own: out
    )
    orders = de.central_orders(d, since="1936-10-24")
    assert list(orders["id"]) == ["D02", "D07"]
    assert list(de.central_orders(d, since="1936-10-24", until="1936-10-27")["id"]) == ["D02"]
    assert list(de.army_decisions(d)["id"]) == ["D08"]


def test_direction_changes_and_reversals():
    d = directive_rows(
        ("D1", "1936-11-01", "west"),
        ("D2", "1936-11-02", "hold"),
        ("D3", "1936-11-03", "west"),
        ("D4", "1936-11-04", "west"),
        ("D5", "1936-11-05", "east"),
        ("D6", "1936-11-06", "hold"),
        ("D7", "1936-11-07", "north"),
        ("D8", "1936-11-08", "west"),
    )
    ch = de.direction_changes(de.central_orders(d))
    assert ch.n_orders == 8
    # west>hold, hold>west, west>east, east>hold, hold>north, north>west
    assert ch.n_changes == 6
    # in the east/west sequence (W W W E W) only W>E and E>W are swings: holds and norths between are skipped
    assert [(a, b) for a, b, *_ in ch.reversals] == [("D4", "D5"), ("D5", "D8")]
    assert de.direction_changes(de.central_orders(d.iloc[:1])).n_changes == 0
    same_day = directive_rows(("D1", "1936-11-01", "east"), ("D2", "1936-11-01", "west"))
    assert de.direction_changes(de.central_orders(same_day)).n_reversals == 1  # file order within a day


def test_reply_lags_bound_the_delay_by_the_first_answer_in_words():
    d = directive_rows(("D1", "1936-12-18", "west"), ("D2", "1936-12-24", "east"), ("D3", "1936-12-25", "hold"))
    actions = pd.DataFrame(
        {
            "id": ["A1", "A2", "A3", "A4"],
            "date": [T("1936-12-22"), T("1936-12-20"), T("1936-12-24"), T("1936-12-26")],
            "kind": ["reply", "proposal", "reply", "move"],
        }
    )
    assessments = pd.DataFrame(
        {"directive_id": ["D1", "D1", "D2", "D2", "D3"], "action_id": ["A1", "A2", "A2", "A3", "A4"]}
    )
    lags = de.reply_lags(de.central_orders(d), actions, assessments).set_index("directive_id")
    assert lags.loc["D1", "reply_id"] == "A2" and lags.loc["D1", "days_at_most"] == 2
    # an answer dated before the order cannot answer it; a same-day reply is a lag of 0 days
    assert lags.loc["D2", "reply_id"] == "A3" and lags.loc["D2", "days_at_most"] == 0
    assert "D3" not in lags.index  # a move is a deed, not an answer in words


# --------------------------------------------------------------------------
# Halts
# --------------------------------------------------------------------------

KM_PER_DEGREE = route.haversine_km(38.0, 100.0, 39.0, 100.0)


def stops(*rows: tuple) -> pd.DataFrame:
    """(place_id, lat, arrive, leave[, action_ids]) along the meridian 100 E."""
    return pd.DataFrame(
        [
            {
                "branch": "wra",
                "seq": i,
                "place_id": p,
                "lat": lat,
                "lon": 100.0,
                "arrive": T(a),
                "leave": T(b),
                "action_ids": ids[0] if ids else f"A{i}",
            }
            for i, (p, lat, a, b, *ids) in enumerate(rows)
        ]
    )


def test_halts_anchor_on_the_first_place_and_give_days_as_bounds():
    on_edge = 38.18
    radius = route.haversine_km(38.0, 100.0, on_edge, 100.0)  # the second place lies exactly on the radius: within
    beyond = 38.0 + (radius + 1.0) / KM_PER_DEGREE
    frame = stops(
        ("a", 38.0, "1937-01-21", "1937-01-21"),
        ("b", on_edge, "1937-01-22", "1937-01-24"),
        ("a", 38.0, "1937-01-28", "1937-02-22"),
        ("c", beyond, "1937-03-11", "1937-03-12"),  # 1 km beyond the radius: a new stretch
        ("d", 40.0, "1937-04-01", "1937-04-08"),  # exactly 7 days seen: a halt
        ("e", 41.0, "1937-04-20", "1937-04-26"),  # 6 days: not a halt
    )
    h = de.halts(frame, radius_km=radius, min_days=7)
    assert list(h["anchor"]) == ["a", "d"]
    first = h.iloc[0]
    assert first["places"] == "a, b" and first["days_seen"] == 32 and first["days_until_moved"] == 49
    assert first["next_seen"] == T("1937-03-11")
    assert h.iloc[1]["days_seen"] == 7 and h.iloc[1]["days_until_moved"] == 19
    last = de.halts(frame, radius_km=radius, min_days=6).iloc[-1]
    assert last["anchor"] == "e" and math.isnan(last["days_until_moved"])  # the last stretch is never left
    assert de.halt_at(h, "b")["anchor"] == "a" and de.halt_at(h, "z") is None


# --------------------------------------------------------------------------
# Windows, sources, causes
# --------------------------------------------------------------------------


def test_windows_take_the_ma_figures_within_the_window_days():
    windows = pd.DataFrame(
        [{"id": "W1", "date": T("1937-02-21"), "kind": "turn_east", "stance": "chance", "directive_id": "D40"}]
    )
    strength = strength_rows(
        {"id": "S1", "side": "ma", "date": T("1937-02-06"), "low": 73000.0, "high": 73000.0},  # 15 days: in
        {"id": "S2", "side": "ma", "date": T("1937-02-05"), "low": 90000.0, "high": math.nan,
         "qualifier": "more_than"},  # 16 days: out
        {"id": "S3", "side": "ma", "date": T("1937-03-08"), "low": 200.0, "high": math.nan,
         "qualifier": "more_than", "source": "other"},  # 15 days after: in
        {"id": "S4", "side": "red", "date": T("1937-02-21"), "low": 8000.0, "high": 9000.0},  # Red: out
    )  # fmt: skip
    row = de.windows_against_ma(windows, strength, days=15).iloc[0]
    assert row["ma_ids"] == "S1, S3" and row["n_ma"] == 2 and row["n_ma_sources"] == 2
    assert row["ma_largest_low"] == 73000.0 and row["ma_any_open"]


def test_n_sources_counts_a_work_read_through_another_as_that_work_and_a_copy_once():
    rows = pd.DataFrame(
        {
            "source": ["mao_nianpu", "mao_junshi", "blog", "mirror", "blog"],
            "via": ["article", "article", None, None, None],
            "copy_of": [None, None, None, "S3", None],
        }
    )
    assert de.n_sources(rows) == 2  # the article and the blog; the mirror is a copy
    assert de.n_sources(rows.iloc[:0]) == 0
    assert de.n_sources(rows.iloc[[2]], rows.iloc[[4]]) == 1


def test_causes_table_orders_by_position_and_flags_a_single_source():
    positions = pd.DataFrame(
        {"id": ["P01", "P02"], "holder_en": ["Politburo, Yan'an", "Xu Xiangqian"], "year": [1937, 1984]}
    )
    causes = pd.DataFrame(
        [
            {"position_id": "P02", "cause": "changing_tasks", "holds": "cause", "claim_en": "Tasks changed."},
            {"position_id": "P01", "cause": "zhang_line", "holds": "cause", "claim_en": "Zhang's line."},
            {"position_id": "P02", "cause": "zhang_line", "holds": "denies", "claim_en": "Not Zhang."},
        ]
    )
    evidence = {
        "zhang_line": de.Evidence("zhang_line", "one order", 1, 1, "motives"),
        "changing_tasks": de.Evidence("changing_tasks", "ten changes", 18, 8, "how read"),
    }
    table = de.causes_table(causes, positions, evidence)
    assert list(zip(table["position_id"], table["cause"])) == [
        ("P01", "zhang_line"),
        ("P02", "zhang_line"),
        ("P02", "changing_tasks"),
    ]
    assert list(table["single_source"]) == [True, True, False]
    assert table.loc[0, "holder_en"] == "Politburo"


# --------------------------------------------------------------------------
# The project's record
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def record() -> dict[str, pd.DataFrame]:
    tables = {name: data.load(name) for name in de.TABLES}
    tables["assessments"] = data.load("assessments")
    return tables


@pytest.fixture(scope="module")
def numbers(record) -> dict[str, object]:
    return de.chapter_numbers(record, sources.ma_side())


def test_the_main_engagements_are_there_and_the_sides_figures_where_found(record):
    e = record["engagements"].set_index("name_en")
    for name in ("Yitiaoshan", "Gulang", "Yongchang", "Shandan", "Siege of Gaotai", "Nijiayingzi", "Liyuankou"):
        assert name in e.index, name
    assert "Kanglongsi and Shiwo" in e.index and "Baidunzi and Hongliuyuan" in e.index
    cov = de.coverage(record["strength"], record["engagements"]).set_index("name_en")
    for name in ("Yitiaoshan", "Gulang", "Yongchang", "Siege of Gaotai", "Nijiayingzi", "Baidunzi and Hongliuyuan"):
        assert cov.loc[name, "both_sides"], name
    # where a side has no figure, the engagement says so
    for name in cov.index[~cov["both_sides"]]:
        assert "No" in str(e.loc[name, "comment_en"]) or "no " in str(e.loc[name, "comment_en"]), name


def test_ma_side_accounts_give_dated_figures_for_the_ma_forces(record):
    ma_side = sources.ma_side()
    assert {"wanbiaoku_liuchengde", "tmwt_291564_143", "cread_80904_354043"} <= ma_side
    s = record["strength"]
    from_ma = s[(s["side"] == "ma") & s["source"].isin(ma_side)]
    assert len(from_ma) >= 10 and from_ma["date"].notna().all()
    assert from_ma["date"].nunique() >= 5
    assert (from_ma["measure"] == "strength").sum() >= 5


def test_every_new_excerpt_is_verbatim_in_the_research_memo(record):
    assert MEMO.exists(), MEMO
    memo = MEMO.read_text(encoding="utf-8")
    missing = []
    for table in ("conditions", "windows"):
        frame = record[table]
        for rid, text in zip(frame["id"], frame["excerpt_zh"]):
            if isinstance(text, str) and text not in memo:
                missing.append(rid)
    s = record["strength"]
    new = s[s["id"].str[1:].astype(int) >= 123]
    assert len(new) >= 15
    missing += [rid for rid, text in zip(new["id"], new["wording_zh"]) if text not in memo]
    assert missing == []


def test_the_chapter_numbers_on_the_record(numbers):
    assert all(k.startswith("des_") for k in numbers)
    # the ~40 days at Yongchang-Shandan: seen 18 November to 27 December, next seen at Linze on 30 December
    assert (numbers["des_halt_yongchang_seen"], numbers["des_halt_yongchang_moved"]) == (39, 42)
    # the weeks at Nijiayingzi: seen 21 January to 22 February, next seen at Liyuankou on 11 March
    assert (numbers["des_halt_nijiayingzi_seen"], numbers["des_halt_nijiayingzi_moved"]) == (32, 49)
    assert numbers["des_n_reversals"] >= 4 and numbers["des_n_changes"] > numbers["des_n_reversals"]
    assert numbers["des_n_orders"] == sum(numbers[f"des_n_orders_{k}"] for k in de.COMPASS)
    assert numbers["des_ma_largest_engaged"] == "73,000"
    assert numbers["des_n_ma_side_figures"] >= 10
    # a ratio is never reported as one number: where a pair is open above the chapter says so
    assert numbers["des_n_ratio_open_above"] > 0 and numbers["des_ratio_nijiayingzi_high"] == "open"
    assert numbers["des_n_cause_rows"] == len(data.load("causes"))


def test_every_cause_of_the_positions_has_evidence(record):
    evidence = de.cause_evidence(record, sources.ma_side())
    assert set(record["causes"]["cause"]) <= set(evidence)
    table = de.causes_table(record["causes"], record["positions"], evidence)
    assert len(table) == len(record["causes"])
    assert (table["n_sources"] > 0).all()
    assert not table.loc[table["cause"] == "command", "testable"].any()


def test_the_memo_lives_in_the_repository():
    assert Path(MEMO).is_relative_to(paths.ROOT)


def test_cause_status_follows_its_rules_at_the_threshold():
    def ev(cause, numeric):
        return de.Evidence(cause, "", 1, numeric, "", n_numeric_sources=numeric)

    assert de.cause_status(ev("zhang_line", 9)) == "not_testable"
    assert de.cause_status(ev("command", 9)) == "not_testable"
    assert de.cause_status(ev("long_halt", de.MEASURED_SOURCES)) == "measured"
    assert de.cause_status(ev("long_halt", de.MEASURED_SOURCES - 1)) == "described"
    assert de.cause_status(ev("missed_return", 0)) == "described"


def test_cause_summary_counts_who_names_and_who_denies():
    table = pd.DataFrame(
        {
            "position_id": ["P01", "P06", "P20", "P07"],
            "cause": ["zhang_line", "zhang_line", "zhang_line", "changing_tasks"],
            "holds": ["cause", "denies", "denies", "cause"],
        }
    )
    evidence = {
        "zhang_line": de.Evidence("zhang_line", "z", 5, 2, "c", n_numeric_sources=2),
        "changing_tasks": de.Evidence("changing_tasks", "t", 18, 8, "c", n_numeric_sources=8),
    }
    s = de.cause_summary(table, evidence).set_index("cause")
    assert list(s.index) == ["zhang_line", "changing_tasks"]  # the vocabulary's order
    assert (s.loc["zhang_line", "n_naming"], s.loc["zhang_line", "n_denying"]) == (1, 2)
    assert s.loc["zhang_line", "denying"] == "P06, P20"
    assert list(s["status"]) == ["not_testable", "measured"]


@pytest.mark.parametrize(
    "low, high, text",
    [
        (2.0, 10 / 3, "2.0 to 3.3"),
        (2.0, math.nan, "at least 2.0"),
        (None, 10 / 3, "at most 3.3"),
        (math.nan, math.nan, "open"),
        (2.0, 2.0, "2.0"),
    ],
)
def test_a_ratio_is_worded_as_its_bounds_allow(low, high, text):
    from wra.presentation import destruction_tables as dt

    assert dt.ratio_text(low, high) == text


def test_the_chapter_tables_keep_one_row_per_record_row_and_escape_text(record, numbers):
    from wra.presentation import destruction_tables as dt
    from wra.presentation import tables

    ma_side = sources.ma_side()
    evidence = de.cause_evidence(record, ma_side)
    cause_rows = de.causes_table(record["causes"], record["positions"], evidence)
    assert len(dt.causes(cause_rows)) == len(record["causes"])
    assert len(dt.conditions(record["conditions"])) == len(record["conditions"])
    strength = record["strength"]
    assert len(dt.ma_figures(strength, ma_side)) == numbers["des_n_ma_figures"]
    # the Ma losses at an engagement stand in the losses table only: every Ma figure is in one table or the other
    loss_rows = de.losses(strength, record["engagements"], ma_side)
    apart = dt.ma_figures(strength, ma_side, shown_elsewhere=loss_rows["id"])
    assert len(apart) + numbers["des_n_loss_ma"] == numbers["des_n_ma_figures"]
    # the halts under both rules in one table, each stretch once, its rule first; "7", never "7 to 7"
    stops, _ = route.build(record["actions"], record["places"], since=route.crossing_date(record["actions"]))
    place, belt = de.halts(stops, de.PLACE_RADIUS_KM), de.halts(stops, de.BELT_RADIUS_KM)
    both = dt.halts_within({"20 km": place, "100 km": belt}, record["places"])
    assert list(both["Within"]) == ["20 km"] * len(place) + ["100 km"] * len(belt)
    assert both.columns[0] == "Within" and not both["Days stationary"].str.match(r"^(\d+) to \1$").any()
    pairs = de.force_ratio(strength, record["engagements"])
    assert len(dt.ratio_pairs(pairs)) == numbers["des_n_ratio_pairs"]
    hostile = record["windows"].assign(claim_en="<script>alert(1)</script>")
    html = tables.to_html(dt.windows(hostile, de.windows_against_ma(hostile, strength)))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_the_closing_summary_has_one_row_per_cause_named(record):
    from wra.presentation import destruction_tables as dt

    evidence = de.cause_evidence(record, sources.ma_side())
    table = de.causes_table(record["causes"], record["positions"], evidence)
    summary = de.cause_summary(table, evidence)
    assert len(dt.cause_summary(summary)) == record["causes"]["cause"].nunique()
    assert set(summary["status"]) <= set(de.STATUS)


# --------------------------------------------------------------------------
# What the charts say: their findings, on hand-made records
# --------------------------------------------------------------------------


def pairs_rows(*ends: tuple) -> pd.DataFrame:
    return pd.DataFrame(
        [{"engagement_id": "E01", "ratio_low": lo, "ratio_high": hi} for lo, hi in ends],
        columns=["engagement_id", "ratio_low", "ratio_high"],
    )


@pytest.mark.parametrize(
    "ends, expected",
    [
        (
            [(2.0, 2.0), (math.nan, 3.3), (8.1, math.nan)],
            "The 2 pairs of figures that set the force ratio a floor put it at 2.0 to 8.1 Ma men for each Red man; "
            "the other 1 leave it open below",
        ),
        (
            [(3.0, 4.0), (math.nan, math.nan)],
            "The one pair of figures that sets the force ratio a floor put it at 3.0 Ma men for each Red man; "
            "the other 1 leave it open below",
        ),
        ([(math.nan, 3.3)], "The force ratio: none of the 1 pair of figures sets it a floor"),
    ],
)
def test_the_ratio_finding_names_the_floors_and_the_pairs_left_open(ends, expected):
    assert de.ratio_finding(pairs_rows(*ends)) == expected


def test_the_loss_finding_counts_engagements_with_both_sides_and_lower_bounds():
    rows = pd.DataFrame(
        {
            "engagement_id": ["E01", "E01", "E02", "E03"],
            "side": ["red", "ma", "ma", "ma"],
            "low": [2000.0, 2000.0, math.nan, 100.0],
            "high": [math.nan, 3000.0, 500.0, math.nan],
        }
    )
    assert de.loss_finding(rows) == (
        'Both sides\' losses are counted at 1 of the 3 engagements, and 2 of the 4 loss figures say only "at least"'
    )


def test_the_ma_finding_spans_the_totals_in_the_sources_words_and_names_the_largest_engagement():
    engagements = engagements_rows({"id": "E01", "name_en": "Gulang"}, {"id": "E02", "name_en": "Nijiayingzi"})
    month = {"side": "ma", "unit": "ma_forces", "date_precision": "month", "engagement_id": None}
    rows = strength_rows(
        {"id": "S1", **month, "low": 70000.0, "qualifier": "more_than"},
        {"id": "S2", **month, "low": 120000.0, "qualifier": "more_than", "source": "popular"},
        {"id": "S3", **month, "unit": "ma_bufang", "low": 200000.0, "qualifier": "more_than"},  # not the whole force
        {
            "id": "S4",
            "side": "ma",
            "unit": "ma_forces",
            "date_precision": "day",
            "engagement_id": "E01",
            "low": 20000.0,
            "high": 20000.0,
        },
        {
            "id": "S5",
            "side": "ma",
            "unit": "ma_forces",
            "date_precision": "approx",
            "engagement_id": "E02",
            "low": 73000.0,
            "high": 73000.0,
            "source": "chen",
        },
        {
            "id": "S6",
            "side": "ma",
            "unit": "ma_forces",
            "measure": "loss",
            "date_precision": "month",
            "engagement_id": None,
            "low": 900000.0,
            "high": 900000.0,
        },  # a loss: no strength
    )
    assert list(de.ma_totals(rows)["id"]) == ["S1", "S2", "S3"]
    assert list(de.ma_dated(rows)["id"]) == ["S4", "S5"]
    assert de.ma_finding(rows, engagements, {"chen"}) == (
        "Sources count the Ma forces from at least 70,000 to at least 120,000 in all, and about 73,000 against the "
        "army at Nijiayingzi (a Ma-side account)"
    )
    assert de.ma_finding(rows, engagements).endswith("at Nijiayingzi")


def halt_frame(*spans: tuple[str, str, str]) -> pd.DataFrame:
    return pd.DataFrame([{"anchor": a, "arrive": T(s), "last_seen": T(e)} for a, s, e in spans])


def test_a_day_is_in_a_halt_from_arrival_to_the_last_day_seen_both_inclusive():
    h = halt_frame(("shandan", "1936-11-21", "1936-12-27"), ("gaotai", "1937-01-01", "1937-01-20"))
    assert de.halt_on(T("1936-11-21"), h) == "shandan"
    assert de.halt_on(T("1936-12-27"), h) == "shandan"
    assert de.halt_on(T("1936-12-28"), h) is None
    assert de.halt_on(T("1937-01-20"), h) == "gaotai"


def test_reversals_are_dated_by_their_later_order_and_set_in_its_halt():
    orders = pd.DataFrame(
        {
            "id": ["D1", "D2", "D3", "D4", "D5"],
            "date": [T("1936-11-20"), T("1936-11-25"), T("1936-11-26"), T("1936-12-28"), T("1937-01-02")],
            "direction": ["west", "east", "hold", "west", "east"],
        }
    )
    h = halt_frame(("shandan", "1936-11-21", "1936-12-27"))
    rev = de.reversals_in_halts(orders, h)
    # west->east (D1, before the halt, to D2, in it); east->west across the hold (D2 to D4, after it); west->east
    assert list(zip(rev["from_id"], rev["to_id"], rev["halt"])) == [
        ("D1", "D2", "shandan"),
        ("D2", "D4", None),
        ("D4", "D5", None),
    ]
    windows = pd.DataFrame(
        {
            "id": ["W1", "W2", "W3"],
            "date": [T("1936-11-21"), T("1936-12-28"), T("1936-12-01")],
            "stance": ["chance", "chance", "doubt"],
        }
    )
    assert list(de.windows_in_halts(windows, h)) == ["shandan", None, "shandan"]
    assert de.timeline_finding(orders, windows, h) == (
        "1 of the 3 of the centre's east–west reversals, and 1 of the 2 chances sources name, "
        "came while the army stood still"
    )
    everything = halt_frame(("a", "1936-11-01", "1937-02-01"))
    assert de.timeline_finding(orders, windows, everything).startswith("All 3 of the centre's east–west reversals")


def test_the_record_s_findings_say_what_the_chapter_says(numbers):
    assert f"{numbers['des_ratio_low_min']} to {numbers['des_ratio_low_max']} Ma men" in numbers["des_ratio_finding"]
    assert numbers["des_n_reversals_halted"] <= numbers["des_n_reversals"]
    assert numbers["des_n_chances_halted"] <= numbers["des_n_window_chance"]
    assert str(numbers["des_n_reversals"]) in numbers["des_timeline_finding"]
    assert numbers["des_ma_largest_engaged"] in numbers["des_ma_finding"]


# --------------------------------------------------------------------------
# The charts (wra.presentation.destruction_charts), on the record
# --------------------------------------------------------------------------


def _cite(row):
    return f"cite:{row['source']}"


@pytest.fixture(scope="module")
def drawn(record) -> dict:
    """The chapter's four charts, drawn from the record as the notebook draws them."""
    import wra
    from wra.presentation import destruction_charts as dch

    wra.setup()
    ma_side = sources.ma_side()
    s, e = record["strength"], record["engagements"]
    crossing = route.crossing_date(record["actions"])
    orders = de.central_orders(record["directives"], since=crossing)
    stops, _ = route.build(record["actions"], record["places"], since=crossing)
    place, belt = de.halts(stops, de.PLACE_RADIUS_KM), de.halts(stops, de.BELT_RADIUS_KM)
    pairs, loss_rows = de.force_ratio(s, e), de.losses(s, e, ma_side)
    against = de.windows_against_ma(record["windows"], s)
    return {
        "ma": dch.ma_forces(s, e, ma_side, cite=_cite),
        "ratio": dch.force_ratio(pairs, s, e, cite=_cite),
        "losses": dch.losses(loss_rows, s, e, cite=_cite),
        "timeline": dch.timeline(orders, record["windows"], place, belt, record["places"], against, cite=_cite),
        "pairs": pairs,
        "loss_rows": loss_rows,
        "orders": orders,
        "place": place,
        "ma_side": ma_side,
    }


def _traces(fig, prefix):
    return [t for t in fig.data if (t.name or "").startswith(prefix)]


def _figure_ids(traces):
    """The record ids the hover of ``traces`` names (``<b>S043: ...``), one per drawn figure."""
    import re

    return [m.group(1) for t in traces for h in (t.hovertext or []) if h for m in [re.match(r"<b>(S\d+):", h)] if m]


def _plain(text: str) -> str:
    import re

    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip()


def test_the_ma_chart_draws_each_ma_strength_figure_once_by_whose_account(record, drawn):
    from wra.analysis import strength as st
    from wra.presentation import destruction_charts as dch

    fig, s = drawn["ma"], record["strength"]
    totals, dated = de.ma_totals(s), de.ma_dated(s)
    dated = dated[st.point_in_time(dated)]
    # each figure drawn once (a bound: its tick and its arrow's tip name it, counted once here)
    in_time = set(_figure_ids(_traces(fig, "dated:")))
    in_all = set(_figure_ids(_traces(fig, "totals:")))
    assert in_time == set(dated["id"]) and in_all == set(totals["id"])
    assert all(t.xaxis == "x2" for t in _traces(fig, "totals:"))
    # Ma-side accounts in their own colour, other works in the Ma forces' grey
    by_id = s.set_index("id")
    for trace in _traces(fig, "dated:") + _traces(fig, "totals:"):
        ids = set(_figure_ids([trace]))
        side = {by_id.loc[i, "source"] in drawn["ma_side"] for i in ids}
        assert len(side) == 1, trace.name
        assert trace.marker.color == (dch.MA_SIDE if side.pop() else dch.MA), trace.name
    # a lower bound is a tick with an arrow up to its tip; an "about" figure a hollow dot
    s131 = next(t for t in _traces(fig, "dated:about") if "S131" in _figure_ids([t]))
    assert list(s131.marker.symbol) == ["circle-open"]
    lower = _traces(fig, "dated:lower")[0]
    assert list(lower.marker.symbol[:2]) == ["line-ew", "arrow-up"]
    assert lower.y[1] == pytest.approx(lower.y[0] * dch.ARROW_FACTOR)
    assert fig.layout.title.text == de.ma_finding(s, record["engagements"], drawn["ma_side"])


def test_the_ratio_chart_draws_each_pair_as_the_interval_its_bounds_allow(drawn):
    fig, pairs = drawn["ratio"], drawn["pairs"]
    lo, hi = (10**v for v in fig.layout.xaxis.range)
    rows = _traces(fig, "pair:")
    assert len(rows) == len(pairs)
    for p in pairs.to_dict("records"):
        (trace,) = [t for t in rows if t.name.startswith(f"pair:{p['ma_id']}/{p['red_id']}:")]
        low, high = p["ratio_low"], p["ratio_high"]
        shape = trace.name.rsplit(":", 1)[1]
        if math.isnan(low) and math.isnan(high):
            # both ends open: a dotted line edge to edge, arrows at both ends, no number
            assert shape == "unbounded" and list(trace.x) == pytest.approx([lo, hi])
            assert list(trace.marker.symbol) == ["arrow-left", "arrow-right"] and trace.line.dash == "dot"
        elif math.isnan(high):
            assert shape == "open-above" and list(trace.x) == pytest.approx([low, hi])
            assert list(trace.marker.symbol) == ["line-ns", "arrow-right"] and trace.line.dash == "dot"
        elif math.isnan(low):
            assert shape == "open-below" and list(trace.x) == pytest.approx([lo, high])
            assert list(trace.marker.symbol) == ["arrow-left", "line-ns"]
        elif low == high:
            assert shape == "point" and list(trace.x) == pytest.approx([low])
        else:
            # two numbers where the sources give two: never one
            assert shape == "closed" and list(trace.x) == pytest.approx([low, high]) and trace.line.dash is None
    # the open ends run to the axis's edges, which lie beyond every stated end
    stated = pd.concat([pairs["ratio_low"], pairs["ratio_high"]]).dropna()
    assert lo < stated.min() and hi > stated.max() and lo < 1
    assert fig.layout.title.text == de.ratio_finding(pairs)


def test_an_open_interval_is_never_drawn_as_a_value():
    import plotly.graph_objects as go

    from wra.presentation import destruction_charts as dch

    fig = go.Figure()
    kw = dict(colour="#000000", opacity=1.0, hover="", about=False)
    dch._interval(fig, 0, math.nan, math.nan, (0.5, 20), name="a", **kw)
    dch._interval(fig, 1, 2.0, 2.0, (0.5, 20), name="b", **kw)
    dch._interval(fig, 2, None, 3.3, (0.5, 20), name="c", **kw)
    names = [t.name for t in fig.data]
    assert names == ["a:unbounded", "b:point", "c:open-below"]
    assert list(fig.data[2].x) == [0.5, 3.3]


@pytest.mark.parametrize(
    "row, text",
    [
        ({"low": 6000.0, "high": math.nan, "qualifier": "more_than"}, "≥6,000"),
        ({"low": math.nan, "high": 20000.0, "qualifier": "fewer_than"}, "<20,000"),
        ({"low": 20000.0, "high": 20000.0, "qualifier": "about"}, "c. 20,000"),
        ({"low": 8000.0, "high": 9000.0, "qualifier": "range"}, "8,000–9,000"),
        ({"low": 903.0, "high": 903.0, "qualifier": "exact"}, "903"),
    ],
)
def test_a_figure_in_a_few_characters_keeps_its_bound(row, text):
    from wra.presentation import destruction_charts as dch

    assert dch.compact({"id": "S1", **row}) == text


def test_the_loss_chart_has_a_row_per_figure_and_draws_each_as_what_it_says(drawn):
    from wra.presentation import destruction_charts as dch

    fig, rows = drawn["losses"], drawn["loss_rows"]
    labels = [a for a in fig.layout.annotations if a.name == "row-label"]
    assert len(labels) == len(rows)
    assert [a.text.split(" ")[0] for a in labels] == list(
        rows.assign(_s=rows["side"].map({"red": 0, "ma": 1})).sort_values(
            ["engagement_date", "engagement_id", "_s", "id"]
        )["id"]
    )
    for r in rows.to_dict("records"):
        traces = _traces(fig, f"loss:{r['id']}:")
        kind = dch.loss_kind(r)
        label = next(a for a in labels if a.text.split(" ")[0] == r["id"])
        assert label.font.color == dch.SIDE_COLOURS[r["side"]]
        assert ("Ma side" in label.text) == bool(r["ma_side_account"])
        if kind is None:  # a share of a figure with no number: named, not drawn
            assert not traces and "(no number)" in label.text
            continue
        (trace,) = traces
        assert trace.marker.color == dch.SIDE_COLOURS[r["side"]]
        if kind == "lower":
            assert list(trace.marker.symbol[:2]) == ["line-ns", "arrow-right"]
            assert list(trace.x[:2]) == pytest.approx([r["low"], r["low"] * dch.ARROW_FACTOR])
        elif kind == "upper":
            assert list(trace.marker.symbol[:2]) == ["line-ns", "arrow-left"]
        elif kind == "range":
            assert list(trace.x[:2]) == pytest.approx([r["low"], r["high"]])
    assert fig.layout.title.text == de.loss_finding(rows)


def test_the_timeline_draws_every_order_chance_and_reversal(record, drawn):
    fig, orders = drawn["timeline"], drawn["orders"]
    squares = [x for t in _traces(fig, "orders:") for x in t.x]
    assert len(squares) == len(orders)
    reversals = de.direction_changes(orders).reversals
    assert len(_traces(fig, "reversal")) == len(reversals) > 0
    assert len(_traces(fig, "window:")) == len(record["windows"])
    assert {t.marker.symbol for t in _traces(fig, "window:chance")} == {"circle"}
    assert {t.marker.symbol for t in _traces(fig, "window:doubt")} == {"circle-open"}
    assert len(_traces(fig, "halt:")) == len(drawn["place"]) + len(_traces(fig, "halt:100"))
    assert fig.layout.title.text == de.timeline_finding(orders, record["windows"], drawn["place"])


def test_no_chance_overprints_another_in_its_lane():
    from wra.presentation import destruction_charts as dch

    windows = pd.DataFrame(
        {
            "date": [T("1936-12-15"), T("1936-12-15"), T("1936-12-20"), T("1937-02-01")],
            "date_end": [pd.NaT, T("1937-01-30"), pd.NaT, pd.NaT],
        }
    )
    lanes = dch.chance_lanes(windows, px_per_day=2.0)
    assert lanes[0] != lanes[1] and lanes[2] != lanes[1] and lanes[2] != lanes[0]
    assert lanes[3] == 0  # free again after the others


def test_each_chart_on_a_phone(drawn):
    from wra.presentation import figures, style

    ma = figures.variant(drawn["ma"], style.PHONE)
    # the totals stand under the time axis, both the full width
    assert ma["layout"]["yaxis2"]["domain"][1] < ma["layout"]["yaxis"]["domain"][0]
    assert ma["layout"]["xaxis2"]["domain"] == [0.0, 1.0] and ma["layout"]["xaxis"]["domain"] == [0.0, 1.0]
    wide = figures.variant(drawn["ma"], style.WIDE)
    assert wide["layout"]["xaxis"]["domain"][1] < wide["layout"]["xaxis2"]["domain"][0]
    for chart in ("ratio", "losses"):
        phone = figures.variant(drawn[chart], style.PHONE)
        labels = [a for a in phone["layout"]["annotations"] if a.get("name") == "row-label"]
        # the labels stand over their rows, from the plot's left edge: the rows keep the whole width
        assert labels and all(a["xanchor"] == "left" and a["yanchor"] == "bottom" for a in labels)
        assert phone["layout"]["margin"]["l"] < 40 < figures.variant(drawn[chart], style.WIDE)["layout"]["margin"]["l"]
    timeline = figures.variant(drawn["timeline"], style.PHONE)
    names = {a.get("name") for a in timeline["layout"]["annotations"]}
    assert "reversal-number" not in names
    assert "reversal-number" in {a.get("name") for a in figures.variant(drawn["timeline"])["layout"]["annotations"]}


@pytest.mark.parametrize("chart", ["ma", "ratio", "losses", "timeline"])
def test_no_text_under_10_px_every_colour_from_the_palette_and_the_finding_as_title(drawn, chart):
    import re

    from tests.test_strength import _colours
    from wra.presentation import charts, figures, style

    fig = drawn[chart]
    palette = {c.lower() for c in (*style.COLORS.values(), *style.DARK.values())}
    rgbs = {figures._rgb(c) for c in (*style.COLORS.values(), *style.DARK.values())}
    for name, spec in figures.variants(fig).items():
        sizes = figures.font_sizes(spec)
        assert sizes and min(size for _, size in sizes) >= style.MIN_FONT, (chart, name)
        # the title is the finding, wrapped for the width but every word kept
        assert _plain(spec["layout"]["title"]["text"]).startswith(_plain(fig.layout.title.text)), name

        for colour in _colours(spec):
            match = re.fullmatch(r"rgba?\((\d+,\d+,\d+)(,[\d.]+)?\)", colour.replace(" ", ""))
            assert colour.lower() in palette or (match and match.group(1) in rgbs), (chart, name, colour)
    # hover boxes fit a phone
    lines = [line for t in fig.data for h in (t.hovertext or []) if h for line in h.split("<br>")]
    assert lines and max(charts._width(re.sub(r"<[^>]+>", "", line)) for line in lines) <= 32 + len("Chinese wording: ")
