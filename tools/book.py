"""`make book`: check the data, build the HTML book, print the PDF if what it is made from changed.

0. Nothing changed since the last ``make book`` that succeeded (:func:`sources_key`:
   every file of the project but outputs, environments and caches, keyed on
   content, with the installed packages and the settings that reach the book),
   the built book and the PDF are as it left them: the book is up to date, and
   nothing runs (not even Sphinx). Otherwise:
1. ``python -m wra check``: when the data is bad, ``_build/html`` is removed (the
   execution cache stays), so no book built from older data is left looking current.
   A damaged execution cache heals (:mod:`wra_book.cache`), or the build stops
   in one line naming ``make clean-cache``.
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
from wra_book import pages  # noqa: E402

#: what the last successful `make book` did and how long each step took
REPORT = "wra-make-book.json"
#: what the last successful `make book` was made from: its sources' key and the PDF's
STAMP = "wra-make-book.key"
#: folders that are no input of the book: outputs, environments, caches
NOT_INPUTS = frozenset(
    ".git .venv _build .jupyter __pycache__ .pytest_cache .ruff_cache .ipynb_checkpoints mutants node_modules".split()
)


def input_files(root: Path = ROOT) -> list[Path]:
    """Every file of the project at ``root`` but outputs, environments and caches, in a stable order."""
    files = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in NOT_INPUTS and not d.endswith(".egg-info"))
        files += [
            Path(folder) / name
            for name in sorted(names)
            if name not in NOT_INPUTS and not name.endswith(".pyc") and os.path.isfile(os.path.join(folder, name))
        ]
    return sorted(files)


def sources_key(root: Path = ROOT) -> str:
    """Everything the book is made from, keyed on content: every file of the project but outputs,
    environments and caches (the sources, the data, the package, the machinery, the configuration,
    the pins, the tests too), the installed packages' versions, Python's, and the settings that reach
    the book (the CJK font, the article the quotations are checked against)."""
    import sysconfig

    from wra.presentation import style
    from wra_book.keys import digest_files

    files = input_files(root)
    article = os.environ.get("WRA_ARTICLE", "")  # wra.record.quotes.ENV (which imports pandas)
    settings = [sys.version, f"font={os.environ.get(style.FONT_ENV, '')}", f"article={article}"]
    # the installed packages, by name and version (their folders' names say both)
    for where in sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}):
        settings += sorted(n for n in os.listdir(where) if n.endswith((".dist-info", ".egg-info")))
    extra = [Path(article)] if article and Path(article).is_file() else []
    key = digest_files(files, root, extra="\n".join(settings))
    return digest_files(extra, Path(article).parent, extra=key) if extra else key


def _up_to_date(key: str, pdf) -> bool:
    """Whether the last successful ``make book`` was made from ``key`` and left the book and PDF as they are."""
    try:
        stamp = json.loads((paths.BUILD / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if stamp.get("sources") != key or not (paths.HTML / "index.html").exists():
        return False
    pdf_key = pdf.inputs_key()
    return stamp.get("pdf") == pdf_key and pdf.is_current(pdf.OUT, pdf_key)


def _seconds(started: float) -> str:
    return f"{time.perf_counter() - started:.1f} s"


def _report(report: dict) -> None:
    (paths.BUILD / REPORT).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")


def main() -> int:
    import pdf

    started = time.perf_counter()
    key = sources_key()
    index = paths.HTML / "index.html"
    if _up_to_date(key, pdf):
        pdf._beside_the_book(pdf.OUT)
        seconds = time.perf_counter() - started
        _report(
            {
                "up_to_date": True,
                "pdf_printed": False,
                "read": 0,
                "executed": [],
                "seconds": {"check": 0.0, "html": 0.0, "pdf": 0.0, "total": seconds},
            }
        )
        print(f"The book is up to date (nothing it is made from changed; {_seconds(started)}): {index}")
        return 0
    (paths.BUILD / STAMP).unlink(missing_ok=True)
    from wra_book import build, execute

    python = sys.executable
    if subprocess.run([python, "-m", "wra", "check"], cwd=ROOT).returncode != 0:
        shutil.rmtree(paths.HTML, ignore_errors=True)
        print("make book: the data check failed (above); _build/html was removed, so no stale book is left")
        return 1
    from wra_book import cache

    try:
        healed = cache.heal(paths.BUILD / ".jupyter_cache")
    except cache.CacheError as exc:
        shutil.rmtree(paths.HTML, ignore_errors=True)
        print(f"make book: {exc}", file=sys.stderr)
        return 1
    if healed:
        print(f"make book: {healed}")
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
    printed = pdf.make(if_changed=True)
    sys.stdout.flush()
    stamp = {"sources": key, "pdf": pdf.inputs_key()}
    (paths.BUILD / STAMP).write_text(json.dumps(stamp) + "\n", encoding="utf-8")
    read, executed = record.get("read", []), record.get("executed", [])
    done = time.perf_counter()
    report = {
        "up_to_date": not read and not printed,
        "pdf_printed": printed,
        "read": len(read),
        "executed": executed,
        "seconds": {"check": checked - started, "html": built - checked, "pdf": done - built, "total": done - started},
    }
    _report(report)
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
