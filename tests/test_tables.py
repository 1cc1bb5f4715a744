import pandas as pd

from wra.presentation import tables


def test_to_html_escapes_text_but_not_html_cells():
    frame = pd.DataFrame(
        {
            "order": [tables.zh_with_gloss("三十军迅速渡河", "The 30th Army is to cross quickly"), "<b>x</b>"],
            "men": [18000, float("nan")],
            "date": [pd.Timestamp("1936-10-24"), pd.NaT],
        }
    )
    out = tables.to_html(frame, caption="Orders & men")
    assert '<span class="zh" lang="zh">三十军迅速渡河</span>' in out
    assert '<span class="gloss">The 30th Army is to cross quickly</span>' in out
    assert "&lt;b&gt;x&lt;/b&gt;" in out
    assert '<td class="num">18,000</td>' in out
    assert '<td class="num">1936-10-24</td>' in out
    assert "<caption>Orders &amp; men</caption>" in out
    assert out.count("<tr>") == 3


def test_a_stacked_table_names_its_columns_once_as_css_strings():
    import pytest

    frame = pd.DataFrame({"When": ["1 Nov 1936"], "Ma's men & arms": [18000]})
    out = tables.to_html(frame, stack=True)
    names = "--c1:&#x27;When&#x27;;--c2:&#x27;Ma\\&#x27;s men &amp; arms&#x27;"
    assert f'<table class="wra-table wra-stack" style="{names}">' in out
    assert "<td>1 Nov 1936</td>" in out and '<td class="num">18,000</td>' in out
    plain = tables.to_html(frame)
    assert '<table class="wra-table">' in plain and "--c1" not in plain
    with pytest.raises(ValueError, match="at most 6 columns"):
        tables.to_html(pd.DataFrame({str(i): [i] for i in range(7)}), stack=True)
