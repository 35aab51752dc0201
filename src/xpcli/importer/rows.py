"""Rows of the input tables as records: matters, material entries, windows, departments.

Each table is classified by its headers (材料名称 -> materials, 事项名称 -> matters, 窗口名称 ->
windows, 部门名称 -> departments); the AUDIT_* tables of the platforms' JSON are linked to
their AUDIT_ITEM by the matter's index in the file. A cell that cannot be read becomes a
`Problem` located at its cell; the import then writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from xpcli.importer import elements as el
from xpcli.importer.sources import Row, Table

TEXT_LIMITS = {"name": 200, "location": 500, "result": 200, "fee": 500, "url": 500}


@dataclass(frozen=True, slots=True)
class Problem:
    where: str
    key: str  # a messages.TEXT key
    params: dict[str, Any]


@dataclass(slots=True)
class EntryRow:
    material: str  # name
    kind: str | None
    issuer: str | None
    entry: dict[str, Any]  # material entry without `material`
    where: str


@dataclass(slots=True)
class MatterRow:
    where: str
    name: str
    department: str  # name
    values: dict[str, Any]  # element -> value; None = the column is there and the cell blank
    xpcli_id: str | None = None
    window: str | None = None  # name
    materials: list[EntryRow] = field(default_factory=list)
    windows: list[dict[str, Any]] = field(default_factory=list)  # from AUDIT_ITEM_WINDOW

    @property
    def key(self) -> tuple[str, ...]:
        code = self.values.get("code")
        return ("code", code) if code else ("name", self.name, self.department)


@dataclass(slots=True)
class Rows:
    matters: list[MatterRow] = field(default_factory=list)
    entries: list[tuple[tuple[str, ...], EntryRow]] = field(default_factory=list)
    windows: list[dict[str, Any]] = field(default_factory=list)
    departments: list[dict[str, Any]] = field(default_factory=list)
    unknown_columns: dict[str, None] = field(default_factory=dict)
    ignored_sheets: dict[str, None] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def read_rows(tables: list[Table], words: el.Vocabulary) -> Rows:
    rows = Rows()
    audit: dict[str, dict[str, Table]] = {}
    for table in tables:
        if table.json_key is not None:
            audit.setdefault(table.file, {})[table.json_key] = table
            continue
        role = _role(table, words)
        if role is None:
            if table.headers or table.rows:
                rows.ignored_sheets.setdefault(f"{table.file}:{table.sheet or ''}".rstrip(":"))
            continue
        columns = getattr(words, role)
        # a material row names its matter by the matter sheet's columns
        _note_unknown(table, {**columns, **words.matter} if role == "material" else columns, rows)
        for row in table.rows:
            _read(role, table, row, columns, words, rows)
    for file_tables in audit.values():
        _read_audit(file_tables, words, rows)
    return rows


def _role(table: Table, words: el.Vocabulary) -> str | None:
    headers = set(table.headers)
    if any(words.material.get(h) == "material" for h in headers):
        return "material"
    if any(words.matter.get(h) == "name" for h in headers):
        return "matter"
    if any(words.window.get(h) == "window" for h in headers):
        return "window"
    if any(words.department.get(h) == "department" for h in headers):
        return "department"
    return None


def _note_unknown(table: Table, columns: dict[str, str], rows: Rows) -> None:
    for header in table.headers:
        if header and header not in columns and header not in el.NOT_KEPT:
            rows.unknown_columns.setdefault(header)


def _cells(table: Table, row: Row, columns: dict[str, str]) -> dict[str, tuple[str, int]]:
    """element -> (cleaned text, column index); the first column of an element wins."""
    found: dict[str, tuple[str, int]] = {}
    for i, header in enumerate(table.headers):
        element = columns.get(header)
        if element is not None and element not in found:
            text = el.clean(row.cells[i]) if i < len(row.cells) else ""
            found[element] = (text, i)
    return found


def _read(
    role: str,
    table: Table,
    row: Row,
    columns: dict[str, str],
    words: el.Vocabulary,
    rows: Rows,
) -> None:
    cells = _cells(table, row, columns)
    if role == "matter":
        matter = _matter(table, row, cells, words, rows)
        if matter is not None:
            rows.matters.append(matter)
    elif role == "material":
        entry = _entry(table, row, cells, words, rows)
        key = _matter_key(table, row, cells, words, rows)
        if entry is not None and key is not None:
            rows.entries.append((key, entry))
    elif role == "window":
        name = cells.get("window", ("", 0))[0]
        if name:
            rows.windows.append(
                {k: cells[k][0] for k in ("address", "hours", "phone") if cells.get(k, ("",))[0]}
                | {"name": name}
            )
    elif role == "department":
        name = cells.get("department", ("", 0))[0]
        if name:
            rows.departments.append(
                {"name": name}
                | {k: cells[k][0] for k in ("short_name", "phone") if cells.get(k, ("",))[0]}
            )


def _matter_key(
    table: Table, row: Row, cells: dict[str, tuple[str, int]], words: el.Vocabulary, rows: Rows
) -> tuple[str, ...] | None:
    """Which matter a material row belongs to: its 实施编码, else name and department."""
    matter_cells = _cells(table, row, words.matter)
    code = matter_cells.get("code", ("", 0))[0]
    if code:
        return ("code", code)
    name = matter_cells.get("name", ("", 0))[0]
    department = matter_cells.get("department", ("", 0))[0]
    if name and department:
        return ("name", name, department)
    rows.problems.append(Problem(table.where(row, None), "import-material-no-matter", {}))
    return None


def _matter(
    table: Table,
    row: Row,
    cells: dict[str, tuple[str, int]],
    words: el.Vocabulary,
    rows: Rows,
) -> MatterRow | None:
    name = cells.get("name", ("", 0))[0]
    department = cells.get("department", ("", 0))[0]
    missing = [e for e, v in (("name", name), ("department", department)) if not v]
    if missing:
        header = words_name(missing[0])
        rows.problems.append(
            Problem(
                table.where(row, cells.get(missing[0], ("", None))[1]),
                "import-missing",
                {"column": header},
            )
        )
        return None
    values: dict[str, Any] = {}
    for element, (text, column) in cells.items():
        if element in ("name", "department", "xpcli_id", "window", "fee_flag"):
            continue
        try:
            values[element] = _value(element, text, words) if text else None
        except el.CellError as exc:
            rows.problems.append(Problem(table.where(row, column), exc.key, exc.params))
    if "fee_flag" in cells:
        flag, column = cells["fee_flag"]
        try:
            charged = el.yes_no(flag) if flag else None
        except el.CellError as exc:
            rows.problems.append(Problem(table.where(row, column), exc.key, exc.params))
            charged = None
        if charged is False:
            values["fee"] = "不收费"
        elif charged is True and not values.get("fee"):
            values["fee"] = "收费"
    if "steps" in values and values["steps"] is not None and not values["steps"]:
        values["steps"] = None
    contradiction = _contradiction(values)
    if contradiction is not None:
        key, params, element = contradiction
        rows.problems.append(Problem(table.where(row, cells[element][1]), key, params))
    window = cells.get("window", ("", 0))[0] or None
    values.pop("window", None)
    return MatterRow(
        where=table.where(row, None),
        name=name,
        department=department,
        values=values,
        xpcli_id=cells.get("xpcli_id", ("", 0))[0] or None,
        window=window,
    )


def _contradiction(values: dict[str, Any]) -> tuple[str, dict[str, Any], str] | None:
    """Figures that contradict each other would make the catalog invalid: the row is wrong."""
    online, visits = values.get("online"), values.get("visits")
    if online == "全程网办" and visits:
        return "import-online-visits", {"online": online, "visits": visits}, "visits"
    if online == "线下办理" and visits == 0:
        return "import-online-visits", {"online": online, "visits": visits}, "visits"
    promised, legal = values.get("promised_days"), values.get("legal_days")
    if promised is not None and legal is not None and promised > legal:
        return (
            "import-promised-exceeds-legal",
            {"promised": promised, "legal": legal},
            "promised_days",
        )
    return None


def words_name(element: str) -> str:
    return el.MATTER_COLUMNS[element][0]


def _value(element: str, text: str, words: el.Vocabulary) -> Any:
    own = words.values.get(element)
    if element in ("legal_days", "promised_days"):
        return el.days(text)
    if element == "visits":
        return el.count(text)
    if element == "online":
        return el.online(text, own)
    if element == "type":
        return el.choice(text, el.TYPE_VALUES, own)
    if element == "status":
        return el.choice(text, el.STATUS_VALUES, own)
    if element == "legal_basis":
        return el.lines(text, 1000)
    if element == "conditions":
        return el.lines(text, 1000)
    if element == "steps":
        return el.steps(text) or []
    if element == "phone":
        return el.phone(text)
    if element == "special_procedures":
        return el.special_procedures(text)
    if element == "faq":
        return el.faq(text)
    if element in ("code", "local_code"):
        return _code(text)
    if element == "url":
        if not text.startswith("https://") or any(c.isspace() for c in text):
            raise el.CellError("import-bad-url", value=text)
        return text
    limit = TEXT_LIMITS.get(element, 500)
    if len(text) > limit:
        raise el.CellError("import-too-long", value=text[:40], limit=limit)
    return text


def _code(text: str) -> str:
    import re

    code = re.sub(r"\s+", "", text)
    if not re.fullmatch(r"[0-9A-Za-z]+(-[0-9A-Za-z]+)*", code) or len(code) > 100:
        raise el.CellError("import-bad-code", value=text)
    return code


NEED = {
    "必要": (True, False),
    "是": (True, False),
    "1": (True, False),
    "必须": (True, False),
    "非必要": (False, False),
    "否": (False, False),
    "0": (False, False),
    "按需": (False, False),
    "容缺后补": (True, True),
    "容缺": (True, True),
}


def _entry(
    table: Table,
    row: Row,
    cells: dict[str, tuple[str, int]],
    words: el.Vocabulary,
    rows: Rows,
) -> EntryRow | None:
    name = cells.get("material", ("", 0))[0]
    if not name:
        rows.problems.append(
            Problem(table.where(row, None), "import-missing", {"column": "材料名称"})
        )
        return None
    entry: dict[str, Any] = {}
    kind = issuer = None
    try:
        text, column = cells.get("originals", ("", 0))
        originals = el.count(text) if text else 0
        text, column = cells.get("copy_count", ("", 0))
        copy_count = el.count(text) if text else 0
        text, column = cells.get("form", ("", 0))
        if text:
            entry["form"] = el.choice(text, el.FORM_VALUES, words.values.get("form"))
        elif originals and copy_count:
            entry["form"] = "原件及复印件"
        else:
            entry["form"] = "复印件" if copy_count and not originals else "原件"
        text, column = cells.get("copies", ("", 0))
        copies = el.count(text) if text else max(originals, copy_count, 1)
        if copies > 1:
            entry["copies"] = copies
        text, column = cells.get("need", ("", 0))
        if text:
            required, tolerance = NEED.get(text) or _need(text)
            if not required:
                entry["required"] = False
            if tolerance:
                entry["tolerance"] = True
        text, column = cells.get("commitment", ("", 0))
        if text and el.yes_no(text):
            entry["commitment"] = True
        text, column = cells.get("condition", ("", 0))
        if text:
            entry["condition"] = _limited(text, 200)
        text, column = cells.get("note", ("", 0))
        if text:
            entry["note"] = _limited(text, 500)
        text, column = cells.get("kind", ("", 0))
        if text:
            kind = el.choice(text, el.KIND_VALUES, words.values.get("kind"))
        text, column = cells.get("issuer", ("", 0))
        issuer = text[:200] or None
    except el.CellError as exc:
        rows.problems.append(Problem(table.where(row, column), exc.key, exc.params))
        return None
    return EntryRow(_limited(name, 200), kind, issuer, entry, table.where(row, None))


def _need(text: str) -> tuple[bool, bool]:
    raise el.CellError("import-not-in-table", value=text, allowed=" | ".join(NEED))


def _limited(text: str, limit: int) -> str:
    if len(text) > limit:
        raise el.CellError("import-too-long", value=text[:40], limit=limit)
    return text


def _read_audit(tables: dict[str, Table], words: el.Vocabulary, rows: Rows) -> None:
    """One platform JSON file: AUDIT_ITEM rows are matters; the other AUDIT_* rows attach to
    the matter with the same index."""
    items = tables.get("AUDIT_ITEM")
    if items is None:
        return
    json_words = el.Vocabulary(
        {**words.matter, **{k: v for k, v in el.JSON_MATTER.items()}},
        words.material,
        words.window,
        words.department,
        words.values,
    )
    by_index: dict[int, MatterRow] = {}
    _note_unknown(items, json_words.matter, rows)
    for row in items.rows:
        matter = _matter(items, row, _cells(items, row, json_words.matter), json_words, rows)
        if matter is not None:
            rows.matters.append(matter)
            by_index[row.number] = matter
    if (materials := tables.get("AUDIT_MATERIAL")) is not None:
        _note_unknown(materials, words.material, rows)
        for row in materials.rows:
            entry = _entry(materials, row, _cells(materials, row, words.material), words, rows)
            if entry is not None and row.number in by_index:
                by_index[row.number].materials.append(entry)
    if (windows := tables.get("AUDIT_ITEM_WINDOW")) is not None:
        for row in windows.rows:
            cells = _cells(windows, row, words.window)
            name = cells.get("window", ("", 0))[0]
            if name and row.number in by_index:
                window = {"name": name} | {
                    k: cells[k][0] for k in ("address", "hours", "phone") if cells.get(k, ("",))[0]
                }
                rows.windows.append(window)
                by_index[row.number].window = by_index[row.number].window or name
    if (specials := tables.get("AUDIT_ITEM_SPECIAL")) is not None:
        for row in specials.rows:
            cells = _cells(specials, row, el_names(el.SPECIAL_COLUMNS))
            name, days = cells.get("name", ("", 0))[0], cells.get("days", ("", 0))
            if name and row.number in by_index:
                procedure: dict[str, Any] = {"name": name[:200]}
                if days[0]:
                    try:
                        procedure["days"] = el.days(days[0])
                    except el.CellError as exc:
                        where = specials.where(row, days[1])
                        rows.problems.append(Problem(where, exc.key, exc.params))
                matter = by_index[row.number]
                matter.values.setdefault("special_procedures", [])
                matter.values["special_procedures"] = [
                    *(matter.values["special_procedures"] or []),
                    procedure,
                ]
    if (qa := tables.get("AUDIT_QA")) is not None:
        for row in qa.rows:
            cells = _cells(qa, row, el_names(el.QA_COLUMNS))
            question, answer = cells.get("question", ("", 0))[0], cells.get("answer", ("", 0))[0]
            if question and answer and row.number in by_index:
                matter = by_index[row.number]
                matter.values["faq"] = [
                    *(matter.values.get("faq") or []),
                    {"question": question[:1000], "answer": answer[:5000]},
                ]


def el_names(columns: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    return {name: element for element, names in columns.items() for name in names}
