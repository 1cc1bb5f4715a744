"""Make the search find Chinese names whole.

With ``html_search_language: zh`` Sphinx segments Chinese text with jieba.
This feature gives jieba a user dictionary of the record's names, written
into the build folder, so 倪家营子 is indexed as one word. The config value
``wra_search_names`` (default ``{"places": "name_zh"}``) says which column of
which table under ``data/`` holds the names.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

from wra.record import paths
from wra_book import pages

DICTIONARY = "wra-search-dict.txt"


def table_rows(table: str, root: Path | str = paths.ROOT) -> Iterator[dict[str, str]]:
    """The rows of the names table ``table`` under ``root``'s data folder, as read from its CSV
    (none when it is missing: the build's names serve the search and the filters, not the checks)."""
    path = paths.table_path(table, root)
    if not path.exists():
        return
    with open(path, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def search_terms(root: Path = paths.ROOT, columns: dict[str, str] | None = None) -> list[str]:
    """Chinese names the search index should keep whole (by default, the places' ``name_zh``)."""
    columns = {"places": "name_zh"} if columns is None else columns
    terms = set()
    for table, column in columns.items():
        for row in table_rows(table, root):
            name = (row.get(column) or "").strip()
            # "临泽 (抚彝)" style names: keep each part
            terms.update(part for part in re.split(r"[\s()（）/、]+", name) if len(part) >= 2)
    return sorted(terms)


def _search_dictionary(app):
    if app.config.html_search_language != "zh":
        return
    target = Path(app.outdir).parent / DICTIONARY
    terms = search_terms(Path(app.srcdir), app.config.wra_search_names)
    pages.write_if_changed(target, "".join(f"{term} 1000 ns\n" for term in terms))
    app.config.html_search_options = {**(app.config.html_search_options or {}), "dict": str(target)}


def setup(app):
    app.add_config_value("wra_search_names", {"places": "name_zh"}, "html", types=[dict])
    app.connect("builder-inited", _search_dictionary)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
