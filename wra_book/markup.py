"""Leaner page markup: two wrappers Sphinx and myst-nb put round every inline
literal and glued value, taken off where they carry nothing.

* A one-word literal (``date``) is written ``<code class="docutils literal
  notranslate"><span class="pre">date</span></code>``; the span only keeps the
  word from wrapping or hyphenating, which ``wra.css`` now asks of the code
  element itself. Literals of several words keep their spans (they may wrap
  between words).
* A glued value is wrapped in ``<span class="pasted-text">``, a class nothing
  styles or reads.

The data dictionary's page carries some 760 literals: the spans were an eighth
of its weight (tests/test_book.py holds every page under 150 kB).
"""

from __future__ import annotations

import re

ONE_WORD_LITERAL = re.compile(
    r'(<code class="docutils literal notranslate">)<span class="pre">([^<\s]*)</span>(</code>)'
)
PASTED_TEXT = re.compile(r'<span class="pasted-text">([^<]*)</span>')


def slim(body: str) -> str:
    """``body`` without the empty wrappers above; what a reader sees is unchanged."""
    return PASTED_TEXT.sub(r"\1", ONE_WORD_LITERAL.sub(r"\1\2\3", body))


def _page_context(app, pagename, templatename, context, doctree):
    if "body" in context:
        context["body"] = slim(context["body"])


def setup(app):
    app.connect("html-page-context", _page_context, priority=800)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
