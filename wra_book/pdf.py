"""The single-page build that ``make pdf`` prints: no MathJax where no page needs it.

Sphinx's single-page builder adds MathJax, from a CDN, whenever any page of
the book *could* hold math (``MathDomain.has_equations`` of the root follows
the whole toctree). A page whose HTML holds no math node needs no MathJax; this
hook leaves it out, so the page printed into the PDF (``tools/pdf.py``) asks for
nothing outside the machine. A page with math keeps it (and the offline checks
would then say so).
"""

from __future__ import annotations


def _drop_unused_mathjax(app, pagename, templatename, context, doctree):
    if 'class="math' in context.get("body", ""):
        return
    scripts = context.get("script_files")
    if scripts:
        context["script_files"] = [s for s in scripts if "mathjax" not in str(s).lower()]


def setup(app):
    app.connect("html-page-context", _drop_unused_mathjax, priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
