"""The ``wra-glossary`` directive: the book's glossary, generated from the data.

It renders ``data/glossary.csv`` (people, organisations, units, terms) and
``data/places.csv`` (places) as Sphinx glossaries, one per kind under its own
heading, each entry with its source; the page is rebuilt when either file or
the bibliography changes. The entries are built as docutils nodes from the
data's text: a CSV cell is shown as it is, never parsed as markup.

Above the entries stand an index by kind (each kind with its count, linked to
its heading) and a place for the filter, which ``wra-glossary.js`` fills in the
browser: typed words show only the entries that hold them, a name matched in
Chinese, pinyin or English alike (:mod:`wra_book.find`). Without scripts, and in
print, the glossary is the whole list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from wra.record import paths
from wra_book import find

#: the element wra-glossary.js puts the filter into
FIND_CLASS = "wra-glossary-find"
GLOSSARY_JS = "wra/find/wra-glossary.js"

GLOSSARY_SECTIONS = (
    ("person", "People"),
    ("organisation", "Organisations"),
    ("unit", "Military units"),
    ("term", "Terms and regions"),
    ("place", "Places"),
)


@dataclass(frozen=True)
class GlossaryEntry:
    """One glossary entry, as plain text straight from the data (never parsed as markup)."""

    kind: str
    term: str
    text: str
    cite_label: str
    cite: str
    sort_name: str


def glossary_entries(root: Path = paths.ROOT) -> list[GlossaryEntry]:
    """An entry for every glossary row and every place, sorted by English name."""
    from wra.record import data, sources

    entries = []
    bib = paths.bib_path(root)
    for row in data.load("glossary", root).to_dict("records"):
        term = f"{row['term_zh']} {row['english']} ({row['pinyin']})"
        entries.append(
            GlossaryEntry(row["kind"], term, row["note_en"], "Source", sources.cite(row, bib), row["english"])
        )
    for row in data.load("places", root).to_dict("records"):
        term = f"{row['name_zh']} {row['name_en']} ({row['name_pinyin']})"
        modern = row.get("modern_name_zh")
        today = f" Today {modern}." if isinstance(modern, str) and modern and modern != row["name_zh"] else ""
        precision = row["coord_precision"].replace("_", " ")
        coords = f"{row['lat']:.2f}° N, {row['lon']:.2f}° E ({precision}, ±{row['uncertainty_km']:g} km)"
        entries.append(
            GlossaryEntry("place", term, f"{coords}.{today}", "Coordinates", sources.cite(row, bib), row["name_en"])
        )
    return sorted(entries, key=lambda e: (re.sub(r"^the ", "", e.sort_name.lower()), e.term))


def glossary_item(entry: GlossaryEntry, make_term) -> nodes.definition_list_item:
    """A definition-list item built from docutils text nodes: data text is shown, never parsed.

    ``make_term(text_nodes)`` makes the (cross-referenceable) term node.
    """
    definition = nodes.paragraph(
        "", "", nodes.Text(entry.text + " "), nodes.emphasis("", f"{entry.cite_label}: {entry.cite}.")
    )
    return nodes.definition_list_item("", make_term([nodes.Text(entry.term)]), nodes.definition("", definition))


class DataGlossary(SphinxDirective):
    """``wra-glossary``: the glossary, generated from the data as docutils nodes (no markup parsing)."""

    has_content = False

    def run(self):
        from sphinx import addnodes
        from sphinx.domains.std import make_glossary_term

        root = Path(self.env.srcdir)
        for name in ("glossary", "places"):
            self.env.note_dependency(str(paths.table_path(name, root)))
        self.env.note_dependency(str(paths.bib_path(root)))
        entries = glossary_entries(root)

        def make_term(text_nodes):
            return make_glossary_term(
                self.env, text_nodes, None, self.env.docname, self.lineno, node_id=None, document=self.state.document
            )

        sections = []
        links = []
        for kind, heading in GLOSSARY_SECTIONS:
            items = [glossary_item(e, make_term) for e in entries if e.kind == kind]
            if not items:
                continue
            anchor = kind_anchor(kind)
            glossary = addnodes.glossary(sorted=False)  # already sorted by English name
            glossary += nodes.definition_list("", *items, classes=["glossary"])
            # a heading (h2) that assistive technology and the PDF's outline list (myst-parser writes
            # a rubric's "level", Sphinx its "heading-level")
            sections.extend([nodes.rubric(text=heading, ids=[anchor], level=2, **{"heading-level": 2}), glossary])
            if links:
                links.append(nodes.Text(" · "))
            links.append(nodes.reference("", f"{heading} ({len(items)})", refid=anchor, internal=True))
        index = nodes.paragraph("", "", nodes.strong("", "By kind: "), *links, classes=["wra-glossary-index"])
        return [index, nodes.container(classes=[FIND_CLASS]), *sections]


def kind_anchor(kind: str) -> str:
    """The anchor of a kind's heading: ``glossary-person``."""
    return f"glossary-{kind}"


def _page_context(app, pagename, templatename, context, doctree):
    if FIND_CLASS in context.get("body", ""):
        find.add_to_page(app)
        app.add_js_file(GLOSSARY_JS, priority=600)


def setup(app):
    app.setup_extension("wra_book.find")
    app.add_directive("wra-glossary", DataGlossary)
    app.connect("html-page-context", _page_context)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
