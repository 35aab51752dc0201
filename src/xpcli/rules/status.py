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
