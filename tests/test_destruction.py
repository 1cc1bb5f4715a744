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
# The Centre's orders
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
        ("D04", "1936-10-26", "west", "zhang_guotao"),  # not the Centre: out
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
