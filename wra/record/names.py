"""How the book names a place of the record: English, then Chinese.

One wording for every chapter, in prose, tables and charts alike (plain
text: the analysis glues it into sentences, the presentation draws it).
"""

from __future__ import annotations

from collections.abc import Mapping


def place_label(row: Mapping) -> str:
    """``Liangzhou (Wuwei) 凉州（武威）``: a place's English and Chinese names (``name_en``, ``name_zh``)."""
    return f"{row['name_en']} {row['name_zh']}"


def short_place_label(row: Mapping) -> str:
    """``Liangzhou 凉州`` from ``Liangzhou (Wuwei)`` / ``凉州（武威）``: the historical name only."""
    return f"{str(row['name_en']).split(' (')[0]} {str(row['name_zh']).split('（')[0]}"
