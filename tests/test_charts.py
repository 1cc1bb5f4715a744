import pandas as pd

from wra.presentation import charts


def test_wrap_counts_chinese_as_two_columns():
    lines = charts.wrap("三十军迅速渡河，控制西岸", width=8)
    assert lines == ["三十军迅", "速渡河，", "控制西岸"]


def test_wrap_english_on_words():
    assert charts.wrap("the thirtieth army crosses the river", width=13) == [
        "the thirtieth",
        "army crosses",
        "the river",
    ]


def test_wrap_never_breaks_a_latin_word_in_mixed_text():
    # the old wrap broke mixed text character by character: "Jin" / "gning 靖宁"
    text = "Huining 会宁 to Jingning 靖宁 by way of Hubaokou 虎豹口, where the 30th Army crossed"
    for width in range(8, 30):
        lines = charts.wrap(text, width)
        words = [w for line in lines for w in line.split()]
        latin = [w for w in text.split() if w.isascii()]
        assert [w for w in words if w.isascii()] == latin, (width, lines)
        assert "".join("".join(lines).split()) == "".join(text.split())
        assert all(charts._width(line) <= width for line in lines), (width, lines)
    assert charts.wrap("Jingning 靖宁", 10) == ["Jingning", "靖宁"]


def test_wrap_breaks_chinese_between_characters_and_keeps_punctuation_attached():
    lines = charts.wrap("Quote: 「西路军总共只剩下三千人」 (the article)", 12)
    assert lines[0] == "Quote: 「西"  # 「 never ends a line
    assert not any(line[0] in "，。」）" for line in lines)
    assert not any(line[-1] in "「（" for line in lines)
    assert "".join(lines).replace(" ", "") == "Quote:「西路军总共只剩下三千人」(thearticle)"
    assert all(charts._width(line) <= 12 for line in lines)


def test_wrap_lets_an_overlong_latin_word_stand_alone():
    assert charts.wrap("see Sun-Huanzhen-1986-article here", 10) == ["see", "Sun-Huanzhen-1986-article", "here"]
    assert charts.wrap("   ") == []


def test_hover_html_escapes_and_skips_empty():
    text = charts.hover_html("D01 <x>", {"quote": "西进", "gloss": None, "pages": float("nan"), "source": "a & b"})
    assert "<b>D01 &lt;x&gt;</b>" in text
    assert "gloss" not in text and "pages" not in text
    assert "a &amp; b" in text


def test_close_event_labels_are_merged():
    events = pd.DataFrame(
        {
            "date": pd.to_datetime(["1937-01-20", "1937-01-28", "1937-03-12", "1937-03-14", "1937-04-29"]),
            "label": ["Gaotai", "Nijiaying", "Liyuankou", "Shiwo", "Xingxingxia"],
        }
    )
    merged = charts.merge_close_events(events)
    assert merged["label"].tolist() == ["Gaotai\nNijiaying", "Liyuankou\nShiwo", "Xingxingxia"]


def test_titles_break_after_the_colon_else_the_comma():
    title = "From at least 21,800 men at the Yellow River to at least 400 at the Xinjiang border: 1,339 km in 185 days"
    assert charts.title_lines(title)[1] == "1,339 km in 185 days"
    assert charts.title_lines("Of at least 21,800 who crossed, 400 arrived") == (
        "Of at least 21,800 who crossed,",
        "400 arrived",
    )
    assert charts.title_lines("No break here") == ("No break here", "")
