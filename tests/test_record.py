"""The record chapter's analysis, on a small hand-made record."""

import pandas as pd
import pytest

from wra.analysis import summary as record


@pytest.fixture
def tables(monkeypatch):
    monkeypatch.setattr(record.sources, "short_label", lambda key: key.upper())
    d = pd.DataFrame(
        {
            "id": ["D01", "D02", "D03"],
            "date": pd.to_datetime(["1936-10-24", "1936-11-05", "1936-11-20"]),
            "issuer": ["military_commission", "zhang_guotao", "chen_changhao"],
            "quote_zh": ["三十军迅速渡河", "", ""],
            "source": ["mao_nianpu_1993", "sun_huanzhen", "web_a"],
            "pages": ["602", "part 1", "n.p."],
            "via": ["sun_huanzhen", "", ""],
        }
    )
    a = pd.DataFrame(
        {
            "id": ["A01", "A02"],
            "date": pd.to_datetime(["1936-10-25", "1937-01-20"]),
            "quote_zh": ["", "五军三千"],
            "source": ["web_a", "sun_huanzhen"],
            "pages": ["n.p.", "part 2"],
            "via": ["", ""],
        }
    )
    s = pd.DataFrame(
        {
            "side": ["red", "ma", "red"],
            "quote_zh": ["", "", "一万八千余人"],
            "source": ["web_b", "web_b", "sun_huanzhen"],
            "pages": ["n.p.", "n.p.", "part 2"],
            "via": ["", "", ""],
        }
    )
    asm = pd.DataFrame({"source": ["sun_huanzhen"], "pages": ["part 2"], "via": [""]})
    p = pd.DataFrame({"source": ["coords"], "pages": ["n.p."]})
    return {"directives": d, "actions": a, "strength": s, "assessments": asm, "places": p}


def test_counts_separate_the_article_from_other_sources(tables):
    n = record.counts(tables)
    assert n["n_directives"] == 3 and n["n_actions"] == 2 and n["n_strength"] == 3
    assert n["n_dated_rows"] == 8
    # D01 (via the article), D02, A02 and the third figure cite the article
    assert n["n_rows_from_article"] == 4
    assert n["n_quotations"] == 3
    assert n["n_directives_from_article"] == 2
    assert n["n_red_figures"] == 2 and n["n_ma_figures"] == 1
    assert n["n_sources_used"] == 5


def test_monthly_counts_fill_empty_months_and_lanes(tables):
    m = record.monthly(tables)
    assert set(m["lane"]) == set(record.LANES)
    months = sorted(m["month"].unique())
    assert [pd.Timestamp(x).strftime("%Y-%m") for x in months] == ["1936-10", "1936-11", "1936-12", "1937-01"]
    nov = m[m["month"] == pd.Timestamp("1936-11-01")].set_index("lane")["count"]
    assert nov.to_dict() == {"central": 0, "zhang_guotao": 1, "army": 1, "actions": 0}
    assert m["count"].sum() == 5


def test_busiest_months_names_the_top_months_in_order(tables):
    m = record.monthly(tables)
    assert record.busiest_months(m) == "October and November 1936"


def test_source_profile_orders_by_perspective_and_counts_via(tables):
    profile = record.source_profile(tables).set_index("source")
    assert profile.index[0] == "sun_huanzhen"
    assert profile.at["sun_huanzhen", "rows"] == 4
    assert profile.at["sun_huanzhen", "via_rows"] == 1
    assert profile.at["mao_nianpu_1993", "perspective"] == record.PERSPECTIVE["compilation"]
    assert profile.at["web_b", "tables"] == "strength"
    summary = record.perspective_summary(record.source_profile(tables)).set_index("perspective")
    assert summary.loc[record.PERSPECTIVE["external"], "sources"] == 3
