"""Each chart once: one plotly figure, shown as an image first and drawn as a chart when reached.

A notebook cell shows a chart as plotly's JSON (the renderer of
:mod:`wra.presentation.plotly_html`). This feature makes everything the book
shows of it from that one figure:

* :class:`ChartRenderer`, a myst-nb mime renderer (entry point in
  ``pyproject.toml``), turns the JSON into the chart's four drawings
  (:func:`wra.presentation.figures.variants`: laptop and phone widths, light and
  dark themes), stores each in the chart cache (``_build/.wra_charts/``, keyed
  by its content) and puts a :class:`chart` node in the page;
* at the end of the build :func:`export` draws the static image of every
  drawing the cache does not hold yet, in one kaleido session driving the
  book's Chromium with the book's own plotly.js (so the image is what the
  reader's browser draws), and copies the images and the charts' scripts into
  the site: images under ``_images/``, scripts under ``_static/`` +
  ``wra_chart_dir``, plotly.js under ``_static/wra/``;
* a chart's HTML is two ``<picture>`` elements, light and dark (CSS shows the
  one of the reader's theme), each with its phone drawing as a ``<source>``
  for narrow screens: the first paint, print and the PDF are the image. For an
  interactive chart four deferred script elements name its drawings;
  ``_static/wra-charts.js`` loads plotly.js and the script of the drawing for
  the reader's width and theme when the reader reaches the chart, and draws it
  in the image's place. A chart that is only an image (``static_only``, or
  glued into another page, such as the front page) opens full size on a tap
  instead.

Images say what they show: the opening of their figure's caption, or (a chart
glued into another page) of the paragraph after them.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import os
import re
import shutil
from pathlib import Path
from typing import ClassVar

from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from wra.presentation import figures, plotly_html, style
from wra_book import chromium, pages

logger = logging.getLogger(__name__)

PLOTLY_JS = "wra/plotly-basic.min.js"
VENDORED = Path(__file__).parent / "vendor" / "plotly-basic.min.js"
#: a script type browsers do not run: the chart's drawing waits for wra-charts.js
DEFERRED_TYPE = "text/x-wra-chart"
CACHE = ".wra_charts"
#: hex digits of a drawing's content key (64 bits: no two drawings of a book share one)
KEY_LENGTH = 16
IMAGE_PREFIX = "wra-chart-"
_FILE_ALT = re.compile(r"(^|/)[^/\s]+\.(png|jpe?g|gif|svg|webp)$", re.IGNORECASE)
_SENTENCE = re.compile(r"^.{40,}?(?<!Fig)[.!?](?=\s|$)", re.DOTALL)


class chart(nodes.General, nodes.Element):
    """A chart: ``drawings`` maps each variant's name to its content hash and size."""


def plotly_js_version(path: Path = VENDORED) -> str:
    """The plotly.js version in the header comment of a bundle."""
    head = Path(path).read_text(encoding="utf-8", errors="replace")[:400]
    match = re.search(r"plotly\.js(?: \([^)]*\))? v(\d+\.\d+\.\d+)", head)
    if not match:
        raise ValueError(f"no plotly.js version in the header of {path}")
    return match.group(1)


def cache_dir(app) -> Path:
    return Path(app.outdir).parent / CACHE


def _digest(spec: dict) -> str:
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    salt = f"scale={style.SCALE};plotly.js={plotly_js_version()}"
    return hashlib.sha256((salt + text).encode("utf-8")).hexdigest()[:KEY_LENGTH]


def store(folder: Path, fig) -> dict:
    """Store the four drawings of ``fig`` in ``folder``; return the node's attributes."""
    plotly_html.check_traces(fig)
    folder.mkdir(parents=True, exist_ok=True)
    drawings = {}
    for name, spec in figures.variants(fig).items():
        key = _digest(spec)
        target = folder / f"{key}.json"
        if not target.exists():
            tmp = target.with_suffix(".tmp")
            tmp.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
            tmp.replace(target)
        layout = spec["layout"]
        drawings[name] = {"key": key, "width": int(layout["width"]), "height": int(layout.get("height") or 450)}
    title = spec["layout"]["meta"][figures.META].get("title", "")
    return {"drawings": drawings, "interactive": figures.is_interactive(fig), "title": title}


def charts_of(env) -> dict[str, set[str]]:
    """docname -> the content keys of the drawings its charts use."""
    if not hasattr(env, "wra_charts"):
        env.wra_charts = {}
    return env.wra_charts


def live_of(env) -> dict[str, set[str]]:
    """docname -> the content keys of the drawings its interactive charts draw (each needs its script)."""
    if not hasattr(env, "wra_live_charts"):
        env.wra_live_charts = {}
    return env.wra_live_charts


class ChartRenderer:
    """myst-nb mime renderer: a plotly figure becomes a :class:`chart` (its images, then the chart)."""

    mime_priority_overrides: ClassVar[list] = [("*", plotly_html.PLOTLY_MIME, 1)]

    @staticmethod
    def handle_mime(renderer, data, inline):
        if data.mime_type != plotly_html.PLOTLY_MIME:
            return None
        env = renderer.renderer.sphinx_env
        content = data.content if isinstance(data.content, dict) else json.loads(data.string)
        try:
            attrs = store(cache_dir(env.app), content)
        except plotly_html.UnsupportedTraceError as exc:
            renderer.logger.warning(str(exc), subtype="chart", line=data.line)
            return []
        charts_of(env).setdefault(env.docname, set()).update(d["key"] for d in attrs["drawings"].values())
        # a chart glued into another page (the front page: no cell of its own) is its image;
        # it is interactive in its chapter
        if data.cell_index is None:
            attrs["interactive"] = False
        if attrs["interactive"]:
            live_of(env).setdefault(env.docname, set()).update(d["key"] for d in attrs["drawings"].values())
        return [chart("", **attrs)]


def _first_sentence(text: str) -> str:
    """The caption's opening sentence, or sentences until at least 40 characters, whitespace collapsed."""
    text = " ".join(text.split())
    match = _SENTENCE.match(text)
    return (match.group(0) if match else text).strip()


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


class NameCharts(SphinxPostTransform):
    """Each chart says what it shows: its title (the finding it states), else the opening of its
    figure's caption, else of the paragraph after it. Runs after myst-nb has put glued outputs in place."""

    default_priority = 900

    def run(self, **kwargs) -> None:
        for node in self.document.findall(chart):
            if node.get("title"):
                node["alt"] = node["title"]
                continue
            figure = next((a for a in _ancestors(node) if isinstance(a, nodes.figure)), None)
            caption = next(iter(figure.findall(nodes.caption)), None) if figure is not None else None
            text = caption.astext() if caption is not None else _following_paragraph(node)
            node["alt"] = _first_sentence(text) if text else "A chart"


class GluedCharts(SphinxPostTransform):
    """A chart glued into another page (``{glue}`` with ``:doc:``: the front page) is its image.

    myst-nb pastes only text, HTML and images across pages (it would show the
    chart's text/plain); so before it does (its transform runs at priority 5),
    each pasted output that holds a chart becomes a :class:`chart`, drawn from
    the same plotly JSON as in its chapter (the same drawings, already drawn).
    """

    default_priority = 4

    def run(self, **kwargs) -> None:
        from myst_nb.ext.glue.crossref import read_glue_cache
        from myst_nb.ext.glue.utils import PendingGlueReference

        folder = self.env.mystnb_config.output_folder
        for node in list(self.document.findall(PendingGlueReference)):
            output = read_glue_cache(folder, node.refdoc).get(node.key) or {}
            content = output.get("data", {}).get(plotly_html.PLOTLY_MIME)
            if node.gtype == "text" or content is None:
                continue
            attrs = store(cache_dir(self.app), content if isinstance(content, dict) else json.loads(content))
            charts_of(self.env).setdefault(self.env.docname, set()).update(d["key"] for d in attrs["drawings"].values())
            node.replace_self(chart("", **{**attrs, "interactive": False}))


def _ancestors(node: nodes.Node):
    while node.parent is not None:
        node = node.parent
        yield node


def _attr(value) -> str:
    return str(value).replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def chart_html(attrs: dict, images: str, scripts: str, *, lazy: bool = True, variants: bool = True) -> str:
    """The HTML of one chart: ``images`` and ``scripts`` are the paths of the two folders from the page."""
    drawings = attrs["drawings"]
    alt = _attr(attrs.get("alt") or "A chart")
    loading = ' loading="lazy"' if lazy else ""

    def src(name: str) -> str:
        return f"{images}/{IMAGE_PREFIX}{drawings[name]['key']}.png"

    def size(name: str) -> str:
        return f'width="{drawings[name]["width"]}" height="{drawings[name]["height"]}"'

    def picture(theme: str) -> str:
        phone = (
            f'<source media="screen and (max-width: {style.PHONE_MAX}px)" srcset="{src("phone-" + theme)}" '
            f"{size('phone-' + theme)}>"
            if variants
            else ""
        )
        img = f'<img src="{src("wide-" + theme)}" {size("wide-" + theme)} alt="{alt}"{loading}>'
        return f'<picture class="wra-{theme}">{phone}{img}</picture>'

    pictures = picture("light") + (picture("dark") if variants else "")
    if not attrs.get("interactive", True):
        # an image only: a tap opens it full size
        pictures = (
            f'<a class="wra-chart-full" href="{src("wide-light")}" title="Open the image full size">{pictures}</a>'
        )
        return f'<div class="wra-chart wra-static">{pictures}</div>'
    deferred = "".join(
        f'<script type="{DEFERRED_TYPE}" data-variant="{name}" data-src="{scripts}/{d["key"]}.js"></script>'
        for name, d in drawings.items()
    )
    return f'<div class="wra-chart wra-interactive">{pictures}{deferred}</div>'


def _visit_html(self, node: chart) -> None:
    images = self.builder.imgpath
    static = images.rsplit("_images", 1)[0] + "_static/" + self.builder.config.wra_chart_dir.strip("/")
    single = self.builder.name != "html"
    self.body.append(chart_html(node.attributes, images, static, lazy=not single, variants=not single))
    raise nodes.SkipNode


def _skip(self, node) -> None:
    raise nodes.SkipNode


def script_text(key: str, spec: dict, phone: bool) -> str:
    """A drawing's script: its data, layout and config, handed to wra-charts.js."""
    live = json.loads(json.dumps(spec))
    live["layout"].pop("width", None)
    live["layout"]["autosize"] = True
    live["config"] = plotly_html.PHONE_CONFIG if phone else plotly_html.CONFIG
    return f'window.wraChart("{key}", {json.dumps(live, ensure_ascii=False, separators=(",", ":"))});\n'


def _kaleido_jobs(folder: Path, keys: list[str]) -> list[dict]:
    jobs = []
    for key in keys:
        spec = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
        layout = spec["layout"]
        opts = {"format": "png", "scale": style.SCALE, "width": layout["width"], "height": layout.get("height") or 450}
        jobs.append({"fig": spec, "path": str(folder / f"{key}.png.tmp"), "opts": opts})
    return jobs


@contextlib.contextmanager
def _font_named_by_the_user(folder: Path):
    """Chromium finds fonts through fontconfig: a font file named by ``$WRA_CJK_FONT`` (which
    matplotlib registers by its path) is added to fontconfig's folders while the images are drawn."""
    named = os.environ.get(style.FONT_ENV)
    path = Path(named).expanduser() if named else None
    if path is None or not path.is_file():
        yield
        return
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{html.escape(str(path.resolve().parent))}</dir>\n"
        f"  <cachedir>{html.escape(str(folder / 'fontconfig'))}</cachedir>\n</fontconfig>\n",
        encoding="utf-8",
    )
    before = os.environ.get("FONTCONFIG_FILE")
    os.environ["FONTCONFIG_FILE"] = str(conf)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("FONTCONFIG_FILE", None)
        else:
            os.environ["FONTCONFIG_FILE"] = before


#: seconds kaleido may go without finishing an image before its Chromium is taken as hung
STALL_SECONDS = 120
#: sessions tried before the build stops
EXPORT_TRIES = 3
#: the module a session runs (``python -m``): this one, whose ``__main__`` calls :func:`_draw`
DRAWER = "wra_book.charts"


def export(folder: Path, keys: list[str], plotly_js: Path = VENDORED) -> list[str]:
    """Draw the static image of each drawing in ``folder`` whose PNG is missing; return their keys.

    kaleido draws them in Chromium, with the book's plotly.js and no MathJax (nothing is fetched
    from elsewhere), in a process of its own (``python -m wra_book.charts``). Chromium now and then
    hangs as it starts: a session that finishes no image for :data:`STALL_SECONDS` is killed with its
    browser, and a new one draws what is left, up to :data:`EXPORT_TRIES` sessions; then the build
    stops with one line.
    """
    missing = [key for key in keys if not (folder / f"{key}.png").exists()]
    if not missing:
        return []
    browser = chromium.require()
    for key in missing:  # what a session killed earlier may have left half written
        (folder / f"{key}.png.tmp").unlink(missing_ok=True)
    for tries in range(1, EXPORT_TRIES + 1):
        left = [key for key in missing if not _whole(folder / f"{key}.png.tmp")]
        if not left:
            break
        with _font_named_by_the_user(folder):
            problem = _session(folder, left, plotly_js, browser)
        if problem and tries == EXPORT_TRIES:
            raise ExtensionError(f"kaleido drew no image for {len(left)} chart drawing(s), {tries} times: {problem}")
        if problem:
            # said, not warned: a retry that draws them is no fault of the book (-W would fail the build)
            logger.info(f"chart images: {problem}; trying again")
    for key in missing:
        tmp = folder / f"{key}.png.tmp"
        if not tmp.exists():
            raise ExtensionError(f"kaleido drew no image for chart drawing {key}")
        _palette(tmp, folder / f"{key}.png")
        tmp.unlink()
    return missing


def _whole(path: Path) -> bool:
    """True if ``path`` is a PNG that reads to its end (a session killed while writing leaves less)."""
    if not path.exists():
        return False
    from PIL import Image

    try:
        with Image.open(path) as image:
            image.load()
    except (OSError, SyntaxError, ValueError):
        path.unlink()
        return False
    return True


def _session(folder: Path, keys: list[str], plotly_js: Path, browser: str) -> str | None:
    """One kaleido process drawing ``keys``; what went wrong, or None when it drew them all."""
    import signal
    import subprocess
    import sys
    import tempfile
    import time

    done = lambda: sum((folder / f"{key}.png.tmp").exists() for key in keys)  # noqa: E731
    command = [sys.executable, "-m", DRAWER, str(folder), str(plotly_js), browser, *keys]
    with tempfile.TemporaryFile() as err:
        here = str(Path(__file__).resolve().parent.parent)  # wra_book importable wherever the build runs
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [here, os.environ.get("PYTHONPATH")]))}
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err, env=env, start_new_session=True)
        seen, since = done(), time.monotonic()
        while proc.poll() is None:
            time.sleep(0.5)
            if done() != seen:
                seen, since = done(), time.monotonic()
            elif time.monotonic() - since > STALL_SECONDS:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)  # kaleido and the Chromium it started
                proc.wait()
                return f"no image finished in {STALL_SECONDS} s (Chromium hung), {seen} of {len(keys)} drawn"
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").strip().splitlines()
    if proc.returncode != 0:
        return f"kaleido stopped with exit code {proc.returncode}: {lines[-1] if lines else 'no message'}"
    return None if done() == len(keys) else f"{done()} of {len(keys)} drawn"


def _draw(folder: Path, plotly_js: Path, browser: str, keys: list[str]) -> None:
    """The kaleido session itself (run by :func:`_session` in a process of its own)."""
    import asyncio

    import kaleido

    jobs = _kaleido_jobs(folder, keys)
    workers = max(1, min(4, os.cpu_count() or 1))
    os.environ.setdefault("BROWSER_PATH", browser)

    async def run():
        async with kaleido.Kaleido(n=workers, path=browser, plotlyjs=str(plotly_js), mathjax=False, timeout=120) as k:
            return await k.write_fig_from_object(jobs, cancel_on_error=True)

    asyncio.run(run())


def _palette(source: Path, target: Path) -> None:
    """A chart's PNG in 256 colours (its flat colours and their edges need no more): a quarter
    of the bytes of the full-colour image a reader would otherwise fetch."""
    from PIL import Image

    with Image.open(source) as image:
        quantized = image.convert("RGBA").quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
        quantized.save(target, format="PNG", optimize=True)


def _finish(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    static = outdir / "_static"
    pages.copy_if_changed(app.config.wra_plotly_js, static / PLOTLY_JS)
    folder = cache_dir(app)
    keys = sorted({key for used in charts_of(app.env).values() for key in used})
    missing = [key for key in keys if not (folder / f"{key}.json").exists()]
    if missing:
        # the cache was cleared since the pages were read: read them again next time
        app.env.wra_charts = {}
        raise ExtensionError(
            f"{len(missing)} chart drawing(s) missing from {folder}: run `make book` again (the pages are re-read)"
        )
    try:
        drawn = export(folder, keys, Path(app.config.wra_plotly_js))
    except chromium.ChromiumMissingError as exc:
        raise ExtensionError(f"the charts' static images need Chromium: {exc}") from exc
    if drawn:
        logger.info(f"drew {len(drawn)} chart image(s)")
    images = outdir / "_images"
    images.mkdir(parents=True, exist_ok=True)
    scripts = static / app.config.wra_chart_dir.strip("/")
    scripts.mkdir(parents=True, exist_ok=True)
    live = {key for used in live_of(app.env).values() for key in used}
    for key in keys:
        target = images / f"{IMAGE_PREFIX}{key}.png"
        if not target.exists():
            shutil.copyfile(folder / f"{key}.png", target)
        script = scripts / f"{key}.js"
        # (a chart that is only an image needs no script)
        if key in live and not script.exists():
            spec = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
            drawing = spec["layout"]["meta"][figures.META]["drawing"]
            script.write_text(script_text(key, spec, phone=drawing.startswith("phone")), encoding="utf-8")


def _page_context(app, pagename, templatename, context, doctree):
    # plotly.js is named (for wra-charts.js to fetch) on a page with an interactive chart only
    if doctree is None or not any(node.get("interactive", True) for node in doctree.findall(chart)):
        return
    context["metatags"] = (
        context.get("metatags", "")
        + f'\n<meta name="wra-plotly-js" content="{context["pathto"](f"_static/{PLOTLY_JS}", 1)}">'
    )


def _purge(app, env, docname):
    charts_of(env).pop(docname, None)
    live_of(env).pop(docname, None)


def _merge(app, env, docnames, other):
    charts_of(env).update({d: v for d, v in charts_of(other).items() if d in docnames})
    live_of(env).update({d: v for d, v in live_of(other).items() if d in docnames})


def setup(app):
    app.add_config_value("wra_plotly_js", str(VENDORED), "html", types=[str])
    app.add_config_value("wra_chart_dir", "wra/charts", "html", types=[str])
    app.add_node(
        chart,
        # (the "html" handlers serve every HTML builder; one named "singlehtml" would hide the
        # html handlers of every other extension's nodes from the single-page build)
        html=(_visit_html, None),
        latex=(_skip, None),
        text=(_skip, None),
        man=(_skip, None),
        texinfo=(_skip, None),
    )
    app.add_post_transform(GluedCharts)
    app.add_post_transform(NameCharts)
    app.connect("html-page-context", _page_context)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    # before wra_book.stale prunes what no page uses (priority 500)
    app.connect("build-finished", _finish, priority=400)
    # env_version 2: the environment also records which drawings are interactive (live_of)
    return {"version": "1", "env_version": 2, "parallel_read_safe": True, "parallel_write_safe": True}


def draw(fig, folder: Path | str) -> dict[str, Path]:
    """The four static images of ``fig`` (for a look at a chart outside the book, and for tests):
    variant name -> PNG path, drawn into ``folder`` as the book draws them."""
    folder = Path(folder)
    attrs = store(folder, fig)
    export(folder, [d["key"] for d in attrs["drawings"].values()])
    return {name: folder / f"{d['key']}.png" for name, d in attrs["drawings"].items()}


if __name__ == "__main__":  # python -m wra_book.charts FOLDER PLOTLY_JS BROWSER KEY...: see _session
    import sys

    _draw(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4:])
