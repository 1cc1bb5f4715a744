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
:mod:`wra_book.inputs`); after :func:`declare`, reading anything else under
``data/`` raises :class:`UndeclaredInputError`, however it is read:
:func:`load`, :func:`result` (whose ``frames`` hold the declared tables only),
``pd.read_csv("../data/...")`` or a plain ``open``. An audit hook on file
opens (:func:`sys.addaudithook`) sees every read; only the validation that
:func:`result` runs may read every table. So a declaration cannot silently
go stale. Reading never writes anything.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path

import pandas as pd

from wra.record import paths
from wra.record.check import DataError, ReadRefused, Result, validate
from wra.record.paths import ROOT, TABLES

__all__ = ["DataError", "UndeclaredInputError", "declare", "load", "load_all", "result"]
#: the tables this process may load (None: any)
DECLARED: frozenset[str] | None = None


class UndeclaredInputError(ReadRefused):
    """A notebook loaded a table it did not declare in its front matter."""


def declare(inputs) -> None:
    """Allow only ``inputs`` to be read from now on (called by ``wra.setup``)."""
    global DECLARED
    unknown = sorted(set(inputs) - set(TABLES))
    if unknown:
        raise KeyError(f"unknown table(s) {', '.join(unknown)}; known: {', '.join(TABLES)}")
    DECLARED = frozenset(inputs)
    _install_guard()


def _refuse(what: str) -> UndeclaredInputError:
    return UndeclaredInputError(
        f"this notebook reads {what} but its front matter declares only "
        f"wra.inputs: [{', '.join(sorted(DECLARED or ()))}]; add the table there, so the book "
        "re-executes the notebook when the table changes"
    )


def _allowed(names) -> None:
    if DECLARED is None:
        return
    missing = sorted(set(names) - DECLARED)
    if missing:
        raise _refuse(", ".join(missing))


#: True while :func:`result` validates (the check reads every table)
_validating = False
_guarded = False


def _opened_path(args) -> Path | None:
    target = args[0] if args else None
    if isinstance(target, bytes):
        target = os.fsdecode(target)
    if not isinstance(target, (str, os.PathLike)):
        return None  # a file descriptor
    return Path(os.path.abspath(target))


def _guard(event: str, args) -> None:
    """Audit hook: an ``open`` of a file under data/ that the notebook did not declare is refused."""
    if event != "open" or DECLARED is None or _validating:
        return
    path = _opened_path(args)
    if path is None:
        return
    data_dir = Path(os.path.abspath(paths.DATA))
    if data_dir != path and data_dir not in path.parents:
        return
    if path.parent == data_dir and path.suffix == ".csv" and path.stem in DECLARED:
        return
    raise _refuse(f"data/{path.relative_to(data_dir).as_posix()}")


def _install_guard() -> None:
    global _guarded
    if not _guarded:
        sys.addaudithook(_guard)
        _guarded = True


class _DeclaredFrames(dict):
    """The frames of a :class:`Result`, where an undeclared table raises."""

    def __getitem__(self, name):
        _allowed([name])
        return super().__getitem__(name)

    def get(self, name, default=None):
        _allowed([name])
        return super().get(name, default)

    def items(self):
        _allowed(self.keys())
        return super().items()

    def values(self):
        _allowed(self.keys())
        return super().values()


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
    """The (cached) validation result for the project at ``root``; its ``frames``
    give the declared tables only."""
    root = Path(root).resolve()
    sig = _signature(root)
    cached = _CACHE.get(root)
    if cached is None or cached[0] != sig:
        cached = (sig, _validate(root))
        _CACHE[root] = cached
    res = cached[1]
    return dataclasses.replace(res, frames=_DeclaredFrames(res.frames))


def _validate(root: Path) -> Result:
    global _validating
    _validating = True
    try:
        return validate(root)
    finally:
        _validating = False


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
