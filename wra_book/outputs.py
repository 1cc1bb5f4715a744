"""Fail the build on a notebook output that shows an error or text on stderr.

A cell can finish "successfully" and still show a traceback (an exception
inside a display formatter, e.g. a figure that cannot be drawn); myst-nb
renders it silently. Each such output is a warning (an error under ``-W``),
and the page is marked stale (:mod:`wra_book.stale`) so the next build reads
it again.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.util import logging

from wra_book import stale

logger = logging.getLogger(__name__)
BAD_OUTPUT_CLASSES = {"traceback": "an error (traceback)", "stderr": "text on stderr"}


def _check_outputs(app, doctree):
    env = app.env
    for node in doctree.findall(nodes.Element):
        classes = set(node.get("classes", ()))
        if "output" not in classes:
            continue
        for cls, what in BAD_OUTPUT_CLASSES.items():
            if cls in classes:
                first = node.astext().strip().splitlines()
                detail = first[-1][:200] if first else ""
                logger.warning(
                    f"a notebook output shows {what}: {detail}", location=node, type="wra", subtype="bad-output"
                )
                stale.mark(env, env.docname)


def setup(app):
    app.setup_extension("wra_book.stale")
    app.connect("doctree-read", _check_outputs)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
