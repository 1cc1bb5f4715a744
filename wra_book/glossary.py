"""The ``wra-glossary`` directive: the book's glossary, generated from the data.

It renders ``data/glossary.csv`` (people, organisations, units, terms) and
``data/places.csv`` (places) as Sphinx glossaries, one per kind, each entry
with its source; the page is rebuilt when either file or the bibliography
changes.
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

from wra.record import paths

GLOSSARY_SECTIONS = (
    ("person", "People"),
    ("organisation", "Organisations"),
    ("unit", "Military units"),
    ("term", "Terms and regions"),
    ("place", "Places"),
)


def _sort_key(entry: tuple) -> tuple:
    return re.sub(r"^the ", "", entry[3].lower()), entry[1]


def glossary_entries(root: Path = paths.ROOT) -> list[tuple[str, str, str]]:
    """(kind, term, definition) for every glossary row and every place, sorted by English name."""
    from wra.record import data, sources

    entries = []
    for row in data.load("glossary", root).to_dict("records"):
        term = f"{row['term_zh']} {row['english']} ({row['pinyin']})"
        cite = sources.cite(row, paths.bib_path(root))
        entries.append((row["kind"], term, f"{row['note_en']} *Source: {cite}.*", row["english"]))
    for row in data.load("places", root).to_dict("records"):
        term = f"{row['name_zh']} {row['name_en']} ({row['name_pinyin']})"
        modern = row.get("modern_name_zh")
        today = f" Today {modern}." if isinstance(modern, str) and modern and modern != row["name_zh"] else ""
        precision = row["coord_precision"].replace("_", " ")
        coords = f"{row['lat']:.2f}° N, {row['lon']:.2f}° E ({precision}, ±{row['uncertainty_km']:g} km)"
        cite = sources.cite(row, paths.bib_path(root))
        entries.append(("place", term, f"{coords}.{today} *Coordinates: {cite}.*", row["name_en"]))
    return [e[:3] for e in sorted(entries, key=_sort_key)]


class DataGlossary(SphinxDirective):
    """``wra-glossary``: the glossary, generated from the data."""

    has_content = False

    def run(self):
        from sphinx.domains.std import Glossary

        root = Path(self.env.srcdir)
        for name in ("glossary", "places"):
            self.env.note_dependency(str(paths.table_path(name, root)))
        self.env.note_dependency(str(paths.bib_path(root)))
        entries = glossary_entries(root)
        out = []
        for kind, heading in GLOSSARY_SECTIONS:
            content = StringList()
            for entry_kind, term, definition in entries:
                if entry_kind != kind:
                    continue
                if content:
                    content.append("", "wra-glossary")
                content.append(term, "wra-glossary")
                content.append("   " + definition, "wra-glossary")
            if not content:
                continue
            out.append(nodes.rubric(text=heading))
            glossary = Glossary(
                "glossary",
                [],
                {},
                content,
                self.lineno,
                self.content_offset,
                self.block_text,
                self.state,
                self.state_machine,
            )
            out.extend(glossary.run())
        return out


def setup(app):
    app.add_directive("wra-glossary", DataGlossary)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
