"""Citable and reusable: CITATION.cff, the version, the licences, the How to cite page and every footer.

* ``CITATION.cff`` is valid Citation File Format 1.2.0 (the vendored JSON
  Schema, through jsonschema and through :func:`wra_book.citation.load`); a
  broken one is refused naming file, line and column.
* Its version is pyproject.toml's, its title and authors _config.yml's, its
  licence the one ``LICENSE-DATA`` holds; the code's licence is MIT in
  ``LICENSE`` and pyproject.toml.
* The plain-text and BibTeX citations are made from it; the built book shows
  them, and every page's footer gives the version and the licences.
"""

from __future__ import annotations

import html as html_lib
import json
import re
import tomllib
from pathlib import Path

import jsonschema
import pytest
import yaml

from wra.record import paths
from wra_book import citation

ROOT = paths.ROOT


def cff_text() -> str:
    return (ROOT / citation.CITATION_FILE).read_text(encoding="utf-8")


def copy_with_cff(tmp_path: Path, text: str) -> Path:
    (tmp_path / citation.CITATION_FILE).write_text(text, encoding="utf-8")
    return tmp_path


# --------------------------------------------------------------------------
# CITATION.cff against the CFF 1.2.0 schema
# --------------------------------------------------------------------------


def test_citation_cff_is_valid_cff_1_2_0():
    schema = json.loads(citation.SCHEMA.read_text(encoding="utf-8"))
    assert schema["$id"] == "https://citation-file-format.github.io/1.2.0/schema.json"
    data = yaml.safe_load(cff_text())
    data["date-released"] = str(data["date-released"])
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert not errors, errors
    assert data["cff-version"] == "1.2.0"
    cff = citation.load(ROOT)
    assert cff["version"] and cff["date-released"] and cff["title"] and cff["authors"]


def test_the_schema_refuses_what_cff_refuses():
    """The vendored schema is the real one: it refuses an unknown key, a bad date and a missing title."""
    schema = json.loads(citation.SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    good = yaml.safe_load(cff_text())
    good["date-released"] = str(good["date-released"])
    assert validator.is_valid(good)
    for broken in (
        {**good, "licence": "MIT"},
        {**good, "date-released": "2026-13-02"},
        {k: v for k, v in good.items() if k != "title"},
        {**good, "license": "not-a-licence"},
        {**good, "cff-version": "1.1.0"},
    ):
        assert not validator.is_valid(broken), broken


@pytest.mark.parametrize(
    ("edit", "line_of", "words"),
    [
        (lambda t: t.replace('date-released: "2026-12-02"', 'date-released: "2026-12-32"'), "date-released", "date"),
        (
            lambda t: t.replace("  - name: The Western Route Army book contributors", "  - nom: X"),
            "- nom",
            "authors[0]",
        ),
        (lambda t: t.replace("license: CC-BY-4.0", "license: MIT"), "license:", "CC-BY-4.0"),
        (lambda t: t.replace("type: dataset", "type: book"), "type:", "type"),
    ],
)
def test_a_broken_citation_is_refused_naming_its_line_and_column(tmp_path, edit, line_of, words):
    text = edit(cff_text())
    assert text != cff_text()
    root = copy_with_cff(tmp_path, text)
    with pytest.raises(citation.CitationError) as err:
        citation.load(root)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.lstrip().startswith(line_of.lstrip()))
    problem = err.value.problems[0]
    assert re.match(rf"CITATION\.cff:{line}:\d+: ", problem), (problem, line)
    assert words in problem


def test_a_missing_version_or_non_yaml_citation_is_refused(tmp_path):
    no_version = "\n".join(row for row in cff_text().splitlines() if not row.startswith("version:"))
    with pytest.raises(citation.CitationError, match="version is missing"):
        citation.load(copy_with_cff(tmp_path, no_version))
    with pytest.raises(citation.CitationError, match=r"CITATION\.cff:\d+:\d+: not YAML"):
        citation.load(copy_with_cff(tmp_path, "title: [unclosed\n"))
    (tmp_path / citation.CITATION_FILE).unlink()
    with pytest.raises(citation.CitationError, match="not found"):
        citation.load(tmp_path)


# --------------------------------------------------------------------------
# One version, one title, the licences
# --------------------------------------------------------------------------


def test_the_version_title_and_authors_agree_with_the_package_and_the_book():
    cff = citation.load(ROOT)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert str(cff["version"]) == project["version"], "raise the version in CITATION.cff and pyproject.toml together"
    assert cff["title"] == config["title"]
    assert [a["name"] for a in cff["authors"]] == [config["author"]]


def test_each_licence_file_holds_its_licence():
    data, code = citation.LICENCES
    assert citation.load(ROOT)["license"] == data.spdx == "CC-BY-4.0"
    text = (ROOT / data.file).read_text(encoding="utf-8")
    assert "Creative Commons Attribution 4.0 International Public License" in text
    assert "Section 8 – Interpretation." in text  # the whole legal code, to its last section
    mit = (ROOT / code.file).read_text(encoding="utf-8")
    assert mit.startswith("MIT License\n\nCopyright (c) ") and "Permission is hereby granted, free of charge" in mit
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"].split(" AND ")[0] == code.spdx
    assert code.file in project["license-files"]
    for pattern in project["license-files"]:
        assert list(ROOT.glob(pattern)), f"pyproject.toml names a licence file that is not there: {pattern}"


# --------------------------------------------------------------------------
# The citation, made from CITATION.cff
# --------------------------------------------------------------------------


def test_the_plain_text_citation_names_authors_year_title_version_and_licence():
    cff = citation.load(ROOT)
    text = citation.plain_text(cff)
    year = str(cff["date-released"])[:4]
    assert text.startswith(f"{cff['authors'][0]['name']} ({year}). {cff['title']}, version {cff['version']} ")
    assert "CC BY 4.0" in text and "http" not in text
    assert citation.plain_text(cff, "https://example.org/wra").endswith(" https://example.org/wra")


def test_the_bibtex_entry_reads_back_as_the_same_citation():
    from pybtex.database import parse_string

    cff = citation.load(ROOT)
    entry = parse_string(citation.bibtex(cff), "bibtex").entries[citation.bibtex_key(cff)]
    assert entry.type == "misc"
    assert entry.fields["title"] == "{" + cff["title"] + "}"
    assert entry.fields["version"] == str(cff["version"])
    assert entry.fields["year"] == str(cff["date-released"])[:4]
    assert [str(p) for p in entry.persons["author"]] == ["{" + cff["authors"][0]["name"] + "}"]
    assert "url" not in entry.fields
    with_url = parse_string(citation.bibtex(cff, "https://example.org/wra"), "bibtex").entries
    assert with_url[citation.bibtex_key(cff)].fields["url"] == "https://example.org/wra"


def test_a_person_author_is_cited_family_name_first(tmp_path):
    text = cff_text().replace(
        "  - name: The Western Route Army book contributors",
        "  - family-names: Sun\n    given-names: Huanzhen\n  - name: The Western Route Army book contributors",
    )
    cff = citation.load(copy_with_cff(tmp_path, text))
    assert citation.plain_text(cff).startswith("Sun, Huanzhen and The Western Route Army book contributors (")


def test_the_footer_gives_version_date_licences_and_the_link():
    cff = citation.load(ROOT)
    footer = citation.footer_html(cff, "../book/how_to_cite.html")
    assert f"Version {cff['version']}, {citation.released_text(cff)}." in footer
    assert "Text and data: CC BY 4.0; code: MIT." in footer
    assert '<a href="../book/how_to_cite.html">How to cite and reuse</a>' in footer


# --------------------------------------------------------------------------
# The built book
# --------------------------------------------------------------------------


def _text(raw: str) -> str:
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", raw))).strip()


@pytest.mark.book
def test_the_how_to_cite_page_shows_the_citation_made_from_citation_cff(html_dir):
    cff = citation.load(ROOT)
    raw = (html_dir / "book" / "how_to_cite.html").read_text(encoding="utf-8")
    para = re.search(r'<p class="wra-citation">(.*?)</p>', raw, re.S)
    assert para, "no plain-text citation"
    assert "<em>" + html_lib.escape(cff["title"], quote=False) + "</em>" in para.group(1)  # the title in italics
    assert html_lib.unescape(re.sub(r"<[^>]+>", "", para.group(1))) == citation.plain_text(cff)
    block = re.search(r'<div class="highlight-bibtex notranslate"><div class="highlight"><pre>(.*?)</pre>', raw, re.S)
    assert block, "no BibTeX block"
    assert html_lib.unescape(re.sub(r"<[^>]+>", "", block.group(1))).strip() == citation.bibtex(cff)
    assert f"This is version {cff['version']} of the book and its data, released {citation.released_text(cff)}" in (
        _text(raw)
    )
    for licence in citation.LICENCES:
        assert re.search(rf'href="\.\./_downloads/[0-9a-f]+/{licence.file}"', raw), licence.file


@pytest.mark.book
def test_every_page_shows_the_version_and_licences_and_links_how_to_cite(html_dir):
    from tests.test_book import NOT_PAGES

    cff = citation.load(ROOT)
    pages = [p for p in html_dir.rglob("*.html") if p.relative_to(html_dir).parts[0] not in NOT_PAGES]
    assert len(pages) > 10
    for page in pages:
        raw = page.read_text(encoding="utf-8")
        if 'http-equiv="Refresh"' in raw:
            continue
        footer = re.search(r'<p class="wra-licence">(.*?)</p>', raw, re.S)
        assert footer, page.relative_to(html_dir)
        assert f"Version {cff['version']}" in footer.group(1) and "CC BY 4.0" in footer.group(1)
        href = re.search(r'href="([^"]+)"', footer.group(1)).group(1)
        target = page if href == "#" else (page.parent / href)
        assert target.resolve() == (html_dir / "book" / "how_to_cite.html").resolve(), page


@pytest.mark.book
def test_contributing_is_a_page_of_the_book_and_linked(html_dir):
    raw = (html_dir / "book" / "contributing.html").read_text(encoding="utf-8")
    for heading in re.findall(r"^## (.+)$", (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8"), re.M):
        assert f">{html_lib.escape(heading, quote=False)}<" in raw, heading
    assert "This page says where code lives and which way it may lean." in _text(raw)
    for stem in ("book/how_to_cite", "book/preface", "book/index"):
        assert 'href="contributing.html"' in (html_dir / f"{stem}.html").read_text(encoding="utf-8"), stem
