"""The catalog model: immutable records that remember where every value came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from xpcli.diagnostics import Location
from xpcli.yamlparse import KeyPath, locate

_NO_POSITIONS: Mapping[KeyPath, tuple[int, int, int, int]] = MappingProxyType({})
_NO_WINDOWS: Mapping[str, Window] = MappingProxyType({})


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
    commitment: bool  # 告知承诺: the applicant may sign a commitment instead
    source: Source = field(compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Window:
    """A window (窗口) of the service centre; the centre's address and hours when not given."""

    id: str
    name: str
    address: str | None
    hours: str | None
    phone: str | None
    source: Source = field(compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class SpecialProcedure:
    """特别程序 (检验, 鉴定, 公示, ...): its days are not part of the promised days."""

    name: str
    days: int | None


@dataclass(frozen=True, slots=True)
class Question:
    question: str
    answer: str


@dataclass(frozen=True, slots=True)
class Matter:
    """A matter. A `draft` needs only id, name and department: the elements below that are
    `None` are absent on a draft (the schema requires them from `active` on)."""

    id: str
    name: str
    code: str | None
    local_code: str | None
    url: str | None  # its own page (the provincial platform), else the URL template
    type: str | None
    department: str
    legal_basis: tuple[str, ...]
    conditions: tuple[str, ...]
    materials: tuple[MaterialEntry, ...]
    outputs: tuple[str, ...]
    steps: tuple[str, ...]
    legal_days: int | None
    promised_days: int | None
    visits: int | None
    online: str | None
    fee: str
    location: str | None
    phone: str | None
    window: str | None
    special_procedures: tuple[SpecialProcedure, ...]
    faq: tuple[Question, ...]
    result: str | None  # 办理结果, e.g. 《食品经营许可证》
    former_ids: tuple[str, ...]
    status: str
    source: Source = field(compare=False, repr=False)
    replaced_by: str | None = None  # a retired record's successor (same kind)


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
    window: str | None
    former_ids: tuple[str, ...]
    status: str
    source: Source = field(compare=False, repr=False)
    replaced_by: str | None = None  # a retired record's successor (same kind)


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
    windows: Mapping[str, Window] = field(default_factory=lambda: _NO_WINDOWS)

    def knows(self, kind: str, record_id: str) -> bool:
        """True when the id exists, or when it may exist in a file that failed to load."""
        if kind == "department":
            return record_id in self.departments or "departments" in self.broken
        if kind == "material":
            return record_id in self.materials or "materials" in self.broken
        if kind == "window":
            return record_id in self.windows or "windows" in self.broken
        records = self.matters if kind == "matter" else self.events
        return record_id in records or f"{kind}:{record_id}" in self.broken

    def matter_url(self, matter_id: str) -> str:
        """The matter's own `url` when it has one (its QR code, its export), else the template."""
        matter = self.matters.get(matter_id)
        if matter is not None and matter.url:
            return matter.url
        return self.header.matter_url.replace("{id}", matter_id)

    def window_of(self, window_id: str | None) -> Window | None:
        return self.windows.get(window_id) if window_id else None

    def event_window(self, event: Event) -> Window | None:
        """Where an event is received (一窗受理): its own `window`, else the one window all its
        base matters name, else None (the centre's 综合受理窗口)."""
        if event.window:
            return self.window_of(event.window)
        named = {
            self.matters[e.matter].window
            for e in event.matters
            if e.condition is None and e.matter in self.matters
        }
        return self.window_of(named.pop()) if len(named) == 1 else None

    def event_url(self, event_id: str) -> str:
        return self.header.event_url.replace("{id}", event_id)

    def events_in_print_order(self) -> list[Event]:
        return [self.events[e] for tree in self.trees for e in tree.events if e in self.events]
