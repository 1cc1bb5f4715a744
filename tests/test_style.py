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


def _cjk_font_file() -> str:
    from matplotlib import font_manager

    return font_manager.findfont(font_manager.FontProperties(family=style.cjk_font()), fallback_to_default=False)


def _run_in(home, code: str):
    """Run ``code`` with HOME at ``home`` and a fresh matplotlib font cache, no WRA_CJK_FONT."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != style.FONT_ENV}
    env.update(HOME=str(home), MPLCONFIGDIR=str(home / "mpl"))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)


def test_a_font_named_by_the_variable_is_used(tmp_path, monkeypatch):
    import shutil

    copy = tmp_path / "my-cjk-font.ttc"
    shutil.copyfile(_cjk_font_file(), copy)
    monkeypatch.setenv(style.FONT_ENV, str(copy))
    name = style.cjk_font()
    from matplotlib import font_manager

    assert name == font_manager.FontProperties(fname=str(copy)).get_name()
    assert any(f.fname == str(copy) for f in font_manager.fontManager.ttflist)


def test_a_missing_font_file_named_by_the_variable_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv(style.FONT_ENV, str(tmp_path / "nope.ttf"))
    with pytest.raises(style.FontMissingError, match=r"WRA_CJK_FONT=.*nope\.ttf: no such font file"):
        style.cjk_font()


def test_a_file_that_is_not_a_font_says_so(tmp_path, monkeypatch):
    fake = tmp_path / "fake.ttf"
    fake.write_text("not a font\n", encoding="utf-8")
    monkeypatch.setenv(style.FONT_ENV, str(fake))
    with pytest.raises(style.FontMissingError, match=r"WRA_CJK_FONT=.*fake\.ttf: not a font file"):
        style.cjk_font()


def test_a_font_without_chinese_says_so(monkeypatch):
    from pathlib import Path

    latin = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    monkeypatch.setenv(style.FONT_ENV, str(latin))
    with pytest.raises(style.FontMissingError, match=r"DejaVuSans\.ttf: the font has no Chinese glyphs"):
        style.cjk_font()


@pytest.mark.parametrize("content", [b"not a font\n", b"", b"\x00\x01\x00\x00" + b"\xff" * 64])
def test_make_font_with_a_bad_font_prints_one_line_and_no_traceback(tmp_path, content):
    """`make font` (and so `make book`) with WRA_CJK_FONT naming a broken file: one line, exit 1."""
    import os
    import subprocess
    import sys

    from wra.record import paths

    fake = tmp_path / "fake.ttf"
    fake.write_bytes(content)
    proc = subprocess.run(
        ["bash", str(paths.ROOT / "tools" / "system-deps.sh"), "font"],
        capture_output=True,
        text=True,
        cwd=paths.ROOT,
        env={**os.environ, style.FONT_ENV: str(fake), "PY": sys.executable},
        timeout=300,
    )
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        f"error: WRA_CJK_FONT={fake}: not a font file (FreeType cannot read it); name a .ttf, .otf or .ttc file"
    ]
    assert "Traceback" not in proc.stdout + proc.stderr


def test_a_font_installed_per_user_is_found(tmp_path):
    import shutil

    fonts = tmp_path / ".local" / "share" / "fonts"
    fonts.mkdir(parents=True)
    shutil.copyfile(_cjk_font_file(), fonts / "user-cjk.ttc")
    proc = _run_in(
        tmp_path,
        "from matplotlib import font_manager as fm\n"
        "from wra.presentation import style\n"
        "name = style.cjk_font()\n"
        "print([f.fname for f in fm.fontManager.ttflist if f.name == name])\n",
    )
    assert proc.returncode == 0, proc.stderr
    assert str(fonts / "user-cjk.ttc") in proc.stdout


def test_the_missing_font_message_says_how_to_do_without_root():
    assert "~/.local/share/fonts" in style.FONT_INSTALL_HINT and "WRA_CJK_FONT=" in style.FONT_INSTALL_HINT
