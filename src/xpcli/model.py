"""The catalog model: immutable records that remember where every value came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from xpcli.diagnostics import Location
from xpcli.yamlparse import KeyPath, locate

_NO_POSITIONS: Mapping[KeyPath, tuple[int, int, int, int]] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Source:
    """A record's file and the positions of all its values (shared with its file)."""

    file: str
    positions: Mapping[KeyPath, tuple[int, int, int, int]] = field(
        default_factory=lambda: _NO_POSITIONS
    )
    base: KeyPath = ()

    def at(self, *path: str | int, key: bool = False) -> Location:
        """Location of a value (or of its key) below this record; falls back to the parent."""
        return locate(self.positions, (*self.base, *path), self.file, key)

    def child(self, *path: str | int) -> Source:
        return Source(self.file, self.positions, (*self.base, *path))


@dataclass(frozen=True, slots=True)
class Department:
    id: str
    name: str
    short_name: str | None
    phone: str | None
    source: Source = field(compare=False, repr=False)

    @property
    def label(self) -> str:
        return self.short_name or self.name


@dataclass(frozen=True, slots=True)
class Material:
    id: str
    name: str
    kind: str
    issuer: str | None
    e_license: bool
    source: Source = field(compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class MaterialEntry:
    material: str
    form: str
    copies: int
    required: bool
    tolerance: bool
    condition: str | None
    note: str | None
    source: Source = field(compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Matter:
    id: str
    name: str
    code: str | None
    type: str
    department: str
    legal_basis: tuple[str, ...]
    conditions: tuple[str, ...]
    materials: tuple[MaterialEntry, ...]
    outputs: tuple[str, ...]
    steps: tuple[str, ...]
    legal_days: int | None
    promised_days: int
    visits: int
    online: str
    fee: str
    location: str | None
    phone: str | None
    former_ids: tuple[str, ...]
    status: str
    source: Source = field(compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class EventEntry:
    matter: str
    after: tuple[str, ...]
    condition: str | None
    source: Source = field(compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    name: str
    tree: str
    summary: str
    lead_department: str
    matters: tuple[EventEntry, ...]
    combined_form: str | None
    promised_days: int | None
    visits: int | None
    former_ids: tuple[str, ...]
    status: str
    source: Source = field(compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Tree:
    id: str
    title: str
    events: tuple[str, ...]
    source: Source = field(compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Header:
    """catalog.yaml without its trees."""

    id: str
    title: str
    region: str
    region_code: str
    publisher: str
    edition: str
    hotline: str | None
    matter_url: str
    event_url: str
    center_name: str
    center_address: str
    center_hours: str
    center_phone: str | None
    source: Source = field(compare=False, repr=False)
    site_base: str | None = None  # online.site_base; see xpcli.site.paths.site_base


EMPTY_HEADER = Header(
    "", "", "", "", "", "", None, "", "", "", "", "", None, Source("catalog.yaml")
)


@dataclass(frozen=True, slots=True)
class Catalog:
    """One catalog. `broken` names what could not be loaded (only seen by validation):
    "catalog.yaml", "departments", "materials", or "matter:<id>" / "event:<id>"."""

    root: str
    header: Header
    trees: tuple[Tree, ...]
    departments: Mapping[str, Department]
    materials: Mapping[str, Material]
    matters: Mapping[str, Matter]
    events: Mapping[str, Event]
    broken: frozenset[str] = frozenset()

    def knows(self, kind: str, record_id: str) -> bool:
        """True when the id exists, or when it may exist in a file that failed to load."""
        if kind == "department":
            return record_id in self.departments or "departments" in self.broken
        if kind == "material":
            return record_id in self.materials or "materials" in self.broken
        records = self.matters if kind == "matter" else self.events
        return record_id in records or f"{kind}:{record_id}" in self.broken

    def matter_url(self, matter_id: str) -> str:
        return self.header.matter_url.replace("{id}", matter_id)

    def event_url(self, event_id: str) -> str:
        return self.header.event_url.replace("{id}", event_id)

    def events_in_print_order(self) -> list[Event]:
        return [self.events[e] for tree in self.trees for e in tree.events if e in self.events]
