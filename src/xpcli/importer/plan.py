"""What an import changes: the records of the input merged into the catalog, as file contents.

Ownership, so that re-importing is safe:
- the sheet owns the elements it has a column for: name, department, code, local_code, url,
  type, legal_basis, conditions, legal/promised days, visits, online, fee, location, phone,
  window, special_procedures, faq, result, status. A blank cell in such a column removes the
  key (the file then falls back to its default);
- materials and steps are the maintainer's once a file has them: the input sets them only on a
  file that has none; outputs, former_ids, events and everything else are never touched;
- departments, materials and windows are matched by name; new ones are appended to their file,
  existing ones are not changed;
- a matter of the catalog that the input does not have is reported, never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xpcli.errors import XpcliError
from xpcli.importer import elements as el
from xpcli.importer.ids import pinyin_slug, unique
from xpcli.importer.rows import EntryRow, MatterRow, Problem, Rows, read_rows
from xpcli.importer.sources import read_tables
from xpcli.importer.yamlwrite import (
    MATTER_ORDER,
    append_items,
    parses_to,
    patch,
    render_record,
)
from xpcli.loader import load_catalog
from xpcli.model import Catalog, Matter
from xpcli.yamlparse import decode, parse

REQUIRED = ("type", "materials", "steps", "promised_days", "visits", "online")
DEFAULTS: dict[str, Any] = {"fee": "不收费", "status": "active"}
OWNED_ONCE = ("materials", "steps")  # set only on a file that does not have them
HEADS = {
    "departments": "# 实施主体。由 xpcli import 按名称创建的部门追加在末尾。\n",
    "materials": "# 申请材料共享字典。\n",
    "windows": "# 政务服务中心的窗口（一窗受理）。事项和一件事用 window 引用它们。\n",
}


@dataclass(slots=True)
class ImportPlan:
    files: dict[str, bytes] = field(default_factory=dict)  # rel path -> new content
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    drafts: list[str] = field(default_factory=list)  # ids of matters left as draft
    absent: list[tuple[str, str]] = field(default_factory=list)  # (id, name) not in the input
    unknown_columns: list[str] = field(default_factory=list)
    ignored_sheets: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    new_departments: list[str] = field(default_factory=list)
    new_materials: list[str] = field(default_factory=list)
    new_windows: list[str] = field(default_factory=list)
    rows: int = 0


def plan_import(root: Path, inputs: list[Path], map_path: Path | None = None) -> ImportPlan:
    words = _vocabulary(map_path)
    tables = [table for path in inputs for table in read_tables(path, words.known)]
    rows = read_rows(tables, words)
    catalog = _catalog(root)
    plan = ImportPlan(
        unknown_columns=list(rows.unknown_columns),
        ignored_sheets=list(rows.ignored_sheets),
        problems=list(rows.problems),
        rows=len(rows.matters) + len(rows.entries),
    )
    _Merge(root, catalog, rows, plan).run()
    return plan


def _vocabulary(map_path: Path | None) -> el.Vocabulary:
    """A map file: `columns: {header: element or national name}` and `values: {element:
    {cell text: value}}` for code tables that differ by province."""
    if map_path is None:
        return el.vocabulary()
    try:
        raw = map_path.read_bytes()
    except OSError as exc:
        raise XpcliError("import-unreadable", path=map_path, reason=exc.strerror or exc) from exc
    text, bad = decode(raw, str(map_path))
    parsed = parse(text or "", str(map_path)) if bad is None else None
    data = parsed.data if parsed is not None and not parsed.diagnostics else None
    columns = data.get("columns", {}) if isinstance(data, dict) else None
    values = data.get("values", {}) if isinstance(data, dict) else None
    if not isinstance(columns, dict) or not isinstance(values, dict):
        raise XpcliError("import-bad-map", path=map_path)
    return el.vocabulary(
        {str(k): str(v) for k, v in columns.items()},
        {str(k): {str(a): str(b) for a, b in v.items()} for k, v in values.items()},
    )


def _catalog(root: Path) -> Catalog:
    loaded = load_catalog(root)
    broken = loaded.catalog.broken & {"catalog.yaml", "departments", "materials", "windows"}
    if broken:
        raise XpcliError("import-catalog-broken", files=", ".join(sorted(broken)))
    return loaded.catalog


class _Merge:
    def __init__(self, root: Path, catalog: Catalog, rows: Rows, plan: ImportPlan) -> None:
        self.root, self.catalog, self.rows, self.plan = root, catalog, rows, plan
        self.departments = _by_name(
            (d.name, d.id) for d in catalog.departments.values()
        ) | _by_name((d.short_name, d.id) for d in catalog.departments.values() if d.short_name)
        self.materials = _by_name((m.name, m.id) for m in catalog.materials.values())
        self.windows = _by_name((w.name, w.id) for w in catalog.windows.values())
        self.new_departments: list[dict[str, Any]] = []
        self.new_materials: list[dict[str, Any]] = []
        self.new_windows: list[dict[str, Any]] = []
        self.taken_matters = set(catalog.matters) | {
            f for m in catalog.matters.values() for f in m.former_ids
        }

    def run(self) -> None:
        self._departments()
        self._windows()
        matched = self._matters()
        if self.rows.matters:
            self.plan.absent = [
                (m.id, m.name)
                for m in sorted(self.catalog.matters.values(), key=lambda m: m.id)
                if m.id not in matched and m.status != "retired"
            ]
        self._lists()

    # ------------------------------------------------------------ departments and windows

    def _departments(self) -> None:
        extra = {d["name"]: d for d in self.rows.departments}
        names = [*extra, *(m.department for m in self.rows.matters)]
        for name in dict.fromkeys(names):
            if name not in self.departments:
                record = {"id": self._new_id(name, self.catalog.departments, self.departments)}
                record |= {"name": name} | {
                    k: v
                    for k, v in extra.get(name, {}).items()
                    if k in ("short_name", "phone") and len(v) <= (50 if k == "short_name" else 40)
                }
                self.departments[name] = record["id"]
                self.new_departments.append(record)

    def _windows(self) -> None:
        extra: dict[str, dict[str, Any]] = {}
        for w in self.rows.windows:
            extra.setdefault(w["name"], w)
        names = [*extra, *(m.window for m in self.rows.matters if m.window)]
        for name in dict.fromkeys(names):
            if name not in self.windows and len(name) <= 200:
                record = {"id": self._new_id(name, self.catalog.windows, self.windows)}
                record["name"] = name
                limits = {"address": 500, "hours": 200, "phone": 40}
                record |= {
                    k: v
                    for k, v in extra.get(name, {}).items()
                    if k in limits and len(v) <= limits[k]
                }
                self.windows[name] = record["id"]
                self.new_windows.append(record)

    def _new_id(self, name: str, existing: Any, named: dict[str, str]) -> str:
        return unique(pinyin_slug(name), set(existing) | set(named.values()))

    # ------------------------------------------------------------ matters

    def _matters(self) -> set[str]:
        by_code = {m.code: m for m in self.catalog.matters.values() if m.code}
        by_name = {(m.name, m.department): m for m in self.catalog.matters.values()}
        seen: dict[tuple[str, ...], MatterRow] = {}
        targets: list[tuple[MatterRow, Matter | None]] = []
        for row in self.rows.matters:
            first = seen.setdefault(row.key, row)
            if first is not row:
                self.plan.problems.append(
                    Problem(row.where, "import-duplicate-matter", {"first": first.where})
                )
                continue
            department = self.departments[row.department]
            existing = (
                self.catalog.matters.get(row.xpcli_id or "")
                or (by_code.get(row.values["code"]) if row.values.get("code") else None)
                or by_name.get((row.name, department))
            )
            targets.append((row, existing))
        entries = self._entries(seen, by_code, by_name)
        matched: set[str] = set()
        for row, existing in targets:
            matter_id = existing.id if existing else self._matter_id(row)
            matched.add(matter_id)
            self._write_matter(row, existing, matter_id, entries.pop(row.key, []))
        for key, listed in entries.items():  # material rows for matters only in the catalog
            existing = _find(key, by_code, by_name, self.departments)
            if existing is not None:
                self._write_matter(None, existing, existing.id, listed)
        return matched

    def _matter_id(self, row: MatterRow) -> str:
        return unique(pinyin_slug(row.name, "matter"), self.taken_matters)

    def _entries(
        self,
        rows: dict[tuple[str, ...], MatterRow],
        by_code: dict[str, Matter],
        by_name: dict[tuple[str, str], Matter],
    ) -> dict[tuple[str, ...], list[EntryRow]]:
        found: dict[tuple[str, ...], list[EntryRow]] = {}
        for row in rows.values():
            if row.materials:
                found.setdefault(row.key, []).extend(row.materials)
        for key, entry in self.rows.entries:
            if key not in rows and _find(key, by_code, by_name, self.departments) is None:
                self.plan.problems.append(
                    Problem(entry.where, "import-material-unknown-matter", {"matter": key[1]})
                )
                continue
            found.setdefault(key, []).append(entry)
        return found

    def _write_matter(
        self,
        row: MatterRow | None,
        existing: Matter | None,
        matter_id: str,
        entries: list[EntryRow],
    ) -> None:
        if existing is not None:
            rel = existing.source.file
            text = _read_text(self.root / rel)
            parsed = parse(text, rel)
            current: dict[str, Any] = dict(parsed.data) if isinstance(parsed.data, dict) else {}
        else:
            department = self.departments[row.department] if row else "matters"
            rel = f"matters/{department}/{matter_id}.yaml"
            text, current = None, {}
            if (self.root / rel).exists():
                raise XpcliError("import-would-overwrite", path=rel)
        wanted = dict(current)
        if existing is None:
            wanted["id"] = matter_id
        if row is not None:
            wanted["name"] = row.name
            wanted["department"] = self.departments[row.department]
            for key, value in row.values.items():
                if key in OWNED_ONCE:
                    if value and key not in current:
                        wanted[key] = value
                elif key == "window":
                    continue
                elif value is None or (key not in current and DEFAULTS.get(key) == value):
                    wanted.pop(key, None)
                else:
                    wanted[key] = value
            if row.window is not None:
                wanted["window"] = self.windows[row.window]
        if entries and "materials" not in current:
            wanted["materials"] = self._material_entries(entries)
        _status(wanted, current)
        if wanted.get("status") == "draft":
            self.plan.drafts.append(matter_id)
        self._emit(rel, text, current, wanted)

    def _material_entries(self, entries: list[EntryRow]) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = []
        seen: set[tuple[str, str | None]] = set()
        for entry in entries:
            material_id = self._material(entry)
            key = (material_id, entry.entry.get("condition"))
            if key in seen:  # the same material twice under one condition: keep the first
                continue
            seen.add(key)
            result.append({"material": material_id, **entry.entry})
        return result

    def _material(self, entry: EntryRow) -> str:
        if entry.material not in self.materials:
            record: dict[str, Any] = {
                "id": self._new_id(entry.material, self.catalog.materials, self.materials),
                "name": entry.material,
                "kind": entry.kind or "其他",
            }
            if entry.issuer:
                record["issuer"] = entry.issuer
            self.materials[entry.material] = record["id"]
            self.new_materials.append(record)
        return self.materials[entry.material]

    # ------------------------------------------------------------ files

    def _emit(
        self, rel: str, text: str | None, current: dict[str, Any], wanted: dict[str, Any]
    ) -> None:
        if text is not None and wanted == current:
            self.plan.unchanged += 1
            return
        if text is None:
            new_text = render_record(wanted)
            self.plan.created.append(rel)
        else:
            updates = {k: wanted.get(k) for k in dict.fromkeys([*current, *wanted])}
            updates = {k: v for k, v in updates.items() if current.get(k) != v}
            new_text = patch(text, updates, MATTER_ORDER)
            self.plan.changed.append(rel)
        if not parses_to(new_text, wanted):
            raise XpcliError("import-cannot-patch", path=rel)
        self.plan.files[rel] = new_text.encode("utf-8")

    def _lists(self) -> None:
        for key, items, names in (
            ("departments", self.new_departments, self.plan.new_departments),
            ("materials", self.new_materials, self.plan.new_materials),
            ("windows", self.new_windows, self.plan.new_windows),
        ):
            if not items:
                continue
            rel = f"{key}.yaml"
            path = self.root / rel
            text = _read_text(path) if path.is_file() else None
            new_text = append_items(text, key, items, HEADS[key])
            before = parse(text, rel).data if text is not None else {key: []}
            expected = {**(before or {}), key: [*((before or {}).get(key) or []), *items]}
            if not parses_to(new_text, expected):
                raise XpcliError("import-cannot-patch", path=rel)
            self.plan.files[rel] = new_text.encode("utf-8")
            (self.plan.changed if text is not None else self.plan.created).append(rel)
            names.extend(item["id"] for item in items)


def _status(wanted: dict[str, Any], current: dict[str, Any]) -> None:
    """A record without every element an active matter needs is a draft."""
    status = wanted.get("status", "active")
    if any(key not in wanted for key in REQUIRED):
        status = "draft"
    if status == "active" and "status" not in current:
        wanted.pop("status", None)
    else:
        wanted["status"] = status


def _by_name(pairs: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, record_id in pairs:
        found.setdefault(name, record_id)
    return found


def _find(
    key: tuple[str, ...],
    by_code: dict[str, Matter],
    by_name: dict[tuple[str, str], Matter],
    departments: dict[str, str],
) -> Matter | None:
    if key[0] == "code":
        return by_code.get(key[1])
    return by_name.get((key[1], departments.get(key[2], "")))


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    text, bad = decode(raw, path.name)
    if bad is not None or text is None:
        raise XpcliError("import-catalog-broken", files=path.name)
    return text
