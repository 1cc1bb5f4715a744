"""Plotly charts in the built pages: one static plotly.js, each chart's script in a file.

* Keeps plotly's JSON output (``application/vnd.plotly.v1+json``, which the
  renderer emits for Jupyter beside the HTML) out of the pages:
  :class:`JsonForJupyter` is a myst-nb mime renderer, registered under the
  entry point group ``myst_nb.mime_renderers`` in ``pyproject.toml``.
* Copies the vendored partial plotly.js bundle (``wra_book/vendor/``, or the
  file named by the config value ``wra_plotly_js``) into the HTML output's
  ``_static/``. A page that holds a plotly chart (the renderer
  :mod:`wra.presentation.plotly_html` marks each one) names it in a
  ``<meta name="wra-plotly-js">``; ``_static/wra-charts.js`` (on every page,
  like every script in ``_static/``) fetches it only when a chart nears the
  viewport: a reader who never reaches a chart never downloads it.
* Moves each chart's data and drawing script out of the page into a small,
  content-addressed script under ``_static/`` + ``wra_figure_dir``, referenced
  by a script element of a type the browser does not run
  (:data:`DEFERRED_TYPE`); ``wra-charts.js`` loads it with plotly.js. Script
  files, not ``fetch``, so the book also works from ``file://``.
* Writes the house style's dark and phone layouts
  (:data:`wra.presentation.style.PLOTLY_DARK`, :data:`~wra.presentation.style.PLOTLY_PHONE`)
  into ``_static/wra/chart-style.js``, named by ``<meta name="wra-plotly-style">``;
  ``wra-charts.js`` fetches it with plotly.js and applies it to every chart
  while the theme is dark or the chart is phone-narrow.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path
from typing import ClassVar

from docutils import nodes

from wra.presentation.plotly_html import MARKER, PLOTLY_MIME
from wra.presentation.style import PLOTLY_DARK, PLOTLY_PHONE

PLOTLY_JS = "wra/plotly-basic.min.js"
#: the house style's layouts for charts (dark mode, phones), fetched with plotly.js
HOUSE_JS = "wra/chart-style.js"
#: a script type browsers do not run: the chart's script waits for wra-charts.js
DEFERRED_TYPE = "application/x-wra-chart"
VENDORED = Path(__file__).parent / "vendor" / "plotly-basic.min.js"
FIGURE_SCRIPT = re.compile(
    r'<script(?: type="text/javascript")?>\s*(window\.PLOTLYENV.*?Plotly\.newPlot.*?)</script>', re.DOTALL
)


class JsonForJupyter:
    """myst-nb mime renderer: plotly's JSON is for Jupyter; the book draws the HTML beside it.

    Without it myst-nb warns "skipping unknown output mime type" for every chart.
    """

    mime_priority_overrides: ClassVar[list] = [("*", PLOTLY_MIME, None)]

    @staticmethod
    def handle_mime(renderer, data, inline):
        if data.mime_type != PLOTLY_MIME:
            return None
        # A placeholder that is never chosen (priority None): the bundle keeps
        # the type, so a bundle holding nothing else still fails the build.
        return [nodes.comment("", "plotly JSON: drawn by Jupyter, not by the book")]


def plotly_js_version(path: Path = VENDORED) -> str:
    """The plotly.js version in the header comment of a bundle."""
    head = Path(path).read_text(encoding="utf-8", errors="replace")[:400]
    match = re.search(r"plotly\.js(?: \([^)]*\))? v(\d+\.\d+\.\d+)", head)
    if not match:
        raise ValueError(f"no plotly.js version in the header of {path}")
    return match.group(1)


def externalise_figures(body: str, write, url) -> str:
    """Replace each inline plotly drawing script by ``<script src>`` of a file holding it.

    ``write(name, text)`` stores a script; ``url(name)`` gives its address from the page.
    """

    def move(match: re.Match) -> str:
        script = match.group(1).strip() + "\n"
        name = hashlib.sha256(script.encode("utf-8")).hexdigest()[:20] + ".js"
        write(name, script)
        return f'<script type="{DEFERRED_TYPE}" data-src="{url(name)}"></script>'

    return FIGURE_SCRIPT.sub(move, body)


def _page_context(app, pagename, templatename, context, doctree):
    body = context.get("body", "")
    if MARKER not in body:
        return
    pathto = context["pathto"]
    context["metatags"] = (
        context.get("metatags", "")
        + f'\n<meta name="wra-plotly-js" content="{pathto(f"_static/{PLOTLY_JS}", 1)}">'
        + f'\n<meta name="wra-plotly-style" content="{pathto(f"_static/{HOUSE_JS}", 1)}">'
    )
    figures = app.config.wra_figure_dir.strip("/")
    folder = Path(app.outdir) / "_static" / figures
    folder.mkdir(parents=True, exist_ok=True)

    def write(name: str, text: str) -> None:
        target = folder / name
        if not target.exists():
            target.write_text(text, encoding="utf-8")

    context["body"] = externalise_figures(body, write, lambda name: pathto(f"_static/{figures}/{name}", 1))


def house_style_js() -> str:
    """The house style's dark and phone layouts for ``wra-charts.js``, as a script it loads with plotly.js."""
    house = {"dark": PLOTLY_DARK, "phone": PLOTLY_PHONE}
    return f"window.WRA_PLOTLY_STYLE = {json.dumps(house, sort_keys=True, separators=(',', ':'))};\n"


def _copy_plotly(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / PLOTLY_JS
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(app.config.wra_plotly_js, target)
    (Path(app.outdir) / "_static" / HOUSE_JS).write_text(house_style_js(), encoding="utf-8")


def setup(app):
    app.add_config_value("wra_plotly_js", str(VENDORED), "html", types=[str])
    app.add_config_value("wra_figure_dir", "wra/figures", "html", types=[str])
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _copy_plotly)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
