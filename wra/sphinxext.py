"""Sphinx extension for the book (listed in ``_config.yml``).

* Copies plotly.js from the installed plotly package into the HTML output's
  ``_static/`` and adds it, once, only to pages that hold a plotly chart.
* Fails the build on a notebook output that shows an error or stderr. A cell
  can finish "successfully" and still show a traceback (an exception inside a
  display formatter, e.g. a figure that cannot be drawn); myst-nb renders it
  silently. Such a page is also re-read on the next build, so a warning is
  never lost to the incremental build.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from docutils import nodes
from sphinx.util import logging

from wra.plotly_html import MARKER

logger = logging.getLogger(__name__)
BAD_OUTPUT_CLASSES = {"traceback": "an error (traceback)", "stderr": "text on stderr"}

PLOTLY_JS = "wra/plotly.min.js"


def plotly_js_source() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def plotly_js_version(path: Path | None = None) -> str:
    """The plotly.js version in the header comment of a bundle."""
    import re

    head = (path or plotly_js_source()).read_text(encoding="utf-8", errors="replace")[:400]
    match = re.search(r"plotly\.js v(\d+\.\d+\.\d+)", head)
    if not match:
        raise ValueError(f"no plotly.js version in the header of {path}")
    return match.group(1)


def _page_context(app, pagename, templatename, context, doctree):
    body = context.get("body", "")
    if MARKER in body:
        app.add_js_file(PLOTLY_JS, priority=400)


def _copy_plotly(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / PLOTLY_JS
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(plotly_js_source(), target)


def _check_outputs(app, doctree):
    env = app.env
    docname = env.docname
    for node in doctree.findall(nodes.Element):
        classes = set(node.get("classes", ()))
        if "output" not in classes:
            continue
        for cls, what in BAD_OUTPUT_CLASSES.items():
            if cls in classes:
                first = node.astext().strip().splitlines()
                detail = first[-1][:200] if first else ""
                logger.warning(
                    f"a notebook output shows {what}: {detail}",
                    location=node,
                    type="wra",
                    subtype="bad-output",
                )
                _broken(env).add(docname)


def _broken(env) -> set:
    if not hasattr(env, "wra_broken_docs"):
        env.wra_broken_docs = set()
    return env.wra_broken_docs


def _purge(app, env, docname):
    _broken(env).discard(docname)


def _outdated(app, env, added, changed, removed):
    # Pages that showed a bad output last time are read (and executed) again.
    return sorted(d for d in _broken(env) if d in env.found_docs)


def _merge(app, env, docnames, other):
    _broken(env).update(_broken(other) & set(docnames))


def setup(app):
    app.connect("doctree-read", _check_outputs)
    app.connect("env-purge-doc", _purge)
    app.connect("env-get-outdated", _outdated)
    app.connect("env-merge-info", _merge)
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _copy_plotly)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
