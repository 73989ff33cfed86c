"""data/ tables -> records that remember their file and row, checked for shape and references."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hldgraph.errors import DataError, DataErrors

#: Every table, with the columns it must have (docs/model.md, data/README.md).
TABLES: dict[str, tuple[str, ...]] = {
    "events.csv": ("id", "row", "parent", "start", "end", "venue", "title", "organizers",
                   "sponsors", "responsible_as_printed", "date_as_printed"),
    "event_editorial.csv": ("id", "themes", "category", "super_event", "title_fr", "note"),
    "bodies.csv": ("id", "spellings", "acronym", "acronym_fr", "name_en", "name_fr", "type",
                   "parent", "wikidata", "wikidata_checked", "note"),
    "places.csv": ("id", "name_as_printed", "name_en", "name_fr", "country", "wikidata",
                   "geonames", "latitude", "longitude"),
    "paragraphs.csv": ("number", "text_fr", "text_en"),
    "initiatives.csv": ("number", "text_fr", "label_en", "label_fr", "text_en", "paragraphs",
                        "bodies"),
    "themes.csv": ("id", "broader", "position", "label_fr", "label_en"),
}
BODY_TYPES = ("un-body", "intergovernmental-organisation", "government",
              "regional-consultative-process", "foundation-ngo", "academic-institution",
              "office-holder")
CATEGORIES = ("un", "iom", "other")


@dataclass(frozen=True)
class Row:
    """One row of a table: its values, and where it stands for error messages."""

    file: str
    line: int
    values: dict[str, str]

    def error(self, message: str) -> DataError:
        """An error that names this row's file, line and id (or number)."""
        return DataError(self.file, self.line, message,
                         self.values.get("id") or self.values.get("number"))

    def __getitem__(self, column: str) -> str:
        return self.values[column]

    def list(self, column: str) -> list[str]:
        return [v.strip() for v in self.values[column].split(";") if v.strip()]

    def int(self, column: str) -> int:
        try:
            return int(self.values[column])
        except ValueError:
            raise self.error(
                f"column {column!r}: {self.values[column]!r} is not a whole number"
            ) from None

    def decimal(self, column: str) -> float | None:
        raw = self.values[column]
        try:
            return float(raw) if raw else None
        except ValueError:
            raise self.error(f"column {column!r}: {raw!r} is not a decimal number") from None

    def date(self, column: str) -> dt.date:
        raw = self.values[column]
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise self.error(f"column {column!r}: {raw!r} is not a date (YYYY-MM-DD)") from None


@dataclass
class Data:
    """All curated facts, as loaded from data/."""

    tables: dict[str, list[Row]]
    leaflet: dict[str, Any]
    folder: Path
    by_id: dict[str, dict[str, Row]] = field(default_factory=dict)

    def rows(self, file: str) -> list[Row]:
        return self.tables[file]


#: Most errors reported in one run: past it, only their number.
MAX_ERRORS = 50


class Problems:
    """The errors found so far in data/: all are reported together, up to MAX_ERRORS."""

    def __init__(self) -> None:
        self.errors: list[DataError] = []

    def add(self, error: DataError) -> None:
        self.errors.append(error)

    def raise_any(self) -> None:
        errors = sorted(self.errors, key=lambda e: (e.file, e.row or 0))
        if len(errors) == 1:
            raise errors[0]
        if errors:
            raise DataErrors(errors[:MAX_ERRORS], max(len(errors) - MAX_ERRORS, 0))


def read_table(path: Path, columns: tuple[str, ...], problems: Problems | None = None
               ) -> list[Row]:
    """Reads one CSV table, insisting on its columns and on one value per column per row.

    Errors go to ``problems`` (raised at once without it); a row with an error is left out.
    """
    own = problems is None
    problems = problems or Problems()
    rows = _read_rows(path, columns, problems)
    if own:
        problems.raise_any()
    return rows


def _read_rows(path: Path, columns: tuple[str, ...], problems: Problems) -> list[Row]:
    name = path.name
    if not path.exists():
        problems.add(DataError(name, None, f"file not found in {path.parent}"))
        return []
    raw = path.read_bytes()
    try:  # a spreadsheet's "CSV UTF-8" starts with a byte-order mark: it is no part of the id
        text, utf8 = raw.decode("utf-8-sig"), True
    except UnicodeDecodeError:  # read on, to name each cell that is not UTF-8
        text, utf8 = raw.decode("utf-8-sig", "replace"), False
    rows: list[Row] = []
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    line = 1
    try:
        header = reader.fieldnames or ()
        if not _header_fits(name, header, columns, text, problems):
            return []
        for values in reader:
            row = _row(name, line + 1, values, problems)
            line = reader.line_num
            if row and not utf8:
                bad = [c for c, v in row.values.items() if "\ufffd" in v]
                for column in bad:
                    problems.add(row.error(f"column {column!r}: not UTF-8 text (a character "
                                           "shown as \ufffd); save the file as UTF-8"))
                if bad:
                    continue
            if row:
                rows.append(row)
    except csv.Error as e:
        # a quote left open runs on to later lines: the row began after the last good one
        problems.add(DataError(name, line + 1, f"invalid CSV ({e}): is a quote (\") left "
                               f"open on this line?"))
    return rows


def _header_fits(name: str, header: Any, columns: tuple[str, ...], text: str,
                 problems: Problems) -> bool:
    """Whether the header has exactly ``columns`` (in any order); else the problem is added."""
    first = text.split("\n", 1)[0]
    if ";" in first and "," not in first:
        problems.add(DataError(name, 1, "the cells are separated by ';', not ','; save the file "
                                        "as CSV (comma-separated)"))
        return False
    missing = [c for c in columns if c not in header]
    unknown = [c for c in header if c not in columns]
    if not missing and not unknown:
        return True
    said = ([f"missing column(s): {', '.join(missing)}"] if missing else []) + (
        [f"unknown column(s): {', '.join(map(str, unknown))}"] if unknown else [])
    hint = "" if missing else " (a table has exactly the columns data/README.md lists)"
    problems.add(DataError(name, 1, "; ".join(said) + hint))
    return False


def _row(file: str, line: int, raw: dict[str | None, Any], problems: Problems) -> Row | None:
    key = raw.get("id") or raw.get("number")
    if None in raw:
        problems.add(DataError(file, line, "more cells than columns (a comma that should be "
                               "quoted?)", key))
        return None
    if any(v is None for v in raw.values()):
        problems.add(DataError(file, line, "fewer cells than columns", key))
        return None
    return Row(file, line, {k: " ".join(v.split()) for k, v in raw.items() if k})


def load_data(folder: Path) -> Data:
    """Reads every table of ``folder`` and checks that the references between them resolve.

    DataError for one problem, DataErrors for several (every table is read and checked).
    """
    if not Path(folder).is_dir():  # one line, not one per table
        raise DataError(str(folder), None, "no such folder: the data tables are read from "
                        "here (--data or HLDGRAPH_DATA_DIR)")
    problems = Problems()
    tables = {name: read_table(folder / name, cols, problems) for name, cols in TABLES.items()}
    try:
        leaflet = _read_toml(folder / "leaflet.toml")
    except DataError as e:
        problems.add(e)
        leaflet = {}
    data = Data(tables, leaflet, folder)
    keys = {"events.csv": "id", "bodies.csv": "id", "places.csv": "id", "themes.csv": "id",
            "paragraphs.csv": "number", "initiatives.csv": "number"}
    for file, key in keys.items():
        data.by_id[file] = _index(tables[file], key, problems)
    # references only between whole tables: a table cut short would make false ones
    checks = [_check_values(data)] + ([] if problems.errors else [_check_refs(data)])
    for check in checks:
        for error in check:
            problems.add(error)
    problems.raise_any()
    return data


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(path.name, None, f"file not found in {path.parent}") from None
    except tomllib.TOMLDecodeError as e:
        raise DataError(path.name, None, f"invalid TOML: {e}") from None


def _index(rows: list[Row], key: str, problems: Problems) -> dict[str, Row]:
    index: dict[str, Row] = {}
    for row in rows:
        value = row[key]
        if not value:
            problems.add(row.error(f"column {key!r} is empty"))
        elif value in index:
            problems.add(row.error(f"{key} {value!r} already used on line {index[value].line}"))
        else:
            index[value] = row
    return index


def _refs(data: Data) -> Iterator[tuple[Row, str, list[str], str]]:
    """Every reference from one table to another: (row, column, ids, table referred to)."""
    for row in data.rows("events.csv"):
        # an empty venue is said by _check_values
        yield row, "venue", [row["venue"]] if row["venue"] else [], "places.csv"
        yield row, "organizers", row.list("organizers"), "bodies.csv"
        yield row, "sponsors", row.list("sponsors"), "bodies.csv"
        yield row, "parent", row.list("parent"), "events.csv"
    for row in data.rows("event_editorial.csv"):
        yield row, "id", [row["id"]], "events.csv"
        yield row, "themes", row.list("themes"), "themes.csv"
        yield row, "super_event", row.list("super_event"), "events.csv"
    for row in data.rows("bodies.csv"):
        yield row, "parent", row.list("parent"), "bodies.csv"
    for row in data.rows("initiatives.csv"):
        yield row, "paragraphs", row.list("paragraphs"), "paragraphs.csv"
        yield row, "bodies", row.list("bodies"), "bodies.csv"
    for row in data.rows("themes.csv"):
        yield row, "broader", row.list("broader"), "themes.csv"


def _check_refs(data: Data) -> Iterator[DataError]:
    """Every reference to an id that is not in the table referred to."""
    for row, column, ids, table in _refs(data):
        for id_ in ids:
            if id_ not in data.by_id[table]:
                yield row.error(f"column {column!r}: unknown id {id_!r} (not in {table})")
    yield from _check_cycles(data)
    yield from _check_spellings(data)


#: Columns that place a row in a hierarchy of its own table (a row's id is of that table).
_HIERARCHIES = {("events.csv", "parent"), ("event_editorial.csv", "super_event"),
                ("bodies.csv", "parent"), ("themes.csv", "broader")}


def _check_cycles(data: Data) -> Iterator[DataError]:
    """Every row whose parent (super-event, broader theme) leads back to itself: an event
    cannot be its own super-event, however many steps away."""
    up: dict[tuple[str, str], list[tuple[Row, str, str]]] = {}
    for row, column, ids, table in _refs(data):
        if (row.file, column) in _HIERARCHIES:
            up.setdefault((table, row["id"]), []).extend((row, column, i) for i in ids)
    for (table, start), links in up.items():
        for row, column, first in links:
            path = _path(up, table, first, start)
            if path:
                yield row.error(f"column {column!r}: {' -> '.join([start, *path])} leads "
                                "back to itself")


def _path(up: dict[tuple[str, str], list[tuple[Row, str, str]]], table: str, here: str,
          goal: str) -> list[str]:
    """The ids from ``here`` up to ``goal`` through ``up`` (depth first), or [] if none."""
    came: dict[str, str] = {here: ""}
    stack = [here]
    while stack:
        node = stack.pop()
        if node == goal:
            path = [node]
            while came[path[-1]]:
                path.append(came[path[-1]])
            return path[::-1]
        for _, _, nxt in up.get((table, node), []):
            if nxt not in came:
                came[nxt] = node
                stack.append(nxt)
    return []


def _check_values(data: Data) -> Iterator[DataError]:
    """Every wrong value of a row, one error per wrong cell."""
    for row in data.rows("events.csv"):
        if not row["organizers"]:
            yield row.error("column 'organizers' is empty: every event has a responsible body")
        if not row["venue"]:
            yield row.error("column 'venue' is empty: every event has a venue")
        dates = []
        for column in ("start", "end"):
            try:
                dates.append(row.date(column))
            except DataError as e:
                yield e
        if len(dates) == 2 and dates[1] < dates[0]:  # not for a date that is not one
            yield row.error(f"end date {row['end']} is before start date {row['start']}")
    for row in data.rows("bodies.csv"):
        if row["type"] not in BODY_TYPES:
            yield row.error(f"column 'type': {row['type']!r} is not one of {', '.join(BODY_TYPES)}")
        if row["wikidata_checked"] not in ("yes", "no", ""):
            yield row.error("column 'wikidata_checked' must be yes or no")
    for row in data.rows("event_editorial.csv"):
        if row["category"] and row["category"] not in CATEGORIES:
            yield row.error(f"column 'category': {row['category']!r} is not one of "
                            f"{', '.join(CATEGORIES)}")


def _check_spellings(data: Data) -> Iterator[DataError]:
    """A spelling names one body only, or events could not be matched to bodies by a reader."""
    seen: dict[str, Row] = {}
    for row in data.rows("bodies.csv"):
        for spelling in row.list("spellings"):
            if spelling in seen:
                yield row.error(f"spelling {spelling!r} is also listed for body "
                                f"{seen[spelling]['id']!r} (line {seen[spelling].line})")
            else:
                seen[spelling] = row
