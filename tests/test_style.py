"""The house style and the offline plotly output."""

from __future__ import annotations

import re
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import plotly.graph_objects as go
import plotly.io as pio
import pytest

import wra
from wra.presentation import plotly_html, style
from wra_book import plotly_assets


@pytest.fixture(autouse=True)
def _styled():
    wra.setup(force=True)


def test_setup_sets_a_cjk_fallback_after_dejavu():
    family = matplotlib.rcParams["font.family"]
    assert family[0] == "DejaVu Sans"
    assert family[1] in style.CJK_FONTS


def test_chinese_text_draws_without_missing_glyphs(tmp_path):
    fig, ax = plt.subplots()
    ax.set_title("西路军 古浪 高台 倪家营子")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(tmp_path / "zh.png")
    plt.close(fig)
    assert (tmp_path / "zh.png").stat().st_size > 1000


def test_a_missing_glyph_is_an_error(tmp_path, monkeypatch):
    # With only DejaVu, Chinese has no glyph: that must raise, never draw boxes.
    fig, ax = plt.subplots()
    ax.set_title("西路军", fontfamily="DejaVu Sans")
    with pytest.raises(UserWarning, match="missing from font"):
        fig.savefig(tmp_path / "boxes.png")
    plt.close(fig)


def test_plotly_defaults_are_the_house_template_and_renderer():
    assert pio.renderers.default == plotly_html.RENDERER
    assert style.PLOTLY_TEMPLATE in pio.templates.default


def test_figure_html_has_no_plotlyjs_and_no_cdn():
    fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 4], name="古浪"))
    html = plotly_html.figure_html(fig)
    assert plotly_html.MARKER in html
    assert "plotly-graph-div" in html
    assert "Plotly.newPlot" in html
    assert len(html) < 50_000, "plotly.js must not be inlined into a figure"
    assert "<script src" not in html, "a figure must not load any script itself"
    assert "cdn" not in html.lower()
    assert "mathjax" not in html.lower()


def test_renderer_emits_html_mimebundle():
    bundle = plotly_html.BookRenderer().to_mimebundle(go.Figure().to_dict())
    # the book's HTML, and plotly's own JSON for Jupyter (tests/test_downloads.py)
    assert set(bundle) == {"text/html", plotly_html.PLOTLY_MIME}


def test_served_plotlyjs_version_matches_the_plotly_package():
    from plotly.offline import get_plotlyjs_version

    version = plotly_assets.plotly_js_version()
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    # plotly.py records the plotly.js version its figures are written for.
    assert version == get_plotlyjs_version()


def test_a_trace_type_outside_the_bundle_is_refused():
    fig = go.Figure(go.Heatmap(z=[[1, 2], [3, 4]]))
    with pytest.raises(plotly_html.UnsupportedTraceError, match="heatmap"):
        plotly_html.figure_html(fig)
