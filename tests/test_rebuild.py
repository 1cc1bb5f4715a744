"""Fast, correct rebuilds: the execution cache never serves a stale page.

Works in a throw-away copy of the project (seeded with this checkout's
execution cache, when there is one) and builds it with the same command as
``make book``. myst-nb's cache keys on code cells only; the book's extension
adds each notebook's declared inputs to that key (see wra_book/inputs.py).
"""

from __future__ import annotations

import csv
import io

import pytest

from wra_book import build, notebooks

pytestmark = pytest.mark.book


@pytest.fixture(scope="module")
def project(tmp_path_factory):
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
            row["low"] = "18500"
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
