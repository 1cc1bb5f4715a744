"""What a reader meets first, in Chromium at a phone's and a laptop's first screen (390×844, 1366×768).

- Every chapter opens with its answer: the ``wra-answer`` box under the title,
  its answer (a sentence with a number glued from the notebook) whole on the
  first screen, and a link to the chart that shows it.
- The front page: the first finding starts above the fold on a phone, and the
  way to take the book with you (the PDF, the data) is on the first screen.
- On a laptop the chapter list keeps its search field in view: on chapter
  pages the list is not scrolled (the book's title shows too), and however far
  it is scrolled, the field stays pinned at its top and takes a click.
- The header's download menu offers the book's PDF and, on a chapter, its
  notebook, and both are there to fetch.
"""

from __future__ import annotations

import re

import pytest

from wra.record import paths

pytestmark = [pytest.mark.browser, pytest.mark.book]

FIRST_SCREENS = {"phone": (390, 844), "laptop": (1366, 768)}
#: every chapter (notebooks/NN_topic.md), as its page
CHAPTERS = sorted(f"notebooks/{p.stem}.html" for p in (paths.ROOT / "notebooks").glob("[0-9]*.md"))
SEARCH_FIELD = ".bd-sidebar-primary .search-button-field"


@pytest.fixture(scope="module", params=list(FIRST_SCREENS))
def screen(request, browser, book_url):
    width, height = FIRST_SCREENS[request.param]
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        yield request.param, context, height
    finally:
        context.close()


def answer_on_first_screen(page) -> dict:
    return page.evaluate(
        """() => {
            const box = document.querySelector('.wra-answer');
            if (!box) return {box: false};
            const answer = box.querySelector('p:not(.wra-answer-label)');
            const numbers = Array.from(answer.querySelectorAll('.pasted-text'));
            const title = document.querySelector('.bd-article h1');
            const link = box.querySelector('.wra-answer-chart a[href*="#fig-"]');
            const r = e => e.getBoundingClientRect();
            return {
                box: true,
                after_title: !!(title && (title.compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING)),
                box_top: Math.round(r(box).top + scrollY),
                answer_bottom: Math.round(r(answer).bottom + scrollY),
                numbers: numbers.map(n => n.textContent.trim()).filter(t => /\\d/.test(t)),
                chart: link ? link.getAttribute('href') : null,
                chart_text: link ? link.textContent.trim() : null,
            };
        }"""
    )


def test_every_chapter_answers_on_its_first_screen(screen, book_url):
    name, context, height = screen
    page = context.new_page()
    found = {}
    try:
        for rel in CHAPTERS:
            page.goto(f"{book_url}/{rel}", wait_until="load")
            found[rel] = answer_on_first_screen(page)
    finally:
        page.close()
    assert len(found) >= 5
    for rel, seen in found.items():
        assert seen["box"] and seen["after_title"], f"{name} {rel}: no answer box under the title"
        assert seen["numbers"], f"{name} {rel}: the answer holds no glued number"
        assert seen["answer_bottom"] <= height, (
            f"{name} {rel}: the answer ends at y={seen['answer_bottom']} of {height}"
        )
        assert seen["chart"] and re.fullmatch(r"Fig\. \d+", seen["chart_text"]), f"{name} {rel}: {seen}"


def test_the_answers_chart_link_leads_to_a_figure(screen, book_url):
    _, context, _ = screen
    page = context.new_page()
    try:
        for rel in CHAPTERS:
            page.goto(f"{book_url}/{rel}", wait_until="load")
            page.locator(".wra-answer .wra-answer-chart a").click()
            page.wait_for_load_state("load")
            target = page.evaluate("() => decodeURIComponent(location.hash.slice(1))")
            assert target.startswith("fig-"), (rel, target)
            assert page.locator(f"figure#{target}").count() == 1, (rel, target)
    finally:
        page.close()


def test_the_front_page_shows_its_first_finding_and_the_way_to_take_it_with_you(screen, book_url):
    name, context, height = screen
    page = context.new_page()
    try:
        page.goto(f"{book_url}/book/index.html", wait_until="load")
        seen = page.evaluate(
            """() => {
                const top = e => e.getBoundingClientRect().top + scrollY;
                const first = document.querySelector('.wra-findings li');
                const take = document.querySelector('.wra-take');
                const links = take ? Array.from(take.querySelectorAll('a')).map(a => a.getAttribute('href')) : [];
                const bottom = take ? Math.round(take.getBoundingClientRect().bottom + scrollY) : null;
                return {first: Math.round(top(first)), take: bottom, links};
            }"""
        )
    finally:
        page.close()
    assert seen["first"] < height - 60, f"{name}: finding 1 starts at y={seen['first']}, below the fold ({height})"
    assert seen["take"] is not None and seen["take"] <= height, f"{name}: {seen}"
    assert "../western-route-army.pdf" in seen["links"] and "../wra-data.zip" in seen["links"], seen["links"]


def test_the_search_field_stays_in_view_on_a_laptop(browser, book_url):
    found = {}
    for rel in [*CHAPTERS, "book/glossary.html", "book/contributing.html"]:
        # a first visit: a new context, so no position remembered from another page
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        page = context.new_page()
        try:
            page.goto(f"{book_url}/{rel}", wait_until="load")
            page.wait_for_timeout(200)
            state = {"scrolled": page.evaluate("() => document.querySelector('div.bd-sidebar').scrollTop")}
            for when in ("loaded", "list scrolled to its end"):
                if when != "loaded":
                    page.evaluate(
                        "() => { const s = document.querySelector('div.bd-sidebar'); s.scrollTop = s.scrollHeight; }"
                    )
                    page.wait_for_timeout(100)
                state[when] = page.evaluate(
                    """(sel) => { const f = document.querySelector(sel); const r = f.getBoundingClientRect();
                        const hit = document.elementFromPoint(r.left + 10, r.top + r.height / 2);
                        return r.top >= 0 && r.bottom <= innerHeight && f.contains(hit); }""",
                    SEARCH_FIELD,
                )
            page.locator(SEARCH_FIELD).click()
            state["opens the search"] = page.locator("#pst-search-dialog[open]").count() == 1
        finally:
            context.close()
        found[rel] = state
    for rel, state in found.items():
        assert state["loaded"] and state["list scrolled to its end"], f"{rel}: the search field is out of view: {state}"
        assert state["opens the search"], f"{rel}: the pinned search field did not open the search"
        if rel.startswith("notebooks/"):
            assert state["scrolled"] == 0, f"{rel}: the chapter list was scrolled by {state['scrolled']} px"


def test_the_download_menu_offers_the_books_pdf_and_the_chapters_notebook(browser, book_url):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        page.goto(f"{book_url}/{CHAPTERS[1]}", wait_until="load")
        page.locator(".dropdown-download-buttons > button").click()
        menu = page.locator(".dropdown-download-buttons .dropdown-menu")
        menu.wait_for(state="visible")
        items = {a.inner_text().strip(): a.get_attribute("href") for a in menu.locator("a").all()}
        fetched = {
            text: page.evaluate("(h) => fetch(h, {method: 'HEAD'}).then(r => r.status)", href)
            for text, href in items.items()
        }
        prints = page.evaluate("() => document.querySelectorAll('[onclick*=\"print\"]').length")
    finally:
        context.close()
    assert "The whole book (PDF)" in items and "This chapter as a notebook (.ipynb)" in items, items
    assert all(status == 200 for status in fetched.values()), fetched
    assert prints == 0, "something on the page still runs window.print()"
