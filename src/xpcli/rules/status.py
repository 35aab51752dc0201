"""Active events use active matters."""

from __future__ import annotations

from collections.abc import Iterator

from xpcli.diagnostics import Diagnostic, problem
from xpcli.model import Catalog
from xpcli.rules import rule


@rule
def matter_status_in_event(catalog: Catalog) -> Iterator[Diagnostic]:
    """An active event uses no retired matter (error) and no draft matter (warning)."""
    for event in catalog.events.values():
        if event.status != "active":
            continue
        for entry in event.matters:
            matter = catalog.matters.get(entry.matter)
            if matter is None:
                continue
            if matter.status == "retired":
                yield problem("retired-matter-in-event", entry.source.at("matter"), id=matter.id)
            elif matter.status == "draft":
                yield problem("draft-matter-in-event", entry.source.at("matter"), id=matter.id)


FIGURE_ELEMENTS = ("promised_days", "visits", "online")


@rule
def incomplete_matter_in_event(catalog: Catalog) -> Iterator[Diagnostic]:
    """An event's figures need each matter's promised days, visits and online depth: a draft
    matter without them cannot be part of an event (its figures would be invented)."""
    for event in catalog.events.values():
        for entry in event.matters:
            matter = catalog.matters.get(entry.matter)
            if matter is None:
                continue
            missing = [key for key in FIGURE_ELEMENTS if getattr(matter, key) is None]
            if missing:
                yield problem(
                    "incomplete-matter-in-event",
                    entry.source.at("matter"),
                    id=matter.id,
                    keys=", ".join(missing),
                )
