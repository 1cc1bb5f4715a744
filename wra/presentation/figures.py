"""One chart, one figure: the plotly figure a chart function returns, drawn for each width and theme.

A chart function builds one plotly ``go.Figure``. Everything the book shows of
the chart comes from that figure: the interactive chart, its static images
(first paint, print, the PDF, the front page) and their phone and dark
variants. So a change made to the figure, in its chart function or in a
notebook cell (``fig.update_layout(...)``, :func:`set_title`), reaches all of them.

The figure carries what the variants need in ``layout.meta["wra"]``:

* ``phone``: what the chart changes on a phone (:func:`on_phone`): a layout
  patch merged into the layout, annotations and traces patched or dropped by
  their ``name``;
* ``top``: pixels the chart needs above its plot besides the title (labels
  set above the axes), and ``top_phone`` on a phone if it differs;
* ``interactive``: False for a chart that is only ever an image (small
  multiples a reader does not explore);
* ``title`` / ``subtitle``: the plain title and subtitle, kept by
  :func:`variant` when it sets them for a width (so a finished figure can be
  finished again for another width).

:func:`variant` gives the figure as drawn at one of the house widths
(:data:`wra.presentation.style.WIDE`, :data:`~wra.presentation.style.PHONE`)
in one theme: the title and subtitle wrapped at word boundaries for that
width with the room above the plot they need, the house template of that
theme, every colour of the palette swapped for its dark twin in the dark
theme, and the phone patch on a phone. :func:`variants` gives all four. The
book's machinery (``wra_book.charts``) exports each variant's static image and
script; no code in the browser changes a chart.
"""

from __future__ import annotations

import copy
import html
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from wra.presentation import style
from wra.presentation.charts import _is_wide, title_lines, wrap

META = "wra"
#: the four drawings of every chart: (width, dark)
VARIANTS = {
    "wide-light": (style.WIDE, False),
    "wide-dark": (style.WIDE, True),
    "phone-light": (style.PHONE, False),
    "phone-dark": (style.PHONE, True),
}
#: keys whose strings are the data's words, never colours
TEXT_KEYS = frozenset(
    {"text", "hovertext", "hovertemplate", "texttemplate", "name", "customdata", "meta", "ids", "uid", "legendgroup"}
)
#: pixels between the top of a chart and its title
TITLE_PAD = 8
#: pixels between the title (or subtitle) and the plot
TITLE_GAP = 14
#: average advance of a character of the house fonts, as a share of the font size
#: (DejaVu Sans; a Chinese character counts as two, see charts.wrap)
CHAR_EM = 0.58
#: the same for the title's bold face (DejaVu Sans Bold runs about 0.60 em; a little to spare)
TITLE_EM = 0.62
#: height of a line of plotly text, as a share of the font size
LINE_EM = 1.3


def _own(fig) -> dict:
    """A copy of the chart's own settings in ``layout.meta["wra"]`` (of a ``go.Figure`` or its dict)."""
    meta = (fig.get("layout") or {}).get("meta") if isinstance(fig, Mapping) else fig.layout.meta
    return dict((meta if isinstance(meta, Mapping) else {}).get(META) or {})


def _set(fig, **settings):
    """Set some of the chart's own settings in ``layout.meta["wra"]``; returns ``fig``."""
    meta = fig.layout.meta
    meta = dict(meta) if isinstance(meta, Mapping) else {}
    meta[META] = {**(meta.get(META) or {}), **settings}
    fig.layout.meta = meta
    return fig


def on_phone(
    fig,
    layout: Mapping | None = None,
    *,
    annotations: Mapping[str, Mapping | None] | None = None,
    traces: Mapping[str, Mapping | None] | None = None,
):
    """Say how ``fig`` changes on a phone; returns ``fig``.

    ``layout`` is merged into the layout (nested dicts merge, other values
    replace). ``annotations`` and ``traces`` patch the annotations and traces
    with that ``name``; ``None`` leaves them out on a phone. Calls add up.
    """
    phone = copy.deepcopy(_own(fig).get("phone") or {})
    _merge(phone.setdefault("layout", {}), dict(layout or {}))
    phone.setdefault("annotations", {}).update(annotations or {})
    phone.setdefault("traces", {}).update(traces or {})
    return _set(fig, phone=phone)


def room_above(fig, pixels: int, phone: int | None = None):
    """Ask for ``pixels`` above the plot besides the title (labels set above the axes), and
    ``phone`` pixels on a phone if it needs other room there; returns ``fig``."""
    return _set(fig, top=int(pixels), **({} if phone is None else {"top_phone": int(phone)}))


def static_only(fig):
    """Mark ``fig`` as a chart that is only ever shown as an image (no interactive chart); returns ``fig``."""
    return _set(fig, interactive=False)


def is_interactive(fig) -> bool:
    """Whether the chart becomes interactive when reached (else it is only ever an image)."""
    return _own(fig).get("interactive", True)


def set_title(fig, title: str, subtitle: str | None = None):
    """Set the chart's title (its finding) and, if given, its subtitle; returns ``fig``.

    The subtitle stays as it was unless a new one is given. Title and subtitle
    are wrapped for each width when the chart is drawn, with the room above the
    plot they need: give them as plain text.
    """
    fig.update_layout(title_text=title)
    if subtitle is not None:
        fig.update_layout(title_subtitle_text=subtitle)
    return fig


def _merge(target: dict, patch: Mapping) -> dict:
    for key, value in patch.items():
        if isinstance(value, Mapping) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)
    return target


def _by_name(items: list, patches: Mapping[str, Mapping | None]) -> list:
    out = []
    for item in items:
        name = item.get("name")
        if name in patches:
            if patches[name] is None:
                continue
            item = _merge(copy.deepcopy(item), patches[name])
        out.append(item)
    return out


# Colours of the palette, light -> dark, as hex and as the "r,g,b" inside an rgba().
def _rgb(hex_colour: str) -> str:
    h = hex_colour.lstrip("#")
    return ",".join(str(int(h[i : i + 2], 16)) for i in (0, 2, 4))


_HEX_DARK = {style.COLORS[k].lower(): style.DARK[k] for k in style.COLORS}
_RGB_DARK = {_rgb(style.COLORS[k]): _rgb(style.DARK[k]) for k in style.COLORS}
_RGBA = re.compile(r"^rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*(,\s*[\d.]+\s*)?\)$")


def dark_colour(value: str) -> str:
    """The dark theme's twin of one colour of the palette (hex or rgb/rgba); other values unchanged."""
    hit = _HEX_DARK.get(value.lower())
    if hit is not None:
        return hit
    match = _RGBA.match(value.replace(" ", ""))
    if match:
        rgb = ",".join(match.group(i) for i in (1, 2, 3))
        if rgb in _RGB_DARK:
            alpha = match.group(4) or ""
            return f"rgba({_RGB_DARK[rgb]}{alpha})" if alpha else f"rgb({_RGB_DARK[rgb]})"
    return value


def _darken(value, key: str = ""):
    if key in TEXT_KEYS:
        return value
    if isinstance(value, str):
        return dark_colour(value)
    if isinstance(value, list):
        return [_darken(v) for v in value]
    if isinstance(value, dict):
        return {k: _darken(v, k) for k, v in value.items()}
    return value


def _balanced(text: str, chars: int) -> list[str]:
    """``text`` wrapped at ``chars`` columns, in lines as even as the same number of lines
    allows (no lone last word: "... fewer than 1,000" / "men,")."""
    lines = wrap(text, chars)
    while len(lines) > 1 and len(wrap(text, chars - 1)) == len(lines):
        chars -= 1
    return wrap(text, chars) if len(lines) > 1 else lines


def _title_html(title: str, subtitle: str, width: style.Width, toolbar: bool = True) -> tuple[str, int]:
    """The title (its finding in up to two parts, each wrapped) and the subtitle beneath, as
    plotly markup, and the pixels they take; ``toolbar``: leave the interactive chart's toolbar room."""
    room = width.width - (width.reserve if toolbar else 0) - 20
    head_chars = max(20, columns(room, width.title, TITLE_EM))
    sub_chars = max(24, columns(width.width - 20, width.subtitle))
    head = [line for part in title_lines(title) if part for line in _balanced(part, head_chars)] if title else []
    sub = _balanced(subtitle, sub_chars) if subtitle else []
    text = "<br>".join(f"<b>{html.escape(line, quote=False)}</b>" for line in head)
    if sub:
        lines = "<br>".join(html.escape(line, quote=False) for line in sub)
        text += ("<br>" if text else "") + f"<span style='font-size:{width.subtitle}px'>{lines}</span>"
    pixels = round(len(head) * width.title * 1.3 + len(sub) * width.subtitle * 1.35)
    return text, pixels


def title_room(title: str, subtitle: str = "", width: style.Width = style.WIDE, toolbar: bool = True) -> int:
    """Pixels above the plot that a title and subtitle take at ``width`` (as :func:`variant` sets them),
    for a chart that lays out its own panels below its title."""
    text, pixels = _title_html(title, subtitle, width, toolbar)
    return TITLE_PAD + pixels + TITLE_GAP if text else 20


def text_size(text: str, size: float, em: float = CHAR_EM, wide: float = 2 * CHAR_EM, pad: float = 0.0):
    """About how large a plotly text is drawn at ``size``: (width, height) in pixels. Its lines break at
    ``<br>`` or a newline, tags and entities take no room; a character takes ``em`` of the size, a
    Chinese character ``wide``; ``pad`` pixels around."""
    lines = [html.unescape(re.sub(r"<[^>]+>", "", line)) for line in re.split(r"<br\s*/?>|\n", str(text))]
    ems = [sum(wide if _is_wide(c) else em for c in line) for line in lines]
    return max(ems) * size + 2 * pad, len(lines) * size * LINE_EM + 2 * pad


def columns(pixels: float, size: float, em: float = CHAR_EM) -> int:
    """How many columns of text at ``size`` fit in ``pixels`` (a Chinese character takes two)."""
    return int(pixels / (size * em))


@dataclass(frozen=True)
class Frame:
    """A chart as drawn at one width, in CSS pixels: its side margins and the room its title takes."""

    width: style.Width
    left: int
    right: int
    top: int

    @property
    def plot(self) -> int:
        """The plot's width."""
        return self.width.width - self.left - self.right

    def size(self, plot: float, below: int, above: int = 0) -> dict:
        """Height and margins of the chart with a plot ``plot`` pixels high, ``below`` pixels under it
        and ``above`` over it besides the title."""
        return dict(height=round(self.top + above + plot + below), margin=dict(l=self.left, r=self.right, b=below))


def frames(title: str, subtitle: str, margins: Mapping[str, tuple[int, int]]) -> dict[str, Frame]:
    """The chart's :class:`Frame` at each width, by the width's name (``margins``: its left and right margins)."""
    return {w.name: Frame(w, *margins[w.name], title_room(title, subtitle, w)) for w in (style.WIDE, style.PHONE)}


def _plain(text) -> str:
    return str(text or "").replace("<br>", " ").replace("<br />", " ")


def as_json(fig) -> dict:
    """A figure (``go.Figure`` or dict, possibly holding numpy arrays and timestamps) as plain JSON data."""
    from plotly.io.json import to_json_plotly

    return json.loads(to_json_plotly(fig if isinstance(fig, Mapping) else fig.to_plotly_json()))


def variant(fig, width: style.Width = style.WIDE, dark: bool = False) -> dict:
    """The figure (a ``go.Figure`` or its dict) as drawn at ``width`` in the light or dark theme: a plotly dict."""
    spec = as_json(fig)
    layout = spec.setdefault("layout", {})
    meta = layout.setdefault("meta", {})
    if not isinstance(meta, dict):
        meta = layout["meta"] = {"value": meta}
    own = meta.setdefault(META, {})

    # the plain title and subtitle: from a finished figure's meta, else from the layout
    title = layout.get("title") or {}
    if isinstance(title, str):
        title = {"text": title}
    plain = own.get("title", _plain(title.get("text")))
    subtitle = own.get("subtitle", _plain((title.get("subtitle") or {}).get("text")))
    own.update(title=plain, subtitle=subtitle, drawing=f"{width.name}-{'dark' if dark else 'light'}")

    if width is style.PHONE:
        phone = own.get("phone") or {}
        _phone_defaults(layout, spec.get("data", []))
        _merge(layout, phone.get("layout") or {})
        if phone.get("annotations"):
            layout["annotations"] = _by_name(layout.get("annotations", []), phone["annotations"])
        if phone.get("traces"):
            spec["data"] = _by_name(spec.get("data", []), phone["traces"])

    layout["width"] = layout.get("width") if width is style.WIDE and layout.get("width") else width.width
    height = layout.setdefault("height", 450)
    text, pixels = _title_html(plain, subtitle, width, toolbar=own.get("interactive", True))
    # plotly.js sets a title's first line by its baseline at ``y`` (the lines after it
    # flow down): the baseline goes one line below the top pad
    down = dict(y=1 - (TITLE_PAD + width.title) / height, yref="container", yanchor="top")
    across = dict(x=0, xref="container", xanchor="left", pad=dict(t=0, l=12))
    layout["title"] = dict(text=text, **across, **down, font=dict(size=width.title))
    margin = layout.setdefault("margin", {})
    top = own.get("top_phone", own.get("top", 0)) if width is style.PHONE else own.get("top", 0)
    margin["t"] = TITLE_PAD + pixels + TITLE_GAP + int(top) if text else max(margin.get("t", 20), 20)
    layout.setdefault("font", {})
    layout["font"]["size"] = width.font
    layout["template"] = style.template(dark)
    if dark:
        spec["data"] = _darken(spec.get("data", []))
        for key, value in list(layout.items()):
            if key not in ("template", "meta"):
                layout[key] = _darken(value, key)
    return spec


def _phone_defaults(layout: dict, data: Iterable[Mapping]) -> None:
    """What every chart does on a phone: the legend below the plot, level date labels,
    monthly ticks every other month, narrow side margins."""
    legend = layout.setdefault("legend", {})
    legend.update(orientation="h", x=0, xanchor="left", y=-0.12, yanchor="top")
    axes = [k for k in layout if re.fullmatch(r"[xy]axis\d*", k)]
    axes += [f"{letter}axis{trace.get(f'{letter}axis', letter)[1:]}" for trace in data for letter in "xy"]
    for key in dict.fromkeys(axes):
        axis = layout.setdefault(key, {})
        if key.startswith("x"):
            axis.setdefault("tickangle", 0)
            every = re.fullmatch(r"M(\d+)", str(axis.get("dtick", "")))
            if every:
                axis["dtick"] = f"M{2 * int(every.group(1))}"
        axis["automargin"] = True
    margin = layout.setdefault("margin", {})
    margin["l"] = min(margin.get("l", 48), 48)
    margin["r"] = min(margin.get("r", 12), 12)


def variants(fig) -> dict[str, dict]:
    """The chart's four drawings, by name (:data:`VARIANTS`)."""
    return {name: variant(fig, width, dark) for name, (width, dark) in VARIANTS.items()}


def font_sizes(spec: Mapping) -> list[tuple[str, float]]:
    """Every explicit font size in a figure dict, with where it is (for the test that none is too small)."""
    found: list[tuple[str, float]] = []

    def walk(value, path: str) -> None:
        if isinstance(value, Mapping):
            for key, item in value.items():
                if key == "template":
                    continue
                if key == "font" and isinstance(item, Mapping) and isinstance(item.get("size"), int | float):
                    found.append((f"{path}.font", float(item["size"])))
                walk(item, f"{path}.{key}")
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f"{path}[{i}]")

    walk(spec, "fig")
    for match in re.finditer(r"font-size:\s*(\d+(?:\.\d+)?)px", str(spec)):
        found.append(("markup", float(match.group(1))))
    return found
