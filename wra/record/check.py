"""Validate a copy of the project's data: the CSV tables (paths.TABLES) and references.bib.

:func:`check` returns every problem found, as :class:`Problem` records that
print as ``path:line: column: message``:

* ``path`` is relative to the project root (``data/strength.csv``);
* ``line`` is the 1-based physical line in the file (the header is line 1; a
  record whose quoted cells hold newlines starts on the line after the end of
  the previous record); line 0 means the whole file (it is missing);
* ``column`` is the CSV column concerned, or ``-`` for the file, a whole row
  or the bibliography.

The rules are those of :mod:`wra.record.schema` (one pandera schema per table) plus
those here: a file must be a regular file inside the project (no link, FIFO
or device) of at most :data:`MAX_FILE_BYTES`, read unopened otherwise; its
header has exactly the dictionary's columns and at least one row follows; no
cell holds control or invisible format characters, starts like a spreadsheet
formula, or (outside free text) holds a non-ASCII digit; no cell is over
:data:`MAX_CELL_CHARS`, holds a letter that shows as nothing, or (in a key or
a name) could pass for another key, and a link is http(s) (:mod:`wra.record.screen`);
the bibliography is held to the same rules; rows stand in date order within
the campaign's bounds (:func:`_chronology`); a strength figure
agrees with its own Chinese wording (:mod:`wra.record.numerals`); and the
cross-table rules: foreign keys between tables, every ``source`` and ``via``
a key of references.bib, and pages ``n.p.`` only for @online/@misc entries.
With an article, every quotation must be verbatim in it (:mod:`wra.record.quotes`).
Bad data never raises: it becomes a problem. This module imports neither
matplotlib nor plotly.
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from wra.record import paths
from wra.record.paths import TABLES

BOM = b"\xef\xbb\xbf"
#: The largest file the check reads. The record's tables are a few dozen kB;
#: anything bigger is refused at once, unread, so any input is judged in a second.
MAX_FILE_BYTES = 2_000_000
#: The longest cell a table may hold, in characters. The record's longest is under 500.
MAX_CELL_CHARS = 10_000


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data, located as precisely as possible."""

    path: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return _printable(f"{self.path}:{self.line}: {self.column}: {self.message}")


def _printable(text: str) -> str:
    """``text`` with every invisible or control character (newline too) written as ``\\uXXXX``,
    so a report never carries a terminal escape or a right-to-left override."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


class DataError(ValueError):
    """The data failed validation; the message lists every problem."""

    def __init__(self, problems: list[Problem], root: Path | str | None = None):
        self.problems = list(problems)
        self.root = root
        where = f" in {root}" if root is not None else ""
        head = f"{len(self.problems)} data problem(s){where}:"
        super().__init__("\n".join([head, *map(str, self.problems)]))


class ReadRefused(RuntimeError):
    """A read refused by the caller's environment (see :mod:`wra.record.data`), never a data problem:
    the check lets it through rather than reporting it as one."""


@dataclass
class Result:
    """Everything one validation run produced."""

    root: Path
    problems: list[Problem] = field(default_factory=list)
    #: typed frames of the tables that could be read, index = line number
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: bibliography entries (pybtex Entry objects) by key, when readable
    bib: dict | None = None
    #: quotations checked against the article (None: no article was given)
    quotations: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def rows(self) -> int:
        return sum(len(f) for f in self.frames.values())

    @property
    def sources(self) -> int:
        return len(self.bib or {})

    def summary(self) -> str:
        if self.problems:
            n = len(self.problems)
            return f"{n} problem{'s' if n != 1 else ''} in {self.root}"
        quotes = "" if self.quotations is None else f", {self.quotations} quotations verbatim in the article"
        return f"data OK: {len(self.frames)} tables, {self.rows} rows, {self.sources} sources{quotes}"


def _rel(path: Path, root: Path) -> str:
    """``path`` relative to the project root, as written (symlinks are not followed)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


# --------------------------------------------------------------------------
# Reading bytes and CSV
# --------------------------------------------------------------------------


def _file_problem(path: Path) -> str | None:
    """Why ``path`` cannot be read as data (missing, a link, not a regular file, too big), or None.

    Judged with ``lstat``, before anything is opened: a link is never followed
    (it could point anywhere on the machine) and a FIFO or device never read.
    """
    if path.parent.is_symlink():
        return f"the folder {path.parent.name}/ is a symbolic link: keep the data in the project itself"
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return "file missing"
    except OSError as exc:
        return f"cannot read file: {exc.strerror or exc}"
    if stat.S_ISLNK(info.st_mode):
        return "is a symbolic link: replace it by the file itself (a link may point outside the project)"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file"
    if info.st_size > MAX_FILE_BYTES:
        return (
            f"file is {info.st_size:,} bytes, over the limit of {MAX_FILE_BYTES:,} "
            "(the record's files are a few dozen kB: is this the right file?)"
        )
    return None


def _read_text(path: Path, rel: str, problems: list[Problem]) -> str | None:
    """Bytes -> text; report a missing, linked, irregular or oversized file, BOM and invalid UTF-8."""
    refused = _file_problem(path)
    if refused:
        problems.append(Problem(rel, 0, "-", refused))
        return None
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        problems.append(Problem(rel, 0, "-", f"cannot read file: {exc.strerror or exc}"))
        return None
    if len(data) > MAX_FILE_BYTES:  # it grew since lstat
        problems.append(Problem(rel, 0, "-", f"file is over the limit of {MAX_FILE_BYTES:,} bytes"))
        return None
    bom = data.startswith(BOM)
    if bom:
        problems.append(Problem(rel, 1, "-", "file starts with a byte-order mark (BOM); save as UTF-8 without BOM"))
        data = data[len(BOM) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start
        line = data.count(b"\n", 0, start) + 1
        bad = data[start : exc.end].hex(" ")
        offset = start + (len(BOM) if bom else 0)
        problems.append(
            Problem(rel, line, "-", f"not valid UTF-8: byte(s) 0x{bad} at byte offset {offset} ({exc.reason})")
        )
        return None


@dataclass
class _Csv:
    header: list[str]
    rows: list[list[str]]
    lines: list[int]  # physical line each row starts on
    complete: bool  # every record was read into rows


def _read_csv(text: str, rel: str, problems: list[Problem]) -> _Csv | None:
    """Split ``text`` into records; a cell of any length is read whole (the file is at most
    :data:`MAX_FILE_BYTES`), and one over :data:`MAX_CELL_CHARS` is refused with the cells' rules."""
    old_limit = csv.field_size_limit(MAX_FILE_BYTES + 1)
    try:
        return _split_csv(text, rel, problems)
    finally:
        csv.field_size_limit(old_limit)


def _split_csv(text: str, rel: str, problems: list[Problem]) -> _Csv | None:
    if not text.strip():
        problems.append(Problem(rel, 1, "-", "empty file: expected a header row"))
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    complete = True
    end = 0  # physical line on which the previous record ended
    while True:
        start = end + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            msg = str(exc)
            if "unexpected end of data" in msg:
                msg = "unterminated quoted field: the quote opened in the record starting here is never closed"
            else:
                msg = f"broken CSV syntax: {msg}"
                if reader.line_num > start:
                    msg += (
                        f" (noticed on line {reader.line_num}; look for an unbalanced "
                        f"quote in the record starting here)"
                    )
            problems.append(Problem(rel, start, "-", msg))
            return _Csv(header or [], rows, lines, False) if header is not None else None
        end = reader.line_num
        if header is None:
            if not record:
                problems.append(Problem(rel, start, "-", "blank first line: expected the header row"))
                return None
            header = record
            continue
        if not record:  # blank line
            continue
        if len(record) != len(header):
            spans = f" (the record spans lines {start}-{end}: check for an unbalanced quote)" if end > start else ""
            problems.append(
                Problem(rel, start, "-", f"row has {len(record)} fields, the header has {len(header)}{spans}")
            )
            complete = False
            continue
        rows.append(record)
        lines.append(start)
    if header is None:
        problems.append(Problem(rel, 1, "-", "empty file: expected a header row"))
        return None
    return _Csv(header, rows, lines, complete)


def _check_header(table: str, header: list[str], rel: str, problems: list[Problem]) -> bool:
    from wra.record.schema import COLUMNS

    ok = True
    seen: set[str] = set()
    for name in header:
        if name == "":
            problems.append(Problem(rel, 1, "-", "empty column name in the header"))
            ok = False
        elif name in seen:
            problems.append(Problem(rel, 1, name, f"duplicate column name {name!r}"))
            ok = False
        seen.add(name)
    stripped = {h.strip(): h for h in header}
    for name in header:
        if name and name not in COLUMNS[table] and name.strip() not in COLUMNS[table]:
            problems.append(
                Problem(
                    rel,
                    1,
                    name,
                    f"unknown column {name!r}: not in the data dictionary "
                    f"(data/README.md); the columns are {', '.join(COLUMNS[table])}",
                )
            )
            ok = False
    for name in COLUMNS[table]:
        if name not in seen:
            hint = ""
            if name in stripped:
                hint = f" (the header has {stripped[name]!r}: remove the spaces)"
            problems.append(Problem(rel, 1, name, f"missing required column{hint}"))
            ok = False
    return ok


# --------------------------------------------------------------------------
# Schema validation
# --------------------------------------------------------------------------


def _show(value) -> str:
    """A value as it would read in the CSV."""
    if value is None:
        return "empty"
    try:
        if pd.isna(value):
            return "empty"
    except (TypeError, ValueError):
        pass
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _validate_table(table: str, raw: pd.DataFrame, rel: str, problems: list[Problem]) -> pd.DataFrame:
    """Parse and validate one table (index = line). Return the typed frame."""
    import pandera.pandas as pa

    from wra.record.schema import RULES, SCHEMAS, parse

    refused = _cell_problems(raw)
    if refused:
        raw = raw.copy()
        for f in refused:
            raw.loc[f.index, f.column] = None
    typed, failures = parse(table, raw)
    failures = refused + failures
    bad_cells = {(f.index, f.column) for f in failures}
    bad_rows = {f.index for f in failures}
    for f in failures:
        problems.append(Problem(rel, int(f.index), f.column, f.message))

    try:
        SCHEMAS[table].validate(typed, lazy=True)
        return typed
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    except pa.errors.SchemaError as exc:  # not expected with lazy=True
        problems.append(Problem(rel, 1, "-", f"schema error: {exc}"))
        return typed

    rules = {r.message: r for r in RULES[table]}
    rules.update({r.name: r for r in RULES[table]})
    seen: set[tuple] = set()
    for case in cases.itertuples(index=False):
        check = str(case.check)
        index = case.index
        column = case.column if isinstance(case.column, str) else "-"
        line = int(index) if index is not None and not pd.isna(index) else 1
        if check in rules:  # a row rule: pandera reports each column of the row
            rule = rules[check]
            if index is None or pd.isna(index) or index not in typed.index:
                problems.append(Problem(rel, 1, rule.column, f"rule {rule.name} could not run: {case.failure_case}"))
                continue
            key = (rule.name, line)
            if key in seen or line in bad_rows:
                continue
            seen.add(key)
            row = {c: _show(v) for c, v in typed.loc[index].items()}
            try:
                message = rule.message.format(**row)
            except (KeyError, IndexError, ValueError):
                message = rule.message
            problems.append(Problem(rel, line, rule.column, message))
            continue
        if (index, column) in bad_cells:
            continue
        value = _show(case.failure_case)
        shown = repr(case.failure_case) if isinstance(case.failure_case, str) else value
        if check == "not_nullable":
            message = "required value is empty"
        elif check == "field_uniqueness":
            first = typed.index[typed[column] == case.failure_case]
            first_line = int(first[0]) if len(first) else None
            where = f" (first on line {first_line})" if first_line is not None else ""
            message = f"duplicate {column} {value!r}{where}"
        elif check == "multiple_fields_uniqueness":
            continue  # reported once per row, with the first line, by _unique_together
        elif check.startswith("dtype("):
            message = f"wrong type: expected {check[6:-1]}, got {value!r}"
        elif check.startswith("column_in_dataframe"):
            message = "missing required column"
        else:
            message = f"{check}; got {shown}"
        key = (line, column, message)
        if key in seen:
            continue
        seen.add(key)
        problems.append(Problem(rel, line, column, message))
    return typed


def _unique_columns(table: str) -> tuple[str, ...]:
    from wra.record.schema import UNIQUE_TOGETHER

    return UNIQUE_TOGETHER.get(table, ())


def _unique_together(table: str, frame: pd.DataFrame, rel: str, problems: list[Problem]) -> None:
    """Report repeated combinations with the first line (pandera's report has no index)."""
    cols = _unique_columns(table)
    if not cols or not set(cols) <= set(frame.columns):
        return
    first: dict[tuple, int] = {}
    for line, values in zip(frame.index, frame[list(cols)].itertuples(index=False)):
        key = tuple(_show(v) for v in values)
        if key in first:
            shown = ", ".join(f"{c} {v}" for c, v in zip(cols, key))
            problems.append(Problem(rel, int(line), cols[-1], f"duplicate pair ({shown}); first on line {first[key]}"))
        else:
            first[key] = int(line)


# --------------------------------------------------------------------------
# Keys that look alike, and the order of dates
# --------------------------------------------------------------------------


def _same_once_folded(
    table: str, raw: pd.DataFrame, rel: str, refused: set[tuple[int, str]], problems: list[Problem]
) -> None:
    """A key equal to an earlier one once folded (:func:`wra.record.screen.fold`: NFKC, no invisible
    characters, case and spaces ignored) is a duplicate a reader could not tell apart. Cells already
    refused, and exact duplicates (reported by the schema), are left out."""
    from wra.record import screen
    from wra.record.schema import FIELDS

    for column in [f.name for f in FIELDS[table] if f.unique and f.name in raw.columns]:
        first: dict[str, tuple[int, str]] = {}
        for line, value in raw[column].items():
            if not isinstance(value, str) or (int(line), column) in refused:
                continue
            key = screen.fold(value)
            if key in first and first[key][1] != value:
                problems.append(
                    Problem(
                        rel,
                        int(line),
                        column,
                        f"duplicate {column} {value!r}: the same as {first[key][1]!r} on line {first[key][0]} "
                        "once case, width, spaces and invisible characters are set aside",
                    )
                )
            first.setdefault(key, (int(line), value))


def _chronology(
    table: str, frame: pd.DataFrame, rel: str, located: set[tuple[int, str]], problems: list[Problem]
) -> None:
    """Dates within the campaign's own bounds, and rows in date order (data/README.md, "Dates").

    * every strength figure, every action of the force west of the river and every directive
      addressed to it is dated on or after the crossing (:data:`wra.record.schema.CROSSING`; a
      month-only date, from the crossing's month);
    * the rows of :data:`wra.record.schema.SORTED_BY_DATE` stand in date order.

    A date with a problem of its own (``located``) is left out.
    """
    from wra.record.schema import CROSSING, SORTED_BY_DATE, WEST_OF_THE_RIVER

    if "date" not in frame.columns:
        return
    crossing = pd.Timestamp(CROSSING)
    who = {"actions": "actor", "directives": "recipient"}.get(table)
    early: set[int] = set()
    for line, row in frame.iterrows():
        date = row["date"]
        if pd.isna(date) or (int(line), "date") in located:
            continue
        bound = crossing.replace(day=1) if row.get("date_precision") == "month" else crossing
        west = table == "strength" or (who is not None and row.get(who) in WEST_OF_THE_RIVER)
        if west and date < bound:
            what = (
                "a strength figure"
                if table == "strength"
                else f"an action of {row[who]}"
                if table == "actions"
                else f"a directive to {row[who]}"
            )
            early.add(int(line))
            problems.append(
                Problem(
                    rel,
                    int(line),
                    "date",
                    f"date {_day(date)} is before the crossing of the Yellow River ({CROSSING}): {what} "
                    "dates from the crossing on (data/README.md, Dates)",
                )
            )
    if table not in SORTED_BY_DATE:
        return
    previous = None
    for line, date in frame["date"].items():
        if pd.isna(date) or (int(line), "date") in located or int(line) in early:
            continue
        if previous is not None and date < previous[1]:
            problems.append(
                Problem(
                    rel,
                    int(line),
                    "date",
                    f"date {_day(date)} comes after line {previous[0]}'s {_day(previous[1])}: the rows stand in "
                    "date order (data/README.md, Dates); move the row up to its date",
                )
            )
        previous = (int(line), date)


# --------------------------------------------------------------------------
# Bibliography
# --------------------------------------------------------------------------

_ENTRY_START = re.compile(r"@\s*([A-Za-z]+)\s*[{(]\s*([^,\s{}()]+)\s*,")


def _read_bib(path: Path, rel: str, problems: list[Problem]) -> tuple[dict | None, bool]:
    """Return (entries by key, parsed cleanly)."""
    text = _read_text(path, rel, problems)
    if text is None:
        return None, False
    if not text.strip():
        problems.append(Problem(rel, 1, "-", "empty bibliography"))
        return {}, False
    import pybtex.errors
    from pybtex.database import BibliographyDataError
    from pybtex.database.input import bibtex
    from pybtex.scanner import PybtexSyntaxError

    # where each key is defined, for duplicates (pybtex gives no line)
    starts: dict[str, list[int]] = {}
    for m in _ENTRY_START.finditer(text):
        if m.group(1).lower() in ("comment", "string", "preamble"):
            continue
        starts.setdefault(m.group(2), []).append(text.count("\n", 0, m.start()) + 1)

    clean = True
    try:
        with pybtex.errors.capture() as errors:
            data = bibtex.Parser().parse_string(text)
    except Exception as exc:  # any parser failure is a data problem
        problems.append(Problem(rel, getattr(exc, "lineno", None) or 1, "-", f"cannot parse the bibliography: {exc}"))
        return None, False
    for err in errors:
        if isinstance(err, PybtexSyntaxError):
            clean = False
            problems.append(Problem(rel, err.lineno or 1, "-", f"BibTeX {err}"))
        elif isinstance(err, BibliographyDataError) and "repeated" in str(err):
            key = str(err).rsplit(":", 1)[-1].strip()
            lines = starts.get(key, [])
            line = lines[1] if len(lines) > 1 else (lines[0] if lines else 1)
            first = f" (first on line {lines[0]})" if len(lines) > 1 else ""
            problems.append(Problem(rel, line, "-", f"duplicate bibliography key {key!r}{first}"))
        else:
            clean = False
            problems.append(Problem(rel, getattr(err, "lineno", None) or 1, "-", f"BibTeX error: {err}"))
    entries = {str(k): e for k, e in data.entries.items()}
    _screen_bib(text, entries, rel, problems)
    return entries, clean


_FIELD_START = re.compile(r"(?:^|[,{(\s])([A-Za-z][\w-]*)\s*=")


def _bib_field_at(text: str, offset: int) -> str:
    """The name of the field the character at ``offset`` belongs to, or ``-`` outside any field."""
    entry = text.rfind("@", 0, offset)
    if entry < 0:
        return "-"
    names = _FIELD_START.findall(text, entry, offset)
    return names[-1].lower() if names else "-"


def _bib_line(text: str, key: str, field_name: str | None = None) -> int:
    """The line on which entry ``key`` starts, or sets ``field_name`` (the entry's line if not found)."""
    match = next((m for m in _ENTRY_START.finditer(text) if m.group(2) == key), None)
    if match is None:
        return 1
    at = match.start()
    if field_name is not None:
        end = next((m.start() for m in _ENTRY_START.finditer(text, match.end())), len(text))
        pattern = re.compile(rf"(?<![\w-]){re.escape(field_name)}\s*=", re.IGNORECASE)
        found = pattern.search(text, match.end(), end)
        at = found.start() if found else at
    return text.count("\n", 0, at) + 1


def _screen_bib(text: str, entries: dict, rel: str, problems: list[Problem]) -> None:
    """The bibliography held to the cells' rules: no control, format or invisible character
    anywhere in the file (NUL, a right-to-left override, a Hangul filler), keys screened as the
    tables' keys are, and links only http(s) (``url``) or bare DOIs (``doi``): every field reaches
    a page. Each problem names the line and the field."""
    from wra.record import screen

    seen: set[tuple[int, str]] = set()
    for at, char in enumerate(text):
        if char in "\n\r\t":
            continue
        message = _char_problem(char) or screen.invisible_problem(char)
        if message is None:
            continue
        line = text.count("\n", 0, at) + 1
        field_name = _bib_field_at(text, at)
        if (line, field_name) in seen:
            continue
        seen.add((line, field_name))
        column = text.rfind("\n", 0, at)
        message = message.replace("at character 1", f"at character {at - column} of the line")
        problems.append(Problem(rel, line, field_name, message))
    for key, entry in entries.items():
        problem = screen.name_problem(key)
        if problem:
            problems.append(Problem(rel, _bib_line(text, key), "-", f"key {key!r}: {problem}"))
        for name, value in entry.fields.items():
            check = {"url": screen.url_problem, "doi": screen.doi_problem}.get(name.lower())
            problem = check(str(value).strip()) if check else None
            if problem:
                problems.append(Problem(rel, _bib_line(text, key, name), name.lower(), problem))


# --------------------------------------------------------------------------
# Cross-table checks
# --------------------------------------------------------------------------


def _foreign_key(
    frame: pd.DataFrame, column: str, keys: set[str], rel: str, target: str, problems: list[Problem]
) -> None:
    if column not in frame.columns:
        return
    for line, value in frame[column].items():
        if isinstance(value, str) and value not in keys:
            problems.append(Problem(rel, int(line), column, f"unknown {column} {value!r}: not in {target}"))


def _cross_checks(
    root: Path,
    frames: dict[str, pd.DataFrame],
    complete: dict[str, bool],
    bib: dict | None,
    bib_clean: bool,
    problems: list[Problem],
) -> None:
    rel = {t: _rel(paths.table_path(t, root), root) for t in TABLES}

    def ids(table: str, column: str = "id") -> set[str] | None:
        if table not in frames or not complete.get(table):
            return None
        return {v for v in frames[table][column] if isinstance(v, str)}

    for src, column, target, tcol in (
        ("actions", "place_id", "places", "place_id"),
        ("assessments", "directive_id", "directives", "id"),
        ("assessments", "action_id", "actions", "id"),
        ("strength", "base_id", "strength", "id"),
        ("strength", "engagement_id", "engagements", "id"),
        ("engagements", "place_id", "places", "place_id"),
        ("windows", "place_id", "places", "place_id"),
        ("windows", "directive_id", "directives", "id"),
        ("causes", "position_id", "positions", "id"),
    ):
        keys = ids(target, tcol)
        if src in frames and keys is not None:
            _foreign_key(frames[src], column, keys, rel[src], rel[target], problems)
    if "engagements" in frames:
        _engagement_lists(frames["engagements"], ids("actions"), rel, problems)
        if "strength" in frames and complete.get("engagements"):
            _engagement_dates(frames["strength"], frames["engagements"], rel, problems)

    if bib is None or not bib_clean:
        return
    bib_rel = _rel(paths.bib_path(root), root)
    from wra.record.schema import NO_PAGES, UNPAGINATED_TYPES

    for table, frame in frames.items():
        for column in ("source", "via"):
            _foreign_key(frame, column, set(bib), rel[table], bib_rel, problems)
        if "pages" in frame.columns and "source" in frame.columns:
            for line, pages, source in zip(frame.index, frame["pages"], frame["source"]):
                if pages == NO_PAGES and isinstance(source, str) and source in bib:
                    kind = bib[source].type.lower()
                    if kind not in UNPAGINATED_TYPES:
                        problems.append(
                            Problem(
                                rel[table],
                                int(line),
                                "pages",
                                f"pages 'n.p.' is only for @online or @misc works; {source!r} is @{kind}: give a page",
                            )
                        )


#: how far (days) a figure linked to an engagement may lie from the engagement's span
LINK_DAYS = 31
#: a well-formed list of action ids (a malformed one is reported by the schema, not again here)
_ACTION_LIST = re.compile(r"^A[0-9]{2,}(?:;A[0-9]{2,})*$")


def _engagement_lists(
    engagements: pd.DataFrame, action_ids: set[str] | None, rel: dict, problems: list[Problem]
) -> None:
    """Every code of ``red_units`` is a Red unit of strength.csv; every id of ``action_ids`` a row of actions.csv."""
    from wra.record.schema import LIST_SEPARATOR, RED_UNITS

    where = rel["engagements"]
    for line, row in engagements.iterrows():
        units = row.get("red_units")
        if isinstance(units, str):
            for code in units.split(LIST_SEPARATOR):
                if code not in RED_UNITS:
                    problems.append(
                        Problem(
                            where,
                            int(line),
                            "red_units",
                            f"unknown Red unit {code!r}; expected codes of strength.unit separated by "
                            f"'{LIST_SEPARATOR}': {', '.join(RED_UNITS)}",
                        )
                    )
        acts = row.get("action_ids")
        if isinstance(acts, str) and action_ids is not None and _ACTION_LIST.match(acts):
            for aid in acts.split(LIST_SEPARATOR):
                if aid not in action_ids:
                    problems.append(
                        Problem(where, int(line), "action_ids", f"unknown action {aid!r}: not in {rel['actions']}")
                    )


def _engagement_dates(strength: pd.DataFrame, engagements: pd.DataFrame, rel: dict, problems: list[Problem]) -> None:
    """A figure linked to an engagement lies near it, and its phase fits its date.

    ``before``: dated no later than the engagement's last day; ``after``: no earlier than its first day;
    ``during``: within it; any linked figure at most :data:`LINK_DAYS` days from its span.
    """
    spans = {}
    for _, e in engagements.drop_duplicates("id").iterrows():
        if isinstance(e.get("id"), str) and not pd.isna(e.get("date")):
            end = e["date_end"] if not pd.isna(e.get("date_end")) else e["date"]
            spans[e["id"]] = (e["date"], end)
    where = rel["strength"]
    for line, row in strength.iterrows():
        eid = row.get("engagement_id")
        if not isinstance(eid, str) or eid not in spans or pd.isna(row.get("date")):
            continue
        first, last = spans[eid]
        day = row["date"]
        span = f"{eid} ({_day(first)} to {_day(last)})"
        gap = (first - day).days if day < first else (day - last).days if day > last else 0
        phase = row.get("phase")
        if gap > LINK_DAYS:
            problems.append(
                Problem(
                    where,
                    int(line),
                    "engagement_id",
                    f"dated {_day(day)}, {gap} days from {span}: link it to the right engagement",
                )
            )
        elif phase == "before" and day > last:
            problems.append(Problem(where, int(line), "phase", f"phase before, but dated {_day(day)}, after {span}"))
        elif phase == "after" and day < first:
            problems.append(Problem(where, int(line), "phase", f"phase after, but dated {_day(day)}, before {span}"))
        elif phase == "during" and not first <= day <= last:
            problems.append(Problem(where, int(line), "phase", f"phase during, but dated {_day(day)}, outside {span}"))


# --------------------------------------------------------------------------
# The verdict codebook: consistency across tables
# --------------------------------------------------------------------------


def _day(value) -> str:
    return value.strftime("%Y-%m-%d") if isinstance(value, pd.Timestamp) else str(value)


def _codebook_checks(
    root: Path, frames: dict[str, pd.DataFrame], complete: dict[str, bool], problems: list[Problem]
) -> None:
    """The codebook's rules that need more than one row or table.

    * ``superseded_by`` names an existing directive, dated after the one it
      replaced, from the same or a higher authority (:data:`wra.record.schema.AUTHORITY_RANK`);
    * rule ``self_issued`` is used exactly for directives of the army's own
      leadership; rule ``not_an_order`` exactly for directives whose kind is
      not an order (assessments only: a reading may read a directive's kind
      differently, and says so in its rationale);
    * rule ``argued_against`` answers with a proposal or a reply;
    * a reading re-reads an assessed pairing of an existing position;
    * ``copy_of`` names an existing strength row stating the same figure.
    """
    from wra.record.schema import AUTHORITY_RANK, ISSUER_GROUP, NOT_ORDER_KINDS

    rel = {t: _rel(paths.table_path(t, root), root) for t in TABLES}

    def usable(table: str) -> bool:
        return table in frames and bool(complete.get(table))

    directives = frames["directives"].set_index("id", drop=False) if usable("directives") else None
    if directives is not None and directives.index.has_duplicates:
        directives = directives[~directives.index.duplicated()]
    actions = frames["actions"].set_index("id", drop=False) if usable("actions") else None
    if actions is not None and actions.index.has_duplicates:
        actions = actions[~actions.index.duplicated()]

    def group(directive_id: str) -> str | None:
        return ISSUER_GROUP.get(str(directives.at[directive_id, "issuer"]))

    for table in ("assessments", "readings"):
        if table not in frames:
            continue
        frame, where = frames[table], rel[table]
        if directives is None:
            continue
        for line, row in frame.iterrows():
            line = int(line)
            did, rule, by = row.get("directive_id"), row.get("rule"), row.get("superseded_by")
            if not isinstance(did, str) or did not in directives.index:
                continue
            d = directives.loc[did]
            if isinstance(by, str) and by != did:
                if by not in directives.index:
                    problems.append(
                        Problem(
                            where, line, "superseded_by", f"unknown superseded_by {by!r}: not in {rel['directives']}"
                        )
                    )
                else:
                    later = directives.loc[by]
                    dated = not (pd.isna(later["date"]) or pd.isna(d["date"]))
                    if dated and not (later["date"] > d["date"]):
                        problems.append(
                            Problem(
                                where,
                                line,
                                "superseded_by",
                                f"superseded_by {by} ({_day(later['date'])}) is not later than "
                                f"{did} ({_day(d['date'])}): only a later order can supersede",
                            )
                        )
                    g_old, g_new = group(did), group(by)
                    if g_old and g_new and AUTHORITY_RANK[g_new] < AUTHORITY_RANK[g_old]:
                        problems.append(
                            Problem(
                                where,
                                line,
                                "superseded_by",
                                f"superseded_by {by} was issued by {later['issuer']}, a lower authority "
                                f"than {did}'s issuer {d['issuer']}: only the same or a higher "
                                f"authority can supersede",
                            )
                        )
            army = group(did) == "army"
            if isinstance(rule, str):
                if rule == "self_issued" and not army:
                    problems.append(
                        Problem(
                            where,
                            line,
                            "rule",
                            f"rule self_issued is for the army leadership's own decisions; {did} "
                            f"was issued by {d['issuer']}",
                        )
                    )
                elif army and rule != "self_issued":
                    problems.append(
                        Problem(
                            where,
                            line,
                            "rule",
                            f"{did} is the army leadership's own decision (issuer {d['issuer']}): "
                            f"its pairings take rule self_issued, not {rule}",
                        )
                    )
                if table == "assessments":
                    kind = d.get("kind")
                    not_order = isinstance(kind, str) and kind in NOT_ORDER_KINDS
                    if rule == "not_an_order" and isinstance(kind, str) and not not_order:
                        problems.append(
                            Problem(
                                where,
                                line,
                                "rule",
                                f"rule not_an_order, but {did} is of kind {kind}: give the "
                                f"directive's kind in {rel['directives']} or apply another rule",
                            )
                        )
                    elif not_order and rule != "not_an_order":
                        problems.append(
                            Problem(
                                where,
                                line,
                                "rule",
                                f"{did} is a {kind}, not an order: its pairings take rule not_an_order, not {rule}",
                            )
                        )
                if rule == "argued_against" and actions is not None:
                    aid = row.get("action_id")
                    if isinstance(aid, str) and aid in actions.index:
                        kind = actions.at[aid, "kind"]
                        if kind not in ("proposal", "reply"):
                            problems.append(
                                Problem(
                                    where,
                                    line,
                                    "rule",
                                    f"rule argued_against needs a proposal or a reply; {aid} is a "
                                    f"{kind} (a deed against an order is went_another_way)",
                                )
                            )

    if "readings" in frames:
        where = rel["readings"]
        readings = frames["readings"]
        if usable("positions"):
            known = set(frames["positions"]["id"].dropna())
            _foreign_key(readings, "position_id", known, where, rel["positions"], problems)
        if directives is not None:
            _foreign_key(readings, "directive_id", set(directives.index), where, rel["directives"], problems)
        if actions is not None:
            _foreign_key(readings, "action_id", set(actions.index), where, rel["actions"], problems)
        if usable("assessments"):
            pairs = set(zip(frames["assessments"]["directive_id"], frames["assessments"]["action_id"]))
            for line, row in readings.iterrows():
                key = (row.get("directive_id"), row.get("action_id"))
                if all(isinstance(k, str) for k in key) and key not in pairs:
                    problems.append(
                        Problem(
                            where,
                            int(line),
                            "action_id",
                            f"no assessment pairs {key[0]} with {key[1]}: a reading re-reads a pairing "
                            f"of {rel['assessments']}",
                        )
                    )

    if "strength" in frames and complete.get("strength"):
        strength = frames["strength"]
        if "copy_of" in strength.columns:
            by_id = strength.drop_duplicates("id").set_index("id")
            where = rel["strength"]
            for line, row in strength.iterrows():
                target = row.get("copy_of")
                if not isinstance(target, str) or target == row.get("id"):
                    continue
                if target not in by_id.index:
                    problems.append(Problem(where, int(line), "copy_of", f"unknown copy_of {target!r}: not in {where}"))
                    continue
                other = by_id.loc[target]
                same = all(_show(row.get(c)) == _show(other.get(c)) for c in ("qualifier", "low", "high"))
                if not same:
                    problems.append(
                        Problem(
                            where,
                            int(line),
                            "copy_of",
                            f"copy_of {target}, but {target} states another figure "
                            f"({_show(other['qualifier'])} {_show(other['low'])}-{_show(other['high'])}): "
                            f"a copy repeats its original's figure",
                        )
                    )


# --------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------


# characters a cell may not hold: controls (but the line breaks of a quoted cell),
# invisible format characters (bidi overrides and isolates, zero-width ones, soft
# hyphen, BOM), line/paragraph separators and private-use code points
_LINE_BREAKS = "\n\r"
_REFUSED_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Co", "Cs"}
FORMULA_START = "=+-@"


def _char_problem(text: str) -> str | None:
    for at, char in enumerate(text, 1):
        if char not in _LINE_BREAKS and unicodedata.category(char) in _REFUSED_CATEGORIES:
            name = unicodedata.name(char, "control character")
            return (
                f"invisible or control character U+{ord(char):04X} ({name}) at character {at}: "
                "remove it (it can hide or reorder text)"
            )
    return None


def _digit_problem(text: str) -> str | None:
    for char in text:
        if unicodedata.category(char) == "Nd" and not "0" <= char <= "9":
            return f"non-ASCII digit {char!r} ({unicodedata.name(char, '?')}): write digits as 0-9"
    return None


def _formula_problem(text: str) -> str | None:
    from wra.record.schema import NUMBER_PATTERN

    if text and text[0] in FORMULA_START and not re.match(NUMBER_PATTERN, text):
        return (
            f"starts with {text[0]!r}: a spreadsheet would run the cell as a formula; reword it so it starts otherwise"
        )
    return None


def _size_problem(text: str) -> str | None:
    if len(text) > MAX_CELL_CHARS:
        return (
            f"cell of {len(text):,} characters, over the limit of {MAX_CELL_CHARS:,} "
            "(the record's cells are a few hundred at most: was a file pasted in, or a quote left open?)"
        )
    return None


def _column_checks(column: str) -> tuple:
    """The cell rules of ``column`` (see above, and :mod:`wra.record.screen`), most telling first."""
    from wra.record import screen
    from wra.record.schema import FREE_TEXT, KEY_COLUMNS, NAME_COLUMNS, is_url_column

    checks = (_size_problem, _char_problem, screen.invisible_problem, _formula_problem)
    checks += () if column in FREE_TEXT else (_digit_problem,)
    checks += (screen.name_problem,) if column in KEY_COLUMNS | NAME_COLUMNS else ()
    if is_url_column(column):
        checks += (screen.doi_problem if column == "doi" else screen.url_problem,)
    return checks


def _cell_problems(raw: pd.DataFrame) -> list:
    """Cells no column may hold (see above), as :class:`wra.record.schema.ParseFailure` records."""
    from wra.record.schema import ParseFailure

    found = []
    for column in raw.columns:
        checks = _column_checks(column)
        for index, cell in raw[column].items():
            if not isinstance(cell, str):
                continue
            message = next((m for m in (check(cell) for check in checks) if m), None)
            if message:
                found.append(ParseFailure(index, column, cell, message))
    return found


def _load_table(table: str, root: Path, problems: list[Problem]):
    path = paths.table_path(table, root)
    rel = _rel(path, root)
    text = _read_text(path, rel, problems)
    if text is None:
        return None, False
    parsed = _read_csv(text, rel, problems)
    if parsed is None or not _check_header(table, parsed.header, rel, problems):
        return None, False
    if not parsed.rows and parsed.complete:
        problems.append(Problem(rel, 1, "-", "no rows: the table has a header only, and the book needs its rows"))
        return None, False
    raw = pd.DataFrame(
        {
            name: pd.Series([row[i] if row[i] != "" else None for row in parsed.rows], index=parsed.lines, dtype=object)
            for i, name in enumerate(parsed.header)
        },
        index=pd.Index(parsed.lines, name="line"),
    )
    frame = _validate_table(table, raw, rel, problems)
    _unique_together(table, frame, rel, problems)
    located = {(p.line, p.column) for p in problems if p.path == rel}
    _same_once_folded(table, raw, rel, located, problems)
    _chronology(table, frame, rel, located, problems)
    if table == "strength":
        _wording_agrees(frame, rel, {p.line for p in problems if p.path == rel}, problems)
    return frame, parsed.complete


def _wording_agrees(frame: pd.DataFrame, rel: str, skip: set[int], problems: list[Problem]) -> None:
    """Refuse a figure whose low, high or qualifier contradicts its own Chinese wording (:mod:`wra.record.numerals`)."""
    from wra.record import numerals

    columns = [c for c in ("quote_zh", "wording_zh") if c in frame.columns]
    for line, row in frame.iterrows():
        if int(line) in skip:
            continue
        for column in columns:
            stated = numerals.contradiction(row[column], _num(row["low"]), _num(row["high"]), row["qualifier"])
            if stated:
                words = "; ".join(f.describe() for f in stated)
                problems.append(
                    Problem(
                        rel,
                        int(line),
                        column,
                        (
                            f"{column} {row[column]!r} states {words}, but the row says "
                            f"qualifier {_show(row['qualifier'])}, low {_show(row['low'])}, high {_show(row['high'])} "
                            "(how wording becomes numbers: data/README.md)"
                        ),
                    )
                )


def _num(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _check_quotes(root: Path, frames: dict[str, pd.DataFrame], article: Path, problems: list[Problem]) -> int | None:
    """Every quotation verbatim in the article (see :mod:`wra.record.quotes`); return how many were checked."""
    from wra.record import quotes

    try:
        text = quotes.normalise(article.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(str(article), 0, "-", f"cannot read the article: {exc}"))
        return None
    checked = 0
    for table, frame in frames.items():
        rel = _rel(paths.table_path(table, root), root)
        count, bad = quotes.misquoted(frame, text)
        checked += count
        for line, column, quote in bad:
            problems.append(Problem(rel, line, column, f"not verbatim in the article {article.name}: {quote[:60]}"))
    if checked == 0:
        problems.append(Problem(str(article), 0, "-", "no quotation in the data to check against the article"))
    return checked


def validate(root: Path | str = paths.ROOT, article: Path | str | None = None) -> Result:
    """Check the project at ``root``; return problems and the typed frames.

    The frames are indexed by the physical line of each row in its CSV file.
    With ``article`` (a path to the source article's text), every quotation
    is also checked against it (:mod:`wra.record.quotes`).
    """
    root = Path(root)
    result = Result(root=root)
    problems = result.problems
    complete: dict[str, bool] = {}
    for table in TABLES:
        try:
            frame, complete[table] = _load_table(table, root, problems)
        except ReadRefused:
            raise
        except Exception as exc:  # never a traceback for bad data
            rel = _rel(paths.table_path(table, root), root)
            problems.append(Problem(rel, 1, "-", f"could not check this table: {type(exc).__name__}: {exc}"))
            frame, complete[table] = None, False
        if frame is not None:
            result.frames[table] = frame
    bib_rel = _rel(paths.bib_path(root), root)
    try:
        result.bib, bib_clean = _read_bib(paths.bib_path(root), bib_rel, problems)
    except ReadRefused:
        raise
    except Exception as exc:
        problems.append(Problem(bib_rel, 1, "-", f"could not check the bibliography: {type(exc).__name__}: {exc}"))
        result.bib, bib_clean = None, False
    try:
        _cross_checks(root, result.frames, complete, result.bib, bib_clean, problems)
    except Exception as exc:
        problems.append(Problem("-", 0, "-", f"could not run the cross-table checks: {type(exc).__name__}: {exc}"))
    try:
        _codebook_checks(root, result.frames, complete, problems)
    except Exception as exc:
        problems.append(Problem("-", 0, "-", f"could not run the codebook checks: {type(exc).__name__}: {exc}"))
    try:  # the rules across pairings (supersession both ways, words and deeds, ...): wra.record.codebook_check
        from wra.record import codebook_check

        problems.extend(codebook_check.problems(root, result.frames, complete, result.bib if bib_clean else None))
    except Exception as exc:
        problems.append(Problem("-", 0, "-", f"could not run the pairing checks: {type(exc).__name__}: {exc}"))
    if article is not None:
        result.quotations = _check_quotes(root, result.frames, Path(article), problems)
    problems.sort(key=lambda p: (p.path, p.line))
    return result


def check(root: Path | str = paths.ROOT, article: Path | str | None = None) -> list[Problem]:
    """Every problem in the project at ``root``, sorted by path and line."""
    return validate(root, article).problems
