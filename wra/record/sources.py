"""The bibliography, and one way to cite a row.

Every table row names a ``source`` key from ``references.bib`` with ``pages``,
and, when it was read through the article, ``via`` and the article's ``note``.
:func:`cite` turns that into the short citation the charts' hover text and the
tables show, so every chapter cites the same way.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from wra.record import paths, schema

_BRACES = re.compile(r"[{}]")


@functools.lru_cache(maxsize=4)
def _entries(bib: str, mtime: float):
    import pybtex.database

    return pybtex.database.parse_file(bib).entries


def entries(bib: Path | str = paths.BIB):
    bib = Path(bib)
    return _entries(str(bib), bib.stat().st_mtime)


def _clean(text: str) -> str:
    text = _BRACES.sub("", text)
    for escaped, plain in (("\\_", "_"), ("\\&", "&"), ("\\%", "%"), ("\\$", "$"), ("\\#", "#")):
        text = text.replace(escaped, plain)
    return text.strip()


def short_label(key: str, bib: Path | str = paths.BIB) -> str:
    """A short human label for a bibliography key: shorthand, short title or title, with year."""
    entry = entries(bib)[key]
    fields = entry.fields
    label = fields.get("shorthand") or fields.get("shorttitle") or fields.get("title") or key
    label = _clean(label)
    year = _clean(fields.get("year", ""))
    if year and year not in label:
        label = f"{label} ({year})"
    return label


def _locator(pages: str) -> str:
    pages = (pages or "").strip()
    if not pages or pages == "n.p.":
        return ""
    if re.fullmatch(r"[0-9]+", pages):
        return f"p. {pages}"
    if re.fullmatch(r"[0-9]+\s*[-–]\s*[0-9]+", pages):
        return "pp. " + re.sub(r"\s*[-–]\s*", "–", pages)
    return pages


def cite_parts(row: Mapping, bib: Path | str = paths.BIB) -> list[tuple[str, str | None]]:
    """The short citation of ``row`` (see :func:`cite`) as pieces of text, each with the
    bibliography key it names (``None`` for the pages, "via" and note between them).

    The pieces joined are :func:`cite`; the tables link the named pieces to the bibliography.
    """
    parts: list[tuple[str, str | None]] = [(short_label(row["source"], bib), str(row["source"]))]
    locator = _locator(str(row.get("pages") or ""))
    if locator:
        parts.append((f", {locator}", None))
    via = row.get("via")
    note = row.get("note")
    has_note = note is not None and str(note) not in ("", "nan", "<NA>")
    if isinstance(via, str) and via:
        parts.append(("; via ", None))
        parts.append((short_label(via, bib), via))
        if has_note:
            parts.append((f", note {int(note)}", None))
    elif has_note:
        parts.append((f", note {int(note)}", None))
    return parts


def cite(row: Mapping, bib: Path | str = paths.BIB) -> str:
    """Short citation for a row with ``source``, ``pages`` and optional ``via``/``note``.

    >>> cite({"source": "k", "pages": "579", "via": "art", "note": 4})  # doctest: +SKIP
    '《毛泽东年谱》上卷 (1993), p. 579; via Sun Huanzhen, note 4'
    """
    return "".join(text for text, _ in cite_parts(row, bib))


#: the keyword that marks a Ma-side account in references.bib (``keywords = {ma-side}``)
MA_SIDE = "ma-side"


def ma_side(bib: Path | str = paths.BIB) -> frozenset[str]:
    """The bibliography keys of Ma-side accounts: entries whose ``keywords`` include ``ma-side``
    (an account by a member of the Ma forces or administration, or one of their documents)."""
    keys = set()
    for key, entry in entries(bib).items():
        words = {w.strip().lower() for w in _clean(entry.fields.get("keywords", "")).split(",")}
        if MA_SIDE in words:
            keys.add(str(key))
    return frozenset(keys)


def article_key(*frames: pd.DataFrame) -> str:
    """The bibliography key of the article, found from the data itself.

    By the contract, rows the article states without a note cite it with pages
    ``"part N"``; the source of those rows is the article. Exactly one such key
    must exist across ``frames``.
    """
    keys: set[str] = set()
    for frame in frames:
        if "pages" not in frame or "source" not in frame:
            continue
        mask = frame["pages"].astype("string").str.fullmatch(schema.ARTICLE_PART_PATTERN).fillna(False).astype(bool)
        keys.update(str(k) for k in frame.loc[mask, "source"].dropna())
    if len(keys) != 1:
        raise ValueError(f"expected one article key (rows with pages 'part N'), found {sorted(keys)}")
    return keys.pop()
