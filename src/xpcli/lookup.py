"""Finding records the way a clerk names them, and listing them.

A clerk knows "出生登记", not `newborn-household-registration`: `find` takes an id, a former id
or a Chinese name (exact, then a unique partial match), and otherwise fails with the candidates.
`listing` gives the rows of `xpcli list`. Pure: no printing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol, TypeVar

from xpcli.diagnostics import closest
from xpcli.errors import EXIT_ERRORS, Term, XpcliError
from xpcli.model import Catalog, Event, Matter

LISTED_KINDS = ("events", "matters", "materials", "departments")
CANDIDATES_SHOWN = 10


class Named(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...


R = TypeVar("R", bound=Named)


def find(records: Mapping[str, R], kind: str, query: str) -> R:
    """The record `query` names: its id, a former id, its exact name, or the only name that
    contains `query`. Several names containing it, or none, is an error listing the candidates
    (exit 1)."""
    if query in records:
        return records[query]
    for record in records.values():
        if query in getattr(record, "former_ids", ()):
            return record
    exact = [r for r in records.values() if r.name == query]
    partial = exact or [r for r in records.values() if _plain(query) in _plain(r.name)]
    if len(partial) == 1:
        return partial[0]
    if partial:
        shown = "、".join(f"{r.name}（{r.id}）" for r in partial[:CANDIDATES_SHOWN])
        if len(partial) > CANDIDATES_SHOWN:
            shown += " …"
        raise XpcliError(
            "lookup-ambiguous",
            exit_code=EXIT_ERRORS,
            kind=Term(kind),
            query=query,
            count=len(partial),
            candidates=shown,
        )
    near = closest(query, records, n=3, cutoff=0.4)
    raise XpcliError(
        "unknown-id-closest" if near else "unknown-id",
        exit_code=EXIT_ERRORS,
        kind=Term(kind),
        id=query,
        ids=", ".join(near),
    )


def _plain(name: str) -> str:
    """A name as typed: without the quotes of “一件事” and spaces."""
    return name.replace("“", "").replace("”", "").replace('"', "").replace(" ", "")


def events_using(catalog: Catalog, matter_id: str) -> tuple[Event, ...]:
    """The events that list the matter, in print order."""
    return tuple(
        e for e in catalog.events_in_print_order() if any(m.matter == matter_id for m in e.matters)
    )


Row = dict[str, str | int]


@dataclass(frozen=True, slots=True)
class Listing:
    """Rows of one kind: `columns` are keys of each row (and of the `list-col-*` messages)."""

    kind: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]


COLUMNS = {
    "events": ("id", "name", "tree", "lead_department", "matters", "status"),
    "matters": ("id", "name", "department", "type", "events", "status"),
    "materials": ("id", "name", "kind", "issuer"),
    "departments": ("id", "name", "short_name", "matters"),
}


def listing(
    catalog: Catalog,
    kind: str,
    tree: str | None = None,
    department: str | None = None,
    status: str | None = None,
) -> Listing:
    """The records of `kind` (events, matters, materials, departments), filtered: `tree` keeps
    the events of that tree and what they use; `department` the records of that department (an
    event it leads or whose matters it handles; the materials its matters ask for); `status`
    the events or matters of that status."""
    events = [
        e
        for e in catalog.events_in_print_order()
        if (tree is None or e.tree == tree)
        and (status is None or e.status == status)
        and (department is None or _involves(catalog, e, department))
    ]
    in_tree = None if tree is None else {m.matter for e in events for m in e.matters}
    matters = [
        m
        for m in sorted(catalog.matters.values(), key=lambda m: (m.department, m.id))
        if (in_tree is None or m.id in in_tree)
        and (department is None or m.department == department)
        and (status is None or m.status == status)
    ]
    rows: list[Row]
    if kind == "events":
        rows = [_event_row(catalog, e) for e in events]
    elif kind == "matters":
        used = Counter(entry.matter for e in catalog.events.values() for entry in e.matters)
        rows = [_matter_row(catalog, m, used[m.id]) for m in matters]
    elif kind == "materials":
        filtered = tree is not None or department is not None or status is not None
        asked = {entry.material for m in matters for entry in m.materials}
        rows = [
            {"id": m.id, "name": m.name, "kind": m.kind, "issuer": m.issuer or ""}
            for m in catalog.materials.values()
            if not filtered or m.id in asked
        ]
    else:
        counts = Counter(m.department for m in matters)
        rows = [
            {"id": d.id, "name": d.name, "short_name": d.short_name or "", "matters": counts[d.id]}
            for d in catalog.departments.values()
            if (department is None or d.id == department) and (tree is None or counts[d.id])
        ]
    return Listing(kind, COLUMNS[kind], tuple(rows))


def _involves(catalog: Catalog, event: Event, department: str) -> bool:
    return event.lead_department == department or any(
        catalog.matters[entry.matter].department == department for entry in event.matters
    )


def _event_row(catalog: Catalog, event: Event) -> Row:
    return {
        "id": event.id,
        "name": event.name,
        "tree": event.tree,
        "lead_department": catalog.departments[event.lead_department].name,
        "matters": len(event.matters),
        "status": event.status,
    }


def _matter_row(catalog: Catalog, matter: Matter, events: int) -> Row:
    return {
        "id": matter.id,
        "name": matter.name,
        "department": catalog.departments[matter.department].name,
        "type": matter.type or "",
        "events": events,
        "status": matter.status,
    }
