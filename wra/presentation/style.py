"""The house style: every colour, font and size the book's charts use, in one place.

Every chart is a plotly figure (see :mod:`wra.presentation.figures`). The
house style is its template, its palette and the sizes of the two widths a
chart is drawn for:

* :data:`COLORS` names every colour a chart may use, and :data:`DARK` gives
  each the colour it takes while the reader's theme is dark. Chart code takes
  colours from these dictionaries only (``tests/test_style.py`` fails on a
  colour literal anywhere else in the presentation code);
  :data:`GROUP_COLORS` and :data:`VERDICT_COLORS` name entries of
  :data:`COLORS`, they add no colour of their own;
* :func:`template` is the plotly template, light or dark;
* :data:`WIDE` and :data:`PHONE` are the two widths every chart is drawn at
  (the static images and the interactive chart alike).

:func:`apply` is called by ``wra.setup()`` at the top of every notebook (in a
hidden cell): it registers the template and the book's renderer
(:mod:`wra.presentation.plotly_html`) as plotly's defaults. The CJK font
(:func:`cjk_font`) is the one the static images are drawn in.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# One palette for the book (colour-blind safe: Okabe & Ito, with greys).
COLORS = {
    "west": "#D55E00",  # vermilion: the march west
    "east": "#0072B2",  # blue: back east
    "north": "#009E73",  # green: north, to Ningxia
    "orange": "#E69F00",  # orange: Zhang Guotao's directives, orders not carried out
    "sky": "#56B4E9",  # sky blue: orders followed in part, the Right Detachment
    "accent": "#CC79A7",  # reddish purple: men lost (strength), the army's actions (record)
    "hold": "#7F7F7F",
    "none": "#BBBBBB",
    "red": "#B2182B",  # the Red Army
    "ma": "#4D4D4D",  # the Ma forces
    "guide": "#9E9E9E",  # lines that are only a guide to the eye
    "faint": "#D0D0D0",  # what is drawn only to be seen past (unassessed verdicts)
    "ink": "#222222",  # text, axes, marks that carry no category
    "muted": "#666666",  # secondary text: context places, notes
    "grid": "#E6E6E6",
    "land": "#EEEEEE",  # the locator map's land
    "water": "#8FBBD9",  # rivers on the route map
    "paper": "#FFFFFF",  # the chart's background, and the halo behind labels
}

# The same colours while the reader's theme is dark (pydata-sphinx-theme's dark
# background is #14181e): light text and lines, the categories lightened so they
# stand out from the dark page as they do from white.
DARK = {
    "west": "#F0884A",
    "east": "#56A8E0",
    "north": "#3DC49C",
    "orange": "#F2B73A",
    "sky": "#8CCDF2",
    "accent": "#E2A3C8",
    "hold": "#A0A0A0",
    "none": "#6E6E6E",
    "red": "#EE6674",
    "ma": "#B8B8B8",
    "guide": "#8A8A8A",
    "faint": "#4A4F55",
    "ink": "#CED6DD",
    "muted": "#A0A8B0",
    "grid": "#353B43",
    "land": "#2A3038",
    "water": "#3F6F92",
    "paper": "#14181E",
}

# Issuer groups, one colour each (the record and directives chapters).
GROUP_COLORS = {
    "central": COLORS["east"],
    "zhang_guotao": COLORS["orange"],
    "army": COLORS["west"],
}

# Verdicts (the directives chapter's answer): blues for an order followed, orange and
# vermilion for one not followed, greys for verdicts counted apart.
VERDICT_COLORS = {
    "complied": COLORS["east"],
    "partly": COLORS["sky"],
    "deviated": COLORS["west"],
    "not_carried_out": COLORS["orange"],
    "apart": COLORS["guide"],
    "unassessed": COLORS["faint"],
}


@dataclass(frozen=True)
class Width:
    """One of the two widths a chart is drawn at.

    ``width`` is the static image's width in CSS pixels (the interactive chart
    fills its column instead); ``font`` the base text size; ``title`` and
    ``subtitle`` the title's sizes; ``reserve`` the pixels at the right of the
    title kept free for the interactive chart's toolbar.
    """

    name: str
    width: int
    font: int
    title: int
    subtitle: int
    reserve: int


#: a laptop or desktop: the article column of the book at 1366 px is about 760 px
WIDE = Width("wide", width=760, font=13, title=17, subtitle=13, reserve=130)
#: a phone: 390 px less the page's margins; no toolbar (config in plotly_html)
PHONE = Width("phone", width=360, font=12, title=15, subtitle=12, reserve=0)
#: the widest screen that gets the phone drawing (CSS pixels, the viewport's width)
PHONE_MAX = 640
#: no text in a chart smaller than this (CSS px), at either width
MIN_FONT = 10
#: static images are exported at this many device pixels per CSS pixel
SCALE = 2

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


def font_family() -> str:
    """The CSS font list of every chart: Latin from DejaVu Sans, Chinese from the CJK font."""
    return f"{LATIN_FONT}, {cjk_font()}, sans-serif"


def rgba(name: str, alpha: float) -> str:
    """A colour of the palette with some transparency, as ``rgba()`` (the dark drawing swaps it for
    its dark twin with the same transparency)."""
    h = COLORS[name].lstrip("#")
    return "rgba({},{},{},{})".format(*(int(h[i : i + 2], 16) for i in (0, 2, 4)), alpha)


def palette(dark: bool = False) -> dict[str, str]:
    """The colours by name, for the light or the dark theme."""
    return DARK if dark else COLORS


def template(dark: bool = False) -> dict:
    """The plotly template of the house style (a plain dict), light or dark.

    Light charts sit on white (so they print); dark charts on a transparent
    background, so they take the page's own.
    """
    c = palette(dark)
    axis = dict(
        gridcolor=c["grid"],
        linecolor=c["ink"],
        tickcolor=c["ink"],
        zerolinecolor=c["grid"],
        zeroline=False,
        showline=True,
        ticks="outside",
        title=dict(standoff=8),
    )
    background = "rgba(0,0,0,0)" if dark else c["paper"]
    return dict(
        layout=dict(
            font=dict(family=font_family(), size=WIDE.font, color=c["ink"]),
            paper_bgcolor=background,
            plot_bgcolor=background,
            colorway=[c[k] for k in ("west", "east", "north", "orange", "sky", "accent", "red", "ma")],
            xaxis=axis,
            yaxis=axis,
            hoverlabel=dict(
                font=dict(family=font_family(), size=12, color=c["ink"]),
                bgcolor=c["paper"],
                bordercolor=c["guide"],
                align="left",
            ),
            legend=dict(bgcolor="rgba(0,0,0,0)", font=dict(size=12)),
            margin=dict(l=60, r=20, t=40, b=50),
            hovermode="closest",
            separators=".,",
        )
    )


def apply(force: bool = False) -> None:
    """Make the house template and the book's renderer plotly's defaults (once per process;
    ``force`` applies them again)."""
    global _done
    if _done and not force:
        return
    import plotly.graph_objects as go
    import plotly.io as pio

    from wra.presentation import plotly_html

    pio.templates[PLOTLY_TEMPLATE] = go.layout.Template(template())
    pio.templates.default = PLOTLY_TEMPLATE
    plotly_html.register()
    _done = True
