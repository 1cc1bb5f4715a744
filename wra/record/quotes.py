"""Every quotation in the record is verbatim from the article.

A column counts as a quotation when its name contains ``quote`` (today:
``quote_zh``). Each non-empty cell must occur in the article after both sides
are NFKC-normalised with all whitespace removed, so half-width and full-width
punctuation compare equal. An ellipsis (``……`` or ``...``) inside a quotation
splits it into pieces that must each occur, in that order. Quotation marks
around a piece are ignored.

The article is not part of the repository. :func:`article_path` finds it:
an explicit path (``python -m wra check --article PATH``), else the
environment variable ``WRA_ARTICLE``; ``.ci/run`` sets that variable to
``../shared/sources/000_57b51df29a636a0f.txt`` when that file exists.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import pandas as pd

ENV = "WRA_ARTICLE"
ELLIPSIS = re.compile(r"(?:…+|\.{3,})")
SURROUNDING_QUOTES = "\"'“”‘’「」『』"
HOW_TO_SUPPLY = (
    f"name the article with `python -m wra check --article PATH` or the environment variable {ENV}=PATH "
    "(the article is shared/sources/000_57b51df29a636a0f.txt beside a checkout)"
)


def article_path(explicit: str | Path | None = None) -> Path | None:
    """The article to check quotations against: ``explicit``, else ``$WRA_ARTICLE``, else None."""
    chosen = explicit if explicit not in (None, "") else os.environ.get(ENV) or None
    return Path(chosen) if chosen is not None else None


def normalise(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def pieces(quote: str) -> list[str]:
    """The normalised pieces of a quotation split at its ellipses (empty pieces dropped)."""
    parts = [normalise(p).strip(SURROUNDING_QUOTES) for p in ELLIPSIS.split(quote)]
    return [p for p in parts if p]


def found_in_order(parts: list[str], article: str) -> bool:
    """True if every piece occurs in the (normalised) article, each after the previous one."""
    start = 0
    for part in parts:
        at = article.find(part, start)
        if at < 0:
            return False
        start = at + len(part)
    return True


def quote_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if "quote" in c.lower()]


def misquoted(frame: pd.DataFrame, article: str) -> tuple[int, list[tuple[int, str, str]]]:
    """(quotations checked, [(line, column, quotation) not verbatim]) for a frame indexed by line.

    ``article`` is already normalised.
    """
    checked, bad = 0, []
    for column in quote_columns(frame):
        for line, quote in frame[column].items():
            if not isinstance(quote, str) or not quote.strip():
                continue
            checked += 1
            if not found_in_order(pieces(quote), article):
                bad.append((int(line), column, quote))
    return checked, bad
