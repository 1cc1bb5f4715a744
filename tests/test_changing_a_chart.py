"""The recipes of book/changing_a_chart.md, carried out in a throw-away copy.

Each recipe's "before" and "after" text is taken from the page itself, so the
page and this test cannot drift apart: a recipe that no longer applies fails.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from wra.record import paths
from wra_book import build

pytestmark = pytest.mark.book

PAGE = paths.ROOT / "book" / "changing_a_chart.md"


def code_blocks(section: str) -> list[str]:
    text = PAGE.read_text(encoding="utf-8")
    body = text.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    return [b.strip("\n") for b in re.findall(r"```(?:python|bash)\n(.*?)```", body, re.DOTALL)]


def figure_scripts(page) -> str:
    """The chart scripts a page loads (as its charts are reached): their data and layout live there."""
    html = page.read_text(encoding="utf-8")
    scripts = re.findall(r'<script type="application/x-wra-chart" data-src="([^"]*_static/wra/figures/[^"]+)"', html)
    assert "plotly-graph-div" not in html or scripts, f"{page.name}: charts but no chart scripts"
    return "".join((page.parent / src).read_text(encoding="utf-8") for src in scripts)


def apply(path, before: str, after: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(before) == 1, f"the page's recipe no longer matches {path.name}: {before!r}"
    path.write_text(text.replace(before, after), encoding="utf-8")


@pytest.fixture(scope="module")
def changed(tmp_path_factory):
    root = build.copy_project(tmp_path_factory.mktemp("recipes") / "book", with_cache=True)

    old, new = code_blocks("Change a colour")
    apply(root / "wra" / "presentation" / "style.py", old, new)
    old_colour = re.search(r"#[0-9A-Fa-f]{6}", old).group(0)
    new_colour = re.search(r"#[0-9A-Fa-f]{6}", new).group(0)

    old, new = code_blocks("Change a label")
    apply(root / "notebooks" / "03_troop_strength.md", old, new)
    title = re.search(r'title="([^"]+)"', new).group(1)

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
    pages = {stem: root / "_build" / "html" / f"{stem}.html" for stem in build.notebooks(root)}
    html = {stem: page.read_text(encoding="utf-8") for stem, page in pages.items()}
    figures = {stem: figure_scripts(page) for stem, page in pages.items()}
    return dict(
        root=root,
        check=check,
        result=result,
        html=html,
        figures=figures,
        old_colour=old_colour,
        new_colour=new_colour,
        title=title,
        span_end=span_end,
    )


def test_the_colour_changes_in_every_chart_that_uses_it(changed):
    for stem in ("notebooks/02_directives_vs_actions", "notebooks/03_troop_strength", "notebooks/04_route"):
        charts = changed["figures"][stem].lower()
        assert changed["new_colour"].lower() in charts, stem
        assert changed["old_colour"].lower() not in charts, stem


def test_the_package_change_reexecuted_every_notebook(changed):
    assert changed["result"].executed == build.notebooks(changed["root"])


def test_the_label_changes_in_that_figure(changed):
    import json

    # plotly writes non-ASCII text as JSON escapes
    assert json.dumps(changed["title"])[1:-1] in changed["figures"]["notebooks/03_troop_strength"]


def test_the_date_range_changes_the_axes(changed):
    assert changed["span_end"] in changed["figures"]["notebooks/03_troop_strength"]


def test_the_data_row_passes_the_check_and_shows_in_the_chapter(changed):
    assert changed["check"].returncode == 0, changed["check"].stdout
    assert "15,000" in changed["html"]["notebooks/03_troop_strength"]


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
