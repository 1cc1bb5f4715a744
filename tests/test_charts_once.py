"""Each chart once, interactive when reached: every chart page at phone and laptop width.

wra_book/twins.py merges each static figure with its interactive twin;
_static/wra-charts.js draws the interactive chart in the image's place as the
reader reaches it, fetching plotly.js only then. In Chromium, for each page
with charts, at 390×844 and 1366×900:

- the first visit (the page opened, nothing scrolled) fetches no plotly.js and
  weighs at most 1.5 MB uncompressed;
- scrolled to, every chart becomes interactive, and then exactly one copy of it
  is visible (the interactive chart, the image hidden);
- each chart's title lies inside it;
- no modebar button or link sends data off the machine (no "Share chart",
  no Chart Studio, no plotly logo link);
- at phone width the chart has the phone layout (legend below the plot,
  horizontal date labels, larger text); at laptop width it does not;
- switched to dark mode, the drawn chart follows (transparent background,
  light text), and back;
- printed, each chart shows once, as its static image;
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

FIGURE_STATE = """(f) => {
    const visible = (el) => { const r = el.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && el.checkVisibility({visibilityProperty: true, opacityProperty: true}); };
    const gd = f.querySelector('.plotly-graph-div');
    const images = Array.from(f.querySelectorAll('img')).filter(visible).length;
    const charts = Array.from(f.querySelectorAll('.plotly-graph-div')).filter(visible).length;
    const buttons = Array.from(f.querySelectorAll('.modebar-btn, .modebar a'))
        .map(b => [b.getAttribute('data-title') || '', b.getAttribute('href') || '',
                   b.className.baseVal || b.className]);
    // the layout plotly drew with (the chart's own, the template and the house style merged)
    const layout = gd && gd._fullLayout ? gd._fullLayout : {};
    const title = gd ? gd.querySelector('.gtitle') : null;
    const titleTop = title && gd ? title.getBoundingClientRect().top - gd.getBoundingClientRect().top : null;
    return {state: f.getAttribute('data-wra-live'), images, charts, buttons, titleTop,
            legend: layout.legend ? layout.legend.orientation || null : null,
            // the date labels' angle on every x axis that shows labels (null: none does)
            tickangle: (() => { const a = (layout._subplots ? layout._subplots.xaxis : [])
                .map(id => layout['xaxis' + id.slice(1)]).filter(ax => ax && ax.visible && ax.showticklabels)
                .map(ax => ax.tickangle); return a.length ? Math.max(...a.map(Math.abs)) : null; })(),
            font: layout.font ? layout.font.size : null,
            paper: layout.paper_bgcolor || null,
            color: layout.font ? layout.font.color : null};
}"""


def chart_pages(html_dir) -> list[str]:
    pages = [rel for rel in book_pages(html_dir) if "wra-twin" in (html_dir / rel).read_text(encoding="utf-8")]
    assert pages, "no page has a chart: the checks would check nothing"
    return pages


@pytest.fixture(scope="module", params=list(WIDTHS))
def charts(request, browser, book_url, html_dir):
    """Every chart page at one width: what the first visit fetched, and each chart's state."""
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
        page.mouse.wheel(0, 40)  # the reader starts to read: a scroll
        figures = page.locator("figure.wra-twin")
        states = []
        for i in range(figures.count()):
            figure = figures.nth(i)
            figure.scroll_into_view_if_needed()
            page.wait_for_function(
                "f => ['drawn', 'failed'].includes(f.getAttribute('data-wra-live'))",
                arg=figure.element_handle(),
                timeout=15_000,
            )
            page.wait_for_timeout(200)
            state = figure.evaluate(FIGURE_STATE)
            state["id"] = figure.get_attribute("id")
            # dark mode, then back to light
            page.evaluate("() => document.documentElement.setAttribute('data-theme', 'dark')")
            page.wait_for_timeout(400)
            state["dark"] = figure.evaluate(FIGURE_STATE)
            page.evaluate("() => document.documentElement.setAttribute('data-theme', 'light')")
            page.wait_for_timeout(400)
            state["light again"] = figure.evaluate(FIGURE_STATE)
            states.append(state)
        page.emulate_media(media="print")
        printed = [figures.nth(i).evaluate(FIGURE_STATE) for i in range(figures.count())]
        page.emulate_media(media="screen")
        found[rel] = {
            "first visit": sum(size for _, size in first),
            "first visit plotly": [u for u, _ in first if "plotly" in u.rsplit("/", 1)[-1]],
            "plotly fetched": [u for u, _ in fetched if "plotly" in u.rsplit("/", 1)[-1]],
            "figures": states,
            "printed": printed,
            "errors": errors,
            "external": external,
        }
        context.close()
    return request.param, found


def test_first_visit_fetches_no_plotly_and_at_most_1_5_mb(charts):
    name, found = charts
    bad = {
        rel: (r["first visit"], r["first visit plotly"])
        for rel, r in found.items()
        if r["first visit"] > FIRST_VISIT_MAX or r["first visit plotly"]
    }
    assert not bad, f"{name}: first visit (bytes, plotly.js fetched): {bad}"
    assert all(r["plotly fetched"] for r in found.values()), f"{name}: plotly.js never fetched once charts were reached"


def test_each_chart_becomes_interactive_and_shows_once(charts):
    name, found = charts
    bad = {}
    for rel, r in found.items():
        for f in r["figures"]:
            if f["state"] != "drawn" or f["charts"] != 1 or f["images"] != 0:
                bad.setdefault(rel, []).append({k: f[k] for k in ("id", "state", "charts", "images")})
    assert not bad, f"{name}: {bad}"
    assert sum(len(r["figures"]) for r in found.values()) >= 5, f"{name}: too few charts seen"


def test_no_modebar_button_sends_data_out(charts):
    name, found = charts
    bad = {}
    for rel, r in found.items():
        for f in r["figures"]:
            assert f["buttons"], f"{name}: {rel} {f['id']}: no modebar at all (the check saw nothing)"
            out = [b for b in f["buttons"] if WAY_OUT.search(b[0]) or b[1].startswith("http") or "logo" in str(b[2])]
            if out:
                bad.setdefault(rel, []).append(out)
    assert not bad, f"{name}: {bad}"


def test_charts_take_the_phone_layout_only_on_a_phone(charts):
    name, found = charts
    phone = name == "phone"
    bad = {}
    for rel, r in found.items():
        for f in r["figures"]:
            has = f["legend"] == "h" and f["tickangle"] in (0, None) and f["font"] >= style.PLOTLY_PHONE["font_size"]
            if phone and not has:
                bad.setdefault(rel, []).append({k: f[k] for k in ("id", "legend", "tickangle", "font")})
            if not phone and f["font"] >= style.PLOTLY_PHONE["font_size"]:
                bad.setdefault(rel, []).append({"id": f["id"], "laptop chart with the phone's text size": f["font"]})
    assert not bad, f"{name}: charts without the phone layout: {bad}"
    angles = [f["tickangle"] for r in found.values() for f in r["figures"]]
    assert any(a is not None for a in angles), f"{name}: no chart shows x labels: the angle check saw nothing"


def test_each_title_lies_inside_its_chart(charts):
    """A title of several lines once stuck out above the chart (plotly anchors it by its first line)."""
    name, found = charts
    tops = {(rel, f["id"]): f["titleTop"] for rel, r in found.items() for f in r["figures"]}
    assert any(top is not None for top in tops.values()), f"{name}: no chart has a title: the check saw nothing"
    bad = {k: top for k, top in tops.items() if top is not None and top < 0}
    assert not bad, f"{name}: titles starting above their chart (px): {bad}"


def test_charts_follow_dark_mode_and_back(charts):
    name, found = charts
    dark = style.PLOTLY_DARK["layout"]
    bad = {}
    for rel, r in found.items():
        for f in r["figures"]:
            d, light = f["dark"], f["light again"]
            ok = (
                d["paper"] == dark["paper_bgcolor"]
                and d["color"] == dark["font"]["color"]
                and light["paper"] == f["paper"]
                and light["color"] == f["color"]
                and f["color"] != d["color"]
            )
            if not ok:
                bad.setdefault(rel, []).append(
                    {
                        "id": f["id"],
                        "light": [f["paper"], f["color"]],
                        "dark": [d["paper"], d["color"]],
                        "light again": [light["paper"], light["color"]],
                    }
                )
    assert not bad, f"{name}: {json.dumps(bad)}"


def test_print_shows_each_chart_once_as_its_image(charts):
    name, found = charts
    bad = {
        rel: [(f["images"], f["charts"]) for f in r["printed"] if (f["images"], f["charts"]) != (1, 0)]
        for rel, r in found.items()
    }
    bad = {k: v for k, v in bad.items() if v}
    assert not bad, f"{name}: printed (images, interactive charts) per figure: {bad}"


def test_no_error_and_nothing_leaves_the_machine(charts):
    name, found = charts
    bad = {rel: r["errors"] + r["external"] for rel, r in found.items() if r["errors"] or r["external"]}
    assert not bad, f"{name}: {bad}"
