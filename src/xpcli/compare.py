"""What a change does to the catalog: records added, removed, renamed and changed, each event's
figures before → after, and the breaking changes that would strand printed QR codes.

Compares two loaded catalogs: no git, no files, no printing (tested without git).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from xpcli.model import Catalog
from xpcli.simplify import FIGURES, simplify

COLLECTIONS = ("departments", "materials", "windows", "matters", "events")
# Kinds whose ids are printed into QR codes and may carry former_ids.
STABLE_KINDS = ("matters", "events")
SINGULAR = {
    "departments": "department",
    "materials": "material",
    "windows": "window",
    "matters": "matter",
    "events": "event",
}
URL_FIELDS = ("online.matter_url", "online.event_url")


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: Any
    new: Any
    renamed: bool = False  # old and new are the ids of one renamed record


@dataclass(frozen=True, slots=True)
class RecordChange:
    """One record's fate. `change` is added, removed, renamed or changed; `old_id` is set for
    renamed records; `kept_former_id` tells whether the new record lists the old id."""

    kind: str
    id: str
    name: str
    change: str
    fields: tuple[FieldChange, ...] = ()
    old_id: str | None = None
    kept_former_id: bool = True


@dataclass(frozen=True, slots=True)
class Breaking:
    code: str  # removed-id | renamed-without-former-id | url-template-changed
    kind: str
    id: str
    new_id: str | None = None
    old: str | None = None
    new: str | None = None


@dataclass(frozen=True, slots=True)
class FigureChange:
    """An event's figures (before simplification, after simplification) on each side;
    None for the side where the event does not exist."""

    event: str
    name: str
    old: tuple[dict[str, int], dict[str, int]] | None
    new: tuple[dict[str, int], dict[str, int]] | None

    def changed(self) -> list[tuple[str, str, int | None, int | None]]:
        """(stage, figure, old, new) for every figure that differs; stage is before/after."""
        rows = []
        for stage, index in (("after", 1), ("before", 0)):
            for figure in FIGURES:
                old = self.old[index][figure] if self.old else None
                new = self.new[index][figure] if self.new else None
                if old != new:
                    rows.append((stage, figure, old, new))
        return rows


@dataclass(frozen=True, slots=True)
class CatalogDiff:
    base: str
    head: str | None  # None: the working tree
    catalog: str
    header: tuple[FieldChange, ...]
    records: tuple[RecordChange, ...]
    figures: tuple[FigureChange, ...]
    breaking: tuple[Breaking, ...]
    names: Mapping[str, str] = field(default_factory=dict)  # id → name, both sides

    @property
    def empty(self) -> bool:
        return not (self.header or self.records or self.figures)

    def of_kind(self, kind: str) -> tuple[RecordChange, ...]:
        return tuple(r for r in self.records if r.kind == kind)

    def as_json(self) -> dict[str, Any]:
        kinds: dict[str, Any] = {}
        for kind in COLLECTIONS:
            groups: dict[str, list] = {"added": [], "removed": [], "renamed": [], "changed": []}
            for r in self.of_kind(SINGULAR[kind]):
                item: dict[str, Any] = {"id": r.id, "name": r.name}
                if r.change == "renamed":
                    item["old_id"] = r.old_id
                    item["kept_former_id"] = r.kept_former_id
                if r.change in ("renamed", "changed"):
                    item["fields"] = [_field_json(f) for f in r.fields]
                groups[r.change].append(item)
            kinds[kind] = groups
        return {
            "base": self.base,
            "head": self.head,
            "catalog": self.catalog,
            "breaking": [
                {
                    "code": b.code,
                    "kind": b.kind,
                    "id": b.id,
                    "new_id": b.new_id,
                    "old": b.old,
                    "new": b.new,
                }
                for b in self.breaking
            ],
            "catalog_fields": [_field_json(f) for f in self.header],
            **kinds,
            "figures": [
                {
                    "event": f.event,
                    "name": f.name,
                    "old": _figures_json(f.old),
                    "new": _figures_json(f.new),
                }
                for f in self.figures
            ],
        }


def _field_json(f: FieldChange) -> dict[str, Any]:
    item = {"field": f.field, "old": f.old, "new": f.new}
    return {**item, "renamed": True} if f.renamed else item


def _figures_json(pair: tuple[dict[str, int], dict[str, int]] | None) -> dict | None:
    return None if pair is None else {"before": pair[0], "after": pair[1]}


def compare(
    old: Catalog, new: Catalog, base: str = "", head: str | None = None, catalog: str = ""
) -> CatalogDiff:
    """The differences between two valid catalogs."""
    header = tuple(_diff_values("", _header_value(old), _header_value(new)))
    records: list[RecordChange] = []
    breaking: list[Breaking] = []
    for f in header:
        if f.field in URL_FIELDS:
            kind = f.field.split(".")[1].split("_")[0]
            breaking.append(Breaking("url-template-changed", kind, f.field, old=f.old, new=f.new))
    renamed_to: dict[str, dict[str, str]] = {}
    renames: dict[str, str] = {}  # every renamed id so far: records refer to earlier kinds
    for kind in COLLECTIONS:
        olds: dict[str, Any] = dict(getattr(old, kind))
        news: dict[str, Any] = dict(getattr(new, kind))
        pairs = _renames(kind, olds, news)
        renamed_to[kind] = {o: n for o, (n, _) in pairs.items()}
        renames.update(renamed_to[kind])
        for old_id, (new_id, kept) in pairs.items():
            record = news[new_id]
            changes = _diff_record(olds[old_id], record, renames)
            records.append(
                RecordChange(
                    SINGULAR[kind], new_id, record.name, "renamed", tuple(changes), old_id, kept
                )
            )
            if kind in STABLE_KINDS and not kept:
                breaking.append(
                    Breaking("renamed-without-former-id", SINGULAR[kind], old_id, new_id=new_id)
                )
        paired_new = {n for n, _ in pairs.values()}
        for record_id in sorted(olds.keys() - news.keys() - pairs.keys()):
            records.append(RecordChange(SINGULAR[kind], record_id, olds[record_id].name, "removed"))
        for record_id in sorted(news.keys() - olds.keys() - paired_new):
            records.append(RecordChange(SINGULAR[kind], record_id, news[record_id].name, "added"))
        for record_id in sorted(olds.keys() & news.keys()):
            changes = _diff_record(olds[record_id], news[record_id], renames)
            if changes:
                records.append(
                    RecordChange(
                        SINGULAR[kind], record_id, news[record_id].name, "changed", tuple(changes)
                    )
                )
        if kind in STABLE_KINDS:
            breaking.extend(_lost_ids(kind, olds, news, pairs))
    return CatalogDiff(
        base=base,
        head=head,
        catalog=catalog,
        header=header,
        records=tuple(records),
        figures=tuple(_figures(old, new, renamed_to["events"])),
        breaking=tuple(breaking),
        names=_names(old, new),
    )


def _names(old: Catalog, new: Catalog) -> dict[str, str]:
    """Names by id for the reader: the new side's win."""
    names: dict[str, str] = {}
    for catalog in (old, new):
        for kind in COLLECTIONS:
            names.update({i: r.name for i, r in getattr(catalog, kind).items()})
    return names


def _lost_ids(kind: str, olds: dict, news: dict, pairs: dict) -> list[Breaking]:
    """Every id a printed QR code may carry (current and former) must still resolve."""
    known = set(news) | {f for r in news.values() for f in r.former_ids}
    found = []
    for record_id in sorted(olds):
        if record_id in pairs:
            continue  # reported as a rename
        if record_id not in known:
            found.append(Breaking("removed-id", SINGULAR[kind], record_id))
    for record_id in sorted(olds):
        for former in olds[record_id].former_ids:
            if former not in known and former not in olds:
                found.append(Breaking("removed-id", SINGULAR[kind], former))
    return found


def _renames(kind: str, olds: dict, news: dict) -> dict[str, tuple[str, bool]]:
    """old id → (new id, whether the new record lists the old id in former_ids).

    A rename is declared by former_ids; an undeclared one is recognised by an unchanged name
    (one old and one new record with that name)."""
    gone = sorted(olds.keys() - news.keys())
    fresh = sorted(news.keys() - olds.keys())
    pairs: dict[str, tuple[str, bool]] = {}
    for new_id in fresh:
        for former in getattr(news[new_id], "former_ids", ()):
            if former in gone and former not in pairs:
                pairs[former] = (new_id, True)
    taken = {n for n, _ in pairs.values()}
    by_name_old: dict[str, list[str]] = {}
    by_name_new: dict[str, list[str]] = {}
    for i in gone:
        if i not in pairs:
            by_name_old.setdefault(olds[i].name, []).append(i)
    for i in fresh:
        if i not in taken:
            by_name_new.setdefault(news[i].name, []).append(i)
    for name, old_ids in by_name_old.items():
        new_ids = by_name_new.get(name, [])
        if len(old_ids) == 1 and len(new_ids) == 1:
            pairs[old_ids[0]] = (new_ids[0], False)
    return pairs


def _header_value(catalog: Catalog) -> dict[str, Any]:
    h = catalog.header
    return {
        "catalog": {
            "id": h.id,
            "title": h.title,
            "region": h.region,
            "region_code": h.region_code,
            "publisher": h.publisher,
            "edition": h.edition,
            "hotline": h.hotline,
        },
        "online": {"matter_url": h.matter_url, "event_url": h.event_url},
        "service_center": {
            "name": h.center_name,
            "address": h.center_address,
            "hours": h.center_hours,
            "phone": h.center_phone,
        },
        "trees": {t.id: {"title": t.title, "events": list(t.events)} for t in catalog.trees},
    }


def _plain(value: Any) -> Any:
    """A record's value as JSON data; entry lists become mappings keyed by what they name."""
    if hasattr(value, "__dataclass_fields__"):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in fields(value)
            if f.name not in ("source", "material", "matter")
        }
    if isinstance(value, tuple):
        if value and hasattr(value[0], "material"):
            return {_entry_key(e.material, e.condition): _plain(e) for e in value}
        if value and hasattr(value[0], "matter"):
            return {e.matter: _plain(e) for e in value}
        return [_plain(v) for v in value]
    return value


def _entry_key(material: str, condition: str | None) -> str:
    return material if condition is None else f"{material}（{condition}）"


def _diff_record(old: Any, new: Any, renames: Mapping[str, str]) -> list[FieldChange]:
    """The field changes of one record. An id the old side names that was renamed is read as
    the new id, and the rename is reported once where it is used (an event's matter), instead
    of one entry removed and one added."""
    a, b = _plain(old), _plain(new)
    a.pop("id", None)
    b.pop("id", None)
    found: list[FieldChange] = []
    for key, entries in a.items():
        if isinstance(entries, dict):
            for entry in entries:
                base, sep, rest = entry.partition("（")
                if base in renames:
                    moved = renames[base] + sep + rest
                    found.append(FieldChange(f"{key}.{moved}", base, renames[base], True))
    return found + _diff_values("", _with_new_ids(a, renames), b)


def _with_new_ids(value: Any, renames: Mapping[str, str]) -> Any:
    if isinstance(value, dict):
        return {_new_key(k, renames): _with_new_ids(v, renames) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_new_ids(v, renames) for v in value]
    if isinstance(value, str):
        return renames.get(value, value)
    return value


def _new_key(key: str, renames: Mapping[str, str]) -> str:
    base, sep, rest = key.partition("（")
    return renames.get(base, base) + sep + rest


def _diff_values(prefix: str, old: Any, new: Any) -> list[FieldChange]:
    if old == new:
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        found: list[FieldChange] = []
        for key in [*old, *(k for k in new if k not in old)]:
            path = f"{prefix}.{key}" if prefix else str(key)
            if key not in new:
                found.append(FieldChange(path, old[key], None))
            elif key not in old:
                found.append(FieldChange(path, None, new[key]))
            else:
                found.extend(_diff_values(path, old[key], new[key]))
        return found
    return [FieldChange(prefix, old, new)]


def _figures(old: Catalog, new: Catalog, renamed: dict[str, str]) -> list[FigureChange]:
    def figures(catalog: Catalog, event_id: str) -> tuple[dict[str, int], dict[str, int]]:
        result = simplify(catalog, event_id)
        return result.before.as_dict(), result.after.as_dict()

    found = []
    seen_new: set[str] = set()
    for event_id in sorted(old.events):
        new_id = renamed.get(event_id, event_id)
        before = figures(old, event_id)
        after = figures(new, new_id) if new_id in new.events else None
        seen_new.add(new_id)
        if before != after:
            name = (new.events[new_id] if after else old.events[event_id]).name
            found.append(FigureChange(new_id if after else event_id, name, before, after))
    for event_id in sorted(set(new.events) - seen_new):
        found.append(
            FigureChange(event_id, new.events[event_id].name, None, figures(new, event_id))
        )
    return found
