"""Tables for readers: headers, citations, sorting and filtering, escaping, chapter 02's order.

Unit tests (no book): the directives' id gaps, citations linked to the
bibliography, keys in free text, the long-table mark, the verdict panels.
Book tests (``make book`` first): the built pages' table headers, no source key
and no "1 rows" a reader can see, every citation link landing on a bibliography
entry, DataTables only where a long table is, chapter 02's first figure before
its first table. Browser tests (Debian's Chromium, offline): long tables sort
and filter, hostile cell text stays text after the library has enhanced the
table, and printing opens the collapsed table.
"""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path

import pandas as pd
import pytest

from wra.analysis import directives as wd
from wra.presentation import tables
from wra.record import paths, sources
from wra_book import tables as book_tables

HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>&amp; "q" \'s\''


# ---------------------------------------------------------------- unit ----


def test_id_gaps_and_late_ids_find_what_breaks_the_run():
    frame = pd.DataFrame({"id": ["D01", "D02", "D05", "D07", "D03", "D06"]})
    assert wd.id_gaps(frame) == ["D04"]
    assert wd.late_ids(frame) == ["D05", "D07"]
    assert wd.id_gaps(pd.DataFrame({"id": ["D01", "D02"]})) == []
    with pytest.raises(ValueError, match="form"):
        wd.id_gaps(pd.DataFrame({"id": ["D01", "x"]}))
    numbers = wd.id_numbers(frame)
    assert numbers["id_gaps"] == "D04" and numbers["id_late"] == "D05 and D07" and numbers["n_id_gaps"] == 1


def test_every_gap_in_the_directive_ids_is_a_row_the_data_dictionary_says_was_withdrawn():
    """The chapters explain each gap as a withdrawn row: data/README.md must say so of each."""
    with (paths.DATA / "directives.csv").open(encoding="utf-8") as f:
        ids = pd.DataFrame({"id": [row["id"] for row in csv.DictReader(f)]})
    gaps = wd.id_gaps(ids)
    readme = (paths.DATA / "README.md").read_text(encoding="utf-8")
    withdrawn = re.findall(r"\((D\d+) was [^)]*withdrawn", readme)
    assert gaps, "no gap: the chapters' sentence about the gaps should go"
    assert sorted(gaps) == sorted(withdrawn)


def test_a_citation_links_each_source_it_names_and_escapes_the_rest():
    key = "sun_huanzhen"
    cell = tables.cite_row_html({"source": key, "pages": "12", "via": key, "note": 3})
    assert cell.count(f'href="{tables.CITE_HREF}{key}"') == 2
    text = html.unescape(re.sub(r"<[^>]+>", "", cell))
    assert text == sources.cite({"source": key, "pages": "12", "via": key, "note": 3})
    assert key not in text
    only_source = tables.cite_row_html({"source": key, "pages": "12", "via": key, "note": 3}, link_via=False)
    assert only_source.count("<a ") == 1 and html.unescape(re.sub(r"<[^>]+>", "", only_source)) == text


def test_free_text_names_its_sources_by_label_and_stays_escaped():
    out = tables.prose_html("an external source (rongwp_xi4) says " + HOSTILE)
    assert "<img" not in out and "<script" not in out
    assert f'href="{tables.CITE_HREF}rongwp_xi4"' in out
    assert "(rongwp_xi4)" not in re.sub(r"<[^>]+>", "", out)
    # a key inside a longer word or a path is left alone
    assert "wra-cite" not in tables.prose_html("data/rongwp_xi4.csv and xrongwp_xi4")
    assert tables.prose_text("see (rongwp_xi4)") == f"see ({sources.short_label('rongwp_xi4')})"


def test_long_tables_are_marked_for_sorting_and_short_ones_are_not():
    long = pd.DataFrame({"A": range(tables.LONG)})
    short = pd.DataFrame({"A": range(tables.LONG - 1)})
    assert "data-wra-long" in tables.to_html(long)
    assert "data-wra-long" not in tables.to_html(short)
    assert "data-wra-long" in tables.to_html(short, sortable=True)
    assert "data-wra-long" not in tables.to_html(long, sortable=False)


def test_the_verdict_panels_count_each_directive_once():
    verdicts = pd.DataFrame(
        {
            "issuer_group": ["central", "central", "central", "zhang_guotao", "army"],
            "direction": ["west", "west", "east", "west", "west"],
            "verdict": ["complied", "deviated", "superseded", "not_carried_out", "self_issued"],
        }
    )
    panels = wd.verdict_panels(verdicts)
    by_issuer = panels[panels["row"] == "issuer"].groupby("panel")["n"].sum()
    assert by_issuer.to_dict() == {"army": 1, "central": 3, "zhang_guotao": 1}
    by_direction = panels[panels["row"] == "direction"].groupby("panel")["n"].sum()
    assert by_direction.to_dict() == {"east": 1, "west": 2}
    assert wd.verdict_finding(panels) == (
        "The army followed at least in part 1 of the Party centre's 2 and 0 of Zhang Guotao's 1 "
        "orders whose verdict tests them"
    )


def test_the_verdict_chart_draws_one_bar_per_panel_and_verdict():
    from wra.presentation import directives_charts as dc

    verdicts = pd.DataFrame(
        {
            "issuer_group": ["central", "central", "zhang_guotao"],
            "direction": ["west", "east", "west"],
            "verdict": ["complied", "deviated", "complied"],
        }
    )
    panels = wd.verdict_panels(verdicts)
    fig = dc.verdict_panels(panels, "title")
    bars = {(t.meta["row"], t.meta["panel"], v) for t in fig.data for v in t.meta["verdicts"]}
    assert bars == {(r.row, r.panel, r.verdict) for r in panels.itertuples() if r.n}


def test_citation_links_point_at_the_bibliography_and_unknown_keys_warn(caplog):
    body = f'<a class="wra-cite" href="{tables.CITE_HREF}k1">K</a><a href="{tables.CITE_HREF}nope">N</a>'
    out = book_tables.link_citations(body, {"k1": ("book/bib", "cite-k1")}, lambda d: f"../{d}.html", "page")
    assert '<a href="../book/bib.html#cite-k1">' in out
    assert f'href="{tables.CITE_HREF}nope"' in out
    assert "no bibliography entry" in caplog.text and "nope" in caplog.text


# ---------------------------------------------------------------- book ----

TABLE = re.compile(r'<table class="wra-table[^>]*>.*?</table>', re.DOTALL)


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def _pages(html_dir: Path) -> dict[str, str]:
    return {
        p.relative_to(html_dir).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(html_dir.glob("**/*.html"))
        if "_static" not in p.parts
    }


def _raw_column_names() -> set[str]:
    names = set()
    for path in paths.DATA.glob("*.csv"):
        with path.open(encoding="utf-8") as f:
            names.update(next(csv.reader(f)))
    return names


@pytest.mark.book
def test_table_headers_are_for_readers(html_dir):
    raw = _raw_column_names()
    bad = {}
    n = 0
    for name, text in _pages(html_dir).items():
        for table in TABLE.findall(text):
            for head in re.findall(r"<th[^>]*>(.*?)</th>", table, re.DOTALL):
                head = _text(head).strip()
                n += 1
                if "_" in head or head in raw:
                    bad.setdefault(name, set()).add(head)
    assert n > 50, "too few table headers found: is the book built?"
    assert not bad, f"database names as table headers: {bad}"


@pytest.mark.book
def test_no_source_key_is_shown_in_a_table(html_dir):
    keys = set(sources.entries())
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, keys)) + r")(?![\w-])")
    shown = {}
    for name, text in _pages(html_dir).items():
        for table in TABLE.findall(text):
            found = set(pattern.findall(_text(table)))
            if found:
                shown.setdefault(name, set()).update(found)
    assert not shown, f"source keys a reader sees in tables: {shown}"


@pytest.mark.book
def test_every_citation_link_lands_on_a_bibliography_entry(html_dir):
    pages = _pages(html_dir)
    links = 0
    broken = []
    for name, text in pages.items():
        assert tables.CITE_HREF not in text, f"{name}: a citation link was not pointed at the bibliography"
        for href in re.findall(r'<a href="([^"]*#cite-[^"]+)"', text):
            links += 1
            target, _, anchor = html.unescape(href).partition("#")
            page = (html_dir / name).parent.joinpath(target).resolve().relative_to(html_dir.resolve()).as_posix()
            if not re.search(rf'<div class="citation"\s+id="{re.escape(anchor)}"', pages.get(page, "")):
                broken.append((name, href))
    assert links > 100, f"only {links} linked citations"
    assert not broken, broken[:5]


@pytest.mark.book
def test_no_page_or_chart_says_1_rows(html_dir):
    for path in [*html_dir.glob("**/*.html"), *html_dir.glob("_static/**/*.js")]:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert not re.search(r"\b1 rows\b", text), path
        assert "%{y} rows" not in text, f"{path}: a hover template that says '1 rows' for one"


@pytest.mark.book
def test_datatables_is_loaded_exactly_on_pages_with_a_long_table(html_dir):
    pages = _pages(html_dir)
    with_long = {n for n, t in pages.items() if "data-wra-long" in t}
    loading = {n for n, t in pages.items() if book_tables.DATATABLES_JS in t}
    assert {"notebooks/01_record.html", "notebooks/02_directives_vs_actions.html"} <= with_long
    assert loading == with_long
    assert (html_dir / "_static" / book_tables.DATATABLES_JS).exists()
    assert (html_dir / "_static" / book_tables.TARGET / "LICENSE.txt").exists()


@pytest.mark.book
def test_chapter_02_opens_with_its_answer(html_dir):
    text = (html_dir / "notebooks" / "02_directives_vs_actions.html").read_text(encoding="utf-8")
    article = text[text.index('<article class="bd-article"') :]
    first_figure, first_table = article.find("<figure"), article.find("<table")
    assert 0 <= first_figure < first_table, "chapter 02 shows a table before its first figure"
    assert 'id="fig-directives-verdicts"' in article[first_figure : first_figure + 400]
    assert "fig-directives-timeline" not in text
    # the full table is collapsed, and it is the last table of the chapter
    details = article.index('class="sd-sphinx-override sd-dropdown')
    assert article.find("Directives to the Western Route Army") > details


# ------------------------------------------------------------- browser ----

SCRIPTS = [
    book_tables.VENDOR / "dataTables.min.js",
    book_tables.STATIC / "wra-tables.js",
]


@pytest.mark.browser
def test_hostile_cell_text_stays_text_after_the_table_is_enhanced(browser):
    rows = pd.DataFrame({"Text": [HOSTILE, "b", "a"] * 5, "N": list(range(15))})
    table = tables.to_html(rows, caption="hostile")
    page = browser.new_page()
    page.set_content(f"<!doctype html><html><body><article class='bd-article'>{table}</article></body></html>")
    for script in SCRIPTS:
        page.add_script_tag(path=str(script))
    page.evaluate("document.dispatchEvent(new Event('DOMContentLoaded'))")
    page.wait_for_selector("table[data-wra-enhanced]")
    page.click("th:has-text('Text')")
    page.fill(".dt-search input", "onerror")
    page.wait_for_function("document.querySelectorAll('tbody tr').length === 5")
    cells = page.eval_on_selector_all("tbody td:first-child", "tds => tds.map(td => td.textContent)")
    injected = page.evaluate("() => [window.__pwned, document.querySelectorAll('tbody img, tbody script').length]")
    info = page.text_content(".dt-info")
    page.close()
    assert cells == [HOSTILE] * 5
    assert injected == [None, 0]
    assert info == "5 rows of 15 match the filter."


@pytest.mark.browser
@pytest.mark.book
def test_long_tables_sort_and_filter_in_chromium(browser, book_url):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{book_url}/notebooks/01_record.html", wait_until="load")
    page.wait_for_selector("table[data-wra-enhanced]")
    enhanced = page.locator("table[data-wra-enhanced]").count()
    first = page.locator("table[data-wra-enhanced]").first
    ids = "t => Array.from(t.tBodies[0].rows).map(r => r.cells[0].textContent.trim())"
    before = first.evaluate(ids)
    first.locator("th").first.click()
    first.locator("th").first.click()  # second click: descending
    after = first.evaluate(ids)
    wrapper = page.locator(".dt-container").first
    wrapper.locator(".dt-search input").fill(before[3])
    page.wait_for_timeout(300)
    filtered = first.evaluate(ids)
    info = wrapper.locator(".dt-info").text_content()
    page.close()
    assert enhanced >= 3, "the directives, actions and places tables should be sortable"
    assert after == sorted(before, reverse=True) and after != before
    assert before[3] in filtered and len(filtered) < len(before)
    assert "1 rows" not in info and re.search(r"\b(1 row|\d+ rows) of \d+ match", info), info


@pytest.mark.browser
@pytest.mark.book
def test_printing_opens_chapter_02s_collapsed_table(browser, book_url):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{book_url}/notebooks/02_directives_vs_actions.html", wait_until="load")
    page.wait_for_selector("table[data-wra-enhanced]", state="attached")
    closed = page.evaluate("() => !document.querySelector('details.wra-full-table').open")
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    opened = page.evaluate("() => document.querySelector('details.wra-full-table').open")
    page.close()
    assert closed and opened


@pytest.mark.browser
@pytest.mark.book
def test_chapter_06s_tables_read_down_a_phone_and_stay_tables_on_a_laptop(browser, book_url):
    measure = """() => Array.from(document.querySelectorAll('table.wra-stack')).map(t => {
        const frame = t.closest('.dt-layout-cell') || t.closest('.wra-table-wrap');
        const cell = t.tBodies[0].rows[0].cells[0];
        return {wide: frame.scrollWidth > frame.clientWidth + 1, head: getComputedStyle(t.tHead).position,
                label: getComputedStyle(cell, '::before').content, display: getComputedStyle(cell).display};
    })"""
    found = {}
    for name, width in (("phone", 390), ("laptop", 1366)):
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(f"{book_url}/notebooks/06_destruction.html", wait_until="load")
        page.wait_for_timeout(500)
        found[name] = page.evaluate(measure)
        page.close()
    assert len(found["phone"]) >= 10 and len(found["phone"]) == len(found["laptop"])
    # on a phone no table scrolls sideways: each cell is a block under its column's name
    assert not any(t["wide"] for t in found["phone"]), found["phone"]
    assert all(t["display"] == "block" and t["label"] not in ("none", "normal") for t in found["phone"])
    # on a laptop each is a table with its header row
    assert all(t["display"] == "table-cell" and t["head"] != "absolute" for t in found["laptop"])
    assert all(t["label"] in ("none", "normal") for t in found["laptop"])
