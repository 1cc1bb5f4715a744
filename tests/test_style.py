"""The house style, the figure's drawings for each width and theme, and the book's plotly output."""

from __future__ import annotations

import ast
import re

import plotly.graph_objects as go
import plotly.io as pio
import pytest

import wra
from wra.presentation import figures, plotly_html, style
from wra.record import paths
from wra_book import charts as wra_charts


@pytest.fixture(autouse=True)
def _styled():
    wra.setup(force=True)


# --------------------------------------------------------------------------
# Colours: one palette, light and dark, used everywhere
# --------------------------------------------------------------------------

COLOUR_LITERAL = re.compile(r"#[0-9A-Fa-f]{3}(?:[0-9A-Fa-f]{3})?(?:[0-9A-Fa-f]{2})?\b|\brgba?\(")
# CSS colour names, less the palette's own names (COLORS["red"] is the Red Army's colour)
NAMED_COLOURS = {"white", "black", "grey", "gray", "red", "blue", "green", "orange", "lightgrey", "silver"} - set(
    style.COLORS
)


def _string_literals(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def colour_literals(path) -> list[tuple[int, str]]:
    """Colours written as literals in a module: hex, rgb()/rgba(), or a CSS colour name as a whole string."""
    return [
        (line, text)
        for line, text in _string_literals(path)
        if COLOUR_LITERAL.search(text) or text.strip().lower() in NAMED_COLOURS
    ]


def test_every_colour_of_the_charts_comes_from_the_house_style():
    # style.py names the colours; figures.py turns a palette colour into its dark twin (it reads and
    # writes rgb()/rgba() forms of the palette's colours, and names none)
    modules = [
        p for p in (paths.ROOT / "wra" / "presentation").rglob("*.py") if p.name not in ("style.py", "figures.py")
    ]
    assert len(modules) > 5
    found = [f"{p.relative_to(paths.ROOT)}:{line}: {text[:60]!r}" for p in modules for line, text in colour_literals(p)]
    assert not found, "colour literals outside wra/presentation/style.py:\n" + "\n".join(found)


def test_the_colour_scan_finds_a_literal(tmp_path):
    module = tmp_path / "x.py"
    module.write_text(
        '"""#abcdef in a docstring is prose."""\nA = "#D55E00"\nB = "white"\nC = f"rgba(1,2,3,{0.5})"\nD = "west"\n'
    )
    assert [line for line, _ in colour_literals(module)] == [2, 3, 4]


def test_groups_and_verdicts_name_colours_of_the_palette():
    assert set(style.GROUP_COLORS.values()) <= set(style.COLORS.values())
    assert set(style.VERDICT_COLORS.values()) <= set(style.COLORS.values())


def test_every_colour_has_a_dark_twin_of_its_own():
    assert set(style.DARK) == set(style.COLORS)
    assert all(style.DARK[k].lower() != style.COLORS[k].lower() for k in style.COLORS)
    assert all(re.fullmatch(r"#[0-9A-Fa-f]{6}", c) for c in [*style.COLORS.values(), *style.DARK.values()])


def test_the_dark_drawing_swaps_palette_colours_and_keeps_the_words():
    fig = go.Figure(
        go.Scatter(
            x=[1, 2],
            y=[1, 2],
            name=style.COLORS["west"],  # words, even if they look like a colour
            marker=dict(color=[style.COLORS["west"], style.COLORS["east"].lower()]),
            line=dict(color="rgba(213,94,0,0.4)"),
        )
    )
    fig.add_annotation(x=1, y=1, text="古浪", font=dict(color=style.COLORS["ink"]))
    dark = figures.variant(fig, style.WIDE, dark=True)
    trace = dark["data"][0]
    assert trace["marker"]["color"] == [style.DARK["west"], style.DARK["east"]]
    assert trace["line"]["color"] == "rgba(" + figures._rgb(style.DARK["west"]) + ",0.4)"
    assert trace["name"] == style.COLORS["west"]
    assert dark["layout"]["annotations"][0]["font"]["color"] == style.DARK["ink"]
    assert dark["layout"]["template"]["layout"]["paper_bgcolor"] == "rgba(0,0,0,0)"
    light = figures.variant(fig, style.WIDE, dark=False)
    assert light["data"][0]["marker"]["color"] == [style.COLORS["west"], style.COLORS["east"].lower()]
    assert light["layout"]["template"]["layout"]["paper_bgcolor"] == style.COLORS["paper"]


# --------------------------------------------------------------------------
# One figure, four drawings
# --------------------------------------------------------------------------


def _chart():
    fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 4], name="guide"))
    fig.add_annotation(x=1, y=3, text="a note a phone can do without", name="note", showarrow=False)
    fig.add_annotation(x=2, y=4, text="kept", name="kept", showarrow=False)
    figures.set_title(
        fig,
        "Of at least 21,800 who crossed the Yellow River, at least 400 reached Xinjiang",
        "Each figure as its source states it; log scale",
    )
    return figures.on_phone(fig, dict(height=600), annotations={"note": None}, traces={"guide": dict(mode="lines")})


def test_the_title_is_wrapped_for_each_width_with_room_above_the_plot():
    fig = _chart()
    wide = figures.variant(fig, style.WIDE)
    phone = figures.variant(fig, style.PHONE)
    for spec, width in ((wide, style.WIDE), (phone, style.PHONE)):
        text = spec["layout"]["title"]["text"]
        head, _, sub = text.partition("<br><span")
        sub = "<span" + sub

        def lines(markup):
            return [line for line in re.sub(r"<[^>]+>", "", markup.replace("<br>", "\n")).splitlines() if line]

        assert " ".join(lines(head)) == "Of at least 21,800 who crossed the Yellow River, at least 400 reached Xinjiang"
        assert " ".join(lines(sub)) == "Each figure as its source states it; log scale"
        assert max(map(len, lines(head))) * width.title * figures.TITLE_EM <= width.width - width.reserve, lines(head)
        assert max(map(len, lines(sub))) * width.subtitle * figures.CHAR_EM <= width.width, lines(sub)
        needed = len(lines(head)) * width.title + len(lines(sub)) * width.subtitle
        assert spec["layout"]["margin"]["t"] >= figures.TITLE_PAD + needed
    assert phone["layout"]["title"]["text"].count("<br>") > wide["layout"]["title"]["text"].count("<br>")
    assert wide["layout"]["width"] == style.WIDE.width and phone["layout"]["width"] == style.PHONE.width


def test_the_phone_drawing_applies_the_charts_patch_and_the_house_phone_layout():
    fig = _chart()
    phone, wide = figures.variant(fig, style.PHONE), figures.variant(fig, style.WIDE)
    assert phone["layout"]["height"] == 600 and wide["layout"]["height"] == 450
    assert [a["name"] for a in phone["layout"]["annotations"]] == ["kept"]
    assert [a["name"] for a in wide["layout"]["annotations"]] == ["note", "kept"]
    assert phone["data"][0]["mode"] == "lines" and "mode" not in wide["data"][0]
    assert phone["layout"]["legend"]["orientation"] == "h" and phone["layout"]["xaxis"]["tickangle"] == 0


def test_a_finished_figure_finishes_again_the_same_way():
    """The renderer emits the laptop drawing; the book makes the others from it."""
    fig = _chart()
    emitted = figures.variant(fig, style.WIDE)
    for width in (style.WIDE, style.PHONE):
        for dark in (False, True):
            again = figures.variant(emitted, width, dark)
            direct = figures.variant(fig, width, dark)
            assert again["layout"]["title"] == direct["layout"]["title"]
            assert again["layout"]["margin"]["t"] == direct["layout"]["margin"]["t"]
            assert again["data"] == direct["data"]


def test_a_new_title_keeps_the_subtitle_and_a_new_subtitle_replaces_it():
    fig = _chart()
    fig.update_layout(title_text="Strength of the Western Route Army 西路军兵力")
    text = figures.variant(fig)["layout"]["title"]["text"]
    assert "西路军兵力" in text and "Each figure as its source states it" in text and "21,800" not in text
    figures.set_title(fig, "Another finding", "Another subtitle")
    text = figures.variant(fig)["layout"]["title"]["text"]
    assert "Another subtitle" in text and "Each figure" not in text


def test_font_sizes_lists_explicit_sizes_and_markup():
    fig = _chart()
    fig.add_annotation(x=1, y=1, text="<span style='font-size:8px'>tiny</span>", font=dict(size=9))
    sizes = figures.font_sizes(figures.variant(fig, style.PHONE))
    assert ("fig.layout.annotations[1].font", 9.0) in sizes and ("markup", 8.0) in sizes


def test_a_chart_can_be_an_image_only():
    fig = figures.static_only(go.Figure(go.Bar(x=[1], y=[1])))
    assert not figures.is_interactive(fig) and not figures.is_interactive(figures.variant(fig))
    assert figures.is_interactive(go.Figure())


# --------------------------------------------------------------------------
# The renderer and the plotly.js the book serves
# --------------------------------------------------------------------------


def test_plotly_defaults_are_the_house_template_and_renderer():
    assert pio.renderers.default == plotly_html.RENDERER
    assert pio.templates.default == style.PLOTLY_TEMPLATE


def test_the_renderer_emits_the_laptop_drawing_as_plotly_json():
    bundle = plotly_html.BookRenderer().to_mimebundle(_chart().to_dict())
    assert set(bundle) == {plotly_html.PLOTLY_MIME}
    spec = bundle[plotly_html.PLOTLY_MIME]
    assert spec["layout"]["width"] == style.WIDE.width and "Xinjiang" in spec["layout"]["title"]["text"]
    assert spec["layout"]["meta"][figures.META]["drawing"] == "wide-light"


def test_served_plotlyjs_version_matches_the_plotly_package():
    from plotly.offline import get_plotlyjs_version

    version = wra_charts.plotly_js_version()
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    # plotly.py records the plotly.js version its figures are written for.
    assert version == get_plotlyjs_version()


def test_a_trace_type_outside_the_bundle_is_refused():
    fig = go.Figure(go.Heatmap(z=[[1, 2], [3, 4]]))
    with pytest.raises(plotly_html.UnsupportedTraceError, match="heatmap"):
        plotly_html.bundle(fig)


def test_chinese_is_drawn_in_the_cjk_font_not_boxes(tmp_path):
    """The static image of a Chinese label is drawn with the CJK font: its ink differs from a
    label of the same length that the font cannot have (private-use code points draw as boxes)."""
    from PIL import Image, ImageChops

    def ink(text: str):
        fig = go.Figure()
        fig.add_annotation(x=0.5, y=0.5, xref="paper", yref="paper", text=text, showarrow=False, font=dict(size=40))
        fig.update_layout(height=200, xaxis_visible=False, yaxis_visible=False)
        path = wra_charts.draw(fig, tmp_path / text.encode().hex()[:12])["wide-light"]
        return Image.open(path).convert("L")

    chinese, boxes = ink("西路军高台"), ink("\ue000\ue001\ue002\ue003\ue004")
    assert ImageChops.difference(chinese, boxes).getbbox() is not None
    # and two different Chinese strings draw differently (glyphs, not one box shape)
    assert ImageChops.difference(chinese, ink("倪家营子梨")).getbbox() is not None


# --------------------------------------------------------------------------
# The CJK font
# --------------------------------------------------------------------------


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


def test_the_chart_font_lists_latin_then_the_cjk_font():
    family = style.font_family()
    assert family.startswith(style.LATIN_FONT + ", ") and style.cjk_font() in family


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

    import matplotlib

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


def test_a_font_file_named_by_the_variable_is_where_chromium_looks(tmp_path, monkeypatch):
    """Chromium draws the images and finds fonts through fontconfig: while it draws, a font file
    outside fontconfig's folders, named by WRA_CJK_FONT, is in them."""
    import os
    import shutil
    import subprocess

    font = tmp_path / "fonts" / "named-cjk.ttc"
    font.parent.mkdir()
    shutil.copyfile(_cjk_font_file(), font)

    def listed() -> str:
        return subprocess.run(["fc-list", ":", "file"], capture_output=True, text=True, env=dict(os.environ)).stdout

    monkeypatch.delenv("FONTCONFIG_FILE", raising=False)
    assert str(font) not in listed()
    monkeypatch.setenv(style.FONT_ENV, str(font))
    with wra_charts._font_named_by_the_user(tmp_path):
        assert str(font) in listed()
    assert str(font) not in listed() and "FONTCONFIG_FILE" not in os.environ
