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


def test_a_column_of_running_text_is_marked_at_its_header():
    frame = pd.DataFrame({'Who "said"': ["a", "b"], "What": ["x" * tables.PROSE, "y" * (tables.PROSE + 2)]})
    out = tables.to_html(frame)
    assert '<th scope="col" class="wra-prose">What</th>' in out
    assert '<th scope="col">Who &quot;said&quot;</th>' in out  # short text is not prose
    assert 'class="wra-prose"' not in tables.to_html(frame.assign(What=["x", "y"]))


def test_a_collapsed_table_opens_on_a_click():
    out = tables.to_html(pd.DataFrame({"A": [1]}), collapsed="All <rows>")
    assert out.startswith(
        '<details class="wra-full-table"><summary>All &lt;rows&gt;</summary><div class="wra-table-wrap'
    )
    assert out.endswith("</table></div></details>")
    assert "<details" not in tables.to_html(pd.DataFrame({"A": [1]}))


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
