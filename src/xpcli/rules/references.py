"""Every reference resolves: departments, materials, matters, events, trees."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from xpcli.diagnostics import Diagnostic, Location, Suggestions, did_you_mean, problem
from xpcli.model import Catalog, Event, Matter
from xpcli.rules import rule


class _Unresolved:
    """unresolved-reference diagnostics for one rule's run, with one `Suggestions` per kind: a
    hint per distinct word and a bounded number of lookups however many references dangle."""

    def __init__(self) -> None:
        self._hints: dict[str, Suggestions] = {}

    def __call__(self, where: Location, kind: str, ref: str, known: Iterable[str]) -> Diagnostic:
        hints = self._hints.get(kind)
        if hints is None:
            hints = self._hints[kind] = Suggestions(known)
        return problem("unresolved-reference", where, hint=hints(ref), kind=kind, id=ref)


@rule
def matter_references(catalog: Catalog) -> Iterator[Diagnostic]:
    """A matter's `department`, `materials[].material` and `outputs` exist."""
    _unresolved = _Unresolved()
    for matter in catalog.matters.values():
        if not catalog.knows("department", matter.department):
            yield _unresolved(
                matter.source.at("department"), "department", matter.department, catalog.departments
            )
        for entry in matter.materials:
            if not catalog.knows("material", entry.material):
                yield _unresolved(
                    entry.source.at("material"), "material", entry.material, catalog.materials
                )
        for i, output in enumerate(matter.outputs):
            if not catalog.knows("material", output):
                yield _unresolved(
                    matter.source.at("outputs", i), "material", output, catalog.materials
                )


@rule
def event_references(catalog: Catalog) -> Iterator[Diagnostic]:
    """An event's `lead_department`, `tree`, `matters[].matter` and `combined_form` exist."""
    _unresolved = _Unresolved()
    tree_ids = {tree.id for tree in catalog.trees}
    for event in catalog.events.values():
        if not catalog.knows("department", event.lead_department):
            yield _unresolved(
                event.source.at("lead_department"),
                "department",
                event.lead_department,
                catalog.departments,
            )
        if event.tree not in tree_ids and "catalog.yaml" not in catalog.broken:
            yield _unresolved(event.source.at("tree"), "tree", event.tree, tree_ids)
        for entry in event.matters:
            if not catalog.knows("matter", entry.matter):
                yield _unresolved(
                    entry.source.at("matter"), "matter", entry.matter, catalog.matters
                )
        form = event.combined_form
        if form is not None and not catalog.knows("material", form):
            yield _unresolved(event.source.at("combined_form"), "material", form, catalog.materials)


@rule
def window_references(catalog: Catalog) -> Iterator[Diagnostic]:
    """A matter's or an event's `window` is in windows.yaml."""
    _unresolved = _Unresolved()
    records: list[Matter | Event] = [*catalog.matters.values(), *catalog.events.values()]
    for record in records:
        if record.window is not None and not catalog.knows("window", record.window):
            yield _unresolved(record.source.at("window"), "window", record.window, catalog.windows)


@rule
def combined_form_kind(catalog: Catalog) -> Iterator[Diagnostic]:
    """`combined_form` names a material of kind 表格."""
    for event in catalog.events.values():
        material = catalog.materials.get(event.combined_form or "")
        if material is not None and material.kind != "表格":
            yield problem(
                "combined-form-not-form",
                event.source.at("combined_form"),
                id=material.id,
                material_kind=material.kind,
            )


@rule
def after_references(catalog: Catalog) -> Iterator[Diagnostic]:
    """`after` names another matter of the same event."""
    for event in catalog.events.values():
        in_event = [entry.matter for entry in event.matters]
        for entry in event.matters:
            for i, before in enumerate(entry.after):
                # Located only when reported: locating 1,600 events' `after` parsed them again
                # (0.66 s; a file read by the other process keeps no positions, LazyPositions).
                if before == entry.matter:
                    yield problem("after-self", entry.source.at("after", i), id=before)
                elif before not in in_event:
                    yield problem(
                        "after-not-in-event",
                        entry.source.at("after", i),
                        hint=did_you_mean(before, in_event),
                        id=before,
                    )


@rule
def replacement_references(catalog: Catalog) -> Iterator[Diagnostic]:
    """`replaced_by` names a matter (of a matter) or an event (of an event) that exists."""
    _unresolved = _Unresolved()
    kinds: list[tuple[str, Mapping[str, Matter] | Mapping[str, Event]]] = [
        ("matter", catalog.matters),
        ("event", catalog.events),
    ]
    for kind, records in kinds:
        for record in records.values():
            successor = record.replaced_by
            if successor is not None and not catalog.knows(kind, successor):
                yield _unresolved(record.source.at("replaced_by"), kind, successor, records)
