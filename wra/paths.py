"""Every path the project uses, in one place.

``ROOT`` is the project root (the folder holding ``_config.yml``). Code that
validates another copy of the project takes a root argument and builds its
paths with :func:`data_dir` and :func:`bib_path`.

The record is read from ``ROOT/data`` and ``ROOT/references.bib``, unless the
environment variable ``WRA_DATA`` names a folder holding the CSV tables and
``references.bib`` side by side (the layout of the book's data archive,
``wra-data.zip``): then this project's data is read from there. ``WRA_DATA``
is for running the notebooks outside the repository; the Makefile ignores it,
so the book is always built from the repository's own data.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TABLES = ("directives", "actions", "assessments", "strength", "places", "glossary", "positions", "readings")


ENV_DATA = "WRA_DATA"


def data_override(root: Path | str = ROOT) -> Path | None:
    """The folder named by ``WRA_DATA``, when ``root`` is this project; else None."""
    value = os.environ.get(ENV_DATA)
    if not value or Path(root).resolve() != ROOT:
        return None
    return Path(value).expanduser().resolve()


def data_dir(root: Path | str = ROOT) -> Path:
    override = data_override(root)
    return override if override is not None else Path(root) / "data"


def bib_path(root: Path | str = ROOT) -> Path:
    override = data_override(root)
    return (override if override is not None else Path(root)) / "references.bib"


def table_path(name: str, root: Path | str = ROOT) -> Path:
    if name not in TABLES:
        raise KeyError(f"unknown table {name!r}; known: {', '.join(TABLES)}")
    return data_dir(root) / f"{name}.csv"


DATA = data_dir()
BIB = bib_path()
BUILD = ROOT / "_build"
HTML = BUILD / "html"
# The project's shared research folder, beside a checkout when there is one (CI has it). Nothing
# in the package needs it: the quotation check takes the article's path (wra.quotes).
SHARED = Path(os.environ.get("WRA_SHARED", ROOT.parent / "shared"))
