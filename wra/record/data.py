"""Load the validated tables: what notebooks call.

>>> from wra.record import data
>>> strength = data.load("strength")

Every load runs the full check of :mod:`wra.record.check` (once per process while
the files stay unchanged: the result is cached on the files' mtimes and
sizes) and raises :class:`wra.record.check.DataError`, listing every problem, if
anything is wrong. Frames come typed: dates ``datetime64[ns]``, figures
``float64``, ``note`` nullable ``Int64``, text pandas ``str``; the columns are
those of the CSV file, the index a plain RangeIndex.

A notebook built into the book declares its inputs (see
:mod:`wra_book.inputs`); after :func:`declare`, loading any other table raises
:class:`UndeclaredInputError`, so a declaration cannot silently go stale.
Reading never writes anything.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from wra.record import paths
from wra.record.check import DataError, Result, validate
from wra.record.paths import ROOT, TABLES

__all__ = ["DataError", "UndeclaredInputError", "declare", "load", "load_all", "result"]

#: the tables this process may load (None: any)
DECLARED: frozenset[str] | None = None


class UndeclaredInputError(RuntimeError):
    """A notebook loaded a table it did not declare in its front matter."""


def declare(inputs) -> None:
    """Allow only ``inputs`` to be loaded from now on (called by ``wra.setup``)."""
    global DECLARED
    unknown = sorted(set(inputs) - set(TABLES))
    if unknown:
        raise KeyError(f"unknown table(s) {', '.join(unknown)}; known: {', '.join(TABLES)}")
    DECLARED = frozenset(inputs)


def _allowed(names) -> None:
    if DECLARED is None:
        return
    missing = sorted(set(names) - DECLARED)
    if missing:
        raise UndeclaredInputError(
            f"this notebook loads {', '.join(missing)} but its front matter declares only "
            f"wra.inputs: [{', '.join(sorted(DECLARED))}]; add the table there, so the book "
            "re-executes the notebook when the table changes"
        )


_CACHE: dict[Path, tuple[tuple, Result]] = {}


def _signature(root: Path) -> tuple:
    files = [paths.table_path(t, root) for t in TABLES] + [paths.bib_path(root)]
    sig = []
    for f in files:
        try:
            st = f.stat()
            sig.append((f.name, st.st_mtime_ns, st.st_size))
        except OSError:
            sig.append((f.name, None, None))
    return tuple(sig)


def result(root: Path | str = ROOT) -> Result:
    """The (cached) validation result for the project at ``root``."""
    root = Path(root).resolve()
    sig = _signature(root)
    cached = _CACHE.get(root)
    if cached is not None and cached[0] == sig:
        return cached[1]
    res = validate(root)
    _CACHE[root] = (sig, res)
    return res


def _checked(root: Path | str) -> Result:
    res = result(root)
    if res.problems:
        raise DataError(res.problems, res.root)
    return res


def _public(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.reset_index(drop=True).copy()


def load(name: str, root: Path | str = ROOT) -> pd.DataFrame:
    """One validated, typed table, e.g. ``load("strength")``."""
    if name not in TABLES:
        raise KeyError(f"unknown table {name!r}; known: {', '.join(TABLES)}")
    _allowed([name])
    return _public(_checked(root).frames[name])


def load_all(root: Path | str = ROOT) -> dict[str, pd.DataFrame]:
    """Every validated table by name."""
    _allowed(TABLES)
    res = _checked(root)
    return {name: _public(res.frames[name]) for name in TABLES}
