"""The house style: one place for matplotlib and plotly settings.

:func:`apply` is called by ``wra.setup()`` at the top of every notebook (in a
hidden cell). It

* sets matplotlib's rcParams: DejaVu Sans for Latin text with a CJK fallback
  font for Chinese, no mathtext (a ``$`` from the data stays a ``$``), and
  turns a missing glyph into an error, so a figure never shows boxes in place
  of characters;
* registers the plotly template ``"wra"`` and makes it the default;
* registers the plotly renderer ``"wra"`` (see :mod:`wra.presentation.plotly_html`) and makes
  it the default, so figures render offline in the book (and in Jupyter).

Colours are named here and only here; charts take them from :data:`COLORS`.
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path

# One palette for the book (colour-blind safe: Okabe & Ito).
COLORS = {
    "west": "#D55E00",  # vermillion: the march west
    "east": "#0072B2",  # blue: back east
    "north": "#009E73",  # green: north, to Ningxia
    "accent": "#CC79A7",  # reddish purple: men lost (strength), the army's actions (record)
    "hold": "#7F7F7F",
    "none": "#BBBBBB",
    "red": "#B2182B",  # the Red Army
    "ma": "#4D4D4D",  # the Ma forces
    "guide": "#9E9E9E",  # lines that are only a guide to the eye
    "ink": "#222222",
    "grid": "#E6E6E6",
    "water": "#8FBBD9",  # rivers on the route map
}

# Issuer groups, one colour each (the record and directives chapters).
GROUP_COLORS = {
    "central": "#0072B2",
    "zhang_guotao": "#E69F00",
    "army": "#D55E00",
}

# Dark mode (the theme's dark palette): what the book's charts change when a
# reader switches to it. ``_static/wra-charts.js`` merges ``layout`` into each
# plotly chart's layout and swaps each colour in ``colors`` (light -> dark),
# in data and layout alike, while the page is dark.
PLOTLY_DARK = {
    "layout": {
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "font": {"color": "#ced6dd"},
        "legend": {"bgcolor": "rgba(0,0,0,0)"},
        "hoverlabel": {"bgcolor": "#1e2228", "font": {"color": "#eef1f4"}, "bordercolor": "#58616b"},
    },
    "axis": {"gridcolor": "#353b43", "linecolor": "#8a949e", "tickcolor": "#8a949e", "zerolinecolor": "#353b43"},
    "colors": {
        COLORS["ink"]: "#ced6dd",
        COLORS["ma"]: "#a3a3a3",
        COLORS["grid"]: "#353b43",
        "white": "#14181e",
        "#ffffff": "#14181e",
        "#fff": "#14181e",
        "black": "#ced6dd",
        "#000000": "#ced6dd",
    },
}

# A chart narrower than ``width`` px (a phone) is drawn with this layout:
# larger text, the legend below the plot, horizontal date labels, titles
# wrapped, and the annotations named in ``drop_annotations`` left out (chart
# code names the annotations a phone can do without: the strength chart's
# notes on its headline figures, which the title and hover text carry).
PLOTLY_PHONE = {
    "width": 640,
    "font_size": 14,
    "title_chars": 38,
    "drop_annotations": ["headline-note"],
}

# Verdicts (the directives chapter's answer): blues for an order followed, orange and
# vermillion for one not followed, greys for verdicts counted apart (Okabe & Ito).
VERDICT_COLORS = {
    "complied": "#0072B2",
    "partly": "#56B4E9",
    "deviated": "#D55E00",
    "not_carried_out": "#E69F00",
    "apart": "#9E9E9E",
    "unassessed": "#D0D0D0",
}

LATIN_FONT = "DejaVu Sans"
CJK_FONTS = (
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Droid Sans Fallback",
)
#: names a CJK font file (.ttf, .otf, .ttc) or an installed family to use instead of CJK_FONTS
FONT_ENV = "WRA_CJK_FONT"
USER_FONT_DIR = "~/.local/share/fonts"
FONT_INSTALL_HINT = (
    "as root: apt-get install fonts-wqy-microhei. Without root: copy a CJK font file "
    f"(e.g. wqy-microhei.ttc, NotoSansCJK-Regular.ttc) into {USER_FONT_DIR}/, "
    f"or name one with {FONT_ENV}=/path/to/font.ttf"
)

PLOTLY_TEMPLATE = "wra"

_done = False


class _NoWeightFallbackNotice(logging.Filter):
    """Drop matplotlib's notice that the CJK font has no bold face.

    Latin text is bold in DejaVu Sans; Chinese falls back to the regular face,
    which is what a reader expects. Every other font message still shows (and,
    as stderr in a notebook, fails the build).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return "Failed to find font weight" not in record.getMessage()


class FontMissingError(RuntimeError):
    """No CJK font is installed, so Chinese would render as boxes."""


def _named_font(value: str) -> str:
    """The family of the font ``$WRA_CJK_FONT`` names: a font file (registered) or an installed family."""
    from matplotlib import font_manager

    path = Path(value).expanduser()
    if path.suffix.lower() in (".ttf", ".otf", ".ttc") or path.is_file():
        if not path.is_file():
            raise FontMissingError(f"{FONT_ENV}={value}: no such font file")
        from matplotlib import ft2font

        try:
            chinese = ft2font.FT2Font(str(path)).get_char_index(ord("西")) != 0
        except (RuntimeError, OSError, ValueError):  # FreeType cannot open it: not a font
            raise FontMissingError(
                f"{FONT_ENV}={value}: not a font file (FreeType cannot read it); name a .ttf, .otf or .ttc file"
            ) from None
        if not chinese:
            raise FontMissingError(f"{FONT_ENV}={value}: the font has no Chinese glyphs; name a CJK font")
        font_manager.fontManager.addfont(str(path))
        return font_manager.FontProperties(fname=str(path)).get_name()
    if value not in {f.name for f in font_manager.fontManager.ttflist}:
        raise FontMissingError(f"{FONT_ENV}={value}: no installed font family of that name")
    return value


def _installed_cjk_font() -> str | None:
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def cjk_font() -> str:
    """The CJK font family for Chinese: the one ``$WRA_CJK_FONT`` names, else the
    first installed family of :data:`CJK_FONTS` (system-wide or in ~/.local/share/fonts)."""
    from matplotlib import font_manager

    named = os.environ.get(FONT_ENV)
    if named:
        return _named_font(named)
    found = _installed_cjk_font()
    if found is None:
        # The font list is cached; a font installed after the cache was written is
        # not in it. Rebuild once before giving up.
        font_manager.fontManager = font_manager._load_fontmanager(try_read_cache=False)
        found = _installed_cjk_font()
    if found is None:
        raise FontMissingError(
            "No CJK font found (looked for: " + ", ".join(CJK_FONTS) + "). "
            f"Chinese labels would render as boxes. Install one: {FONT_INSTALL_HINT}"
        )
    return found


def matplotlib_rc() -> dict:
    """The rcParams of the house style."""
    return {
        # A list of families gives per-glyph fallback: Latin from DejaVu,
        # Chinese from the CJK font.
        "font.family": [LATIN_FONT, cjk_font()],
        "font.size": 10,
        "axes.titlesize": 11,
        "axes.titleweight": "bold",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.edgecolor": COLORS["ink"],
        "axes.grid": True,
        "grid.color": COLORS["grid"],
        "grid.linewidth": 0.8,
        "figure.figsize": (8.0, 4.5),
        "figure.dpi": 110,
        "savefig.dpi": 150,
        "savefig.bbox": "tight",
        "legend.frameon": False,
        "axes.axisbelow": True,
        "axes.unicode_minus": False,
        # Text from the data is text: "$...$" is never read as mathtext.
        "text.parse_math": False,
    }


def plotly_template():
    import plotly.graph_objects as go

    return go.layout.Template(
        layout=dict(
            font=dict(family=f"{LATIN_FONT}, {cjk_font()}, sans-serif", size=13, color=COLORS["ink"]),
            paper_bgcolor="white",
            plot_bgcolor="white",
            xaxis=dict(gridcolor=COLORS["grid"], linecolor=COLORS["ink"], zeroline=False),
            yaxis=dict(gridcolor=COLORS["grid"], linecolor=COLORS["ink"], zeroline=False),
            hoverlabel=dict(font=dict(family=f"{LATIN_FONT}, {cjk_font()}, sans-serif")),
            margin=dict(l=60, r=20, t=50, b=50),
            legend=dict(orientation="h", y=-0.2),
        )
    )


def apply(force: bool = False) -> None:
    """Apply the house style once per process (idempotent; ``force`` applies it again)."""
    global _done
    if _done and not force:
        return
    import matplotlib as mpl
    import plotly.io as pio

    from wra.presentation import plotly_html

    mpl.rcParams.update(matplotlib_rc())
    font_log = logging.getLogger("matplotlib.font_manager")
    if not any(isinstance(f, _NoWeightFallbackNotice) for f in font_log.filters):
        font_log.addFilter(_NoWeightFallbackNotice())
    # A glyph missing from every font is an error, never a box in a figure.
    warnings.filterwarnings("error", message=r"Glyph \d+ .*missing from font", category=UserWarning)

    pio.templates[PLOTLY_TEMPLATE] = plotly_template()
    pio.templates.default = "plotly_white+" + PLOTLY_TEMPLATE
    plotly_html.register()
    _done = True
