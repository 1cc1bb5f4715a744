"""Each chart once, from one figure: every chart page at phone and laptop width, light and dark.

A chart is one plotly figure; the build draws its static images and its
interactive drawings from it (wra_book/charts.py) at two widths and in two
themes, and _static/wra-charts.js draws the interactive chart in the image's
place as the reader reaches it. In Chromium, for each page with charts, at
390×844 and 1366×900:

- the first visit (the page opened, nothing scrolled) fetches no plotly.js and
  weighs at most 1.5 MB uncompressed, and shows each chart's image of the
  reader's width and theme;
- scrolled to, every interactive chart becomes interactive, drawn from the
  drawing of the reader's width and theme, and then exactly one copy of it is
  visible; an image-only chart stays an image that opens full size;
- no chart text is smaller than 10 px; the title lies inside the chart and no
  toolbar covers it; the legend and every label lie inside the chart;
- no toolbar button or link sends data off the machine (phones get no toolbar);
- switched to dark mode the chart (and, before it is drawn, its image) follows,
  and back;
- printed, each chart shows once, as its light laptop image;
- no console error, no request off the machine.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.test_browser import book_pages
from wra.presentation import style
from wra_book.offline import keep_offline

pytestmark = [pytest.mark.browser, pytest.mark.book]

WIDTHS = {"phone": (390, 844), "laptop": (1366, 900)}
FIRST_VISIT_MAX = 1_500_000
# what a modebar offers that would leave the machine
WAY_OUT = re.compile(r"cloud|chart studio|share|edit in|plotly", re.IGNORECASE)

CHART_STATE = """(c) => {
    const visible = (el) => { const r = el.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && el.checkVisibility({visibilityProperty: true, opacityProperty: true}); };
    const gd = c.querySelector('.wra-plot.js-plotly-plot');
    const images = Array.from(c.querySelectorAll('img')).filter(visible);
    const charts = Array.from(c.querySelectorAll('.wra-plot')).filter(visible).length;
    const buttons = Array.from(c.querySelectorAll('.modebar-btn, .modebar a'))
        .map(b => [b.getAttribute('data-title') || '', b.getAttribute('href') || '',
                   b.className.baseVal || b.className]);
    const layout = gd && gd._fullLayout ? gd._fullLayout : {};
    const box = gd ? gd.getBoundingClientRect() : null;
    const rel = (el) => { const r = el.getBoundingClientRect();
        return {top: r.top - box.top, left: r.left - box.left, right: r.right - box.left, bottom: r.bottom - box.top,
                width: r.width, height: r.height}; };
    const title = gd ? gd.querySelector('.gtitle') : null;
    const modebar = gd ? gd.querySelector('.modebar') : null;
    const legend = gd ? gd.querySelector('.legend') : null;
    // every piece of text plotly drew: its size and where it lies in the chart
    const texts = gd ? Array.from(gd.querySelectorAll('svg text')).filter(t => t.textContent.trim() && visible(t))
        .map(t => ({text: t.textContent.trim().slice(0, 40), size: parseFloat(getComputedStyle(t).fontSize),
                    ...rel(t)}))
        : [];
    return {state: c.getAttribute('data-wra-live'), images: images.length,
            image: images.length ? images[0].currentSrc.replace(/^.*\\//, '') : null,
            charts, buttons, width: box ? box.width : null, height: box ? box.height : null,
            title: title ? rel(title) : null, modebar: modebar && visible(modebar) ? rel(modebar) : null,
            legend: legend ? rel(legend) : null, texts,
            drawing: layout.meta && layout.meta.wra ? layout.meta.wra.drawing : null,
            paper: layout.paper_bgcolor || null, color: layout.font ? layout.font.color : null};
}"""

SOURCES = """(c) => Object.fromEntries(Array.from(c.querySelectorAll('picture')).map(p => [p.className,
    {phone: p.querySelector('source').getAttribute('srcset').replace(/^.*\\//, ''),
     wide: p.querySelector('img').getAttribute('src').replace(/^.*\\//, '')}]))"""


def chart_pages(html_dir) -> list[str]:
    pages = [rel for rel in book_pages(html_dir) if 'class="wra-chart' in (html_dir / rel).read_text(encoding="utf-8")]
    assert pages, "no page has a chart: the checks would check nothing"
    return pages


def _set_theme(page, theme: str) -> None:
    page.evaluate(f"() => document.documentElement.setAttribute('data-theme', '{theme}')")
    page.wait_for_timeout(400)


@pytest.fixture(scope="module", params=list(WIDTHS))
def charts(request, browser, book_url, html_dir):
    """Every chart page at one width: what the first visit fetched and showed, and each chart's state."""
    width, height = WIDTHS[request.param]
    found = {}
    for rel in chart_pages(html_dir):
        context = browser.new_context(viewport={"width": width, "height": height}, color_scheme="light")
        errors, fetched = [], []
        external = keep_offline(context)
        page = context.new_page()
        page.on("pageerror", lambda exc, errors=errors: errors.append(f"pageerror: {exc}"))
        page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)

        def response(r, fetched=fetched):
            try:
                fetched.append((r.url, len(r.body())))
            except Exception:  # a redirect has no body
                fetched.append((r.url, 0))

        page.on("response", response)
        page.goto(f"{book_url}/{rel}", wait_until="networkidle")
        page.wait_for_timeout(500)
        first = list(fetched)
        all_charts = page.locator(".wra-chart")
        sources = [all_charts.nth(i).evaluate(SOURCES) for i in range(all_charts.count())]
        page.mouse.wheel(0, 40)  # the reader starts to read: a scroll
        states = []
        for i in range(all_charts.count()):
            chart = all_charts.nth(i)
            chart.scroll_into_view_if_needed()
            if "wra-interactive" in chart.get_attribute("class"):
                page.wait_for_function(
                    "c => ['drawn', 'failed'].includes(c.getAttribute('data-wra-live'))",
                    arg=chart.element_handle(),
                    timeout=15_000,
                )
                chart.hover()  # the toolbar shows while the pointer is on the chart
                page.wait_for_timeout(300)
            state = chart.evaluate(CHART_STATE)
            state["index"] = i
            state["interactive"] = "wra-interactive" in chart.get_attribute("class")
            state["full size"] = chart.evaluate(
                "c => { const a = c.querySelector('a.wra-chart-full'); "
                "return a ? a.getAttribute('href').replace(/^.*\\//, '') : null; }"
            )
            _set_theme(page, "dark")
            state["dark"] = chart.evaluate(CHART_STATE)
            _set_theme(page, "light")
            state["light again"] = chart.evaluate(CHART_STATE)
            states.append(state)
        page.emulate_media(media="print")
        # Chromium loads every lazy image before it prints; emulated print media does not
        page.evaluate("() => document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })")
        page.wait_for_function(
            # the picture's source changes with the media (a phone's page prints the laptop image): wait
            # until each shown image has chosen and loaded its print source
            # (a picture's image has settled on its own src: the phone source is for screens only)
            "() => Array.from(document.images).filter(i => i.checkVisibility()).every(i => i.complete && i.currentSrc"
            " && (!i.closest('picture') || i.currentSrc.endsWith(i.getAttribute('src').replace(/^.*\\//, ''))))",
            timeout=15_000,
        )
        printed = [all_charts.nth(i).evaluate(CHART_STATE) for i in range(all_charts.count())]
        page.emulate_media(media="screen")
        found[rel] = {
            "first visit": sum(size for _, size in first),
            "first visit plotly": [u for u, _ in first if "plotly" in u.rsplit("/", 1)[-1]],
            "plotly fetched": [u for u, _ in fetched if "plotly" in u.rsplit("/", 1)[-1]],
            "sources": sources,
            "charts": states,
            "printed": printed,
            "errors": errors,
            "external": external,
        }
        context.close()
    return request.param, found


def _live(found):
    return [(rel, c) for rel, r in found.items() for c in r["charts"] if c["interactive"]]


def test_first_visit_fetches_no_plotly_and_at_most_1_5_mb(charts):
    name, found = charts
    bad = {
        rel: (r["first visit"], r["first visit plotly"])
        for rel, r in found.items()
        if r["first visit"] > FIRST_VISIT_MAX or r["first visit plotly"]
    }
    assert not bad, f"{name}: first visit (bytes, plotly.js fetched): {bad}"
    assert any(r["plotly fetched"] for r in found.values()), f"{name}: plotly.js never fetched once charts were reached"


@pytest.fixture(scope="module", params=list(WIDTHS))
def first_paint(request, browser, book_url, html_dir):
    """The image each chart shows before any script draws it (scripts off: what the first paint is,
    and what a reader without scripts keeps), in the light and the dark theme."""
    width, height = WIDTHS[request.param]
    context = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=False)
    keep_offline(context)
    found = {}
    try:
        for rel in chart_pages(html_dir):
            page = context.new_page()
            page.goto(f"{book_url}/{rel}", wait_until="load")
            charts = page.locator(".wra-chart")
            shown = []
            for i in range(charts.count()):
                chart = charts.nth(i)
                chart.scroll_into_view_if_needed()
                seen = {}
                for theme in ("light", "dark"):
                    _set_theme(page, theme)
                    page.wait_for_function(
                        "c => Array.from(c.querySelectorAll('img')).some(i => i.checkVisibility() && i.complete"
                        " && i.naturalWidth > 0)",
                        arg=chart.element_handle(),
                        timeout=15_000,
                    )
                    seen[theme] = chart.evaluate(CHART_STATE)["image"]
                _set_theme(page, "light")
                shown.append((seen, chart.evaluate(SOURCES)))
            found[rel] = shown
            page.close()
    finally:
        context.close()
    return request.param, found


def test_the_first_paint_is_the_image_of_the_readers_width_and_theme(first_paint):
    name, found = first_paint
    width = "phone" if name == "phone" else "wide"
    bad = {}
    for rel, shown in found.items():
        for i, (seen, sources) in enumerate(shown):
            for theme in ("light", "dark"):
                if seen[theme] != sources[f"wra-{theme}"][width]:
                    bad.setdefault(rel, []).append((i, theme, seen[theme], sources[f"wra-{theme}"][width]))
    assert not bad, f"{name}: image shown (chart, theme, shown, wanted): {bad}"
    assert sum(len(v) for v in found.values()) >= 7, f"{name}: too few charts seen"


def test_each_chart_becomes_interactive_from_its_drawing_and_shows_once(charts):
    name, found = charts
    width = "phone" if name == "phone" else "wide"
    bad = {}
    for rel, c in _live(found):
        if (c["state"], c["charts"], c["images"], c["drawing"]) != ("drawn", 1, 0, f"{width}-light"):
            bad.setdefault(rel, []).append({k: c[k] for k in ("index", "state", "charts", "images", "drawing")})
    assert not bad, f"{name}: {bad}"
    assert len(_live(found)) >= 5, f"{name}: too few interactive charts seen"


def test_an_image_only_chart_stays_an_image_that_opens_full_size(charts):
    name, found = charts
    still = [(rel, c) for rel, r in found.items() for c in r["charts"] if not c["interactive"]]
    assert still, f"{name}: no image-only chart: the check saw nothing"
    for rel, c in still:
        assert (c["images"], c["charts"]) == (1, 0), (rel, c["index"])
        sources = found[rel]["sources"][c["index"]]
        assert c["full size"] == sources["wra-light"]["wide"], (rel, c["index"], c["full size"])


def test_no_chart_text_is_smaller_than_10_px(charts):
    name, found = charts
    small = {
        (rel, c["index"]): sorted({(t["text"], t["size"]) for t in c["texts"] if t["size"] < style.MIN_FONT})
        for rel, c in _live(found)
    }
    small = {k: v for k, v in small.items() if v}
    assert not small, f"{name}: chart text under {style.MIN_FONT} px: {small}"
    assert any(c["texts"] for _, c in _live(found)), f"{name}: no chart text seen: the check saw nothing"


def test_titles_legends_and_labels_lie_inside_their_chart(charts):
    name, found = charts
    bad = {}
    for rel, c in _live(found):
        w, h = c["width"], c["height"]

        def outside(box, w=w, h=h):
            return box["top"] < -1 or box["left"] < -1 or box["right"] > w + 1 or box["bottom"] > h + 1

        problems = [f"title {c['title']}" for _ in [0] if c["title"] and outside(c["title"])]
        problems += [f"legend {c['legend']}" for _ in [0] if c["legend"] and outside(c["legend"])]
        problems += [f"text {t['text']!r} at {t}" for t in c["texts"] if outside(t)]
        if problems:
            bad[(rel, c["index"])] = problems[:6]
    assert not bad, f"{name}: outside the chart: {bad}"
    assert any(c["title"] for _, c in _live(found)), f"{name}: no chart has a title: the check saw nothing"


def test_no_toolbar_covers_a_title_and_none_sends_data_out(charts):
    name, found = charts
    bad = {}
    for rel, c in _live(found):
        if name == "phone":
            if c["modebar"]:
                bad[(rel, c["index"])] = "a toolbar on a phone"
            continue
        assert c["buttons"], f"{name}: {rel} chart {c['index']}: no toolbar at all (the check saw nothing)"
        out = [b for b in c["buttons"] if WAY_OUT.search(b[0]) or b[1].startswith("http") or "logo" in str(b[2])]
        t, m = c["title"], c["modebar"]
        if t and m and not (m["left"] >= t["right"] or m["right"] <= t["left"] or m["top"] >= t["bottom"]):
            out.append(f"toolbar {m} over the title {t}")
        if out:
            bad[(rel, c["index"])] = out
    assert not bad, f"{name}: {bad}"


def test_charts_follow_dark_mode_and_back(charts):
    name, found = charts
    width = "phone" if name == "phone" else "wide"
    bad = {}
    for rel, c in _live(found):
        d, light = c["dark"], c["light again"]
        ok = (
            d["drawing"] == f"{width}-dark"
            and d["paper"] == "rgba(0,0,0,0)"
            and d["color"].lower() == style.DARK["ink"].lower()
            and light["drawing"] == f"{width}-light"
            and light["color"].lower() == style.COLORS["ink"].lower()
        )
        if not ok:
            bad.setdefault(rel, []).append(
                {"index": c["index"], "dark": [d["drawing"], d["paper"], d["color"]], "light": [light["drawing"]]}
            )
    assert not bad, f"{name}: {json.dumps(bad)}"


def test_print_shows_each_chart_once_as_its_light_laptop_image(charts):
    """The front page's chart is its chapter's: printed there, once, and not on the front page."""
    name, found = charts
    bad = {}
    assert [(p["images"], p["charts"]) for p in found["book/index.html"]["printed"]] == [(0, 0)]
    for rel, r in found.items():
        if rel == "book/index.html":
            continue
        for printed, sources in zip(r["printed"], r["sources"]):
            if (printed["images"], printed["charts"], printed["image"]) != (1, 0, sources["wra-light"]["wide"]):
                bad.setdefault(rel, []).append((printed["images"], printed["charts"], printed["image"]))
    assert not bad, f"{name}: printed (images, interactive charts, image) per chart: {bad}"


def test_no_error_and_nothing_leaves_the_machine(charts):
    name, found = charts
    bad = {rel: r["errors"] + r["external"] for rel, r in found.items() if r["errors"] or r["external"]}
    assert not bad, f"{name}: {bad}"
