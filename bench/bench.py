"""Benchmark what users run: `make bench`.

Measures, in one run and several repetitions each (median and spread):

* ``make book`` as a user runs it (the data check, the HTML book, the PDF), in a
  throw-away copy of the project: clean, then with nothing changed (the no-op:
  it must say the book is up to date), after editing one notebook, and after
  editing one CSV (``strength.csv``: its readers re-execute); each step's
  seconds come from the run's own report (``_build/wra-make-book.json``);
* the execution phase of the clean build (the notebooks run side by side,
  ``wra_book/execute.py``) against the notebooks' own execution times: run one
  at a time (``WRA_EXECUTION_WORKERS=1``, the same copy with its execution
  cache emptied) their sum is what executing them one after another costs; the
  sum of their times in the parallel run is given too (each is slower there,
  sharing the cores, so that ratio flatters);
* the static export alone: every chart's images drawn afresh from the drawings
  the clean build stored (one kaleido session);
* the floor: the notebooks reduced to their setup cell, built clean (HTML only):
  what any build must pay, against the clean build's HTML step;
* the whole book as one PDF, forced (``tools/pdf.py``: the single-page build from
  the execution cache, then printing), its size and pages;
* page weight of each chapter at 1366×900 (the page opened, nothing scrolled:
  charts show their static image and plotly.js is not fetched), then the total
  once every chart is drawn;
* for each chart, the seconds until it is interactive (drawn by wra-charts.js)
  when the reader jumps to it (scrolled straight into view): *at once* (the
  reader's first scroll and the jump together: nothing was fetched ahead, the
  old worst case), *while reading* (the reader has moved the pointer, read for
  1.5 s, then jumps: plotly.js has been fetched ahead when the browser was
  idle), and *by a link* (a fresh page opened at the chart's anchor, from the
  start of the navigation, page load included);
* ``make test`` and ``make test-fast``, once each, in this checkout (the book
  already built); ``--no-tests`` leaves them out.

Ratios are against baselines measured in the same run, so they compare like
with like on whatever machine runs them; the load average before and after is
recorded, since other work on the machine skews every time. Prints a table and
writes ``_build/bench/bench.json``. Goals (not tests): no-op ``make book`` <=
0.1x a clean one; the execution phase <= 0.65x the notebooks' own times;
``make test`` <= 10 minutes, ``make test-fast`` <= 2 minutes; first visit to a
chapter <= 1.5 MB; a chart reached by a jump interactive within 0.6 s median,
1.0 s at worst.
"""

from __future__ import annotations

import argparse
import csv
import functools
import http.server
import io
import json
import os
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
from wra_book import build, execute  # noqa: E402

SETUP_CELL = re.compile(r"```\{code-cell\}.*?```\n", re.DOTALL)
GOALS = {
    "clean_vs_floor": 1.5,
    "noop_vs_clean": 0.1,
    "execution_vs_serial": 0.65,
    "test_s": 600,
    "test_fast_s": 120,
    "first_visit_mb": 1.5,
    "interactive_median_s": 0.6,
    "interactive_max_s": 1.0,
}


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


def make_book(root: Path) -> dict:
    """``make book`` in the copy: its seconds, its own report and what the HTML build executed."""
    result = build.make_book(root)
    if not result.ok:
        raise SystemExit(f"make book failed in {root}:\n{result.log[-3000:]}")
    report = json.loads((root / "_build" / "wra-make-book.json").read_text(encoding="utf-8"))
    return {"seconds": result.seconds, "report": report, "record": execute.read_record(root / "_build") or {}}


def serial_execution(root: Path) -> dict:
    """Every notebook executed again one at a time (the execution cache emptied, the notebooks read again)."""
    shutil.rmtree(root / "_build" / ".jupyter_cache")
    for stem in build.notebooks(root):
        (root / f"{stem}.md").touch()
    before = os.environ.get(execute.WORKERS_ENV)
    os.environ[execute.WORKERS_ENV] = "1"
    try:
        timed_build(root)
    finally:
        if before is None:
            os.environ.pop(execute.WORKERS_ENV)
        else:
            os.environ[execute.WORKERS_ENV] = before
    record = execute.read_record(root / "_build") or {}
    if len(record.get("executed", [])) != len(build.notebooks(root)):
        raise SystemExit(f"the serial run executed {record.get('executed')}, not every notebook")
    return record


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
    keys = ("clean", "noop", "one_notebook", "one_csv", "clean_html", "noop_html", "execution", "serial", "export")
    out = {k: [] for k in (*keys, "parallel_sum", "floor")}
    workers = []
    for i in range(reps):
        root = build.copy_project(work / f"book{i}")
        clean = make_book(root)
        out["clean"].append(clean["seconds"])
        out["clean_html"].append(clean["report"]["seconds"]["html"])
        out["execution"].append(clean["record"]["execution_seconds"])
        out["parallel_sum"].append(sum(clean["record"]["notebook_seconds"].values()))
        workers.append(clean["record"]["workers"])
        out["export"].append(export_time(root, work))
        noop = make_book(root)
        if not noop["report"]["up_to_date"]:
            raise SystemExit(f"a no-op make book did not find the book up to date: {noop['report']}")
        out["noop"].append(noop["seconds"])
        out["noop_html"].append(noop["report"]["seconds"]["html"])
        edit_notebook(root, i)
        out["one_notebook"].append(make_book(root)["seconds"])
        edit_csv(root, i)
        out["one_csv"].append(make_book(root)["seconds"])
        out["serial"].append(serial_execution(root)["execution_seconds"])
        floor = floor_copy(work / f"floor{i}")
        out["floor"].append(timed_build(floor))
        shutil.rmtree(root)
        shutil.rmtree(floor)
        print(f"  repetition {i + 1}/{reps}: " + ", ".join(f"{k} {v[-1]:.1f}s" for k, v in out.items()), flush=True)
    result = {k: stats(v) for k, v in out.items()}
    result["workers"] = max(workers)
    return result


def test_times() -> dict:
    """``make test-fast`` and ``make test`` in this checkout, once each: seconds and pytest's closing line."""
    import subprocess

    found = {}
    for target in ("test-fast", "test"):
        started = time.perf_counter()
        proc = subprocess.run(["make", target], cwd=ROOT, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        closing = [line.strip("= ") for line in proc.stdout.splitlines() if re.search(r"\d+ passed", line)]
        found[target] = {"seconds": seconds, "returncode": proc.returncode, "pytest": closing}
        print(f"  make {target}: {seconds:.0f} s, exit {proc.returncode}; {'; '.join(closing)}", flush=True)
    return found


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _gzip_size(html_dir: Path, url: str) -> int:
    """What a server that compresses (as most static hosts do) would send for ``url``."""
    import gzip
    from urllib.parse import unquote, urlsplit

    path = html_dir / unquote(urlsplit(url).path).lstrip("/")
    return len(gzip.compress(path.read_bytes(), compresslevel=6)) if path.is_file() else 0


DRAWN = "c => c.getAttribute('data-wra-live') === 'drawn' && c.querySelector('.main-svg')"


def _jump(page, chart) -> float:
    """Seconds from scrolling ``chart`` straight into view until it is interactive."""
    start = time.perf_counter()
    chart.scroll_into_view_if_needed()
    page.wait_for_function(DRAWN, arg=chart.element_handle())
    return time.perf_counter() - start


def page_weights(html_dir: Path, reps: int) -> dict:
    from playwright.sync_api import sync_playwright

    from wra_book import chromium  # the same browser the tests use

    handler = functools.partial(_Quiet, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    pages = sorted(p.relative_to(html_dir).as_posix() for p in (html_dir / "notebooks").glob("*.html"))
    viewport = {"width": 1366, "height": 900}
    results = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium.require(),
            args=list(chromium.ARGS),
        )
        for rel in pages:
            at_once, reading, by_link, totals, gzipped, after = [], [], [], [], [], []
            for _ in range(reps):
                context = browser.new_context(viewport=viewport)  # empty cache
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
                figures = page.locator(".wra-chart.wra-interactive")
                charts = figures.count()
                # at once: the reader's first scroll and the jump together
                page.mouse.wheel(0, 40)
                for i in range(charts):
                    at_once.append(_jump(page, figures.nth(i)))
                after.append(
                    page.evaluate(
                        """() => performance.getEntriesByType('navigation')[0].encodedBodySize
                           + performance.getEntriesByType('resource').reduce((n, r) => n + r.encodedBodySize, 0)"""
                    )
                )
                anchors = [
                    figures.nth(i).evaluate("c => (c.closest('figure[id]') || {}).id || null") for i in range(charts)
                ]
                context.close()
                # while reading: a fresh visit for each chart; the pointer moves, 1.5 s of reading, the jump
                for i in range(charts):
                    context = browser.new_context(viewport=viewport)
                    page = context.new_page()
                    page.goto(f"{base}/{rel}", wait_until="load")
                    page.wait_for_timeout(500)
                    page.mouse.move(300, 300)
                    page.mouse.move(320, 340)
                    page.wait_for_timeout(1500)
                    reading.append(_jump(page, page.locator(".wra-chart.wra-interactive").nth(i)))
                    context.close()
                # by a link: a fresh page opened at the chart's anchor, timed from the navigation's start
                for anchor in filter(None, anchors):
                    context = browser.new_context(viewport=viewport)
                    page = context.new_page()
                    page.goto(f"{base}/{rel}#{anchor}", wait_until="commit")
                    chart = page.locator(f"[id='{anchor}'] .wra-chart.wra-interactive").first
                    page.wait_for_function(DRAWN, arg=chart.element_handle(timeout=30_000), timeout=30_000)
                    by_link.append(page.evaluate("() => performance.now()") / 1000)
                    context.close()
            results[rel] = {
                "charts": charts,
                "own_html_bytes": own,
                "scripts_bytes": scripts,
                "styles_bytes": styles,
                "first_visit_bytes": stats(totals),
                "first_visit_gzip_bytes": stats(gzipped),
                "all_charts_drawn_bytes": stats(after),
                "jump_at_once_seconds": stats(at_once) if at_once else None,
                "jump_while_reading_seconds": stats(reading) if reading else None,
                "jump_by_link_seconds": stats(by_link) if by_link else None,
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
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "date": time.strftime("%Y-%m-%d"),
    }


def load() -> list[float]:
    """The load averages (1, 5, 15 minutes): how busy the machine was besides this run."""
    return [round(x, 2) for x in os.getloadavg()]


def _interactive(pages: dict, key: str) -> dict | None:
    values = [v for p in pages.values() if p[key] for v in p[key]["runs"]]
    return stats(values) if values else None


def markdown(report: dict, reps: int, page_reps: int) -> str:
    """README's benchmark tables, from one run's report."""
    b, r, pdf, tests = report["builds"], report["ratios"], report["pdf"], report["tests"]
    m = report["machine"]

    def s(key, unit="s"):
        v = b[key]
        return f"{v['median']:.1f} {unit}", f"{v['min']:.1f}–{v['max']:.1f} {unit}"

    def verdict(value, goal):
        return "met" if value <= goal else "not met"

    rows = [
        ("clean `make book` (PDF included)", *s("clean"), ""),
        ("no-op `make book` (*The book is up to date*)", *s("noop"), ""),
        (
            "no-op / clean",
            f"**{r['noop_vs_clean']:.3f}**",
            "",
            f"≤ {GOALS['noop_vs_clean']}: {verdict(r['noop_vs_clean'], GOALS['noop_vs_clean'])}",
        ),
        ("one notebook edited (it alone re-executes; the PDF is printed again)", *s("one_notebook"), ""),
        ("one CSV edited (`strength.csv`: its readers re-execute)", *s("one_csv"), ""),
        (f"clean build's execution phase ({b['workers']} notebooks at a time)", *s("execution"), ""),
        ("the notebooks one at a time (the sum of their own times)", *s("serial"), ""),
        (
            "execution phase / one at a time",
            f"**{r['execution_vs_serial']:.2f}**",
            "",
            f"≤ {GOALS['execution_vs_serial']}: {verdict(r['execution_vs_serial'], GOALS['execution_vs_serial'])}",
        ),
        (
            "the whole book as one PDF, forced (`make pdf`: single-page build and print; "
            f"{pdf['pages']} pages, {pdf['bytes'] / 1e6:.1f} MB)",
            f"{pdf['seconds']['median']:.1f} s",
            f"{pdf['seconds']['min']:.1f}–{pdf['seconds']['max']:.1f} s",
            "",
        ),
        (
            "clean build's HTML step / the floor (notebooks cut to their setup cell)",
            f"{r['clean_html_vs_floor']:.2f}",
            "",
            "",
        ),
    ]
    if tests:
        for target, goal in (("test", "test_s"), ("test-fast", "test_fast_s")):
            t = tests[target]
            minutes = f"{t['seconds'] / 60:.1f} min"
            rows.append(
                (
                    f"`make {target}` ({'; '.join(t['pytest'])})",
                    minutes,
                    "one run",
                    f"≤ {GOALS[goal] // 60} min: " + verdict(t["seconds"], GOALS[goal]),
                )
            )
    lines = [
        f"Measured on {m['date']}: {m['cpus']} cores, Python {m['python']}; load averages (1, 5, 15 min)"
        f" {report['load_before']} at the start and {report['load_after']} at the end (other work shared the"
        f" machine). {reps} repetitions of each build and the PDF, {page_reps} visits of each page;"
        " median (min–max).",
        "",
        "| what | median | range | goal |",
        "| --- | --- | --- | --- |",
        *(f"| {a} | {b_} | {c} | {d} |" for a, b_, c, d in rows),
        "",
        "| chapter | charts | own HTML | first visit | first visit, gzip | all charts drawn |"
        " interactive after a jump: at once | while reading | by a link |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]

    def when(value):
        return f"{value['median']:.2f} s ({value['max']:.2f} s)" if value else "(no chart)"

    for rel, p in report["pages"].items():
        name = Path(rel).stem.replace("_", " ", 1).split("_")[0]
        sizes = [
            p[k]["median"] / 1e6 for k in ("first_visit_bytes", "first_visit_gzip_bytes", "all_charts_drawn_bytes")
        ]
        lines.append(
            f"| {name} | {p['charts']} | {p['own_html_bytes'] / 1e3:.0f} kB | "
            + " | ".join(f"{size:.2f} MB" for size in sizes)
            + "".join(f" | {when(p[f'jump_{k}_seconds'])}" for k in ("at_once", "while_reading", "by_link"))
            + " |"
        )
    j = report["jumps"]
    lines.append(
        "| every chart | | | | | | " + " | ".join(when(j[k]) for k in ("at_once", "while_reading", "by_link")) + " |"
    )
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3, help="repetitions of each build measurement")
    parser.add_argument("--page-reps", type=int, default=3, help="repetitions of each page visit")
    parser.add_argument("--no-tests", action="store_true", help="leave out make test and make test-fast")
    parser.add_argument("--out", default=str(paths.BUILD / "bench" / "bench.json"))
    args = parser.parse_args(argv)

    html = paths.HTML
    if not (html / "index.html").exists():
        raise SystemExit("no built book: run `make book` first")
    report = {"machine": machine(), "load_before": load(), "goals": GOALS}
    print(f"load averages at the start: {report['load_before']} ({os.cpu_count()} cores)", flush=True)
    print(f"page weights and charts after a jump ({args.page_reps} visits each) ...", flush=True)
    pages = page_weights(html, args.page_reps)
    print(f"make book in a copy ({args.reps} repetitions) ...", flush=True)
    with tempfile.TemporaryDirectory(prefix="wra-bench-") as tmp:
        builds = build_times(args.reps, Path(tmp))
    print(f"the whole book as one PDF, forced ({args.reps} repetitions) ...", flush=True)
    with tempfile.TemporaryDirectory(prefix="wra-bench-pdf-") as tmp:
        pdf = pdf_times(args.reps, Path(tmp))
    tests = None
    if not args.no_tests:
        print("make test-fast and make test ...", flush=True)
        tests = test_times()
    report["load_after"] = load()

    median = {k: v["median"] for k, v in builds.items() if isinstance(v, dict)}
    ratios = {
        "noop_vs_clean": median["noop"] / median["clean"],
        "execution_vs_serial": median["execution"] / median["serial"],
        "execution_vs_parallel_sum": median["execution"] / median["parallel_sum"],
        "clean_html_vs_floor": median["clean_html"] / median["floor"],
        "export_vs_clean": median["export"] / median["clean"],
        "pdf_vs_clean": pdf["seconds"]["median"] / median["clean"],
    }
    jumps = {key: _interactive(pages, f"jump_{key}_seconds") for key in ("at_once", "while_reading", "by_link")}
    report.update({"builds": builds, "ratios": ratios, "pages": pages, "jumps": jumps, "pdf": pdf, "tests": tests})

    print(f"\nmake book (in a copy)          median    min    max   ({args.reps} runs)")
    labels = {
        "clean": "clean",
        "noop": "no-op (up to date)",
        "one_notebook": "one notebook edited",
        "one_csv": "one CSV edited",
        "clean_html": "clean: the HTML step",
        "noop_html": "no-op: the HTML step",
        "execution": "clean: execution phase",
        "serial": "notebooks one at a time",
        "parallel_sum": "their own times, side by side",
        "export": "static export, all charts",
        "floor": "floor (HTML only)",
    }
    for key, label in labels.items():
        v = builds[key]
        print(f"  {label:<28} {v['median']:7.1f}s {v['min']:6.1f} {v['max']:6.1f}")
    print(f"  no-op / clean              {ratios['noop_vs_clean']:6.3f}   (goal <= {GOALS['noop_vs_clean']})")
    print(
        f"  execution / one at a time  {ratios['execution_vs_serial']:6.2f}   (goal <= {GOALS['execution_vs_serial']};"
        f" {builds['workers']} workers; / their own times side by side: {ratios['execution_vs_parallel_sum']:.2f})"
    )
    print(f"  clean HTML / floor         {ratios['clean_html_vs_floor']:6.2f}   (goal <= {GOALS['clean_vs_floor']})")
    seconds = pdf["seconds"]
    print(
        f"  PDF, forced                {seconds['median']:6.1f}s {seconds['min']:6.1f} {seconds['max']:6.1f}"
        f"   ({pdf['pages']} pages, {pdf['bytes'] / 1e6:.1f} MB)"
    )
    if tests:
        for target, goal in (("test-fast", "test_fast_s"), ("test", "test_s")):
            t = tests[target]
            print(f"  make {target:<10} {t['seconds']:7.0f}s   (goal <= {GOALS[goal]} s; {'; '.join(t['pytest'])})")
    print(
        "\npage                              charts  own HTML   scripts    styles  first visit (gzip)"
        "  all charts drawn  interactive after a jump: at once / while reading / by a link (median, max)"
    )

    def when(value):
        return f"{value['median']:.2f} ({value['max']:.2f})" if value else "-"

    for rel, p in pages.items():
        print(
            f"  {rel:<32} {p['charts']:5d} {p['own_html_bytes'] / 1e3:7.0f} kB {p['scripts_bytes'] / 1e6:6.2f} MB"
            f" {p['styles_bytes'] / 1e3:6.0f} kB {p['first_visit_bytes']['median'] / 1e6:8.2f} MB"
            f" ({p['first_visit_gzip_bytes']['median'] / 1e6:4.2f} MB)"
            f" {p['all_charts_drawn_bytes']['median'] / 1e6:10.2f} MB   "
            + " / ".join(when(p[f"jump_{k}_seconds"]) for k in ("at_once", "while_reading", "by_link"))
        )
    print("  every chart: " + " / ".join(f"{k} {when(v)}" for k, v in jumps.items()))
    print(
        f"  (goals: first visit <= {GOALS['first_visit_mb']} MB; a chart interactive after a jump within"
        f" {GOALS['interactive_median_s']} s median, {GOALS['interactive_max_s']} s at worst)"
    )
    print(f"\nload averages: {report['load_before']} at the start, {report['load_after']} at the end")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    out.with_suffix(".md").write_text(markdown(report, args.reps, args.page_reps), encoding="utf-8")
    print(f"written: {out} and, as README's tables, {out.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
