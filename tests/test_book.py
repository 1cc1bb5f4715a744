"""The built book, read as files: page weight, scripts, links, downloads."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from wra.record import paths
from wra_book import build

pytestmark = pytest.mark.book

MAX_PAGE_BYTES = 150_000
NOT_PAGES = ("_static", "_sources", "_images", "_downloads", "jupyter_execute")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.scripts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])


@pytest.fixture(scope="module")
def pages(html_dir) -> dict[Path, _Links]:
    parsed = {}
    for path in sorted(html_dir.rglob("*.html")):
        if path.relative_to(html_dir).parts[0] in NOT_PAGES:
            continue
        parser = _Links()
        parser.feed(path.read_text(encoding="utf-8"))
        parsed[path] = parser
    return parsed


def test_every_toc_page_was_built(html_dir):
    from tests.test_notebooks import toc_files

    for docname in toc_files():
        assert (html_dir / f"{docname}.html").exists(), docname


def test_no_page_is_heavier_than_150_kb(html_dir, pages):
    heavy = {p.relative_to(html_dir).as_posix(): p.stat().st_size for p in pages if p.stat().st_size > MAX_PAGE_BYTES}
    assert not heavy, heavy


def test_plotlyjs_is_loaded_at_most_once_and_only_where_there_are_charts(html_dir, pages):
    for path, parsed in pages.items():
        plotly = [s for s in parsed.scripts if "plotly" in s]
        has_chart = "plotly-graph-div" in path.read_text(encoding="utf-8")
        assert len(plotly) == (1 if has_chart else 0), (path, plotly)
        for src in plotly:
            assert not urlsplit(src).scheme, f"{path}: plotly.js from {src}"
            assert (path.parent / src.split("?")[0]).resolve().exists(), src


def test_every_internal_link_resolves(html_dir, pages):
    broken = []
    for path, parsed in pages.items():
        for href in parsed.hrefs:
            parts = urlsplit(href)
            if parts.scheme or href.startswith(("mailto:", "javascript:")):
                continue
            target = path if not parts.path else (path.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{path.relative_to(html_dir)}: {href}")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else set(re.findall(r'id="([^"]+)"', target.read_text(encoding="utf-8")))
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{path.relative_to(html_dir)}: {href} (no such anchor)")
    assert not broken, "\n".join(broken)


def test_each_chapter_offers_its_notebook_and_data_for_download(html_dir):
    from wra_book import notebooks

    for stem in build.notebooks(paths.ROOT):
        page = (html_dir / f"{stem}.html").read_text(encoding="utf-8")
        inputs = notebooks.declared_inputs((paths.ROOT / f"{stem}.md").read_text(encoding="utf-8"))
        name = stem.rsplit("/", 1)[-1]
        for file in [f"{name}.md", *(f"{t}.csv" for t in inputs), "references.bib"]:
            match = re.search(r'href="(\.\./_downloads/[0-9a-f]+/' + re.escape(file) + ')"', page)
            assert match, f"{stem}: no download link for {file}"
            assert (html_dir / stem).parent.joinpath(match.group(1)).resolve().exists()


GLUE_REF = re.compile(r"\{glue:text\}`\.\./(notebooks/[^`:]+)\.md::([a-z0-9_]+):([^`]*)`")


def glued_value(html_dir: Path, stem: str, key: str, spec: str) -> str:
    import ast
    import json

    store = html_dir.parent / "jupyter_execute" / f"{stem}.glue.json"
    record = json.loads(store.read_text(encoding="utf-8"))[key]
    value = ast.literal_eval(record["data"]["text/plain"])
    return format(value, spec)


def test_numbers_in_the_findings_are_the_chapters_glued_values(html_dir):
    import html as html_lib

    source = (paths.ROOT / "book" / "findings.md").read_text(encoding="utf-8")
    refs = GLUE_REF.findall(source)
    assert len(refs) >= 20, "the findings page should glue its numbers from the chapters"
    page = html_lib.unescape(re.sub(r"<[^>]+>", "", (html_dir / "book" / "findings.html").read_text(encoding="utf-8")))
    page = re.sub(r"\s+", " ", page)
    for stem, key, spec in refs:
        value = re.sub(r"\s+", " ", glued_value(html_dir, stem, key, spec))
        assert value in page, f"{stem}::{key} = {value!r} is not on the findings page"
    # no digit in the findings' own prose: every number is glued
    prose = GLUE_REF.sub("", source)
    assert not re.findall(r"\d", re.sub(r"`[^`]*`|\{doc\}", "", prose)), "a number typed into the findings"
