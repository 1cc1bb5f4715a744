"""Fast, correct rebuilds: the execution cache never serves a stale page.

Works in a throw-away copy of the project (seeded with this checkout's
execution cache, when there is one) and builds it with the same command as
``make book``. myst-nb's cache keys on code cells only; the book's extension
adds each notebook's declared inputs to that key (see wra_book/inputs.py).
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import pytest

from wra_book import build, notebooks

pytestmark = pytest.mark.book


@pytest.fixture(scope="module")
def project(tmp_path_factory, html_dir):
    # (html_dir: the checkout's book is current, so the copy's seeded cache is too)
    dest = build.copy_project(tmp_path_factory.mktemp("rebuild") / "book", with_cache=True)
    first = build.run(dest)
    assert first.ok, first.log[-4000:]
    return dest


def readers_of(project, table: str) -> list[str]:
    found = []
    for stem in build.notebooks(project):
        text = (project / f"{stem}.md").read_text(encoding="utf-8")
        if table in notebooks.declared_inputs(text):
            found.append(stem)
    return found


def rewrite_csv(path, change) -> int:
    """Apply ``change(row) -> bool`` to each row; return how many rows it changed."""
    text = path.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = list(reader)
    changed = sum(1 for row in rows if change(row))
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return changed


def test_a_noop_rebuild_executes_no_notebook(project):
    result = build.run(project)
    assert result.ok, result.log[-4000:]
    assert result.executed == []


def test_editing_the_book_machinery_tools_or_tests_executes_no_notebook(project):
    edited = [
        project / "wra_book" / "build.py",
        project / "tools" / "extract_geo.py",
        project / "tests" / "test_data.py",
    ]
    for path in edited:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write("\n# an edit outside the package the notebooks import\n")
    result = build.run(project)
    assert result.ok, result.log[-4000:]
    assert result.executed == []


def test_editing_one_notebook_executes_only_that_notebook(project):
    path = project / "notebooks" / "01_record.md"
    path.write_text(
        path.read_text(encoding="utf-8") + "\n```{code-cell} ipython3\n:tags: [remove-cell]\n1 + 1\n```\n",
        encoding="utf-8",
    )
    result = build.run(project)
    assert result.ok, result.log[-4000:]
    assert result.executed == ["notebooks/01_record"]


def test_editing_strength_csv_reexecutes_its_readers_and_shows_the_new_figure(project):
    def change(row):
        if row["unit"] == "wra" and row["qualifier"] == "more_than" and row["low"] == "18000":
            row["low"] = "18500"  # and its words, which must agree (wra check)
            row["quote_zh"] = row["quote_zh"].replace("一万八千余", "一万八千五百余")
            return True
        return False

    assert rewrite_csv(project / "data" / "strength.csv", change) == 1
    readers = readers_of(project, "strength")
    assert "notebooks/03_troop_strength" in readers
    result = build.run(project)
    assert result.ok, result.log[-4000:]
    assert result.executed == readers
    html = (project / "_build" / "html" / "notebooks" / "03_troop_strength.html").read_text(encoding="utf-8")
    assert "18,500" in html


def test_editing_the_package_reexecutes_every_notebook(project):
    with open(project / "wra" / "presentation" / "charts.py", "a", encoding="utf-8") as handle:
        handle.write("\n# an edit to the package\n")
    result = build.run(project)
    assert result.ok, result.log[-4000:]
    assert result.executed == build.notebooks(project)


def test_editing_the_bibliography_reexecutes_every_notebook(project):
    with open(project / "references.bib", "a", encoding="utf-8") as handle:
        handle.write("\n% an edit to the bibliography\n")
    result = build.run(project)
    assert result.ok, result.log[-4000:]
    assert result.executed == build.notebooks(project)


def referenced_outputs_only(project) -> None:
    from wra_book import pages

    out = project / "_build" / "html"
    used = pages._referenced(out)
    for folder in pages.PRUNED:
        for path in (out / folder).rglob("*"):
            if path.is_file():
                assert path.relative_to(out).as_posix() in used, f"unused file in the site: {path}"
    assert not (out / "reports").exists()


def test_the_site_holds_only_files_in_use(project):
    """Each rebuild above re-drew charts (new content-addressed scripts and images); old ones are gone:
    four drawings of each chart, a script for each drawing of an interactive one."""
    referenced_outputs_only(project)
    html = project / "_build" / "html"
    scripts = {p.name for p in (html / "_static" / "wra" / "charts").glob("*.js")}
    drawn = {
        name
        for page in html.rglob("*.html")
        for name in re.findall(r'data-src="[^"]*/([0-9a-f]+\.js)"', page.read_text(encoding="utf-8"))
    }
    # one script per interactive drawing the pages name, and no other
    assert scripts and scripts == drawn
    images = list((html / "_images").glob("wra-chart-*.png"))
    charts = sum(
        text.count("name: fig-")
        for text in (p.read_text(encoding="utf-8") for p in (project / "notebooks").glob("*.md"))
    )
    assert 0 < len(scripts) < len(images) <= 4 * charts, (len(scripts), len(images), charts)


def test_a_notebook_that_raises_leaves_no_page_that_looks_current(project):
    path = project / "notebooks" / "04_route.md"
    good = path.read_text(encoding="utf-8")
    path.write_text(
        good + "\n```{code-cell} ipython3\nx = 1\nraise ValueError('a deliberate failure')\n```\n", encoding="utf-8"
    )
    failed = build.run(project)
    assert not failed.ok
    html = project / "_build" / "html"
    assert "This page is out of date" in (html / "notebooks" / "04_route.html").read_text(encoding="utf-8")
    assert "This page is out of date" in (html / "book" / "findings.html").read_text(encoding="utf-8")
    assert "out of date" not in (html / "notebooks" / "01_record.html").read_text(encoding="utf-8")
    summary = (project / "_build" / "wra-build-failures.txt").read_text(encoding="utf-8")
    lines = good.count("\n") + 2  # the appended cell's fence
    assert f"notebooks/04_route.md:{lines} (code cell " in summary
    assert "ValueError: a deliberate failure" in summary
    assert len(summary.splitlines()) <= 15
    referenced_outputs_only(project)
    # fixed: the banners go, and so does the summary
    path.write_text(good, encoding="utf-8")
    fixed = build.run(project)
    assert fixed.ok, fixed.log[-4000:]
    assert "out of date" not in (html / "notebooks" / "04_route.html").read_text(encoding="utf-8")
    assert "out of date" not in (html / "book" / "findings.html").read_text(encoding="utf-8")
    assert not (project / "_build" / "wra-build-failures.txt").exists()


def cached_notebooks(project, stem: str) -> list[Path]:
    """Every executed copy of notebook ``stem`` in the copy's execution cache."""
    from jupyter_cache import get_cache

    folder = project / "_build" / ".jupyter_cache"
    records = [r for r in get_cache(str(folder)).list_cache_records() if Path(r.uri).stem == Path(stem).name]
    return [folder / "executed" / r.hashkey / "base.ipynb" for r in records]


def clean(project) -> None:
    """What `make clean` does: the built book goes, the execution cache stays, so every page is read
    again and every notebook taken from the cache (where a damaged entry used to stop the build)."""
    import shutil

    for path in (project / "_build").iterdir():
        if path.name != ".jupyter_cache":
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def test_a_truncated_notebook_in_the_cache_heals(project):
    """A cached notebook cut short (a full disk, a killed copy) runs again; the rest come from the cache."""
    damaged = cached_notebooks(project, "notebooks/04_route")
    assert damaged
    for path in damaged:
        path.write_bytes(path.read_bytes()[:500])
    clean(project)
    result = build.run(project)
    assert result.ok, result.log[-4000:]
    assert result.executed == ["notebooks/04_route"]
    assert f"held {len(damaged)} damaged notebook(s) (04_route: NotJSONError: Notebook does not appear" in result.log


def test_a_truncated_cache_index_heals(project):
    db = project / "_build" / ".jupyter_cache" / "global.db"
    db.write_bytes(db.read_bytes()[: db.stat().st_size // 2])
    clean(project)
    result = build.run(project)
    assert result.ok, result.log[-4000:]
    assert result.executed == build.notebooks(project)
    assert "was damaged (global.db: " in result.log and "every notebook runs again" in result.log


def make_book(project, tmp_path):
    """`make book` in the copy, with this checkout's .venv (no quotation check: the copy's data is edited)."""
    env = {k: v for k, v in os.environ.items() if k != "WRA_ARTICLE"}
    return build.make_book(project, env=env)


def site_files(project) -> dict[str, int]:
    html = project / "_build" / "html"
    return {p.relative_to(html).as_posix(): p.stat().st_mtime_ns for p in html.rglob("*") if p.is_file()}


def make_book_report(project) -> dict:
    import json

    return json.loads((project / "_build" / "wra-make-book.json").read_text(encoding="utf-8"))


def test_make_book_with_nothing_changed_runs_nothing_and_an_edit_builds_again(project, tmp_path):
    """A no-op `make book` says the book is up to date and writes no file of the site; an edit to a
    file the book is made from (here the print stylesheet, issue 18's) builds again, reaches the
    site and prints the PDF again; then nothing changed once more."""
    first = make_book(project, tmp_path)
    assert first.returncode == 0, first.log[-4000:]
    pdf = project / "_build" / "pdf" / "western-route-army.pdf"
    assert pdf.exists()
    site, printed = site_files(project), pdf.stat().st_mtime_ns

    noop = make_book(project, tmp_path)
    assert noop.returncode == 0, noop.log[-4000:]
    assert "The book is up to date" in noop.stdout.splitlines()[-1], noop.stdout[-2000:]
    report = make_book_report(project)
    assert report["up_to_date"] and not report["pdf_printed"] and report["seconds"]["html"] == 0
    assert site_files(project) == site and pdf.stat().st_mtime_ns == printed

    css = project / "_static" / "wra-print.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* edited */\n", encoding="utf-8")
    edited = make_book(project, tmp_path)
    assert edited.returncode == 0, edited.log[-4000:]
    assert "up to date" not in edited.stdout.splitlines()[-2], edited.stdout[-2000:]
    report = make_book_report(project)
    assert report["pdf_printed"] and report["seconds"]["html"] > 0 and report["executed"] == []
    assert "/* edited */" in (project / "_build" / "html" / "_static" / "wra-print.css").read_text(encoding="utf-8")
    assert pdf.stat().st_mtime_ns != printed

    again = make_book(project, tmp_path)
    assert again.returncode == 0 and "The book is up to date" in again.stdout, again.stdout[-2000:]


def test_make_book_ends_with_the_failure(project, tmp_path):
    """The last 15 lines of `make book` name the notebook, the cell and the error."""
    path = project / "notebooks" / "02_directives_vs_actions.md"
    good = path.read_text(encoding="utf-8")
    path.write_text(good + "\n```{code-cell} ipython3\n{}['no such key']\n```\n", encoding="utf-8")
    try:
        proc = make_book(project, tmp_path)
    finally:
        path.write_text(good, encoding="utf-8")
    assert proc.returncode != 0
    tail = "\n".join(proc.stdout.splitlines()[-15:])
    assert "notebooks/02_directives_vs_actions.md:" in tail and "(code cell " in tail, tail
    assert "KeyError: 'no such key'" in tail, tail


def test_bad_data_leaves_no_stale_book(project, tmp_path):
    """Last (it removes the built book): when the data check fails, the old HTML goes."""
    assert (project / "_build" / "html" / "index.html").exists()
    strength = project / "data" / "strength.csv"
    strength.write_text(strength.read_text(encoding="utf-8").replace(",18500,,", ",185000,,"), encoding="utf-8")
    proc = make_book(project, tmp_path)
    assert proc.returncode != 0
    assert "data/strength.csv:" in proc.stdout and "outside the plausible range" in proc.stdout
    assert not (project / "_build" / "html").exists()
    assert (project / "_build" / ".jupyter_cache").exists()  # the execution cache is kept
