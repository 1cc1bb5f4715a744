"""No page that looks current when it is not.

* Pages to read again on the next build, whatever the incremental build
  thinks: a page that showed a bad output (:mod:`wra_book.outputs`), whose
  notebook's front matter could not be read (:mod:`wra_book.inputs`) or whose
  notebook failed to execute is marked here, so that a warning is never lost
  to the incremental build: the next build reads (and executes) the page
  again until it is clean.
* A notebook that fails to execute: its page, and the pages that glue
  numbers from notebooks, carry an "out of date" banner, and the build writes
  a short summary (notebook, cell, error; :mod:`wra_book.pages`) that
  ``make book`` prints last.
* Figure scripts, images and downloads that no page refers to are removed
  at the end of every build, and myst-nb's tracebacks are taken out of the
  site; the book's own static files that changed are copied even when no
  page did.
"""

from __future__ import annotations

import os
from pathlib import Path

from docutils import nodes
from sphinx.util import logging

from wra_book import notebooks, pages

logger = logging.getLogger(__name__)


def docs(env) -> set[str]:
    """The pages marked stale in this environment."""
    if not hasattr(env, "wra_stale_docs"):
        env.wra_stale_docs = set()
    return env.wra_stale_docs


def mark(env, docname: str) -> None:
    docs(env).add(docname)


def failures(env) -> dict:
    """The notebooks that failed to execute: docname -> :func:`wra_book.pages.failure`."""
    if not hasattr(env, "wra_failures"):
        env.wra_failures = {}
    return env.wra_failures


def _record_failure(app, doctree):
    """A notebook that did not execute: remember where and why, and read it again next time."""
    from myst_nb.sphinx_ import NbMetadataCollector

    env = app.env
    notebook = notebooks.is_notebook(app.config, env.docname)
    data = NbMetadataCollector.get_exec_data(env, env.docname) if notebook else None
    if not data or data.get("succeeded", True):
        return
    text = Path(env.doc2path(env.docname)).read_text(encoding="utf-8")
    failures(env)[env.docname] = pages.failure(env.docname, text, data.get("traceback") or data.get("error") or "")
    mark(env, env.docname)


def _banner(text: str) -> nodes.Element:
    banner = nodes.admonition("", classes=["error", "wra-build-failed"])
    banner += nodes.title("", "This page is out of date")
    banner += nodes.paragraph("", text)
    return banner


def _mark_failed(app, doctree, docname):
    """Put a banner at the top of a page the build could not bring up to date."""
    failed = failures(app.env)
    if docname in failed:
        text = (
            f"The last build could not run this chapter's notebook ({failed[docname]}). "
            "Its figures and numbers are missing or stale."
        )
    elif failed and not notebooks.is_notebook(app.config, docname) and notebooks.uses_glue(app.env, docname):
        text = (
            "The last build could not run "
            + ", ".join(sorted(failed))
            + "; numbers this page takes from it are missing or stale."
        )
    else:
        return
    sections = list(doctree.findall(nodes.section))
    target = sections[0] if sections else doctree
    target.insert(1 if sections else 0, _banner(text))


def _finish(app, exception):
    """Remove files no page uses; after failed notebooks, write the summary `make book` prints last."""
    outdir = Path(app.outdir)
    summary_file = outdir.parent / pages.SUMMARY_FILE
    summary_file.unlink(missing_ok=True)
    if exception is not None or app.builder.format != "html":
        return
    copied = pages.refresh_static(app.srcdir, outdir, app.config.html_static_path)
    if copied:
        logger.info(f"copied {len(copied)} changed static file(s): {', '.join(copied)}")
    reports = pages.move_reports(outdir)
    # Only the multi-page site is pruned: the single-page build (for the PDF) writes
    # its one page at the root document's path, whose relative links to _images/ do
    # not resolve from there until tools/pdf.py moves the page, so pruning it would
    # delete every figure.
    removed = pages.prune_unused(outdir) if app.builder.name == "html" else []
    if removed:
        logger.info(f"removed {len(removed)} unused file(s) from the output")
    failed = failures(app.env)
    if failed:
        where = os.path.relpath(reports, app.srcdir) if reports else None
        summary_file.write_text(pages.summary([failed[d] for d in sorted(failed)], where), encoding="utf-8")


def _purge(app, env, docname):
    docs(env).discard(docname)
    failures(env).pop(docname, None)


def _merge(app, env, docnames, other):
    docs(env).update(docs(other) & set(docnames))
    failures(env).update({d: v for d, v in failures(other).items() if d in docnames})


def _outdated(app, env, added, changed, removed):
    return sorted(d for d in docs(env) if d in env.found_docs and d not in added and d not in changed)


def setup(app):
    app.setup_extension("wra_book.notebooks")
    app.connect("doctree-read", _record_failure)
    app.connect("doctree-resolved", _mark_failed)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-outdated", _outdated)
    app.connect("build-finished", _finish)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
