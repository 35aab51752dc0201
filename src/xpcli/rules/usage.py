"""Warnings about content that is legal but probably a mistake."""

from __future__ import annotations

from collections.abc import Iterator

from xpcli.diagnostics import Diagnostic, problem
from xpcli.model import Catalog
from xpcli.rules import rule


@rule
def unused_material(catalog: Catalog) -> Iterator[Diagnostic]:
    """Every material of the dictionary is asked for, issued, or a combined form."""
    if catalog.broken:  # a file that failed to load may be the one that uses it
        return
    used = {e.material for m in catalog.matters.values() for e in m.materials}
    used.update(o for m in catalog.matters.values() for o in m.outputs)
    used.update(e.combined_form for e in catalog.events.values() if e.combined_form)
    for material in catalog.materials.values():
        if material.id not in used:
            yield problem("unused-material", material.source.at("id"), id=material.id)


@rule
def event_figures_better(catalog: Catalog) -> Iterator[Diagnostic]:
    """An event's own `promised_days` / `visits` beat the sum over its base matters."""
    for event in catalog.events.values():
        base = [catalog.matters.get(e.matter) for e in event.matters if e.condition is None]
        if any(m is None for m in base):
            continue
        for key, own in (("promised_days", event.promised_days), ("visits", event.visits)):
            figures = [getattr(m, key) for m in base]
            if None in figures:  # a draft: incomplete-matter-in-event says so
                continue
            total = sum(figures)
            if own is not None and own >= total:
                yield problem(
                    "event-figure-not-better", event.source.at(key), key=key, value=own, total=total
                )
