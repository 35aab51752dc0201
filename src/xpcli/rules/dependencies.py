"""`after` inside an event has no cycle."""

from __future__ import annotations

from collections.abc import Iterator

from xpcli.diagnostics import Diagnostic, problem
from xpcli.model import Catalog, Event
from xpcli.rules import rule


@rule
def after_cycle(catalog: Catalog) -> Iterator[Diagnostic]:
    """The `after` graph of an event is acyclic (one diagnostic per cycle, at its first entry)."""
    for event in catalog.events.values():
        cycle = find_cycle(event)
        if cycle:
            entry = next(e for e in event.matters if e.matter == cycle[0])
            yield problem("after-cycle", entry.source.at("after"), cycle=" → ".join(cycle))


def find_cycle(event: Event) -> list[str] | None:
    """A cycle of matter ids (first id repeated at the end), iteratively, or None."""
    graph = {e.matter: [a for a in e.after if a != e.matter] for e in event.matters}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for start in graph:
        if state.get(start):
            continue
        path = [start]
        stack = [iter(graph[start])]
        state[start] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif nxt in graph and state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            elif nxt in graph and not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(graph[nxt]))
    return None
