"""Benchmark the book's build and pages: `make bench`.

Measures, in one run and several repetitions each (median and spread):

* build times in a throw-away copy of the project: a clean build, a no-op
  rebuild, a rebuild after editing one notebook, a rebuild after editing one CSV;
  and the static export alone: every chart's images drawn afresh from the
  drawings the clean build stored (one kaleido session), the part of a clean
  build that drawing the charts' images costs;
* the floor: the same notebooks reduced to their setup cell (imports and
  ``wra.setup()``), built clean the same way: what any build must pay;
* page weight of each chapter at 1366×900: its own HTML, the scripts and
  styles it loads, and the first-visit total of every response as Chromium
  receives them (the page opened, nothing scrolled: charts show their static
  image, plotly.js is not fetched), then the total once every chart is drawn;
* for each chart, the seconds from the reader jumping to it (scrolled straight
  into view) until it is interactive (wra-charts.js has drawn it), in headless
  Chromium: the worst case, since a reader who scrolls gets plotly.js ahead;
* the whole book as one PDF (``tools/pdf.py``, after ``make book``: the
  single-page build from the execution cache, then printing), its size and pages.

Ratios are against baselines measured in the same run (the floor, the clean
build), so they compare like with like on whatever machine runs them. Prints a
table and writes ``_build/bench/bench.json``. Goals (not tests): clean build
<= 1.5x the floor; no-op rebuild <= 0.15x a clean build; first visit to a
chapter <= 1.5 MB; a chart interactive within a second of reaching it.
"""

from __future__ import annotations

import argparse
import csv
import functools
import http.server
import io
import json
import platform
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wra.record import paths  # noqa: E402
from wra_book import build  # noqa: E402

SETUP_CELL = re.compile(r"```\{code-cell\}.*?```\n", re.DOTALL)
GOALS = {"clean_vs_floor": 1.5, "noop_vs_clean": 0.15, "first_visit_mb": 1.5, "interactive_s": 1.0}


def stats(values: list[float]) -> dict:
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "runs": values,
    }


def timed_build(root: Path) -> float:
    result = build.run(root)
    if not result.ok:
        raise SystemExit(f"build failed in {root}:\n{result.log[-3000:]}")
    return result.seconds


def floor_copy(dest: Path) -> Path:
    """A copy whose notebooks keep only their first code cell (imports and setup)."""
    build.copy_project(dest)
    for nb in (dest / "notebooks").glob("*.md"):
        text = nb.read_text(encoding="utf-8")
        first = SETUP_CELL.search(text)
        header_end = text.index("\n---\n", 4) + 5
        title = re.search(r"^# .*$", text, re.MULTILINE).group(0)
        nb.write_text(text[:header_end] + f"\n{title}\n\n" + (first.group(0) if first else ""), encoding="utf-8")
    for page in (dest / "book").glob("*.md"):
        # narrative pages may glue from the notebooks; keep only their titles
        text = page.read_text(encoding="utf-8")
        if "{glue" in text:
            page.write_text(re.search(r"^# .*$", text, re.MULTILINE).group(0) + "\n", encoding="utf-8")
    return dest


def edit_notebook(root: Path, n: int) -> None:
    path = sorted((root / "notebooks").glob("*.md"))[0]
    path.write_text(
        path.read_text(encoding="utf-8") + f"\n```{{code-cell}} ipython3\n:tags: [remove-cell]\n{n} + 1\n```\n",
        encoding="utf-8",
    )


def edit_csv(root: Path, n: int) -> None:
    """Change one strength figure by a small amount, number and words together (``wra check``
    refuses a number its wording contradicts): the first exact figure worded in digits that is
    not a quotation."""
    path = paths.table_path("strength", root)
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))
    rows = list(reader)
    for row in rows:
        old = str(int(float(row["low"]))) if row["qualifier"] == "exact" and row["low"] else None
        # not a quotation: those must stay verbatim in the article
        if old and old in row["wording_zh"] and not row.get("quote_zh"):
            new = str(int(old) + (1 if n % 2 == 0 else -1))
            row["low"] = row["high"] = new
            row["wording_zh"] = row["wording_zh"].replace(old, new)
            break
    else:
        raise SystemExit(f"{path}: no exact figure worded in digits to edit")
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def export_time(root: Path, work: Path) -> float:
    """Seconds to draw every static image of the book's charts afresh (one kaleido session), from
    the drawings a clean build of ``root`` stored: the part of a clean build that static export costs."""
    from wra_book import charts

    folder = work / "export"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    keys = []
    for spec in (root / "_build" / charts.CACHE).glob("*.json"):
        shutil.copyfile(spec, folder / spec.name)
        keys.append(spec.stem)
    started = time.perf_counter()
    drawn = charts.export(folder, keys)
    seconds = time.perf_counter() - started
    if len(drawn) != len(keys) or not keys:
        raise SystemExit(f"static export drew {len(drawn)} of {len(keys)} images")
    shutil.rmtree(folder)
    return seconds


def build_times(reps: int, work: Path) -> dict:
    out = {k: [] for k in ("clean", "export", "noop", "one_notebook", "one_csv", "floor")}
    for i in range(reps):
        root = build.copy_project(work / f"book{i}")
        out["clean"].append(timed_build(root))
        out["export"].append(export_time(root, work))
        out["noop"].append(timed_build(root))
        edit_notebook(root, i)
        out["one_notebook"].append(timed_build(root))
        edit_csv(root, i)
        out["one_csv"].append(timed_build(root))
        floor = floor_copy(work / f"floor{i}")
        out["floor"].append(timed_build(floor))
        shutil.rmtree(root)
        shutil.rmtree(floor)
        print(f"  repetition {i + 1}/{reps}: " + ", ".join(f"{k} {v[-1]:.1f}s" for k, v in out.items()), flush=True)
    return {k: stats(v) for k, v in out.items()}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _gzip_size(html_dir: Path, url: str) -> int:
    """What a server that compresses (as most static hosts do) would send for ``url``."""
    import gzip
    from urllib.parse import unquote, urlsplit

    path = html_dir / unquote(urlsplit(url).path).lstrip("/")
    return len(gzip.compress(path.read_bytes(), compresslevel=6)) if path.is_file() else 0


def page_weights(html_dir: Path, reps: int) -> dict:
    from playwright.sync_api import sync_playwright

    from wra_book import chromium  # the same browser the tests use

    handler = functools.partial(_Quiet, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    pages = sorted(p.relative_to(html_dir).as_posix() for p in (html_dir / "notebooks").glob("*.html"))
    results = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium.require(),
            args=list(chromium.ARGS),
        )
        for rel in pages:
            interactive, totals, gzipped, after = [], [], [], []
            for _ in range(reps):
                context = browser.new_context(viewport={"width": 1366, "height": 900})  # empty cache
                page = context.new_page()
                # the first visit: the page opened, nothing scrolled (charts show their image)
                page.goto(f"{base}/{rel}", wait_until="load")
                page.wait_for_timeout(1000)
                # Sizes as the browser received them (the server sends no compression).
                entries = page.evaluate(
                    """() => ({
                        own: performance.getEntriesByType('navigation')[0].encodedBodySize,
                        resources: performance.getEntriesByType('resource')
                            .map(r => ({url: r.name, size: r.encodedBodySize}))
                    })"""
                )
                own = entries["own"]
                sizes = {r["url"]: r["size"] for r in entries["resources"]}
                totals.append(own + sum(sizes.values()))
                gzipped.append(sum(_gzip_size(html_dir, url) for url in [f"{base}/{rel}", *sizes]))
                scripts = sum(v for u, v in sizes.items() if u.split("?")[0].endswith(".js"))
                styles = sum(v for u, v in sizes.items() if u.split("?")[0].endswith(".css"))
                # then the reader jumps to each chart in turn: seconds until it is interactive
                figures = page.locator(".wra-chart.wra-interactive")
                charts = figures.count()
                page.mouse.wheel(0, 40)
                for i in range(charts):
                    start = time.perf_counter()
                    figures.nth(i).scroll_into_view_if_needed()
                    page.wait_for_function(
                        "c => c.getAttribute('data-wra-live') === 'drawn' && c.querySelector('.main-svg')",
                        arg=figures.nth(i).element_handle(),
                    )
                    interactive.append(time.perf_counter() - start)
                after.append(
                    page.evaluate(
                        """() => performance.getEntriesByType('navigation')[0].encodedBodySize
                           + performance.getEntriesByType('resource').reduce((n, r) => n + r.encodedBodySize, 0)"""
                    )
                )
                context.close()
            results[rel] = {
                "charts": charts,
                "own_html_bytes": own,
                "scripts_bytes": scripts,
                "styles_bytes": styles,
                "first_visit_bytes": stats(totals),
                "first_visit_gzip_bytes": stats(gzipped),
                "all_charts_drawn_bytes": stats(after),
                "chart_interactive_seconds": stats(interactive) if interactive else None,
            }
        browser.close()
    server.shutdown()
    return results


def pdf_times(reps: int, work: Path) -> dict:
    """Time ``tools/pdf.py`` (single-page build and print) on the built project; size and pages."""
    import subprocess

    from pypdf import PdfReader

    seconds = []
    out = work / "book.pdf"
    for _ in range(reps):
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, str(ROOT / "tools" / "pdf.py"), "--out", str(out)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            raise SystemExit(f"tools/pdf.py failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
        seconds.append(time.perf_counter() - start)
    return {"seconds": stats(seconds), "bytes": out.stat().st_size, "pages": len(PdfReader(out).pages)}


def machine() -> dict:
    import os

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "date": time.strftime("%Y-%m-%d"),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3, help="repetitions of each build measurement")
    parser.add_argument("--page-reps", type=int, default=5, help="repetitions of each page load")
    parser.add_argument("--out", default=str(paths.BUILD / "bench" / "bench.json"))
    args = parser.parse_args(argv)

    html = paths.HTML
    if not (html / "index.html").exists():
        raise SystemExit("no built book: run `make book` first")
    print(f"page weights and chart drawing ({args.page_reps} visits each) ...", flush=True)
    pages = page_weights(html, args.page_reps)
    print(f"build times ({args.reps} repetitions) ...", flush=True)
    with tempfile.TemporaryDirectory(prefix="wra-bench-") as tmp:
        builds = build_times(args.reps, Path(tmp))

    print(f"the whole book as one PDF ({args.reps} repetitions) ...", flush=True)
    with tempfile.TemporaryDirectory(prefix="wra-bench-pdf-") as tmp:
        pdf = pdf_times(args.reps, Path(tmp))

    clean, floor, noop = (builds[k]["median"] for k in ("clean", "floor", "noop"))
    ratios = {"clean_vs_floor": clean / floor, "noop_vs_clean": noop / clean}
    ratios["export_vs_clean"] = builds["export"]["median"] / clean
    ratios["pdf_vs_clean"] = pdf["seconds"]["median"] / clean
    report = {"machine": machine(), "builds": builds, "ratios": ratios, "pages": pages, "pdf": pdf, "goals": GOALS}

    print("\nbuild                    median    min    max")
    for key, value in builds.items():
        print(f"  {key:<20} {value['median']:7.1f}s {value['min']:6.1f} {value['max']:6.1f}")
    print(f"  clean / floor        {ratios['clean_vs_floor']:6.2f}   (goal <= {GOALS['clean_vs_floor']})")
    print(f"  no-op / clean        {ratios['noop_vs_clean']:6.2f}   (goal <= {GOALS['noop_vs_clean']})")
    print(f"  static export / clean {ratios['export_vs_clean']:5.2f}   (every chart's images drawn afresh)")
    seconds = pdf["seconds"]
    print(
        f"  PDF (single page + print) {seconds['median']:5.1f}s {seconds['min']:6.1f} {seconds['max']:6.1f}"
        f"   ({pdf['pages']} pages, {pdf['bytes'] / 1e6:.1f} MB; {ratios['pdf_vs_clean']:.2f} of a clean build)"
    )
    print(
        "\npage                              charts  own HTML   scripts    styles  first visit (gzip)"
        "  all charts drawn  interactive after jumping to a chart (median, max)"
    )
    for rel, p in pages.items():
        seconds = p["chart_interactive_seconds"]
        when = f"{seconds['median']:6.2f} s {seconds['max']:6.2f} s" if seconds else "      (no chart)"
        print(
            f"  {rel:<32} {p['charts']:5d} {p['own_html_bytes'] / 1e3:7.0f} kB {p['scripts_bytes'] / 1e6:6.2f} MB"
            f" {p['styles_bytes'] / 1e3:6.0f} kB {p['first_visit_bytes']['median'] / 1e6:8.2f} MB"
            f" ({p['first_visit_gzip_bytes']['median'] / 1e6:4.2f} MB)"
            f" {p['all_charts_drawn_bytes']['median'] / 1e6:10.2f} MB   {when}"
        )
    print(
        f"  (goals: first visit <= {GOALS['first_visit_mb']} MB;"
        f" a chart interactive within {GOALS['interactive_s']} s of reaching it)"
    )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"\nwritten: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
