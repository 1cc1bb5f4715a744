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

ROOT = Path(__file__).resolve().parents[2]

TABLES = (
    "directives",
    "actions",
    "assessments",
    "strength",
    "places",
    "glossary",
    "positions",
    "readings",
    "engagements",
    "conditions",
    "windows",
    "causes",
)


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
# in the package needs it: the quotation check takes the article's path (wra.record.quotes).
SHARED = Path(os.environ.get("WRA_SHARED", ROOT.parent / "shared"))


class DataNotFoundError(FileNotFoundError):
    """The record's CSV files or references.bib are not where the package looks."""


def check_data() -> None:
    """Raise :class:`DataNotFoundError` unless every table and the bibliography can be read."""
    files = [table_path(t) for t in TABLES] + [bib_path()]
    missing = [f.name for f in files if not f.is_file()]
    if not missing:
        return
    where = data_override()
    looked = (
        f"in {where} (named by {ENV_DATA})"
        if where is not None
        else f"in {data_dir()} and {bib_path().parent} (beside the installed package)"
    )
    raise DataNotFoundError(
        f"the book's data is not {looked}: missing {', '.join(missing)}. Either install the project "
        f"from a checkout of it with `pip install -e .`, or set {ENV_DATA} to a folder holding the "
        "CSV tables and references.bib (unzip the book's wra-data.zip, e.g. "
        f"`export {ENV_DATA}=$HOME/wra-data`) and restart the kernel."
    )
