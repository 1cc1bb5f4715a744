"""The record as a Frictionless data package (``datapackage.json``), made from the data contract.

A user of R, Excel or OpenRefine cannot read :mod:`wra.record.schema`; a
`Frictionless data package <https://specs.frictionlessdata.io/>`_ says the
same in JSON that their tools read. :func:`descriptor` writes one
*tabular data resource* per table of :data:`wra.record.paths.TABLES` and one
for the bibliography, all from the contract itself, so the two cannot drift:

* each column of :data:`~wra.record.schema.FIELDS`, in contract order, with
  its type (``str`` → string, ``date`` → date, ``float`` → number, ``int``
  → integer), its description, and its vocabulary's codes and labels;
* constraints from the column's checks: ``required``, ``unique``, allowed
  values (``enum``), ``pattern``, ``minimum``/``maximum``, ``maxLength``.
  A check this module cannot translate raises :class:`UntranslatedCheck`,
  so a new kind of check in the schema stops the build until it is
  translated here;
* the primary key: the one column that must be present and unique, or the
  columns :data:`~wra.record.schema.UNIQUE_TOGETHER` names when every one
  of them is required;
* foreign keys, read from the columns' patterns: a column holding ids of
  another table (``directive_id``, ``base_id``, ...) points at that table's
  ``id``; a ``place_id`` outside places.csv at places.csv; ``source`` and
  ``via`` at the bibliography. :data:`PAIRINGS` adds the one composite key
  (a reading re-reads an assessed pairing);
* the bibliography resource, ``bibliography.csv``: one row per key of
  ``references.bib`` (:func:`bibliography_csv`), made when the package is
  written. The full entries stay in ``references.bib``.

What the package cannot state (rules across the columns of a row, the
verdict codebook, the checks on characters, digits and wording) is checked by
``python -m wra check``; the package's description says so.

Nothing here writes a file: the book's data archive (``wra_book.downloads``)
puts the descriptor and the bibliography table beside the CSV files.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from wra.record import paths, schema

#: the resource (and file) that lists the bibliography's keys
BIBLIOGRAPHY = "bibliography"
BIBLIOGRAPHY_FILE = f"{BIBLIOGRAPHY}.csv"
#: its columns: the key, then what identifies the work
BIBLIOGRAPHY_FIELDS = (
    ("key", "Bibliography key, as the tables' source and via columns give it."),
    ("type", "BibTeX entry type: book, article, online or misc."),
    ("creator", "Author, or editor where there is no author; several are separated by '; '."),
    ("year", "Year of publication, where the entry gives one."),
    ("title", "Title as the entry gives it (Chinese titles in Chinese)."),
    ("url", "Where a web page was read, where the entry gives it."),
)

TYPES = {"str": "string", "date": "date", "float": "number", "int": "integer"}

#: composite foreign keys, which no single column's pattern shows:
#: table -> (its columns, the table whose same columns they must match).
#: ``python -m wra check`` holds the same rule: a reading re-reads a pairing of assessments.csv.
PAIRINGS: dict[str, tuple[tuple[str, ...], str]] = {
    "readings": (("directive_id", "action_id"), "assessments"),
}

#: "present and not only spaces", as Table Schema states it (the pattern is anchored at both ends)
NOT_BLANK_PATTERN = r"[\s\S]*\S[\s\S]*"

RULES_NOT_STATED = (
    "Rules the package cannot state are checked by the project's own validator (python -m wra check): "
    "rules across the columns of a row (date_end not before date; how a strength figure's low, high "
    "and qualifier fit; the verdict each codebook rule gives), rules across rows (a superseding "
    "directive is later and of the same or a higher authority; a copy states the same figure), "
    "uniqueness of a pair where one column may be empty (assessments: directive_id with action_id), "
    "and the checks on characters, digits and wording listed in README.md."
)


class UntranslatedCheck(ValueError):
    """A column's check has no Table Schema constraint here: translate it before the package is written."""


def _pattern(regex: str) -> str:
    """A pandera pattern (``^...$``, Python syntax) as a Table Schema pattern (anchored, XML Schema syntax)."""
    if not (regex.startswith("^") and regex.endswith("$")):
        raise UntranslatedCheck(f"pattern {regex!r} is not anchored at both ends")
    # (?:...) groups only; XML Schema's regular expressions have no non-capturing groups
    return regex[1:-1].replace("(?:", "(")


def _bound(value):
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return value


def _constraints(table: str, field: schema.Field) -> dict:
    out: dict = {}
    if field.required:
        out["required"] = True
    if field.unique:
        out["unique"] = True
    for check in field.checks:
        stats = check.statistics or {}
        if check is schema._NOT_BLANK:
            new = {"pattern": NOT_BLANK_PATTERN}
        elif check.name == "isin":
            new = {"enum": list(stats["allowed_values"])}
        elif check.name == "str_matches":
            new = {"pattern": _pattern(stats["pattern"])}
        elif check.name == "in_range" and stats.get("include_min", True) and stats.get("include_max", True):
            new = {"minimum": _bound(stats["min_value"]), "maximum": _bound(stats["max_value"])}
        elif check.name == "greater_than_or_equal_to":
            new = {"minimum": _bound(stats["min_value"])}
        elif check.name == "str_length" and stats.get("exact_value") is None:
            new = {k: v for k, v in (("minLength", stats["min_value"]), ("maxLength", stats["max_value"])) if v}
        else:
            raise UntranslatedCheck(
                f"{table}.{field.name}: no Table Schema constraint for the check {check.name!r} {stats}; "
                "translate it in wra/record/datapackage.py"
            )
        clash = set(new) & set(out)
        if clash:
            raise UntranslatedCheck(f"{table}.{field.name}: two checks set {', '.join(sorted(clash))}")
        out.update(new)
    return out


def _describe(field: schema.Field) -> str:
    text = field.description
    if field.vocabulary:
        values = "; ".join(f"{code} = {label}" for code, label in field.vocabulary.items())
        text = f"{text} Values: {values}."
    return text.strip()


def field_descriptor(table: str, field: schema.Field) -> dict:
    """The Table Schema field of one column of the contract."""
    out = {"name": field.name, "type": TYPES[field.kind]}
    description = _describe(field)
    if description:
        out["description"] = description
    constraints = _constraints(table, field)
    if constraints:
        out["constraints"] = constraints
    return out


def _target(table: str, field: schema.Field) -> tuple[str, str] | None:
    """The (table, column) a column's values must name, read from its pattern; None if it names nothing."""
    patterns = [c.statistics["pattern"] for c in field.checks if c.name == "str_matches"]
    for pattern in patterns:
        if pattern == schema.BIB_KEY_PATTERN:
            return BIBLIOGRAPHY, "key"
        if pattern == schema.PLACE_ID_PATTERN and table != "places":
            return "places", "place_id"
        for target, id_pattern in schema.ID_PATTERN.items():
            if pattern == id_pattern and not (target == table and field.name == "id"):
                return target, "id"
    return None


def foreign_keys(table: str) -> list[dict]:
    """The table's foreign keys: one per column that names a row of another table (or of itself)."""
    keys = []
    for field in schema.FIELDS[table]:
        target = _target(table, field)
        if target is None:
            continue
        resource, column = target
        # a reference to the table itself is written with an empty resource name
        keys.append(
            {
                "fields": [field.name],
                "reference": {"resource": "" if resource == table else resource, "fields": [column]},
            }
        )
    if table in PAIRINGS:
        columns, resource = PAIRINGS[table]
        keys.append({"fields": list(columns), "reference": {"resource": resource, "fields": list(columns)}})
    return keys


def primary_key(table: str) -> list[str]:
    """The column (or columns) that identify a row; empty when Table Schema cannot state it."""
    single = [f.name for f in schema.FIELDS[table] if f.unique and f.required]
    if len(single) > 1:
        raise UntranslatedCheck(f"{table}: more than one unique required column ({', '.join(single)})")
    if single:
        return single
    together = schema.UNIQUE_TOGETHER.get(table, ())
    required = {f.name for f in schema.FIELDS[table] if f.required}
    return list(together) if together and set(together) <= required else []


def table_schema(table: str) -> dict:
    """The Table Schema of one table of the record."""
    out: dict = {
        "fields": [field_descriptor(table, f) for f in schema.FIELDS[table]],
        # the contract names the columns, not their order (Data Package v2's fieldsMatch)
        "fieldsMatch": "equal",
        "missingValues": [""],
    }
    key = primary_key(table)
    if key:
        out["primaryKey"] = key
    fks = foreign_keys(table)
    if fks:
        out["foreignKeys"] = fks
    return out


def _resource(name: str, description: str, table_schema: dict) -> dict:
    return {
        "name": name,
        "path": f"{name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "description": description,
        "schema": table_schema,
    }


def _table_description(table: str) -> str:
    text = f"The record's {table} table (the columns are described in README.md, section {table}.csv)."
    pair = schema.UNIQUE_TOGETHER.get(table)
    if pair and not primary_key(table):
        text += f" Each ({', '.join(pair)}) appears once; python -m wra check checks that."
    return text


def resources() -> list[dict]:
    """Every table of the record, then the bibliography, as tabular data resources."""
    out = [_resource(t, _table_description(t), table_schema(t)) for t in paths.TABLES]
    bib_fields = [
        {"name": name, "type": "string", "description": text}
        | ({"constraints": {"required": True, "unique": True}} if name == "key" else {})
        for name, text in BIBLIOGRAPHY_FIELDS
    ]
    out.append(
        _resource(
            BIBLIOGRAPHY,
            "Every key of references.bib, with what identifies the work; the full entries are in references.bib.",
            {"fields": bib_fields, "missingValues": [""], "primaryKey": ["key"]},
        )
    )
    return out


def descriptor(metadata: Mapping[str, object]) -> dict:
    """The whole ``datapackage.json``: ``metadata`` (name, title, version, licences, ...), then the resources."""
    out = {"profile": "tabular-data-package", **metadata}
    description = str(out.get("description", "")).strip()
    out["description"] = f"{description} {RULES_NOT_STATED}".strip()
    out["resources"] = resources()
    return out


_BRACES = re.compile(r"[{}]")


def _plain(text: str) -> str:
    return " ".join(_BRACES.sub("", text).replace("\\&", "&").replace("\\_", "_").split())


def bibliography_rows(bib: Path | str) -> list[dict[str, str]]:
    """One row per entry of the BibTeX file ``bib``, in the file's order."""
    import pybtex.database

    rows = []
    for key, entry in pybtex.database.parse_file(str(bib)).entries.items():
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        creator = "; ".join(_plain(str(p)) for p in people)
        fields = entry.fields
        rows.append(
            {
                "key": key,
                "type": entry.type.lower(),
                "creator": creator,
                "year": _plain(fields.get("year", "")),
                "title": _plain(fields.get("title", "")),
                "url": _plain(fields.get("url", "")),
            }
        )
    return rows


def bibliography_csv(bib: Path | str) -> str:
    """``bibliography.csv``: the rows of :func:`bibliography_rows` as UTF-8 CSV text."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[name for name, _ in BIBLIOGRAPHY_FIELDS], lineterminator="\n")
    writer.writeheader()
    writer.writerows(bibliography_rows(bib))
    return out.getvalue()
