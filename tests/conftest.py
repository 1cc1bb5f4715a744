"""Shared fixtures: the built book, a loopback web server, Debian's Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path

import pytest

from wra.record import paths
from wra_book import chromium

# Sphinx's own test fixtures (make_app) for the book machinery's tests.
pytest_plugins = ("sphinx.testing.fixtures",)


@pytest.fixture(scope="session")
def html_dir() -> Path:
    html = Path(os.environ.get("WRA_HTML", paths.HTML))
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
