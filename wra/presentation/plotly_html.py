"""Plotly figures as offline HTML in the book.

Under myst-nb, plotly's default renderer emits only its JSON mime type, which
Jupyter Book 1 cannot display, and the ``notebook`` renderers either inline the
4.8 MB plotly.js into every page or load it from a CDN. The renderer here emits
each figure as a ``<div>`` with its own small script and *no* plotly.js; the
book's Sphinx extension (:mod:`wra_book.plotly_assets`) adds the book's own
static copy of plotly.js, once, to exactly the pages that hold a chart.
"""

from __future__ import annotations

import plotly.io as pio
from plotly.io._base_renderers import MimetypeRenderer

RENDERER = "wra"
# Marker class on the wrapper div: the Sphinx extension looks for it.
MARKER = "wra-plotly"
# The trace types of the vendored partial bundle (wra_book/vendor/README.md).
SUPPORTED_TRACES = frozenset({"scatter", "bar", "pie"})
CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


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
    """Emit only ``text/html``: the figure's ``<div>`` and drawing script, for the book."""

    def to_mimebundle(self, fig_dict):
        return {"text/html": figure_html(fig_dict)}


def register() -> None:
    pio.renderers[RENDERER] = BookRenderer()
    pio.renderers.default = RENDERER
