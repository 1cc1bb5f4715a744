"""`make book`: check the data, build the HTML book, print the PDF if what it is made from changed.

1. ``python -m wra check``: when the data is bad, ``_build/html`` is removed (the
   execution cache stays), so no book built from older data is left looking current.
2. ``jupyter-book build`` (warnings are errors): Sphinx reads only the pages whose
   sources or inputs changed; the notebooks among them that the execution cache
   does not hold run side by side first (``wra_book/execute.py``). A failed build
   ends with the summary of the notebooks that failed (notebook, cell, error).
3. ``tools/pdf.py --if-changed``: the whole book as one PDF, printed again only
   when the built pages or the PDF's machinery changed (keyed on content).

The last lines say what was done, or that the book is up to date; the same,
with each step's seconds, goes to ``_build/wra-make-book.json`` (for ``make bench``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from wra.record import paths  # noqa: E402
from wra_book import build, execute, pages  # noqa: E402

#: what the last successful `make book` did and how long each step took
REPORT = "wra-make-book.json"


def _seconds(started: float) -> str:
    return f"{time.perf_counter() - started:.1f} s"


def main() -> int:
    started = time.perf_counter()
    python = sys.executable
    if subprocess.run([python, "-m", "wra", "check"], cwd=ROOT).returncode != 0:
        shutil.rmtree(paths.HTML, ignore_errors=True)
        print("make book: the data check failed (above); _build/html was removed, so no stale book is left")
        return 1
    checked = time.perf_counter()
    html = subprocess.run(
        [build.jupyter_book(), "build", str(ROOT), "--builder", "html", "-n", "-W", "--keep-going"], cwd=ROOT
    )
    if html.returncode != 0:
        summary = paths.BUILD / pages.SUMMARY_FILE
        print(summary.read_text(encoding="utf-8") if summary.exists() else "The build failed: see the warnings above.")
        return 1
    built = time.perf_counter()
    record = execute.read_record(paths.BUILD) or {}
    sys.stdout.flush()

    import pdf

    printed = pdf.make(if_changed=True)
    sys.stdout.flush()
    read, executed = record.get("read", []), record.get("executed", [])
    index = paths.HTML / "index.html"
    done = time.perf_counter()
    report = {
        "up_to_date": not read and not printed,
        "pdf_printed": printed,
        "read": len(read),
        "executed": executed,
        "seconds": {"check": checked - started, "html": built - checked, "pdf": done - built, "total": done - started},
    }
    (paths.BUILD / REPORT).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    if report["up_to_date"]:
        print(f"The book is up to date (nothing it is made from changed; {_seconds(started)}): {index}")
        return 0
    ran = (
        f"{len(executed)} notebook(s) executed in {record.get('execution_seconds', 0):.1f} s "
        f"({record.get('workers', 0)} at a time)"
        if executed
        else "no notebook executed"
    )
    print(
        f"make book: data checked in {checked - started:.1f} s; {len(read)} page(s) read, {ran}; "
        f"HTML in {built - checked:.1f} s; PDF {'printed' if printed else 'up to date'}; "
        f"{_seconds(started)} in all"
    )
    print(f"The book: {index}")
    return 0


if __name__ == "__main__":
    os.environ.pop("WRA_DATA", None)  # the book is built from the repository's data
    sys.exit(main())
