"""Plotly figures as offline HTML in the book.

Under myst-nb, plotly's default renderer emits only its JSON mime type, which
Jupyter Book 1 cannot display, and the ``notebook`` renderers either inline the
4.8 MB plotly.js into every page or load it from a CDN. The renderer here emits
each figure as a ``<div>`` with its own small script and *no* plotly.js; the
book's Sphinx extension (:mod:`wra_book.plotly_assets`) adds the book's own
static copy of plotly.js, once, to exactly the pages that hold a chart.

Beside that HTML the renderer emits plotly's own output
(``application/vnd.plotly.v1+json``), which JupyterLab (its plotly extension
ships with the plotly package) and VS Code draw as interactive charts. The book
never shows that part: ``wra_book.plotly_assets.JsonForJupyter``, a myst-nb
mime renderer (entry point in ``pyproject.toml``), keeps it out of the pages
without a warning, and ``nb_mime_priority_overrides`` in ``_config.yml`` ranks
it below everything. An output that has *only* the JSON still stops the build
(myst-nb: "No mime type available"), so a chart never silently disappears.
"""

from __future__ import annotations

import plotly.io as pio
from plotly.io._base_renderers import MimetypeRenderer, PlotlyRenderer

RENDERER = "wra"
PLOTLY_MIME = "application/vnd.plotly.v1+json"
# Marker class on the wrapper div: the Sphinx extension looks for it.
MARKER = "wra-plotly"
# The trace types of the vendored partial bundle (wra_book/vendor/README.md).
SUPPORTED_TRACES = frozenset({"scatter", "bar", "pie"})
#: No way out of the reader's machine: no plotly logo link, no "Share chart"
#: button (sendDataToCloud, which uploads the data), no server to send to.
#: (plotly.js 4 has no "Edit in Chart Studio" link; plotly.py refuses its old options.)
CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "showSendToCloud": False,
    "plotlyServerURL": "",
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "sendDataToCloud"],
}


class UnsupportedTraceError(ValueError):
    """A figure uses a trace type the book's plotly.js bundle cannot draw."""


def check_traces(fig) -> None:
    data = fig.get("data", []) if isinstance(fig, dict) else fig.to_dict().get("data", [])
    used = {trace.get("type", "scatter") for trace in data}
    unsupported = sorted(used - SUPPORTED_TRACES)
    if unsupported:
        raise UnsupportedTraceError(
            f"trace type(s) {', '.join(unsupported)} are not in the book's plotly.js bundle "
            f"(it has {', '.join(sorted(SUPPORTED_TRACES))}; see wra_book/vendor/README.md)"
        )


def figure_html(fig) -> str:
    """The HTML fragment for one figure: a div and an inline script, no plotly.js."""
    check_traces(fig)
    body = pio.to_html(
        fig,
        full_html=False,
        include_plotlyjs=False,
        include_mathjax=False,
        config=CONFIG,
        default_width="100%",
    )
    return f'<div class="{MARKER}">{body}</div>'


class BookRenderer(MimetypeRenderer):
    """Emit ``text/html`` (for the book) and plotly's JSON (for Jupyter and VS Code)."""

    def to_mimebundle(self, fig_dict):
        html = figure_html(fig_dict)
        return {"text/html": html, **PlotlyRenderer(config=CONFIG).to_mimebundle(fig_dict)}


def register() -> None:
    pio.renderers[RENDERER] = BookRenderer()
    pio.renderers.default = RENDERER
