"""Filtering that finds what readers type: a name in Chinese, pinyin (with or without tones) or English.

The record's names tables give every place and every person, organisation,
unit and term in characters, pinyin and English (``data/places.csv``,
``data/glossary.csv``; the config value ``wra_find_names`` says which columns).
This feature writes them, with the matcher, into one script,
``_static/wra/find/wra-find.js`` (:data:`FIND_JS`), which pages holding a
filter load: the long tables' filter (``wra-tables.js``) and the glossary's
(``wra-glossary.js``, :mod:`wra_book.glossary`).

The matcher (``wra_book/static/wra-find.js``) finds, in a piece of text, every
name of the tables in any of its forms (characters as they are; pinyin and
English as whole words, tone marks ignored) and gives the text's search
terms: the text, and every form of every name it mentions, also folded
(lower case, no tone marks, no spaces). A table cell's terms become its
``data-search``, which DataTables filters on (it folds the query's tone marks
and case itself); the glossary filters on the same terms. So "Gaotai",
"gaotai", "高台" and "Gāotái" find the same rows.

A name written ``甘州（张掖）`` / ``Ganzhou (Zhangye)`` is two names of one
place: each form is kept, and either finds the other. English names lose a
leading "the".
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from wra.record import paths
from wra_book.search import table_rows

HERE = Path(__file__).parent
STATIC = HERE / "static"
#: where the script lands in the site, under _static/
FIND_JS = "wra/find/wra-find.js"
#: the columns holding each name's forms, per names table under data/
DEFAULT_COLUMNS = {
    "places": ["name_zh", "name_pinyin", "name_en"],
    "glossary": ["term_zh", "pinyin", "english"],
}
_PARTS = re.compile(r"\s*[()（）]\s*")


def forms(value: str) -> list[str]:
    """The forms one cell gives: ``"Ganzhou (Zhangye)"`` is ``["Ganzhou", "Zhangye"]``; no leading "the"."""
    out = []
    for part in _PARTS.split(value or ""):
        part = re.sub(r"^the\s+", "", part.strip(), flags=re.IGNORECASE)
        if part and part not in out:
            out.append(part)
    return out


def names(root: Path | str = paths.ROOT, columns: dict[str, list[str]] | None = None) -> list[list[str]]:
    """Every name of the names tables, as the list of its forms (a table that is missing gives none)."""
    columns = DEFAULT_COLUMNS if columns is None else columns
    out = []
    for table, cols in columns.items():
        for row in table_rows(table, root):
            found: list[str] = []
            for column in cols:
                found.extend(f for f in forms(row.get(column) or "") if f not in found)
            if found:
                out.append(found)
    return out


def script(names_: list[list[str]]) -> str:
    """The site's ``wra-find.js``: the names, then the matcher."""
    data = json.dumps(names_, ensure_ascii=False, separators=(",", ":"))
    # "</" cannot end a script early, whatever a name holds
    data = data.replace("</", "<\\/")
    return f"window.WRA_NAMES = {data};\n" + (STATIC / "wra-find.js").read_text(encoding="utf-8")


def add_to_page(app) -> None:
    """Load the names and the matcher on this page (before the scripts that filter)."""
    app.add_js_file(FIND_JS, priority=595)


def _write_if_changed(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` unless it already holds exactly that (a no-op build writes nothing)."""
    if target.exists() and target.read_bytes() == data:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def _write(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / FIND_JS
    _write_if_changed(target, script(names(Path(app.srcdir), app.config.wra_find_names)).encode("utf-8"))
    # the glossary's filter (wra_book.glossary loads it on the glossary's page)
    _write_if_changed(target.parent / "wra-glossary.js", (STATIC / "wra-glossary.js").read_bytes())


def setup(app):
    app.add_config_value("wra_find_names", DEFAULT_COLUMNS, "html", types=[dict])
    app.connect("build-finished", _write)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
