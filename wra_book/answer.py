"""The ``wra-answer`` directive: a chapter's answer, in a box under its title.

A reader should meet each chapter's finding on its first screen, before the
overview. In a chapter's MyST source, right under its title::

    :::{wra-answer} fig-directives-verdicts
    The army followed, at least in part, {glue:text}`dv_head_central` of ...

    *How firm:* the share depends on the reading ...
    :::

The content is parsed as MyST (its numbers glued from the notebook, as in the
prose). The box is labelled "In short"; a paragraph opening with *How firm:*
is set as the caveat; the optional argument names the figure that shows the
answer, and the box ends with a link to it ("Shown in Fig. 2."), a numbered
reference like ``{numref}``, so it may be a figure of another chapter ("Shown
in Fig. 4, in *Orders and marches: …*.").

The box's glued values keep their wrapper (``span.pasted-text``, which
``wra_book.markup`` takes off elsewhere) with the class ``wra-glued``: a
reader's first screen is tested to hold a number glued from the notebook, not
one typed into the answer.
"""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

CLASS = "wra-answer"
FIRM = "How firm"
#: a glued value in the box (myst-nb's class, then ours)
GLUED = ["pasted-text", "wra-glued"]


def figure_link(label: str, docname: str) -> addnodes.pending_xref:
    """A numbered reference to the figure ``label`` ("Fig. N"), as the ``numref`` role makes it."""
    return addnodes.pending_xref(
        f":numref:`{label}`",
        nodes.inline(label, label, classes=["xref", "std", "std-numref"]),
        refdoc=docname,
        refdomain="std",
        reftype="numref",
        reftarget=label.lower(),
        refexplicit=False,
        refwarn=True,
    )


class Answer(SphinxDirective):
    """``wra-answer [figure label]``: the chapter's answer, its firmness, and a link to its chart."""

    has_content = True
    optional_arguments = 1
    option_spec: ClassVar[dict] = {"label": directives.unchanged}

    def run(self):
        if not self.content:
            raise self.error("wra-answer: the answer is missing (write it as the directive's content)")
        box = nodes.container(classes=[CLASS])
        box += nodes.paragraph("", self.options.get("label", "In short"), classes=["wra-answer-label"])
        self.state.nested_parse(self.content, self.content_offset, box)
        for paragraph in box.findall(nodes.paragraph):
            first = paragraph.children[0] if paragraph.children else None
            if isinstance(first, nodes.emphasis) and first.astext().startswith(FIRM):
                paragraph["classes"].append("wra-firm")
        if self.arguments:
            chart = nodes.paragraph(
                "",
                "",
                nodes.Text("Shown in "),
                figure_link(self.arguments[0], self.env.docname),
                nodes.Text("."),
                classes=["wra-answer-chart"],
            )
            chart["wra_figure"] = self.arguments[0].lower()
            box += chart
        return [box]


def _mark_glued(doctree):
    """The answer boxes' glued values (resolved by now) keep their wrapper, marked ``wra-glued``."""
    for box in doctree.findall(nodes.container):
        if CLASS not in box["classes"]:
            continue
        for node in box.findall(nodes.inline):
            if node["classes"] == GLUED[:1]:
                node["classes"] = list(GLUED)


def _name_other_chapters(app, doctree, docname):
    """A figure of another page: say which ("Shown in Fig. 4, in *its page's title*."); mark the
    answers' glued values (:func:`_mark_glued`)."""
    _mark_glued(doctree)
    labels = app.env.get_domain("std").labels
    for chart in doctree.findall(nodes.paragraph):
        label = chart.get("wra_figure")
        target = labels.get(label) if label else None
        if not target or target[0] == docname or target[0] not in app.env.titles:
            continue
        title = app.env.titles[target[0]].astext()
        chart.insert(len(chart.children) - 1, nodes.Text(", in "))
        chart.insert(len(chart.children) - 1, nodes.emphasis("", title))


def setup(app):
    app.add_directive("wra-answer", Answer)
    app.connect("doctree-resolved", _name_other_chapters)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
