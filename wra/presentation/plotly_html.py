"""The book's plotly renderer: each figure as plotly's own JSON, finished in the house style.

Under myst-nb, a notebook output is a bundle of mime types. The renderer
registered here (the default once ``wra.setup()`` has run) gives a figure as
``application/vnd.plotly.v1+json``, the chart as drawn at the laptop width in
the light theme (:func:`wra.presentation.figures.variant`): JupyterLab (its
plotly extension ships with the plotly package) and VS Code draw it as an
interactive chart, and the book's machinery (``wra_book.charts``) makes from
it the static images and the interactive chart of every width and theme. The
figure's ``layout.meta["wra"]`` keeps what the other drawings need.

The book's plotly.js is a partial bundle: :func:`check_traces` refuses a
figure with a trace type it cannot draw, so the build stops instead of showing
an empty chart.
"""

from __future__ import annotations

import plotly.io as pio
from plotly.io._base_renderers import MimetypeRenderer

from wra.presentation import figures, style

RENDERER = "wra"
PLOTLY_MIME = "application/vnd.plotly.v1+json"
# The trace types of the vendored partial bundle (wra_book/vendor/README.md).
SUPPORTED_TRACES = frozenset({"scatter", "bar", "pie"})
#: No way out of the reader's machine: no plotly logo link, no "Share chart"
#: button (sendDataToCloud, which uploads the data), no server to send to; a
#: toolbar of the buttons a reader uses, shown while the pointer is on the chart,
#: beside the title (whose lines leave it room: style.WIDE.reserve).
CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "showSendToCloud": False,
    "plotlyServerURL": "",
    "displayModeBar": "hover",
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "sendDataToCloud", "autoScale2d", "toImage"],
}
#: on a phone there is no toolbar (a finger zooms; a toolbar would sit on the title)
PHONE_CONFIG = {**CONFIG, "displayModeBar": False}


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


def bundle(fig) -> dict:
    """The mime bundle of one figure: plotly's JSON of the chart as drawn at the laptop width."""
    check_traces(fig)
    return {PLOTLY_MIME: figures.variant(fig, style.WIDE, dark=False)}


class Glueable:
    """A chart as myst-nb's ``glue`` stores it (the mime bundle of :func:`bundle`), for another
    page to show with ``{glue}``: IPython shows a plotly figure by displaying it, which leaves
    ``glue`` nothing to store."""

    def __init__(self, fig):
        self.fig = fig

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return bundle(self.fig)


class BookRenderer(MimetypeRenderer):
    """Emit plotly's JSON, finished in the house style (for Jupyter, VS Code and the book)."""

    def to_mimebundle(self, fig_dict):
        return bundle(fig_dict)


def register() -> None:
    pio.renderers[RENDERER] = BookRenderer()
    pio.renderers.default = RENDERER
