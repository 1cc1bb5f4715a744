"""The built book, read as files: page weight, scripts, links, downloads."""

from __future__ import annotations

import re
import unicodedata
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


def test_plotlyjs_is_named_once_and_only_where_there_are_charts(html_dir, pages):
    """No page loads plotly.js as it opens (wra-charts.js fetches it when a chart nears the
    viewport); a page with a chart names the book's own copy once, in a meta tag."""
    named_somewhere = False
    for path, parsed in pages.items():
        text = path.read_text(encoding="utf-8")
        assert not [s for s in parsed.scripts if "plotly" in s], f"{path}: plotly.js is loaded as the page opens"
        named = re.findall(r'<meta name="wra-plotly-js" content="([^"]+)"', text)
        has_chart = 'class="wra-chart wra-interactive"' in text
        assert len(named) == (1 if has_chart else 0), (path, named)
        for src in named:
            named_somewhere = True
            assert not urlsplit(src).scheme, f"{path}: plotly.js from {src}"
            assert (path.parent / src.split("?")[0]).resolve().exists(), src
        # each chart's script waits for wra-charts.js (a type the browser does not run)
        deferred = r'<script type="text/x-wra-chart" data-variant="[a-z-]+" data-src="([^"]+)"'
        for script in re.findall(deferred, text):
            assert (path.parent / script).resolve().exists(), (path, script)
    assert named_somewhere, "no page has a chart: the check checked nothing"


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
                ids = (
                    pages[target].ids
                    if target in pages
                    else set(re.findall(r'id="([^"]+)"', target.read_text(encoding="utf-8")))
                )
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{path.relative_to(html_dir)}: {href} (no such anchor)")
    assert not broken, "\n".join(broken)


class _Addresses(HTMLParser):
    """Every address a page can follow or load: href, src, action, formaction, data, poster, srcset."""

    ATTRIBUTES = ("href", "src", "action", "formaction", "data", "poster", "xlink:href", "srcset")

    def __init__(self):
        super().__init__()
        self.addresses: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in self.ATTRIBUTES and value:
                self.addresses.extend(v.strip().split()[0] for v in value.split(",") if v.strip())


#: schemes a page may link to or load; anything else (javascript:, data:, vbscript:, file:) is refused
SAFE_SCHEMES = ("", "http", "https", "mailto")


def _hidden_characters(text: str) -> list[str]:
    """Control, format (bidi overrides, zero-width), separator and invisible letters in ``text``."""
    from wra.record import screen

    return sorted(
        {
            f"U+{ord(c):04X}"
            for c in text
            if (unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Co", "Cs") and c not in "\n\r\t")
            or c in screen.INVISIBLE
        }
    )


def test_no_page_carries_a_script_link_or_a_hidden_character(html_dir, pages):
    """What the record and the bibliography put on a page is text: no javascript: link (a click would
    run script), no right-to-left override or other hidden character (it would reorder what a reader sees).
    The pages, the charts' scripts (their hover text is the record's) and the search index."""
    bad = []
    for path in pages:
        text = path.read_text(encoding="utf-8")
        parser = _Addresses()
        parser.feed(text)
        for address in parser.addresses:
            scheme = urlsplit(address).scheme.lower() if ":" in address.split("/")[0] else ""
            if scheme not in SAFE_SCHEMES:
                bad.append(f"{path.relative_to(html_dir)}: {address[:80]}")
        hidden = _hidden_characters(text)
        if hidden:
            bad.append(f"{path.relative_to(html_dir)}: {', '.join(hidden)}")
    scripts = [*(html_dir / "_static" / "wra" / "charts").glob("*.js"), html_dir / "searchindex.js"]
    assert len(scripts) > 10  # every interactive chart's four drawings, and the index
    for path in scripts:
        hidden = _hidden_characters(path.read_text(encoding="utf-8"))
        if hidden:
            bad.append(f"{path.relative_to(html_dir)}: {', '.join(hidden)}")
    assert not bad, "\n".join(bad)


def test_the_hidden_character_and_scheme_checks_can_fail():
    parser = _Addresses()
    parser.feed('<a href="javascript:alert(1)">x</a><img src=" JavaScript:x"><a href="https://a.example/">y</a>')
    assert [urlsplit(a).scheme.lower() for a in parser.addresses] == ["javascript", "javascript", "https"]
    assert _hidden_characters("a\u202eb\x00c\u3164d\n") == ["U+0000", "U+202E", "U+3164"]


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


# Pages that take every number from the chapters' glue, with the fewest glued
# values each must show: the findings and the front page's headline findings.
GLUED_PAGES = {"book/findings": 20, "book/index": 12}


@pytest.mark.parametrize("stem", GLUED_PAGES)
def test_numbers_on_the_summary_pages_are_the_chapters_glued_values(html_dir, stem):
    import html as html_lib

    import yaml

    source = (paths.ROOT / f"{stem}.md").read_text(encoding="utf-8")
    refs = GLUE_REF.findall(source)
    assert len(refs) >= GLUED_PAGES[stem], f"{stem} should glue its numbers from the chapters"
    page = html_lib.unescape(re.sub(r"<[^>]+>", "", (html_dir / f"{stem}.html").read_text(encoding="utf-8")))
    page = re.sub(r"\s+", " ", page)
    for chapter, key, spec in refs:
        value = re.sub(r"\s+", " ", glued_value(html_dir, chapter, key, spec))
        assert value in page, f"{chapter}::{key} = {value!r} is not on {stem}"
    # no digit in the page's own prose: every number is glued. Two exceptions,
    # neither a number of the record: the front page's title is the book's own
    # (_config.yml), and an ordered list's markers (1., 2., ...) count items.
    prose = GLUE_REF.sub("", source)
    title = yaml.safe_load((paths.ROOT / "_config.yml").read_text(encoding="utf-8"))["title"].split(":")[0]
    prose = prose.replace(f"# {title}\n", "", 1) if stem == "book/index" else prose
    prose = re.sub(r"^ {0,3}\d{1,2}\. ", "", prose, flags=re.M)
    typed = re.findall(r"\S*\d\S*", re.sub(r"`[^`]*`|\{doc\}|\{numref\}", "", prose))
    assert not typed, f"a number typed into {stem}: {typed}"


# --------------------------------------------------------------------------
# Errors of fact and wording found by reading the built book (issue 12)
# --------------------------------------------------------------------------


def page_text(html_dir: Path, stem: str) -> str:
    import html as html_lib

    raw = (html_dir / f"{stem}.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", raw)))
    return text.replace("\u2019", "'").replace("\u2018", "'")


def section_text(html_dir: Path, stem: str, section_id: str) -> str:
    import html as html_lib

    raw = (html_dir / f"{stem}.html").read_text(encoding="utf-8")
    start = raw.index(f'<section id="{section_id}"')
    end = raw.find("<section id=", start + 10)
    body = raw[start : end if end > 0 else None]
    text = re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", body)))
    return text.replace("\u2019", "'").replace("\u2018", "'")


CHAPTERS = (
    "notebooks/02_directives_vs_actions",
    "notebooks/03_troop_strength",
    "notebooks/04_route",
    "notebooks/05_historiography",
    "notebooks/06_destruction",
    "book/findings",
)


def test_no_doubled_qualifiers_or_exact_counts_side_by_side(html_dir):
    for stem in CHAPTERS:
        text = page_text(html_dir, stem)
        for bad in (
            r"\bat at least\b",
            r"at least at least",
            r"more than at least",
            r"fewer than fewer than",
            r"only [\d,]+ and [\d,]+ reached",
            r"exact counts of those who reached",
        ):
            assert not re.search(bad, text), f"{stem}: {bad}"


def test_the_crossing_date_in_the_prose_is_the_records(html_dir):
    from wra.analysis import directives as wd
    from wra.analysis import route
    from wra.record import data

    actions = data.load("actions")
    glued = glued_value(html_dir, "notebooks/02_directives_vs_actions", "dv_crossing_date", "s")
    assert glued == wd.day_text(route.crossing_date(actions))
    assert f"The crossing began on {glued}" in page_text(html_dir, "notebooks/02_directives_vs_actions")
    route_start = glued_value(html_dir, "notebooks/04_route", "route_str_start_date", "s")
    assert route_start == glued  # chapter 04 starts the route the same day


def test_the_findings_put_zhangs_westward_order_first_and_name_the_request(html_dir):
    from wra.record import data

    text = page_text(html_dir, "book/findings")
    assert "days before Zhang Guotao's own westward order" not in text
    d08 = data.load("directives").set_index("id").loc["D08"]
    assert d08["date"].strftime("%-d %B %Y") in text and "D08" in text
    assert "A08" in text and "D16" in text


def test_directions_after_yongchang_are_glued_not_summarised(html_dir):
    text = page_text(html_dir, "notebooks/02_directives_vs_actions")
    assert "mostly point east" not in text
    east = glued_value(html_dir, "notebooks/02_directives_vs_actions", "dv_after_yongchang_east", "d")
    west = glued_value(html_dir, "notebooks/02_directives_vs_actions", "dv_after_yongchang_west", "d")
    assert f"{east} of its later directives point east, {west} west" in text


def test_headline_shares_in_the_findings_always_carry_their_counts(html_dir):
    text = section_text(html_dir, "book/findings", "whose-orders-the-army-followed")
    shares = re.findall(r"(?:\d+ of \d+ )?\(?\d+%\)?", text)
    assert shares, "the findings give no share for the orders"
    for share in shares:
        assert re.fullmatch(r"\d+ of \d+ \(\d+%\)", share), f"a bare percentage: {share!r}"
    assert " lies between " in text and "source filter" in text


def test_the_longest_stay_is_not_called_the_armys(html_dir):
    text = page_text(html_dir, "notebooks/04_route")
    assert "The army's longest stay" not in text
    first = glued_value(html_dir, "notebooks/04_route", "route_longest_stay_first", "s")
    last = glued_value(html_dir, "notebooks/04_route", "route_longest_stay_last", "s")
    assert first in text and last in text


def test_the_collapse_at_gaotai_is_shown_as_the_articles(html_dir):
    text = page_text(html_dir, "book/findings")
    against = glued_value(html_dir, "notebooks/03_troop_strength", "str_jan_against", "s")
    assert against in text and "article's picture" in text


def test_the_second_passs_prose_errors_are_gone(html_dir):
    """Issue 19's list: what the built book no longer says (chart captions aside, which the charts own)."""
    findings = page_text(html_dir, "book/findings")
    front = page_text(html_dir, "book/index")
    route_page = page_text(html_dir, "notebooks/04_route")
    debate = page_text(html_dir, "notebooks/05_historiography")
    for stem in ("book/index", "book/findings", "book/background", "book/sources_and_method", "notebooks/01_record"):
        assert "follow?." not in page_text(html_dir, stem).replace(" ", ""), stem
    # the deviations without article-only pairings count the headline's base: orders to the army
    assert "D13, by Zhang" not in findings
    # the route's parts add up to its total
    km = glued_value(html_dir, "notebooks/04_route", "route_km_main", "d")
    west = glued_value(html_dir, "notebooks/04_route", "route_km_main_west", "d")
    east = glued_value(html_dir, "notebooks/04_route", "route_km_main_east", "d")
    assert int(west) + int(east) == int(km)
    # 900 is the book's coding of 数百, and the pages that give the span say so
    for text in (findings, front):
        assert "coding of 数百" in text
    # one regiment crossed on the first day; the band is not at its widest at the river
    assert "first regiment crossed" in front and "at its widest," not in route_page
    assert "leading party" in route_page
    glossary = page_text(html_dir, "book/glossary")
    assert "Chairman of the Military Commission" not in glossary and "Vice-chairman of the Military" not in glossary
    assert "west of Jingyuan" not in page_text(html_dir, "book/preface")
    assert "rebuttal of Li Xiannian" not in debate and "可能为石仲泉" not in debate
    assert "Hou Peihe (2022)" not in debate
    for stem in (
        "notebooks/02_directives_vs_actions",
        "notebooks/05_historiography",
        "notebooks/06_destruction",
        "book/findings",
        "book/index",
    ):
        assert " the Centre" not in page_text(html_dir, stem), stem  # issue 19: "the centre", one case
