"""Shared fixtures: the built book, a loopback web server, Debian's Chromium.

The book is built once per session, before the first test that reads it: the
``html_dir`` fixture runs ``make book``'s own steps (``tools/book.py``), which
do only what changed, so after ``make book`` it only finds the book up to date,
and a test never reads a book older than the sources. With pytest-xdist
(``make test``) the workers take turns on a lock: the first builds, the others
find the book current. ``WRA_HTML`` names another built book, used as it is.
"""

from __future__ import annotations

import fcntl
import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from wra.record import paths
from wra_book import chromium

# Sphinx's own test fixtures (make_app) for the book machinery's tests.
pytest_plugins = ("sphinx.testing.fixtures",)


def ensure_book() -> None:
    """Bring the book in ``_build/html`` up to date (once per session, whichever worker comes first)."""
    paths.BUILD.mkdir(parents=True, exist_ok=True)
    with open(paths.BUILD / ".tests-book.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        env = {k: v for k, v in os.environ.items() if k != "WRA_DATA"}
        proc = subprocess.run(
            [sys.executable, str(paths.ROOT / "tools" / "book.py")],
            cwd=paths.ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
    if proc.returncode != 0:
        pytest.fail(f"the book did not build (make book):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")


#: the modules that take longest, longest first: run first, so that with pytest-xdist
#: (``make test``: ``--dist loadscope``, a module to a worker) no long module starts last
LONGEST_FIRST = (
    "test_rebuild",
    "test_changing_a_chart",
    "test_reader",
    "test_charts_once",
    "test_notebooks",
    "test_pdf",
    "test_jupyter",
    "test_downloads",
    "test_browser",
    "test_check",
)


def pytest_configure(config):
    # CI runs every test: nothing deselected by marker (the browser tests above all)
    if os.environ.get("CI") == "true" and config.getoption("markexpr"):
        raise pytest.UsageError(f"CI=true runs every test: no -m {config.getoption('markexpr')!r}")


def pytest_collection_modifyitems(config, items):
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.module.__name__.rsplit(".", 1)[-1], len(rank)))


@pytest.fixture(scope="session")
def html_dir() -> Path:
    if "WRA_HTML" in os.environ:
        html = Path(os.environ["WRA_HTML"])
    else:
        ensure_book()
        html = paths.HTML
    if not (html / "index.html").exists():
        pytest.fail(f"no built book at {html}: run `make book` first (make test does)")
    return html


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # stdlib signature
        pass


@pytest.fixture(scope="session")
def book_url(html_dir: Path):
    handler = functools.partial(_QuietHandler, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Missing is a failure, never a skip."""
    executable = chromium.path()
    if executable is None:
        pytest.fail(f"Chromium not found; the browser tests need it: {chromium.HINT}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=executable,
            headless=True,
            args=list(chromium.ARGS),
        )
        try:
            yield browser
        finally:
            browser.close()
