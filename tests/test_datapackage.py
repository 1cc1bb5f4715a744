"""The record as a Frictionless data package: made from the contract, valid, and strict about keys.

* :mod:`wra.record.datapackage` writes every column of every table from
  :data:`wra.record.schema.FIELDS` (type, requiredness, allowed values,
  patterns, ranges), the primary keys and the foreign keys; a check it cannot
  translate stops it.
* The data archive carries ``datapackage.json`` and ``bibliography.csv``, and
  ``frictionless`` (pinned) finds the package valid.
* A dangling key fails it: for every foreign key of the package, a copy with
  one value that names no row is refused by frictionless and by the
  project's own check, in the same column.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from pathlib import Path

import pandera.pandas as pa
import pytest
from frictionless import Package

from wra.record import check, datapackage, paths, schema
from wra_book import citation, downloads

VALID = Path(__file__).parent / "fixtures" / "valid"

#: every foreign key the contract implies: (table, columns, target table, target columns)
EXPECTED_FOREIGN_KEYS = {
    ("actions", ("place_id",), "places", ("place_id",)),
    ("assessments", ("directive_id",), "directives", ("id",)),
    ("assessments", ("action_id",), "actions", ("id",)),
    ("assessments", ("superseded_by",), "directives", ("id",)),
    ("strength", ("base_id",), "strength", ("id",)),
    ("strength", ("copy_of",), "strength", ("id",)),
    ("readings", ("position_id",), "positions", ("id",)),
    ("readings", ("directive_id",), "directives", ("id",)),
    ("readings", ("action_id",), "actions", ("id",)),
    ("readings", ("superseded_by",), "directives", ("id",)),
    ("readings", ("directive_id", "action_id"), "assessments", ("directive_id", "action_id")),
    ("strength", ("engagement_id",), "engagements", ("id",)),
    ("engagements", ("place_id",), "places", ("place_id",)),
    ("windows", ("place_id",), "places", ("place_id",)),
    ("windows", ("directive_id",), "directives", ("id",)),
    ("causes", ("position_id",), "positions", ("id",)),
} | {
    (table, (column,), datapackage.BIBLIOGRAPHY, ("key",))
    for table in paths.TABLES
    for column in ("source", "via")
    if column in schema.COLUMNS[table]
}


def foreign_keys(descriptor: dict) -> set[tuple]:
    out = set()
    for resource in descriptor["resources"]:
        for fk in resource["schema"].get("foreignKeys", []):
            target = fk["reference"]["resource"] or resource["name"]
            out.add((resource["name"], tuple(fk["fields"]), target, tuple(fk["reference"]["fields"])))
    return out


@pytest.fixture(scope="module")
def descriptor() -> dict:
    return datapackage.descriptor(citation.package_metadata(citation.load(paths.ROOT)))


def unpack(tmp_path: Path, root: Path = paths.ROOT) -> Path:
    """The data archive of ``root``, written and unzipped; the folder holding datapackage.json."""
    with zipfile.ZipFile(downloads.write_archive(tmp_path / "wra-data.zip", root)) as archive:
        archive.extractall(tmp_path)
    return tmp_path / downloads.ARCHIVE_FOLDER


def validate(folder: Path):
    return Package(str(folder / "datapackage.json")).validate()


def errors(report) -> list[tuple]:
    """(resource, error type, the fields a foreign key error names) of each error in a frictionless report."""
    return [
        (task.name, err.type, tuple(getattr(err, "field_names", ()))) for task in report.tasks for err in task.errors
    ]


# --------------------------------------------------------------------------
# The descriptor, from the contract
# --------------------------------------------------------------------------


def test_every_table_and_column_is_described_in_contract_order(descriptor):
    resources = {r["name"]: r for r in descriptor["resources"]}
    assert list(resources) == [*paths.TABLES, datapackage.BIBLIOGRAPHY]
    for table in paths.TABLES:
        fields = resources[table]["schema"]["fields"]
        assert [f["name"] for f in fields] == list(schema.COLUMNS[table])
        for field, column in zip(fields, schema.FIELDS[table]):
            assert field["type"] == datapackage.TYPES[column.kind]
            constraints = field.get("constraints", {})
            assert constraints.get("required", False) == column.required, (table, column.name)
            if column.vocabulary:
                assert constraints["enum"] == list(column.vocabulary)
                assert all(f"{code} = {label}" in field["description"] for code, label in column.vocabulary.items())
            assert field["description"].startswith(column.description.strip())


def test_patterns_ranges_and_lengths_are_carried_over(descriptor):
    fields = {
        (r["name"], f["name"]): f.get("constraints", {}) for r in descriptor["resources"] for f in r["schema"]["fields"]
    }
    assert fields[("directives", "id")] == {"required": True, "unique": True, "pattern": "D[0-9]{2,}"}
    assert fields[("places", "place_id")]["pattern"] == "[a-z][a-z0-9]*([_-][a-z0-9]+)*"
    assert fields[("actions", "date")] == {"required": True, "minimum": "1936-06-01", "maximum": "1937-06-30"}
    assert fields[("actions", "note")] == {"minimum": 1, "maximum": 30}
    assert fields[("strength", "low")] == {"minimum": 0}
    assert fields[("positions", "excerpt_zh")]["maxLength"] == 80
    assert fields[("glossary", "term_zh")]["pattern"] == datapackage.NOT_BLANK_PATTERN


def test_primary_keys(descriptor):
    keys = {r["name"]: r["schema"].get("primaryKey") for r in descriptor["resources"]}
    assert keys == {
        "directives": ["id"],
        "actions": ["id"],
        "assessments": None,  # action_id may be empty: the pair's uniqueness is wra check's
        "strength": ["id"],
        "places": ["place_id"],
        "glossary": ["term_zh"],
        "positions": ["id"],
        "readings": ["position_id", "directive_id", "action_id"],
        "engagements": ["id"],
        "windows": ["id"],
        "conditions": ["id"],
        "causes": ["position_id", "cause"],
        datapackage.BIBLIOGRAPHY: ["key"],
    }


def test_foreign_keys_follow_from_the_contract(descriptor):
    assert foreign_keys(descriptor) == EXPECTED_FOREIGN_KEYS


def test_package_metadata_comes_from_citation_cff(descriptor):
    cff = citation.load(paths.ROOT)
    assert descriptor["version"] == str(cff["version"]) and descriptor["title"] == cff["title"]
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert "python -m wra check" in descriptor["description"]
    assert "homepage" not in descriptor  # no repository address yet


def test_a_check_the_package_cannot_state_stops_it(monkeypatch):
    odd = schema.Field("pages", "str", True, "Locator.", (pa.Check.str_startswith("p"),))
    fields = dict(schema.FIELDS)
    fields["glossary"] = (*fields["glossary"][:-1], odd)
    monkeypatch.setattr(schema, "FIELDS", fields)
    with pytest.raises(datapackage.UntranslatedCheck, match=r"glossary\.pages.*str_startswith"):
        datapackage.resources()


def test_the_bibliography_table_lists_every_key(tmp_path):
    rows = list(csv.DictReader(io.StringIO(datapackage.bibliography_csv(paths.BIB))))
    keys = [r["key"] for r in rows]
    text = paths.BIB.read_text(encoding="utf-8")
    assert len(keys) == len(set(keys)) == text.count("\n@")
    sun = next(r for r in rows if r["key"] == "sun_huanzhen")
    assert sun["type"] == "online" and sun["creator"] == "孙焕臻" and "{" not in sun["title"]


# --------------------------------------------------------------------------
# The archive's package, through frictionless
# --------------------------------------------------------------------------


def test_the_archive_holds_the_package_and_frictionless_finds_it_valid(tmp_path):
    folder = unpack(tmp_path)
    for name in ("datapackage.json", datapackage.BIBLIOGRAPHY_FILE, "CITATION.cff", "LICENSE.txt"):
        assert (folder / name).is_file(), name
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["path"] for r in descriptor["resources"]] == [
        *(f"{t}.csv" for t in paths.TABLES),
        datapackage.BIBLIOGRAPHY_FILE,
    ]
    report = validate(folder)
    assert report.valid, report.flatten(["taskNumber", "rowNumber", "fieldName", "type", "note"])
    rows = {task.name: task.stats["rows"] for task in report.tasks}
    for table in paths.TABLES:
        with paths.table_path(table).open(encoding="utf-8", newline="") as f:
            assert rows[table] == sum(1 for _ in csv.reader(f)) - 1, table


def test_frictionless_refuses_a_value_outside_the_vocabulary_and_a_bad_date(tmp_path):
    folder = unpack(tmp_path)
    actions = folder / "actions.csv"
    text = actions.read_text(encoding="utf-8")
    first = text.splitlines()[1]
    actions.write_text(text.replace(first, first.replace(",zhu_de,", ",zhu_deh,").replace("1936-09-22", "1936-09-31")))
    found = {(name, kind) for name, kind, _ in errors(validate(folder))}
    assert found == {("actions", "constraint-error"), ("actions", "type-error")}, found


def _read(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames), list(reader)


def _dangle(root: Path, fk: tuple) -> str:
    """Give one row a value in the key's columns that names no row of the target; return that value."""
    table, columns, target, _ = fk
    path = root / "data" / f"{table}.csv"
    header, rows = _read(path)
    column = columns[-1]
    row = next((r for r in rows if r[column]), rows[0])
    if len(columns) > 1:
        # a pair whose parts each exist, but which no row of the target pairs
        _, pairs = _read(root / "data" / f"{target}.csv")
        known = {tuple(p[c] for c in columns) for p in pairs}
        firsts = sorted({p[columns[0]] for p in pairs})
        seconds = sorted({p[columns[1]] for p in pairs if p[columns[1]]})
        pair = next((a, b) for a in firsts for b in seconds if (a, b) not in known)
        row.update(zip(columns, pair))
        value = pair[-1]
    elif target == datapackage.BIBLIOGRAPHY:
        value = row[column] = "no_such_work"
    elif target == "places":
        value = row[column] = "nowhere"
    else:
        value = row[column] = schema.ID_PATTERN[target][1] + "99"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return value


def fixture_project(tmp_path: Path) -> Path:
    """A project holding the small valid fixture's record, with what its archive needs."""
    root = tmp_path / "project"
    shutil.copytree(VALID, root)
    for name in ("CITATION.cff", "LICENSE-DATA"):
        shutil.copy2(paths.ROOT / name, root / name)
    (root / "data" / "README.md").write_text("# Data\n", encoding="utf-8")
    return root


def test_the_fixtures_package_is_valid(tmp_path):
    """The record the dangling-key tests break is valid to begin with, for frictionless and for wra check."""
    root = fixture_project(tmp_path)
    report = validate(unpack(tmp_path / "clean", root))
    assert report.valid, report.flatten(["taskNumber", "rowNumber", "fieldName", "type", "note"])
    assert check.check(root) == []


@pytest.mark.parametrize("fk", sorted(EXPECTED_FOREIGN_KEYS), ids=lambda fk: f"{fk[0]}.{'+'.join(fk[1])}")
def test_a_dangling_key_fails_frictionless_and_the_projects_check(tmp_path, fk):
    table, columns, _, _ = fk
    root = fixture_project(tmp_path)
    value = _dangle(root, fk)
    found = errors(validate(unpack(tmp_path / "broken", root)))
    assert (table, "foreign-key", columns) in found, (value, found)
    problems = [
        p
        for p in check.check(root)
        if p.column == columns[-1] and p.path.endswith(f"{table}.csv") and value in p.message
    ]
    assert problems, f"python -m wra check accepts {table}.{columns[-1]} = {value!r}"


def test_the_archive_names_its_version_citation_and_licence(tmp_path):
    cff = citation.load(paths.ROOT)
    with zipfile.ZipFile(downloads.write_archive(tmp_path / "wra-data.zip")) as archive:
        assert f"version {cff['version']} ({cff['date-released']})" in archive.comment.decode()
        about = archive.read("wra-data/ABOUT.txt").decode()
        assert f"Version {cff['version']}, released {citation.released_text(cff)}." in about
        assert "CC BY 4.0" in about and "Where the project lives: no public repository address yet." in about
        assert archive.read("wra-data/CITATION.cff") == (paths.ROOT / "CITATION.cff").read_bytes()
        assert archive.read("wra-data/LICENSE.txt") == (paths.ROOT / "LICENSE-DATA").read_bytes()


@pytest.mark.book
def test_the_books_own_archive_is_a_valid_package(html_dir, tmp_path):
    with zipfile.ZipFile(html_dir / downloads.DATA_ARCHIVE) as archive:
        archive.extractall(tmp_path)
    report = validate(tmp_path / downloads.ARCHIVE_FOLDER)
    assert report.valid, report.flatten(["taskNumber", "rowNumber", "fieldName", "type", "note"])
    assert len(report.tasks) == len(paths.TABLES) + 1
