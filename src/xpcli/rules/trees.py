"""Each event sits in its own tree exactly once, and trees list only known events."""

from __future__ import annotations

from collections.abc import Iterator

from xpcli.diagnostics import Diagnostic, Suggestions, problem
from xpcli.model import Catalog
from xpcli.rules import rule


@rule
def tree_events(catalog: Catalog) -> Iterator[Diagnostic]:
    """A tree lists existing events, each once, and only events that belong to it."""
    listed: dict[str, str] = {}
    hints = Suggestions(catalog.events)
    for tree in catalog.trees:
        for i, event_id in enumerate(tree.events):
            where = tree.source.at("events", i)
            if not catalog.knows("event", event_id):
                yield problem(
                    "unresolved-reference",
                    where,
                    hint=hints(event_id),
                    kind="event",
                    id=event_id,
                )
                continue
            if event_id in listed:
                yield problem("event-listed-twice", where, id=event_id, tree=listed[event_id])
                continue
            listed[event_id] = tree.id
            event = catalog.events.get(event_id)
            if event is not None and event.tree != tree.id:
                yield problem("event-in-other-tree", where, id=event_id, tree=event.tree)


@rule
def event_in_its_tree(catalog: Catalog) -> Iterator[Diagnostic]:
    """An event's own tree lists it."""
    if "catalog.yaml" in catalog.broken:
        return
    trees = {tree.id: tree for tree in catalog.trees}
    for event in catalog.events.values():
        tree = trees.get(event.tree)
        if tree is not None and event.id not in tree.events:
            yield problem("event-not-in-tree", event.source.at("tree"), id=event.id, tree=tree.id)
