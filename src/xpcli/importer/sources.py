"""Read the files a county has into tables of text cells that remember where they came from.

xlsx, xls and ods go through python-calamine (one reader for the three formats); csv is UTF-8
with or without a BOM, else GBK (GB 18030, its superset) when it decodes as such; the
provincial platforms' per-matter JSON (AUDIT_ITEM, AUDIT_MATERIAL[], ...) becomes one table per
AUDIT_* key so that the rest of the import reads it like a sheet.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from xpcli.errors import XpcliError

MAX_INPUT_BYTES = 200 * 1024 * 1024  # a 2,000-row 实施清单 is ~2 MB; this bounds a wrong file
SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")
HEADER_SEARCH_ROWS = 10  # a title row or two above the header is common in real sheets


@dataclass(frozen=True, slots=True)
class Row:
    number: int  # 1-based row number in the sheet (or the record's index in a JSON file)
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """One sheet (or one AUDIT_* list) with its header row."""

    file: str  # as the user named it
    sheet: str | None  # None for csv
    headers: tuple[str, ...]
    header_row: int
    rows: tuple[Row, ...]
    json_key: str | None = None  # AUDIT_ITEM, AUDIT_MATERIAL, ... for the platform's JSON

    def where(self, row: Row, column: int | None) -> str:
        """`FILE:Sheet!C12`, `FILE:C12` for csv, `FILE:[3].AUDIT_MATERIAL.is_need` for JSON."""
        if self.json_key is not None:
            field = f".{self.headers[column]}" if column is not None else ""
            return f"{self.file}:{row_label(row.number)}.{self.json_key}{field}"
        cell = f"{column_letter(column)}{row.number}" if column is not None else f"{row.number}"
        return f"{self.file}:{self.sheet}!{cell}" if self.sheet else f"{self.file}:{cell}"


def row_label(number: int) -> str:
    return f"[{number}]"


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_tables(path: Path, known: frozenset[str]) -> list[Table]:
    """The tables of one input file; `known` are the header names that mark a header row."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise XpcliError("import-unreadable", path=path, reason=exc.strerror or exc) from exc
    if size > MAX_INPUT_BYTES:
        raise XpcliError("import-too-large", path=path, size=size)
    suffix = path.suffix.lower()
    if suffix in SPREADSHEETS:
        return _spreadsheet(path, known)
    if suffix == ".csv":
        return [_table(str(path), None, _csv_rows(path), known)]
    if suffix == ".json":
        return _audit_json(path)
    raise XpcliError("import-unknown-format", path=path)


def _spreadsheet(path: Path, known: frozenset[str]) -> list[Table]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheets = [
            (name, workbook.get_sheet_by_name(name).to_python(skip_empty_area=False))
            for name in workbook.sheet_names
        ]
    except (CalamineError, OSError, ValueError) as exc:
        raise XpcliError("import-unreadable", path=path, reason=str(exc)) from exc
    return [
        _table(str(path), name, [[cell_text(v) for v in row] for row in rows], known)
        for name, rows in sheets
    ]


def cell_text(value: Any) -> str:
    """A cell as the text a clerk sees: 5.0 is `5`, a date is ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value).strip()


def _csv_rows(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    text = decode_csv(raw, path)
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]


def decode_csv(raw: bytes, path: Path) -> str:
    """UTF-8 (a BOM is dropped); else GB 18030, the superset of GBK that Excel saves in China."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise XpcliError("import-encoding", path=path) from exc


def _table(file: str, sheet: str | None, rows: list[list[str]], known: frozenset[str]) -> Table:
    header_index = _header_index(rows, known)
    if header_index is None:
        return Table(file, sheet, (), 0, ())
    headers = tuple(h.replace("\n", "").replace(" ", "").strip() for h in rows[header_index])
    body = tuple(
        Row(i + 1, tuple(row))
        for i, row in enumerate(rows)
        if i > header_index and any(cell.strip() for cell in row)  # blank rows are skipped
    )
    return Table(file, sheet, headers, header_index + 1, body)


def _header_index(rows: list[list[str]], known: frozenset[str]) -> int | None:
    """The first row, among the first few, with at least two known element names."""
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = {cell.replace("\n", "").replace(" ", "").strip() for cell in row}
        if len(names & known) >= 2:
            return i
    return None


# ---------------------------------------------------------------- the platforms' JSON

AUDIT_KEYS = ("AUDIT_ITEM", "AUDIT_MATERIAL", "AUDIT_ITEM_WINDOW", "AUDIT_ITEM_SPECIAL", "AUDIT_QA")


def _audit_json(path: Path) -> list[Table]:
    """A JSON file of one matter ({"AUDIT_ITEM": {...}, "AUDIT_MATERIAL": [...], ...}) or a
    list of them. Each AUDIT_* key becomes a table whose rows carry the matter's index."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise XpcliError("import-bad-json", path=path, reason=str(exc)) from exc
    records = data if isinstance(data, list) else [data]
    if not all(isinstance(r, dict) and isinstance(r.get("AUDIT_ITEM"), dict) for r in records):
        raise XpcliError("import-bad-json", path=path, reason="AUDIT_ITEM")
    tables = []
    for key in AUDIT_KEYS:
        items: list[tuple[int, dict[str, Any]]] = []
        for index, record in enumerate(records):
            value = record.get(key) or []
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict):
                    items.append((index, item))
        names = tuple(dict.fromkeys(["_matter", *(k for _, item in items for k in item)]))
        rows = tuple(
            Row(index, (str(index), *(cell_text(item.get(n)) for n in names[1:])))
            for index, item in items
        )
        tables.append(Table(str(path), None, names, 0, rows, json_key=key))
    return tables
