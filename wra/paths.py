"""Every path the project uses, in one place.

``ROOT`` is the project root (the folder holding ``_config.yml``). Code that
validates another copy of the project takes a root argument and builds its
paths with :func:`data_dir` and :func:`bib_path`.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TABLES = ("directives", "actions", "assessments", "strength", "places", "glossary")


def data_dir(root: Path | str = ROOT) -> Path:
    return Path(root) / "data"


def bib_path(root: Path | str = ROOT) -> Path:
    return Path(root) / "references.bib"


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
