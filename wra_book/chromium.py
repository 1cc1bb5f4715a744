"""Debian's Chromium: where it is, and how every part of the book starts it.

The static images of the charts (:mod:`wra_book.charts`, through kaleido),
``make pdf`` (``tools/pdf.py``), ``make bench`` and the browser tests all use
the same browser, found the same way: ``$WRA_CHROMIUM`` if set, else Debian's
``/usr/bin/chromium``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
HINT = "sudo apt-get install chromium (or run `make book`, which installs it as root)"
#: flags for a headless Chromium that stays on the machine (no background requests)
ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


class ChromiumMissingError(RuntimeError):
    """No Chromium to draw or print the book with."""


def path() -> str | None:
    """The Chromium to use: ``$WRA_CHROMIUM`` (if it exists), else Debian's; None if there is none."""
    explicit = os.environ.get("WRA_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for candidate in CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


def require() -> str:
    """:func:`path`, or a :class:`ChromiumMissingError` that says how to install it."""
    found = path()
    if found is None:
        raise ChromiumMissingError(f"Chromium not found: {HINT}")
    return found
