"""Each chart once: a static figure and its interactive twin become one figure.

A chapter draws each chart twice, in two cells: a static image (matplotlib,
named ``fig-X`` in the cell's ``mystnb: figure:`` metadata) and an interactive
plotly version (named ``fig-X-interactive``). Jupyter shows both cells. The
book shows one figure: this read-time transform moves the twin's output into
the static figure, inside a ``wra-live`` container, and removes the twin's own
figure, so the figures keep contiguous numbers and each chart is printed once.
On screen the static image shows first (instant, printable, readable without
scripts); ``_static/wra-charts.js`` replaces it by the interactive chart as it
nears the viewport, fetching plotly.js only then (see
:mod:`wra_book.plotly_assets`).

The twin's caption, from after its "Interactive version of Fig. N", is
kept in the figure as a note shown once the chart is interactive (what the
hover text gives). A ``{numref}`` to the twin's name points at the merged
figure. A twin without its static figure on the same page stops the build.

Images in figures get the first sentence of their caption as alt text (what
the chart shows), in place of myst-nb's file path; an image outside a figure
(a chart glued into another page) gets the opening of the paragraph after it. In the HTML book every
image loads lazily (``loading="lazy"``): a first visit fetches the images in
view, not every chart of a long chapter, and carries its size, so the page
keeps its place before it loads. (The single page that ``make pdf`` prints
loads them all.)
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

SUFFIX = "-interactive"
LIVE = "wra-live"
LIVE_NOTE = "wra-live-note"
FIGURE = "wra-twin"
_FILE_ALT = re.compile(r"(^|/)[^/\s]+\.(png|jpe?g|gif|svg|webp)$", re.IGNORECASE)
_SENTENCE = re.compile(r"^.{40,}?(?<!Fig)[.!?](?=\s|$)", re.DOTALL)


def first_sentence(text: str) -> str:
    """The caption's opening sentence, or sentences until at least 40 characters, whitespace collapsed."""
    text = " ".join(text.split())
    match = _SENTENCE.match(text)
    return (match.group(0) if match else text).strip()


def _caption(figure: nodes.figure) -> nodes.caption | None:
    for child in figure.children:
        if isinstance(child, nodes.caption):
            return child
    return None


def _note_from_caption(caption: nodes.caption) -> nodes.paragraph | None:
    """The twin's caption after "Interactive version of <ref>." (all of it if it has no such
    sentence; None if nothing is left)."""
    children = list(caption.children)
    for i, child in enumerate(children):
        if isinstance(child, addnodes.pending_xref | nodes.reference):
            head = "".join(c.astext() for c in children[:i]).strip().lower()
            if head.endswith("interactive version of"):
                # what comes before it (the finding) is in the static caption already
                children = children[i + 1 :]
                if children and isinstance(children[0], nodes.Text):
                    rest = re.sub(r"^[\s.,;:]+", "", str(children[0]))
                    children[0] = nodes.Text(rest[:1].upper() + rest[1:])
                break
    if not "".join(c.astext() for c in children).strip():
        return None
    return nodes.paragraph("", "", *[c.deepcopy() for c in children])


class MergeTwins(SphinxTransform):
    """Move each ``fig-X-interactive`` figure's output into figure ``fig-X``."""

    default_priority = 500

    def apply(self, **kwargs) -> None:
        figures = {}
        for figure in self.document.findall(nodes.figure):
            for name in figure["names"]:
                figures[name] = figure
        for name, twin in list(figures.items()):
            if not name.endswith(SUFFIX):
                continue
            static = figures.get(name[: -len(SUFFIX)])
            if static is None:
                logger.warning(
                    f"interactive figure {name!r} has no static figure {name[: -len(SUFFIX)]!r} on its page",
                    location=twin,
                    type="wra",
                    subtype="twin",
                )
                continue
            self.merge(static, twin, name)
        for figure in self.document.findall(nodes.figure):
            self.name_images(figure)

    def merge(self, static: nodes.figure, twin: nodes.figure, name: str) -> None:
        caption = _caption(twin)
        live = nodes.container(classes=[LIVE])
        live.extend(child.deepcopy() for child in twin.children if not isinstance(child, nodes.caption))
        position = static.index(_caption(static)) if _caption(static) is not None else len(static)
        static.insert(position, live)
        note = _note_from_caption(caption) if caption is not None else None
        if note is not None:
            static.append(nodes.container("", note, classes=[LIVE_NOTE]))
        static["classes"].append(FIGURE)
        # a reference to the twin's name now leads to the merged figure (which holds the number)
        target = static["ids"][0]
        for twin_id in twin["ids"]:
            self.document.ids.pop(twin_id, None)
        self.document.nameids[name] = target
        self.document.ids[target] = static
        # the twin's cell keeps its other outputs (none, in the book's chapters), without the figure
        parent = twin.parent
        parent.remove(twin)
        if isinstance(parent, nodes.container) and not parent.children:
            parent.parent.remove(parent)

    @staticmethod
    def name_images(figure: nodes.figure) -> None:
        caption = _caption(figure)
        if caption is None:
            return
        alt = first_sentence(caption.astext())
        for image in figure.findall(nodes.image):
            if _is_file_alt(image):
                image["alt"] = alt


def _is_file_alt(image: nodes.image) -> bool:
    current = image.get("alt", "")
    return not current or bool(_FILE_ALT.search(current)) or current == image.get("uri")


class NameLoneImages(SphinxPostTransform):
    """An image outside a figure (a chart glued into a page) says what it shows: the opening
    of the paragraph that follows it. Runs after myst-nb has put glued outputs in place."""

    default_priority = 900

    def run(self, **kwargs) -> None:
        for image in self.document.findall(nodes.image):
            if not _is_file_alt(image) or any(isinstance(a, nodes.figure) for a in _ancestors(image)):
                continue
            text = _following_paragraph(image)
            if text:
                image["alt"] = first_sentence(text)


def _ancestors(node: nodes.Node):
    while node.parent is not None:
        node = node.parent
        yield node


def _following_paragraph(node: nodes.Node, depth: int = 3) -> str:
    """The text of the first paragraph after ``node`` among its (or its ancestors') siblings."""
    for _ in range(depth):
        parent = node.parent
        if parent is None:
            return ""
        for sibling in parent.children[parent.index(node) + 1 :]:
            found = next(iter(sibling.findall(nodes.paragraph)), None)
            if found is not None:
                return found.astext()
        node = parent
    return ""


_IMG = re.compile(r"<img (?![^>]*\bloading=)([^>]*?)\bsrc=\"([^\"]+)\"")


def png_size(path: Path) -> tuple[int, int] | None:
    """A PNG file's (width, height) in pixels, from its header (None if not a PNG)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(24)
    except OSError:
        return None
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def lazy_images(body: str, size=lambda src: None) -> str:
    """Every ``<img>`` in a page body without a ``loading`` attribute loads lazily.

    ``size(src)`` gives the image's (width, height), written as attributes so
    the page keeps the image's place before it loads (no jump as it arrives).
    """

    def attrs(match: re.Match) -> str:
        rest, src = match.group(1), match.group(2)
        dims = size(src) if "width=" not in rest else None
        wh = f'width="{dims[0]}" height="{dims[1]}" ' if dims else ""
        return f'<img loading="lazy" {wh}{rest}src="{src}"'

    return _IMG.sub(attrs, body)


def _page_context(app, pagename, templatename, context, doctree):
    if app.builder.name != "html" or "body" not in context:
        return
    sources = {dest: src for src, dest in getattr(app.builder, "images", {}).items()}

    # where an image of the page is before the build copies it into _images/: the
    # builder's record, or (glued from another page) myst-nb's output folder
    outputs = Path(app.outdir).parent / "jupyter_execute"

    def size(src: str):
        name = src.rsplit("/", 1)[-1]
        places = [Path(app.srcdir) / sources[name]] if name in sources else []
        places += [Path(app.outdir) / "_images" / name, outputs / name]
        return next((dims for dims in map(png_size, places) if dims), None)

    context["body"] = lazy_images(context["body"], size)


def setup(app):
    app.add_transform(MergeTwins)
    app.add_post_transform(NameLoneImages)
    app.connect("html-page-context", _page_context)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
