"""A damaged execution cache heals itself, or the build stops in one line that says how to fix it.

myst-nb keeps executed notebooks in a jupyter-cache folder
(``_build/.jupyter_cache``): an SQLite index, ``global.db``, and one
``executed/<hash>/base.ipynb`` per notebook. A file cut short there (a full
disk, a killed build, a copy interrupted) used to stop every later build with
``NotJSONError`` or "database disk image is malformed", and nothing said to
delete the cache. :func:`heal`, run as the build starts (``builder-inited``,
after myst-nb has set the cache's path) and by ``make book`` before it builds
(``python -m wra_book.cache``):

* removes the whole cache when its index cannot be read (every notebook runs again);
* removes each entry whose notebook cannot be read (that notebook runs again);
* says what it did in one line; when it cannot (the folder is read-only, say),
  ``make book`` stops with one line naming the cause and the fix,
  ``make clean-cache``.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import sys
from pathlib import Path

FIX = "run `make clean-cache` (it deletes the built book and the cache, and keeps .venv)"


class CacheError(RuntimeError):
    """The cache is damaged and could not be repaired: the message names the cause and the fix."""


def _index_problem(db: Path) -> str | None:
    """Why the cache's index ``db`` cannot be used, or None."""
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return str(exc)
    try:
        check = con.execute("PRAGMA quick_check").fetchall()
        con.execute("SELECT pk, hashkey FROM nbcache").fetchall()
    except sqlite3.Error as exc:
        return str(exc)
    finally:
        con.close()
    if check != [("ok",)]:
        return "; ".join(str(row[0]) for row in check[:3])
    return None


def _notebook_problem(path: Path) -> str | None:
    """Why the executed notebook at ``path`` cannot be read back, or None."""
    import nbformat

    try:
        nbformat.validate(nbformat.read(path, as_version=nbformat.NO_CONVERT))
    except FileNotFoundError:
        return "missing"
    except Exception as exc:  # NotJSONError, ValidationError, UnicodeDecodeError, ...
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        first = re.split(r":\s*['\"{\[]", first)[0]  # not the file's contents, which some messages quote
        return f"{type(exc).__name__}: {first[:120]}".rstrip(": ")
    return None


def heal(cache: Path | str) -> str | None:
    """Repair the execution cache at ``cache``; return one line saying what was done, or None if it was sound.

    Raises :class:`CacheError` (one line: the cause and :data:`FIX`) if a damaged cache cannot be repaired.
    """
    cache = Path(cache)
    db = cache / "global.db"
    if not db.exists():
        return None
    where = cache.as_posix()
    problem = _index_problem(db)
    if problem is not None:
        try:
            shutil.rmtree(cache)
        except OSError as exc:
            raise CacheError(
                f"the execution cache {where} is damaged (global.db: {problem}) and could not be removed "
                f"({exc.strerror or exc}): {FIX}"
            ) from None
        return f"the execution cache {where} was damaged (global.db: {problem}): removed it; every notebook runs again"

    from jupyter_cache import get_cache
    from jupyter_cache.cache.db import NbCacheRecord

    store = get_cache(str(cache))
    damaged = []
    for record in store.list_cache_records():
        folder = cache / "executed" / record.hashkey
        problem = _notebook_problem(folder / "base.ipynb")
        if problem is None:
            continue
        try:
            shutil.rmtree(folder, ignore_errors=False) if folder.exists() else None
            NbCacheRecord.remove_records([record.pk], store.db)
        except (OSError, RuntimeError) as exc:
            raise CacheError(
                f"the execution cache {where} is damaged (executed/{record.hashkey}/base.ipynb: {problem}) "
                f"and could not be repaired ({exc}): {FIX}"
            ) from None
        damaged.append((record.uri, problem))
    if not damaged:
        return None
    names = ", ".join(dict.fromkeys(Path(uri).stem if uri else "?" for uri, _ in damaged))
    return (
        f"the execution cache {where} held {len(damaged)} damaged notebook(s) ({names}: {damaged[0][1]}): "
        "removed them; they run again"
    )


def _heal_at_start(app) -> None:
    """``builder-inited``: heal the cache myst-nb is about to use."""
    from sphinx.util import logging

    config = getattr(app.env, "mystnb_config", None)
    if config is None or config.execution_mode != "cache" or not config.execution_cache_path:
        return
    logger = logging.getLogger(__name__)
    try:
        done = heal(config.execution_cache_path)
    except CacheError as exc:
        logger.error(f"wra: {exc}")
        return
    if done:
        logger.info(f"wra: {done}")


def setup(app):
    # after myst-nb's own builder-inited handler (priority 500), which sets the cache's path
    app.connect("builder-inited", _heal_at_start, priority=600)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


def main(argv: list[str] | None = None) -> int:
    """``python -m wra_book.cache [FOLDER]``: heal the cache (default ``_build/.jupyter_cache``); 1 if it cannot."""
    args = sys.argv[1:] if argv is None else argv
    try:
        done = heal(args[0] if args else "_build/.jupyter_cache")
    except CacheError as exc:
        print(f"make book: {exc}", file=sys.stderr)
        return 1
    if done:
        print(f"make book: {done}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
