"""Open every page of the built book in headless Chromium, with no network.

Fails on: any request to a host other than 127.0.0.1/localhost, any JavaScript
error, any plotly chart that has not drawn, and any image that did not load.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from wra_book.offline import is_local, keep_offline

pytestmark = [pytest.mark.browser, pytest.mark.book]

NOT_PAGES = ("_static", "_sources", "_images", "_downloads", "jupyter_execute")


def book_pages(html_dir: Path) -> list[str]:
    pages = []
    for path in sorted(html_dir.rglob("*.html")):
        rel = path.relative_to(html_dir)
        if rel.parts[0] in NOT_PAGES:
            continue
        pages.append(rel.as_posix())
    return pages


def test_is_local():
    assert is_local("http://127.0.0.1:8000/index.html")
    assert is_local("data:image/png;base64,AAAA")
    assert not is_local("https://cdn.jsdelivr.net/npm/x.js")
    assert not is_local("https://fonts.googleapis.com/css")
    assert not is_local("http://127.0.0.2.example.com/")


def test_the_book_has_pages(html_dir):
    pages = book_pages(html_dir)
    assert "index.html" in pages
    assert any(p.startswith("notebooks/") for p in pages), pages


@pytest.fixture(scope="module")
def visit(browser, book_url):
    """Open one page; return what went wrong on it."""
    context = browser.new_context()
    plotly_loads: list[str] = []

    def count_plotly(request):
        if "plotly" in urlsplit(request.url).path.rsplit("/", 1)[-1]:
            plotly_loads.append(request.url)

    external = keep_offline(context, on_local=count_plotly)

    def _visit(rel: str) -> dict:
        external.clear()
        plotly_loads.clear()
        errors: list[str] = []
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
        page.on(
            "console",
            lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None,
        )
        page.goto(f"{book_url}/{rel}", wait_until="networkidle")
        # each chart shows its image (of this width and theme) as the reader reaches it, then draws
        # the interactive chart in its place (wra-charts.js): scroll to each
        every, live = ".wra-chart", ".wra-chart.wra-interactive"
        n_charts = page.locator(live).count()
        broken_images = []
        page.mouse.wheel(0, 40)
        for i in range(page.locator(every).count()):
            chart = page.locator(every).nth(i)
            chart.scroll_into_view_if_needed()
            shown = """c => Array.from(c.querySelectorAll('img')).filter(i => i.checkVisibility())"""
            with contextlib.suppress(PlaywrightTimeout):  # reported below as broken images
                page.wait_for_function(f"c => ({shown})(c).every(i => i.complete)", arg=chart.element_handle())
            broken_images += chart.evaluate(
                f"c => ({shown})(c).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.currentSrc || i.src)"
            )
            if "wra-interactive" in (chart.get_attribute("class") or ""):
                with contextlib.suppress(PlaywrightTimeout):  # reported below as undrawn charts
                    page.wait_for_function(
                        "c => ['drawn', 'failed'].includes(c.getAttribute('data-wra-live'))",
                        arg=chart.element_handle(),
                        timeout=15_000,
                    )
        if n_charts:
            with contextlib.suppress(PlaywrightTimeout):  # reported below as undrawn charts
                page.wait_for_function(
                    "n => document.querySelectorAll('.wra-plot .main-svg').length >= n",
                    arg=n_charts,
                    timeout=15_000,
                )
        undrawn = page.evaluate(
            """() => Array.from(document.querySelectorAll('.wra-chart.wra-interactive'))
                   .filter(c => !c.querySelector('.wra-plot .main-svg')).length"""
        )
        # any other image on the page (none today) must have loaded
        broken_images += page.evaluate(
            """() => Array.from(document.images).filter(i => !i.closest('.wra-chart'))
                   .filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"""
        )
        result = {
            "plotly_loads": len(plotly_loads),
            "external": list(external),
            "errors": errors,
            "charts": n_charts,
            "undrawn": undrawn,
            "broken_images": broken_images,
        }
        page.close()
        return result

    yield _visit
    context.close()


def test_every_page_renders_offline(html_dir, visit):
    failures = {}
    chart_pages = 0
    for rel in book_pages(html_dir):
        result = visit(rel)
        chart_pages += bool(result["charts"])
        problems = {k: result[k] for k in ("external", "errors", "undrawn", "broken_images") if result[k]}
        if result["plotly_loads"] > 1:
            problems["plotly.js loaded more than once"] = result["plotly_loads"]
        if result["charts"] and not result["plotly_loads"]:
            problems["charts but plotly.js never loaded"] = result["charts"]
        if problems:
            failures[rel] = problems
    assert not failures, failures
    assert chart_pages, "no page has a plotly chart: the chart checks checked nothing"


@pytest.mark.parametrize("term", ["古浪", "高台", "倪家营子", "Gaotai", "directive", "徐向前", "李先念", "codebook"])
def test_search_finds_chinese_and_english_terms(browser, book_url, term):
    page = browser.new_page()
    try:
        page.goto(f"{book_url}/search.html?q={term}", wait_until="load")
        page.wait_for_selector("#search-results ul.search li", timeout=15_000)
        hits = page.locator("#search-results ul.search li").count()
    finally:
        page.close()
    assert hits >= 1, f"the search found nothing for {term}"
