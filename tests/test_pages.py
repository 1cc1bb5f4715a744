"""What a build leaves in the site: failures named and marked, no unused file (wra_book.pages)."""

from __future__ import annotations

from wra_book import pages

NOTEBOOK = """---
jupytext: {}
---

# A chapter

```{code-cell} ipython3
:tags: [remove-cell]
import wra
wra.setup()
```

Some prose.

```{code-cell} ipython3
x = 1
raise ValueError("deliberate")
```
"""

TRACEBACK = """Traceback (most recent call last):
  File "jupyter_cache/executors/utils.py", line 58, in single_nb_execution
nbclient.exceptions.CellExecutionError: An error occurred while executing the following cell:
------------------
x = 1
raise ValueError("deliberate")
------------------


\x1b[0;31m---------------------------------------------------------------------------\x1b[0m
\x1b[0;31mValueError\x1b[0m                                Traceback (most recent call last)
Cell \x1b[0;32mIn[2], line 2\x1b[0m
\x1b[0;31mValueError\x1b[0m: deliberate
"""


def test_a_failure_names_the_notebook_the_cell_and_the_error():
    failure = pages.failure("notebooks/05_x", NOTEBOOK, TRACEBACK)
    assert (failure.cell, failure.line, failure.error) == (2, 15, "ValueError: deliberate")
    assert str(failure) == "notebooks/05_x.md:15 (code cell 2): ValueError: deliberate"


def test_a_failure_without_a_cell_still_names_the_error():
    failure = pages.failure("notebooks/05_x", NOTEBOOK, "DeadKernelError: Kernel died\n")
    assert str(failure) == "notebooks/05_x.md: DeadKernelError: Kernel died"


def test_the_summary_is_short_and_names_every_failure():
    failures = [pages.Failure(f"notebooks/{i:02d}_x", 3, 40, "KeyError: 'x'") for i in range(12)]
    text = pages.summary(failures, "_build/reports")
    lines = text.splitlines()
    assert len(lines) <= 15
    assert "notebooks/00_x.md:40 (code cell 3): KeyError: 'x'" in text
    assert "... and 3 more" in text and "_build/reports/" in text


def test_prune_keeps_what_pages_use_and_removes_the_rest(tmp_path):
    out = tmp_path / "html"
    figures = out / "_static" / "wra" / "charts"
    figures.mkdir(parents=True)
    for name in ("used.js", "deferred.js", "old.js"):
        (figures / name).write_text("x", encoding="utf-8")
    (out / "_images").mkdir()
    (out / "_images" / "used.png").write_bytes(b"x")
    (out / "_images" / "phone.png").write_bytes(b"x")
    (out / "_images" / "old.png").write_bytes(b"x")
    (out / "_downloads" / "abc").mkdir(parents=True)
    (out / "_downloads" / "abc" / "gone.csv").write_text("x", encoding="utf-8")
    (out / "_static" / "other.css").write_text("x", encoding="utf-8")
    (out / "notebooks").mkdir()
    (out / "notebooks" / "a.html").write_text(
        '<script src="../_static/wra/charts/used.js"></script><picture><source srcset="../_images/phone.png">'
        '<img src="../_images/used.png"></picture>'
        # a chart's script that wra-charts.js loads when the chart is reached
        '<script type="text/x-wra-chart" data-src="../_static/wra/charts/deferred.js"></script>',
        encoding="utf-8",
    )
    removed = pages.prune_unused(out)
    assert sorted(removed) == ["_downloads/abc/gone.csv", "_images/old.png", "_static/wra/charts/old.js"]
    assert (figures / "used.js").exists() and (out / "_images" / "used.png").exists()
    assert (out / "_images" / "phone.png").exists()  # a <source srcset> is a use too
    assert (figures / "deferred.js").exists()
    assert (out / "_static" / "other.css").exists()  # only the pruned folders are touched
    assert not (out / "_downloads" / "abc").exists()


def test_reports_leave_the_site(tmp_path):
    out = tmp_path / "_build" / "html"
    (out / "reports" / "notebooks").mkdir(parents=True)
    (out / "reports" / "notebooks" / "x.err.log").write_text("tb", encoding="utf-8")
    moved = pages.move_reports(out)
    assert moved == tmp_path / "_build" / "reports"
    assert (moved / "notebooks" / "x.err.log").exists() and not (out / "reports").exists()
