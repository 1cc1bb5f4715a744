"""How to cite the book and its data, its version and its licences: all from ``CITATION.cff``.

``CITATION.cff`` (Citation File Format 1.2.0) at the project's root is the one
place the title, authors, version, release date and licence of the book and
its data are written. This feature makes the rest from it:

* :func:`load` reads it and validates it against the CFF 1.2.0 JSON Schema
  (vendored, ``vendor/citation-file-format/``); each problem is reported as
  ``CITATION.cff:LINE:COLUMN: message`` and the build stops (a warning; an
  error with ``-W``);
* the ``wra-citation`` directive shows the citation as plain text
  (``{wra-citation} text``) or as BibTeX (``{wra-citation} bibtex``;
  :func:`bibtex`, written by pybtex) on the page ``wra_citation_page``;
* the substitutions ``{{ wra_version }}`` and ``{{ wra_released }}`` give the
  version and its release date to any page;
* every page's footer gives the version, the licences (:data:`LICENCES`) and
  a link to that page;
* :func:`package_metadata` gives the data archive's ``datapackage.json`` its
  name, title, version, licence and contributors (:mod:`wra_book.downloads`).
"""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

CITATION_FILE = "CITATION.cff"
SCHEMA = Path(__file__).parent / "vendor" / "citation-file-format" / "schema-1.2.0.json"
#: the package name of the data archive's datapackage.json
PACKAGE_NAME = "western-route-army"


@dataclass(frozen=True)
class Licence:
    """One licence of the project: what it covers, its SPDX id and short name, the file with its text."""

    covers: str
    spdx: str
    name: str
    file: str
    url: str


#: the data and text licence (CITATION.cff's ``license``), then the code's (pyproject.toml's)
LICENCES = (
    Licence("text and data", "CC-BY-4.0", "CC BY 4.0", "LICENSE-DATA", "https://creativecommons.org/licenses/by/4.0/"),
    Licence("code", "MIT", "MIT", "LICENSE", "https://opensource.org/license/mit"),
)


class CitationError(ValueError):
    """CITATION.cff is missing, is not YAML, or does not follow the CFF 1.2.0 schema."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@lru_cache(maxsize=1)
def _validator():
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _dates_as_text(value):
    """YAML reads 2026-12-02 as a date; the schema wants text (as its own notes say)."""
    if isinstance(value, dict):
        return {k: _dates_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _position(node, path) -> tuple[int, int]:
    """(line, column), from 1, of the YAML node at ``path`` (keys and indexes), or of its nearest parent."""
    for step in path:
        if isinstance(node, yaml.MappingNode):
            match = [v for k, v in node.value if k.value == step]
            if not match:
                break
            node = match[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
        else:
            break
    return node.start_mark.line + 1, node.start_mark.column + 1


def _where(path) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out or "(the file)"


def load(root: Path | str) -> dict:
    """``root``'s CITATION.cff, validated; raises :class:`CitationError` naming file, line and column."""
    path = Path(root) / CITATION_FILE
    if not path.is_file():
        raise CitationError([f"{CITATION_FILE}: not found in {Path(root).resolve()}"])
    text = path.read_text(encoding="utf-8")
    try:
        tree = yaml.compose(text)
        data = _dates_as_text(yaml.safe_load(text))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        at = f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"
        raise CitationError([f"{CITATION_FILE}:{at}: not YAML: {getattr(err, 'problem', err)}"]) from None
    if not isinstance(data, dict):
        raise CitationError([f"{CITATION_FILE}:1:1: not a mapping of keys to values"])
    problems = []
    for error in sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        line, column = _position(tree, list(error.absolute_path))
        problems.append(f"{CITATION_FILE}:{line}:{column}: {_where(error.absolute_path)}: {error.message}")
    for key in ("version", "date-released"):
        if key not in data:
            problems.append(f"{CITATION_FILE}:1:1: {key} is missing: the book shows the version and its date")
    if not problems and data.get("license") != LICENCES[0].spdx:
        line, column = _position(tree, ["license"])
        problems.append(
            f"{CITATION_FILE}:{line}:{column}: license: the book and its data are licensed {LICENCES[0].spdx} "
            f"({LICENCES[0].file}); got {data.get('license')!r}"
        )
    if problems:
        raise CitationError(problems)
    return data


# --------------------------------------------------------------------------
# The citation, as text and as BibTeX
# --------------------------------------------------------------------------


def _authors(cff: dict) -> list[str]:
    """Each author as a citation names them: "Family, Given" for a person, the name for an entity."""
    out = []
    for a in cff["authors"]:
        if "name" in a:
            out.append(a["name"])
        else:
            family = " ".join(x for x in (a.get("name-particle"), a.get("family-names")) if x)
            out.append(", ".join(x for x in (family, a.get("given-names")) if x) or a.get("alias", ""))
    return out


def released(cff: dict) -> dt.date:
    return dt.date.fromisoformat(cff["date-released"])


def released_text(cff: dict) -> str:
    day = released(cff)
    return f"{day.day} {day:%B %Y}"


def url(cff: dict) -> str:
    """Where CITATION.cff says the work lives: ``repository-code``, else ``url``; empty if neither."""
    return cff.get("repository-code") or cff.get("url") or ""


def address(cff: dict, root: Path | str) -> str:
    """Where the work lives: the repository setting (:mod:`wra_book.repository`), else CITATION.cff's."""
    from wra_book import repository

    return repository.url_from_config(root) or url(cff)


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def plain_parts(cff: dict, where: str = "") -> tuple[str, str, str]:
    """The plain-text citation in three parts: before the title, the title, after it (``where``: its address)."""
    licence = LICENCES[0]
    before = f"{_joined(_authors(cff))} ({released(cff).year}). "
    after = (
        f", version {cff['version']} (released {released_text(cff)}). Book and dataset; "
        f"text and data licensed {licence.name}."
    )
    if where:
        after += f" {where}"
    return before, cff["title"], after


def plain_text(cff: dict, where: str = "") -> str:
    before, title, after = plain_parts(cff, where)
    return f"{before}{title}{after}"


def bibtex_key(cff: dict) -> str:
    return f"wra_book_{released(cff).year}"


def bibtex(cff: dict, where: str = "") -> str:
    """The citation as a BibTeX ``@misc`` entry (pybtex writes it); ``where``: its address."""
    from pybtex.database import BibliographyData, Entry, Person

    people = []
    for a in cff["authors"]:
        if "name" in a:
            people.append(Person("{" + a["name"] + "}"))  # an entity: braces keep it one name
        else:
            people.append(Person(first=a.get("given-names", ""), last=a.get("family-names", "")))
    day = released(cff)
    fields = {
        "title": "{" + cff["title"] + "}",
        "year": str(day.year),
        "month": day.strftime("%b").lower(),
        "version": str(cff["version"]),
        "howpublished": "Jupyter Book (HTML and PDF) with its data archive, wra-data.zip",
        "note": f"Version {cff['version']}, released {day.isoformat()}. Text and data licensed " + LICENCES[0].name,
    }
    if where:
        fields["url"] = where
    entry = Entry("misc", fields=fields, persons={"author": people})
    return BibliographyData({bibtex_key(cff): entry}).to_string("bibtex").strip()


def package_metadata(cff: dict, where: str = "") -> dict:
    """The data package's own metadata (before its resources), from the citation; ``where``: its address."""
    licence = LICENCES[0]
    out = {
        "name": PACKAGE_NAME,
        "title": cff["title"],
        "description": " ".join(str(cff.get("abstract", "")).split()),
        "version": str(cff["version"]),
        # Data Package wants a date and time: the release's day, at its start
        "created": f"{cff['date-released']}T00:00:00Z",
        "licenses": [{"name": licence.spdx, "path": licence.url, "title": licence.name}],
        "contributors": [{"title": name, "role": "author"} for name in _authors(cff)],
        "keywords": list(cff.get("keywords", [])),
    }
    if where:
        out["homepage"] = where
    return out


# --------------------------------------------------------------------------
# Sphinx: the directive, the substitutions, the footer
# --------------------------------------------------------------------------


class CitationDirective(SphinxDirective):
    """``{wra-citation} text`` or ``{wra-citation} bibtex``: the book's citation, from CITATION.cff."""

    required_arguments = 1
    has_content = False

    def run(self):
        form = self.arguments[0]
        if form not in ("text", "bibtex"):
            raise self.error(f"wra-citation: the form is text or bibtex, not {form!r}")
        try:
            cff = load(self.env.srcdir)
        except CitationError as err:
            raise self.error("wra-citation: " + "; ".join(err.problems)) from None
        self.env.note_dependency(str(Path(self.env.srcdir) / CITATION_FILE))
        where = self.config.html_theme_options.get("repository_url") or url(cff)
        if form == "bibtex":
            text = bibtex(cff, where)
            return [nodes.literal_block(text, text, language="bibtex")]
        before, title, after = plain_parts(cff, where)
        para = nodes.paragraph("", "", classes=["wra-citation"])
        para += nodes.Text(before)
        para += nodes.emphasis(title, title)
        para += nodes.Text(after)
        return [para]


def _config_inited(app, config):
    try:
        cff = load(app.srcdir)
    except CitationError as err:
        if (Path(app.srcdir) / CITATION_FILE).exists():
            for problem in err.problems:
                logger.warning(problem, type="wra", subtype="citation")
        cff = None
    app.wra_citation = cff
    if cff is not None:
        config.myst_substitutions = {
            **(config.myst_substitutions or {}),
            "wra_version": str(cff["version"]),
            "wra_released": released_text(cff),
        }


def footer_html(cff: dict, cite_href: str | None) -> str:
    """The footer's line: the version, the licences, and where to read how to cite."""
    licences = "; ".join(f"{lic.covers}: {lic.name}" for lic in LICENCES)
    line = f"Version {html.escape(str(cff['version']))}, {html.escape(released_text(cff))}. "
    line += f"{licences[0].upper()}{licences[1:]}."
    if cite_href:
        line += f' <a href="{html.escape(cite_href)}">How to cite and reuse</a>.'
    return f'<p class="wra-licence">{line}</p>'


def _page_context(app, pagename, templatename, context, doctree):
    cff = getattr(app, "wra_citation", None)
    if cff is None or app.builder.format != "html":
        return
    page = app.config.wra_citation_page
    href = context["pathto"](page) if page and page in app.env.all_docs else None
    extra = context.get("theme_extra_footer") or ""
    context["theme_extra_footer"] = f"{extra}{footer_html(cff, href)}"


def setup(app):
    #: the page that shows the citation, which every footer links to
    app.add_config_value("wra_citation_page", "book/how_to_cite", "html")
    app.add_directive("wra-citation", CitationDirective)
    app.connect("config-inited", _config_inited)
    app.connect("html-page-context", _page_context)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
