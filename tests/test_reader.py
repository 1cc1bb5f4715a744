"""The reader's shell in Chromium: every page of the book at phone and laptop width.

For each width (390×844 and 1366×900) one browser context opens every page of
the built book once and checks, as a reader would meet them:

- one sidebar toggle, and it opens the chapter list (on a phone a dialog, on a
  laptop the sidebar it hides and shows again), with a chapter link in it that
  is visible and can be clicked;
- one search box;
- no sideways scroll: the document is no wider than the viewport;
- no console error, no uncaught exception, no request leaving 127.0.0.1;
- every image has alt text that is not its file name;
- axe-core (tools/axe.sh installs it; injected into the page, run offline)
  finds no critical or serious violation, in light mode, and none of colour
  contrast in dark mode; static images are not dimmed in dark mode;
- printed (print media emulated), the page shows no navigation, no code
  toggle, no interactive chart, and every image fits the page.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.test_browser import book_pages
from wra.record import paths
from wra_book.offline import keep_offline

pytestmark = [pytest.mark.browser, pytest.mark.book]

WIDTHS = {"phone": (390, 844), "laptop": (1366, 900)}
AXE = paths.ROOT / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
AXE_HINT = "run `make axe` (tools/axe.sh; make test does it)"
SERIOUS = ("critical", "serious")

# Parts of a page axe-core is not asked about, each with its reason. Every entry
# is a precise selector, reviewed; nothing is excluded today.
AXE_EXCLUDE: list[str] = []

# The chapter list: the theme's sidebar navigation (on a phone it is moved into
# a dialog when the toggle is pressed).
NAV_LINKS = "nav.bd-docs-nav a.reference"
# A4 less 10 mm margins each side, in CSS pixels: the width a printed page has.
PAPER = {"width": 718, "height": 1015}
# What a printed page must not show.
PRINT_HIDDEN = {
    "sidebar": ".bd-sidebar-primary",
    "page contents": ".bd-sidebar-secondary",
    "article header (toggle, buttons)": ".bd-header-article",
    "sidebar toggle": ".primary-toggle",
    "search": ".search-button__button, .search-button-field",
    "previous/next links": ".prev-next-area",
    "code toggle": "details.above-input, details.below-input, details.hide",
    "code": ".cell_input",
    "interactive chart": ".wra-plot",
}
# An element is visible if it takes up space and is not hidden by style.
VISIBLE_JS = """(sel) => Array.from(document.querySelectorAll(sel)).filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && el.checkVisibility({visibilityProperty: true, opacityProperty: true});
}).length"""


def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"axe-core is not installed at {AXE.relative_to(paths.ROOT)}: {AXE_HINT}")
    return AXE.read_text(encoding="utf-8")


def run_axe(page, source: str, rules: list[str] | None = None) -> dict:
    """axe-core's violations on the page, and how many rules it ran."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=source)
    options = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    return page.evaluate(
        """async ([exclude, options]) => {
            const context = exclude.length ? {exclude: exclude.map(s => [s])} : document;
            const result = await axe.run(context, options);
            const rules = ["violations", "passes", "incomplete", "inapplicable"]
                .reduce((n, kind) => n + result[kind].length, 0);
            return {rules, violations: result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5), count: v.nodes.length,
            }))};
        }""",
        [AXE_EXCLUDE, options],
    )


def set_mode(page, mode: str) -> None:
    page.evaluate(
        """(mode) => { document.documentElement.dataset.theme = mode;
                       document.documentElement.dataset.mode = mode; }""",
        mode,
    )
    page.wait_for_timeout(250)  # the theme's colour transitions


def check_toggle(page, width: int) -> dict:
    """Press the one sidebar toggle; is a chapter link then visible and clickable?"""
    found = {
        "toggles": page.locator(".primary-toggle").count(),
        "visible toggles": page.locator(".primary-toggle:visible").count(),
    }
    toggle = page.locator(".primary-toggle:visible").first
    try:
        if width < 992:
            # a phone: the chapter list is hidden until the toggle opens it as a dialog
            found["closed"] = page.locator(f"{NAV_LINKS}:visible").count() == 0
            toggle.click(timeout=3_000)
            page.wait_for_selector("#pst-primary-sidebar-modal[open]", timeout=3_000)
            links = page.locator(f"#pst-primary-sidebar-modal {NAV_LINKS}")
        else:
            # a laptop: the sidebar is open; the toggle hides it and shows it again
            hidden = "visibility === 'hidden'"
            shown = "visibility === 'visible'"
            sidebar = "getComputedStyle(document.querySelector('#pst-primary-sidebar'))."
            toggle.click(timeout=3_000)
            page.wait_for_function(f"() => {sidebar}{hidden}", timeout=3_000)
            found["closed"] = page.locator(f"#pst-primary-sidebar {NAV_LINKS}:visible").count() == 0
            toggle.click(timeout=3_000)
            page.wait_for_function(f"() => {sidebar}{shown}", timeout=3_000)
            page.wait_for_timeout(300)  # the sidebar slides back in
            links = page.locator(f"#pst-primary-sidebar {NAV_LINKS}")
    except PlaywrightError as exc:
        found["opened"] = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
        return found
    found["opened"] = True
    link = links.filter(has_text=re.compile("march as a map", re.I)).first
    found["link visible"] = link.is_visible()
    try:
        link.click(trial=True, timeout=3_000)  # visible, stable, enabled, receives the click
        found["link clickable"] = True
    except PlaywrightError as exc:
        found["link clickable"] = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
    return found


def check_print(page) -> dict:
    """Print media on a page as wide as A4's printable width: what shows, what sticks out."""
    viewport = page.viewport_size
    page.set_viewport_size(PAPER)
    page.emulate_media(media="print")
    try:
        page.wait_for_timeout(100)
        shown = {name: page.evaluate(VISIBLE_JS, selector) for name, selector in PRINT_HIDDEN.items()}
        overflowing = page.evaluate(
            """(width) => Array.from(document.querySelectorAll('#main-content img, #main-content figure'))
                .filter(el => { const r = el.getBoundingClientRect();
                                return r.width > 0 && (r.left < -1 || r.right > width + 1); })
                .map(el => el.getAttribute('src') || el.id || el.className)""",
            PAPER["width"],
        )
        too_wide = page.evaluate("() => document.documentElement.scrollWidth") > PAPER["width"]
    finally:
        page.emulate_media(media="screen")
        page.set_viewport_size(viewport)
    found = {"shown": {k: v for k, v in shown.items() if v}, "figures wider than the paper": overflowing}
    if too_wide:
        found["page wider than the paper"] = True
    return found


@pytest.fixture(scope="module", params=list(WIDTHS))
def survey(request, browser, book_url, html_dir):
    """Open every page at one width, once; return what each check found, page by page."""
    width, height = WIDTHS[request.param]
    source = axe_source()
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme="light")
    external = keep_offline(context)
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("console", lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None)
    found = {}
    for rel in book_pages(html_dir):
        external.clear()
        errors.clear()
        # "load", not "networkidle": the network can fall idle while a long page
        # is still being parsed, before its scripts have run.
        page.goto(f"{book_url}/{rel}", wait_until="load")
        if rel == "index.html":  # the site's root redirects to the front page
            page.wait_for_url("**/book/index.html", wait_until="load")
        result = {
            "width": page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]"),
            "search boxes": page.evaluate(VISIBLE_JS, ".search-button__button, form.bd-search"),
            "axe": run_axe(page, source),
            "images named by their file": page.evaluate(
                """() => Array.from(document.querySelectorAll('#main-content img'))
                       .map(i => i.getAttribute('alt') || '')
                       .filter(alt => !alt.trim() || /\\.(png|jpe?g|gif|svg|webp)$/i.test(alt))"""
            ),
        }
        set_mode(page, "dark")
        result["axe dark"] = run_axe(page, source, ["color-contrast"])
        result["dimmed images"] = page.evaluate(
            """() => Array.from(document.querySelectorAll('.bd-article img'))
                   .filter(i => getComputedStyle(i).filter !== 'none').map(i => i.getAttribute('src'))"""
        )
        set_mode(page, "light")
        result["print"] = check_print(page)
        result["toggle"] = check_toggle(page, width)
        result["external"] = list(external)
        result["errors"] = list(errors)
        found[rel] = result
    yield request.param, found
    context.close()


def failures(survey, check) -> dict:
    _, found = survey
    assert len(found) >= 14, f"only {len(found)} pages were opened: {sorted(found)}"
    bad = {}
    for rel, result in found.items():
        problem = check(result)
        if problem:
            bad[rel] = problem
    return bad


def test_one_toggle_opens_the_chapter_list(survey):
    def check(result):
        t = result["toggle"]
        ok = (
            t["toggles"] == 1
            and t["visible toggles"] == 1
            and t["opened"] is True
            and t["closed"]
            and t["link visible"]
            and t["link clickable"] is True
        )
        return None if ok else t

    assert not failures(survey, check), f"{survey[0]}: {failures(survey, check)}"


def test_one_search_box(survey):
    bad = failures(survey, lambda r: None if r["search boxes"] == 1 else r["search boxes"])
    assert not bad, f"{survey[0]}: visible search boxes per page: {bad}"


def test_no_sideways_scroll(survey):
    bad = failures(survey, lambda r: None if r["width"][0] <= r["width"][1] else r["width"])
    assert not bad, f"{survey[0]}: [document width, viewport width]: {bad}"


def test_no_console_errors(survey):
    bad = failures(survey, lambda r: r["errors"])
    assert not bad, f"{survey[0]}: {bad}"


def test_no_request_leaves_the_machine(survey):
    bad = failures(survey, lambda r: r["external"])
    assert not bad, f"{survey[0]}: {bad}"


def test_axe_finds_no_critical_or_serious_violation(survey):
    bad = failures(survey, lambda r: [v for v in r["axe"]["violations"] if v["impact"] in SERIOUS])
    assert not bad, f"{survey[0]}: {bad}"


def test_every_image_says_what_it_shows(survey):
    bad = failures(survey, lambda r: r["images named by their file"])
    assert not bad, f"{survey[0]}: images whose alt text is empty or a file name: {bad}"


def test_dark_mode_keeps_contrast_and_does_not_dim_images(survey):
    def check(result):
        problems = {"contrast": result["axe dark"]["violations"], "dimmed images": result["dimmed images"]}
        return {k: v for k, v in problems.items() if v}

    bad = failures(survey, check)
    assert not bad, f"{survey[0]}: {bad}"


def test_print_hides_navigation_code_toggles_and_interactive_charts(survey):
    bad = failures(survey, lambda r: {k: v for k, v in r["print"].items() if v})
    assert not bad, f"{survey[0]}: visible in print: {bad}"


def test_the_survey_saw_what_it_checks(survey):
    """Guards against checks that pass because they saw nothing."""
    name, found = survey
    assert all(r["axe"]["rules"] >= 50 for r in found.values()), f"{name}: axe-core ran too few rules"
    assert all(r["axe dark"]["rules"] >= 1 for r in found.values()), f"{name}: no contrast check in dark mode"
    toggled = [r for r in found.values() if r["toggle"].get("link clickable") is True]
    assert toggled, f"{name}: no page's chapter link was clickable"
    pages_with_code = [rel for rel in found if rel.startswith("notebooks/")]
    assert pages_with_code, "no chapter page was printed: the code-toggle check checked nothing"


def test_a_chapter_link_in_the_opened_list_leads_to_its_chapter(browser, book_url):
    for name, (width, height) in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        try:
            page = context.new_page()
            page.goto(f"{book_url}/notebooks/03_troop_strength.html", wait_until="load")
            if width < 992:
                page.locator(".primary-toggle").click()
                page.wait_for_selector("#pst-primary-sidebar-modal[open]")
                scope = "#pst-primary-sidebar-modal"
            else:
                scope = "#pst-primary-sidebar"
            page.locator(f"{scope} {NAV_LINKS}", has_text="The march as a map").click()
            page.wait_for_url("**/notebooks/04_route.html", timeout=10_000)
            assert page.locator("h1").first.inner_text().startswith("The march as a map"), name
        finally:
            context.close()


def test_axe_flags_a_known_violation_and_honours_an_exclusion(browser, monkeypatch):
    """The accessibility check can fail: axe-core finds serious faults planted in a
    page, and a selector in AXE_EXCLUDE takes exactly its element out of the run."""
    page = browser.new_page()
    try:
        page.set_content(
            '<html lang="en"><body><main><button id="menu" aria-label="Close">Open the menu</button>'
            '<p style="color:#bbb;background:#fff">faint</p></main></body></html>'
        )
        found = {v["id"] for v in run_axe(page, axe_source())["violations"] if v["impact"] in SERIOUS}
        monkeypatch.setattr(f"{__name__}.AXE_EXCLUDE", ["#menu"])
        left = {v["id"] for v in run_axe(page, axe_source())["violations"] if v["impact"] in SERIOUS}
    finally:
        page.close()
    assert {"label-content-name-mismatch", "color-contrast"} <= found, found
    assert left == found - {"label-content-name-mismatch"}, left


def test_every_page_declares_its_icon_and_the_root_has_one(html_dir):
    assert (html_dir / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"  # an ICO file
    missing = []
    for rel in book_pages(html_dir):
        text = (html_dir / rel).read_text(encoding="utf-8")
        if rel != "index.html" and not re.search(r'<link rel="icon" href="[^"]*_static/favicon\.ico"', text):
            missing.append(rel)
    assert not missing, missing


def test_no_page_emits_thebe_or_a_script_twice(html_dir):
    for rel in book_pages(html_dir):
        text = (html_dir / rel).read_text(encoding="utf-8")
        head = text[: text.find("</head>")]
        assert "THEBE_JS_URL" not in text and "sphinx-thebe.js" not in text, rel
        inline = re.findall(r"<script>(.*?)</script>", head, flags=re.S)
        assert len(inline) == len(set(inline)), (rel, [s for s in inline if inline.count(s) > 1])


def test_the_overridden_theme_components_still_match_the_theme():
    """Our copies of theme components keep the classes the theme's scripts and styles look for."""
    import pydata_sphinx_theme
    import sphinx_book_theme

    pst = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "components"
    sbt = Path(sphinx_book_theme.__file__).parent / "theme" / "sphinx_book_theme" / "components"
    ours = paths.ROOT / "_templates"
    for theirs, classes in (
        (sbt / "toggle-primary-sidebar.html", 'class="sidebar-toggle primary-toggle btn btn-sm"'),
        (pst / "search-button-field.html", 'class="btn search-button-field search-button__button pst-js-only"'),
    ):
        assert classes in theirs.read_text(encoding="utf-8"), f"the theme's {theirs.name} changed: update ours"
        assert classes in (ours / theirs.name).read_text(encoding="utf-8"), theirs.name
