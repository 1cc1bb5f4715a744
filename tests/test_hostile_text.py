"""Text from the data is text: markup in a cell is refused or shown as its characters, never run.

Each payload goes into every text column of every table (a copy of the valid
fixture). The check either refuses the cell, located as
``data/<file>:<line>: <column>:``, or keeps it verbatim; a kept cell then
reaches tables, hover text, plotly labels and the glossary as escaped text.
A real Sphinx build of a small glossary page shows the payloads as text and
copies no file into ``_downloads``.
"""

from __future__ import annotations

import csv
import html
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docutils import nodes

from wra.presentation import charts, tables
from wra.record import paths
from wra.record.check import validate
from wra.record.schema import FIELDS
from wra_book import glossary as book_glossary

VALID = Path(__file__).parent / "fixtures" / "valid"

PAYLOADS = {
    "img": "<img src=x onerror=alert(1)>",
    "script": "<script>alert(1)</script>",
    "raw_fence": "```{raw} html\n<script>alert(2)</script>\n```",
    "eval_rst": "```{eval-rst}\n.. raw:: html\n\n   <b id=evalrst>bold</b>\n```",
    "download": "{download}`secret <../../../../../../etc/passwd>`",
    "rst_raw": ".. raw:: html\n\n   <iframe src=x></iframe>",
    "link": "[click](javascript:alert(1)) <a href=javascript:alert(1)>a</a>",
    "entity": "&lt;b&gt; &amp; <br> $x^2$",
}
TEXT_COLUMNS = [(t, f.name) for t, fields in FIELDS.items() for f in fields if f.kind == "str"]


def rewrite(path: Path, change) -> None:
    """Apply ``change(row_number, row)`` to every row of a CSV file (RFC 4180 quoting kept)."""
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))
    rows = list(reader)
    for i, row in enumerate(rows):
        change(i, row)
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


OWN_MARKUP = re.compile(
    r'</?(?:div|table|caption|thead|tbody|tr|th|td|span|b|i|br)(?: (?:class|scope|lang)="[^"<>]*")*>'
)


def no_markup_but_our_own(rendered: str) -> None:
    """Everything that looks like a tag in ``rendered`` is one the renderer itself wrote."""
    assert "<" not in OWN_MARKUP.sub("", rendered), rendered[:400]


@pytest.mark.parametrize("name", PAYLOADS)
def test_every_text_column_refuses_or_keeps_the_payload_verbatim(tmp_path, name):
    payload = PAYLOADS[name]
    root = tmp_path / "p"
    shutil.copytree(VALID, root)
    for table in paths.TABLES:
        columns = [c for t, c in TEXT_COLUMNS if t == table]
        rewrite(
            paths.table_path(table, root),
            lambda i, row, columns=columns: row.update({c: payload for c in columns}) if i == 0 else None,
        )
    result = validate(root)
    refused = {(p.path, p.line, p.column) for p in result.problems}
    kept = 0
    for table, column in TEXT_COLUMNS:
        where = (f"data/{table}.csv", 2, column)
        if where in refused:
            continue
        frame = result.frames[table]
        assert frame.loc[2, column] == payload, f"{where} neither refused nor kept verbatim"
        kept += 1
        table_html = tables.to_html(frame.loc[[2], [column]])
        assert html.escape(payload) in table_html
        no_markup_but_our_own(table_html)
        no_markup_but_our_own(charts.hover_html(payload, {column: payload}))
        assert charts.plotly_text(payload) == html.escape(payload, quote=False)
    assert kept >= 10  # free text (summaries, notes, names, quotations) is kept, and shown as text


def test_every_problem_is_located_in_the_file_and_line_of_the_payload(tmp_path):
    root = tmp_path / "p"
    shutil.copytree(VALID, root)
    rewrite(paths.table_path("actions", root), lambda i, row: row.update(id=PAYLOADS["img"]) if i == 0 else None)
    problems = [str(p) for p in validate(root).problems]
    assert problems[0].startswith("data/actions.csv:2: id: id must look like A01"), problems


def glossary_project(tmp_path: Path) -> Path:
    """The valid fixture with one glossary row per payload and payloads in every shown place column."""
    root = tmp_path / "p"
    shutil.copytree(VALID, root)

    def glossary(i, row):
        if i == 0:
            row.update(english=PAYLOADS["img"], pinyin=PAYLOADS["script"], note_en=PAYLOADS["raw_fence"])
        else:
            row.update(english=PAYLOADS["download"], note_en=PAYLOADS["eval_rst"])

    def places(i, row):
        keys = list(PAYLOADS)
        row.update(
            name_en=PAYLOADS[keys[(i + 3) % len(keys)]],
            name_zh=row["name_zh"] + PAYLOADS["rst_raw"],
            name_pinyin=PAYLOADS["link"],
            modern_name_zh=PAYLOADS["entity"],
        )

    rewrite(paths.table_path("glossary", root), glossary)
    rewrite(paths.table_path("places", root), places)
    assert validate(root).problems == []
    return root


def test_glossary_entries_and_nodes_keep_the_payload_as_text(tmp_path):
    root = glossary_project(tmp_path)
    entries = book_glossary.glossary_entries(root)
    items = [book_glossary.glossary_item(e, lambda text: nodes.term("", *text)) for e in entries]
    shown = "\n".join(item.astext() for item in items)
    for name in ("img", "script", "raw_fence", "eval_rst", "download", "link"):
        assert PAYLOADS[name] in shown, name
    for item in items:
        assert not list(item.findall(nodes.raw)) and not list(item.findall(nodes.reference))
        assert {type(n).__name__ for n in item.findall()} <= {
            "definition_list_item",
            "term",
            "definition",
            "paragraph",
            "emphasis",
            "Text",
        }


CONF = """
extensions = ["wra_book.glossary"]
html_theme = "basic"
"""


@pytest.mark.slow
def test_a_real_build_of_the_glossary_shows_the_payloads_as_text(tmp_path):
    root = glossary_project(tmp_path)
    (root / "conf.py").write_text(CONF, encoding="utf-8")
    (root / "index.rst").write_text("Glossary\n========\n\n.. wra-glossary::\n", encoding="utf-8")
    out = tmp_path / "html"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(paths.ROOT), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "-q", str(root), str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    page = (out / "index.html").read_text(encoding="utf-8")
    for name in ("img", "script", "download", "link"):
        assert html.escape(PAYLOADS[name], quote=False) in page, name
    for raw in ("<img src=x", "<script>alert", "<iframe", "<b id=evalrst>", 'href="javascript'):
        assert raw not in page, raw
    assert not (out / "_downloads").exists() or not any((out / "_downloads").rglob("*"))
    assert "secret" not in {p.name for p in out.rglob("*")}
