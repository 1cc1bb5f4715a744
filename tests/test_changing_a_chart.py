"""The recipes of book/changing_a_chart.md, carried out in a throw-away copy.

Each recipe's "before" and "after" text is taken from the page itself, so the
page and this test cannot drift apart: a recipe that no longer applies fails.
Each change is checked where a reader meets it: the chart's static image (the
drawing behind the PNG the page shows, and the PNG itself), the interactive
chart (the script of the drawing wra-charts.js loads), the PDF (its printed
image, compared pixel by pixel with the PNG) and the front page.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from wra.record import paths
from wra_book import build
from wra_book import charts as wra_charts

pytestmark = pytest.mark.book

PAGE = paths.ROOT / "book" / "changing_a_chart.md"
STRENGTH = "notebooks/03_troop_strength"
CHAPTERS = ("notebooks/01_record", "notebooks/02_directives_vs_actions", "notebooks/04_route")


def code_blocks(section: str) -> list[str]:
    text = PAGE.read_text(encoding="utf-8")
    body = text.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    return [b.strip("\n") for b in re.findall(r"```(?:python|bash)\n(.*?)```", body, re.DOTALL)]


def apply(path, before: str, after: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(before) == 1, f"the page's recipe no longer matches {path.name}: {before!r}"
    path.write_text(text.replace(before, after), encoding="utf-8")


def charts_on(html_dir, page: str) -> list[dict]:
    """Each chart of a built page: its drawings' keys by variant (from its images and scripts)."""
    text = (html_dir / f"{page}.html").read_text(encoding="utf-8")
    found = []
    for chunk in text.split('<div class="wra-chart')[1:]:
        chunk = chunk.split("</div>", 1)[0]
        light = re.search(r'<picture class="wra-light"><source [^>]*srcset="[^"]*?([0-9a-f]{16})\.png"', chunk)
        wide = re.search(r'<img src="[^"]*?([0-9a-f]{16})\.png"', chunk)
        scripts = dict(re.findall(r'data-variant="([a-z-]+)" data-src="[^"]*?([0-9a-f]{16})\.js"', chunk))
        found.append({"wide-light": wide.group(1), "phone-light": light.group(1), "scripts": scripts})
    return found


def spec(root, key: str) -> dict:
    return json.loads((root / "_build" / wra_charts.CACHE / f"{key}.json").read_text(encoding="utf-8"))


def script_spec(html_dir, key: str) -> dict:
    text = (html_dir / "_static" / "wra" / "charts" / f"{key}.js").read_text(encoding="utf-8")
    return json.loads(text.split(", ", 1)[1].rsplit(");", 1)[0])


@pytest.fixture(scope="module")
def changed(tmp_path_factory, html_dir):
    root = build.copy_project(tmp_path_factory.mktemp("recipes") / "book", with_cache=True)
    html = root / "_build" / "html"
    before = {stem: charts_on(html_dir, stem) for stem in (*CHAPTERS, STRENGTH)}

    old, new = code_blocks("Change a colour")
    apply(root / "wra" / "presentation" / "style.py", old, new)
    old_colour = re.search(r"#[0-9A-Fa-f]{6}", old).group(0)
    new_colour = re.search(r"#[0-9A-Fa-f]{6}", new).group(0)

    old, new = code_blocks("Change a title")
    apply(root / "notebooks" / "03_troop_strength.md", old, new)
    title = re.search(r'set_title\(total_fig, "([^"]+)"', new).group(1)

    (phone,) = code_blocks("Change how a chart looks on a phone")
    apply(root / "notebooks" / "03_troop_strength.md", "total_fig\n```", f"{phone}\ntotal_fig\n```")
    phone_height = int(re.search(r"height=(\d+)", phone).group(1))

    old, new = code_blocks("Change a date range")
    apply(root / "wra" / "presentation" / "strength_charts.py", old, new)
    span_end = re.findall(r'"(\d{4}-\d{2}-\d{2})"', new)[-1]

    # Change a data row: a popular account's 1.4万 (about 14,000) becomes 1.5万, number and words together.
    strength = root / "data" / "strength.csv"
    lines = strength.read_text(encoding="utf-8").splitlines(keepends=True)
    hits = [i for i, line in enumerate(lines) if "仅存的1.4万人" in line and ",14000,14000,about," in line]
    assert len(hits) == 1, "the page's example row is not in data/strength.csv"
    lines[hits[0]] = lines[hits[0]].replace(",14000,14000,", ",15000,15000,").replace("1.4万", "1.5万")
    strength.write_text("".join(lines), encoding="utf-8")

    check = subprocess.run([sys.executable, "-m", "wra", "check", str(root)], capture_output=True, text=True)
    result = build.run(root)
    assert result.ok, result.log[-4000:]
    # the PDF, as `make book` makes it last: the copy's own tools/pdf.py prints the copy
    env = {**os.environ, "PYTHONPATH": str(root)}  # the copy's package, as build.run uses it
    pdf = subprocess.run(
        [sys.executable, str(root / "tools" / "pdf.py")], cwd=root, env=env, capture_output=True, text=True
    )
    assert pdf.returncode == 0, pdf.stdout[-2000:] + pdf.stderr[-2000:]
    after = {stem: charts_on(html, stem) for stem in (*CHAPTERS, STRENGTH)}
    return dict(
        root=root,
        html=html,
        check=check,
        result=result,
        before=before,
        after=after,
        pages={stem: (html / f"{stem}.html").read_text(encoding="utf-8") for stem in build.notebooks(root)},
        old_colour=old_colour,
        new_colour=new_colour,
        title=title,
        phone_height=phone_height,
        span_end=span_end,
    )


def test_the_colour_changes_every_chart_that_uses_it_image_and_interactive(changed):
    """The army's directives in chapter 01 too (the colour of the army was once a second literal)."""
    root, html = changed["root"], changed["html"]
    for stem in CHAPTERS:
        for chart_before, chart in zip(changed["before"][stem], changed["after"][stem]):
            drawing = json.dumps(spec(root, chart["wide-light"])).lower()
            # an interactive chart that shows the colour (an image-only chart has no script)
            if changed["new_colour"].lower() not in drawing or not chart["scripts"]:
                continue
            assert changed["old_colour"].lower() not in drawing, stem
            # the static image is drawn afresh from the changed figure, and so is the interactive chart
            assert chart["wide-light"] != chart_before["wide-light"], stem
            assert (html / "_images" / f"wra-chart-{chart['wide-light']}.png").is_file()
            live = json.dumps(script_spec(html, chart["scripts"]["wide-light"])).lower()
            assert changed["new_colour"].lower() in live and changed["old_colour"].lower() not in live
            break
        else:
            pytest.fail(f"{stem}: no chart shows the new colour")


def test_the_package_change_reexecuted_every_notebook(changed):
    assert changed["result"].executed == build.notebooks(changed["root"])


def test_the_title_changes_the_image_the_interactive_chart_and_keeps_the_subtitle(changed):
    root, html = changed["root"], changed["html"]
    chart = changed["after"][STRENGTH][0]
    original = spec(paths.ROOT, changed["before"][STRENGTH][0]["wide-light"])
    subtitle = original["layout"]["meta"]["wra"]["subtitle"]
    assert subtitle, "the strength chart has no subtitle to keep"
    for drawing in (spec(root, chart["wide-light"]), spec(root, chart["phone-light"])):
        assert drawing["layout"]["meta"]["wra"]["title"] == changed["title"]
        assert drawing["layout"]["meta"]["wra"]["subtitle"] == subtitle
        text = re.sub(r"<[^>]+>", " ", drawing["layout"]["title"]["text"])
        assert " ".join(text.split()).startswith(changed["title"])
    for variant in ("wide-light", "phone-dark"):
        live = script_spec(html, chart["scripts"][variant])
        assert changed["title"] in " ".join(re.sub(r"<[^>]+>", " ", live["layout"]["title"]["text"]).split())


def test_the_title_reaches_the_front_page(changed):
    front = (changed["html"] / "book" / "index.html").read_text(encoding="utf-8")
    chart = changed["after"][STRENGTH][0]
    assert f"wra-chart-{chart['wide-light']}.png" in front and f"wra-chart-{chart['phone-light']}.png" in front


def test_the_title_reaches_the_pdf(changed):
    """The PDF prints the chart's new image: one of its images is the PNG, pixel for pixel."""
    from PIL import Image, ImageChops
    from pypdf import PdfReader

    png = Image.open(changed["html"] / "_images" / f"wra-chart-{changed['after'][STRENGTH][0]['wide-light']}.png")
    png = png.convert("RGB")
    reader = PdfReader(changed["root"] / "_build" / "pdf" / "western-route-army.pdf")
    printed = [image.image.convert("RGB") for page in reader.pages for image in page.images]
    same = [
        image
        for image in printed
        if image.size == png.size and not ImageChops.difference(image, png).point(lambda v: v > 24 and 255).getbbox()
    ]
    assert same, f"the new image is not in the PDF ({len(printed)} images, sizes {[i.size for i in printed]})"


def test_the_phone_recipe_changes_the_phone_drawing_only(changed):
    root = changed["root"]
    chart = changed["after"][STRENGTH][0]
    assert spec(root, chart["phone-light"])["layout"]["height"] == changed["phone_height"]
    assert spec(root, chart["wide-light"])["layout"]["height"] != changed["phone_height"]


def test_the_date_range_changes_the_axes(changed):
    drawing = json.dumps(spec(changed["root"], changed["after"][STRENGTH][0]["wide-light"]))
    assert changed["span_end"] in drawing


def test_the_data_row_passes_the_check_and_shows_in_the_chapter(changed):
    assert changed["check"].returncode == 0, changed["check"].stdout
    assert "15,000" in changed["pages"][STRENGTH]


def test_a_bad_edit_is_reported_with_file_line_and_column(tmp_path):
    root = build.copy_project(tmp_path / "book")
    strength = root / "data" / "strength.csv"
    lines = strength.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if "一万八千余人" in line and ",18000,," in line)
    lines[index] = lines[index].replace(",18000,,", ",18000,10000,")
    strength.write_text("".join(lines), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "wra", "check", str(root)], capture_output=True, text=True)
    assert proc.returncode == 1
    documented = re.search(r"`(data/strength\.csv:\d+: high: [^`]+)`", PAGE.read_text(encoding="utf-8")).group(1)
    expected = re.sub(r":\d+:", f":{index + 1}:", documented)
    assert expected in proc.stdout, proc.stdout
