"""The record chapter's analysis, on a small hand-made record."""

import pandas as pd
import pytest

from wra.analysis import summary


@pytest.fixture
def tables(monkeypatch):
    monkeypatch.setattr(summary.sources, "short_label", lambda key: key.upper())
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


def test_chapter_numbers_separate_the_article_from_other_sources(tables):
    n = {k.removeprefix("rec_"): v for k, v in summary.chapter_numbers(tables).items()}
    assert all(k.startswith("rec_") for k in summary.chapter_numbers(tables))
    assert n["n_directives"] == 3 and n["n_actions"] == 2 and n["n_strength"] == 3
    assert n["n_dated_rows"] == 8
    # D01 (via the article), D02, A02 and the third figure cite the article
    assert n["n_rows_from_article"] == 4
    assert n["n_quotations"] == 3
    assert n["n_directives_from_article"] == 2
    assert n["n_red_figures"] == 2 and n["n_ma_figures"] == 1
    assert n["n_sources_used"] == 5
    assert n["busiest_months"] == "October and November 1936"


def test_monthly_counts_fill_empty_months_and_lanes(tables):
    m = summary.monthly(tables)
    assert set(m["lane"]) == set(summary.LANES)
    months = sorted(m["month"].unique())
    assert [pd.Timestamp(x).strftime("%Y-%m") for x in months] == ["1936-10", "1936-11", "1936-12", "1937-01"]
    nov = m[m["month"] == pd.Timestamp("1936-11-01")].set_index("lane")["count"]
    assert nov.to_dict() == {"central": 0, "zhang_guotao": 1, "army": 1, "actions": 0}
    assert m["count"].sum() == 5


def test_busiest_months_names_the_top_months_in_order(tables):
    m = summary.monthly(tables)
    assert summary.busiest_months(m) == "October and November 1936"


def test_the_monthly_chart_states_where_the_record_is_densest(tables):
    import wra
    from wra.presentation import figures, summary_charts

    m = summary.monthly(tables)
    finding = summary.monthly_finding(m)
    # 5 rows: 2 in October, 2 in November
    assert finding == "Densest in October and November 1936: 4 of the 5 directives and actions"
    wra.setup()
    fig = summary_charts.figure_monthly(m)
    assert fig.layout.title.text == finding and fig.layout.title.subtitle.text == summary_charts.SUBTITLE
    assert [t.name for t in fig.data] == list(summary.LANES.values())
    for drawing in figures.variants(fig).values():
        assert "4 of the 5" in drawing["layout"]["title"]["text"]
        assert min(size for _, size in figures.font_sizes(drawing)) >= 10


def test_source_profile_orders_by_perspective_and_counts_via(tables):
    profile = summary.source_profile(tables).set_index("source")
    assert profile.index[0] == "sun_huanzhen"
    assert profile.at["sun_huanzhen", "rows"] == 4
    assert profile.at["sun_huanzhen", "via_rows"] == 1
    assert profile.at["mao_nianpu_1993", "perspective"] == summary.PERSPECTIVE["compilation"]
    assert profile.at["web_b", "tables"] == "strength"
    kinds = summary.perspective_summary(summary.source_profile(tables)).set_index("perspective")
    assert kinds.loc[summary.PERSPECTIVE["external"], "sources"] == 3


def test_the_chapter_tables_spell_out_codes_and_cite_every_row(monkeypatch):
    from wra.presentation import summary_tables, tables

    # citations need the bibliography; here every row cites "c"
    monkeypatch.setattr(summary_tables, "cite_cells", lambda frame: [tables.cite_html("c")] * len(frame))
    directives = pd.DataFrame(
        {
            "id": ["D01"],
            "date": pd.to_datetime(["1936-10-24"]),
            "date_precision": ["day"],
            "issuer": ["military_commission"],
            "recipient": ["thirtieth_army"],
            "direction": ["west"],
            "source": ["mao_nianpu_1993"],
            "pages": ["602"],
        }
    )
    out = summary_tables.directives_table(directives).iloc[0]
    assert out["Issued by"] == "Central Military Commission (中革军委)" and out["To"] == "30th Army"
    assert out["Date"] == "1936-10-24" and out["Pointed"] == "West"
    places = pd.DataFrame({"place_id": ["gulang"], "name_en": ["Gulang"], "name_zh": ["古浪"]})
    actions = pd.DataFrame(
        {
            "id": ["A01", "A02"],
            "date": pd.to_datetime(["1936-11-14", "1936-11-15"]),
            "actor": ["ninth_army", "wra"],
            "kind": ["capture", "move"],
            "place_id": ["gulang", None],
            "direction": ["west", "west"],
            "quote_zh": ["攻占古浪", None],
            "summary_en": ["Took Gulang.", "Moved on."],
            "source": ["web_a", "web_a"],
            "pages": ["n.p.", "n.p."],
        }
    )
    table = summary_tables.actions_table(actions, places)
    assert list(table.columns) == [
        "Action", "Date", "Who", "What kind", "Where", "Direction", "What happened", "Source"
    ]  # fmt: skip
    assert list(table["Where"]) == ["Gulang 古浪", ""] and table.loc[0, "Who"] == "9th Army"
    assert table.loc[0, "What kind"] == "capture (took a place)"
    assert '<span class="zh" lang="zh">攻占古浪</span>' in table.loc[0, "What happened"]
    assert table.loc[1, "What happened"] == '<span class="gloss">Moved on.</span>'
    assert all(str(c).startswith('<span class="cite">') for c in table["Source"])
