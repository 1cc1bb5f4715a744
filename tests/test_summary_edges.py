"""The record chapter's analysis at its edges (wra.analysis.summary): the source profile in full,
months named in every case, and counts that a changed comparison would change. Part of the
mutation run (``make mutate``)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.test_summary import tables as tables
from wra.analysis import summary


def test_source_profile_in_full(tables):
    tables["strength"] = pd.concat(
        [tables["strength"], pd.DataFrame({"side": ["red"], "quote_zh": [""], "source": ["mao_nianpu_1993"],
                                           "pages": ["610"], "via": ["sun_huanzhen"]})],
        ignore_index=True,
    )  # fmt: skip
    profile = summary.source_profile(tables)
    assert profile.to_dict("records") == [
        {
            "source": "sun_huanzhen",
            "work": "SUN_HUANZHEN",
            "perspective": summary.PERSPECTIVE["article"],
            "rows": 4,
            "via_rows": 2,
            "tables": "directives, actions, assessments, strength",
        },
        {
            "source": "mao_nianpu_1993",
            "work": "MAO_NIANPU_1993",
            "perspective": summary.PERSPECTIVE["compilation"],
            "rows": 2,
            "via_rows": 0,
            "tables": "directives, strength",
        },
        {
            "source": "web_a",
            "work": "WEB_A",
            "perspective": summary.PERSPECTIVE["external"],
            "rows": 2,
            "via_rows": 0,
            "tables": "directives, actions",
        },
        {
            "source": "web_b",
            "work": "WEB_B",
            "perspective": summary.PERSPECTIVE["external"],
            "rows": 2,
            "via_rows": 0,
            "tables": "strength",
        },
        {
            "source": "coords",
            "work": "COORDS",
            "perspective": summary.PERSPECTIVE["external"],
            "rows": 1,
            "via_rows": 0,
            "tables": "places",
        },
    ]
    assert summary.perspective_summary(profile).to_dict("records") == [
        {"perspective": summary.PERSPECTIVE["article"], "sources": 1, "rows": 4},
        {"perspective": summary.PERSPECTIVE["compilation"], "sources": 1, "rows": 2},
        {"perspective": summary.PERSPECTIVE["external"], "sources": 3, "rows": 5},
    ]


def test_a_source_only_read_through_counts_its_rows_there(tables):
    tables["actions"].loc[0, "via"] = "peng_zishu_1981"
    tables["actions"].loc[1, "via"] = "peng_zishu_1981"
    profile = summary.source_profile(tables).set_index("source")
    assert (profile.loc["peng_zishu_1981", "rows"], profile.loc["peng_zishu_1981", "via_rows"]) == (0, 2)
    assert profile.loc["peng_zishu_1981", "perspective"] == summary.PERSPECTIVE["memoir"]
    assert profile.loc["peng_zishu_1981", "tables"] == "actions"


def test_perspective_of_a_key():
    assert summary.perspective("sun_huanzhen", "sun_huanzhen") == "article"
    assert summary.perspective("yu_jinan_1982", "sun_huanzhen") == "memoir"
    assert summary.perspective("renda_xiandaishi_1992") == "digest"
    assert summary.perspective("web_a", "sun_huanzhen") == "external"


@pytest.mark.parametrize(
    "counts, k, words",
    [
        ({"1936-10": 5, "1936-11": 9, "1936-12": 1}, 2, "October and November 1936"),
        ({"1936-12": 5, "1937-01": 9, "1937-02": 1}, 2, "December 1936 and January 1937"),
        ({"1936-10": 5, "1936-11": 9, "1936-12": 7}, 3, "October, November and December 1936"),
        ({"1936-11": 3, "1936-12": 4, "1937-01": 5}, 3, "November 1936, December 1936 and January 1937"),
        ({"1936-10": 5, "1936-11": 9}, 1, "November 1936"),
        ({"1936-10": 5, "1936-11": 5, "1936-12": 5}, 2, "October and November 1936"),  # ties: the earlier
    ],
)
def test_busiest_months_in_words(counts, k, words):
    table = pd.DataFrame(
        {"month": pd.to_datetime([f"{m}-01" for m in counts]), "lane": "actions", "count": list(counts.values())}
    )
    assert summary.busiest_months(table, k) == words


def test_monthly_finding_counts_the_busiest_months_against_all(tables):
    m = summary.monthly(tables)
    assert summary.monthly_finding(m) == "Densest in October and November 1936: 4 of the 5 directives and actions"
    # October and November tie on two rows each: the earlier is named
    assert summary.monthly_finding(m, k=1) == "Densest in October 1936: 2 of the 5 directives and actions"
    n = summary.chapter_numbers(tables)
    assert n["rec_monthly_finding"] == summary.monthly_finding(m)
    assert (n["rec_id_first"], n["rec_id_last"], n["rec_n_id_gaps"], n["rec_id_gaps"]) == ("D01", "D03", 0, "none")


def test_counts_that_turn_on_a_single_character_or_a_single_via(tables):
    tables["directives"].loc[1, "quote_zh"] = "西"  # a one-character quotation is a quotation
    tables["directives"].loc[2, "via"] = "sun_huanzhen"
    tables["assessments"] = tables["assessments"].drop(columns="via")
    n = summary.chapter_numbers(tables)
    assert n["rec_n_quotations"] == 4
    assert n["rec_n_directives_from_article"] == 3
    assert n["rec_n_rows_from_article"] == 5
