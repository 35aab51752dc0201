"""The catalog-wide report a service centre sends upward, built on `simplify`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from xpcli.indicators import Indicators, indicators
from xpcli.model import Catalog
from xpcli.simplify import FIGURES, Simplification, reduction_percent, simplify


@dataclass(frozen=True, slots=True)
class Stats:
    region: str
    edition: str
    rows: tuple[tuple[str, str, Simplification], ...]  # (event id, event name, figures)
    matters_by_type: tuple[tuple[str, int], ...]
    matters_by_department: tuple[tuple[str, int], ...]
    matters_by_online: tuple[tuple[str, int], ...]
    matters: int
    events: int
    materials: int
    departments: int
    overall: Indicators  # 即办件比例, 全程网办率, ... over the whole catalog
    by_department: tuple[Indicators, ...]

    def totals(self) -> dict[str, dict[str, int]]:
        before = {f: sum(getattr(s.before, f) for _, _, s in self.rows) for f in FIGURES}
        after = {f: sum(getattr(s.after, f) for _, _, s in self.rows) for f in FIGURES}
        return {
            "before": before,
            "after": after,
            "reduction": {f: reduction_percent(before[f], after[f]) for f in FIGURES},
        }

    def averages(self) -> dict[str, dict[str, float]]:
        count = max(len(self.rows), 1)
        totals = self.totals()
        return {
            side: {f: round(totals[side][f] / count, 1) for f in FIGURES}
            for side in ("before", "after")
        }

    def as_json(self) -> dict[str, Any]:
        totals = self.totals()
        return {
            "region": self.region,
            "edition": self.edition,
            "events": [
                {
                    "event": event_id,
                    "name": name,
                    **{
                        k: v
                        for k, v in s.as_json().items()
                        if k in ("before", "after", "reduction", "departments")
                    },
                }
                for event_id, name, s in self.rows
            ],
            "totals": totals,
            "averages": self.averages(),
            "visits_saved": totals["before"]["visits"] - totals["after"]["visits"],
            "counts": {
                "events": self.events,
                "matters": self.matters,
                "materials": self.materials,
                "departments": self.departments,
                "matters_by_type": dict(self.matters_by_type),
                "matters_by_department": dict(self.matters_by_department),
                "matters_by_online": dict(self.matters_by_online),
            },
            "indicators": {
                "overall": self.overall.as_json(),
                "departments": [i.as_json() for i in self.by_department],
            },
        }


def catalog_stats(catalog: Catalog) -> Stats:
    events = catalog.events_in_print_order()
    matters = list(catalog.matters.values())
    overall, by_department = indicators(catalog)

    def counted(values: list[str]) -> tuple[tuple[str, int], ...]:
        return tuple(sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0])))

    return Stats(
        region=catalog.header.region,
        edition=catalog.header.edition,
        rows=tuple((e.id, e.name, simplify(catalog, e.id)) for e in events),
        matters_by_type=counted([m.type or "—" for m in matters]),
        matters_by_department=counted([catalog.departments[m.department].name for m in matters]),
        matters_by_online=counted([m.online or "—" for m in matters]),
        matters=len(matters),
        events=len(catalog.events),
        materials=len(catalog.materials),
        departments=len(catalog.departments),
        overall=overall,
        by_department=tuple(by_department),
    )
